"""AppTest of /inbox: a signed-in person's notices (unread marked "New" and bold), opening one
marks it read and leads to its page, "Mark all as read", the menu's count; anonymous visitors
are asked to sign in; the e-mails' unsubscribe link works without signing in."""

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from forumdash import auth, notifications
from forumdash import vocab as v
from forumdash.db import make_engine, read_session, write_session
from forumdash.models import MailState, Notification, Practice
from forumdash.text import escape_markdown
from tests.conftest import ROOT
from tests.support.signed_in import sign_in_as

PASSWORD = "a long enough password"


@pytest.fixture
def people(app_database):
    """An organiser with two unread notices, a focal point with one."""
    engine = make_engine(app_database)
    with write_session(engine) as session:
        org = auth.create_user(
            session=session,
            actor=auth.SYSTEM,
            email="org@example.org",
            password=PASSWORD,
            role="organiser",
        )
        fp = auth.create_user(
            session=session,
            actor=auth.SYSTEM,
            email="fp@xk.example",
            password=PASSWORD,
            role="focal_point",
            country="XK",
        )
        practice = session.exec(
            select(Practice).where(Practice.workflow == v.Workflow.published)
        ).first()
        for kind, who, record_type, params in [
            (v.NotificationKind.submission, org, "practice", {"title": "Hostile *bold* <b>x</b>"}),
            (v.NotificationKind.correction, org, "practice", {}),
            (v.NotificationKind.published, fp, "practice", {}),
        ]:
            notifications.notify(
                session,
                kind=kind,
                recipients=[who],
                record_type=record_type,
                record_id=practice.id if kind != v.NotificationKind.submission else 10**8,
                params=params,
            )
    yield {
        "engine": engine,
        "org": auth.SessionUser(org, "org@example.org", v.Role.organiser, None),
        "fp": auth.SessionUser(fp, "fp@xk.example", v.Role.focal_point, "XK"),
        "practice": practice,
    }
    engine.dispose()


def inbox(user: auth.SessionUser | None, **params: str) -> AppTest:
    """The inbox opened cold by its URL (the overview is not drawn first)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    if user is not None:
        sign_in_as(at, user)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page("pages/inbox.py").run()
    return at


def menu_inbox(at: AppTest) -> str:
    [label] = [link.label for link in at.sidebar.get("page_link") if link.proto.page == "inbox"]
    return label


def notice_links(at: AppTest) -> list[str]:
    return [link.label for link in at.main.get("page_link") if "open=" in link.proto.query_string]


def unread(engine, user) -> int:
    with read_session(engine) as session:
        return notifications.unread_count(session, user.id)


def test_a_signed_in_person_sees_their_notices_and_marks_them_read(people):
    at = inbox(people["org"])
    assert not at.exception
    assert menu_inbox(at) == "Inbox · 2"
    links = notice_links(at)
    # Shown as Markdown source, escaped (the practice's title may hold a hyphen or a dot).
    title = escape_markdown(people["practice"].title)
    assert links == [
        f"**A reader sent a correction to the practice “{title}”**",
        # User text is escaped: shown as typed, never as Markdown or HTML.
        r"**New practice to review\: “Hostile \*bold\* \<b\>x\</b\>”**",
    ]
    assert sum("New" in m.value for m in at.main.markdown if "badge" in m.value) == 2
    assert "2 unread notices · 2 in all" in [c.value for c in at.main.caption]
    at.button(key="inbox.mark_all").click().run()
    assert unread(people["engine"], people["org"]) == 0
    assert menu_inbox(at) == "Inbox"
    assert notice_links(at) == [link.strip("*") for link in links]  # no longer bold
    assert not [m for m in at.main.markdown if "badge" in m.value]
    assert at.button(key="inbox.mark_all").disabled
    assert unread(people["engine"], people["fp"]) == 1  # someone else's stay unread


def test_opening_a_notice_marks_it_read_and_leads_to_its_page(people):
    engine = people["engine"]
    with read_session(engine) as session:
        [notice] = notifications.notices(session, people["fp"])[0]
    at = inbox(people["fp"], open=str(notice.id))
    assert not at.exception
    assert unread(engine, people["fp"]) == 0
    # The published practice's page is open now.
    assert at.title[0].value == escape_markdown(people["practice"].title)


def test_nobody_opens_another_persons_notice(people):
    engine = people["engine"]
    with read_session(engine) as session:
        theirs = session.exec(
            select(Notification).where(Notification.user_id == people["org"].id)
        ).first()
    at = inbox(people["fp"], open=str(theirs.id))
    assert not at.exception
    assert "This notice is not in your inbox." in [i.value for i in at.info]
    assert unread(engine, people["org"]) == 2
    at = inbox(people["fp"], open="not-a-number")
    assert "This notice is not in your inbox." in [i.value for i in at.info]


def test_a_notice_of_a_page_not_there_yet_is_read_and_says_so(people):
    engine = people["engine"]
    with write_session(engine) as session:
        notifications.notify(
            session,
            kind=v.NotificationKind.suggestion,
            recipients=[people["fp"].id],
            record_type="suggestion",
            record_id=10**8,
        )
    with read_session(engine) as session:
        newest = notifications.notices(session, people["fp"])[0][0]
    at = inbox(people["fp"])
    assert menu_inbox(at) == "Inbox · 2"
    at = inbox(people["fp"], open=str(newest.id))
    assert not at.exception
    if not (ROOT / "pages/exchange.py").is_file():
        assert at.title[0].value == "Inbox"
        assert menu_inbox(at) == "Inbox · 1"


def test_anonymous_visitors_are_asked_to_sign_in(people):
    at = inbox(None)
    assert not at.exception
    assert at.info[0].value.startswith("Sign in to see your inbox")
    assert not notice_links(at)
    assert not [link for link in at.sidebar.get("page_link") if link.proto.page == "inbox"]


def test_an_empty_inbox_says_so_in_words(people):
    engine = people["engine"]
    with write_session(engine) as session:
        for row in session.exec(select(Notification)).all():
            session.delete(row)
    at = inbox(people["org"])
    assert menu_inbox(at) == "Inbox"
    assert any(m.value.startswith("Nothing here yet.") for m in at.main.markdown)
    assert not [b for b in at.button if b.key == "inbox.mark_all"]


def test_the_unsubscribe_link_works_without_signing_in(people, monkeypatch):
    monkeypatch.setenv("FORUMDASH_SMTP_URL", "smtp://127.0.0.1:9")  # set, never reached here
    engine = people["engine"]
    at = inbox(people["org"])  # opening the inbox makes the person's mail state
    assert not at.exception
    assert at.toggle(key="inbox.mail").value is True
    with read_session(engine) as session:
        state = session.get(MailState, people["org"].id)
    assert state.language == "en"
    at = inbox(None, unsubscribe=state.unsubscribe_token)
    assert not at.exception
    at.button(key="inbox.unsubscribe").click().run()
    assert at.success[0].value.startswith("Done: the forum sends you no more e-mail digests.")
    with read_session(engine) as session:
        assert session.get(MailState, people["org"].id).unsubscribed
    at = inbox(None, unsubscribe="forged-token-forged-token")
    at.button(key="inbox.unsubscribe").click().run()
    assert at.warning[0].value.startswith("This unsubscribe link is not valid")
    # Back on, from the inbox.
    at = inbox(people["org"])
    assert at.toggle(key="inbox.mail").value is False
    at.toggle(key="inbox.mail").set_value(True).run()
    with read_session(engine) as session:
        assert not session.get(MailState, people["org"].id).unsubscribed


def test_every_page_of_a_signed_in_person_counts_their_unread_notices(people):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    sign_in_as(at, people["fp"])
    at.run()
    assert not at.exception
    [link] = [link for link in at.sidebar.get("page_link") if link.proto.page == "inbox"]
    assert link.label == "Inbox · 1"
    assert link.proto.help == "1 unread notice"
    at.switch_page("pages/browse.py").run()
    assert menu_inbox(at) == "Inbox · 1"


def test_odd_numbers_in_the_address_are_refused_in_words(people):
    """?open= and ?page= that str.isdigit() calls digits but int() refuses (a superscript two)
    are told as any other bad value, never a traceback."""
    at = inbox(people["fp"], open="²")
    assert not at.exception
    assert "This notice is not in your inbox." in [i.value for i in at.info]
    at = inbox(people["fp"], page="²")
    assert not at.exception
    assert notice_links(at)  # the first page
