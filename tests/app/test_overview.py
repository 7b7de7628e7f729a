"""AppTest of the overview (/): its charts, their download buttons, and an empty forum."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from forumdash import charts, repository, stats
from forumdash import vocab as v
from forumdash.db import make_engine, read_session, write_session
from forumdash.text import escape_markdown
from forumdash.ui import charts as chart_ui
from tests.app.test_pages import download_panels, open_chart_downloads, open_page

CHARTS = ["heatmap", "by_stage", "by_year", "challenges_by_theme", "spread"]


def _elements(at, kind: str) -> list:
    found: list = []

    def walk(node: Any) -> None:
        for child in getattr(node, "children", {}).values():
            if child.type == kind:
                found.append(child)
            walk(child)

    walk(at.main)
    return found


def _specs(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in _elements(at, "vega_lite_chart")]


def _title(spec: dict) -> str:
    title = spec.get("title", "")
    return title["text"] if isinstance(title, dict) else title


@pytest.fixture
def deferred(monkeypatch) -> dict[str, tuple]:
    """What each download button would run when clicked: {file name: (callable, mime type)}."""
    captured: dict[str, tuple] = {}
    original = MediaFileManager.add_deferred

    def capture(
        self: MediaFileManager,
        callable_: Callable[[], bytes],
        mimetype: str,
        coordinates: str,
        file_name: str | None = None,
        **kwargs: Any,
    ) -> str:
        captured[file_name] = (callable_, mimetype)
        return original(self, callable_, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", capture)
    return captured


def test_overview_shows_every_chart_with_its_downloads(app_database, deferred):
    at = open_page("app.py")
    assert not at.exception
    assert not at.error
    titles = [_title(spec) for spec in _specs(at)]
    assert titles == [
        "Published practices",  # the map of the region
        "Published practices by country and theme",
        "Published practices by stage",
        "Published practices by start year",
        "Open challenges by theme",
        "How practices spread across the region",
    ]
    # Each chart's buttons are drawn only while its "Download PNG / SVG" panel is open.
    assert not at.get("download_button") and not deferred
    assert len(download_panels(at)) == 6
    open_chart_downloads(at)
    assert not at.exception
    keys = [button.proto.id.rsplit("-", 1)[-1] for button in at.get("download_button")]
    assert keys == [
        f"overview.{name}.{fmt}" for name in ["map.practices", *CHARTS] for fmt in ("png", "svg")
    ]
    assert all(b.proto.deferred_file_id for b in at.get("download_button"))  # built on click
    assert "Not shown: 10 published practices without a start year." in [
        c.value for c in at.caption
    ]
    # The heatmap on the page is the one with links to /browse.
    (filled,) = [
        layer
        for layer in _specs(at)[1]["layer"]
        if layer["mark"]["type"] == "rect" and "href" in layer["encoding"]
    ]
    assert filled["encoding"]["href"]["field"] == "url"
    # Where practices came from: each adapted practice is listed with a link to its page.
    links = [link.proto.label for link in at.get("page_link")]
    assert "**Municipal open budget dashboard**" in links


def test_download_buttons_make_real_png_and_svg_files(app_database, deferred):
    at = open_chart_downloads(open_page("app.py"))
    assert not at.exception
    make_png, png_mime = deferred["practices-by-country-and-theme.png"]
    make_svg, svg_mime = deferred["practices-by-country-and-theme.svg"]
    assert (png_mime, svg_mime) == ("image/png", "image/svg+xml")
    assert make_png().startswith(b"\x89PNG\r\n\x1a\n")
    svg = make_svg()
    assert svg.lstrip().startswith(b"<svg") and b"Albania" in svg
    assert sorted(deferred) == sorted(
        f"{name}.{fmt}"
        for name in (
            "map-practices",
            "practices-by-country-and-theme",
            "practices-by-stage",
            "practices-by-start-year",
            "open-challenges-by-theme",
            "how-practices-spread",
        )
        for fmt in ("png", "svg")
    )


def test_without_the_converter_charts_stay_and_a_clear_message_shows(app_database, monkeypatch):
    monkeypatch.setattr(chart_ui, "export_available", lambda: False)
    at = open_page("app.py")
    assert not at.exception
    assert len(_specs(at)) == 6
    assert not download_panels(at) and not at.get("download_button")
    assert at.error[0].value == (
        "Chart downloads are unavailable: the chart converter is not installed."
    )


def test_overview_of_a_forum_with_nothing_published(app_database):
    engine = make_engine(app_database)
    with read_session(engine) as session:
        ids = [p.id for p in repository.list_practices(session=session, limit=1000)]
    with write_session(engine) as session:
        for practice_id in ids:
            repository.set_practice_workflow(
                session=session, practice_id=practice_id, workflow=v.Workflow.draft
            )
    engine.dispose()
    at = open_page("app.py")
    assert not at.exception
    metrics = {m.label: int(m.value) for m in at.metric}
    assert metrics["Published practices"] == 0
    infos = [i.value for i in at.info]
    assert "No published practice records its start year yet." in infos
    assert "No practice has been published yet." in infos
    # The spread chart says in words that there is nothing to draw (its data travels as Arrow).
    spread = _elements(at, "vega_lite_chart")[-1].proto
    assert json.loads(spread.spec)["title"]["text"] == "How practices spread across the region"
    assert charts.NO_ADAPTATIONS.encode() in spread.SerializeToString()


def test_the_heatmap_has_a_list_form_for_narrow_screens(app_database):
    """Under the chart (shown on wide pages), the same cells a country a row (shown on phones,
    by CSS): each country opens on its themes with practices, each a link to Browse filtered
    as the chart's cell is. A country's links are drawn only while it is open: the whole list
    was about 95 elements on every run of the overview, for every visitor."""
    at = open_page("app.py")
    assert not at.exception
    engine = make_engine(app_database)
    with read_session(engine) as session:
        frame = stats.country_theme_frame(session=session)
        codes = [c.code for c in repository.list_countries(session=session)]
    engine.dispose()

    def chips() -> dict[str, str]:
        return {
            link.proto.query_string: link.proto.label
            for link in at.get("page_link")
            if "theme=" in link.proto.query_string
        }

    countries = [e.label for e in at.expander if e.proto.label.startswith("**")]
    assert "**Bosnia and Herzegovina**" in countries and "**North Macedonia**" in countries
    assert len(countries) == len(codes)
    assert chips() == {}  # all closed: no theme is drawn
    at.session_state["overview.heatmap.country.BA"] = True
    at.run()
    assert not at.exception
    assert {q.split("&")[0] for q in chips()} == {"country=BA"}
    for code in codes:
        at.session_state[f"overview.heatmap.country.{code}"] = True
    at.run()
    expected = {
        f"country={r.code}&theme={r.slug}": f"{escape_markdown(r.theme)} · **{r.practices}**"
        for r in frame.itertuples()
        if r.practices > 0
    }
    assert chips() == expected


def test_overview_shows_the_map_and_its_counts_as_links(app_database):
    at = open_page("app.py", lang="sq")
    assert not at.exception
    (spec,) = [s for s in _specs(at) if s.get("projection")]
    assert spec["params"][0]["name"] == "country"
    (chart,) = [c for c in _elements(at, "vega_lite_chart") if json.loads(c.proto.spec) == spec]
    assert "Kosov" in chart.proto.alt  # the alt text names the countries in the reader's language
    engine = make_engine(app_database)
    with read_session(engine) as session:
        counts = repository.count_practices_by_country(session=session)
        codes = [c.code for c in repository.list_countries(session=session)]
    engine.dispose()
    links = {
        link.proto.page + "?" + link.proto.query_string: link.proto.label
        for link in at.get("page_link")
    }
    for code in codes:
        label = links[f"browse?country={code}&lang=sq"]
        assert label.endswith(f"**{counts.get(code, 0)}**")


def test_the_maps_boundaries_reach_the_screen_as_one_data_url_and_the_files_inline(
    app_database,
):
    """Streamlit turns a chart's specification into JSON and back several times a run: the map's
    boundaries go to the screen as one string (a `data:` URL), the export keeps them inline."""
    import base64

    from forumdash import region_map
    from forumdash.ui import region

    view = region.load(make_engine(app_database))
    for chart in view.charts.values():
        screen = json.dumps({k: v for k, v in chart.screen.items() if k != "datasets"})
        assert region_map.TOPOLOGY_DATA not in chart.screen["datasets"]
        assert f'"name": "{region_map.TOPOLOGY_DATA}"' not in screen
        urls = [
            layer["data"]["url"]
            for layer in chart.screen["layer"]
            if "url" in layer.get("data", {})
        ]
        assert urls and all(u.startswith("data:application/json;base64,") for u in urls)
        decoded = json.loads(base64.b64decode(urls[0].split(",", 1)[1]))
        assert decoded == chart.spec["datasets"][region_map.TOPOLOGY_DATA]
        assert decoded["type"] == "Topology"


def test_a_display_for_some_countries_and_themes_maps_only_them(app_database):
    """The map slide counts what the display's other slides count: its countries, its themes."""
    from forumdash import display

    at = open_page("pages/display.py", slides="map", countries="AL,RS", themes="open-data")
    assert not at.exception
    (chart,) = at.get("vega_lite_chart")
    with read_session(make_engine(app_database)) as session:
        scoped = display.practices_by_country(
            session=session,
            config=display.DisplayConfig(countries=("AL", "RS"), themes=("open-data",)),
        )
        every = repository.count_practices_by_country(session=session)
    assert scoped.get("AL", 0) < every["AL"]  # the theme leaves some of Albania's out
    assert f"Albania: {scoped.get('AL', 0)}" in chart.proto.alt
    assert "Kosovo" not in chart.proto.alt  # left out of this display: grey, not counted
