"""E-mail digests against a real SMTP server the test starts (aiosmtpd): what arrives, for whom,
how often, in which language; two senders at once mail each notice once; unsubscribing stops
them; a failed send is retried. Every time is an explicit `now`: nothing sleeps."""

import datetime as dt
import email
import email.policy
import socket
import threading
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import select

from forumdash import auth, digests, notifications
from forumdash import vocab as v
from forumdash.db import read_session, write_session
from forumdash.models import MailState, Notification, User

FP_XK = auth.SessionUser(1, "fp@xk.example", v.Role.focal_point, "XK", "Drita")
ORG = auth.SessionUser(4, "org@example.org", v.Role.organiser, None, "Mira")
ORG2 = auth.SessionUser(5, "org2@example.org", v.Role.organiser, None)
PUBLIC = "https://forum.example.org"
# Later than any notice the test makes: every `now` is explicit, and the notices' own times
# (now, as they are added) are before it.
T = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=1)
HASH = auth.hash_password("long enough password")


class Inbox:
    """What the SMTP server received."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []
        self.lock = threading.Lock()
        self.port = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for rcpt, m in self.messages if address in rcpt]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp(monkeypatch):
    inbox = Inbox()
    port = inbox.port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("FORUMDASH_SMTP_URL", f"smtp://127.0.0.1:{port}?from=forum@example.org")
    monkeypatch.setenv("FORUMDASH_PUBLIC_URL", PUBLIC)
    yield inbox
    controller.stop()


@pytest.fixture
def engine(seeded_engine):
    with write_session(seeded_engine) as session:
        for user in (FP_XK, ORG, ORG2):
            session.add(
                User(
                    id=user.id,
                    email=user.email,
                    display_name=user.display_name,
                    password_hash=HASH,
                    role=user.role,
                    country_code=user.country_code,
                )
            )
    return seeded_engine


def tell(engine, user_ids, title: str, *, kind=v.NotificationKind.submission) -> None:
    """A notice of a submission (of a record since removed, so it is worded from `title`)."""
    with write_session(engine) as session:
        notifications.notify(
            session,
            kind=kind,
            recipients=user_ids,
            record_type="practice",
            record_id=10**8,
            params={"title": title},
        )


def mailed(engine) -> dict[int, dt.datetime | None]:
    with read_session(engine) as session:
        return {n.id: n.emailed_at for n in session.exec(select(Notification)).all()}


def text(message: EmailMessage) -> str:
    return message.get_content().replace("\r\n", "\n")


def test_the_digest_arrives_with_the_persons_notices_links_and_unsubscribe(engine, smtp):
    tell(engine, [ORG.id, FP_XK.id], "Budget hearings")
    tell(engine, [ORG.id], "Open contracts")
    with write_session(engine) as session:
        digests.remember_language(session, FP_XK, "sq")
    report = digests.send_due_digests(engine, T)
    assert (report.sent, report.notices, report.failed) == (2, 3, 0)
    [org_mail] = smtp.to(ORG.email)
    [fp_mail] = smtp.to(FP_XK.email)
    body = text(org_mail)
    assert "\n\n" in body
    assert org_mail["Subject"] == "2 new notices from the forum"
    assert org_mail["From"] == "forumdash <forum@example.org>"
    assert "Hello Mira," in body
    assert "New practice to review: “Budget hearings”" in body
    assert "New practice to review: “Open contracts”" in body
    assert body.index("Open contracts") < body.index("Budget hearings")  # newest first
    assert f"{PUBLIC}/review\n" in body
    with read_session(engine) as session:
        org_token = session.get(MailState, ORG.id).unsubscribe_token
        fp_token = session.get(MailState, FP_XK.id).unsubscribe_token
    assert org_mail["List-Unsubscribe"] == f"<{PUBLIC}/inbox?unsubscribe={org_token}>"
    assert f"{PUBLIC}/inbox?unsubscribe={org_token}" in body
    assert fp_token not in body and "Drita" not in body  # nobody else's mail
    # The focal point's digest: in Albanian (the language of their inbox), their one notice.
    assert fp_mail["Content-Language"] == "sq"
    assert "Open contracts" not in text(fp_mail)
    assert "Budget hearings" in text(fp_mail)
    assert f"{PUBLIC}/review?lang=sq" in text(fp_mail)
    assert f"{PUBLIC}/inbox?unsubscribe={fp_token}&lang=sq" in text(fp_mail)
    assert all(at is not None for at in mailed(engine).values())


def test_at_most_one_digest_an_hour_with_what_was_not_mailed(engine, smtp):
    tell(engine, [ORG.id], "First")
    assert digests.send_due_digests(engine, T).sent == 1
    tell(engine, [ORG.id], "Second")
    assert digests.send_due_digests(engine, T + dt.timedelta(minutes=30)).sent == 0
    assert digests.send_due_digests(engine, T + dt.timedelta(minutes=59)).sent == 0
    assert len(smtp.to(ORG.email)) == 1
    assert digests.send_due_digests(engine, T + dt.timedelta(minutes=60)).sent == 1
    first, second = smtp.to(ORG.email)
    assert "“First”" in text(first) and "“Second”" not in text(first)
    assert "“Second”" in text(second) and "“First”" not in text(second)
    assert second["Subject"] == "1 new notice from the forum"
    # Nothing left: the next hour sends nothing.
    assert digests.send_due_digests(engine, T + dt.timedelta(hours=3)).sent == 0


def test_read_notices_are_not_mailed(engine, smtp):
    tell(engine, [ORG.id], "Seen already")
    with write_session(engine) as session:
        notifications.mark_all_read(session, ORG)
    assert digests.send_due_digests(engine, T).sent == 0
    assert smtp.messages == []


def test_two_senders_at_once_mail_each_notice_once(engine, smtp):
    for number in range(3):
        tell(engine, [ORG.id, ORG2.id, FP_XK.id], f"Record {number}")
    start = threading.Barrier(2)
    reports: list[digests.DigestReport] = []

    def run() -> None:
        start.wait()
        reports.append(digests.send_due_digests(engine, T))

    threads = [threading.Thread(target=run) for _n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(reports) == 2 and sum(r.failed for r in reports) == 0
    assert sum(r.sent for r in reports) == 3
    for user in (ORG, ORG2, FP_XK):
        [message] = smtp.to(user.email)
        assert all(f"“Record {n}”" in text(message) for n in range(3))
    assert len(smtp.messages) == 3


def test_unsubscribing_stops_the_mails(engine, smtp):
    tell(engine, [ORG.id], "Before")
    digests.send_due_digests(engine, T)
    with read_session(engine) as session:
        token = session.get(MailState, ORG.id).unsubscribe_token
    with write_session(engine) as session:
        assert digests.unsubscribe(session, "not-a-token") is False
        assert digests.unsubscribe(session, "x" * 32) is False
        assert digests.unsubscribe(session, token) is True
    tell(engine, [ORG.id], "After")
    assert digests.send_due_digests(engine, T + dt.timedelta(hours=2)).sent == 0
    assert len(smtp.to(ORG.email)) == 1
    # Turned on again from the inbox: what waits goes at the next run.
    with write_session(engine) as session:
        digests.set_subscribed(session, ORG, True)
    assert digests.send_due_digests(engine, T + dt.timedelta(hours=2)).sent == 1
    assert "“After”" in text(smtp.to(ORG.email)[-1])


def test_a_failed_send_is_logged_and_retried(engine, smtp, monkeypatch, caplog):
    tell(engine, [ORG.id], "Waiting")
    monkeypatch.setenv("FORUMDASH_SMTP_URL", f"smtp://127.0.0.1:{free_port()}")  # nobody there
    report = digests.send_due_digests(engine, T)
    assert (report.sent, report.failed) == (0, 1)
    assert "retried at the next run" in caplog.text
    assert set(mailed(engine).values()) == {None}
    with read_session(engine) as session:
        state = session.get(MailState, ORG.id)
    assert state.claimed_by is None and state.last_digest_at is None
    monkeypatch.setenv("FORUMDASH_SMTP_URL", f"smtp://127.0.0.1:{smtp.port}?from=forum@example.org")
    assert digests.send_due_digests(engine, T + dt.timedelta(minutes=5)).sent == 1
    assert "“Waiting”" in text(smtp.to(ORG.email)[0])


def test_without_a_public_address_nothing_is_mailed(engine, smtp, monkeypatch, caplog):
    tell(engine, [ORG.id], "Waiting")
    monkeypatch.delenv("FORUMDASH_PUBLIC_URL")
    report = digests.send_due_digests(engine, T)
    assert report.sent == 0 and "FORUMDASH_PUBLIC_URL is not set" in report.skipped
    assert "FORUMDASH_PUBLIC_URL is not set" in caplog.text
    assert smtp.messages == [] and set(mailed(engine).values()) == {None}


def test_a_claim_left_by_a_dead_process_is_taken_over(engine, smtp):
    tell(engine, [ORG.id], "Stuck")
    with write_session(engine) as session:
        digests.mail_state(session, ORG)
        state = session.get(MailState, ORG.id)
        state.claimed_by, state.claimed_at = "dead", T
        session.add(state)
    assert digests.send_due_digests(engine, T + dt.timedelta(minutes=5)).sent == 0
    assert digests.send_due_digests(engine, T + digests.CLAIM_EXPIRES).sent == 1


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp://user%40x.org:p%40ss@mail.example.org:587?starttls=1",
            ("mail.example.org", 587, False, True, "user@x.org", "p@ss", "user@x.org"),
        ),
        (
            "smtps://relay:secret@mail.example.org?from=forum@example.org",
            ("mail.example.org", 465, True, False, "relay", "secret", "forum@example.org"),
        ),
        (
            "smtp://localhost",
            ("localhost", 25, False, False, "", "", "forumdash@forum.example.org"),
        ),
    ],
)
def test_the_smtp_setting(url, expected):
    server = digests.smtp_server(url, PUBLIC)
    assert (
        server.host,
        server.port,
        server.tls,
        server.starttls,
        server.user,
        server.password,
        server.sender,
    ) == expected


@pytest.mark.parametrize("url", ["http://mail.example.org", "mail.example.org:25", "smtp://:x@"])
def test_a_bad_smtp_setting_is_refused_without_its_password(url):
    with pytest.raises(digests.MailSettingError) as refused:
        digests.smtp_server(url)
    assert "x@" not in str(refused.value) and "smtp://USER:PASSWORD@HOST" in str(refused.value)


def test_the_mail_digests_command(engine, smtp, monkeypatch, capsys):
    from forumdash.cli import main

    monkeypatch.setenv("FORUMDASH_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    tell(engine, [ORG.id], "From the command line")
    assert main(["mail-digests"]) == 0
    assert capsys.readouterr().out == "digests sent: 1 (notices in them: 1); failed: 0\n"
    assert "“From the command line”" in text(smtp.to(ORG.email)[0])
    assert main(["mail-digests"]) == 0  # nothing due: nothing sent again
    assert len(smtp.messages) == 1
    monkeypatch.delenv("FORUMDASH_SMTP_URL")
    assert main(["mail-digests"]) == 2
    assert "error: no digests sent: FORUMDASH_SMTP_URL is not set" in capsys.readouterr().err


def test_the_background_loop_sends_and_outlives_a_failed_run(engine, smtp, monkeypatch, caplog):
    """digests.run_every, as an app process's thread runs it: a run that raises is logged and
    the next one still sends."""
    tell(engine, [ORG.id], "From the thread")
    stop = threading.Event()
    runs: list[dt.datetime] = []
    real = digests.send_due_digests

    def flaky(engine_, now):
        runs.append(now)
        if len(runs) == 1:
            raise RuntimeError("the database went away for a moment")
        stop.set()
        return real(engine_, now)

    monkeypatch.setattr(digests, "send_due_digests", flaky)
    digests.run_every(engine, stop, seconds=0, clock=lambda: T)
    assert len(runs) == 2
    assert "sending digests failed" in caplog.text
    assert "“From the thread”" in text(smtp.to(ORG.email)[0])


def test_one_persons_broken_digest_does_not_stop_the_others(engine, smtp, monkeypatch, caplog):
    """An error other than the mail server's in one person's digest is logged and retried; the
    people after them in the run are still mailed."""
    tell(engine, [ORG.id, ORG2.id], "For both")
    real = digests._digest_for

    def broken_for_the_first(engine_, user_id, now, base):
        if user_id == min(ORG.id, ORG2.id):
            raise KeyError("a record that no longer reads")
        return real(engine_, user_id, now, base)

    monkeypatch.setattr(digests, "_digest_for", broken_for_the_first)
    report = digests.send_due_digests(engine, T)
    assert (report.sent, report.failed) == (1, 1)
    assert "retried at the next run" in caplog.text
    later = max(ORG, ORG2, key=lambda user: user.id)
    assert len(smtp.to(later.email)) == 1
