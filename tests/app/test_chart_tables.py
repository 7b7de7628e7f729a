"""AppTest of the charts' text alternatives and "Show as table" on the pages that draw charts."""

import json
from typing import Any

from forumdash import charts, i18n, stats
from forumdash.db import make_engine, read_session
from tests.app.test_pages import download_panels, open_chart_downloads, open_page

SHOW = "Show as table"


def _charts(at) -> list[Any]:
    """The page's chart elements (their protos: spec and alt)."""
    found: list[Any] = []

    def walk(node: Any) -> None:
        for child in getattr(node, "children", {}).values():
            if child.type == "vega_lite_chart":
                found.append(child.proto)
            walk(child)

    walk(at.main)
    return found


def _tables(at) -> list[Any]:
    return [e for e in at.expander if e.label == SHOW]


def test_every_overview_chart_has_its_words_and_a_closed_table(app_database):
    at = open_page("app.py")
    assert not at.exception
    shown = _charts(at)
    assert len(shown) == 6  # the region's map first, its counts listed beside it as links
    for chart in shown:
        spec = json.loads(chart.spec)
        assert chart.alt and "{" not in chart.alt  # its accessible name, in words
        assert "description" not in spec and "table" not in spec.get("usermeta", {})
    assert shown[0].alt.startswith("Map of the region, countries shaded by Published practices")
    assert shown[2].alt.startswith("Bar chart of published practices by stage: ")
    assert len(_tables(at)) == 5
    assert not at.dataframe  # nothing built until a table is opened


def test_opening_a_table_lists_the_charts_numbers_with_links(app_database):
    at = open_page("app.py")
    at.session_state["overview.by_stage.table"] = True  # as a click on "Show as table" does
    at.run()
    assert not at.exception
    (table,) = at.dataframe
    frame = table.value
    assert list(frame.columns) == ["Stage", "Published practices", "List"]
    with read_session(make_engine(app_database)) as session:
        stages = stats.practices_by_stage_frame(session=session)
    assert list(frame["Stage"]) == list(stages["label"])
    assert list(frame["Published practices"]) == list(stages["practices"])
    assert frame["List"].iloc[3] == "/browse?stage=implementing"
    # Its links show as words, and the table is named after its chart.
    config = json.loads(table.proto.columns)
    assert config["List"]["type_config"]["display_text"] == "Open the list"
    assert table.proto.alt == "Published practices by stage"


def test_the_tables_speak_the_readers_language(app_database):
    at = open_page("app.py", lang="sq")
    at.session_state["overview.heatmap.table"] = True
    at.run()
    assert not at.exception
    with i18n.language("sq"):
        theme = i18n.gettext("Theme")
        albania = i18n.country_name("AL", "Albania")
        bosnia = i18n.country_name("BA", "Bosnia and Herzegovina")
    (table,) = at.dataframe
    assert list(table.value.columns)[:3] == [theme, albania, bosnia]
    assert bosnia in _charts(at)[0].alt  # the fullest cell, named in Albanian


def test_compare_charts_have_words_tables_and_downloads(app_database):
    at = open_page("pages/compare.py", countries="AL,RS,XK")
    assert not at.exception
    shown = _charts(at)
    assert [c.alt.split(",")[0] for c in shown] == [
        "Grouped bar chart of published practices by theme",
        "Stacked bar chart “Stage reached”",
        "Stacked bar chart “Completion”",
        "Stacked bar chart “Early results”",
    ]
    assert len(_tables(at)) == 4
    assert not at.get("download_button")  # drawn once a chart's download panel opens
    open_chart_downloads(at)
    assert len(at.get("download_button")) == 8  # PNG and SVG for each, as on the overview
    at.session_state["compare.themes_chart.table"] = True
    at.run()
    (table,) = at.dataframe
    assert list(table.value.columns) == ["Theme", "Albania", "Serbia", "Kosovo"]
    open_data = table.value.set_index("Theme").loc["Open data"]
    assert list(open_data) == [2, 1, 1]


def test_the_country_timeline_has_words_and_a_table(app_database):
    at = open_page("pages/country.py", code="XK")
    assert not at.exception
    locator, wide, narrow = _charts(at)
    assert locator.alt == "Map of the region with Kosovo highlighted."
    assert wide.alt == narrow.alt and wide.alt.startswith("Timeline of 7 milestones, from ")
    assert len(_tables(at)) == 2  # the wide form's and the phone's, one shown at a time
    at.session_state["country.timeline.table"] = True
    at.run()
    (table,) = at.dataframe
    assert list(table.value.columns) == ["Date", "Milestone", "Country or region"]
    assert len(table.value) == 7


def test_the_display_heatmap_has_words_but_no_table(app_database):
    at = open_page("pages/display.py", slides="heatmap")
    assert not at.exception
    (chart,) = _charts(at)
    assert chart.alt.startswith("Heatmap of published practices by country")
    assert not _tables(at) and not download_panels(at) and not at.get("download_button")
    assert charts.TABLE not in json.loads(chart.spec).get("usermeta", {})
