"""/display in a real Chromium at 1920x1080: it rotates on its own, fits the screen without a
menu or a scroll bar, and shows a record published meanwhile without a reload; with a long
rotation, within a tick (10 s) on the slide on screen, which neither changes nor blinks.
Screenshots kept: test-artifacts/display-1.png ... display-7.png (every slide), and
display-live-counters.png, display-live-heatmap-before.png / -after.png (a tick's update)."""

import re
import time
import uuid

import pytest
from playwright.sync_api import Page, expect

from forumdash import display
from tests.e2e.conftest import ARTIFACTS, app_database_url
from tests.support.records import publish_sample_practice

pytestmark = pytest.mark.e2e

ORDER = ["counters", "featured", "heatmap", "map", "newest", "challenges", "asked", "qr"]
PROGRESS = ".st-key-display-progress p"
TITLE = ".st-key-display-body h1"

# What the screen shows: the slide's own area and the fixed footer, and whether anything scrolls.
LAYOUT = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const slide = document.querySelector('.st-key-display-slide').getBoundingClientRect();
  const footer = document.querySelector('.st-key-display-footer').getBoundingClientRect();
  const sidebar = document.querySelector('[data-testid="stSidebar"]');
  const header = document.querySelector('[data-testid="stHeader"]');
  return {
    docScroll: document.scrollingElement.scrollHeight, height: innerHeight,
    mainScroll: main.scrollHeight, mainHeight: main.clientHeight,
    docWidth: document.scrollingElement.scrollWidth, width: innerWidth,
    slideBottom: slide.bottom, footerTop: footer.top,
    sidebar: !!sidebar && sidebar.getBoundingClientRect().width > 0,
    header: !!header && header.getBoundingClientRect().height > 0,
    h1: parseFloat(getComputedStyle(document.querySelector('.st-key-display-body h1')).fontSize),
  };
}"""


def _publish(title: str) -> int:
    """A new published practice in the running app's database: a sample, clearly a test (in
    Montenegro, open data: other tests read their counts from the database when they run)."""
    return publish_sample_practice(
        app_database_url(),
        prefix="e2e-display",
        title=title,
        summary="Published by the event display's browser test while it runs.",
    )


def _wait_for_slide(page, previous: str, name: str) -> None:
    """Wait until the display has moved on from `previous` and drawn slide `name`."""
    page.wait_for_function(
        "([sel, old]) => { const t = document.querySelector(sel)?.innerText;"
        " return !!t && t !== old; }",
        arg=[PROGRESS, previous],
        timeout=15_000,  # about two rotations of 5 s
    )
    expect(page.locator(TITLE)).to_have_text(display.SLIDES[name], timeout=10_000)
    if name in ("heatmap", "map"):
        page.wait_for_selector(".st-key-display-body [data-testid='stVegaLiteChart'] .marks")
    if name in ("featured", "qr"):
        page.wait_for_selector(".st-key-display-body [data-testid='stImage'] img")
    page.wait_for_timeout(400)  # let the last elements settle before measuring
    _wait_for_no_stale(page)


def _wait_for_no_stale(page) -> None:
    """While a rerun streams in, the previous slide's elements stay on the page (data-stale): a
    loaded machine once measured the counters slide with the QR slide's text still under it."""
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=15_000)


def test_display_rotates_fits_the_screen_and_updates_live(browser, app_url):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        page.goto(f"{app_url}/display?rotate=5&slides={','.join(ORDER)}")
        # The first page view of a fresh app migrates and seeds its database: on a busy
        # two-core machine that took 24 s.
        expect(page.locator(TITLE)).to_have_text(display.SLIDES["counters"], timeout=90_000)
        expect(page.locator(PROGRESS)).to_have_text("Slide 1 of 8")
        page.wait_for_timeout(400)
        metric = page.locator("[data-testid='stMetric']", has_text="Published practices")
        before = int(metric.locator("[data-testid='stMetricValue']").inner_text())

        title = f"E2E display test practice {uuid.uuid4().hex[:6]}"
        _publish(title)

        seen = []
        progress = "Slide 1 of 8"
        for number, name in enumerate([*ORDER, "counters"], start=1):
            if number > 1:
                _wait_for_slide(page, progress, name)
                progress = page.locator(PROGRESS).inner_text()
            seen.append(page.locator(TITLE).inner_text())
            layout = page.evaluate(LAYOUT)
            page.screenshot(path=str(ARTIFACTS / f"display-{number}.png"))
            assert not layout["sidebar"] and not layout["header"], layout
            assert layout["docScroll"] <= layout["height"] + 2, (name, layout)
            assert layout["mainScroll"] <= layout["mainHeight"] + 2, (name, layout)
            assert layout["docWidth"] <= layout["width"] + 2, (name, layout)
            assert layout["slideBottom"] <= layout["footerTop"] + 2, (name, layout)
            assert layout["h1"] >= 56, layout
            if name == "featured":  # newest first: the practice published a moment ago
                expect(page.locator(".st-key-display-body h2")).to_have_text(title)
                expect(page.get_by_text("Sample content").first).to_be_visible()
            if name == "newest":
                first = page.locator(".st-key-display-row-0 strong")
                expect(first).to_have_text(title)
            if name == "qr":
                share = page.locator(".st-key-display-url-share")
                expect(share).to_contain_text(f"{app_url.split('://', 1)[-1]}/share")
        assert seen == [display.SLIDES[name] for name in [*ORDER, "counters"]]
        assert page.locator(PROGRESS).inner_text() == "Slide 1 of 8"

        # Back on the counters, without a reload: the new publication is counted.
        after = int(metric.locator("[data-testid='stMetricValue']").inner_text())
        assert after == before + 1
        assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
        expect(page.locator("[data-testid='stException']")).to_have_count(0)
    finally:
        context.close()


# Watches the page on every animation frame: the slide's number and title as they change, and
# any frame where the slide's chart (when there is one) is missing, empty, flat or faded.
WATCH = """(withChart) => {
  window.__watch = {frames: 0, progress: [], titles: [], blank: []};
  const seen = (list, value) => { if (list[list.length - 1] !== value) list.push(value); };
  const frame = () => {
    const w = window.__watch;
    w.frames++;
    seen(w.progress, document.querySelector('.st-key-display-progress p')?.innerText ?? '');
    seen(w.titles, document.querySelector('.st-key-display-body h1')?.innerText ?? '');
    if (withChart) {
      const chart = document.querySelector('.st-key-display-body [data-testid="stVegaLiteChart"]');
      const marks = chart?.querySelector('.marks');
      const height = marks ? marks.getBoundingClientRect().height : 0;
      const cells = chart ? chart.querySelectorAll('.mark-rect path').length : 0;
      let opacity = 1;
      for (let e = chart; e; e = e.parentElement) {
        opacity *= parseFloat(getComputedStyle(e).opacity);
      }
      if (height < 300 || !cells || opacity < 0.99)
        w.blank.push({t: Math.round(performance.now()), height, cells, opacity});
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}"""
CELL = "svg path[aria-label^='country: Montenegro; theme: Open data; Country:']"


def _cell_count(page: Page) -> int:
    label = page.locator(f".st-key-display-body {CELL}").get_attribute("aria-label") or ""
    return int(label.rsplit("Published practices:", 1)[1].split(";")[0])


def test_a_long_rotation_shows_a_publication_within_a_tick(browser, app_url):
    """rotate=60: the slide stays for a minute, but its data is read again every 10 s."""
    ARTIFACTS.mkdir(exist_ok=True)
    contexts = [browser.new_context(viewport={"width": 1920, "height": 1080}) for _ in range(2)]
    counters, heatmap = (context.new_page() for context in contexts)
    try:
        counters.goto(f"{app_url}/display?rotate=60&slides=counters,newest")
        heatmap.goto(f"{app_url}/display?rotate=60&slides=heatmap,counters")
        expect(counters.locator(TITLE)).to_have_text(display.SLIDES["counters"])
        expect(heatmap.locator(TITLE)).to_have_text(display.SLIDES["heatmap"])
        metric = counters.locator("[data-testid='stMetric']", has_text="Published practices")
        value = metric.locator("[data-testid='stMetricValue']")
        expect(value).to_have_text(re.compile(r"^\d+$"))
        heatmap.wait_for_selector(f".st-key-display-body {CELL}")
        before, cell_before = int(value.inner_text()), _cell_count(heatmap)
        counters.evaluate(WATCH, False)
        heatmap.evaluate(WATCH, True)
        heatmap.screenshot(path=str(ARTIFACTS / "display-live-heatmap-before.png"))

        title = f"E2E live display practice {uuid.uuid4().hex[:6]}"
        _publish(title)
        published = time.monotonic()

        # The next tick (at most 10 s away) shows it, on the same slide, without a reload.
        expect(value).to_have_text(str(before + 1), timeout=15_000)
        expect(counters.locator(".st-key-display-row-latest strong")).to_have_text(title)
        label = heatmap.locator(f".st-key-display-body {CELL}")
        expect(label).to_have_attribute(
            "aria-label", re.compile(f"Published practices: {cell_before + 1}$"), timeout=15_000
        )
        print(f"live display: the publication showed {time.monotonic() - published:.1f} s later")
        heatmap.wait_for_timeout(500)  # a few more frames after the update
        counters.screenshot(path=str(ARTIFACTS / "display-live-counters.png"))
        heatmap.screenshot(path=str(ARTIFACTS / "display-live-heatmap-after.png"))

        for page, slide in ((counters, "counters"), (heatmap, "heatmap")):
            watch = page.evaluate("window.__watch")
            assert watch["frames"] > 100, watch["frames"]  # it watched the whole time
            assert watch["progress"] == ["Slide 1 of 2"], watch["progress"]
            assert watch["titles"] == [display.SLIDES[slide]], watch["titles"]
            assert watch["blank"] == [], watch["blank"][:5]  # the chart never blanked or faded
            assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
            expect(page.locator("[data-testid='stException']")).to_have_count(0)
    finally:
        for context in contexts:
            context.close()
