"""The overview (/) in a real Chromium: a heatmap cell is a link to /browse, charts download."""

import re

import pytest
from playwright.sync_api import expect

from forumdash import stats
from forumdash.db import make_engine, read_session
from tests.e2e.conftest import app_database_url, wait_for_app

pytestmark = pytest.mark.e2e

CHART = "[data-testid='stVegaLiteChart']"


def _published(country: str, theme: str) -> int:
    """What the heatmap should show for a cell, read from the app's database now."""
    engine = make_engine(app_database_url())
    try:
        with read_session(engine) as session:
            frame = stats.country_theme_frame(session=session, countries=[country], themes=[theme])
    finally:
        engine.dispose()
    return int(frame["practices"].iloc[0])


def test_clicking_a_heatmap_cell_opens_browse_filtered_to_it(page, app_url):
    page.goto(app_url + "/")
    wait_for_app(page)
    expected = _published("AL", "open-data")
    assert expected > 0
    # The heatmap draws SVG: each cell is an element whose label names its link and count.
    cell = page.locator(f"{CHART} svg path[aria-label*='url: /browse?country=AL&theme=open-data']")
    expect(cell).to_have_count(1)
    assert f"practices: {expected};" in (cell.get_attribute("aria-label") or "")
    cell.click(position={"x": 4, "y": 4})  # a corner of the cell, clear of its number
    page.wait_for_url(re.compile(r"/browse\?country=AL&theme=open-data$"))
    wait_for_app(page)
    assert len(page.context.pages) == 1  # the same tab, not a pop-up
    total = page.locator("[data-testid='stMarkdownContainer']", has_text=re.compile("showing"))
    expect(total.first).to_have_text(re.compile(rf"^{expected} practices? · showing 1–{expected}$"))
    expect(page.locator("[data-testid='stException']")).to_have_count(0)


def test_the_heatmap_downloads_as_png(page, app_url):
    page.goto(app_url + "/")
    wait_for_app(page)
    page.wait_for_selector(f"{CHART} svg .mark-rect path")
    # The buttons are drawn once "Download PNG / SVG" opens (the page reruns to draw them).
    opener = page.locator(".st-key-overview-heatmap-downloads button")
    expect(opener.first).to_contain_text("Download PNG / SVG")
    expect(page.locator(".st-key-overview-heatmap-png")).to_have_count(0)
    opener.first.click()
    # Streamlit draws each button twice (one hidden for measuring): click the visible one.
    button = page.locator(".st-key-overview-heatmap-png button:visible")
    with page.expect_download(timeout=30_000) as download_info:
        button.click()
    download = download_info.value
    assert download.suggested_filename == "practices-by-country-and-theme.png"
    with open(download.path(), "rb") as file:
        assert file.read(8) == b"\x89PNG\r\n\x1a\n"
    expect(page.locator("[data-testid='stDownloadButtonError']")).to_have_count(0)


def test_charts_have_their_words_and_open_as_a_table(page, app_url):
    """What a screen reader is told (the chart's accessible name is its text alternative), and
    "Show as table" opening on a click (an expander that reruns, which AppTest cannot click)."""
    page.goto(app_url + "/")
    wait_for_app(page)
    names = page.locator(f"{CHART}[role='graphics-document']")
    expect(names).to_have_count(6)  # the region's map first
    assert (names.nth(0).get_attribute("aria-label") or "").startswith("Map of the region")
    stage = page.locator(".st-key-overview-by_stage-table")
    expect(stage).to_have_count(1)
    label = names.nth(2).get_attribute("aria-label") or ""
    assert label.startswith("Bar chart of published practices by stage: ")
    assert page.locator("[data-testid='stDataFrame']").count() == 0  # no table built yet
    stage.get_by_text("Show as table").click()
    # The table, named after its chart for a screen reader.
    table = stage.get_by_role("region", name="Published practices by stage")
    expect(table).to_be_visible()
    wait_for_app(page)
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
