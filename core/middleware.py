"""Refuse a request body that is too large before anything reads it."""

from django.conf import settings
from django.shortcuts import render


class RequestSizeLimitMiddleware:
    """A body larger than MAX_REQUEST_BYTES (as its Content-Length says) is answered
    with a 413 page in the visitor's language, unread. Django's own limits apply to the
    form fields of a request, not to its files; the front server (deploy/nginx.conf)
    has the same limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            limit = settings.MAX_REQUEST_BYTES // 1_000_000
            return render(request, "413.html", {"limit": limit}, status=413)
        return self.get_response(request)
