"""The catalogue at a glance: how many practices each lever has in each region.

Each lever's column is the region facet of the search of its practices (the search
layer's counts: exact up to a few thousand, estimated beyond), so one lever costs what
its page's facets cost, whatever the number of regions; the table is cached until the
catalogue changes."""

from dataclasses import dataclass

from django.core.cache import cache
from django.urls import reverse

from territories.maps import shade_of

from .models import EntryKind
from .search import index
from .search.engine import Scope, Search, vocabulary
from .search.text import normalize


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


def build(lang):
    facets = vocabulary()
    levers, regions = facets["lever"], facets["region"]
    regions = sorted(regions, key=lambda c: normalize(c.label(lang)))
    search = reverse("catalogue:search")
    columns = []
    for lever in levers:
        found = Search({"type": EntryKind.PRACTICE}, lang, Scope(lever.tag))
        columns.append(found.counts[found.facet_set("region")])
    rows = []
    for region in regions:
        cells = []
        for lever, counts in zip(levers, columns, strict=True):
            total = counts.get(region.tag)
            href = f"{search}?type=practice&lever={lever.value}&region={region.value}"
            cells.append(Cell(total.shown if total else 0, total.exact if total else True, href))
        if any(c.count for c in cells):
            rows.append((region.label(lang), f"{search}?region={region.value}", cells))
    top = max((c.count for _label, _url, cells in rows for c in cells), default=0)
    for _label, _url, cells in rows:
        for cell in cells:
            cell.shade = shade_of(cell.count, top)
    return {
        "levers": [
            (lever.value, lever.label(lang), reverse("levers:lever", args=[lever.value]))
            for lever in levers
        ],
        "rows": rows,
    }
