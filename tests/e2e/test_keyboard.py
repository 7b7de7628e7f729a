"""The main flows by keyboard alone in Chromium (issue 15): Tab, Shift+Tab, Enter, Space, arrows
and typing, never a click or a fill. Every Tab stop on the way must show where the focus is (its
ring differs from the same element unfocused), a focused menu link must look unlike the current
page's, "Skip to main content" must put the focus in the main area, and the first result of
/browse must be at most 10 Tab stops after its search box."""

import contextlib
import re
import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from forumdash import auth
from forumdash.db import make_engine, write_session
from tests.e2e.conftest import ARTIFACTS, app_database_url, wait_for_app

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}

# After each key: the focused element's name, and whether the element focused before it shows
# its focus (its ring, read while it had the focus, differs from its look now). The ring is the
# outline and shadow of the element and of the boxes around it: a text field's ring is drawn on
# its box, not on the bare input. The ring is read when the element takes the focus and again
# just before the next key (READ_AGAIN): on a loaded machine one reading, taken at once after the
# Tab, once saw no ring on a field that drew it (CI of stop 22).
STEP = """() => {
  const ring = window.__keyboardRing = (e) => {
    const parts = [];
    for (let n = e, i = 0; n && n.nodeType === 1 && i < 4; n = n.parentElement, i++) {
      const c = getComputedStyle(n);
      parts.push([c.outlineStyle, c.outlineWidth, c.outlineColor, c.boxShadow].join(' '));
    }
    return parts.join(' | ');
  };
  // A field's label, a button's or link's text; the main area by its id (not all its text).
  const label = (e) => (e.labels && e.labels[0] && e.labels[0].innerText) || e.value || '';
  const name = (e) => !e || e === document.body ? '' : e.id === 'stMain' ? '(main)' : [
    e.getAttribute('aria-label') || '', e.innerText || '', label(e), e.getAttribute('href') || '',
  ].join(' ').replace(/\\s+/g, ' ');
  const now = document.activeElement;
  const before = window.__keyboardFocus;
  let unseen = null;
  // The main area is not a Tab stop: it takes the focus from the skip link only, and
  // skip_to_main checks its ring then (read again here, a loaded machine once saw no change).
  if (before && before.element !== now && before.element.isConnected
      && before.element !== document.body && before.element.id !== 'stMain'
      && ring(before.element) === before.ring) {
    unseen = before.name + ' (its look focused and now: ' + before.ring + ')';
  }
  window.__keyboardFocus = now ? {element: now, ring: ring(now), name: name(now)} : null;
  return {name: name(now), unseen: unseen};
}"""

# Before a key: the element that still has the focus is read again, so a ring drawn late counts.
READ_AGAIN = """() => {
  const f = window.__keyboardFocus;
  if (f && f.element === document.activeElement && window.__keyboardRing) {
    const look = window.__keyboardRing(f.element);
    if (look !== f.ring) f.ring = look;
  }
}"""


class Keyboard:
    """Tab through a page, checking at every stop that the focus could be seen."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.stops: list[str] = []

    def press(self, key: str) -> str:
        """Press a key; assert that the element it moved the focus from had a visible focus."""
        self.page.evaluate(READ_AGAIN)
        self.page.keyboard.press(key)
        step = self.page.evaluate(STEP)
        assert step["unseen"] is None, "no visible focus on " + step["unseen"]
        self.stops.append(step["name"])
        return str(step["name"])

    def tab(self, backwards: bool = False) -> str:
        return self.press("Shift+Tab" if backwards else "Tab")

    def tab_to(self, pattern: str, limit: int = 80, backwards: bool = False) -> int:
        """Tab until the focused element's name matches `pattern`; the number of Tab stops."""
        self.page.evaluate(STEP)  # the element focused now, to check when the focus leaves it
        for count in range(1, limit + 1):
            if re.search(pattern, self.tab(backwards)):
                return count
        raise AssertionError(f"{pattern!r} not reached in {limit} Tab stops: {self.stops[-limit:]}")

    def focused_name(self) -> str:
        return str(self.page.evaluate(STEP)["name"])

    def enter(self) -> None:
        self.page.keyboard.press("Enter")

    def skip_to_main(self) -> None:
        """From the top of a page: Tab to "Skip to main content" and Enter; the main area takes
        the focus and draws its ring. Both are waited for before the next Tab reads them: on a
        loaded machine a Tab was once read before the ring was painted."""
        assert "Skip to main content" in self.tab()
        self.enter()
        main = self.page.locator("#stMain")
        expect(main).to_be_focused()
        expect(main).to_have_css("outline-width", "3px")


@contextlib.contextmanager
def kept_on_failure(page: Page, name: str) -> Iterator[None]:
    """Close the page's context after; on a failure keep its screenshot in test-artifacts/."""
    try:
        yield
    except BaseException:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"keyboard-{name}.png"), full_page=True)
        raise


def open_page(browser, url: str, viewport: dict[str, int] = DESKTOP) -> tuple[Page, Keyboard]:
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(url)
    wait_for_app(page)
    return page, Keyboard(page)


LOOK = """(e) => { const c = getComputedStyle(e);
  return {outline: c.outlineStyle, width: parseFloat(c.outlineWidth), colour: c.outlineColor,
          offset: parseFloat(c.outlineOffset), fill: c.backgroundColor}; }"""
MENU_LINK = "[data-testid='stSidebar'] [data-testid='stPageLink-NavLink']"


def contrast(one: str, other: str) -> float:
    """WCAG contrast ratio of two CSS rgb() colours."""

    def luminance(colour: str) -> float:
        channels = [int(x) / 255 for x in re.findall(r"\d+", colour)[:3]]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_browse_filter_search_and_a_practice_by_keyboard(browser, app_url: str) -> None:
    page, keys = open_page(browser, app_url + "/browse")
    with kept_on_failure(page, "browse"):
        # Streamlit draws the page in parts: wait for the last kinds of element to come.
        expect(page.locator(MENU_LINK).first).to_be_visible()
        expect(page.locator("[data-testid='stPagination']")).to_be_visible()
        expect(
            page.locator("[data-testid='stSidebar'] [data-testid='stButtonGroup']").first
        ).to_be_visible()
        assert "Skip to main content" in keys.tab()  # the first stop
        # A focused menu link has a ring; the current page has its fill and no ring.
        keys.tab_to("Overview", limit=3)
        focused = page.locator(MENU_LINK, has_text="Overview").evaluate(LOOK)
        current = page.locator(MENU_LINK, has_text="Browse practices").evaluate(LOOK)
        assert focused["outline"] == "solid" and focused["width"] >= 2 and focused["offset"] > 0
        assert current["outline"] == "none" and current["fill"] != "rgba(0, 0, 0, 0)"
        menu = page.locator("[data-testid='stSidebarContent']").evaluate(
            "(e) => getComputedStyle(e).backgroundColor"
        )
        assert contrast(focused["colour"], menu) >= 3
        # A filter: the country pills are one Tab stop, the arrows move between them, and the
        # focus stays on the option chosen through the rerun.
        keys.tab_to("Albania", limit=15)
        keys.press("ArrowRight")
        assert "Kosovo" in keys.press("ArrowRight")
        page.keyboard.press("Space")
        expect(page).to_have_url(re.compile("country=XK"))
        wait_for_app(page)
        assert "Kosovo" in keys.focused_name()
        # The search, then the first result within 10 Tab stops of the search box.
        keys.tab_to("^Search practices ")
        page.keyboard.type("open data")
        keys.enter()
        expect(page).to_have_url(re.compile("q=open"))
        wait_for_app(page)
        assert keys.focused_name().startswith("Search practices")
        assert keys.tab_to(r"practice\?id=", limit=10) <= 10
        keys.enter()
        expect(page).to_have_url(re.compile(r"/practice\?id=\d+"))

        # The practice, from the top: "Skip to main content" puts the focus on the main area,
        # and the next Tab reaches its first control.
        page.reload()
        ask = page.get_by_role("button", name=re.compile("I want to learn from this"))
        expect(ask).to_be_visible()
        wait_for_app(page)
        keys.skip_to_main()
        assert "I want to learn from this" in keys.tab()
        keys.enter()
        expect(page.get_by_text("Noted. The focal points of")).to_be_visible()
        wait_for_app(page)
        keys.tab_to("Your name")
        page.keyboard.type("Ana, by keyboard")
        keys.tab_to("^ send Send")
        keys.enter()
        expect(page.get_by_text("have your details")).to_be_visible()
        # Suggest a correction: the expander opens with Enter; its form is drawn once open.
        keys.tab_to("Suggest a correction")
        keys.enter()
        expect(page.get_by_label("Title *")).to_be_visible()
        wait_for_app(page)
        keys.tab_to("^Title")
        page.keyboard.press("Control+A")
        page.keyboard.type("A title corrected by keyboard")
        keys.tab_to("What is wrong")
        page.keyboard.type("The title says too little; typed without a mouse.")
        keys.tab_to("Send the correction")
        keys.enter()
        expect(page.get_by_text("Thank you", exact=False)).to_be_visible()


PASSWORD = "a long enough password"


def add_accounts(*accounts: tuple[str, str, str | None]) -> None:
    """Accounts (email, role, country) in the app's database, made in this process (its hashes
    are the cheap ones of the tests: the command line's cost seconds on a loaded machine)."""
    engine = make_engine(app_database_url())
    try:
        with write_session(engine) as session:
            for email, role, country in accounts:
                auth.create_user(
                    session=session,
                    actor=auth.SYSTEM,
                    email=email,
                    password=PASSWORD,
                    role=role,
                    country=country,
                )
    finally:
        engine.dispose()


def sign_in(page: Page, keys: Keyboard, email: str) -> None:
    """Sign in from the top of /login: the skip link, the two fields, Enter."""
    expect(page.get_by_label("Email")).to_be_visible()
    expect(page.locator(MENU_LINK).first).to_be_visible()
    keys.skip_to_main()
    keys.tab_to("^Email", limit=3)
    page.keyboard.type(email)
    keys.tab_to("^Password", limit=2)
    page.keyboard.type(PASSWORD)
    keys.enter()
    expect(page.get_by_text(f"Signed in as {email}", exact=False)).to_be_visible()


def choose(page: Page, keys: Keyboard, field: str, option: str) -> None:
    """Tab to a select box, type the start of an option, Enter once the list shows it first (an
    Enter before the list has narrowed would choose its first option, whatever it is)."""
    keys.tab_to(field)
    page.keyboard.type(option)
    expect(page.get_by_role("option").first).to_contain_text(option)
    page.keyboard.press("Enter")


def test_submit_and_review_by_keyboard(browser, app_url: str) -> None:
    run = uuid.uuid4().hex[:6]
    focal_point, organiser = f"keys.fp.{run}@example.org", f"keys.org.{run}@example.org"
    add_accounts((focal_point, "focal_point", "XK"), (organiser, "organiser", None))
    page, keys = open_page(browser, app_url + "/login")
    with kept_on_failure(page, "submit"):
        sign_in(page, keys, focal_point)
        expect(page).to_have_url(re.compile("/submit"))
        for kind in ("stTextArea", "stMultiSelect", "stDateInput", "stRadio", "stFormSubmitButton"):
            expect(page.get_by_test_id(kind).first).to_be_visible()
        wait_for_app(page)
        keys.tab_to(r"^Title \*")
        page.keyboard.type(f"Keyboard-only hearings {run} on the water budget")
        keys.tab_to(r"^Summary \*", limit=1)
        page.keyboard.type("Public hearings on the municipal water budget, run by keyboard.")
        choose(page, keys, r"^Level of government \*", "Local")
        choose(page, keys, r"^Actor type \*", "Government")
        choose(page, keys, r"^Themes \*", "Open budgets")
        page.keyboard.press("Escape")
        choose(page, keys, r"^Stage \*", "Implementing")
        keys.tab_to("Ongoing")
        page.keyboard.press("Space")
        keys.tab_to(r"^Sources \*")
        page.keyboard.type("Minutes | https://example.org/minutes")
        keys.tab_to("Save draft")
        keys.enter()
        expect(page.get_by_text("Draft saved.").first).to_be_visible()
        wait_for_app(page)
        # The first save redraws the form as the saved record's (its fields' keys change).
        keys.tab_to("Save and submit for review", limit=100)
        keys.enter()
        expect(page.get_by_text("Submitted for review: an organiser").first).to_be_visible()
        wait_for_app(page)
        assert "Save and submit for review" in keys.focused_name()

    page, keys = open_page(browser, app_url + "/login")
    with kept_on_failure(page, "review"):
        sign_in(page, keys, organiser)
        expect(page).to_have_url(re.compile("/review"))
        item = page.get_by_test_id("stExpander").filter(has_text=f"Keyboard-only hearings {run}")
        expect(item).to_be_visible()
        wait_for_app(page)
        keys.tab_to(f"Keyboard-only hearings {run}")
        keys.enter()
        expect(item.get_by_text("Submitted version").first).to_be_visible()
        keys.tab_to("Approve and publish")
        keys.enter()
        # An approval rebuilds the matching corpus: on a loaded machine its rerun took 15 s.
        expect(item).to_have_count(0, timeout=45_000)


def test_share_by_keyboard(browser, app_url: str) -> None:
    page, keys = open_page(browser, app_url + "/share")
    with kept_on_failure(page, "share"):
        expect(page.get_by_test_id("stRadio")).to_be_visible()
        expect(page.get_by_test_id("stTextArea")).to_be_visible()
        wait_for_app(page)
        keys.skip_to_main()
        keys.tab_to("A practice", limit=4)  # the radio group: arrows choose
        keys.press("ArrowDown")
        wait_for_app(page)
        assert "A challenge" in keys.focused_name()
        keys.tab_to("^Title")
        page.keyboard.type("Few residents read the budget")
        choose(page, keys, "^Country", "Kosov")
        keys.tab_to("^What it is")
        page.keyboard.type("Nobody reads it.")
        keys.tab_to("^ send Send")
        keys.enter()
        expect(page.get_by_text("with the focal points of Kosovo")).to_be_visible()


def test_browse_on_a_phone_by_keyboard(browser, app_url: str) -> None:
    """On a phone the menu is folded away: none of its links and filters takes the focus out
    of sight, and the first result is as near to the search box as on a desktop."""
    page, keys = open_page(browser, app_url + "/browse", PHONE)
    with kept_on_failure(page, "phone"):
        expect(page.locator("main [data-testid='stPageLink-NavLink']").first).to_be_visible()
        expect(page.get_by_test_id("stPagination")).to_be_visible()
        wait_for_app(page)
        assert "Skip to main content" in keys.tab()
        in_menu = "() => !!document.activeElement.closest('[data-testid=stSidebar]')"
        # Four stops (the menu's button, the main area, the heading's link, the box). On a loaded
        # CI machine the focus once fell to the page itself for one Tab (a part of Streamlit's
        # frame drawn again under it); that is not a stop a person sees, so it is not counted.
        stops = 0
        for _tab in range(8):
            keys.tab()
            assert not page.evaluate(in_menu), keys.stops[-1]
            stops += keys.stops[-1] != ""
            if keys.stops[-1].startswith("Search practices") or stops == 4:
                break
        assert keys.stops[-1].startswith("Search practices"), keys.stops
        assert keys.stops.count("") <= 1, keys.stops
        assert keys.tab_to(r"practice\?id=", limit=10) <= 10
        assert not any("Overview" in stop for stop in keys.stops)
