"""Every chart says in words what it shows, carries its numbers as a table, and draws in the
palette's colours with the contrast they need (checked with WCAG's formula on the specs)."""

import math
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine

from forumdash import charts, compare, i18n, palette, stats
from forumdash.db import make_engine, read_session
from forumdash.ui import charts as chart_ui

CODES = ["AL", "RS", "XK"]
COMPARED = ["Albania", "Serbia", "Kosovo"]
# Streamlit 1.67's orange badge (":orange-badge[...]", the compare page's open challenges): its
# text colour, read from the page in Chromium (rgb(155, 69, 25)).
ORANGE_BADGE = "#9b4519"


# --------------------------------------------------------------------------- WCAG, independently


def _wcag_luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def wcag_contrast(a: str, b: str) -> float:
    """WCAG 2.x contrast ratio, written out here rather than taken from the palette module."""
    high, low = sorted((_wcag_luminance(a), _wcag_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def blend(colour: str, opacity: float, background: str = "#ffffff") -> str:
    """The colour a mark of this opacity shows over the background."""
    front = [int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)]
    back = [int(background.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)]
    mixed = (round(f * opacity + b * (1 - opacity)) for f, b in zip(front, back, strict=True))
    return "#" + "".join(f"{c:02x}" for c in mixed)


def _lab(colour: str) -> tuple[float, float, float]:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(colour.lstrip("#")[i : i + 2], 16) / 255) for i in (0, 2, 4))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def delta_e(a: str, b: str) -> float:
    """CIE76 colour difference: about 2 is just noticeable, over 20 clearly another colour."""
    return math.dist(_lab(a), _lab(b))


def test_the_contrast_formula_agrees_with_known_values():
    assert wcag_contrast("#000000", "#ffffff") == pytest.approx(21)
    assert wcag_contrast("#767c83", "#ffffff") == pytest.approx(4.21, abs=0.01)  # st.caption
    for a, b in [("#0072B2", "#ffffff"), ("#1b2430", "#f2f4f7"), ("#21918c", "#000000")]:
        assert palette.contrast(a, b) == pytest.approx(wcag_contrast(a, b), rel=1e-3)


# --------------------------------------------------------------------------- every chart


@pytest.fixture(scope="module")
def seed(templates, tmp_path_factory) -> Iterator[Engine]:
    """The seed on SQLite only: the charts are the same whatever the database (the aggregates
    they draw are tested on both in test_overview_charts and test_compare)."""
    url, drop = templates.clone("sqlite", True, tmp_path_factory.mktemp("charts"))
    engine = make_engine(url)
    yield engine
    engine.dispose()
    drop()


@pytest.fixture(scope="module")
def built(seed) -> dict[str, tuple[dict, pd.DataFrame]]:
    """Every chart builder's specification on the seed, with the frame it was built from."""
    with read_session(seed) as session:
        frames = {
            "heatmap": stats.country_theme_frame(session=session),
            "stage": stats.practices_by_stage_frame(session=session),
            "year": stats.practices_by_year_frame(session=session),
            "challenges": stats.open_challenges_by_theme_frame(session=session),
            "spread": stats.adaptation_flows_frame(session=session),
            "timeline": stats.milestone_frame(session=session, country="XK"),
        }
        data = compare.country_comparison(session, CODES)
    pairs = pd.DataFrame(
        {
            "from_code": ["AL", "AL", "none"],
            "from_country": ["Albania", "Albania", "Not said"],
            "to_code": ["RS", "XK", "RS"],
            "to_country": ["Serbia", "Kosovo", "Serbia"],
            "requests": [3, 1, 2],
        }
    )
    months = pd.DataFrame({"period": ["2026-10-01", "2026-11-01"], "requests": [4, 2]})
    builders: dict[str, tuple[Callable[[], Any], pd.DataFrame]] = {
        "heatmap": (lambda: charts.country_theme_heatmap(frames["heatmap"]), frames["heatmap"]),
        "heatmap_large": (
            lambda: charts.country_theme_heatmap(frames["heatmap"], large=True),
            frames["heatmap"],
        ),
        "stage": (lambda: charts.practices_by_stage_chart(frames["stage"]), frames["stage"]),
        "year": (lambda: charts.practices_by_year_chart(frames["year"]), frames["year"]),
        "challenges": (
            lambda: charts.open_challenges_by_theme_chart(frames["challenges"]),
            frames["challenges"],
        ),
        "spread": (lambda: charts.adaptation_chart(frames["spread"]), frames["spread"]),
        "spread_none": (
            lambda: charts.adaptation_chart(frames["spread"].iloc[0:0]),
            frames["spread"].iloc[0:0],
        ),
        "timeline": (
            lambda: charts.milestone_timeline_chart(frames["timeline"]),
            frames["timeline"],
        ),
        "timeline_narrow": (
            lambda: charts.milestone_timeline_narrow_chart(frames["timeline"]),
            frames["timeline"],
        ),
        "compare_themes": (lambda: charts.compare_themes_chart(data.themes, CODES), data.themes),
        "compare_stages": (
            lambda: charts.compare_distribution_chart(data.stages, COMPARED, title="Stage"),
            data.stages,
        ),
        "compare_completion": (
            lambda: charts.compare_distribution_chart(
                data.completion, COMPARED, title="Completion"
            ),
            data.completion,
        ),
        "compare_results": (
            lambda: charts.compare_distribution_chart(
                data.early_results, COMPARED, title="Early results"
            ),
            data.early_results,
        ),
        "exchange_heatmap": (lambda: charts.exchange_heatmap(pairs), pairs),
        "requests_monthly": (lambda: charts.requests_over_time_chart(months), months),
        "requests_weekly": (
            lambda: charts.requests_over_time_chart(months, weekly=True),
            months,
        ),
    }
    with i18n.language("en"):
        return {name: (make().to_dict(), frame) for name, (make, frame) in builders.items()}


# The value column each chart counts, and its total in the chart's table.
VALUES = {
    "heatmap": "practices",
    "heatmap_large": "practices",
    "stage": "practices",
    "year": "practices",
    "challenges": "challenges",
    "spread": "practices",
    "spread_none": "practices",
    "compare_themes": "practices",
    "compare_stages": "practices",
    "compare_completion": "practices",
    "compare_results": "practices",
    "exchange_heatmap": "requests",
    "requests_monthly": "requests",
    "requests_weekly": "requests",
}


def test_every_chart_builder_is_covered(built):
    """A new builder in forumdash.charts has to join this file's list."""
    names = {
        name
        for name, value in vars(charts).items()
        if callable(value)
        and getattr(value, "__module__", "") == charts.__name__
        and (name.endswith("_chart") or name.endswith("heatmap"))
        and not name.startswith("_")
    }
    assert names == {
        "country_theme_heatmap",
        "practices_by_stage_chart",
        "practices_by_year_chart",
        "open_challenges_by_theme_chart",
        "adaptation_chart",
        "milestone_timeline_chart",
        "milestone_timeline_narrow_chart",
        "compare_themes_chart",
        "compare_distribution_chart",
        "exchange_heatmap",
        "requests_over_time_chart",
    }


@pytest.mark.parametrize("name", sorted(VALUES) + ["timeline", "timeline_narrow"])
def test_every_chart_says_what_it_shows(built, name):
    spec, _frame = built[name]
    description = spec["description"]
    assert isinstance(description, str) and len(description) >= 40
    assert "{" not in description and "}" not in description  # every placeholder filled
    assert description.endswith(".")
    # Streamlit gets it as the chart's alt, and the screen's spec no longer carries it twice.
    prepared = chart_ui.prepare(spec)
    assert prepared.alt == description
    assert "description" not in prepared.screen
    assert charts.table_of(prepared.screen) is None and prepared.table == charts.table_of(spec)


@pytest.mark.parametrize("name", sorted(VALUES) + ["timeline", "timeline_narrow"])
def test_every_chart_carries_its_numbers_as_a_table(built, name):
    spec, frame = built[name]
    table = charts.table_of(spec)
    assert table is not None
    columns = table["columns"]
    assert columns and all(c["kind"] in ("text", "number", "link") for c in columns)
    titles = [c["title"] for c in columns]
    assert all(isinstance(t, str) and t for t in titles)
    for row in table["rows"]:
        assert len(row) == len(columns)
        for cell, column in zip(row, columns, strict=True):
            if column["kind"] == "number":
                assert isinstance(cell, int) and cell >= 0
            elif column["kind"] == "link":
                assert cell.startswith("/") and table["link_text"]
    if name in VALUES:
        numbers = [
            cell
            for row in table["rows"]
            for cell, column in zip(row, columns, strict=True)
            if column["kind"] == "number"
        ]
        assert sum(numbers) == int(frame[VALUES[name]].sum())
    else:  # a timeline: a row a milestone, in order
        assert [row[1] for row in table["rows"]] == list(frame["title"])
    # The DataFrame "Show as table" lists: the same rows, the columns by their titles.
    shown = chart_ui.table_frame(table)
    assert list(shown.columns) == titles and len(shown) == len(table["rows"])


def test_the_tables_read_like_the_charts(built):
    stage, frame = built["stage"]
    table = charts.table_of(stage)
    assert [c["title"] for c in table["columns"]] == ["Stage", "Published practices", "List"]
    assert [row[:2] for row in table["rows"]] == [
        [label, n] for label, n in zip(frame["label"], frame["practices"], strict=True)
    ]
    assert table["rows"][0][2] == "/browse?stage=identifying_problems"  # as the bar links
    assert table["title"] == "Published practices by stage"
    heatmap, frame = built["heatmap"]
    grid = charts.table_of(heatmap)
    assert [c["title"] for c in grid["columns"]] == ["Theme", *dict.fromkeys(frame["country"])]
    assert [row[0] for row in grid["rows"]] == list(dict.fromkeys(frame["theme"]))
    themes, _ = built["compare_themes"]
    assert [c["title"] for c in charts.table_of(themes)["columns"]] == ["Theme", *COMPARED]
    completion, _ = built["compare_completion"]
    rows = charts.table_of(completion)["rows"]
    assert rows[-1][0] == "Not rated"  # every level in words, the empty ones too
    assert "Implementing: 39" in built["stage"][0]["description"]


def test_the_text_alternative_and_table_are_in_the_readers_language(seed):
    with i18n.language("sq"), read_session(seed) as session:
        frame = stats.practices_by_stage_frame(session=session)
        spec = charts.practices_by_stage_chart(frame).to_dict()
        heatmap = charts.country_theme_heatmap(stats.country_theme_frame(session=session)).to_dict()
        words = {word: i18n.gettext(word) for word in ("Stage", "Published practices", "Theme")}
    assert words["Stage"] != "Stage"  # the catalog has these
    table = charts.table_of(spec)
    assert [c["title"] for c in table["columns"]][:2] == [
        words["Stage"],
        words["Published practices"],
    ]
    assert table["rows"][0][0] == frame["label"].iloc[0]  # the stages named in Albanian
    assert frame["label"].iloc[3] in spec["description"]
    grid = charts.table_of(heatmap)
    assert grid["columns"][0]["title"] == words["Theme"]
    assert "Shqipëri" in [c["title"] for c in grid["columns"]]


# --------------------------------------------------------------------------- colours


def _units(spec: dict, data: str | None = None) -> Iterator[tuple[dict, str | None]]:
    """Every unit (a spec with a mark) and the name of its dataset."""
    data = spec.get("data", {}).get("name", data) if isinstance(spec.get("data"), dict) else data
    if "mark" in spec:
        yield spec, data
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for child in spec.get(key, []):
            yield from _units(child, data)


def _colour_values(channel: dict, rows: list[dict]) -> list[str]:
    """The colours an encoding channel can take."""
    found = []
    if "value" in channel:
        found.append(channel["value"])
    condition = channel.get("condition")
    for c in condition if isinstance(condition, list) else [condition] if condition else []:
        found.append(c["value"])
    if "field" in channel:
        scale = channel.get("scale", {})
        if scale is None:  # the colour is in the data
            found += [row[channel["field"]] for row in rows if channel["field"] in row]
        else:
            assert "range" in scale, f"{channel['field']}: a scale without the palette's colours"
            found += list(scale["range"])
    return found


def _marks(spec: dict) -> Iterator[tuple[str, str, float, str | None, dict]]:
    """(mark type, colour, opacity, outline colour, data row or {}) of every mark colour."""
    datasets = spec.get("datasets", {})
    for unit, name in _units(spec):
        mark = unit["mark"] if isinstance(unit["mark"], dict) else {"type": unit["mark"]}
        rows = [r for r in datasets.get(name, []) if isinstance(r, dict)]
        encoding = unit.get("encoding", {})
        opacity = float(mark.get("opacity", 1))
        outline = mark.get("stroke")
        colours = [mark[k] for k in ("color", "fill") if k in mark]
        from_data = False
        for channel in ("color", "fill"):
            if channel in encoding:
                if encoding[channel].get("scale", {}) is None:
                    from_data = True
                    field = encoding[channel]["field"]
                    for row in rows:
                        yield mark["type"], row[field], opacity, outline, row
                    continue
                colours += _colour_values(encoding[channel], rows)
        assert colours or from_data, f"{mark['type']} without a colour of its own"
        for colour in colours:
            yield mark["type"], colour, opacity, outline, {}


def _text_colours(spec: dict) -> list[str]:
    """The colours of a chart's titles, axes and legends."""
    config = spec.get("config", {})
    found = [
        config.get(part, {}).get(key)
        for part in ("axis", "legend")
        for key in ("labelColor", "titleColor")
    ]
    found += [config.get("title", {}).get("color"), config.get("title", {}).get("subtitleColor")]
    for unit, _ in _units(spec):
        title = unit.get("title")
        if isinstance(title, dict):
            found += [title.get("color"), title.get("subtitleColor")]
    if isinstance(spec.get("title"), dict):
        found += [spec["title"].get("color"), spec["title"].get("subtitleColor")]
    return [colour for colour in found if colour]


def _palette_colours() -> set[str]:
    named = {
        palette.INK,
        palette.MUTED_INK,
        palette.OUTLINE,
        palette.BACKGROUND,
        palette.EMPTY_CELL,
        palette.TEXT_ON_DARK,
        palette.TEXT_ON_LIGHT,
        *palette.OKABE_ITO.values(),
    }
    ramps = {palette.count_colour(n, peak) for peak in range(1, 80) for n in range(1, peak + 1)}
    levels = {colour for n in range(1, 12) for colour in palette.levels(n)}
    return {c.lower() for c in named | ramps | levels}


@pytest.mark.parametrize("name", sorted(VALUES) + ["timeline", "timeline_narrow"])
def test_every_colour_is_the_palettes_with_the_contrast_it_needs(built, name):
    spec, _ = built[name]
    allowed = _palette_colours()
    background = palette.BACKGROUND
    for kind, colour, opacity, outline, row in _marks(spec):
        assert colour.lower() in allowed, f"{name}: {colour} is not the palette's"
        shown = blend(colour, opacity)
        if kind == "text":
            behind = row.get("fill", background)  # a count written on its heatmap cell
            assert wcag_contrast(shown, behind) >= 4.5, f"{name}: text {colour} on {behind}"
        elif colour.lower() == palette.EMPTY_CELL.lower():
            continue  # the grid of a heatmap: a cell without data, not a mark
        else:
            edge = outline and wcag_contrast(outline, background) >= 3
            assert edge or wcag_contrast(shown, background) >= 3, f"{name}: mark {colour}"
    texts = _text_colours(spec)
    assert texts, f"{name}: its axis and title colours are the chart's own (Streamlit greys them)"
    for colour in texts:
        assert wcag_contrast(colour, background) >= 4.5, f"{name}: text {colour}"


def test_the_okabe_ito_colours_used_for_marks_reach_three_to_one():
    for colour in (*palette.CATEGORIES, palette.PRACTICES, palette.CHALLENGES):
        assert colour in palette.OKABE_ITO.values()
        assert wcag_contrast(colour, palette.BACKGROUND) >= 3
    # The light ones are left out, not forgotten.
    for name in ("orange", "sky blue", "yellow", "grey"):
        assert wcag_contrast(palette.OKABE_ITO[name], palette.BACKGROUND) < 3
        assert palette.OKABE_ITO[name] not in palette.CATEGORIES
    for colour in palette.COUNT_RAMP:
        assert wcag_contrast(colour, palette.BACKGROUND) >= 3
        assert wcag_contrast(palette.text_on(colour), colour) >= 4.5


def test_levels_run_light_to_dark():
    for n in range(2, 9):
        shades = [_wcag_luminance(c) for c in palette.levels(n)]
        assert shades == sorted(shades, reverse=True) and len(set(shades)) == n


def test_no_meaning_by_colour_alone(built):
    """Where colour tells categories apart, the words are there too: the compare bars name
    their country, the timeline's points differ in shape, levels are in legend and tooltip."""
    themes, _ = built["compare_themes"]
    bars, tags = themes["layer"]
    assert tags["encoding"]["text"]["field"] == "tag"
    for name in ("timeline", "timeline_narrow"):
        spec, _ = built[name]
        (points,) = [u for u, _ in _units(spec) if u["mark"]["type"] == "point"]
        assert points["encoding"]["shape"]["field"] == points["encoding"]["color"]["field"]
        assert "scope" in [t["field"] for t in points["encoding"]["tooltip"]]
    for name in ("compare_stages", "compare_completion", "compare_results"):
        encoding = built[name][0]["encoding"]
        assert encoding["color"]["legend"] is not None
        assert "label" in [t["field"] for t in encoding["tooltip"]]


def test_one_colour_one_meaning_on_the_compare_page(built):
    meanings: dict[str, set[str]] = defaultdict(set)
    themes, _ = built["compare_themes"]
    scale = themes["layer"][0]["encoding"]["color"]["scale"]
    for country, colour in zip(scale["domain"], scale["range"], strict=True):
        meanings[colour.lower()].add(f"country {country}")
    for name in ("compare_stages", "compare_completion", "compare_results"):
        scale = built[name][0]["encoding"]["color"]["scale"]
        for label, colour in zip(scale["domain"], scale["range"], strict=True):
            meanings[colour.lower()].add("not rated" if label == "Not rated" else "a level")
    # The open challenges under each theme are orange badges on the same page.
    meanings[ORANGE_BADGE].add("open challenges")
    meanings[palette.CHALLENGES.lower()].add("open challenges")
    assert {c: m for c, m in meanings.items() if len(m) > 1} == {}
    for a, b in ((a, b) for a in meanings for b in meanings if a < b):
        if meanings[a] != meanings[b]:
            assert delta_e(a, b) >= 20, f"{a} ({meanings[a]}) too like {b} ({meanings[b]})"
