"""The app in the region's languages, in a real Chromium: pages opened cold with ?lang=, the
language menu, the choice remembered, the browser's language on a first visit."""

import re

import pytest
from playwright.sync_api import Page, expect

from forumdash import i18n
from tests.e2e.conftest import ARTIFACTS, wait_for_app

pytestmark = pytest.mark.e2e


def said(tag: str, message: str) -> str:
    """`message` as the catalog of `tag` says it (and never the English words)."""
    with i18n.language(tag):
        text = i18n.gettext(message)
    assert text != message, f"{tag} has no translation of {message!r}"
    return text


def menu_link(page: Page, label: str):
    return page.locator(
        "[data-testid='stSidebar'] [data-testid='stPageLink-NavLink']", has_text=label
    )


def html_lang(page: Page) -> str:
    page.wait_for_function("() => document.documentElement.lang !== 'en'")
    return str(page.evaluate("document.documentElement.lang"))


def test_browse_in_albanian_opened_cold(page: Page, app_url: str) -> None:
    page.goto(app_url + "/browse?lang=sq")
    wait_for_app(page)
    expect(menu_link(page, said("sq", "Browse practices")).first).to_be_visible()
    expect(menu_link(page, said("sq", "Overview"))).to_be_visible()
    expect(page.locator("h1").first).to_have_text(re.compile(said("sq", "Browse practices")))
    assert html_lang(page) == "sq"
    assert page.title().startswith(said("sq", "Browse practices"))
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "browse-sq.png"), full_page=True)


def test_overview_in_macedonian_opened_cold(page: Page, app_url: str) -> None:
    page.goto(app_url + "/?lang=mk")
    wait_for_app(page)
    expect(menu_link(page, said("mk", "Browse practices"))).to_be_visible()
    metric = page.locator("[data-testid='stMetric']", has_text=said("mk", "Published practices"))
    expect(metric).to_be_visible()
    assert html_lang(page) == "mk"
    page.wait_for_selector("[data-testid='stVegaLiteChart'] .marks")
    page.screenshot(path=str(ARTIFACTS / "overview-mk.png"), full_page=True)


def test_kosovo_in_serbian_cyrillic_with_its_dates(page: Page, app_url: str) -> None:
    page.goto(app_url + "/country?code=XK&lang=sr")
    wait_for_app(page)
    expect(page.locator("h1", has_text="Косово")).to_be_visible()
    expect(menu_link(page, said("sr", "Countries"))).to_be_visible()
    # The 2013 government decision's date, as Serbian writes it (CLDR through Babel).
    expect(page.get_by_text("9. јул 2013.").first).to_be_visible()
    assert html_lang(page) == "sr"
    page.screenshot(path=str(ARTIFACTS / "kosovo-sr.png"), full_page=True)


def test_the_menu_switches_and_the_choice_is_remembered(page: Page, app_url: str) -> None:
    page.goto(app_url + "/country?code=XK")
    wait_for_app(page)
    expect(page.locator("h1", has_text="Kosovo")).to_be_visible()
    menu = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']")
    menu.click()
    page.get_by_role("option", name="Shqip").click()
    expect(page.locator("h1", has_text="Kosovë")).to_be_visible()
    expect(page).to_have_url(re.compile(r"lang=sq"))
    expect(menu_link(page, said("sq", "Compare"))).to_be_visible()
    # The same browser comes back another day with a plain address: still Albanian.
    page.wait_for_function("() => document.cookie.includes('forumdash_lang=sq')")
    page.goto(app_url + "/")
    wait_for_app(page)
    expect(menu_link(page, said("sq", "Countries"))).to_be_visible()
    expect(page).to_have_url(re.compile(r"lang=sq"))
    # A page link keeps the language in the address it opens.
    menu_link(page, said("sq", "Countries")).click()
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"/country\?.*lang=sq"))


def test_a_first_visit_follows_the_browsers_language(browser, app_url: str) -> None:
    context = browser.new_context(locale="sr-Latn-RS", viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(app_url + "/country?code=MK")
        wait_for_app(page)
        expect(page.locator("h1", has_text="Severna Makedonija")).to_be_visible()
        expect(page).to_have_url(re.compile(r"lang=sr-Latn"))
        page.screenshot(path=str(ARTIFACTS / "north-macedonia-sr-latn-phone.png"), full_page=True)
    finally:
        context.close()
