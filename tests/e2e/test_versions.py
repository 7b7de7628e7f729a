"""No edit lost, in a real Chromium (issue 14): one draft open in two tabs; the first tab saves,
then the second tab's save is refused, showing what the first changed, with the second tab's
typed text still in its form."""

import re

import pytest
from playwright.sync_api import expect

from forumdash.db import make_engine, read_session
from forumdash.models import Practice
from tests.e2e.conftest import ARTIFACTS, app_database_url, wait_for_app
from tests.e2e.test_contribute import sign_in
from tests.e2e.test_keyboard import add_accounts

pytestmark = pytest.mark.e2e
SUMMARY = "Summary * (two or three sentences)"


def test_two_tabs_editing_one_draft(browser, app_url):
    # The app_url fixture made the app's first page view; the account is made in this process.
    add_accounts(("fp.tabs@example.org", "focal_point", "XK"))

    desk = browser.new_context(viewport={"width": 1400, "height": 1000})
    one = desk.new_page()
    sign_in(one, app_url, "fp.tabs@example.org")
    expect(one).to_have_url(re.compile(r"/submit"))
    wait_for_app(one)
    one.get_by_label("Title *").fill("Two-tab hearings on the water budget")
    one.get_by_label(SUMMARY).fill("The summary as the draft was first saved.")
    themes = one.get_by_label("Themes * (1 to 3)")
    themes.click()
    one.keyboard.type("Open budgets")
    one.keyboard.press("Enter")
    one.keyboard.press("Escape")
    one.get_by_label(re.compile(r"^Sources \*")).fill("Minutes | https://example.org/minutes")
    for label, choice in [
        ("Level of government *", "Local"),
        ("Actor type *", "Government"),
        ("Stage *", "Implementing"),
    ]:
        one.get_by_label(label).click()
        one.keyboard.type(choice)
        one.keyboard.press("Enter")
    one.get_by_text("Ongoing", exact=True).click()
    one.get_by_role("button", name="Save draft").click()
    expect(one.get_by_text("Draft saved.").first).to_be_visible()
    expect(one).to_have_url(re.compile(r"/submit\?.*id=\d+"))
    draft_url = one.url

    # The same draft in a second tab of the same browser (signed in by its cookie).
    two = desk.new_page()
    two.goto(draft_url)
    wait_for_app(two)
    expect(two.get_by_label("Title *")).to_have_value("Two-tab hearings on the water budget")

    # The first tab saves a change...
    one.get_by_label(SUMMARY).fill("The summary as the first tab saved it later.")
    one.get_by_role("button", name="Save draft").click()
    expect(one.get_by_text("Draft saved.").first).to_be_visible()
    wait_for_app(one)

    # ...then the second tab, drawn before it, saves its own: refused, the difference shown.
    two.get_by_label("Title *").fill("Typed in the second tab")
    two.get_by_role("button", name="Save draft").click()
    expect(two.get_by_text("was saved again after you opened it").first).to_be_visible()
    draft_id = re.search(r"[?&]id=(\d+)", draft_url).group(1)  # type: ignore[union-attr]
    refusal = two.locator(f".st-key-versions-refused-submit-practice-{draft_id}")
    expect(refusal.get_by_text("Changed meanwhile", exact=True)).to_be_visible()
    expect(
        refusal.get_by_text("The summary as the first tab saved it later.").first
    ).to_be_visible()
    expect(two.get_by_label("Title *")).to_have_value("Typed in the second tab")
    refusal.screenshot(path=str(ARTIFACTS / "versions-refused.png"))

    # Nothing of the second tab was saved; after seeing the difference it may save over it.
    assert stored_title(int(draft_id)) == "Two-tab hearings on the water budget"
    refusal.get_by_role("button", name="Save mine over it").click()
    expect(two.get_by_text("Draft saved.").first).to_be_visible()
    assert stored_title(int(draft_id)) == "Typed in the second tab"
    desk.close()


def stored_title(practice_id: int) -> str:
    engine = make_engine(app_database_url())
    try:
        with read_session(engine) as session:
            practice = session.get(Practice, practice_id)
            assert practice is not None
            return practice.title
    finally:
        engine.dispose()
