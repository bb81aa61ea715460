"""Pages every app shares."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render


def locked_out(request, original_response=None, credentials=None):
    """The answer to a login attempt django-axes refuses: why, and for how long."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return render(request, "admin/locked_out.html", {"minutes": minutes}, status=429)


def is_api(request):
    return request.path.startswith("/api/")


def error_page(request, template, status, api_message, context=None):
    """An error as a page in the visitor's language, or under /api/ as JSON with
    `api_message` (what an API client can act on)."""
    if is_api(request):
        return JsonResponse({"detail": str(api_message)}, status=status)
    return render(request, template, context or {}, status=status)
