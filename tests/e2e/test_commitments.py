"""The commitments list and one commitment's page in a real Chromium, on a phone and a desktop:
filter, open a commitment, read it; text visible, nothing wider than the screen, hostile text
inert."""

import re

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from forumdash.db import make_engine, read_session
from forumdash.models import Commitment
from forumdash.service import init_database
from tests.e2e.conftest import ARTIFACTS, app_database_url, wait_for_app, watch_for_escapes
from tests.support.records import add_sample_commitments

pytestmark = pytest.mark.e2e

SIZES = [(390, 844), (1400, 900)]
# The widest right edge of anything in the page's body, and the window's width.
_WIDTHS = """() => ({
  doc: document.scrollingElement.scrollWidth,
  width: innerWidth,
  right: Math.max(...[...document.querySelectorAll('[data-testid="stMain"] *')]
    .filter(e => e.getClientRects().length)
    .map(e => e.getBoundingClientRect().right)),
})"""


@pytest.fixture(scope="module")
def commitments(app_url):
    """The fictional commitments, stored once in the running app's database."""
    engine = make_engine(app_database_url())
    init_database(engine)  # the app makes its database on its first page; it may not have yet
    with read_session(engine) as session:
        present = session.exec(select(Commitment).where(Commitment.identifier == "AL8002")).first()
    if present is None:
        add_sample_commitments(engine)
    engine.dispose()
    return app_url


def _fits(page, name: str) -> None:
    widths = page.evaluate(_WIDTHS)
    assert widths["doc"] <= widths["width"], (name, widths)
    assert widths["right"] <= widths["width"] + 1, (name, widths)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def _expect_count(page, n: int) -> None:
    """Wait until the list says it holds `n` commitments: right after a filter the previous
    run's count can still be on screen (a loaded machine read 6 where the new run said 4)."""
    noun = "commitment" if n == 1 else "commitments"
    expect(page.get_by_text(re.compile(rf"^{n} {noun} ·")).first).to_be_visible()


@pytest.mark.parametrize(("width", "height"), SIZES, ids=["phone", "desktop"])
def test_filter_then_read_a_commitment(browser, commitments, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(30_000)
    dialogs, foreign = watch_for_escapes(page)
    try:
        page.goto(commitments + "/commitments")
        wait_for_app(page)
        expect(page.locator("h1", has_text="OGP commitments")).to_be_visible()
        _expect_count(page, 6)
        _fits(page, f"commitments-list-{width}")

        if width >= 1000:  # the sidebar is open: filter by a country's pill
            page.locator("[data-testid='stSidebar'] button", has_text="Albania · 4").click()
            wait_for_app(page)
            expect(page).to_have_url(re.compile(r"[?&]country=AL"))
            _expect_count(page, 4)
        else:  # on a phone the sidebar is folded away: search instead
            box = page.get_by_placeholder(re.compile("Search identifiers"))
            box.fill("budzet")
            box.press("Enter")
            wait_for_app(page)
            expect(page).to_have_url(re.compile(r"[?&]q=budzet"))
            _expect_count(page, 1)
        _fits(page, f"commitments-filtered-{width}")

        title = "Right to information portal" if width >= 1000 else "Отворени подаци за буџет"
        page.get_by_role("link", name=re.compile(title)).first.click()
        wait_for_app(page)
        expect(page.locator("h1", has_text=title)).to_be_visible()
        expect(page.get_by_text("IRM ratings", exact=True)).to_be_visible()
        expect(page.get_by_text("Dates", exact=True)).to_be_visible()
        _fits(page, f"commitment-page-{width}")

        if width >= 1000:  # the long text opens on demand and still fits
            more = page.get_by_text(re.compile(r"Show the full text \(39 more paragraphs"))
            more.click()
            expect(page.get_by_text(re.compile("TEST DATA paragraph 40:")).first).to_be_visible()
            _fits(page, f"commitment-page-open-{width}")

        page.goto(commitments + "/commitment?id=GE8001")
        wait_for_app(page)
        expect(page.locator("h1", has_text="<script>alert(1)</script>")).to_be_visible()
        expect(page.get_by_text("<img src=x onerror=alert(1)>")).to_be_visible()
        _fits(page, f"commitment-hostile-{width}")
        assert dialogs == [] and foreign == []
    finally:
        context.close()


def test_an_unknown_commitment_says_so(page, commitments):
    page.goto(commitments + "/commitment?id=ZZ0000")
    wait_for_app(page)
    expect(page.locator("h1", has_text="Commitment not found")).to_be_visible()
    expect(page.get_by_text("There is no imported OGP commitment", exact=False)).to_be_visible()
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
