"""Pages every app shares."""

from django.conf import settings
from django.shortcuts import render


def locked_out(request, original_response=None, credentials=None):
    """The answer to a login attempt django-axes refuses: why, and for how long."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return render(request, "admin/locked_out.html", {"minutes": minutes}, status=429)
