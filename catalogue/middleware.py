"""Public pages, kept in the cache for visitors who are not signed in.

A page is stored under the search index's version (catalogue/search/index.py), which
changes whenever anything a visitor can see changes (a publication, an edit, a
vocabulary change): a cached page is never out of date, and nothing is purged by hand.
Only anonymous GET and HEAD requests outside the admin and the API, and only complete 200 answers
that set no cookie, are stored.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from core.middleware import in_admin
from core.views import is_api

from .search import index

# What views and inner middleware say to the outer ones (a page allowed in frames).
STORED_ATTRIBUTES = ("_csp_replace", "_csp_update", "xframe_options_exempt")


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def cacheable(self, request):
        return (
            settings.PUBLIC_PAGE_CACHE_SECONDS
            and request.method in {"GET", "HEAD"}
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "messages" not in request.COOKIES
            and not in_admin(request)
            # The API answers each request itself: its rate limit counts every one.
            and not is_api(request)
        )

    def __call__(self, request):
        if not self.cacheable(request):
            return self.get_response(request)
        path = request.get_full_path().encode("utf-8", "surrogateescape")
        key = f"essor:page:{index.version()}:{hashlib.sha256(path).hexdigest()}"
        stored = cache.get(key)
        if stored is not None:
            status, headers, attributes, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            for name, value in attributes.items():
                setattr(response, name, value)
            return response
        response = self.get_response(request)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "no-store" not in response.get("Cache-Control", "")
        ):
            attributes = {
                name: getattr(response, name)
                for name in STORED_ATTRIBUTES
                if hasattr(response, name)
            }
            stored = (response.status_code, list(response.items()), attributes, response.content)
            cache.set(key, stored, settings.PUBLIC_PAGE_CACHE_SECONDS)
        return response
