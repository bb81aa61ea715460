"""The public pages: thin views over the published records and the search layer."""

from collections import defaultdict

from csp.decorators import csp_replace
from django.conf import settings
from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.generic import DetailView

from core.models import current_language
from core.text import normalize, strip_controls
from core.views import error_page
from levers.models import ActionArea, Lever, Part
from territories.models import Kind as TerritoryKind
from territories.models import Territory

from . import glance
from . import maps as result_maps
from .models import (
    EntryKind,
    Figure,
    Film,
    FilmCredit,
    Method,
    MethodStep,
    Person,
    PersonRole,
    Practice,
    SearchEntry,
    Source,
    Status,
    Structure,
    TagCount,
    Term,
)
from .search import cards, engine, export, index
from .search.engine import MAX_RESULTS, Scope, Search
from .search.text import MAX_QUERY_LENGTH

FRANCE = "fr"  # the home page lists France's regions, and other countries apart


class PublicDetailView(DetailView):
    """A detail page: published records for everyone; staff may preview the others."""

    def get_queryset(self):
        queryset = self.model.objects.all()
        if not self.request.user.is_staff:
            queryset = queryset.published()
        return self.for_detail(queryset)

    def for_detail(self, queryset):
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["citations"] = citations_of(self.object)
        context["is_preview"] = getattr(self.object, "status", Status.PUBLISHED) != (
            Status.PUBLISHED
        )
        return context


def citations_of(obj):
    return obj.citations.select_related("source")


def public_roles():
    return PersonRole.objects.filter(person__status=Status.PUBLISHED).select_related("person")


class StructureDetail(PublicDetailView):
    model = Structure

    def for_detail(self, queryset):
        published = Practice.objects.published()
        return queryset.select_related("territory").prefetch_related(
            "themes",
            "accreditations",
            Prefetch("ptces", queryset=Structure.objects.published()),
            Prefetch("members", queryset=Structure.objects.published()),
            Prefetch("practices", queryset=published.select_related("territory")),
            Prefetch("films", queryset=Film.objects.published()),
            Prefetch("person_roles", queryset=public_roles()),
            "member_authorities",
            Prefetch("figures", queryset=Figure.objects.published()),
            Prefetch("methods", queryset=Method.objects.published()),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["terms"] = StructureTerms(self.object)
        return context


class StructureTerms:
    """The glossary terms that define a structure's legal form, accreditations and role."""

    def __init__(self, structure):
        accreditations = [a.pk for a in structure.accreditations.all()]
        wanted = Q(accreditation__in=accreditations)
        if structure.legal_form:
            wanted |= Q(legal_form=structure.legal_form)
        if structure.role:
            wanted |= Q(role=structure.role)
        terms = Term.objects.published().filter(wanted)
        terms = terms.only("slug", "name_fr", "name_en", "legal_form", "accreditation", "role")
        self.by_form, self.by_accreditation, self.by_role = {}, {}, {}
        for term in terms:
            if term.legal_form:
                self.by_form[term.legal_form] = term
            elif term.accreditation_id:
                self.by_accreditation[term.accreditation_id] = term
            elif term.role:
                self.by_role[term.role] = term
        self.legal_form = self.by_form.get(structure.legal_form)
        self.role = self.by_role.get(structure.role)
        self.accreditations = [
            (a, self.by_accreditation.get(a.pk)) for a in structure.accreditations.all()
        ]


class PracticeDetail(PublicDetailView):
    model = Practice

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # A near-duplicate merged into another practice: its address leads there.
            merged = Practice.objects.published().filter(merged__slug=kwargs["slug"]).first()
            if merged is None:
                raise
            return redirect(merged, permanent=True)

    def for_detail(self, queryset):
        return queryset.select_related("territory").prefetch_related(
            "themes",
            "levers",
            "action_areas",
            Prefetch("structures", queryset=Structure.objects.published()),
            Prefetch("films", queryset=Film.objects.published()),
            Prefetch("people", queryset=Person.objects.published()),
            Prefetch("figures", queryset=Figure.objects.published()),
            Prefetch("methods", queryset=Method.objects.published()),
            "other_territories",
        )


class TermDetail(PublicDetailView):
    model = Term

    def for_detail(self, queryset):
        return queryset.select_related("accreditation").prefetch_related(
            Prefetch("related", queryset=Term.objects.published())
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        term = self.object
        # What the term defines, as a search filter, with how many records it gives.
        facet = None
        if term.legal_form:
            facet = (f"form-{term.legal_form}", f"form:{term.legal_form}")
        elif term.accreditation_id:
            facet = (f"acc-{term.accreditation.slug}", f"accreditation:{term.accreditation_id}")
        elif term.role:
            facet = (term.role, f"role:{term.role}")
        if facet is not None:
            count = TagCount.objects.filter(tag=facet[1]).values_list("count", flat=True)
            context["defines"] = {"status": facet[0], "count": count.first() or 0}
        return context


class PersonDetail(PublicDetailView):
    model = Person

    def for_detail(self, queryset):
        roles = PersonRole.objects.select_related("structure", "territory")
        credits = FilmCredit.objects.filter(film__status=Status.PUBLISHED).select_related("film")
        return queryset.prefetch_related(
            Prefetch("roles", queryset=roles),
            Prefetch("credits", queryset=credits.order_by("film__title", "role")),
            Prefetch("practices", queryset=Practice.objects.published()),
        )


class FigureDetail(PublicDetailView):
    model = Figure

    def for_detail(self, queryset):
        return queryset.select_related("territory", "lever").prefetch_related("themes")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        figure = self.object
        for name in ("structure", "practice"):
            related = getattr(figure, name)
            context[name] = related if related is not None and related.is_public else None
        return context


class MethodDetail(PublicDetailView):
    model = Method

    def for_detail(self, queryset):
        return queryset.select_related("structure", "practice").prefetch_related(
            Prefetch("steps", queryset=MethodStep.objects.all())
        )


def figure_list(request):
    return search_page(request, "catalogue/figure_list.html", Scope(f"type:{EntryKind.FIGURE}"))


def glossary(request):
    """Every published term, A to Z in the visitor's language, with its other name."""
    lang = current_language()
    other = "en" if lang == "fr" else "fr"
    terms = Term.objects.published().only(
        "slug", "abbreviation", "name_fr", "name_en", "definition_fr", "definition_en"
    )
    letters = defaultdict(list)
    for term in sorted(terms, key=lambda t: normalize(t.name)):
        other_name = getattr(term, f"name_{other}") or ""
        letter = normalize(term.name)[:1].upper() or "#"
        shown = term.shown_language("definition")
        letters[letter if letter.isalpha() else "#"].append(
            {
                "term": term,
                "other_name": other_name if normalize(other_name) != normalize(term.name) else "",
                "definition_lang": shown if shown != lang else "",
            }
        )
    return render(
        request,
        "catalogue/glossary.html",
        {"letters": sorted(letters.items()), "other_language": other},
    )


class FilmDetail(PublicDetailView):
    model = Film

    def for_detail(self, queryset):
        return queryset.select_related("practice", "structure")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        film = self.object
        credits = defaultdict(list)
        published = film.credits.filter(person__status=Status.PUBLISHED).select_related("person")
        for credit in published.order_by("role", "person__name"):
            credits[credit.get_role_display()].append(credit.person)
        context["credits"] = list(credits.items())
        context["practice"] = film.practice if film.practice and film.practice.is_public else None
        context["structure"] = (
            film.structure if film.structure and film.structure.is_public else None
        )
        return context


class SourceDetail(DetailView):
    model = Source

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cited = defaultdict(list)
        for citation in self.object.citations.select_related("content_type"):
            cited[citation.content_type.model_class()].append(citation.object_id)
        context["sections"] = [
            (model._meta.verbose_name_plural, model.objects.published().filter(pk__in=ids))
            for model, ids in ((m, cited.get(m, [])) for m in (Practice, Structure, Film))
            if ids
        ]
        return context


def home(request):
    """Ways into the catalogue: counts by theme, region, country, status and lever.

    Every figure comes from the tag counts (a few hundred rows, whatever the size of
    the catalogue); the page is cached until what a visitor can see changes."""
    lang = current_language()
    key = f"essor:home:{lang}:{index.version()}"
    context = cache.get(key)
    if context is None:
        context = home_context(lang)
        cache.set(key, context, timeout=3600)
    return render(request, "catalogue/home.html", context)


def home_context(lang):
    facets = engine.vocabulary()
    counts = dict(TagCount.objects.values_list("tag", "count"))

    def counted(facet, exclude=()):
        found = [(c, counts.get(c.tag, 0)) for c in facets[facet] if c.value not in exclude]
        rows = [(c.value, c.label(lang), n) for c, n in found if n]
        return (
            rows if facet in {"status", "lever"} else sorted(rows, key=lambda r: normalize(r[1]))
        )

    films = SearchEntry.objects.filter(kind=EntryKind.FILM).order_by(f"sort_{lang}", "pk")
    return {
        "maps": result_maps.home_maps(facets, counts, lang),
        "counts": {kind: counts.get(f"type:{kind}", 0) for kind in EntryKind.values},
        "themes": counted("theme"),
        "regions": counted("region"),
        "countries": counted("country", exclude={FRANCE}),
        "statuses": counted("status"),
        "levers": counted("lever"),
        "films": cards.build(
            films.values_list("pk", "kind", "object_id", "tags")[:6],
            lang,
            engine.theme_labels(facets, lang),
        ),
    }


def search(request):
    return search_page(request, "catalogue/search.html")


def film_list(request):
    return search_page(request, "catalogue/film_list.html", Scope(f"type:{EntryKind.FILM}"))


def search_page(request, template, scope=None, maps=True, region=None, **context):
    """Filter, paginate, render: the search, and every page that lists records; with
    `maps`, where its results are (by region, or by department in `region` or in the
    chosen one; and by country)."""
    data = clean_params(request.GET)
    lang = current_language()
    found = Search(data, lang, scope)
    if maps:
        region = region or found.form.cleaned_data.get("region") or None
        departments = result_maps.prepare(found, region)
    paginator = found.paginator()
    raw_page = data.get("page", "1")
    notices = []
    try:
        paginator.validate_number(raw_page)
    except PageNotAnInteger:
        notices.append(
            _("“%(page)s” is not a page number: here is the first page.") % {"page": raw_page[:20]}
        )
    except EmptyPage:
        if found.total.value > MAX_RESULTS:
            notices.append(
                _(
                    "Only the first %(max)s results can be browsed: add words or filters to "
                    "see the others. Here is the last page."
                )
                % {"max": number_format(MAX_RESULTS, force_grouping=True)}
            )
        else:
            notices.append(
                _("There is no page %(page)s: here is the last page.") % {"page": raw_page[:20]}
            )
    page = paginator.get_page(raw_page)
    if found.query.shortened:
        notices.append(
            _("Your search was shortened to its first %(n)s characters.") % {"n": MAX_QUERY_LENGTH}
        )
    if found.sort_fell_back:
        notices.append(
            _(
                "Too many results to sort them by relevance: they are sorted by name. Add "
                "words or filters to rank them."
            )
        )
    context.update(
        form=found.form,
        facets=found.facet_views(),
        page=page,
        cards=cards.build(page.object_list, lang, engine.theme_labels(found.facets, lang)),
        total=found.total,
        notices=notices,
        sort=found.sort,
        has_filters=any(v for k, v in data.items() if k not in {"page", "sort"}),
        maps=result_maps.search_maps(found, request, lang, region, departments) if maps else [],
    )
    return render(request, template, context)


MAPPED_KINDS = {TerritoryKind.REGION, TerritoryKind.COUNTRY, TerritoryKind.LEGACY_REGION}


def territory_detail(request, slug):
    """A territory and everything located in it (lower levels and merged regions)."""
    territory = get_object_or_404(Territory.objects.select_related("parent"), slug=slug)
    return search_page(
        request,
        "catalogue/territory_detail.html",
        Scope(f"territory:{territory.pk}"),
        # A region's page maps its departments; France's, and a former region's, the
        # regions (a former region's records lie in the region that absorbed it).
        maps=territory.kind in MAPPED_KINDS,
        region=territory.slug if territory.kind == TerritoryKind.REGION else None,
        object=territory,
        ancestors=territory.ancestors(),
        children=territory.children.all(),
        memberships=Structure.objects.published().filter(member_authorities=territory),
    )


def lever_list(request):
    """The levers and action areas, and how many practices each lever has in each region."""
    areas = ActionArea.objects.prefetch_related("actions")
    parts = [(label, [a for a in areas if a.part == value]) for value, label in Part.choices]
    return render(
        request,
        "levers/lever_list.html",
        {
            "levers": Lever.objects.all(),
            "parts": parts,
            "glance": glance.lever_region_table(current_language()),
        },
    )


def lever_detail(request, number):
    lever = get_object_or_404(Lever.objects.prefetch_related("citations__source"), number=number)
    return search_page(
        request,
        "catalogue/lever_detail.html",
        Scope(f"lever:{lever.pk}"),
        object=lever,
        glance=glance.lever_region_table(current_language()),
    )


def action_area_detail(request, slug):
    areas = ActionArea.objects.prefetch_related("actions", "citations__source")
    area = get_object_or_404(areas, slug=slug)
    return search_page(
        request, "catalogue/actionarea_detail.html", Scope(f"area:{area.pk}"), object=area
    )


def clean_params(params):
    """The query string without control characters (which no database should see)."""
    cleaned = QueryDict(mutable=True)
    for key, values in params.lists():
        cleaned.setlist(key, [strip_controls(v) for v in values])
    return cleaned


@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
def embed(request):
    """A preset search (its filters in the address) for other sites to show in a frame:
    the one page allowed in frames; links open the full record on ESSor."""
    return search_page(request, "catalogue/embed.html", maps=False)


def search_export(request, fmt):
    """Every result of the search in the address, as CSV or JSON, streamed."""
    lang = current_language()
    found = Search(clean_params(request.GET), lang)
    rows = export.results(found, lang, request.build_absolute_uri)
    content, stream = (
        ("text/csv; charset=utf-8", export.as_csv(rows))
        if fmt == "csv"
        else ("application/json", export.as_json(rows))
    )
    response = StreamingHttpResponse(stream, content_type=content)
    name = _("essor-search") + f".{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def robots_txt(request):
    """Crawlers: every public page, but not the admin, the search results or the API."""
    admin = settings.ADMIN_URL
    lines = ["User-agent: *"]
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            search = reverse("catalogue:search")
        lines += [f"Disallow: /{code}/{admin}", f"Disallow: {search}"]
    lines.append("Disallow: /api/")
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap_index'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def page_not_found(request, exception):
    return error_page(request, "404.html", 404, _("Nothing here: see /api/v1/ for the addresses."))


def server_error(request):
    message = _("Something went wrong on our side; it has been recorded. Try again later.")
    return error_page(request, "500.html", 500, message)
