"""Notices for signed-in people: who is told what, kept in the `notification` table.

A notice keeps what happened (its kind, the record, a few parameters), not a sentence: it is
worded in the reader's language when it is shown in the inbox or mailed in a digest.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from forumdash import i18n
from forumdash import vocab as v
from forumdash.auth import SessionUser, is_organiser, require
from forumdash.i18n import _
from forumdash.models import (
    Challenge,
    Correction,
    Country,
    ExchangeRequest,
    Milestone,
    Notification,
    Practice,
    Suggestion,
    User,
    utcnow,
)


def organisers(session: Session) -> list[int]:
    """The active organisers' user ids."""
    query = select(User.id).where(User.role == v.Role.organiser, col(User.is_active))
    return [user_id for user_id in session.exec(query).all() if user_id is not None]


def focal_points(session: Session, country_code: str) -> list[int]:
    """The active focal points of one country."""
    query = select(User.id).where(
        User.role == v.Role.focal_point,
        User.country_code == country_code,
        col(User.is_active),
    )
    return [user_id for user_id in session.exec(query).all() if user_id is not None]


def country_team(session: Session, country_code: str) -> list[int]:
    """Who answers for a country: its focal points, then the organisers (each once)."""
    return list(dict.fromkeys([*focal_points(session, country_code), *organisers(session)]))


def notify(
    session: Session,
    *,
    kind: v.NotificationKind,
    recipients: Iterable[int],
    record_type: str = "",
    record_id: int | None = None,
    params: Mapping[str, Any] | None = None,
    skip: int | None = None,
) -> int:
    """Add one notice per recipient (each once; `skip` is the person who acted, who needs no
    notice of their own action), in the caller's transaction. Returns how many were added."""
    added = 0
    for user_id in dict.fromkeys(recipients):
        if user_id == skip:
            continue
        session.add(
            Notification(
                user_id=user_id,
                kind=kind,
                record_type=record_type,
                record_id=record_id,
                params=dict(params or {}),
            )
        )
        added += 1
    return added


# --------------------------------------------------------------------------- told by the workflow
# Short calls from forumdash.workflow, in the transaction of the action they tell of.


def submitted(
    session: Session, *, record_type: v.RecordType, record: Any, actor: int, edit: bool
) -> int:
    """Organisers told of a new submission (or a submitted edit of a published record)."""
    return notify(
        session,
        kind=v.NotificationKind.submission,
        recipients=organisers(session),
        record_type=record_type.value,
        record_id=record.id,
        params={"title": _title_of(record, edit), "edit": edit},
        skip=actor,
    )


def reviewed(
    session: Session,
    *,
    kind: v.NotificationKind,
    record_type: v.RecordType,
    record: Any,
    author: int | None,
    actor: int,
    edit: bool,
    reason: str = "",
) -> int:
    """The author of a submission and the focal points of its country told that it was sent
    back (kind sent_back, with the reason) or published."""
    params: dict[str, Any] = {"title": _title_of(record, edit), "edit": edit}
    if reason:
        params["reason"] = reason
    authors = [author] if author is not None else []
    return notify(
        session,
        kind=kind,
        recipients=[*authors, *focal_points(session, record.country_code)],
        record_type=record_type.value,
        record_id=record.id,
        params=params,
        skip=actor,
    )


def corrected(session: Session, *, correction: Correction, country_code: str | None) -> int:
    """Organisers, and the focal points of the record's country, told of a reader's correction
    (readers send them without an account: there is no actor to leave out)."""
    team = country_team(session, country_code) if country_code else organisers(session)
    return notify(
        session,
        kind=v.NotificationKind.correction,
        recipients=team,
        record_type=correction.record_type.value,
        record_id=correction.record_id,
        params={"correction": correction.id},
    )


def _title_of(record: Any, edit: bool) -> str:
    """The record's title as the notice's fallback (a submitted edit may retitle it)."""
    if edit and isinstance(record.pending, dict) and record.pending.get("title"):
        return str(record.pending["title"])
    return str(record.title)


# --------------------------------------------------------------------------- reading the inbox


@dataclass(frozen=True)
class Notice:
    """A notice as one reader sees it: a title line in their language, an optional second line
    (a reason, a message), and where it leads (a page script and its query parameters)."""

    id: int
    kind: v.NotificationKind
    title: str
    detail: str
    page: str  # a page script, e.g. "pages/practice.py"
    params: dict[str, str]
    created_at: dt.datetime
    read: bool

    @property
    def path(self) -> str:
        """The page's path in the app's URLs: "/practice", "/" for the overview."""
        return "/" + ("" if self.page == "app.py" else Path(self.page).stem)


class NoticeNotFound(LookupError):
    """No notice of this person has this id (one message for "not there" and "not yours")."""


PER_PAGE = 20
DETAIL_CHARS = 240  # a participant's message is shown in part: the whole waits on its page


def unread_count(session: Session, user_id: int) -> int:
    """How many notices a person has not read: one count over (user_id, read_at)'s index."""
    query = select(func.count()).where(
        Notification.user_id == user_id, col(Notification.read_at).is_(None)
    )
    return int(session.exec(query).one())


def notices(
    session: Session, user: SessionUser | None, *, page: int = 1, per_page: int = PER_PAGE
) -> tuple[list[Notice], int]:
    """One page of a signed-in person's own notices, newest first, worded in the current
    language, and how many they have in all."""
    person = reader(user)
    page = max(1, page)
    total = int(session.exec(select(func.count()).where(Notification.user_id == person.id)).one())
    rows = session.exec(
        select(Notification)
        .where(Notification.user_id == person.id)
        .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return word(session, list(rows), organiser=is_organiser(person)), total


def open_notice(
    session: Session, user: SessionUser | None, notice_id: int, *, now: dt.datetime | None = None
) -> Notice:
    """A person's notice opened: marked read, and returned (worded) to lead to its page.
    Someone else's notice, or none, raises NoticeNotFound: nobody reads another's notices."""
    person = reader(user)
    row = session.get(Notification, notice_id)
    if row is None or row.user_id != person.id:
        raise NoticeNotFound(_("This notice is not in your inbox."))
    if row.read_at is None:
        row.read_at = now or utcnow()
        session.add(row)
        session.flush()
    return word(session, [row], organiser=is_organiser(person))[0]


def mark_all_read(
    session: Session, user: SessionUser | None, *, now: dt.datetime | None = None
) -> int:
    """Mark every unread notice of a person read; how many were."""
    person = reader(user)
    result = session.execute(
        sa.update(Notification)
        .where(col(Notification.user_id) == person.id, col(Notification.read_at).is_(None))
        .values(read_at=now or utcnow())
    )
    return int(result.rowcount)  # type: ignore[attr-defined]  # a CursorResult for an UPDATE


def reader(user: SessionUser | None) -> SessionUser:
    """The signed-in person whose inbox this is; PermissionDenied for nobody."""
    require(user is not None, _("Sign in to see your inbox."))
    assert user is not None
    return user


# --------------------------------------------------------------------------- wording


@dataclass(frozen=True)
class _Records:
    """What the notices of one batch are about, read by id in one query per kind."""

    practices: dict[int, Practice]
    challenges: dict[int, Challenge]
    milestones: dict[int, Milestone]
    requests: dict[int, tuple[ExchangeRequest, str]]  # with the practice's title
    suggestions: dict[int, Suggestion]
    countries: dict[str, str]


def _ids(rows: list[Notification], record_type: str) -> list[int]:
    return sorted(
        {r.record_id for r in rows if r.record_type == record_type and r.record_id is not None}
    )


def _records(session: Session, rows: list[Notification]) -> _Records:
    def by_id(table: Any, record_type: str) -> dict[int, Any]:
        ids = _ids(rows, record_type)
        if not ids:
            return {}
        return {r.id: r for r in session.exec(select(table).where(col(table.id).in_(ids))).all()}

    requests: dict[int, tuple[ExchangeRequest, str]] = {}
    request_ids = _ids(rows, "exchange_request")
    if request_ids:
        query = (
            select(ExchangeRequest, Practice.title)
            .join(Practice, col(Practice.id) == col(ExchangeRequest.practice_id))
            .where(col(ExchangeRequest.id).in_(request_ids))
        )
        requests = {
            request.id: (request, title)
            for request, title in session.exec(query).all()
            if request.id is not None
        }
    return _Records(
        practices=by_id(Practice, v.RecordType.practice.value),
        challenges=by_id(Challenge, v.RecordType.challenge.value),
        milestones=by_id(Milestone, "milestone"),
        requests=requests,
        suggestions=by_id(Suggestion, "suggestion"),
        countries={c.code: c.name_en for c in session.exec(select(Country)).all()},
    )


def word(session: Session, rows: list[Notification], *, organiser: bool) -> list[Notice]:
    """Notices worded in the current language for their reader (an organiser's notice of a
    correction leads to the review page, a focal point's to the record). The record is read by
    id; one since removed is named by what the notice kept, or in general words."""
    records = _records(session, rows)
    return [_worded(row, records, organiser) for row in rows]


def _worded(row: Notification, records: _Records, organiser: bool) -> Notice:
    assert row.id is not None
    title, detail, page, params = _WORDING[row.kind](row, records, organiser)
    return Notice(
        id=row.id,
        kind=row.kind,
        title=title,
        detail=detail,
        page=page,
        params=params,
        created_at=row.created_at,
        read=row.read_at is not None,
    )


Worded = tuple[str, str, str, dict[str, str]]  # title, detail, page, query parameters


def _country(records: _Records, code: str | None) -> str:
    if not code:
        return ""
    return i18n.country_name(code, records.countries.get(code, code))


def _record(row: Notification, records: _Records) -> Any:
    """The practice or challenge a notice is about (None if gone)."""
    if row.record_id is None:
        return None
    if row.record_type == v.RecordType.practice.value:
        return records.practices.get(row.record_id)
    if row.record_type == v.RecordType.challenge.value:
        return records.challenges.get(row.record_id)
    return None


def _record_title(row: Notification, record: Any) -> str:
    if record is not None and row.params.get("edit") and isinstance(record.pending, dict):
        return str(record.pending.get("title") or record.title)
    if record is not None:
        return str(record.title)
    return str(row.params.get("title") or "")


def _is_practice(row: Notification) -> bool:
    return row.record_type == v.RecordType.practice.value


def _record_page(row: Notification) -> tuple[str, dict[str, str]]:
    """The public page of a practice or a challenge."""
    page = "pages/practice.py" if _is_practice(row) else "pages/challenges.py"
    return page, {"id": str(row.record_id)}


def _submission(row: Notification, records: _Records, organiser: bool) -> Worded:
    record = _record(row, records)
    title = _record_title(row, record)
    if record is None:  # since removed: its country is not known any more
        sentence = {
            (True, True): _("Edit to review: the practice “{title}”"),
            (True, False): _("Edit to review: the challenge “{title}”"),
            (False, True): _("New practice to review: “{title}”"),
            (False, False): _("New challenge to review: “{title}”"),
        }[bool(row.params.get("edit")), _is_practice(row)]
        return sentence.format(title=title), "", "pages/review.py", {}
    sentence = {
        (True, True): _("Edit to review: the practice “{title}” ({country})"),
        (True, False): _("Edit to review: the challenge “{title}” ({country})"),
        (False, True): _("New practice to review: “{title}” ({country})"),
        (False, False): _("New challenge to review: “{title}” ({country})"),
    }[bool(row.params.get("edit")), _is_practice(row)]
    country = _country(records, record.country_code)
    return sentence.format(title=title, country=country), "", "pages/review.py", {}


def _sent_back(row: Notification, records: _Records, organiser: bool) -> Worded:
    title = _record_title(row, _record(row, records))
    if row.params.get("edit"):
        sentence = (
            _("The edit of the practice “{title}” was sent back")
            if _is_practice(row)
            else _("The edit of the challenge “{title}” was sent back")
        )
    else:
        sentence = (
            _("The practice “{title}” was sent back")
            if _is_practice(row)
            else _("The challenge “{title}” was sent back")
        )
    reason = str(row.params.get("reason") or "")
    detail = _("Reason: {reason}").format(reason=reason) if reason else ""
    params = {"kind": row.record_type, "id": str(row.record_id)}
    return sentence.format(title=title), detail, "pages/submit.py", params


def _published(row: Notification, records: _Records, organiser: bool) -> Worded:
    title = _record_title(row, _record(row, records))
    if row.params.get("edit"):
        sentence = (
            _("The edit of the practice “{title}” is published")
            if _is_practice(row)
            else _("The edit of the challenge “{title}” is published")
        )
    else:
        sentence = (
            _("The practice “{title}” is published")
            if _is_practice(row)
            else _("The challenge “{title}” is published")
        )
    page, params = _record_page(row)
    return sentence.format(title=title), "", page, params


def _correction(row: Notification, records: _Records, organiser: bool) -> Worded:
    if row.record_type == "milestone":
        milestone = records.milestones.get(row.record_id or 0)
        title = milestone.title if milestone is not None else ""
        sentence = _("A reader sent a correction to the milestone “{title}”")
        page, params = "pages/review.py", {}
        if not organiser and milestone is not None and milestone.country_code:
            page, params = "pages/country.py", {"code": milestone.country_code}
    else:
        title = _record_title(row, _record(row, records))
        sentence = (
            _("A reader sent a correction to the practice “{title}”")
            if _is_practice(row)
            else _("A reader sent a correction to the challenge “{title}”")
        )
        page, params = ("pages/review.py", {}) if organiser else _record_page(row)
    if not title:
        return _("A reader sent a correction to a record since removed"), "", page, params
    return sentence.format(title=title), "", page, params


def _exchange_request(row: Notification, records: _Records, organiser: bool) -> Worded:
    page, params = "pages/exchange.py", {"request": str(row.record_id)}
    found = records.requests.get(row.record_id or 0)
    if found is None:
        title = str(row.params.get("practice_title") or row.params.get("title") or "")
        if not title:
            return _("A request to learn from a practice, since removed"), "", page, params
        return _("Someone wants to learn from “{title}”").format(title=title), "", page, params
    request, title = found
    if request.name:
        sentence = _("{name} wants to learn from “{title}”").format(name=request.name, title=title)
    elif request.from_country:
        sentence = _("Someone from {country} wants to learn from “{title}”").format(
            country=_country(records, request.from_country), title=title
        )
    else:
        sentence = _("Someone wants to learn from “{title}”").format(title=title)
    return sentence, _excerpt(request.message), page, params


def _exchange_update(row: Notification, records: _Records, organiser: bool) -> Worded:
    page, params = "pages/exchange.py", {"request": str(row.record_id)}
    found = records.requests.get(row.record_id or 0)
    if found is None:
        return _("A peer-exchange request moved on"), "", page, params
    request, title = found
    return (
        _("Request to learn from “{title}”: {status}").format(
            title=title, status=request.status.label
        ),
        "",
        page,
        params,
    )


def _suggestion(row: Notification, records: _Records, organiser: bool) -> Worded:
    page, params = "pages/exchange.py", {"suggestion": str(row.record_id)}
    suggestion = records.suggestions.get(row.record_id or 0)
    if suggestion is None:
        return _("A suggestion, since removed"), "", page, params
    sentence = (
        _("Suggested practice for {country}: “{title}”")
        if suggestion.record_type == v.RecordType.practice
        else _("Suggested challenge for {country}: “{title}”")
    )
    country = _country(records, suggestion.country_code)
    return (
        sentence.format(country=country, title=suggestion.title),
        _excerpt(suggestion.description),
        page,
        params,
    )


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= DETAIL_CHARS else text[: DETAIL_CHARS - 1].rstrip() + "…"


_WORDING: dict[v.NotificationKind, Callable[[Notification, _Records, bool], Worded]] = {
    v.NotificationKind.submission: _submission,
    v.NotificationKind.sent_back: _sent_back,
    v.NotificationKind.published: _published,
    v.NotificationKind.correction: _correction,
    v.NotificationKind.exchange_request: _exchange_request,
    v.NotificationKind.exchange_update: _exchange_update,
    v.NotificationKind.suggestion: _suggestion,
}
