"""The inbox by e-mail: where FORUMDASH_SMTP_URL is set, each person's unread notices not yet
mailed go out as one digest an hour at most, in their language, each with its link, and with an
unsubscribe link that works without signing in.

Several processes may send at once (app processes' background threads, the CLI): a person's
digest is claimed in the database first (a conditional UPDATE of their `mail_state` row that
only one transaction can win), so no notice is mailed twice. A failed send is logged and retried
at the next run; a process that dies mid-send leaves a claim that others take over after
CLAIM_EXPIRES (the notices of that one digest may then arrive twice: better than never).
"""

import dataclasses
import datetime as dt
import logging
import re
import secrets
import smtplib
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from forumdash import i18n, notifications
from forumdash import vocab as v
from forumdash.auth import SessionUser
from forumdash.db import read_session, write_session
from forumdash.i18n import _, ngettext
from forumdash.models import MailState, Notification, User
from forumdash.settings import get_settings
from forumdash.text import safe_url

log = logging.getLogger("forumdash.digests")

EVERY = dt.timedelta(hours=1)  # at most one digest per person in this time
CLAIM_EXPIRES = dt.timedelta(minutes=15)  # a claim older than this was left by a dead process
MOST = 50  # notices listed in one digest; the rest are counted, and wait in the inbox
RUN_EVERY_SECONDS = 300  # how often an app process's background thread looks for due digests
SMTP_TIMEOUT = 30
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


class MailSettingError(ValueError):
    """FORUMDASH_SMTP_URL cannot be used (the message never repeats the password)."""


@dataclasses.dataclass(frozen=True)
class SmtpServer:
    """Where and how to send, read from FORUMDASH_SMTP_URL."""

    host: str
    port: int
    tls: bool  # smtps://: TLS from the first byte
    starttls: bool
    user: str
    password: str
    sender: str


def smtp_server(url: str, public_url: str | None = None) -> SmtpServer:
    """FORUMDASH_SMTP_URL read: `smtp://USER:PASSWORD@HOST:587?starttls=1&from=ADDRESS` or
    `smtps://...` (port 465 unless given). The sender is `from`, else the user if it is an
    address, else forumdash@ the public address's host. Raises MailSettingError."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise MailSettingError(
            "FORUMDASH_SMTP_URL must look like smtp://USER:PASSWORD@HOST:587?starttls=1 "
            "or smtps://USER:PASSWORD@HOST:465"
        )
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
    except ValueError as exc:
        raise MailSettingError("FORUMDASH_SMTP_URL has a port that is not a number") from exc
    query = {k: values[-1] for k, values in parse_qs(parts.query).items()}
    user = unquote(parts.username or "")
    sender = query.get("from", "")
    if not sender:
        public_host = urlsplit(public_url or "").hostname
        sender = user if "@" in user else f"forumdash@{public_host or parts.hostname}"
    return SmtpServer(
        host=parts.hostname,
        port=port,
        tls=parts.scheme == "smtps",
        starttls=query.get("starttls", "").lower() in ("1", "true", "yes", "on"),
        user=user,
        password=unquote(parts.password or ""),
        sender=sender,
    )


# --------------------------------------------------------------------------- a person's mail state


def _new_token() -> str:
    return secrets.token_urlsafe(24)


def _ensure_states(session: Session, user_ids: list[int]) -> None:
    """A mail_state row for each person (made once; a concurrent insert of the same is fine)."""
    if not user_ids:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    rows = [{"user_id": uid, "unsubscribe_token": _new_token()} for uid in user_ids]
    statement = insert(MailState).values(
        [row | {"language": "", "unsubscribed": False} for row in rows]
    )
    session.execute(statement.on_conflict_do_nothing(index_elements=["user_id"]))


def mail_state(session: Session, user: SessionUser | None) -> MailState:
    """A signed-in person's own mail state (made on first use)."""
    reader = notifications.reader(user)
    _ensure_states(session, [reader.id])
    state = session.get(MailState, reader.id)
    assert state is not None
    return state


def subscribed(session: Session, user: SessionUser | None) -> bool:
    """Whether a signed-in person gets digests (everyone does until they unsubscribe)."""
    state = session.get(MailState, notifications.reader(user).id)
    return state is None or not state.unsubscribed


def mail_language(session: Session, user: SessionUser | None) -> str | None:
    """The language a person's digests are written in; None before they have a mail state."""
    state = session.get(MailState, notifications.reader(user).id)
    return state.language if state is not None else None


def remember_language(session: Session, user: SessionUser | None, tag: str) -> None:
    """Write digests in `tag` from now on (the language the person reads their inbox in);
    written only when it changes."""
    state = mail_state(session, user)
    if i18n.parse_tag(tag) and state.language != tag:
        state.language = tag
        session.add(state)
        session.flush()


def set_subscribed(session: Session, user: SessionUser | None, subscribed: bool) -> None:
    """A person turns their e-mail digests on or off from their inbox."""
    state = mail_state(session, user)
    state.unsubscribed = not subscribed
    session.add(state)
    session.flush()


def unsubscribe(session: Session, token: str) -> bool:
    """Stop the digests of whoever's unsubscribe link carries `token` (no sign-in needed).
    False when the token is no one's."""
    if not isinstance(token, str) or not _TOKEN.match(token):
        return False
    result = session.execute(
        sa.update(MailState)
        .where(col(MailState.unsubscribe_token) == token)
        .values(unsubscribed=True)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]  # a CursorResult for an UPDATE


# --------------------------------------------------------------------------- the digest


@dataclasses.dataclass(frozen=True)
class Digest:
    """One person's digest, ready to send."""

    user_id: int
    to: str
    language: str
    notice_ids: list[int]
    message: EmailMessage


def _link(base: str, path: str, params: dict[str, str], language: str) -> str:
    query = dict(params)
    if language != i18n.DEFAULT:
        query["lang"] = language
    return base + path + ("?" + urlencode(query) if query else "")


def compose(
    session: Session, *, user: User, state: MailState, rows: list[Notification], base: str
) -> Digest:
    """The digest of these notices (newest first) for one person, in their language: each
    notice with its link, their inbox, and the unsubscribe link (also in List-Unsubscribe)."""
    assert user.id is not None
    language = i18n.parse_tag(state.language) or i18n.DEFAULT
    base = base.rstrip("/")
    with i18n.language(language):
        shown = rows[:MOST]
        worded = notifications.word(session, shown, organiser=v.Role(user.role) == v.Role.organiser)
        unsubscribe_url = _link(base, "/inbox", {"unsubscribe": state.unsubscribe_token}, language)
        inbox_url = _link(base, "/inbox", {}, language)
        count = len(rows)
        subject = ngettext(
            "{n} new notice from the forum", "{n} new notices from the forum", count
        ).format(n=i18n.format_number(count))
        lines = [
            _("Hello {name},").format(name=user.display_name or user.email),
            "",
            _("This is what happened on the forum since your last digest:"),
            "",
        ]
        for notice in worded:
            lines.append("* " + notice.title)
            if notice.detail:
                lines.append("  " + notice.detail)
            lines.append("  " + _link(base, notice.path, notice.params, language))
            lines.append("")
        if count > len(shown):
            more = count - len(shown)
            lines += [
                ngettext(
                    "…and {n} more notice in your inbox.",
                    "…and {n} more notices in your inbox.",
                    more,
                ).format(n=i18n.format_number(more)),
                "",
            ]
        lines += [
            _("Your inbox: {url}").format(url=inbox_url),
            "",
            "-- ",
            _("You get at most one digest an hour, of the notices you have not read yet."),
            _("Stop these e-mails: {url}").format(url=unsubscribe_url),
        ]
    message = EmailMessage()
    message["Subject"] = subject
    message["To"] = user.email
    message["Auto-Submitted"] = "auto-generated"
    message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
    message["Message-ID"] = make_msgid(domain=urlsplit(base).hostname or None)
    message.set_content("\n".join(lines))
    message["Content-Language"] = language  # after set_content, which clears Content-* headers
    return Digest(user.id, user.email, language, [r.id for r in rows if r.id is not None], message)


# --------------------------------------------------------------------------- sending


@dataclasses.dataclass
class DigestReport:
    """What one run did."""

    sent: int = 0  # digests
    notices: int = 0  # notices in them
    failed: int = 0  # digests that could not be sent (retried at the next run)
    skipped: str = ""  # why nothing was tried, if so


def _due_people(session: Session, now: dt.datetime) -> list[int]:
    """Active people with unread notices not yet mailed, not unsubscribed, whose last digest
    is an hour old or more (a person without a mail state yet is due)."""
    state = sa.orm.aliased(MailState)
    query = (
        select(Notification.user_id)
        .join(User, col(User.id) == col(Notification.user_id))
        .outerjoin(state, col(state.user_id) == col(Notification.user_id))
        .where(
            col(Notification.emailed_at).is_(None),
            col(Notification.read_at).is_(None),
            col(Notification.created_at) <= now,
            col(User.is_active),
            sa.or_(col(state.user_id).is_(None), sa.not_(col(state.unsubscribed))),
            sa.or_(col(state.last_digest_at).is_(None), col(state.last_digest_at) <= now - EVERY),
        )
        .distinct()
    )
    return sorted(session.exec(query).all())


def _claim(engine: Engine, user_id: int, now: dt.datetime, claim: str) -> bool:
    """Take the right to mail this person now: only one transaction's UPDATE matches (the
    others find the claim, or the new last digest time, and change nothing)."""
    with write_session(engine) as session:
        result = session.execute(
            sa.update(MailState)
            .where(
                col(MailState.user_id) == user_id,
                sa.not_(col(MailState.unsubscribed)),
                sa.or_(
                    col(MailState.last_digest_at).is_(None),
                    col(MailState.last_digest_at) <= now - EVERY,
                ),
                sa.or_(
                    col(MailState.claimed_at).is_(None),
                    col(MailState.claimed_at) <= now - CLAIM_EXPIRES,
                ),
            )
            .values(claimed_by=claim, claimed_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


def _release(
    engine: Engine, user_id: int, claim: str, *, sent: list[int], now: dt.datetime
) -> None:
    """End a claim: the notices `sent` are marked mailed and the digest's time kept (when
    nothing was sent, the person stays due for the next run)."""
    with write_session(engine) as session:
        values: dict[str, object] = {"claimed_by": None, "claimed_at": None}
        if sent:
            values["last_digest_at"] = now
            session.execute(
                sa.update(Notification)
                .where(col(Notification.id).in_(sent), col(Notification.emailed_at).is_(None))
                .values(emailed_at=now)
            )
        session.execute(
            sa.update(MailState)
            .where(col(MailState.user_id) == user_id, col(MailState.claimed_by) == claim)
            .values(**values)
        )


def _digest_for(engine: Engine, user_id: int, now: dt.datetime, base: str) -> Digest | None:
    with read_session(engine) as session:
        user = session.get(User, user_id)
        state = session.get(MailState, user_id)
        if user is None or state is None or not user.is_active:
            return None
        rows = session.exec(
            select(Notification)
            .where(
                Notification.user_id == user_id,
                col(Notification.emailed_at).is_(None),
                col(Notification.read_at).is_(None),
                col(Notification.created_at) <= now,
            )
            .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
        ).all()
        if not rows:
            return None
        return compose(session, user=user, state=state, rows=list(rows), base=base)


@contextmanager
def _connected(server: SmtpServer) -> Iterator[smtplib.SMTP]:
    """One SMTP connection for a run's digests."""
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if server.tls:
        smtp = smtplib.SMTP_SSL(server.host, server.port, timeout=SMTP_TIMEOUT, context=context)
    else:
        smtp = smtplib.SMTP(server.host, server.port, timeout=SMTP_TIMEOUT)
    try:
        if server.starttls:
            smtp.starttls(context=context)
        if server.user:
            smtp.login(server.user, server.password)
        yield smtp
    finally:
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()


def send_due_digests(engine: Engine, now: dt.datetime) -> DigestReport:
    """Mail every person whose digest is due at `now` (see the module's docstring); safe to
    run from several processes at once. Errors are logged, never raised for a visitor to see."""
    report = DigestReport()
    settings = get_settings()
    if not settings.smtp_url.strip():
        report.skipped = "FORUMDASH_SMTP_URL is not set"
        return report
    base = safe_url(settings.public_url)
    if base is None:
        # Every notice leads to a page and every digest needs its unsubscribe link: without the
        # site's address there is no mail worth sending. The notices wait until it is set.
        report.skipped = (
            "FORUMDASH_PUBLIC_URL is not set: no digests are mailed, since their links and "
            "unsubscribe links need the site's public address"
        )
        log.warning("%s", report.skipped)
        return report
    try:
        server = smtp_server(settings.smtp_url, base)
    except MailSettingError as exc:
        report.skipped = str(exc)
        log.error("%s", exc)
        return report
    with read_session(engine) as session:
        due = _due_people(session, now)
    if not due:
        return report
    with write_session(engine) as session:
        _ensure_states(session, due)
    claim = secrets.token_hex(16)
    smtp: smtplib.SMTP | None = None
    with ExitStack() as stack:
        for user_id in due:
            if not _claim(engine, user_id, now, claim):
                continue  # another process mails them, or did already
            sent: list[int] = []
            try:
                digest = _digest_for(engine, user_id, now, base)
                if digest is not None:
                    if smtp is None:
                        smtp = stack.enter_context(_connected(server))
                    digest.message["From"] = formataddr(("forumdash", server.sender))
                    smtp.send_message(digest.message, server.sender, [digest.to])
                    sent = digest.notice_ids
                    report.sent += 1
                    report.notices += len(sent)
            except (smtplib.SMTPException, OSError) as exc:
                report.failed += 1
                log.error(
                    "digest to user %s not sent (retried at the next run): %s: %s",
                    user_id,
                    type(exc).__name__,
                    exc,
                )
                smtp = None  # a broken connection is not used again in this run
            except Exception:
                # Anything else about one person's digest (a record that no longer reads, a
                # bug) costs that digest only: the people after them are still mailed.
                report.failed += 1
                log.exception("digest to user %s not sent (retried at the next run)", user_id)
            finally:
                _release(engine, user_id, claim, sent=sent, now=now)
    if report.sent or report.failed:
        log.info(
            "digests: %s sent (%s notices), %s failed", report.sent, report.notices, report.failed
        )
    return report


def run_every(
    engine: Engine,
    stop: threading.Event,
    *,
    seconds: float = RUN_EVERY_SECONDS,
    clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
) -> None:
    """Send the due digests every `seconds` until `stop` is set (an app process's background
    thread); nothing it meets stops it."""
    while not stop.wait(seconds):
        try:
            send_due_digests(engine, clock())
        except Exception:  # noqa: BLE001 - the thread must outlive any one run's failure
            log.exception("sending digests failed; trying again in %s seconds", seconds)
