"""Peer exchange, the receiving side: the requests and suggestions a focal point or an organiser
answers for, their moves, the drafts made from them, and the organisers' regional view.

A request moves requested -> in_contact -> held (a visit or an exchange) -> adopted, or is
declined (with a reason) from any open state. Each move is an ExchangeStep: the date it happened
as the person says (optional, never in the future), a note, who recorded it and when. A move
names the status the person saw: if someone else moved the request meanwhile (another tab,
another focal point), nothing is written and ExchangeError says so.

Who may see what: the addressed country's focal points and the organisers see a request's
participant (name, organisation, contact, message); everyone else, signed in or not, gets
nothing of it (`contact_of` checks the reader, the views leave it out). Permissions are checked
here, whatever page or script calls.

The drafts made from a request (an adoption: the adopting country's practice, "adapted from"
the original) or from a suggestion go through forumdash.workflow's save rules. Nothing is
invented: the choices the schema requires (themes, level, actor type, stage; a challenge's
obstacle and severity) are given by the person who makes the draft; the text a participant did
not write stays "to be written"; the suggester is credited in the draft's sources.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd
import sqlalchemy as sa
from pydantic import ValidationError
from sqlmodel import Session, col, select

from forumdash import export, i18n, notifications, workflow
from forumdash import vocab as v
from forumdash.auth import SessionUser, can_edit, can_submit, is_organiser, require
from forumdash.i18n import N_, _, ngettext
from forumdash.models import (
    ChallengeCreate,
    Country,
    ExchangeRequest,
    ExchangeStep,
    Practice,
    PracticeCreate,
    PracticeTheme,
    Suggestion,
    User,
    utcnow,
)
from forumdash.settings import get_settings
from forumdash.text import clean_text

S = v.ExchangeStatus
OPEN: tuple[v.ExchangeStatus, ...] = (S.requested, S.in_contact, S.held)
# The moves a request may make from each status (declining is open to every open status).
MOVES: dict[v.ExchangeStatus, tuple[v.ExchangeStatus, ...]] = {
    S.requested: (S.in_contact, S.declined),
    S.in_contact: (S.held, S.declined),
    S.held: (S.adopted, S.declined),
    S.adopted: (),
    S.declined: (),
}
NOT_SAID = "none"  # the participant gave no country: how URLs and filters name it
NOTE_LIMIT = 5_000
REASON_MIN = 5
# A date said to be "today" in the Balkans (UTC+1/+2) may already be tomorrow in UTC terms: the
# future starts this many hours after UTC's now.
FUTURE_SLACK = dt.timedelta(hours=14)

Period = Literal["month", "week"]


class ExchangeError(ValueError):
    """A move or a draft that cannot be made now, with a message fit for a person."""


# --------------------------------------------------------------------------- who answers


def answers_for(user: SessionUser | None, country_code: str) -> bool:
    """Whether the person answers for requests and suggestions to this country: its focal
    points and the organisers."""
    return can_submit(user) and can_edit(user, country_code)


def _require_answerer(user: SessionUser | None) -> SessionUser:
    require(
        can_submit(user),
        _("Sign in as a focal point or an organiser to answer peer-exchange requests."),
    )
    assert user is not None
    return user


def _require_country(user: SessionUser | None, country_code: str) -> None:
    require(
        answers_for(user, country_code),
        _("Only the country's focal points and the organisers answer this."),
    )


# --------------------------------------------------------------------------- views


@dataclass(frozen=True)
class StepView:
    """One recorded move, as shown."""

    status: v.ExchangeStatus
    happened_on: dt.date | None
    note: str
    by: str
    recorded_at: dt.datetime


@dataclass(frozen=True)
class RequestView:
    """A request as a signed-in answerer sees it: the participant's details are filled only
    for a reader who answers for the request's country (else empty)."""

    id: int
    practice_id: int
    practice_title: str
    to_country: str
    from_country: str | None
    status: v.ExchangeStatus
    created_at: dt.datetime
    updated_at: dt.datetime
    decline_reason: str
    adopted_practice_id: int | None
    event: str
    language: str
    name: str = ""
    organisation: str = ""
    contact: str = ""
    message: str = ""
    steps: tuple[StepView, ...] = ()

    @property
    def moves(self) -> tuple[v.ExchangeStatus, ...]:
        """Where it may go next."""
        return MOVES[self.status]


@dataclass(frozen=True)
class SuggestionView:
    """A suggestion as its answerers see it (contact included: only they read this)."""

    id: int
    record_type: v.RecordType
    title: str
    country_code: str
    description: str
    name: str
    organisation: str
    contact: str
    event: str
    status: v.SuggestionStatus
    created_at: dt.datetime
    decline_reason: str
    practice_id: int | None
    challenge_id: int | None
    resolved_at: dt.datetime | None


@dataclass(frozen=True)
class RequestFilters:
    """Which requests a list shows: by status, asked country and asking country (NOT_SAID for
    requests whose participant gave none)."""

    statuses: tuple[v.ExchangeStatus, ...] = ()
    # Those waiting for a step: open, or adopted without the adopting country's draft yet.
    waiting: bool = False
    to_country: str | None = None
    from_country: str | None = None
    practice_id: int | None = None
    request_id: int | None = None  # one request (an inbox notice's link)


def _people(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.exec(select(User).where(col(User.id).in_(wanted))).all()
    return {u.id: u.display_name or u.email for u in rows if u.id is not None}


def _filtered(query: Any, user: SessionUser, filters: RequestFilters) -> Any:
    if not is_organiser(user):
        query = query.where(ExchangeRequest.to_country == (user.country_code or ""))
    if filters.statuses:
        query = query.where(col(ExchangeRequest.status).in_(filters.statuses))
    if filters.waiting:
        query = query.where(
            sa.or_(
                col(ExchangeRequest.status).in_(OPEN),
                sa.and_(
                    col(ExchangeRequest.status) == S.adopted,
                    col(ExchangeRequest.adopted_practice_id).is_(None),
                ),
            )
        )
    if filters.to_country:
        query = query.where(ExchangeRequest.to_country == filters.to_country)
    if filters.from_country == NOT_SAID:
        query = query.where(col(ExchangeRequest.from_country).is_(None))
    elif filters.from_country:
        query = query.where(ExchangeRequest.from_country == filters.from_country)
    if filters.practice_id is not None:
        query = query.where(ExchangeRequest.practice_id == filters.practice_id)
    if filters.request_id is not None:
        query = query.where(ExchangeRequest.id == filters.request_id)
    return query


def requests_for(
    *,
    session: Session,
    user: SessionUser | None,
    filters: RequestFilters = RequestFilters(),
    limit: int = 500,
) -> list[RequestView]:
    """The requests the person answers for (a focal point: their country's; an organiser:
    all), newest first, with their steps."""
    reader = _require_answerer(user)
    query = _filtered(
        select(ExchangeRequest, Practice.title).join(
            Practice, col(Practice.id) == ExchangeRequest.practice_id
        ),
        reader,
        filters,
    )
    rows = session.exec(
        query.order_by(
            col(ExchangeRequest.created_at).desc(), col(ExchangeRequest.id).desc()
        ).limit(limit)
    ).all()
    ids = [row.id for row, _title in rows]
    steps = session.exec(
        select(ExchangeStep)
        .where(col(ExchangeStep.request_id).in_(ids))
        .order_by(col(ExchangeStep.recorded_at), col(ExchangeStep.id))
    ).all()
    people = _people(session, [s.by_id for s in steps])
    by_request: dict[int, list[StepView]] = {}
    for step in steps:
        by_request.setdefault(step.request_id, []).append(
            StepView(
                step.status,
                step.happened_on,
                step.note,
                people.get(step.by_id or 0, ""),
                step.recorded_at,
            )
        )
    return [
        _view(row, title, reader, tuple(by_request.get(row.id or 0, ()))) for row, title in rows
    ]


def _view(
    row: ExchangeRequest, title: str, reader: SessionUser | None, steps: tuple[StepView, ...]
) -> RequestView:
    assert row.id is not None
    private = answers_for(reader, row.to_country)
    return RequestView(
        id=row.id,
        practice_id=row.practice_id,
        practice_title=title,
        to_country=row.to_country,
        from_country=row.from_country,
        status=v.ExchangeStatus(row.status),
        created_at=row.created_at,
        updated_at=row.updated_at,
        decline_reason=row.decline_reason,
        adopted_practice_id=row.adopted_practice_id,
        event=row.event,
        language=row.language,
        name=row.name if private else "",
        organisation=row.organisation if private else "",
        contact=row.contact if private else "",
        message=row.message if private else "",
        steps=steps,
    )


def contact_of(*, session: Session, user: SessionUser | None, request_id: int) -> str:
    """A request's contact, for its country's focal points and the organisers only."""
    row = _request(session, request_id)
    _require_country(user, row.to_country)
    return row.contact


def _request(session: Session, request_id: int) -> ExchangeRequest:
    row = session.get(ExchangeRequest, request_id)
    if row is None:
        raise ExchangeError(_("This peer-exchange request does not exist."))
    return row


# --------------------------------------------------------------------------- moves


def _checked_date(happened_on: dt.date | None, now: dt.datetime) -> dt.date | None:
    if happened_on is not None and happened_on > (now + FUTURE_SLACK).date():
        raise ExchangeError(
            _("The date {date} is in the future: give the day it happened.").format(
                date=i18n.format_day(happened_on)
            )
        )
    return happened_on


def _checked_note(note: str) -> str:
    note = clean_text(note)
    if len(note) > NOTE_LIMIT:
        raise ExchangeError(
            ngettext(
                "A note has at most {n} character; this one has {length}.",
                "A note has at most {n} characters; this one has {length}.",
                NOTE_LIMIT,
            ).format(n=i18n.format_number(NOTE_LIMIT), length=i18n.format_number(len(note)))
        )
    return note


def _checked_reason(reason: str) -> str:
    reason = clean_text(reason)
    if len(reason) < REASON_MIN:
        raise ExchangeError(_("Say why it is declined (at least a few words)."))
    if len(reason) > NOTE_LIMIT:
        raise ExchangeError(
            ngettext(
                "A reason has at most {n} character.",
                "A reason has at most {n} characters.",
                NOTE_LIMIT,
            ).format(n=i18n.format_number(NOTE_LIMIT))
        )
    return reason


def move(
    *,
    session: Session,
    user: SessionUser | None,
    request_id: int,
    to: v.ExchangeStatus,
    seen: v.ExchangeStatus,
    happened_on: dt.date | None = None,
    note: str = "",
    reason: str = "",
    now: dt.datetime | None = None,
) -> None:
    """Move a request from `seen` (the status the person saw) to `to`, recording the step;
    tell the rest of the country's team. Raises ExchangeError (an invalid move, a bad date, a
    missing reason, a request moved by someone else meanwhile) or PermissionDenied."""
    actor = _require_answerer(user)
    row = _request(session, request_id)
    _require_country(actor, row.to_country)
    now = now or utcnow()
    to, seen = v.ExchangeStatus(to), v.ExchangeStatus(seen)
    if to not in MOVES[seen]:
        raise ExchangeError(
            _("A request that is {status} cannot be marked {target}.").format(
                status=seen.label.lower(), target=to.label.lower()
            )
        )
    happened = _checked_date(happened_on, now)
    note = _checked_note(note)
    decline_reason = _checked_reason(reason) if to == S.declined else ""
    values: dict[str, Any] = {"status": to, "updated_at": now}
    if to == S.declined:
        values["decline_reason"] = decline_reason
    # Only if it is still what the person saw: a move made meanwhile is never overwritten.
    changed = session.execute(
        sa.update(ExchangeRequest)
        .where(col(ExchangeRequest.id) == request_id, col(ExchangeRequest.status) == seen)
        .values(**values)
    )
    if getattr(changed, "rowcount", 0) != 1:
        session.refresh(row)
        raise ExchangeError(
            _(
                "Someone else changed this request meanwhile: it is now {status}. Nothing was "
                "saved; look at it again."
            ).format(status=v.ExchangeStatus(row.status).label.lower())
        )
    session.add(
        ExchangeStep(
            request_id=request_id,
            status=to,
            happened_on=happened,
            note=note if to != S.declined else (note or decline_reason),
            by_id=actor.id,
            recorded_at=now,
        )
    )
    notifications.notify(
        session,
        kind=v.NotificationKind.exchange_update,
        recipients=notifications.country_team(session, row.to_country),
        record_type="exchange_request",
        record_id=request_id,
        params={"status": to.value, "practice_id": row.practice_id},
        skip=actor.id,
    )
    session.flush()
    session.expire(row)


# --------------------------------------------------------------------------- drafts


@dataclass(frozen=True)
class DraftChoices:
    """What the schema requires of a draft that nobody has said yet: chosen by the person who
    makes the draft (a practice: themes, level, actor type, stage; a challenge: themes,
    obstacle type, severity). Nothing is filled in for them."""

    themes: tuple[str, ...] = ()
    level: str | None = None
    actor_type: str | None = None
    stage: str | None = None
    obstacle_type: str | None = None
    severity: str | None = None

    def practice(self) -> dict[str, Any]:
        return {
            "themes": list(self.themes),
            **{k: getattr(self, k) for k in ("level", "actor_type", "stage") if getattr(self, k)},
        }

    def challenge(self) -> dict[str, Any]:
        return {
            "themes": list(self.themes),
            **{k: getattr(self, k) for k in ("obstacle_type", "severity") if getattr(self, k)},
        }


# The draft's fields named as the draft forms name them.
DRAFT_FIELDS = {
    "themes": N_("Themes"),
    "level": N_("Level of government"),
    "actor_type": N_("Actor type"),
    "stage": N_("Stage"),
    "obstacle_type": N_("Obstacle type"),
    "severity": N_("Severity"),
    "title": N_("Title"),
    "summary": N_("Summary"),
    "description": N_("Description"),
    "sources": N_("Sources"),
}


def _validated(schema: Any, data: dict[str, Any]) -> Any:
    """The record, or ExchangeError naming each problem in the form's words (a choice not
    made: "choose one")."""
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            where = str(err["loc"][0]) if err["loc"] else ""
            name = _(DRAFT_FIELDS[where]) if where in DRAFT_FIELDS else where.replace("_", " ")
            problem = (
                _("choose one")
                if err["type"] == "missing"
                else err["msg"].removeprefix("Value error, ")
            )
            problems.append(_("{field}: {problem}").format(field=name, problem=problem))
        raise ExchangeError("; ".join(problems)) from exc


def _owner(session: Session, user: SessionUser, country_code: str) -> SessionUser:
    """Who owns a draft of this country: the person, if they may edit the country; else an
    organiser (the workflow lets only them and the country's focal points edit it)."""
    if can_edit(user, country_code):
        return user
    for user_id in notifications.organisers(session):
        row = session.get(User, user_id)
        if row is not None and row.id is not None:
            return SessionUser(
                row.id, row.email, v.Role(row.role), row.country_code, row.display_name
            )
    raise ExchangeError(
        _("No organiser account is active to own the draft: ask an organiser to make it.")
    )


def _country_label(session: Session, code: str) -> str:
    country = session.get(Country, code)
    return i18n.country_name(code, country.name_en if country else code)


def _practice_link(practice_id: int) -> str:
    """The original practice's address in a source: only a full http(s) address is a link."""
    base = get_settings().public_url
    return f"{base.rstrip('/')}/practice?id={practice_id}" if base else ""


def create_adopted_draft(
    *,
    session: Session,
    user: SessionUser | None,
    request_id: int,
    choices: DraftChoices,
    country: str | None = None,
) -> int:
    """The adopting country's practice made from an adopted request, in one step: a DRAFT of
    `country` (by default the request's asking country) adapted from the original, linked on
    the request. Its title says what it adapts; its summary is to be written; its sources name
    the original. Owned by the person if they may edit that country, else by an organiser."""
    actor = _require_answerer(user)
    row = _request(session, request_id)
    _require_country(actor, row.to_country)
    if row.status != S.adopted:
        raise ExchangeError(_("Record the adoption before making the adopting country's draft."))
    if row.adopted_practice_id is not None:
        raise ExchangeError(_("This adoption already has its draft."))
    adopting = (country or row.from_country or "").strip().upper()
    if not adopting:
        raise ExchangeError(_("Choose the country that adopted the practice."))
    if session.get(Country, adopting) is None:
        raise ExchangeError(_("Unknown country {code}.").format(code=repr(adopting[:8])))
    original = session.get(Practice, row.practice_id)
    if original is None or original.id is None:
        raise ExchangeError(_("The original practice no longer exists."))
    if adopting == original.country_code:
        raise ExchangeError(_("The adopting country is another country than the original's."))
    title = _("Adapted from: {title}").format(title=original.title)
    origin = _country_label(session, original.country_code)
    record = _validated(
        PracticeCreate,
        {
            "slug": "draft",
            "title": title[:199] + "…" if len(title) > 200 else title,
            "country": adopting,
            "summary": _(
                "To be written: how {country} adapted this practice, and what came of it."
            ).format(country=_country_label(session, adopting)),
            "adapted_from": original.slug,
            "sources": [
                {
                    "title": _(
                        "The original practice: {title} ({country}), peer-exchange request "
                        "#{number}. Add this practice's own sources."
                    ).format(title=original.title, country=origin, number=request_id),
                    "url": _practice_link(original.id),
                }
            ],
            **choices.practice(),
        },
    )
    owner = _owner(session, actor, adopting)
    draft_id = workflow.save_practice(
        session=session, user=owner, practice_in=record, client_key=f"exchange-{request_id}"
    )
    linked = session.execute(
        sa.update(ExchangeRequest)
        .where(
            col(ExchangeRequest.id) == request_id,
            col(ExchangeRequest.adopted_practice_id).is_(None),
        )
        .values(adopted_practice_id=draft_id, updated_at=utcnow())
    )
    if getattr(linked, "rowcount", 0) != 1:
        raise ExchangeError(_("This adoption already has its draft."))
    notifications.notify(
        session,
        kind=v.NotificationKind.exchange_update,
        recipients=[
            *notifications.country_team(session, row.to_country),
            *notifications.focal_points(session, adopting),
        ],
        record_type="exchange_request",
        record_id=request_id,
        params={"status": S.adopted.value, "practice_id": row.practice_id, "draft_id": draft_id},
        skip=actor.id,
    )
    session.flush()
    session.expire(row)
    return draft_id


# --------------------------------------------------------------------------- suggestions


def suggestions_for(
    *,
    session: Session,
    user: SessionUser | None,
    statuses: Sequence[v.SuggestionStatus] = (v.SuggestionStatus.new,),
    limit: int = 200,
) -> list[SuggestionView]:
    """The suggestions the person answers for (a focal point: their country's; an organiser:
    all), waiting ones by default, oldest first (the longest waiting on top)."""
    reader = _require_answerer(user)
    query = select(Suggestion).where(col(Suggestion.status).in_(list(statuses)))
    if not is_organiser(reader):
        query = query.where(Suggestion.country_code == (reader.country_code or ""))
    if v.SuggestionStatus.new in statuses:
        query = query.order_by(col(Suggestion.created_at), col(Suggestion.id))
    else:
        query = query.order_by(col(Suggestion.resolved_at).desc(), col(Suggestion.id))
    rows = session.exec(query.limit(limit)).all()
    return [_suggestion_view(row) for row in rows]


def suggestion_for(
    *, session: Session, user: SessionUser | None, suggestion_id: int
) -> SuggestionView | None:
    """One suggestion, whatever its status, if the person answers for its country; else None
    (the same for one that does not exist: a link does not tell which)."""
    reader = _require_answerer(user)
    row = session.get(Suggestion, suggestion_id)
    if row is None or not answers_for(reader, row.country_code):
        return None
    return _suggestion_view(row)


def _suggestion_view(row: Suggestion) -> SuggestionView:
    return SuggestionView(
        id=row.id or 0,
        record_type=v.RecordType(row.record_type),
        title=row.title,
        country_code=row.country_code,
        description=row.description,
        name=row.name,
        organisation=row.organisation,
        contact=row.contact,
        event=row.event,
        status=v.SuggestionStatus(row.status),
        created_at=row.created_at,
        decline_reason=row.decline_reason,
        practice_id=row.practice_id,
        challenge_id=row.challenge_id,
        resolved_at=row.resolved_at,
    )


def _open_suggestion(session: Session, user: SessionUser | None, suggestion_id: int) -> Suggestion:
    row = session.get(Suggestion, suggestion_id)
    if row is None:
        raise ExchangeError(_("This suggestion does not exist."))
    _require_country(user, row.country_code)
    if row.status != v.SuggestionStatus.new:
        raise ExchangeError(_("This suggestion was already handled."))
    return row


def _resolve(session: Session, suggestion_id: int, values: dict[str, Any]) -> None:
    """Mark a suggestion handled, only if nobody handled it meanwhile."""
    done = session.execute(
        sa.update(Suggestion)
        .where(
            col(Suggestion.id) == suggestion_id, col(Suggestion.status) == v.SuggestionStatus.new
        )
        .values(**values)
    )
    if getattr(done, "rowcount", 0) != 1:
        raise ExchangeError(_("Someone else handled this suggestion meanwhile: nothing was saved."))


def credit(suggestion: Suggestion | SuggestionView) -> str:
    """Who suggested a record, as its draft's sources credit them (no contact: sources are
    published with the record)."""
    who = ", ".join(part for part in (suggestion.name, suggestion.organisation) if part)
    day = i18n.format_day(suggestion.created_at.date())
    if who:
        return _("Suggested by {who} through the forum on {date} (suggestion #{number}).").format(
            who=who, date=day, number=suggestion.id
        )
    return _(
        "Suggested by a participant through the forum on {date} (suggestion #{number})."
    ).format(date=day, number=suggestion.id)


def accept_suggestion(
    *,
    session: Session,
    user: SessionUser | None,
    suggestion_id: int,
    choices: DraftChoices,
) -> tuple[v.RecordType, int]:
    """Turn a suggestion into a DRAFT practice or challenge of its country, in one step: its
    title and description carried, the suggester credited in the sources, the required choices
    as the person makes them. Returns (kind, the draft's id)."""
    actor = _require_answerer(user)
    row = _open_suggestion(session, actor, suggestion_id)
    sources = [{"title": credit(row), "url": ""}]
    if row.record_type == v.RecordType.practice:
        summary = row.description
        body: dict[str, str] = {}
        if len(summary) > 2000:
            # The whole text goes to the story; the summary keeps its start, to be rewritten.
            body = {"problem_purpose": summary}
            summary = summary[:1999].rstrip() + "…"
        record = _validated(
            PracticeCreate,
            {
                "slug": "draft",
                "title": row.title[:200],
                "country": row.country_code,
                "summary": summary,
                "body": body,
                "sources": sources,
                **choices.practice(),
            },
        )
        owner = _owner(session, actor, row.country_code)
        draft_id = workflow.save_practice(
            session=session, user=owner, practice_in=record, client_key=f"suggestion-{row.id}"
        )
        link = {"practice_id": draft_id}
    else:
        challenge = _validated(
            ChallengeCreate,
            {
                "slug": "draft",
                "title": row.title[:200],
                "country": row.country_code,
                "description": row.description,
                "sources": sources,
                **choices.challenge(),
            },
        )
        owner = _owner(session, actor, row.country_code)
        draft_id = workflow.save_challenge(
            session=session, user=owner, challenge_in=challenge, client_key=f"suggestion-{row.id}"
        )
        link = {"challenge_id": draft_id}
    _resolve(
        session,
        suggestion_id,
        {
            **link,
            "status": v.SuggestionStatus.accepted,
            "resolved_at": utcnow(),
            "resolved_by_id": actor.id,
        },
    )
    session.flush()
    session.expire(row)
    return v.RecordType(row.record_type), draft_id


def decline_suggestion(
    *, session: Session, user: SessionUser | None, suggestion_id: int, reason: str
) -> None:
    """Decline a suggestion with a reason (required), recording who and when."""
    actor = _require_answerer(user)
    _open_suggestion(session, actor, suggestion_id)
    _resolve(
        session,
        suggestion_id,
        {
            "status": v.SuggestionStatus.declined,
            "decline_reason": _checked_reason(reason),
            "resolved_at": utcnow(),
            "resolved_by_id": actor.id,
        },
    )
    session.flush()


# --------------------------------------------------------------------------- regional view


@dataclass(frozen=True)
class RegionalView:
    """Who asked to learn from whom: `pairs` (from_code, from_country, to_code, to_country,
    requests; from_code NOT_SAID when the participant gave no country), `over_time` (period,
    requests), and the total."""

    pairs: pd.DataFrame
    over_time: pd.DataFrame
    total: int
    period: Period = "month"
    countries: dict[str, str] = field(default_factory=dict)


def period_start(moment: dt.datetime | dt.date, period: Period) -> dt.date:
    """The first day of the month (or the Monday of the week) a moment falls in."""
    day = moment.date() if isinstance(moment, dt.datetime) else moment
    if period == "week":
        return day - dt.timedelta(days=day.weekday())
    return day.replace(day=1)


def regional(
    *, session: Session, user: SessionUser | None, period: Period = "month"
) -> RegionalView:
    """The organisers' regional view of all requests, country to country and over time
    (countries named in the current language, "not said" for an asking country not given)."""
    require(is_organiser(user), _("Only organisers see the regional view."))
    names = {
        c.code: i18n.country_name(c.code, c.name_en)
        for c in session.exec(select(Country).order_by(col(Country.sort_order))).all()
    }
    not_said = _("not said")
    counted = session.exec(
        select(ExchangeRequest.from_country, ExchangeRequest.to_country, sa.func.count()).group_by(
            col(ExchangeRequest.from_country), col(ExchangeRequest.to_country)
        )
    ).all()
    pairs = pd.DataFrame(
        [
            {
                "from_code": source or NOT_SAID,
                "from_country": names.get(source, source) if source else not_said,
                "to_code": target,
                "to_country": names.get(target, target),
                "requests": int(n),
            }
            for source, target, n in counted
        ],
        columns=["from_code", "from_country", "to_code", "to_country", "requests"],
    )
    moments = session.exec(select(ExchangeRequest.created_at)).all()
    series = pd.Series([period_start(m, period) for m in moments], dtype="object")
    over_time = (
        series.value_counts().sort_index().rename_axis("period").reset_index(name="requests")
        if len(series)
        else pd.DataFrame(columns=["period", "requests"])
    )
    if len(over_time):
        over_time["period"] = pd.to_datetime(over_time["period"])
    return RegionalView(
        pairs=pairs.sort_values(["to_code", "from_code"]).reset_index(drop=True),
        over_time=over_time,
        total=int(pairs["requests"].sum()) if len(pairs) else 0,
        period=period,
        countries=names,
    )


# --------------------------------------------------------------------------- export

BASE_HEADERS = [
    "ID",
    "Created (UTC)",
    "Updated (UTC)",
    "Practice ID",
    "Practice",
    "Link",
    "Asked country",
    "Asking country",
    "Status",
    "Steps",
    "Decline reason",
    "Adopted practice ID",
    "Event",
]
PRIVATE_HEADERS = ["Name", "Organisation", "Contact", "Message"]


def export_includes_contacts(user: SessionUser | None) -> bool:
    """Only an organiser's export carries participants' details."""
    return is_organiser(user)


def export_table(
    requests: Sequence[RequestView], user: SessionUser | None
) -> tuple[list[str], list[list[export.CellValue]]]:
    """The requests as a table (headers in English, as every export): participants' details
    only in an organiser's."""
    private = export_includes_contacts(user)
    headers = BASE_HEADERS + (PRIVATE_HEADERS if private else [])
    rows: list[list[export.CellValue]] = []
    for r in requests:
        steps = "; ".join(
            f"{s.status.value}"
            + (f" {s.happened_on.isoformat()}" if s.happened_on else "")
            + (f": {s.note}" if s.note else "")
            for s in r.steps
        )
        row: list[export.CellValue] = [
            r.id,
            export._utc(r.created_at),
            export._utc(r.updated_at),
            r.practice_id,
            r.practice_title,
            export.practice_path(r.practice_id),
            r.to_country,
            r.from_country or NOT_SAID,
            r.status.value,
            steps,
            r.decline_reason,
            r.adopted_practice_id,
            r.event,
        ]
        if private:
            row += [r.name, r.organisation, r.contact, r.message]
        rows.append(row)
    return headers, rows


def to_csv(requests: Sequence[RequestView], user: SessionUser | None) -> bytes:
    """The requests as CSV, every text cell formula-safe."""
    headers, rows = export_table(requests, user)
    return export.write_csv(headers, rows)


def to_xlsx(
    requests: Sequence[RequestView], user: SessionUser | None, *, now: dt.datetime | None = None
) -> bytes:
    """The requests as a workbook ("Requests" and "About"), every text cell formula-safe."""
    headers, rows = export_table(requests, user)
    private = export_includes_contacts(user)

    def about(count: int) -> list[tuple[str, export.CellValue]]:
        return [
            ("Exported at (UTC)", export.now_utc(now)),
            ("Requests", count),
            (
                "Contents",
                "Peer-exchange requests of the Western Balkans Regional Forum"
                + (
                    ", with participants' details: do not share this file."
                    if private
                    else ", without participants' details."
                ),
            ),
        ]

    wide = {"Practice", "Steps", "Decline reason", "Message"}
    return export.write_xlsx(
        "Requests", headers, rows, widths=lambda h: 50 if h in wide else 18, about=about
    )


# --------------------------------------------------------------------------- the display


@dataclass(frozen=True)
class MostAsked:
    """A published practice and how many requests it has (no names, no contacts)."""

    practice_id: int
    title: str
    country_code: str
    requests: int


def most_asked(
    *,
    session: Session,
    countries: Sequence[str] = (),
    themes: Sequence[str] = (),
    limit: int = 5,
) -> list[MostAsked]:
    """The published practices most asked about (every request counts, whatever its state),
    under the given countries and themes."""
    count = sa.func.count(col(ExchangeRequest.id))
    query = (
        select(Practice.id, Practice.title, Practice.country_code, count)
        .join(ExchangeRequest, col(ExchangeRequest.practice_id) == Practice.id)
        .where(Practice.workflow == v.Workflow.published)
        .group_by(col(Practice.id), col(Practice.title), col(Practice.country_code))
        .order_by(count.desc(), col(Practice.id))
        .limit(limit)
    )
    if countries:
        query = query.where(col(Practice.country_code).in_(list(countries)))
    if themes:
        themed = select(PracticeTheme.practice_id).where(
            col(PracticeTheme.theme_slug).in_(list(themes))
        )
        query = query.where(col(Practice.id).in_(themed))
    return [
        MostAsked(int(pid or 0), title, code, int(n))
        for pid, title, code, n in session.exec(query).all()
    ]


def requests_today(
    *, session: Session, now: dt.datetime | None = None, countries: Sequence[str] = ()
) -> int:
    """How many requests were made since midnight (UTC) of `now`'s day."""
    now = now or utcnow()
    midnight = dt.datetime.combine(now.date(), dt.time(), tzinfo=dt.UTC)
    query = select(sa.func.count(col(ExchangeRequest.id))).where(
        col(ExchangeRequest.created_at) >= midnight
    )
    if countries:
        query = query.where(col(ExchangeRequest.to_country).in_(list(countries)))
    return int(session.exec(query).one())
