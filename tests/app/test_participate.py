"""AppTest: a participant without an account asks to learn from a practice (one tap, then the
optional details) and shares a practice or a challenge on /share; bad input is refused in the
form's words with what was typed kept, and a flood is told how long to wait."""

import pytest
from sqlmodel import select

from forumdash import limits
from forumdash.db import read_session
from forumdash.models import Correction, ExchangeRequest, Notification, Practice, Suggestion
from tests.app.test_contribute import accounts  # noqa: F401
from tests.app.test_pages import open_correction, open_page


def _published(engine, country="XK"):
    with read_session(engine) as session:
        return session.exec(
            select(Practice)
            .where(Practice.workflow == "published", Practice.country_code == country)
            .order_by(Practice.id)
        ).first()


def _errors(at):
    return " ".join(e.value.replace("\\", "") for e in at.error)


def test_one_tap_then_details_on_the_practice_page(accounts):  # noqa: F811
    practice = _published(accounts)
    at = open_page("pages/practice.py", id=str(practice.id), event="Skopje 2026")
    key = f"learn.{practice.id}"
    ask = at.button(key=key + ".ask")
    assert ask.label == "I want to learn from this"
    assert key + ".name" not in [box.key for box in at.text_input]  # details come after a tap
    ask.click().run()
    assert not at.exception
    assert "Noted. The focal points of Kosovo will see" in at.success[0].value
    assert "1 person has asked to learn from this practice." in [c.value for c in at.caption]
    assert any(
        "Only this country's focal points and the forum's organisers" in c.value for c in at.caption
    )
    # Details: a contact that is neither an e-mail nor a phone is refused, the rest kept.
    at.text_input(key=key + ".name").input("Ana <b>Kovač</b>")
    at.text_input(key=key + ".contact").input("somewhere")
    at.text_area(key=key + ".message").input("[Visit](javascript:alert(1)) =cmd|' /C calc'!A0")
    at.selectbox(key=key + ".from_country").set_value("RS")
    at.button(key=f"FormSubmitter:{key}.details-Send").click().run()
    assert "E-mail or phone: give an e-mail address" in _errors(at)
    assert at.text_input(key=key + ".name").value == "Ana <b>Kovač</b>"
    assert at.text_area(key=key + ".message").value.startswith("[Visit]")
    at.text_input(key=key + ".contact").input("ana@example.org")
    at.button(key=f"FormSubmitter:{key}.details-Send").click().run()
    assert not at.error
    assert any("have your details" in s.value for s in at.success)
    # A second tap finds the same request and says so.
    at.button(key=key + ".ask").click().run()
    assert "You had already asked" in at.info[0].value
    with read_session(accounts) as session:
        rows = session.exec(select(ExchangeRequest)).all()
        notices = session.exec(select(Notification)).all()
    assert len(rows) == 1
    row = rows[0]
    assert (row.name, row.contact, row.from_country) == (
        "Ana <b>Kovač</b>",
        "ana@example.org",
        "RS",
    )
    assert row.message == "[Visit](javascript:alert(1)) =cmd|' /C calc'!A0"
    assert (row.event, row.language, row.to_country) == ("Skopje 2026", "en", "XK")
    assert len(notices) == 2  # XK's focal point and the organiser, once each
    # The page keeps the event in its address, so a reload still carries it.
    assert at.query_params["event"] in ("Skopje 2026", ["Skopje 2026"])


def test_share_refuses_bad_input_in_the_forms_words_and_keeps_it(accounts):  # noqa: F811
    at = open_page("pages/share.py")
    assert not at.exception
    assert at.radio(key="share.record_type").value is None
    assert at.selectbox(key="share.country_code").value is None  # no country assumed
    at.button(key="share-page.send").click().run()
    said = _errors(at)
    for line in (
        "Practice or challenge: choose a practice or a challenge",
        "Title: required",
        "Country: choose a country",
        "What it is: required",
    ):
        assert line in said
    at.radio(key="share.record_type").set_value("practice")
    at.text_input(key="share.title").input("**Open** [budgets](http://evil.example)")
    at.selectbox(key="share.country_code").set_value("XK")
    at.text_area(key="share.description").input("x" * 2001)
    at.text_input(key="share.contact").input("not a contact")
    at.button(key="share-page.send").click().run()
    said = _errors(at)
    assert "What it is: at most 2,000 characters" in said
    assert "E-mail or phone: give an e-mail address" in said
    assert at.text_input(key="share.title").value == "**Open** [budgets](http://evil.example)"
    assert at.selectbox(key="share.country_code").value == "XK"
    with read_session(accounts) as session:
        assert not session.exec(select(Suggestion)).all()


def test_share_sends_and_says_what_happens_next(accounts):  # noqa: F811
    at = open_page("pages/share.py", event="Tirana 2026")
    at.radio(key="share.record_type").set_value("challenge")
    at.text_input(key="share.title").input("Few people read the budget")
    at.selectbox(key="share.country_code").set_value("XK")
    at.text_area(key="share.description").input("Citizens do not read the municipal budget.")
    at.text_input(key="share.contact").input("+383 44 123 456")
    at.button(key="share-page.send").click().run()
    assert not at.exception and not at.error
    assert "with the focal points of Kosovo and the forum's organisers" in at.success[0].value
    text = " ".join(m.value for m in at.markdown)
    assert "draft challenge" in text and "write to you at the contact you gave" in text
    assert "share.title" not in [box.key for box in at.text_input]  # the form gave way
    with read_session(accounts) as session:
        row = session.exec(select(Suggestion)).one()
        notices = session.exec(select(Notification)).all()
    assert (row.title, row.record_type, row.country_code) == (
        "Few people read the budget",
        "challenge",
        "XK",
    )
    assert (row.contact, row.event) == ("+383 44 123 456", "Tirana 2026")
    assert {(n.kind, n.record_id) for n in notices} == {("suggestion", row.id)}
    assert len(notices) == 2
    # "Share another" brings back an empty form.
    at.button(key="share-page.again").click().run()
    assert at.text_input(key="share.title").value == ""


def test_a_flood_is_told_how_long_to_wait_and_keeps_what_was_typed(
    accounts,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setattr(limits, "SUGGEST", limits.Limit("suggest", per_device=1, per_address=9))
    at = open_page("pages/share.py")

    def fill(title):
        at.radio(key="share.record_type").set_value("practice")
        at.text_input(key="share.title").input(title)
        at.selectbox(key="share.country_code").set_value("XK")
        at.text_area(key="share.description").input("Hearings on the budget in every town.")
        at.button(key="share-page.send").click().run()

    fill("First")
    at.button(key="share-page.again").click().run()
    fill("Second")
    assert "Please try again in 60 minutes." in _errors(at)
    assert "many requests in the last hour" in _errors(at)
    assert at.text_input(key="share.title").value == "Second"
    with read_session(accounts) as session:
        assert [s.title for s in session.exec(select(Suggestion)).all()] == ["First"]


def test_the_honeypot_is_hidden_and_a_bot_is_told_it_worked(accounts):  # noqa: F811
    at = open_page("pages/share.py")
    assert at.text_input(key="share.website").label == "Leave this empty"
    assert any(".st-key-share-website {display: none" in h.proto.body for h in at.get("html"))
    at.radio(key="share.record_type").set_value("practice")
    at.text_input(key="share.title").input("Cheap watches")
    at.selectbox(key="share.country_code").set_value("XK")
    at.text_area(key="share.description").input("Buy cheap watches at our shop today.")
    at.text_input(key="share.website").input("http://spam.example")
    at.button(key="share-page.send").click().run()
    assert at.success and "Thank you" in at.success[0].value
    with read_session(accounts) as session:
        assert not session.exec(select(Suggestion)).all()
        assert not session.exec(select(Notification)).all()


def test_corrections_are_limited_in_the_database(
    app_database,
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setattr(limits, "CORRECT", limits.Limit("correct", per_device=1, per_address=9))
    from forumdash.db import make_engine

    with read_session(make_engine(app_database)) as session:
        practice = session.exec(
            select(Practice).where(Practice.workflow == "published").order_by(Practice.id)
        ).first()
    at = open_page("pages/practice.py", id=str(practice.id))
    key = f"correction.practice.{practice.id}"
    open_correction(at, key)
    for _attempt in range(2):
        at.text_area(key=key + ".wrong").input("The start year is wrong, says the ministry.")
        at.text_area(key=key + ".right").input("It started in 2016, not earlier.")
        [b for b in at.button if b.label == "Send the correction"][0].click().run()
    assert "Please try again in 60 minutes." in _errors(at)
    assert at.text_area(key=key + ".wrong").value == "The start year is wrong, says the ministry."
    with read_session(make_engine(app_database)) as session:
        assert len(session.exec(select(Correction)).all()) == 1


def test_a_database_failure_on_sending_is_said_in_words_and_keeps_what_was_typed(
    accounts,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
):
    """A busy or lost database (a room tapping at once on SQLite, a dropped PostgreSQL
    connection) gives a message, not a traceback, on /share and on a practice's tap."""
    from sqlalchemy.exc import OperationalError

    from forumdash import participation

    def down(*args, **kwargs):
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(participation, "suggest", down)
    monkeypatch.setattr(participation, "ask_to_learn", down)
    at = open_page("pages/share.py")
    at.radio(key="share.record_type").set_value("practice")
    at.text_input(key="share.title").input("Budget hearings")
    at.selectbox(key="share.country_code").set_value("XK")
    at.text_area(key="share.description").input("Hearings on the budget in every town.")
    at.button(key="share-page.send").click().run()
    assert not at.exception
    assert "database cannot be reached right now" in _errors(at)
    assert at.text_input(key="share.title").value == "Budget hearings"

    practice = _published(accounts)
    at = open_page("pages/practice.py", id=str(practice.id))
    at.button(key=f"learn.{practice.id}.ask").click().run()
    assert not at.exception
    assert "database cannot be reached right now" in _errors(at)


def test_the_event_of_the_page_a_qr_code_opened_goes_with_a_later_request(accounts):  # noqa: F811
    """A display's QR code opens a page with ?event=; the participant browses on (links carry no
    event) and asks to learn from a practice there: the request still says the event."""
    practice = _published(accounts)
    at = open_page("pages/browse.py", event="tirana-2026")
    assert not at.exception
    at.query_params.clear()
    at.query_params["id"] = str(practice.id)
    at.switch_page("pages/practice.py").run()
    at.button(key=f"learn.{practice.id}.ask").click().run()
    assert not at.exception
    with read_session(accounts) as session:
        (row,) = session.exec(select(ExchangeRequest)).all()
    assert row.event == "tirana-2026"


def test_a_database_failure_on_a_correction_is_said_in_words(
    accounts,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
):
    """A correction that meets a busy or lost database gets the frame's words, not a traceback,
    and the form keeps what was typed."""
    from sqlalchemy.exc import OperationalError

    from forumdash import workflow

    def down(*args, **kwargs):
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(workflow, "flag_correction", down)
    practice = _published(accounts)
    at = open_page("pages/practice.py", id=str(practice.id))
    key = f"correction.practice.{practice.id}"
    open_correction(at, key)
    at.text_area(key=key + ".wrong").input("The portal opened in 2016.")
    at.text_area(key=key + ".right").input("It opened in March 2016.")
    [b for b in at.button if b.label == "Send the correction"][0].click().run()
    assert not at.exception
    assert "database cannot be reached right now" in _errors(at)
    assert at.text_area(key=key + ".wrong").value == "The portal opened in 2016."
