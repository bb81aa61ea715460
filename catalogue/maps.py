"""The maps of the home, search, lever and territory pages: where the results are.

Every count comes from the search layer that counts the facets (catalogue/search/
engine.py), in the same queries: a region's count is its facet count, so the map and
the filters always agree. The drawing is territories/maps.py's.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from territories.maps import draw
from territories.models import Kind, Territory

FRANCE = "fr"


def link(request, path=None, **changes):
    """The current search (at `path`, or here) with `changes` to its filters (None
    removes one), on its first page."""
    path = path or request.path
    query = request.GET.copy()
    query.pop("page", None)
    for name, value in changes.items():
        if value is None:
            query.pop(name, None)
        else:
            query[name] = value
    return f"{path}?{query.urlencode()}" if query else path


def labels(choices, lang):
    return {c.value: c.label(lang) for c in choices}


def departments_of(region_slug):
    """The departments of a region: (id, slug, French name, English name)."""
    return list(
        Territory.objects.filter(kind=Kind.DEPARTMENT, parent__slug=region_slug).values_list(
            "pk", "slug", "name_fr", "name_en"
        )
    )


def prepare(found, region_slug):
    """Before counting: a region's map shows its departments, counted with the rest."""
    departments = departments_of(region_slug) if region_slug else []
    found.also_counted |= {f"territory:{pk}" for pk, *_names in departments}
    return departments


def search_maps(found, request, lang, region_slug=None, departments=()):
    """France by region, or the departments of the chosen region; and the countries."""
    maps = []
    if region_slug:
        counts = found.counts[found.all]
        names = {slug: (en if lang == "en" and en else fr) for _pk, slug, fr, en in departments}
        tagged = {slug: counts.get(f"territory:{pk}") for pk, slug, *_names in departments}
        region = labels(found.facets["region"], lang).get(region_slug, "")
        maps.append(
            draw(
                "departments",
                {slug: (t.shown, t.exact) for slug, t in tagged.items() if t},
                names,
                lambda slug: department_link(request, slug),
                _("Results by department in %(region)s") % {"region": region},
                within=region_slug,
            )
        )
    else:
        maps.append(facet_map(found, request, lang, "region", "regions",
                              _("Results by region")))  # fmt: skip
    countries = facet_map(found, request, lang, "country", "countries",
                          _("Results by country in Europe"))  # fmt: skip
    if any(p.count for p in countries.places if p.slug != FRANCE):
        maps.append(countries)
    world = facet_map(found, request, lang, "country", "world",
                      _("Results beyond Europe"))  # fmt: skip
    if any(p.count for p in world.places):
        maps.append(world)
    return maps


def facet_map(found, request, lang, facet, layer, title):
    counts = found.counts[found.facet_set(facet)]
    choices = found.facets[facet]
    totals = {c.value: counts.get(c.tag) for c in choices}
    return draw(
        layer,
        {value: (t.shown, t.exact) for value, t in totals.items() if t},
        labels(choices, lang),
        lambda value: link(request, **{facet: value}),
        title,
    )


def department_link(request, slug):
    """A department's page: the search within it, with the other filters kept."""
    return link(request, reverse("territories:detail", args=[slug]), region=None)


def home_maps(facets, counts, lang):
    """The whole catalogue by region and by country, from the tag counts."""
    search = reverse("catalogue:search")
    maps = []
    for facet, layer, title in (
        ("region", "regions", _("The catalogue by region")),
        ("country", "countries", _("The catalogue in Europe")),
        ("country", "world", _("The catalogue beyond Europe")),
    ):
        choices = facets[facet]
        maps.append(
            draw(
                layer,
                {c.value: (counts.get(c.tag, 0), True) for c in choices if counts.get(c.tag)},
                labels(choices, lang),
                lambda value, facet=facet: f"{search}?{facet}={value}",
                title,
            )
        )
    return [m for m in maps if any(p.count for p in m.places)]
