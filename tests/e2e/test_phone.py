"""Every public page on a phone (390x844) in a real Chromium (issue 13, item 5): nothing wider
than the screen, tap targets of at least 24x24 px, the Filters button at the top of the results,
the overview's heatmap as a list of countries; and at desktop size the wide forms."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from forumdash import repository
from forumdash.db import make_engine, read_session
from forumdash.models import Commitment
from forumdash.service import init_database
from forumdash.ui import narrow
from tests.e2e.conftest import ARTIFACTS, app_database_url, wait_for_app
from tests.support.records import add_sample_commitments

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1400, "height": 900}
SHOTS = ARTIFACTS / "phone"

# Every element of the page that is shown, wider than the window: "selector right-edge" lines.
TOO_WIDE = """() => {
  const width = innerWidth, sidebar = document.querySelector('[data-testid="stSidebar"]');
  const folded = sidebar && sidebar.dataset.collapsed === 'true';
  const name = e => e.tagName.toLowerCase()
    + (e.dataset.testid ? `[data-testid=${e.dataset.testid}]` : '')
    + ([...e.classList].filter(c => c.startsWith('st-key-')).map(c => '.' + c).join(''));
  const wide = [];
  for (const e of document.querySelectorAll('body *')) {
    if (folded && sidebar.contains(e)) continue;  // off screen until the menu opens
    const box = e.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(e).visibility === 'hidden') continue;
    if (box.right > width + 1) wide.push(`${name(e)} right=${Math.round(box.right)}`);
  }
  return {scroll: document.scrollingElement.scrollWidth, width, wide: wide.slice(0, 20)};
}"""

# Tap targets under 24x24 px (WCAG 2.5.8), after the criterion's exemptions:
# - inline: a link inside a sentence (its block holds text besides the link's);
# - spacing: a 24 px circle on its centre meets no other target nor another small one's circle;
# - hidden: a target drawn 1x1 until it has the focus (Streamlit's "Skip to main content").
# The menu folded away on a phone is off screen; it is checked opened, by its own test.
SMALL_TARGETS = """() => {
  const sidebar = document.querySelector('[data-testid="stSidebar"]');
  const folded = sidebar && sidebar.dataset.collapsed === 'true';
  const selector = 'a[href], button, input[type=checkbox], input[type=radio], summary, '
    + '[role=button], [role=tab], [role=option], [role=checkbox], [role=switch], [role=slider], '
    + '[role=menuitem]';
  const targets = [];
  for (const e of document.querySelectorAll(selector)) {
    if (folded && sidebar.contains(e)) continue;
    const style = getComputedStyle(e), box = e.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1 || style.visibility === 'hidden') continue;
    if (style.display === 'none' || e.closest('[aria-hidden=true]')) continue;
    if (targets.some(t => t.e.contains(e))) continue;  // the inner part of a target
    targets.push({e, box});
  }
  const inline = e => {
    if (e.tagName !== 'A') return false;
    const block = e.closest('p, li');
    return !!block && block.textContent.trim().length > e.textContent.trim().length + 3;
  };
  const centre = b => [b.left + b.width / 2, b.top + b.height / 2];
  const meets = (c, b) => {  // does a 12 px radius circle at c meet box b?
    const x = Math.max(b.left, Math.min(c[0], b.right));
    const y = Math.max(b.top, Math.min(c[1], b.bottom));
    return (x - c[0]) ** 2 + (y - c[1]) ** 2 < 144;
  };
  const small = targets.filter(t => t.box.width < 24 || t.box.height < 24);
  const offenders = [];
  for (const t of small) {
    if (inline(t.e)) continue;
    const c = centre(t.box);
    const crowded = targets.some(o => o !== t && !o.e.contains(t.e) && !t.e.contains(o.e)
      && (small.includes(o)
        ? Math.hypot(...centre(o.box).map((v, i) => v - c[i])) < 24
        : meets(c, o.box)));
    if (!crowded) continue;
    const label = (t.e.getAttribute('aria-label') || t.e.innerText || '').trim().slice(0, 40);
    offenders.push(`${t.e.tagName.toLowerCase()} "${label}" `
      + `${Math.round(t.box.width)}x${Math.round(t.box.height)}`);
  }
  return offenders;
}"""


@pytest.fixture(scope="module")
def paths(app_url: str) -> dict[str, str]:
    """Every public page, record pages with real ids from the app's database."""
    engine = make_engine(app_database_url())
    init_database(engine)  # the app makes its database on its first page; it may not have yet
    with read_session(engine) as session:
        if (
            session.exec(select(Commitment).where(Commitment.identifier == "AL8002")).first()
            is None
        ):
            add_sample_commitments(engine)
        adapted, _origin = repository.list_adaptation_pairs(session=session, limit=1)[0]
    engine.dispose()
    return {
        "overview": "/",
        "browse": "/browse",
        "search": "/search?q=open+data",
        "practice": f"/practice?id={adapted.id}",  # one with "adapted from" and related lists
        "challenges": "/challenges",
        "commitments": "/commitments",
        "commitment": "/commitment?id=AL8002",
        "country": "/country?code=BA",
        "compare": "/compare?countries=BA,MK,GB",
        "login": "/login",
    }


@pytest.fixture(scope="module")
def phone(browser: object) -> Iterator[object]:
    """One phone-sized browser context for the module's pages."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)  # type: ignore[attr-defined]
    yield context
    context.close()


# What each page shows last: measured before it is there, a page once passed half drawn.
MAIN = "[data-testid='stMain']"
READY = {
    "/": f".st-key-overview-heatmap-{narrow.NARROW_VIEW} [data-testid='stExpander'], "
    f".st-key-overview-heatmap-{narrow.WIDE_VIEW} svg",
    "/browse": f"{MAIN} [data-testid='stPageLink-NavLink']",
    "/search": f"{MAIN} [data-testid='stPageLink-NavLink']",
    "/practice": f"{MAIN} [data-testid='stExpander']",
    "/challenges": f"{MAIN} [data-testid='stPageLink-NavLink']",
    "/commitments": f"{MAIN} [data-testid='stPageLink-NavLink']",
    "/commitment": f"{MAIN} [data-testid='stPageLink-NavLink']",
    "/country": f"{MAIN} [data-testid='stExpander']",
    "/compare": f"{MAIN} table",
    "/login": f"{MAIN} input[type='password']",
}


def _open(context: object, app_url: str, path: str, language: str) -> Page:
    page: Page = context.new_page()  # type: ignore[attr-defined]
    page.set_default_timeout(30_000)
    joiner = "&" if "?" in path else "?"
    page.goto(f"{app_url}{path}{joiner}lang={language}")
    wait_for_app(page)
    expect(page.locator(READY[path.split("?")[0]]).first).to_be_attached()
    wait_for_app(page)
    # Charts draw after the run, and only once scrolled into view: measure them drawn.
    for chart in page.locator("[data-testid='stVegaLiteChart']:visible").all():
        chart.scroll_into_view_if_needed()
        expect(chart.locator("svg.marks, canvas.marks").first).to_be_attached()
    return page


def _shoot(page: Page, name: str) -> None:
    """The whole page, as tall as it is (Streamlit scrolls an inner element, not the page)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size or PHONE
    tall = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('*')].map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": size["width"], "height": min(int(tall) + 40, 12_000)})
    # Resized, Streamlit draws placeholders first: shoot the page once they are gone.
    page.wait_for_function(
        "() => !document.querySelector('[data-testid^=\"stSkeleton\"]')", timeout=15_000
    )
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / f"{name}.png"))
    page.set_viewport_size(size)


PAGES = [
    "overview",
    "browse",
    "search",
    "practice",
    "challenges",
    "commitments",
    "commitment",
    "country",
    "compare",
    "login",
]


@pytest.mark.parametrize("language", ["en", "sr"])
@pytest.mark.parametrize("name", PAGES)
def test_the_page_reads_on_a_phone(phone, app_url, paths, name, language):
    """Nothing wider than the screen (Serbian's longer words too), every target 24 px to tap."""
    page = _open(phone, app_url, paths[name], language)
    try:
        expect(page.locator("[data-testid='stException']")).to_have_count(0)
        _shoot(page, f"phone-{name}-{language}")
        widths = page.evaluate(TOO_WIDE)
        assert widths["scroll"] <= widths["width"], widths
        assert widths["wide"] == [], f"wider than the phone on {name}: {widths['wide']}"
        small = page.evaluate(SMALL_TARGETS)
        assert small == [], f"tap targets under 24x24 px on {name}: {small}"
    finally:
        page.close()


def test_the_menu_opened_on_a_phone_fits_and_has_24px_targets(browser, app_url):
    # A context of its own: Streamlit remembers an opened menu for the pages that follow.
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = _open(context, app_url, "/", "en")
    try:
        page.locator("[data-testid='stExpandSidebarButton']").click()
        sidebar = page.locator("[data-testid='stSidebar']")
        expect(sidebar).to_have_attribute("data-collapsed", "false")
        expect(sidebar.get_by_role("link", name=re.compile("Browse practices"))).to_be_in_viewport()
        assert page.evaluate(TOO_WIDE)["wide"] == []
        assert page.evaluate(SMALL_TARGETS) == []
    finally:
        context.close()


# (page, the pill to choose, the URL parameter it sets, the count line's pattern)
FILTERED = [
    ("/browse", "Kosovo", "country=XK", r"^(\d+) practices? · showing"),
    ("/challenges", "Kosovo", "country=XK", r"^(\d+) challenges?$"),
    ("/commitments", "Albania", "country=AL", r"^(\d+) commitments? ·"),
]


@pytest.mark.parametrize(
    ("path", "pill", "param", "count"), FILTERED, ids=["browse", "challenges", "commitments"]
)
def test_the_filters_button_opens_the_filters_and_a_filter_changes_the_results(
    phone, app_url, paths, path, pill, param, count
):
    page = _open(phone, app_url, path, "en")
    try:
        counted = page.get_by_text(re.compile(count)).first
        before = int(re.match(count, counted.inner_text()).group(1))  # type: ignore[union-attr]
        button = page.get_by_role("button", name=re.compile(r"^(filter_list)?\s*Filters$"))
        expect(button).to_be_visible()
        expect(button).to_be_in_viewport()  # at the top of the results, no scrolling
        button.click()
        wait_for_app(page)
        panel = page.locator("[data-testid='stPopoverBody']")
        choice = panel.get_by_role("button", name=re.compile(rf"^{pill} · \d+$"))
        expect(choice).to_be_visible()
        expected = int(choice.inner_text().rsplit("·", 1)[1])
        choice.click()
        wait_for_app(page)
        expect(page).to_have_url(re.compile(rf"[?&]{param}(&|$)"))  # the URL keeps the filter
        expect(
            page.get_by_text(re.compile(count.replace(r"(\d+)", str(expected)))).first
        ).to_be_visible()
        assert expected < before
        # The sidebar stayed folded away: the filters were in the panel, not behind the menu.
        expect(page.locator("[data-testid='stSidebar']")).to_have_attribute(
            "data-collapsed", "true"
        )
        expect(page.get_by_role("button", name=re.compile(r"Filters \(1\)$"))).to_be_visible()
    finally:
        page.close()


def test_the_heatmap_on_a_phone_is_a_list_of_countries_with_readable_names(phone, app_url):
    page = _open(phone, app_url, "/", "en")
    try:
        wide = page.locator(f".st-key-overview-heatmap-{narrow.WIDE_VIEW}")
        rows = page.locator(f".st-key-overview-heatmap-{narrow.NARROW_VIEW}")
        expect(wide).to_be_hidden()
        expect(rows).to_be_visible()
        names = rows.locator("summary").filter(
            has_text=re.compile("(Albania|Bosnia and Herzegovina|North Macedonia)$")
        )
        expect(names).to_have_count(3)
        boxes = [names.nth(i).bounding_box() for i in range(3)]
        # Each name on a line of its own: no two overlap.
        tops = sorted((box["y"], box["y"] + box["height"]) for box in boxes if box)
        assert all(upper[1] <= lower[0] for upper, lower in zip(tops, tops[1:], strict=False))
        # A country opens on its themes (drawn when it opens), each a chip to tap.
        expect(rows.get_by_role("link")).to_have_count(0)
        rows.locator("summary", has_text="North Macedonia").click()
        chip = rows.get_by_role("link", name=re.compile(r"^Open data · \d+$"))
        expect(chip).to_have_count(1)
        chip.click()
        page.wait_for_url(re.compile(r"/browse\?country=MK&theme=open-data"))
    finally:
        page.close()


def test_at_desktop_size_the_wide_forms_show(browser, app_url, paths):
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = _open(context, app_url, "/", "en")
        expect(
            page.locator(f".st-key-overview-heatmap-{narrow.WIDE_VIEW} svg .mark-rect").first
        ).to_be_visible()
        expect(page.locator(f".st-key-overview-heatmap-{narrow.NARROW_VIEW}")).to_be_hidden()
        assert page.evaluate(TOO_WIDE)["wide"] == []
        _shoot(page, "desktop-overview")
        for name in ("browse", "compare", "country"):
            other = _open(context, app_url, paths[name], "en")
            assert other.evaluate(TOO_WIDE)["wide"] == [], name
            _shoot(other, f"desktop-{name}")
            other.close()
        # Where the sidebar shows the filters, the Filters button does not show.
        page.goto(f"{app_url}/browse")
        wait_for_app(page)
        expect(page.get_by_role("button", name=re.compile("Filters$"))).to_be_hidden()
        expect(
            page.locator("[data-testid='stSidebar']").get_by_text("Filters", exact=True)
        ).to_be_visible()
    finally:
        context.close()
