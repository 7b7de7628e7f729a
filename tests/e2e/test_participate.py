"""A participant on a phone (390x844, touch): opens a practice from an event's QR code, taps
"I want to learn from this", adds their details and sends them; the request is stored once, with
the event, and the device is remembered across a reload."""

import re

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from forumdash.db import make_engine, read_session
from forumdash.models import ExchangeRequest
from tests.e2e.conftest import ARTIFACTS, app_database_url, wait_for_app, watch_for_escapes
from tests.support.records import publish_sample_practice

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
SUMMARY = (
    "TEST DATA. Every municipality publishes its budget as open data each quarter, with a "
    "plain-language summary that residents discuss in public hearings before it is adopted. "
) * 3


def test_a_participant_asks_to_learn_from_a_practice_on_a_phone(browser, app_url: str) -> None:
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        dialogs, foreign = watch_for_escapes(page)
        page.goto(app_url + "/")  # the app makes its database on its first page
        wait_for_app(page)
        practice_id = publish_sample_practice(
            app_database_url(),
            prefix="learn-phone",
            title="Quarterly open budgets of the municipalities, discussed in public hearings",
            summary=SUMMARY,
        )
        page.goto(f"{app_url}/practice?id={practice_id}&event=Podgorica+2026")
        wait_for_app(page)
        ask = page.get_by_role("button", name=re.compile("I want to learn from this"))
        expect(ask).to_be_visible()
        box = ask.bounding_box()
        assert box is not None and box["y"] + box["height"] <= PHONE["height"]  # no scrolling
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "learn-390-before.png"))
        ask.tap()
        wait_for_app(page)
        expect(page.get_by_text("Noted. The focal points of Montenegro")).to_be_visible()
        expect(page.get_by_text("Only this country's focal points and the forum's")).to_be_visible()
        page.get_by_label("Your name (optional)").fill("Ana Kovač <b>test</b>")
        page.get_by_label("E-mail or phone (optional)").fill("ana@example.org")
        page.get_by_role("textbox", name="Message (optional)").fill(
            "[How](javascript:alert(1)) did you start?"
        )
        page.get_by_role("button", name=re.compile("^.*Send$")).tap()
        wait_for_app(page)
        expect(page.get_by_text("have your details")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "learn-390-sent.png"), full_page=True)
        # Nothing overflows the phone's width.
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"]
        cookies = {c["name"]: c["value"] for c in context.cookies()}
        assert re.fullmatch(r"[A-Za-z0-9_-]{32}", cookies.get("forumdash_device", ""))
        # A reload is the same device: it finds its request, and the event stays in the URL.
        page.reload()
        wait_for_app(page)
        expect(page).to_have_url(re.compile(r"event=Podgorica"))
        expect(page.get_by_text("1 person has asked to learn from this practice.")).to_be_visible()
        expect(page.get_by_text("Add your details to be put in touch")).to_be_visible()
        assert not dialogs and not foreign
    finally:
        context.close()
    engine = make_engine(app_database_url())
    try:
        with read_session(engine) as session:
            rows = session.exec(
                select(ExchangeRequest).where(ExchangeRequest.practice_id == practice_id)
            ).all()
    finally:
        engine.dispose()
    assert len(rows) == 1
    assert (rows[0].contact, rows[0].event) == ("ana@example.org", "Podgorica 2026")
    assert rows[0].message == "[How](javascript:alert(1)) did you start?"


def test_a_participant_shares_a_challenge_on_a_phone(browser, app_url: str) -> None:
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(f"{app_url}/share?event=Tirana+2026")
        wait_for_app(page)
        page.get_by_text("A challenge: a problem you face").tap()
        wait_for_app(page)
        page.get_by_label("Title").fill("Few residents read the municipal budget")
        page.keyboard.press("Tab")
        wait_for_app(page)
        page.locator(".st-key-share-country_code input").click()
        page.keyboard.type("Kosov")
        page.keyboard.press("Enter")
        wait_for_app(page)
        page.get_by_role("textbox", name="What it is").fill("Nobody reads the budget.")
        page.get_by_label("E-mail or phone (optional)").fill("somewhere")
        page.keyboard.press("Tab")
        wait_for_app(page)
        page.get_by_role("button", name=re.compile("Send$")).tap()
        # Refused in the form's words, what was typed kept.
        expect(page.get_by_text("E-mail or phone: give an e-mail address")).to_be_visible()
        expect(page.get_by_label("Title")).to_have_value("Few residents read the municipal budget")
        page.get_by_label("E-mail or phone (optional)").fill("+383 44 123 456")
        page.keyboard.press("Tab")
        wait_for_app(page)
        page.get_by_role("button", name=re.compile("Send$")).tap()
        expect(page.get_by_text("with the focal points of Kosovo")).to_be_visible()
        expect(page.get_by_text("draft challenge", exact=False)).to_be_visible()
        assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=str(ARTIFACTS / "share-390-sent.png"))
    finally:
        context.close()


def test_what_a_participant_types_on_share_survives_a_reload(browser, app_url: str) -> None:
    """A participant's text on /share is kept on the server under their device as they type
    (no account), and comes back after a reload with "Restored the text you typed"."""
    from forumdash.models import FormDraft

    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    title = "Citizens' budget in plain words, read aloud on local radio"
    story = "The municipality records a ten-minute budget summary every spring. " * 20
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(f"{app_url}/share")
        wait_for_app(page)
        page.get_by_label("Title").fill(title)
        page.get_by_role("textbox", name="What it is").fill(story)
        engine = make_engine(app_database_url())
        for _attempt in range(300):  # the watcher sends within seconds; wait for the row
            with read_session(engine) as session:
                kept = [d.values for d in session.exec(select(FormDraft)).all()]
            if any(v.get("description") == story and v.get("title") == title for v in kept):
                break
            page.wait_for_timeout(200)
        else:
            raise AssertionError(f"the typed text was not kept: {kept}")
        page.reload()
        wait_for_app(page)
        expect(page.get_by_text("Restored the text you typed")).to_be_visible()
        expect(page.get_by_label("Title")).to_have_value(title)
        expect(page.get_by_role("textbox", name="What it is")).to_have_value(story)
        page.screenshot(path=str(ARTIFACTS / "share-390-restored.png"))
    finally:
        context.close()
