"""/compare opened cold by its deep links, in a real Chromium."""

import pytest
from playwright.sync_api import expect

from forumdash import repository
from forumdash.db import make_engine, read_session
from tests.e2e.conftest import ARTIFACTS, app_database_url, wait_for_app

pytestmark = pytest.mark.e2e


def test_compare_countries_deep_link(page, app_url):
    page.goto(app_url + "/compare?countries=AL,RS,XK")
    wait_for_app(page)
    main = page.locator("[data-testid='stMain']")
    for name in ("Albania", "Serbia", "Kosovo"):
        expect(main.locator("h3", has_text=name).first).to_be_visible()
    with read_session(make_engine(app_database_url())) as session:
        expected = repository.count_practices_by_country(session=session)
    for code in ("AL", "RS", "XK"):
        card = main.locator(f".st-key-compare-head-{code}")
        metric = card.locator("[data-testid='stMetric']", has_text="Published practices")
        value = metric.locator("[data-testid='stMetricValue']")
        expect(value).to_have_text(str(expected[code]))
    # A count in the theme table opens the browse page filtered on that country and theme.
    link = main.locator("a[href='browse?country=XK&theme=open-data']")
    expect(link).to_have_count(1)
    page.wait_for_selector("[data-testid='stVegaLiteChart'] .marks")
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "compare-countries.png"), full_page=True)


def test_compare_practices_deep_link(page, app_url):
    with read_session(make_engine(app_database_url())) as session:
        rows = repository.list_practices(session=session, limit=500)
    first = rows[0]
    second = next(r for r in rows if r.country_code != first.country_code)
    page.goto(app_url + f"/compare?practices={first.id},{second.id}")
    wait_for_app(page)
    main = page.locator("[data-testid='stMain']")
    for practice in (first, second):
        title = main.locator(f"table a[href='practice?id={practice.id}']")
        expect(title).to_have_text(practice.title)
    expect(main.get_by_text("≠").first).to_be_visible()
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
