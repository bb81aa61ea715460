"""The catalogue at a glance: how many practices each lever has in each region.

Counted the way the search counts its facets (catalogue/search/engine.py), in one
query for the whole table: each practice says once which levers it illustrates, then
its region tags are counted for each of them. Up to 4 × SAMPLE_SIZE practices every
one is read and the counts are exact; beyond, a fixed random sample of about
SAMPLE_SIZE is, and the counts are estimates (rounded, shown with ≈). The table is
cached until the catalogue changes."""

from dataclasses import dataclass

from django.core.cache import cache
from django.urls import reverse

from core.text import normalize
from territories.maps import shade

from .models import EntryKind, SearchEntry, TagCount
from .models.search import BUCKETS
from .search import engine, index
from .search.engine import Total, count_tags_once, vocabulary
from .search.index import has_tags


@dataclass
class Cell:
    count: int
    exact: bool
    href: str
    shade: int = 0


def lever_region_table(lang):
    """{"levers": [(number, label, url)], "rows": [(region label, url, [Cell per lever])]}."""
    key = f"essor:glance:{index.version()}:{lang}"
    table = cache.get(key)
    if table is None:
        table = build(lang)
        cache.set(key, table, timeout=24 * 3600)
    return table


def counts(levers, regions):
    """{(lever tag, region tag): Total} for the published practices, in one query."""
    practices = TagCount.objects.filter(tag=f"type:{EntryKind.PRACTICE}").values_list(
        "count", flat=True
    )
    size = practices.first() or 0
    rows = SearchEntry.objects.filter(kind=EntryKind.PRACTICE)
    scale, exact = 1, True
    if engine.is_sampled(size):
        buckets = engine.sample_buckets(size)
        rows, scale, exact = rows.filter(bucket__lt=buckets), BUCKETS / buckets, False
    filters = {f"lever{i}": has_tags([lever.tag], indexed=False) for i, lever in enumerate(levers)}
    sets = [frozenset({name}) for name in filters]
    found = count_tags_once(rows, filters, sets, {region.tag for region in regions})
    return {(levers[part].tag, tag): Total(round(n * scale), exact) for part, tag, n in found}


def build(lang):
    facets = vocabulary()
    levers = facets["lever"]
    regions = sorted(facets["region"], key=lambda c: normalize(c.label(lang)))
    counted = counts(levers, regions)
    search = reverse("catalogue:search")
    rows = []
    for region in regions:
        cells = []
        for lever in levers:
            total = counted.get((lever.tag, region.tag), Total(0))
            href = f"{search}?type=practice&lever={lever.value}&region={region.value}"
            cells.append(Cell(total.shown, total.exact, href))
        if any(c.count for c in cells):
            rows.append((region.label(lang), f"{search}?region={region.value}", cells))
    shade([cell for _label, _url, cells in rows for cell in cells])
    return {
        "levers": [
            (lever.value, lever.label(lang), reverse("levers:lever", args=[lever.value]))
            for lever in levers
        ],
        "rows": rows,
    }
