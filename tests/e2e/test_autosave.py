"""No lost work, in a real Chromium: a focal point's typed text is kept on the server as they
type, and comes back after a reload, after the server process restarts, and after signing in
again on another device-sized window, with "Restored the text you typed at HH:MM" in the
reader's time zone. The app runs on its own server here, restarted on the same port and
database in the middle of the test."""

import datetime as dt
import json
import re
import sqlite3
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from forumdash import auth
from forumdash.db import make_engine, write_session
from tests.e2e.conftest import ARTIFACTS, wait_for_app
from tests.support.appserver import streamlit_server
from tests.support.pgserver import free_port

pytestmark = pytest.mark.e2e
PASSWORD = "a long enough password"
EMAIL = "fp.al@example.org"
ZONE = "Europe/Belgrade"
SUMMARY = "Summary * (two or three sentences)"
SHOTS = Path("/tmp/autosave-shots")
# Long, as a real summary is (the focal point lost 3,918 characters).
LONG = " ".join(["Hearings on the municipal water budget, streamed and minuted."] * 60)


def kept(database: Path) -> dict[str, str]:
    """The draft the server keeps for the one form typed into (empty before the first)."""
    with sqlite3.connect(database) as db:
        row = db.execute('SELECT "values" FROM form_draft').fetchone()
    return json.loads(row[0]) if row else {}


def wait_until_kept(database: Path, field: str, text: str) -> None:
    deadline = time.monotonic() + 30
    while kept(database).get(field) != text:
        assert time.monotonic() < deadline, f"{field} was not kept: {kept(database)}"
        time.sleep(0.2)


def typed_at(database: Path) -> str:
    """When the draft was kept, as the reader's clock says it."""
    with sqlite3.connect(database) as db:
        (saved,) = db.execute("SELECT saved_at FROM form_draft").fetchone()
    moment = dt.datetime.fromisoformat(saved).replace(tzinfo=dt.UTC)
    return moment.astimezone(ZoneInfo(ZONE)).strftime("%H:%M")


def sign_in(page: Page, base: str) -> None:
    page.goto(base + "/login")
    wait_for_app(page)
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/submit\?.*draft="))
    wait_for_app(page)


def test_typed_text_survives_reload_restart_and_signing_in_again(browser, templates, tmp_path):
    # A copy of the session's seeded database: the app starts without seeding it again.
    url, _drop = templates.clone("sqlite", True, tmp_path)
    database = tmp_path / "forumdash.db"
    engine = make_engine(url)
    with write_session(engine) as session:
        auth.create_user(
            session=session,
            actor=auth.SYSTEM,
            email=EMAIL,
            password=PASSWORD,
            role="focal_point",
            country="AL",
        )
    engine.dispose()
    port = free_port()
    SHOTS.mkdir(exist_ok=True)
    ARTIFACTS.mkdir(exist_ok=True)
    desk = browser.new_context(viewport={"width": 1400, "height": 900}, timezone_id=ZONE)
    page = desk.new_page()
    with streamlit_server(url, tmp_path / "first.log", port=port) as base:
        sign_in(page, base)
        form_url = page.url
        page.get_by_label("Title *").fill("Water budget hearings")
        page.get_by_label(SUMMARY).fill(LONG)
        # Still in the field, no button pressed: the watcher sends within a few seconds.
        page.get_by_label(SUMMARY).press("End")
        wait_until_kept(database, "summary", LONG)
        assert kept(database)["title"] == "Water budget hearings"
        expect(page.get_by_text("Your text is kept on the server as you type")).to_be_visible()

        page.reload()
        wait_for_app(page)
        expect(page.get_by_label("Title *")).to_have_value("Water budget hearings")
        expect(page.get_by_label(SUMMARY)).to_have_value(LONG)
        expect(
            page.get_by_text(f"Restored the text you typed at {typed_at(database)}.")
        ).to_be_visible()
        page.screenshot(path=str(SHOTS / "restored-1400.png"))

        # More text, then the tab loses it (it is hidden): sent at once.
        page.get_by_label("Problem and purpose").fill("Residents could not follow the budget.")
        page.get_by_label("Problem and purpose").blur()
        wait_until_kept(database, "body.problem_purpose", "Residents could not follow the budget.")

    # The server process stops and starts again on the same database and port.
    with streamlit_server(url, tmp_path / "second.log", port=port) as base:
        page.goto(form_url)
        wait_for_app(page)
        expect(page.get_by_label("Title *")).to_have_value("Water budget hearings")
        expect(page.get_by_label(SUMMARY)).to_have_value(LONG)
        expect(page.get_by_label("Problem and purpose")).to_have_value(
            "Residents could not follow the budget."
        )
        expect(page.get_by_text("Restored the text you typed at")).to_be_visible()

        # Signed in afresh elsewhere (a phone, or after the session expired): the form's URL is
        # not known there, its text is, under "Text you typed and did not save".
        phone = browser.new_context(viewport={"width": 390, "height": 844}, timezone_id=ZONE)
        small = phone.new_page()
        sign_in(small, base)
        small.get_by_role(
            "link", name=re.compile(r"^New practice: Water budget hearings · typed today at")
        ).click()
        wait_for_app(small)
        # On a loaded machine the page before the link's was seen for a while beside the new
        # one (two forms, one empty): wait until one form is left, then read it.
        expect(small.get_by_label(SUMMARY)).to_have_count(1, timeout=30_000)
        expect(small.get_by_label(SUMMARY)).to_have_value(LONG)
        expect(small.get_by_text("Restored the text you typed at")).to_be_visible()
        small.get_by_text("Restored the text you typed at").scroll_into_view_if_needed()
        small.screenshot(path=str(SHOTS / "restored-390.png"))
        small.screenshot(path=str(ARTIFACTS / "autosave-restored-390.png"), full_page=True)

        # Discarded: the form is empty again and the server forgets the text.
        small.get_by_role("button", name="Discard the restored text").click()
        expect(small.get_by_label(SUMMARY)).to_have_value("")
        expect(small.get_by_label("Title *")).to_have_value("")
        deadline = time.monotonic() + 15
        while kept(database):
            assert time.monotonic() < deadline, "the discarded draft stays on the server"
            time.sleep(0.2)
        phone.close()
    desk.close()
