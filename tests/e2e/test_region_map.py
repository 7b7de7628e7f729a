"""The overview's map in a real Chromium: a click on a country, on its shape or on its label,
opens /browse filtered to it, in the reader's language."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, wait_for_app

pytestmark = pytest.mark.e2e

MAP = ".st-key-overview-region [data-testid='stVegaLiteChart']"


def _click_middle(page, selector: str) -> None:
    # Vega draws each country as an SVG path, and each label as a text, labelled with its
    # tooltip's fields. (After another test's publication the overview's caches are built
    # again: give it time.)
    item = page.locator(selector).first
    expect(item).to_be_visible(timeout=60_000)
    box = item.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_clicking_a_country_on_the_map_opens_browse_filtered_to_it(page, app_url):
    page.goto(app_url + "/?lang=sq")
    wait_for_app(page)
    _click_middle(page, f"{MAP} svg .mark-text text[aria-label*='Kosov']")  # its count
    page.wait_for_url(re.compile(r"/browse\?(?=.*country=XK)(?=.*lang=sq)"))
    wait_for_app(page)
    assert len(page.context.pages) == 1  # the same tab
    expect(page.locator("[data-testid='stException']")).to_have_count(0)

    page.go_back()
    wait_for_app(page)
    _click_middle(page, f"{MAP} svg path[aria-label*='Gjeorgji']")  # a partner's inset
    page.wait_for_url(re.compile(r"/browse\?(?=.*country=GE)(?=.*lang=sq)"))
    wait_for_app(page)
    expect(page.locator("[data-testid='stException']")).to_have_count(0)


def test_the_map_reads_at_desktop_and_phone_sizes(page, app_url):
    """Screenshots to look at (test-artifacts/region-map-*.png); on a phone the map takes the
    screen's width and the partners' boxes are on it."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(app_url + "/")
    wait_for_app(page)
    region = page.locator(".st-key-overview-region")
    expect(page.locator(f"{MAP} svg path[aria-label*='Georgia']")).to_be_visible(timeout=60_000)
    region.screenshot(path=str(ARTIFACTS / "region-map-1400.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    wait_for_app(page)
    georgia = page.locator(f"{MAP} svg path[aria-label*='Georgia']")
    expect(georgia).to_be_visible()
    chart = page.locator(MAP).first.bounding_box()
    inset = georgia.bounding_box()
    assert chart is not None and inset is not None
    assert 300 <= chart["width"] <= 390  # the phone's width, not a desktop map to pan
    assert inset["x"] + inset["width"] <= chart["x"] + chart["width"]
    assert inset["width"] >= 30  # a partner big enough to see and to tap
    region.screenshot(path=str(ARTIFACTS / "region-map-390.png"))
