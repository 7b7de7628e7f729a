"""The menu's search box in a real Chromium, on a desktop and a phone: type words, land on
/search with results grouped by kind, follow "See all" into /browse filtered by the same words."""

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from forumdash.ui.frame import SEARCH_PLACEHOLDER
from tests.e2e.conftest import wait_for_app, watch_for_escapes

pytestmark = pytest.mark.e2e

SIZES = [(1400, 900), (390, 844)]
SHOTS = Path("/tmp/shots-search")
BOX = SEARCH_PLACEHOLDER
# The widest right edge of anything in the page's body, and the window's width.
_WIDTHS = """() => ({
  doc: document.scrollingElement.scrollWidth,
  width: innerWidth,
  right: Math.max(...[...document.querySelectorAll('[data-testid="stMain"] *')]
    .filter(e => e.getClientRects().length)
    .map(e => e.getBoundingClientRect().right)),
})"""


def _shot(page, name: str) -> None:
    widths = page.evaluate(_WIDTHS)
    assert widths["doc"] <= widths["width"], (name, widths)
    assert widths["right"] <= widths["width"] + 1, (name, widths)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def _type_in_the_menu(page, box, words: str) -> None:
    """Type into the menu's box, opening the menu first where it is folded away (a phone). In
    CI the menu, opened and seen open, was once folded again by Streamlit before the box took
    the words (its own sidebar state, reset when the window's layout is measured anew); a
    reader would open it again, and so does this, at most three times."""
    for _attempt in range(3):
        if not box.is_visible():  # a phone: the menu is folded away behind its button
            page.get_by_test_id("stExpandSidebarButton").click()
        expect(box).to_be_visible()
        wait_for_app(page)
        try:
            box.fill(words, timeout=5_000)
            return
        except PlaywrightTimeoutError:
            continue
    raise AssertionError("the menu's search box could not be typed in three openings")


@pytest.mark.parametrize(("width", "height"), SIZES, ids=["desktop", "phone"])
def test_the_menu_box_finds_and_see_all_opens_browse(browser, app_url, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(30_000)
    dialogs, foreign = watch_for_escapes(page)
    try:
        page.goto(app_url + "/country?code=RS")
        wait_for_app(page)
        expect(page.locator("h1", has_text="Serbia")).to_be_visible()
        box = page.get_by_test_id("stSidebar").get_by_placeholder(BOX)
        box.wait_for(state="attached")  # drawn in the menu, open or folded away
        _type_in_the_menu(page, box, "open data")
        box.press("Enter")
        wait_for_app(page)
        expect(page.locator("h1", has_text="Search the forum")).to_be_visible()
        assert urlsplit(page.url).path == "/search" and _query(page) == {"q": ["open data"]}
        heading = page.locator("h3", has_text=re.compile(r"\d+ practices$"))
        practices = int(re.search(r"\d+", heading.inner_text())[0])
        assert practices > 5
        expect(page.locator("h3", has_text=re.compile(r"\d+ challenges$"))).to_be_visible()
        page_box = page.get_by_test_id("stMain").get_by_placeholder(BOX)
        if width < 1000:  # on a phone the menu folds away by itself: the results are in view,
            # and the page's own box holds the words to change
            # Streamlit folds the menu when the page changes; in a long run of browser tests it
            # once stayed open (Streamlit's own state, not the app's): fold it as a reader would.
            sidebar = page.get_by_test_id("stSidebar")
            if sidebar.get_attribute("data-collapsed") != "true":
                sidebar.get_by_role("button", name="Collapse sidebar").click()
            expect(sidebar).to_have_attribute("data-collapsed", "true")
            expect(page_box).to_be_visible()
            expect(page_box).to_have_value("open data")
        else:  # on a desktop only the menu's box
            expect(page_box).to_be_hidden()
        _shot(page, f"search-{width}")
        see_all = page.get_by_role("link", name=f"See all {practices} practices")
        see_all.scroll_into_view_if_needed()
        _shot(page, f"search-{width}-see-all")
        if width >= 1000:  # the box shows the words searched
            expect(page.get_by_test_id("stSidebar").get_by_placeholder(BOX)).to_have_value(
                "open data"
            )

        see_all.click()
        wait_for_app(page)
        expect(page.locator("h1", has_text="Browse practices")).to_be_visible()
        assert urlsplit(page.url).path == "/browse" and _query(page) == {"q": ["open data"]}
        expect(page.get_by_text(re.compile(rf"^{practices} practices"))).to_be_visible()
        assert dialogs == [] and foreign == []
    finally:
        context.close()


def test_hostile_words_stay_words(page, app_url):
    dialogs, foreign = watch_for_escapes(page)
    q = '<img src=x onerror="alert(1)"> budget <script>alert(2)</script>'
    page.goto(app_url + "/search?q=" + q.replace(" ", "+").replace('"', "%22"))
    wait_for_app(page)
    expect(page.get_by_text("<img src=x", exact=False).first).to_be_visible()
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    assert page.locator("[data-testid='stMain'] img[src='x']").count() == 0
    box = page.get_by_test_id("stSidebar").get_by_placeholder(BOX)
    box.fill("")
    box.press("Enter")
    wait_for_app(page)
    expect(page.get_by_text("One search over the forum", exact=False)).to_be_visible()
    _shot(page, "search-empty-1400")
    assert dialogs == [] and foreign == []
