"""Pages opened cold by their URL, in a real Chromium."""

import re

import pytest
from playwright.sync_api import expect

from forumdash import repository
from forumdash.db import make_engine, read_session
from forumdash.ui.frame import NAVIGATION
from tests.e2e.conftest import ARTIFACTS, app_database_url, wait_for_app

pytestmark = pytest.mark.e2e


def _path(script: str) -> str:
    return "/" if script == "app.py" else "/" + script.removeprefix("pages/").removesuffix(".py")


def test_overview_shows_the_figures(page, app_url):
    page.goto(app_url + "/")
    wait_for_app(page)
    metric = page.locator("[data-testid='stMetric']", has_text="Published practices")
    value = int(metric.locator("[data-testid='stMetricValue']").inner_text())
    engine = make_engine(app_database_url())
    with read_session(engine) as session:
        published = sum(repository.count_practices_by_country(session=session).values())
    engine.dispose()
    assert value == published > 0
    page.wait_for_selector("[data-testid='stVegaLiteChart'] .marks")
    assert page.locator("[data-testid='stVegaLiteChart']").count() >= 2
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=True)


def test_kosovo_profile_shows_the_2013_milestone(page, app_url):
    page.goto(app_url + "/country?code=XK")
    wait_for_app(page)
    expect(page.locator("h1", has_text="Kosovo")).to_be_visible()
    milestone = page.get_by_text("2013-07-09 · Government decision No. 08/139", exact=False)
    expect(milestone.first).to_be_visible()
    page.wait_for_selector("[data-testid='stVegaLiteChart'] .marks")
    page.screenshot(path=str(ARTIFACTS / "country-xk.png"), full_page=True)


MENU_PAGES = [script for script, _, _ in NAVIGATION if script != "pages/display.py"]


def test_the_event_display_opens_cold_without_the_menu(page, app_url):
    page.goto(app_url + "/display")
    expect(page.get_by_text("Slide 1 of", exact=False).first).to_be_visible(timeout=30_000)
    expect(page.locator("[data-testid='stSidebar']")).to_have_count(0)
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    assert re.search(r"· forumdash$", page.title())


@pytest.mark.parametrize("script", MENU_PAGES)
def test_every_page_has_the_frame_when_opened_cold(page, app_url, script):
    page.goto(app_url + _path(script))
    wait_for_app(page)
    sidebar = page.locator("[data-testid='stSidebar']")
    expect(sidebar.get_by_text("forumdash").first).to_be_visible()
    for _, label, _ in NAVIGATION:
        expect(sidebar.get_by_text(label, exact=True).first).to_be_visible()
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    assert re.search(r"· forumdash$", page.title())
