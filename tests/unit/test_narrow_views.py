"""The forms the public pages take on a phone (issue 13, item 5), through their data and specs:
the heatmap's countries as rows, the timeline a row a milestone, charts within their width."""

import pandas as pd

from forumdash import charts
from forumdash.ui import frame, narrow
from forumdash.ui.overview import country_rows


def _heatmap_frame() -> pd.DataFrame:
    """Three countries by three themes, as stats.country_theme_frame gives them."""
    counts = {
        ("AL", "open-data"): 2,
        ("AL", "justice"): 0,
        ("AL", "budgets"): 2,
        ("BA", "open-data"): 1,
        ("BA", "justice"): 3,
        ("BA", "budgets"): 0,
        ("ME", "open-data"): 0,
        ("ME", "justice"): 0,
        ("ME", "budgets"): 0,
    }
    names = {"AL": "Albania", "BA": "Bosnia and Herzegovina", "ME": "Montenegro"}
    themes = {"open-data": "Open data", "justice": "Justice", "budgets": "Open budgets"}
    return pd.DataFrame(
        [
            {"code": c, "country": names[c], "slug": s, "theme": themes[s], "practices": n}
            for (c, s), n in counts.items()
        ]
    )


def test_the_heatmap_on_a_phone_is_a_row_a_country_with_its_themes_most_first():
    rows = country_rows(_heatmap_frame())
    assert [(code, name) for code, name, _themes in rows] == [
        ("AL", "Albania"),
        ("BA", "Bosnia and Herzegovina"),
        ("ME", "Montenegro"),
    ]
    by_code = {code: themes for code, _name, themes in rows}
    # Ties keep the themes' order; empty cells are left out, a country without any stays.
    assert by_code["AL"] == [("open-data", "Open data", 2), ("budgets", "Open budgets", 2)]
    assert by_code["BA"] == [("justice", "Justice", 3), ("open-data", "Open data", 1)]
    assert by_code["ME"] == []


def test_the_heatmap_rows_hold_every_practice_of_the_seed(readonly_engine):
    from forumdash import stats
    from forumdash.db import read_session

    with read_session(readonly_engine) as session:
        frame = stats.country_theme_frame(session=session)
    rows = country_rows(frame)
    assert [code for code, _name, _themes in rows] == list(dict.fromkeys(frame["code"]))
    shown = {(code, slug): n for code, _name, themes in rows for slug, _theme, n in themes}
    assert shown == {(r.code, r.slug): r.practices for r in frame.itertuples() if r.practices > 0}


def _milestones() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": pd.to_datetime(["2013-07-09", "2014-04-29", "2015-09-11"]),
            "when": ["2013-07-09", "2014-04-29", "2015-09-11"],
            "title": ["Decision to join OGP", "First action plan", "Regional forum set up"],
            "scope": ["Kosovo", "Kosovo", "Regional"],
        }
    )


def test_the_narrow_timeline_is_one_chart_as_wide_as_the_screen_a_row_a_milestone():
    spec = charts.milestone_timeline_narrow_chart(_milestones()).to_dict()
    assert "hconcat" not in spec  # labels and years no longer side by side
    assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}
    labels, points = spec["layer"]
    assert labels["mark"]["type"] == "text"
    assert labels["mark"]["limit"] == {"expr": "width"}  # cut at the chart's edge, never past
    assert labels["encoding"]["y"]["field"] == points["encoding"]["y"]["field"] == "row"
    assert points["encoding"]["x"]["field"] == "date"
    (rows,) = spec["datasets"].values()
    assert [row["label"] for row in rows] == [
        "2013-07-09  Decision to join OGP",
        "2014-04-29  First action plan",
        "2015-09-11  Regional forum set up",
    ]
    # The wide form is unchanged: labels on the left, years on the right.
    assert len(charts.milestone_timeline_chart(_milestones()).to_dict()["hconcat"]) == 2


def test_long_country_names_wrap_in_the_spread_chart_but_not_on_the_event_display():
    flows = pd.DataFrame(
        {
            "from_country": ["Bosnia and Herzegovina"],
            "to_country": ["North Macedonia"],
            "practices": [1],
        }
    )
    for large, expected in (
        (False, {("Bosnia and", "Herzegovina"), ("North", "Macedonia")}),
        (True, {("Bosnia and Herzegovina",), ("North Macedonia",)}),
    ):
        spec = charts.adaptation_chart(flows, large=large).to_dict()
        texts = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
        # The country names' layers (the headers' layers show a "text" field).
        names = [layer for layer in texts if layer["encoding"]["text"]["field"] == "lines"]
        assert len(names) == 2
        lines = {
            tuple(row["lines"].split(layer["mark"]["lineBreak"]))
            for layer in names
            for row in spec["datasets"][layer["data"]["name"]]
        }
        assert lines == expected


def test_the_compare_charts_fit_the_width_they_get():
    themes = pd.DataFrame(
        {
            "code": ["AL", "RS"],
            "country": ["Albania", "Serbia"],
            "slug": ["open-data"] * 2,
            "theme": ["Open data"] * 2,
            "practices": [1, 2],
        }
    )
    spec = charts.compare_themes_chart(themes, ["AL", "RS"]).to_dict()
    assert spec["autosize"]["type"] == "fit-x"
    # Theme names take at most 42% of a narrow chart, so the legend under the bars fits.
    assert (
        "containerSize()[0] * 0.42"
        in spec["layer"][0]["encoding"]["y"]["axis"]["labelLimit"]["expr"]
    )
    stages = pd.DataFrame(
        {
            "code": ["AL"],
            "country": ["Albania"],
            "order": [0],
            "value": ["implementing"],
            "label": ["Implementing"],
            "practices": [3],
        }
    )
    spec = charts.compare_distribution_chart(stages, ["Albania"], title="Stage").to_dict()
    assert spec["autosize"]["type"] == "fit-x"


def test_the_phone_style_names_the_keys_the_views_use():
    style = frame.narrow_style()
    for token in ("FILTERS_BUTTON", "ADAPTIVE_VIEW", "WIDE_VIEW", "NARROW_VIEW", "NARROW_BELOW"):
        assert token not in style  # every placeholder filled
    below = narrow.NARROW_BELOW
    assert f'[class*="{narrow.ADAPTIVE_VIEW}"] {{ container-type: inline-size; }}' in style
    assert f'@container (width < {below}px) {{ [class*="{narrow.WIDE_VIEW}"]' in style
    assert f'@container (width >= {below}px) {{ [class*="{narrow.NARROW_VIEW}"]' in style
    shown_from = narrow.SIDEBAR_FOLDS_AT + 1
    assert f'@media (min-width: {shown_from}px) {{ [class*="{narrow.FILTERS_BUTTON}"]' in style
    assert "min-height: 24px" in style
