"""What a participant without an account sends: "I want to learn from this" on a published
practice (a peer-exchange request to its country) and "Share a practice or a challenge" (a
suggestion for a country's team).

Nothing here is public: requests and suggestions are read only by the addressed country's focal
points and the organisers (forumdash.exchange checks the reader); public pages get at most the
number of people who asked about a practice (interest_count). Every send is checked (sizes,
control characters, a contact that is an e-mail address or a phone number), rate-limited per
device and per address (forumdash.limits) and announced to the country's team in one transaction.
A form's honeypot, filled, stores nothing and answers as if it had worked.
"""

import re
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from forumdash import limits, notifications
from forumdash import vocab as v
from forumdash.i18n import N_, _, parse_tag
from forumdash.models import Country, ExchangeRequest, Practice, Suggestion, utcnow
from forumdash.text import clean_text
from forumdash.workflow import _at_most_message  # the same words as every other size limit

TITLE_LIMIT = 300
TEXT_LIMIT = 2000  # a message, a description: a phone's screenful several times over
NAME_LIMIT = 120
ORGANISATION_LIMIT = 200
CONTACT_LIMIT = 254
EVENT_LIMIT = 80
MIN_DESCRIPTION = 10

# How a message names each field: as the forms' labels do, without "(optional)".
FIELD_NAMES = {
    "record_type": N_("Practice or challenge"),
    "title": N_("Title"),
    "country_code": N_("Country"),
    "description": N_("What it is"),
    "name": N_("Your name"),
    "organisation": N_("Organisation"),
    "from_country": N_("Your country"),
    "contact": N_("E-mail or phone"),
    "message": N_("Message"),
}


class ParticipationError(Exception):
    """Refused input: the problems, each as (field, message) in the form's words."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(self.lines()))

    def lines(self) -> list[str]:
        """Each problem as one line, "Title: required", naming the field as its form does."""
        return [
            _("{field}: {problem}").format(field=_(FIELD_NAMES[field]), problem=problem)
            if field in FIELD_NAMES
            else problem
            for field, problem in self.problems
        ]


# --------------------------------------------------------------------------- checks

_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
_PHONE = re.compile(r"\+?[0-9 ()./-]+")


def check_contact(value: str) -> str:
    """An e-mail address or a phone number (6 to 15 digits, spaces and + - ( ) . / allowed), or
    empty: what a focal point can use to get in touch; anything else is refused."""
    if not value:
        return value
    if len(value) > CONTACT_LIMIT:
        raise ValueError(_at_most_message(CONTACT_LIMIT))
    if _EMAIL.fullmatch(value):
        return value
    if _PHONE.fullmatch(value) and 6 <= sum(ch.isdigit() for ch in value) <= 15:
        return value
    raise ValueError(
        # No example address: Markdown would show it as a link to write to.
        _("give an e-mail address or a phone number with its country code (+389 70 123 456)")
    )


def _text(value: Any, limit: int) -> str:
    text = clean_text(value)
    if len(text) > limit:
        raise ValueError(_at_most_message(limit))
    return text


def _one_line(value: Any, limit: int) -> str:
    # Names, titles and contacts are one line: a pasted newline becomes a space.
    return _text(" ".join(clean_text(value).split()), limit)


class _Who(BaseModel):
    """Who sends, if they say, and how to reach them: all optional."""

    name: str = ""
    organisation: str = ""
    contact: str = ""

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: Any) -> str:
        return _one_line(value, NAME_LIMIT)

    @field_validator("organisation", mode="before")
    @classmethod
    def _organisation(cls, value: Any) -> str:
        return _one_line(value, ORGANISATION_LIMIT)

    @field_validator("contact", mode="before")
    @classmethod
    def _contact(cls, value: Any) -> str:
        return check_contact(_one_line(value, CONTACT_LIMIT))


class LearnDetails(_Who):
    """What a participant may add to "I want to learn from this": who they are, where from, how
    to reach them and a message; all optional."""

    from_country: str | None = None
    message: str = ""

    @field_validator("from_country", mode="before")
    @classmethod
    def _country(cls, value: Any) -> str | None:
        return clean_text(value).upper() or None

    @field_validator("message", mode="before")
    @classmethod
    def _message(cls, value: Any) -> str:
        return _text(value, TEXT_LIMIT)


class SuggestionIn(_Who):
    """A practice or a challenge a participant brings in: what, where, a few words; who they
    are and how to reach them, if they wish."""

    # A field left out is checked as an empty one (required ones refused), not let through.
    model_config = ConfigDict(validate_default=True)

    record_type: v.RecordType | None = None
    title: str = ""
    country_code: str = ""
    description: str = ""

    @field_validator("record_type", mode="before")
    @classmethod
    def _kind(cls, value: Any) -> v.RecordType:
        if value not in (v.RecordType.practice, v.RecordType.challenge, "practice", "challenge"):
            raise ValueError(_("choose a practice or a challenge"))
        return v.RecordType(value)

    @field_validator("title", mode="before")
    @classmethod
    def _title(cls, value: Any) -> str:
        title = _one_line(value, TITLE_LIMIT)
        if not title:
            raise ValueError(_("required"))
        return title

    @field_validator("country_code", mode="before")
    @classmethod
    def _country(cls, value: Any) -> str:
        code = clean_text(value).upper()
        if not code:
            raise ValueError(_("choose a country"))
        return code

    @field_validator("description", mode="before")
    @classmethod
    def _description(cls, value: Any) -> str:
        text = _text(value, TEXT_LIMIT)
        if not text:
            raise ValueError(_("required"))
        if len(text) < MIN_DESCRIPTION:
            raise ValueError(_("say it in at least a few words"))
        return text


_Checked = TypeVar("_Checked", bound=BaseModel)


def _validated(model: type[_Checked], data: Any) -> _Checked:
    if isinstance(data, model):
        return data
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ParticipationError(
            [
                (str(err["loc"][0]) if err["loc"] else "", err["msg"].removeprefix("Value error, "))
                for err in exc.errors()
            ]
        ) from exc


def _known_country(session: Session, field: str, code: str | None) -> None:
    if code and session.get(Country, code) is None:
        raise ParticipationError([(field, _("choose one of the forum's countries"))])


def clean_event(value: object) -> str:
    """The event a display's QR code names (`?event=`), as it is kept: one line, short."""
    return " ".join(clean_text(value).split())[:EVENT_LIMIT]


def _language(tag: str) -> str:
    return parse_tag(tag) or ""


# --------------------------------------------------------------------------- learn from a practice


@dataclass(frozen=True)
class Asked:
    """What "I want to learn from this" did: the request (None when a honeypot was filled and
    nothing was stored), whether this send made it, and the country asked."""

    request_id: int | None
    new: bool
    country_code: str


def ask_to_learn(
    session: Session,
    *,
    practice_id: int,
    device: str,
    address: str,
    details: LearnDetails | dict[str, Any] | None = None,
    language: str = "",
    event: str = "",
    trap: str = "",
) -> Asked:
    """Record a device's wish to learn from a published practice: the first send makes the
    peer-exchange request to the practice's country and tells its team; a later one finds the
    same request (one per device) and adds or changes the details, if any. `trap` is the
    honeypot: filled, nothing is stored. Raises ParticipationError, limits.RateLimited."""
    practice = session.get(Practice, practice_id)
    if practice is None or practice.workflow != v.Workflow.published:
        raise ParticipationError([("", _("There is no published practice with this id."))])
    checked = _validated(LearnDetails, details) if details is not None else None
    if checked is not None:
        _known_country(session, "from_country", checked.from_country)
    if trap:
        return Asked(request_id=None, new=True, country_code=practice.country_code)
    who = limits.participant(session, device, address)
    existing = _request_of(session, practice_id, who.device)
    # The address's loose limit is there for scripts that throw their cookie away, whose every
    # send makes a new request; a device's later sends to its own request (its details, a second
    # tap) count against that device alone, so a room on one Wi-Fi adding details does not use
    # up the allowance of everyone behind the same address.
    counted = who if existing is None else limits.Participant(device=who.device, address="")
    limits.check_and_count(session, limits.LEARN, counted)
    new = False
    if existing is None:
        existing, new = _new_request(session, practice, who.device, language, event)
    if checked is not None:
        for name, value in checked.model_dump().items():
            setattr(existing, name, value)
        existing.updated_at = utcnow()
        session.add(existing)
        session.flush()
    assert existing.id is not None
    return Asked(request_id=existing.id, new=new, country_code=practice.country_code)


def _request_of(session: Session, practice_id: int, device_hash: str) -> ExchangeRequest | None:
    query = select(ExchangeRequest).where(
        ExchangeRequest.practice_id == practice_id, ExchangeRequest.device_hash == device_hash
    )
    return session.exec(query).first()


def _new_request(
    session: Session, practice: Practice, device_hash: str, language: str, event: str
) -> tuple[ExchangeRequest, bool]:
    """The request, told to the country's team, and True; or the one a simultaneous tap of the
    same device made first, and False (the unique constraint decides)."""
    assert practice.id is not None
    now = utcnow()
    request = ExchangeRequest(
        practice_id=practice.id,
        to_country=practice.country_code,
        language=_language(language),
        event=clean_event(event),
        device_hash=device_hash,
        created_at=now,
        updated_at=now,
    )
    try:
        with session.begin_nested():
            session.add(request)
    except IntegrityError:
        found = _request_of(session, practice.id, device_hash)
        assert found is not None
        return found, False
    assert request.id is not None
    notifications.notify(
        session,
        kind=v.NotificationKind.exchange_request,
        recipients=notifications.country_team(session, practice.country_code),
        record_type="exchange_request",
        record_id=request.id,
        params={"practice_id": practice.id, "practice_title": practice.title[:TITLE_LIMIT]},
    )
    return request, True


def has_asked(session: Session, *, practice_id: int, device: str) -> bool:
    """Whether this device already asked to learn from the practice (read-only)."""
    who = limits.known_participant(session, device, "")
    return who is not None and _request_of(session, practice_id, who.device) is not None


def interest_count(session: Session, *, practice_id: int) -> int:
    """How many people (devices) asked to learn from a practice: the one public figure."""
    query = select(func.count()).where(col(ExchangeRequest.practice_id) == practice_id)
    return int(session.exec(query).one())


# --------------------------------------------------------------------------- suggest


def suggest(
    session: Session,
    *,
    suggestion: SuggestionIn | dict[str, Any],
    device: str,
    address: str,
    language: str = "",
    event: str = "",
    trap: str = "",
) -> int | None:
    """Record a participant's suggestion of a practice or a challenge for a country's team and
    tell the team; its id, or None when the honeypot `trap` was filled (nothing stored).
    Raises ParticipationError, limits.RateLimited."""
    checked = _validated(SuggestionIn, suggestion)
    _known_country(session, "country_code", checked.country_code)
    if trap:
        return None
    who = limits.participant(session, device, address)
    limits.check_and_count(session, limits.SUGGEST, who)
    assert checked.record_type is not None
    row = Suggestion(
        **checked.model_dump(),
        language=_language(language),
        event=clean_event(event),
        device_hash=who.device,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    notifications.notify(
        session,
        kind=v.NotificationKind.suggestion,
        recipients=notifications.country_team(session, checked.country_code),
        record_type="suggestion",
        record_id=row.id,
        params={"record_type": checked.record_type.value, "title": checked.title},
    )
    return row.id
