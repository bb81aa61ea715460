import re
from collections import Counter, defaultdict

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, Prefetch, Q
from django.http import QueryDict
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import DetailView

from levers.models import Lever
from territories.models import Territory

from .filters import PATHS, TYPES, CatalogueFilter, SortChoices, lookup
from .models import Film, Practice, Source, Status, Structure, Theme
from .search import normalize

PAGE_SIZE = 20
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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
        )


class PracticeDetail(PublicDetailView):
    model = Practice

    def for_detail(self, queryset):
        return queryset.select_related("territory").prefetch_related(
            "themes",
            "levers",
            "action_areas",
            Prefetch("structures", queryset=Structure.objects.published()),
            Prefetch("films", queryset=Film.objects.published()),
        )


class FilmDetail(PublicDetailView):
    model = Film

    def for_detail(self, queryset):
        return queryset.select_related("practice", "structure")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        film = self.object
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
    practices = Practice.objects.published()
    structures = Structure.objects.published()
    theme_counts = Counter(practices.values_list("themes", flat=True))
    theme_counts.update(structures.values_list("themes", flat=True))
    paths = list(practices.exclude(territory=None).values_list("territory__path", flat=True))
    paths += list(structures.exclude(territory=None).values_list("territory__path", flat=True))

    def within(territories):
        counted = ((t, sum(p.startswith(t.path) for p in paths)) for t in territories)
        return [(t, n) for t, n in counted if n]

    context = {
        "counts": {
            "practices": practices.count(),
            "structures": structures.count(),
            "films": Film.objects.published().count(),
        },
        "themes": [(t, theme_counts[t.pk]) for t in Theme.objects.all() if theme_counts[t.pk]],
        "regions": within(Territory.objects.regions()),
        "countries": within(Territory.objects.countries().exclude(code="FR")),
        "statuses": status_counts(structures),
        "levers": Lever.objects.annotate(
            n=Count("practices", filter=Q(practices__status=Status.PUBLISHED), distinct=True)
        ),
        "films": Film.objects.published().for_list()[:6],
    }
    return render(request, "catalogue/home.html", context)


def status_counts(structures):
    form_counts = Counter(structures.values_list("legal_form", flat=True))
    acc_counts = Counter(structures.values_list("accreditations__slug", flat=True))
    ptces = structures.filter(role="ptce").count()
    result = []
    for value, label in CatalogueFilter.base_filters["status"].extra["choices"]():
        kind, _sep, code = value.partition("-")
        n = ptces if value == "ptce" else (form_counts if kind == "form" else acc_counts)[code]
        if n:
            result.append((value, label, n))
    return result


def clean_params(params):
    """The query string without control characters (which no database should see)."""
    cleaned = QueryDict(mutable=True)
    for key, values in params.lists():
        cleaned.setlist(key, [_CONTROL.sub("", v) for v in values])
    return cleaned


def name_field(model):
    return "name" if model is Structure else "title"


def year_field(model):
    return {Structure: "year_founded", Practice: "year_start", Film: "year"}[model]


def search(request):
    data = clean_params(request.GET)
    lang = (get_language() or "fr")[:2]
    filtersets = {
        kind: CatalogueFilter(data, queryset=model.objects.published())
        for kind, model in TYPES.items()
    }
    form = filtersets["practice"].form
    form.is_valid()
    sort = form.cleaned_data.get("sort") or (
        SortChoices.RELEVANCE if form.cleaned_data.get("q") else SortChoices.NAME
    )

    rows = []
    for kind, filterset in filtersets.items():
        model = filterset.queryset.model
        queryset = filterset.qs
        other = "en" if lang == "fr" else "fr"
        names = [f"{name_field(model)}_{lang}", f"{name_field(model)}_{other}"]
        ranked = "rank" in queryset.query.annotations
        fields = ["pk", *names, year_field(model), *(["rank"] if ranked else [])]
        for pk, name, fallback, year, *rank in queryset.values_list(*fields):
            rows.append((kind, pk, normalize(name or fallback), year, rank[0] if rank else 0))

    if sort == SortChoices.YEAR:
        rows.sort(key=lambda r: (r[3] is None, -(r[3] or 0), r[2]))
    elif sort == SortChoices.RELEVANCE:
        rows.sort(key=lambda r: (-r[4], r[2]))
    else:
        rows.sort(key=lambda r: r[2])

    paginator = Paginator(rows, PAGE_SIZE)
    page_error = None
    raw_page = data.get("page", "1")
    try:
        page = paginator.page(raw_page)
    except PageNotAnInteger:
        page_error = _("“%(page)s” is not a page number: here is the first page.") % {
            "page": raw_page[:20]
        }
        page = paginator.page(1)
    except EmptyPage:
        page_error = _("There is no page %(page)s: here is the last page.") % {
            "page": raw_page[:20]
        }
        page = paginator.page(paginator.num_pages)

    results = load_page(page.object_list)
    query_without_page = data.copy()
    query_without_page.pop("page", None)
    context = {
        "filter": filtersets["practice"],
        "form": form,
        "page": page,
        "results": results,
        "total": paginator.count,
        "filters": filter_options(form, data, facet_counts(data, form)),
        "page_error": page_error,
        "query_string": query_without_page.urlencode(),
        "sort": sort,
        "has_filters": any(v for k, v in data.items() if k not in {"page", "sort"}),
    }
    return render(request, "catalogue/search.html", context)


def load_page(rows):
    """The full records of one page, in the page's order, in a bounded number of queries."""
    wanted = defaultdict(list)
    for kind, pk, *_rest in rows:
        wanted[kind].append(pk)
    loaded = {}
    for kind, pks in wanted.items():
        model = TYPES[kind]
        for obj in model.objects.for_list().filter(pk__in=pks):
            loaded[(kind, obj.pk)] = obj
    return [(kind, loaded[(kind, pk)]) for kind, pk, *_rest in rows if (kind, pk) in loaded]


def facet_counts(data, form):
    """For each filter choice, how many results choosing it would give.

    Each facet is counted with every other filter applied; its queries do not depend on
    how many results there are. Facets whose own filter is not set share one filterset.
    """
    cache = {}

    def filtered(facet):
        without = data.copy()
        without.pop(facet, None)
        without.pop("page", None)
        key = without.urlencode()
        if key not in cache:
            cache[key] = {
                kind: CatalogueFilter(without, queryset=model.objects.published()).qs
                for kind, model in TYPES.items()
            }
        return cache[key]

    def pairs(facet, about, tail):
        """Distinct (kind, pk, value) for each record and each value reachable from it."""
        found = set()
        for kind, queryset in filtered(facet).items():
            if facet != "type" and data.get("type") and data.get("type") != kind:
                continue
            for path in PATHS[queryset.model][about]:
                for pk, value in queryset.values_list("pk", lookup(path, tail)):
                    if value is not None and value != "":
                        found.add((kind, pk, value))
        return found

    def count(found):
        return Counter(value for _kind, _pk, value in found)

    facets = {}
    facets["type"] = {kind: queryset.count() for kind, queryset in filtered("type").items()}
    facets["theme"] = count(pairs("theme", "theme", "slug"))
    facets["lever"] = {str(k): n for k, n in count(pairs("lever", "lever", "number")).items()}
    status = Counter()
    for tail, prefix in (("legal_form", "form-"), ("accreditations__slug", "acc-")):
        for value, n in count(pairs("status", "structure", tail)).items():
            status[prefix + value] += n
    status["ptce"] = sum(1 for *_k, role in pairs("status", "structure", "role") if role == "ptce")
    facets["status"] = status
    for facet, choices in (
        ("region", form.fields["region"].queryset),
        ("country", form.fields["country"].queryset),
    ):
        found = {(kind, pk, path) for kind, pk, path in pairs(facet, "territory", "path")}
        counts = {}
        for territory in choices:
            counts[territory.slug] = len(
                {(kind, pk) for kind, pk, path in found if path.startswith(territory.path)}
            )
        facets[facet] = counts
    return facets


def filter_options(form, data, facets):
    """Each filter of the form with its choices, how many results each gives, and which
    one is chosen: what the template needs to draw the selects without logic."""
    result = []
    for name in CatalogueFilter.FACETS:
        field = form[name]
        options = []
        for value, label in field.field.choices:
            value = str(value)
            if value == "":
                options.append((value, label, None, not data.get(name)))
            else:
                count = facets[name].get(value, 0)
                options.append((value, label, count, data.get(name) == value))
        result.append({"field": field, "options": options})
    return result


def film_list(request):
    films = Film.objects.published().for_list()
    return render(request, "catalogue/film_list.html", {"films": films})


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
