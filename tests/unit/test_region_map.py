"""The region's map: the vendored topology, the layout of the insets, and the chart's spec."""

import csv
import json

import pandas as pd
import pytest

from forumdash import i18n, map_cut, region_map
from forumdash.settings import ROOT

FORUM = [row["code"] for row in csv.DictReader((ROOT / "data" / "countries.csv").open())]


def _counts(metric_values: dict[str, int]) -> pd.DataFrame:
    rows = [
        {
            "code": c,
            "country": f"Name of {c}",
            "forum": True,
            "practices": metric_values.get(c, 0),
            "challenges": 1,
            "commitments": 0,
        }
        for c in FORUM
    ]
    rows += [
        {"code": c, "country": c, "forum": False, "practices": 0, "challenges": 0, "commitments": 0}
        for c in region_map.mapped_codes()
        if c not in FORUM
    ]
    return pd.DataFrame(rows, columns=region_map.COUNT_COLUMNS)


def test_the_topology_is_small_and_has_every_forum_country_once():
    assert region_map.TOPOLOGY.stat().st_size < 40_000
    codes = region_map.mapped_codes()
    assert len(codes) == len(set(codes))
    assert set(FORUM) <= set(codes)
    assert "XK" in codes and "XKX" not in codes  # joined on the forum's own code
    for geometry in region_map.topology()["objects"]["countries"]["geometries"]:
        assert set(geometry["properties"]) == {"code", "name"}


def test_far_partners_are_moved_inside_their_boxes():
    topo = region_map.laid_out()
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    by_code = {g["properties"]["code"]: g for g in topo["objects"]["countries"]["geometries"]}
    for code, west, south, east, north in region_map.INSETS:
        arcs = region_map._arcs_of(by_code[code])
        points = [
            (x * sx + tx, y * sy + ty)
            for i in arcs
            for x, y in region_map._decoded(topo["arcs"][i])
        ]
        assert all(west <= x <= east and south <= y <= north for x, y in points), code
    assert region_map.topology()["arcs"] != topo["arcs"]  # the vendored file is untouched


def test_the_map_spec_has_one_shape_per_country_selected_by_its_code():
    with i18n.language("en"):
        spec = region_map.spec(region_map.region_map(_counts({"AL": 5, "XK": 2})))
    datasets = spec["datasets"]
    (topology,) = [d for d in datasets.values() if isinstance(d, dict) and "arcs" in d]
    assert topology == region_map.laid_out()
    (lookup,) = [d for d in datasets.values() if isinstance(d, list) and d and "practices" in d[0]]
    assert {row["code"]: row["practices"] for row in lookup if row["forum"]}["XK"] == 2
    shaded = [
        layer
        for layer in spec["layer"]
        if "params" in layer or "color" in layer.get("encoding", {})
    ]
    # A click on a shape or on its label selects the country's code.
    assert [p["name"] for p in spec["params"]] == list(region_map.SELECTIONS)
    assert all(p["select"]["fields"] == ["code"] for p in spec["params"])
    assert shaded[0]["encoding"]["color"]["scale"]["scheme"] == "viridis"
    assert spec["projection"]["fit"]["geometry"]["coordinates"] == [
        list(p) for p in region_map.EXTENT
    ]
    labels = [d for d in datasets.values() if isinstance(d, list) and d and "text" in d[0]]
    assert {row["code"] for row in labels[0]} == set(FORUM)


@pytest.mark.parametrize(
    ("metric", "expected"),
    [
        ("practices", "/browse?country=XK"),
        ("challenges", "/challenges?country=XK&status=open&status=being_addressed"),
        ("commitments", "/commitments?country=XK"),
    ],
)
def test_each_country_links_to_its_list(metric, expected):
    with i18n.language("en"):
        assert region_map.url(metric, "XK") == expected
    with i18n.language("sr"):
        assert region_map.url(metric, "XK") == expected + "&lang=sr"
    page, params = region_map.link(metric, "XK")
    assert (ROOT / page).exists() and params["country"] == "XK"


def test_the_alt_text_names_every_forum_country_with_its_count():
    frame = _counts({"AL": 5})
    text = region_map.alt_text(frame, "practices")
    assert "Name of AL: 5" in text
    assert all(f"Name of {c}" in text for c in FORUM)


def test_the_locator_highlights_one_country():
    spec = region_map.spec(region_map.locator_map("ME", FORUM))
    assert 'datum.code == "ME"' in json.dumps(spec["layer"]).replace('\\"', '"')
    assert region_map.HIGHLIGHT in json.dumps(spec["layer"])


def test_the_cut_keeps_chosen_countries_their_arcs_and_the_forum_codes():
    world = {
        "transform": {"scale": [0.001, 0.001], "translate": [0, 0]},
        "objects": {
            "countries": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "properties": {"a3": "XKX"}},
                    {"type": "Polygon", "arcs": [[~1, 2]], "properties": {"a3": "SRB"}},
                    {"type": "Polygon", "arcs": [[3]], "properties": {"a3": "FRA"}},
                ],
            }
        },
        "arcs": [
            [[20000, 42000], [1000, 0]],
            [[21000, 42000], [0, 1000], [-1000, 0]],
            [[20000, 43000], [1000, -1000]],
            [[2000, 46000], [10, 10]],
        ],
    }
    cut = map_cut.cut(world)
    geometries = cut["objects"]["countries"]["geometries"]
    assert [g["properties"] for g in geometries] == [
        {"code": "RS", "name": "Serbia"},
        {"code": "XK", "name": "Kosovo"},
    ]
    assert len(cut["arcs"]) == 3  # France's arc is gone
    assert cut["transform"]["scale"] == [map_cut.GRID, map_cut.GRID]
    assert map_cut.cut(world) == cut  # the same input, the same file
