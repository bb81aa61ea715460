"""Requests refused early, and database time bounded, each with a page that says why."""

import logging

from django.conf import settings
from django.db import DatabaseError, OperationalError, connections
from django.utils import translation
from django.utils.http import MAX_URL_REDIRECT_LENGTH
from django.utils.translation import gettext as _

from config.routers import public_reads_alias, reading_public_page

from .views import error_page

logger = logging.getLogger(__name__)


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
            message = _("The request is larger than %(limit)s MB.") % {"limit": limit}
            return error_page(request, "413.html", 413, message, {"limit": limit})
        return self.get_response(request)


class LongUnprefixedURLMiddleware:
    """An address without a language prefix is redirected to /fr/ or /en/ (Django's
    LocaleMiddleware); one too long to redirect gets a 400 page that says so, in the
    visitor's language, instead of a logged DisallowedRedirect. Placed before it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = tuple(f"/{code}/" for code, _name in settings.LANGUAGES)

    def __call__(self, request):
        path = request.get_full_path()
        # The prefixed address would add a few characters: keep a margin.
        if len(path) > MAX_URL_REDIRECT_LENGTH - 16 and not path.startswith(self.prefixes):
            language = translation.get_language_from_request(request)
            with translation.override(language):
                message = _("This address is too long: give fewer or shorter parameters.")
                return error_page(request, "400_long_url.html", 400, message)
        return self.get_response(request)


def in_admin(request):
    """/fr/admin/...: the admin (ADMIN_URL after the language prefix)."""
    return request.path.split("/", 2)[-1].startswith(settings.ADMIN_URL)


class PublicPageMiddleware:
    """A public page (outside the admin) reads from the replica when there is one, for
    GET and HEAD (config/routers.py); and on PostgreSQL its queries run under
    PUBLIC_STATEMENT_TIMEOUT_MS: past it the visitor gets a 503 page in their language
    (never a 500), and the database stops working for it. The admin and commands are
    not limited."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if in_admin(request):  # its imports and history may take longer
            return self.get_response(request)
        token = reading_public_page.set(request.method in {"GET", "HEAD"})
        try:
            return self.limited(request)
        finally:
            reading_public_page.reset(token)

    def limited(self, request):
        reads = connections[public_reads_alias()]
        if reads.vendor != "postgresql" or not settings.PUBLIC_STATEMENT_TIMEOUT_MS:
            return self.get_response(request)
        with reads.cursor() as cursor:
            cursor.execute("SET statement_timeout = %s", [settings.PUBLIC_STATEMENT_TIMEOUT_MS])
        try:
            return self.get_response(request)
        finally:
            try:
                with reads.cursor() as cursor:
                    cursor.execute("RESET statement_timeout")
            except DatabaseError:
                pass  # an aborted transaction: its rollback undoes the SET

    def process_exception(self, request, exception):
        cause = getattr(exception, "__cause__", None)
        if isinstance(exception, OperationalError) and getattr(cause, "sqlstate", "") == "57014":
            logger.warning("Statement timeout on %s", request.path)
            message = _("This request took too long and was stopped: narrow it, or try again.")
            return error_page(request, "503.html", 503, message)
        return None
