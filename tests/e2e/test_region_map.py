"""The overview's map in a real Chromium: a click on a country, on its shape or on its label,
opens /browse filtered to it, in the reader's language."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import wait_for_app

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
