#!/usr/bin/env python3
"""Build ``src/rcphub/maps/data/world.json`` from the npm package ``world-atlas``.

One-off, offline build step; its output is committed, so nothing here runs at
install or request time.  Usage::

    cd "$(mktemp -d)" && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/build_world_geometry.py --atlas "$PWD/package"

What it does (pure Python, standard library only):

1. decodes the TopoJSON ``countries-50m.json`` (quantized, delta-encoded arcs
   and a ``transform``);
2. keys each feature by ISO 3166-1 alpha-3, through the numeric id and
   ``refdata/data/m49/country-codes.csv``; Kosovo (no numeric code) becomes
   ``XKX``; Somaliland and Northern Cyprus are merged into Somalia and Cyprus,
   as in the UN M49 standard; overseas parts that Natural Earth folds into
   their sovereign state but that have their own ISO code (French Guiana,
   Guadeloupe, Martinique, Réunion, Mayotte, Svalbard and Jan Mayen, Bonaire
   Sint Eustatius and Saba, Tokelau, Christmas and Cocos Islands) are split
   out by location;
3. projects every arc once with the Equal Earth projection onto a
   1000-unit-wide viewBox, north up;
4. simplifies each shared arc once (Douglas-Peucker, 0.2 unit tolerance),
   so neighbouring borders stay identical, then rounds to 0.1 unit;
5. drops rings smaller than 0.1 square unit (each country keeps at least its
   largest ring) and writes SVG path data with relative coordinates;
6. for ISO codes with no polygon at 1:50m, takes a centroid point from
   ``countries-10m.json`` of the same package, if it has one.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import math
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COUNTRY_CODES = ROOT / "src/rcphub/refdata/data/m49/country-codes.csv"
OUTPUT = ROOT / "src/rcphub/maps/data/world.json"

WIDTH = 1000.0  # viewBox width
TOLERANCE = 0.2  # Douglas-Peucker tolerance, viewBox units
MIN_RING_AREA = 0.1  # square viewBox units
PAD = 2.0  # viewBox padding around the sphere outline

# Features without a numeric id, by their Natural Earth short name.
NAME_TO_ISO3 = {
    "Kosovo": "XKX",
    "Somaliland": "SOM",  # part of Somalia in UN M49
    "N. Cyprus": "CYP",  # part of Cyprus in UN M49
    "Indian Ocean Ter.": "_IOT",  # Australian; split into CXR and CCK below
}

Point = tuple[float, float]
Rule = Callable[[float, float], bool]

# Parts of a feature that carry their own ISO code, chosen by the centre of
# the bounding box of the polygon's outer ring (longitude, latitude).
SPLITS: dict[str, list[tuple[str, Rule]]] = {
    "FRA": [
        ("GUF", lambda lon, lat: -55.0 < lon < -51.0 and 1.5 < lat < 6.5),
        ("GLP", lambda lon, lat: -62.0 < lon < -60.9 and 15.7 < lat < 16.6),
        ("MTQ", lambda lon, lat: -61.3 < lon < -60.7 and 14.3 < lat < 15.0),
        ("REU", lambda lon, lat: 55.0 < lon < 56.0 and -21.6 < lat < -20.7),
        ("MYT", lambda lon, lat: 44.9 < lon < 45.4 and -13.1 < lat < -12.5),
    ],
    "NOR": [
        ("SJM", lambda lon, lat: lat > 74.0 or (lon < 0.0 and lat > 70.0)),
        ("BVT", lambda lon, lat: lat < -50.0),
    ],
    "NLD": [("BES", lambda lon, lat: lon < 0.0)],
    "NZL": [("TKL", lambda lon, lat: lon < -170.0 and lat > -10.0)],
    "_IOT": [
        ("CXR", lambda lon, lat: lon > 100.0),
        ("CCK", lambda lon, lat: lon <= 100.0),
    ],
}

# --- Equal Earth (Šavrič, Patterson & Jenny 2018) -------------------------
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3.0) / 2.0


def equal_earth(lon: float, lat: float) -> Point:
    """Equal Earth on the unit sphere; longitude and latitude in degrees."""
    lam = math.radians(lon)
    theta = math.asin(M * math.sin(math.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, y


X_MAX = equal_earth(180.0, 0.0)[0]
Y_MAX = equal_earth(0.0, 90.0)[1]
SCALE = (WIDTH - 2 * PAD) / (2 * X_MAX)
HEIGHT = 2 * Y_MAX * SCALE + 2 * PAD


def to_view(lon: float, lat: float) -> Point:
    """Longitude/latitude to viewBox units (y grows downwards, north up)."""
    x, y = equal_earth(lon, lat)
    return PAD + (x + X_MAX) * SCALE, PAD + (Y_MAX - y) * SCALE


# --- TopoJSON ---------------------------------------------------------------
def decode_arcs(topo: dict) -> list[list[Point]]:
    """Undo delta encoding and quantization: arcs as lists of (lon, lat)."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(arcs: Sequence[Sequence[Point]], indexes: Iterable[int]) -> list[Point]:
    points: list[Point] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def polygons_of(geometry: dict) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["arcs"])
    return []


def load_numeric_to_iso3() -> dict[int, str]:
    with COUNTRY_CODES.open(encoding="utf-8", newline="") as fh:
        return {
            int(row["ISO3166-1-numeric"]): row["ISO3166-1-Alpha-3"]
            for row in csv.DictReader(fh)
            if row["ISO3166-1-numeric"].strip() and row["ISO3166-1-Alpha-3"].strip()
        }


def assign(
    topo: dict, lonlat_arcs: list[list[Point]], numeric: dict[int, str]
) -> tuple[dict[str, list[list[list[int]]]], list[str]]:
    """Polygons (as arc indexes) per ISO3, and the names of features left out."""
    out: dict[str, list[list[list[int]]]] = {}
    unmapped: list[str] = []
    for geometry in topo["objects"]["countries"]["geometries"]:
        name = geometry.get("properties", {}).get("name", "?")
        raw_id = geometry.get("id")
        iso3 = None
        if raw_id is not None and str(raw_id).isdigit():
            iso3 = numeric.get(int(raw_id))
        if iso3 is None:
            iso3 = NAME_TO_ISO3.get(name)
        if iso3 is None:
            unmapped.append(f"{name} (id {raw_id})")
            continue
        for polygon in polygons_of(geometry):
            target = iso3
            rules = SPLITS.get(iso3)
            if rules:
                outer = ring_points(lonlat_arcs, polygon[0])
                lons = [p[0] for p in outer]
                lats = [p[1] for p in outer]
                lon, lat = (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2
                target = next((code for code, rule in rules if rule(lon, lat)), iso3)
            out.setdefault(target, []).append(polygon)
    leftover = [code for code in out if code.startswith("_")]
    for code in leftover:
        unmapped.append(f"{code}: {len(out.pop(code))} polygon(s) matched no split rule")
    return out, unmapped


# --- simplification and geometry ------------------------------------------
def _dist2(points: Sequence[Point], first: int, last: int, i: int) -> float:
    """Squared distance of points[i] from the chord points[first]-points[last]."""
    (ax, ay), (bx, by), (px, py) = points[first], points[last], points[i]
    dx, dy = bx - ax, by - ay
    seg2 = dx * dx + dy * dy
    if seg2 == 0.0:
        return (px - ax) ** 2 + (py - ay) ** 2
    cross = (px - ax) * dy - (py - ay) * dx
    return cross * cross / seg2


def douglas_peucker(points: list[Point], tolerance: float) -> list[Point]:
    n = len(points)
    if n <= 2:
        return list(points)
    keep = [False] * n
    keep[0] = keep[-1] = True
    tol2 = tolerance * tolerance
    stack = [(0, n - 1)]
    if points[0] == points[-1] and n >= 5:
        # A closed arc (a whole island): keep a quadrilateral however small,
        # so that small islands shrink instead of vanishing.
        ax, ay = points[0]
        far = max(
            range(1, n - 1), key=lambda i: (points[i][0] - ax) ** 2 + (points[i][1] - ay) ** 2
        )
        keep[far] = True
        stack = []
        for first, last in ((0, far), (far, n - 1)):
            if last - first > 1:
                mid = max(range(first + 1, last), key=lambda i: _dist2(points, first, last, i))
                keep[mid] = True
                stack += [(first, mid), (mid, last)]
    while stack:
        first, last = stack.pop()
        best, index = -1.0, -1
        for i in range(first + 1, last):
            d2 = _dist2(points, first, last, i)
            if d2 > best:
                best, index = d2, i
        if best > tol2:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(points, keep, strict=True) if k]


def quantize(points: list[Point]) -> list[tuple[int, int]]:
    """Round to tenths of a unit (as integers) and drop repeated points."""
    out: list[tuple[int, int]] = []
    for x, y in points:
        q = (round(x * 10), round(y * 10))
        if not out or out[-1] != q:
            out.append(q)
    return out


def ring_area_centroid(ring: Sequence[tuple[int, int]]) -> tuple[float, float, float]:
    """Signed area (square units) and centroid (units) of a closed ring in tenths."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in itertools.pairwise(ring):
        f = x0 * y1 - x1 * y0
        a += f
        cx += (x0 + x1) * f
        cy += (y0 + y1) * f
    if a == 0:
        xs = [p[0] for p in ring]
        ys = [p[1] for p in ring]
        return 0.0, sum(xs) / len(xs) / 10, sum(ys) / len(ys) / 10
    return a / 200.0, cx / (3 * a) / 10, cy / (3 * a) / 10


def fmt(n: int) -> str:
    """A length in tenths as the shortest SVG number: 12 -> 1.2, -3 -> -.3."""
    if n % 10 == 0:
        return str(n // 10)
    sign = "-" if n < 0 else ""
    whole, tenth = divmod(abs(n), 10)
    return f"{sign}{whole or ''}.{tenth}"


def join_numbers(numbers: Iterable[int]) -> str:
    out: list[str] = []
    prev = ""
    for n in numbers:
        s = fmt(n)
        if prev and not (s[0] == "-" or (s[0] == "." and "." in prev)):
            out.append(" ")
        out.append(s)
        prev = s
    return "".join(out)


def path_data(rings: Sequence[Sequence[tuple[int, int]]]) -> str:
    """SVG path: first point absolute, then relative; each ring closed with z."""
    parts: list[str] = []
    start: tuple[int, int] | None = None
    for ring in rings:
        pts = list(ring[:-1]) if ring[0] == ring[-1] else list(ring)
        x0, y0 = pts[0]
        if start is None:
            parts.append("M" + join_numbers((x0, y0)))
        else:
            parts.append("m" + join_numbers((x0 - start[0], y0 - start[1])))
        start = (x0, y0)
        deltas: list[int] = []
        px, py = x0, y0
        for x, y in pts[1:]:
            deltas += (x - px, y - py)
            px, py = x, y
        parts.append("l" + join_numbers(deltas) + "z")
    return "".join(parts)


Q = tuple[int, int]  # a point in tenths of a viewBox unit


def split_antimeridian(arc: Sequence[Point]) -> list[list[Point]]:
    """Cut an arc where it crosses the antimeridian.

    world-atlas v2 stitches polygons across the antimeridian (Russia, Fiji,
    Antarctica) for spherical use; a planar map needs them cut again.  Each
    crossing ends one segment at +-180 and starts the next at -+180.
    """
    segments: list[list[Point]] = [[arc[0]]]
    for p, q in itertools.pairwise(arc):
        if abs(q[0] - p[0]) <= 180.0:
            segments[-1].append(q)
            continue
        edge = 180.0 if p[0] > 0 else -180.0
        q_lon = q[0] + (360.0 if p[0] > 0 else -360.0)
        t = (edge - p[0]) / (q_lon - p[0]) if q_lon != p[0] else 0.0
        cut = p[1] + t * (q[1] - p[1])
        if segments[-1][-1] != (edge, cut):
            segments[-1].append((edge, cut))
        segments.append([(-edge, cut)])
        if q != (-edge, cut):
            segments[-1].append(q)
    return segments


# The map's east and west edges (lon +-180), densely sampled, north to south.
EDGES = {
    side: [
        (round(x * 10), round(y * 10))
        for x, y in (to_view(side * 180.0, lat / 4) for lat in range(360, -361, -1))
    ]
    for side in (1, -1)
}


def along_edge(side: int, y_from: int, y_to: int) -> list[Q]:
    """Points of one map edge strictly between two heights, in walking order."""
    lo, hi = min(y_from, y_to), max(y_from, y_to)
    pts = [p for p in EDGES[side] if lo < p[1] < hi]
    return pts if y_from < y_to else pts[::-1]


def close_rings(
    arc_indexes: Sequence[int], view_arcs: list[list[list[Q]]]
) -> tuple[list[list[Q]], bool]:
    """A ring's points, cut at the antimeridian into closed rings if it crossed it.

    Also says whether the ring went round a pole (Antarctica's coast: one
    crossing); such a ring is closed along the map's edges and its flat pole.
    """
    pieces: list[list[Q]] = [[]]
    for i in arc_indexes:
        segments = view_arcs[i] if i >= 0 else [seg[::-1] for seg in view_arcs[~i][::-1]]
        for k, seg in enumerate(segments):
            if k:
                pieces.append([])
            piece = pieces[-1]
            piece.extend(seg if not piece else seg[1:])
    if len(pieces) == 1:
        return pieces, False
    first = pieces.pop(0)
    pieces[-1].extend(first[1:])
    centre_x = (EDGES[1][0][0] + EDGES[-1][0][0]) // 2
    centre_y = (EDGES[1][0][1] + EDGES[1][-1][1]) // 2
    rings = []
    round_pole = False
    for piece in pieces:
        (xs, ys), (xe, ye) = piece[0], piece[-1]
        start_side = 1 if xs > centre_x else -1
        end_side = 1 if xe > centre_x else -1
        if start_side == end_side:
            rings.append([*piece, *along_edge(start_side, ye, ys), piece[0]])
            continue
        round_pole = True
        pole = -1 if sum(y for _, y in piece) / len(piece) > centre_y else 0  # south, north
        end_pole, start_pole = EDGES[end_side][pole], EDGES[start_side][pole]
        rings.append(
            [
                *piece,
                *along_edge(end_side, ye, end_pole[1]),
                end_pole,
                start_pole,
                *along_edge(start_side, start_pole[1], ys),
                piece[0],
            ]
        )
    return rings, round_pole


def build_country(polygons: list[list[list[int]]], view_arcs: list[list[list[Q]]]) -> dict | None:
    """Path, centroid of the largest part and total area for one country."""
    parts: list[tuple[float, list[list[Q]], tuple[float, float]]] = []
    fallback = None
    for polygon in polygons:
        outers = []
        holes: list[list[Q]] = []
        candidates = [close_rings(polygon[0], view_arcs)[0]]
        for arc_indexes in polygon[1:]:
            rings, round_pole = close_rings(arc_indexes, view_arcs)
            # A ring round the pole is land on the planar map even where the
            # spherical topology calls it a hole (Antarctica's coast).
            if round_pole:
                candidates.append(rings)
            else:
                holes.extend(rings)
        for ring in (r for rings in candidates for r in rings):
            if len(ring) < 4:
                continue
            area, cx, cy = ring_area_centroid(ring)
            if fallback is None or abs(area) > fallback[0]:
                fallback = (abs(area), [ring], (cx, cy))
            if abs(area) >= MIN_RING_AREA:
                outers.append([abs(area), [ring], (cx, cy)])
        if not outers:
            continue
        largest = max(outers, key=lambda o: o[0])
        for hole in holes:
            hole_area = abs(ring_area_centroid(hole)[0]) if len(hole) >= 4 else 0.0
            if hole_area >= MIN_RING_AREA:
                largest[1].append(hole)
                largest[0] -= hole_area
        parts.extend((a, rings, c) for a, rings, c in outers)
    if not parts and fallback is not None:
        parts = [fallback]
    if not parts:
        return None
    biggest = max(parts, key=lambda k: k[0])
    all_rings = [ring for _, rings, _ in parts for ring in rings]
    return {
        "bottom": max(y for ring in all_rings for _, y in ring) / 10,
        "d": path_data(all_rings),
        "centroid": [round(biggest[2][0], 1), round(biggest[2][1], 1)],
        "area": round(sum(k[0] for k in parts), 1),
    }


def largest_ring_centroid(polygons: list[list[list[int]]], arcs: list[list[Point]]) -> Point:
    """Projected centroid (viewBox units) of the largest outer ring."""
    best: tuple[float, Point] | None = None
    for polygon in polygons:
        pts = [to_view(lon, lat) for lon, lat in ring_points(arcs, polygon[0])]
        ring = [(round(x * 10), round(y * 10)) for x, y in pts]
        area, cx, cy = ring_area_centroid(ring)
        if best is None or abs(area) > best[0]:
            best = (abs(area), (cx, cy))
    assert best is not None
    return best[1]


def outline_path() -> str:
    """The sphere's outline (edge of the map) as a closed path."""
    east = [to_view(180.0, lat) for lat in range(-90, 91)]
    west = [to_view(-180.0, lat) for lat in range(90, -91, -1)]
    ring = quantize(douglas_peucker(east + west + [east[0]], TOLERANCE))
    return path_data([ring])


def dump(doc: dict) -> str:
    """Deterministic JSON, one country per line so that diffs stay readable."""

    def compact(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    lines = ["{"]
    for key, value in doc.items():
        if key in ("countries", "points"):
            lines.append(f"{compact(key)}:{{")
            items = sorted(value.items())
            for n, (iso3, entry) in enumerate(items):
                comma = "," if n < len(items) - 1 else ""
                lines.append(f"{compact(iso3)}:{compact(entry)}{comma}")
            lines.append("},")
        else:
            lines.append(f"{compact(key)}:{compact(value)},")
    lines[-1] = lines[-1].rstrip(",")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--atlas", type=Path, required=True, help="unpacked world-atlas package directory"
    )
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)

    package = json.loads((args.atlas / "package.json").read_text(encoding="utf-8"))
    numeric = load_numeric_to_iso3()
    known_iso3 = set(numeric.values())

    topo = json.loads((args.atlas / "countries-50m.json").read_text(encoding="utf-8"))
    lonlat_arcs = decode_arcs(topo)
    assigned, unmapped = assign(topo, lonlat_arcs, numeric)

    view_arcs = [
        [
            quantize(douglas_peucker([to_view(lon, lat) for lon, lat in segment], TOLERANCE))
            for segment in split_antimeridian(arc)
        ]
        for arc in lonlat_arcs
    ]
    countries = {}
    vanished: list[str] = []  # smaller than the rounding step: kept as points
    for iso3, polygons in assigned.items():
        entry = build_country(polygons, view_arcs)
        if entry is None:
            vanished.append(iso3)
        else:
            countries[iso3] = entry

    crop = math.ceil(to_view(0.0, -60.0)[1] + PAD)
    for iso3, entry in countries.items():
        bottom = entry.pop("bottom")
        if iso3 != "ATA" and bottom > crop:
            print(f"warning: {iso3} reaches below the cropped viewBox", file=sys.stderr)

    # Points for codes with no polygon at 1:50m, from the 1:10m file.
    points = {}
    missing = sorted(known_iso3 - countries.keys())
    if missing:
        topo10 = json.loads((args.atlas / "countries-10m.json").read_text(encoding="utf-8"))
        arcs10 = decode_arcs(topo10)
        assigned10, _ = assign(topo10, arcs10, numeric)
        for iso3 in missing:
            if iso3 in assigned10:
                x, y = largest_ring_centroid(assigned10[iso3], arcs10)
                points[iso3] = [round(x, 1), round(y, 1)]

    doc = {
        "viewBox": f"0 0 {WIDTH:g} {math.ceil(HEIGHT):g}",
        # Cropped at 60°S (the Antarctic Treaty limit): every other state fits.
        "viewBoxWithoutAntarctica": f"0 0 {WIDTH:g} {crop}",
        "projection": {
            "name": "Equal Earth",
            "scale": round(SCALE, 6),
            "centre": [round(PAD + X_MAX * SCALE, 6), round(PAD + Y_MAX * SCALE, 6)],
        },
        "source": {
            "package": f"{package['name']}@{package['version']}",
            "file": "countries-50m.json (points: countries-10m.json)",
            "data": "Natural Earth 1:50m Cultural Vectors, Admin 0 - Countries",
        },
        "licence": (
            "Natural Earth data: public domain. world-atlas packaging: ISC licence, "
            "Copyright 2013-2019 Michael Bostock."
        ),
        "outline": outline_path(),
        "countries": countries,
        "points": points,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(dump(doc), encoding="utf-8")

    size = args.output.stat().st_size
    print(f"wrote {args.output} ({size:,} bytes)", file=sys.stderr)
    print(f"countries with geometry: {len(countries)}", file=sys.stderr)
    print(f"too small to draw at 1:50m: {', '.join(sorted(vanished)) or '-'}", file=sys.stderr)
    print(f"points only (from 1:10m): {', '.join(sorted(points)) or '-'}", file=sys.stderr)
    print(f"left out: {'; '.join(unmapped) or '-'}", file=sys.stderr)
    absent = sorted(known_iso3 - countries.keys() - points.keys())
    print(
        f"country-codes.csv ISO3 with no geometry or point: {', '.join(absent) or '-'}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
