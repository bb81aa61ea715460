"""The public API: read-only JSON over the published catalogue (README, "Reuse the data").

Lists of records go through the public search (catalogue/search/engine.py): the same
filters, results and facet counts as the search page, paged with a cursor. Details
give every public field in both languages. Every answer carries an ETag and a
Last-Modified from the catalogue version (a conditional GET costs no query), may be
kept by public caches for API_CACHE_SECONDS, is open to other sites (CORS, GET only)
and counts against its client's rate (HTTP 429 with Retry-After past it). Errors are
JSON with a message in the client's language (Accept-Language).
"""

import base64
import binascii
import hashlib
import json

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import condition
from rest_framework import viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from catalogue.models import (
    Figure,
    Film,
    FilmCredit,
    Method,
    Person,
    PersonRole,
    Practice,
    Source,
    Structure,
    Term,
    Theme,
)
from catalogue.search import cards, index
from catalogue.search.engine import FACETS, Scope, Search, SortChoices
from catalogue.search.text import MAX_QUERY_LENGTH
from catalogue.views import clean_params
from config.proxy import client_ip
from core.models import current_language
from levers.models import ActionArea, Lever
from territories.models import Territory

from . import schema
from .serializers import ENDPOINTS, SERIALIZERS, in_languages

DEFAULT_LIMIT = 20
MAX_LIMIT = schema.MAX_LIMIT
# The record kinds that are search entries: their lists are searches.
ENTRY_MODELS = {kind: model for kind, (model, _columns) in cards.COLUMNS.items()}


# --- what every answer shares --------------------------------------------------------


class ClientRateThrottle(SimpleRateThrottle):
    """API_RATE requests per client address (the front server's, behind a proxy)."""

    scope = "api"

    def get_rate(self):
        return settings.API_RATE

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}


def etag(request, *args, **kwargs):
    """The same address, language and catalogue version: the same answer."""
    seen = f"{index.version()}|{translation.get_language()}|{request.build_absolute_uri()}"
    return hashlib.sha256(seen.encode("utf-8", "surrogateescape")).hexdigest()[:40]


def last_modified(request, *args, **kwargs):
    return index.changed_at(index.version())


def licence():
    return dict(settings.DATA_LICENCE)


class PublicAPIMixin:
    """Conditional GET, public caching and the licence, on every answer of the API."""

    throttle_classes = [ClientRateThrottle]

    @method_decorator(condition(etag_func=etag, last_modified_func=last_modified))
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=settings.API_CACHE_SECONDS)
        else:
            patch_cache_control(response, no_cache=True)
        response["Link"] = f'<{settings.DATA_LICENCE["path"]}>; rel="license"'
        return response


def refuse(message, errors=None):
    """A 400 with a message, and what is wrong with each parameter."""
    raise ValidationError({"detail": message, "errors": errors or {}})


# --- lists: the search --------------------------------------------------------------


def encode_cursor(sort, position):
    raw = json.dumps([sort, position], separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor):
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        sort, position = json.loads(raw)
    except (binascii.Error, ValueError, TypeError):
        return None, None
    return sort, position


class SearchList(PublicAPIMixin, APIView):
    """Records matching the search's filters, with the facet counts, by cursor."""

    kind = None  # one kind of record, or every kind (the search endpoint)
    operation_id = "search"
    schema = schema.SearchSchema()

    @classmethod
    def parameters(cls):
        names = ["q", *(f for f in FACETS if not (cls.kind and f == "type"))]
        return [*names, "sort", "lang", "cursor", "limit"]

    def get(self, request):
        params = request.query_params
        unknown = sorted(set(params) - set(self.parameters()))
        if unknown:
            refuse(
                _("Unknown parameter: %(names)s. This address takes: %(allowed)s.")
                % {"names": ", ".join(unknown), "allowed": ", ".join(self.parameters())}
            )
        repeated = sorted(name for name in params if len(params.getlist(name)) > 1)
        if repeated:
            refuse(_("Give each parameter once: %(names)s.") % {"names": ", ".join(repeated)})
        data = clean_params(params).dict()
        lang = data.pop("lang", None) or current_language()
        if lang not in dict(settings.LANGUAGES):
            refuse(_("The language must be “fr” or “en”."), {"lang": [_("Not a language.")]})
        if len(data.get("q", "")) > MAX_QUERY_LENGTH:
            refuse(
                _("The words to look for must be at most %(n)s characters long.")
                % {"n": MAX_QUERY_LENGTH}
            )
        limit = self.limit(data.pop("limit", None))
        cursor = data.pop("cursor", None)
        scope = Scope(f"type:{self.kind}") if self.kind else None
        found = Search(data, lang, scope)
        if found.form.errors:
            refuse(
                _("Some filters have a value this search does not know."),
                {name: [str(e) for e in errs] for name, errs in found.form.errors.items()},
            )
        position = None
        if cursor:
            sort, position = decode_cursor(cursor)
            if sort != found.sort or not found.is_position(position):
                refuse(
                    _("This cursor does not belong to this search: start again without it."),
                    {"cursor": [_("Not a cursor of this search.")]},
                )
        rows, last = found.rows_after(position, limit)
        next_url = None
        if len(rows) == limit and not self.at_end(found, last):
            query = request.GET.copy()
            query["cursor"] = encode_cursor(found.sort, last)
            query["lang"] = lang  # the position is in this language's name order
            next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        return Response(
            {
                "count": found.total.shown,
                "count_exact": found.total.exact,
                "sort": found.sort,
                "licence": licence(),
                "next": next_url,
                "facets": self.facets(found),
                "results": self.results(rows, found, request),
            }
        )

    def limit(self, raw):
        if raw is None:
            return DEFAULT_LIMIT
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
            refuse(
                _("The limit must be a whole number from 1 to %(max)s.") % {"max": MAX_LIMIT},
                {"limit": [_("Not a number from 1 to %(max)s.") % {"max": MAX_LIMIT}]},
            )
        return int(raw)

    @staticmethod
    def at_end(found, last):
        """Relevance pages by offset: its last page ends at the (exact) total."""
        return found.sort == SortChoices.RELEVANCE and last[0] >= found.total.value

    def facets(self, found):
        """Each facet's choices that give results (or are chosen), with their counts."""
        return {
            facet: [
                {
                    "value": choice.value,
                    "label": in_languages(lambda c=choice: c.label(current_language())),
                    "count": count.shown,
                    "exact": count.exact,
                    "selected": selected,
                }
                for choice, count, selected in found.facet_choices(facet)
            ]
            for facet in FACETS
            if not (self.kind and facet == "type")
        }

    def results(self, rows, found, request):
        """Each row's record in brief, in both languages (one query for the page)."""
        themes = {c.tag: c.value for c in found.facets["theme"]}
        records = cards.fetch(rows)
        results = []
        for _entry, kind, object_id, tags in rows:
            row = records.get((kind, object_id))
            if row is None:  # deleted since the entry was read
                continue
            model = ENTRY_MODELS[kind]
            key = row["c_slug"]
            urls = in_languages(
                lambda k=key, kind=kind: request.build_absolute_uri(
                    reverse(cards.URL_NAMES[kind], args=[k])
                )
            )
            endpoint, _name, lookup = ENDPOINTS[model]
            results.append(
                {
                    "type": kind,
                    "key": key,
                    "name": {code: row[f"c_title_{code}"] or None for code in ("fr", "en")},
                    "place": {code: row[f"c_place_{code}"] or None for code in ("fr", "en")},
                    "themes": sorted(themes[t] for t in tags.split() if t in themes),
                    "url": urls,
                    "api_url": request.build_absolute_uri(
                        reverse(f"api:{endpoint}-detail", kwargs={lookup: key})
                    ),
                }
            )
        return results


def search_list(kind):
    model = ENTRY_MODELS[kind]
    attributes = {"kind": kind, "operation_id": f"{ENDPOINTS[model][0]}_list"}
    return type(f"{model.__name__}Search", (SearchList,), attributes)


# --- lists that are not searches, and details -------------------------------------


def only_public(name, model):
    """Prefetch the relation `name`'s published records only."""
    return Prefetch(name, queryset=model.objects.published())


# What each detail reads with its record, in a fixed number of queries.
RELATED = {
    Practice: (
        ["territory"],
        ["themes", "levers", "action_areas", "other_territories",
         only_public("structures", Structure), only_public("films", Film),
         only_public("people", Person), only_public("figures", Figure),
         only_public("methods", Method)],
    ),
    Structure: (
        ["territory"],
        ["themes", "accreditations", "member_authorities", only_public("ptces", Structure),
         only_public("members", Structure), only_public("practices", Practice),
         only_public("films", Film), only_public("figures", Figure),
         only_public("methods", Method),
         Prefetch("person_roles", queryset=PersonRole.objects.select_related(
             "person", "structure", "territory"))],
    ),
    Film: (
        ["territory", "practice", "structure"],
        [Prefetch("credits", queryset=FilmCredit.objects.select_related("film", "person"))],
    ),
    Person: (
        [],
        [Prefetch("roles", queryset=PersonRole.objects.select_related(
            "person", "structure", "territory")),
         Prefetch("credits", queryset=FilmCredit.objects.select_related("film", "person")),
         only_public("practices", Practice)],
    ),
    Term: (["accreditation"], [only_public("related", Term)]),
    Figure: (["territory", "structure", "practice", "lever"], ["themes"]),
    Method: (["structure", "practice"], ["steps"]),
    Lever: ([], []),
    ActionArea: ([], ["actions"]),
    Territory: (["parent"], ["children"]),
    Theme: ([], []),
    Source: ([], []),
}  # fmt: skip


class KeyCursor(CursorPagination):
    page_size = 50
    page_size_query_param = "limit"
    max_page_size = MAX_LIMIT
    ordering = "slug"


class RecordViews(PublicAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Published records of one kind, with their public relations; listed by key."""

    model = None
    pagination_class = KeyCursor
    schema = schema.PublicSchema()

    def get_serializer_class(self):
        return SERIALIZERS[self.model]

    def get_queryset(self):
        queryset = self.model.objects.all()
        if hasattr(queryset, "published"):  # a record (places and vocabulary are public)
            queryset = queryset.published()
        select, prefetch = RELATED[self.model]
        if hasattr(self.model, "citations"):
            prefetch = [*prefetch, "citations__source"]
        return queryset.select_related(*select).prefetch_related(*prefetch)

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            raise NotFound(
                _("No published %(kind)s has this key.") % {"kind": self.model._meta.verbose_name}
            ) from None


def record_views(model):
    _endpoint, _name, lookup = ENDPOINTS[model]
    return type(f"{model.__name__}Views", (RecordViews,), {"model": model, "lookup_field": lookup})


class Root(PublicAPIMixin, APIView):
    """Where everything is: the endpoints, the schema, the licence."""

    schema = None  # not an operation of the API itself

    def get(self, request):
        def url(name):
            return request.build_absolute_uri(reverse(name))

        endpoints = {"search": url("api:search")}
        for _model, (endpoint, _name, _lookup) in ENDPOINTS.items():
            if endpoint:
                endpoints[endpoint] = url(f"api:{endpoint}-list")
        return Response(
            {
                "name": "ESSor",
                "description": _(
                    "The catalogue of the social and solidarity economy, in French and "
                    "English: read-only, published records only."
                ),
                "licence": licence(),
                "schema": url("api:schema"),
                "documentation": url("api:docs"),
                "open_data": request.build_absolute_uri(settings.MEDIA_URL + "open-data/"),
                "endpoints": endpoints,
            }
        )
