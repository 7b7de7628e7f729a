"""A practice with an Albanian translation, read in Chromium by an Albanian reader: the
translation with its notice, and the original on request (kept in the URL)."""

import re

import pytest
from playwright.sync_api import expect

from forumdash import i18n, repository
from forumdash.db import make_engine, read_session
from forumdash.translations import shown_text
from tests.app.test_translations_view import ALBANIAN, translated_practice
from tests.e2e.conftest import ARTIFACTS, app_database_url, wait_for_app

pytestmark = pytest.mark.e2e


def test_an_albanian_reader_sees_the_translation_and_the_original_on_request(page, app_url):
    page.goto(app_url + "/")  # the app makes its database on its first page
    wait_for_app(page)
    practice_id = translated_practice(app_database_url())
    engine = make_engine(app_database_url())
    with read_session(engine) as session:
        practice = repository.get_practice(session=session, practice_id=practice_id)
    engine.dispose()
    with i18n.language("sq"):
        notice = shown_text(practice).notice()
        written = shown_text(practice, original=True).notice()

    page.goto(f"{app_url}/practice?id={practice_id}&lang=sq")
    wait_for_app(page)
    expect(page.locator("h1", has_text=ALBANIAN.title)).to_be_visible()
    expect(page.get_by_text(notice, exact=False).first).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "practice-translated-sq-390.png"))
    page.set_viewport_size({"width": 1400, "height": 1000})

    page.locator("[data-testid='stPageLink'] a[href*='original=1']").first.click()
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"original=1"))
    expect(page).to_have_url(re.compile(r"lang=sq"))
    expect(page.locator("h1", has_text=practice.title)).to_be_visible()
    expect(page.get_by_text(written, exact=False).first).to_be_visible()
