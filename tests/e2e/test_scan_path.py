"""Issue 13's scan path, at phone size (390x844, touch) in Chromium: a participant opens the
address the event display's QR code carries (its event and its language), taps "I want to learn
from this" and sends a name, a country and a contact; a focal point of the practice's country,
on their own phone, sees the unread count in the menu, opens the notice from /inbox, lands on the
request in /exchange and answers it; an anonymous visitor of that link sees no contact."""

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import col, select

from forumdash import auth, display, i18n
from forumdash import vocab as v
from forumdash.db import make_engine, read_session, write_session
from forumdash.i18n import _
from forumdash.models import ExchangeRequest, ExchangeStep, Notification
from tests.e2e.conftest import ARTIFACTS, app_database_url, wait_for_app, watch_for_escapes
from tests.support.records import publish_sample_practice

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
DISPLAY_LANGUAGE = "sq"  # the display speaks Albanian: the phone opens the page in Albanian
EVENT = "skopje-2026"  # a display event is a slug (display.EVENT)
COUNTRY = "MK"  # the practice's: its focal point is told
FOCAL_POINT = "fp.scan-path@example.org"
PASSWORD = "correct horse battery staple"
CONTACT = "ana.scan@example.org"
NOTE = "Called Ana, a visit in spring"


def said(text: str) -> str:
    """What the phone reads for an English message, in the display's language (the test follows
    the catalog: it holds whether or not the message is translated yet)."""
    with i18n.language(DISPLAY_LANGUAGE):
        return _(text)


def _phone_page(context: object) -> Page:
    page = context.new_page()  # type: ignore[attr-defined]
    page.set_default_timeout(30_000)
    return page


def test_from_the_displays_qr_code_to_an_answered_request(browser, app_url: str) -> None:
    participant = browser.new_context(**PHONE)
    focal = browser.new_context(**PHONE)
    anonymous = browser.new_context(**PHONE)
    try:
        page = _phone_page(participant)
        dialogs, foreign = watch_for_escapes(page)
        page.goto(app_url + "/")  # the app makes its database on its first page
        wait_for_app(page)
        practice_id = publish_sample_practice(
            app_database_url(),
            prefix="scan-path",
            title="Participatory budgeting in the municipalities, scanned from the display",
            summary="TEST DATA. Residents vote on part of the municipal budget every spring. " * 3,
            country=COUNTRY,
        )
        engine = make_engine(app_database_url())
        with write_session(engine) as session:
            user_id = auth.create_user(
                session=session,
                actor=auth.SYSTEM,
                email=FOCAL_POINT,
                password=PASSWORD,
                role="focal_point",
                country=COUNTRY,
            )

        # The address the display's featured slide puts in its QR code.
        with i18n.language(DISPLAY_LANGUAGE):
            submit = display.submit_url(page_url=f"{app_url}/display?{urlencode({'event': EVENT})}")
            assert submit is not None
            address = display.practice_url(submit, practice_id, event=EVENT)
        query = parse_qs(urlsplit(address).query)
        assert query == {"id": [str(practice_id)], "event": [EVENT], "lang": [DISPLAY_LANGUAGE]}
        page.goto(address)
        wait_for_app(page)
        ask = page.get_by_role(
            "button", name=re.compile(re.escape(said("I want to learn from this")))
        )
        expect(ask).to_be_visible()
        ask.tap()
        wait_for_app(page)
        page.get_by_label(said("Your name (optional)")).fill("Ana Scan")
        page.locator("[class*='from_country'] input").click()
        with i18n.language(DISPLAY_LANGUAGE):
            serbia = i18n.country_name("RS", "Serbia")
        page.keyboard.type(serbia)
        page.keyboard.press("Enter")
        page.get_by_label(said("E-mail or phone (optional)")).fill(CONTACT)
        page.get_by_role("textbox", name=said("Message (optional)")).fill("How did you start?")
        page.get_by_role("button", name=re.compile(re.escape(said("Send")) + "$")).tap()
        wait_for_app(page)
        sent = said(
            "Sent. The focal points of {country} and the forum's organisers have your details."
        )
        words = max(sent.split("{country}"), key=len).strip()  # wherever the name goes
        expect(page.get_by_text(words)).to_be_visible()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "scan-path-1-sent.png"), full_page=True)
        assert not dialogs and not foreign

        with read_session(engine) as session:
            request = session.exec(
                select(ExchangeRequest).where(ExchangeRequest.practice_id == practice_id)
            ).one()
            unread = len(
                session.exec(
                    select(Notification).where(
                        Notification.user_id == user_id, col(Notification.read_at).is_(None)
                    )
                ).all()
            )
        assert (request.contact, request.from_country, request.event) == (CONTACT, "RS", EVENT)
        assert request.language == DISPLAY_LANGUAGE
        assert unread >= 1, "the focal point of the practice's country is told"

        # The focal point, on their phone: the count in the menu, the notice, the request.
        phone = _phone_page(focal)
        phone.goto(app_url + "/login")
        wait_for_app(phone)
        phone.get_by_label("Email").fill(FOCAL_POINT)
        phone.get_by_role("textbox", name="Password").fill(PASSWORD)
        phone.get_by_role("button", name="Sign in").tap()
        expect(phone).to_have_url(re.compile(r"/submit"))
        wait_for_app(phone)
        phone.locator("[data-testid='stExpandSidebarButton']").tap()
        menu = phone.locator("[data-testid='stSidebar']")
        inbox = menu.get_by_role("link", name=re.compile(rf"Inbox · {unread}$"))
        expect(inbox).to_be_visible()
        inbox.tap()
        expect(phone).to_have_url(re.compile(r"/inbox"))
        wait_for_app(phone)
        if menu.get_attribute("data-collapsed") == "false":  # the menu covers the page: close it
            menu.locator("[data-testid='stSidebarCollapseButton'] button").tap()
            expect(menu).to_have_attribute("data-collapsed", "true")
        notice = phone.get_by_role("link", name=re.compile("Ana Scan wants to learn from"))
        expect(notice).to_be_visible()
        phone.screenshot(path=str(ARTIFACTS / "scan-path-2-inbox.png"), full_page=True)
        notice.tap()
        expect(phone).to_have_url(re.compile(rf"/exchange\?(.*&)?request={request.id}\b"))
        wait_for_app(phone)
        expect(phone.get_by_text(f"Contact: {CONTACT}")).to_be_visible()
        # On top, its next step open: the first "Record the next step" is this request's.
        step = phone.locator("[data-testid='stExpander']", has_text="Record the next step").first
        expect(step.get_by_text(v.ExchangeStatus.in_contact.label, exact=True)).to_be_visible()
        step.get_by_text(v.ExchangeStatus.in_contact.label, exact=True).tap()
        step.get_by_role("textbox", name="Note (optional)").fill(NOTE)
        step.get_by_role("button", name="Save the step").tap()
        wait_for_app(phone)
        expect(phone.get_by_text("Saved: the request is now in contact.").first).to_be_visible()
        note = phone.get_by_role("textbox", name="Note (optional)").first
        expect(note).to_have_value("")  # saved with this step, not carried to the next one
        phone.screenshot(path=str(ARTIFACTS / "scan-path-3-answered.png"), full_page=True)
        assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390
        link = phone.url

        # Nobody else reads the participant's contact from that link.
        stranger = _phone_page(anonymous)
        stranger.goto(link)
        wait_for_app(stranger)
        expect(stranger.get_by_text("sign in to answer peer-exchange requests")).to_be_visible()
        assert CONTACT not in stranger.content()
        assert "Ana Scan" not in stranger.content()

        with read_session(engine) as session:
            answered = session.get(ExchangeRequest, request.id)
            steps = session.exec(
                select(ExchangeStep).where(ExchangeStep.request_id == request.id)
            ).all()
        assert answered is not None and answered.status == v.ExchangeStatus.in_contact
        assert [(s.status, s.note, s.by_id) for s in steps] == [
            (v.ExchangeStatus.in_contact, NOTE, user_id)
        ]
        engine.dispose()
    finally:
        for context in (participant, focal, anonymous):
            context.close()
