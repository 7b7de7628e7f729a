"""Contributing: drafts, submission, review and corrections, with permissions enforced here on
the server side whatever page (or script) calls them."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError, field_validator
from sqlmodel import Session, col, select

from forumdash import notifications, repository
from forumdash import vocab as v
from forumdash.auth import PermissionDenied, SessionUser, can_edit, can_review, can_submit, require
from forumdash.i18n import N_, _, format_number, language_name, ngettext, parse_tag
from forumdash.models import (
    PRACTICE_BASE_FIELDS,
    STORED,
    AssessmentIn,
    Challenge,
    ChallengeCreate,
    ChallengeTranslationIn,
    Correction,
    Milestone,
    Practice,
    PracticeCreate,
    PracticeTranslationIn,
    utcnow,
)
from forumdash.text import clean_text, safe_url, slug_for


class WorkflowError(ValueError):
    """A step that cannot be taken now, with a message fit for a person."""


class StaleEdit(WorkflowError):
    """A save, a review or a correction from a form older than the record: someone changed the
    record after the form was drawn, and nothing was written. Carries the record as a form
    would show it now (`current`, its Create schema) and its `version`, so that the person sees
    what changed meanwhile (changes_since) and keeps what they typed."""

    def __init__(self, message: str, *, record_id: int, current: BaseModel, version: int):
        super().__init__(message)
        self.record_id = record_id
        self.current = current
        self.version = version

    def changes_since(self, started: BaseModel | dict[str, Any]) -> list[tuple[str, Any, Any]]:
        """(field, as the form started from it, as stored now) for each field changed
        meanwhile; `started` is the record the form was drawn from (editable_record)."""
        return changes_between(started, self.current)


def _free_slug(session: Session, table: Any, base: str) -> str:
    taken = set(session.exec(select(table.slug).where(col(table.slug).startswith(base))))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


# --------------------------------------------------------------------------- kinds of record


@dataclass(frozen=True)
class Kind:
    """What differs between practices and challenges in the workflow; the steps are shared."""

    record_type: v.RecordType
    table: Any  # Practice or Challenge
    schema: Any  # PracticeCreate or ChallengeCreate
    create: Callable[..., int]
    update: Callable[..., bool]
    set_workflow: Callable[..., None]

    def get(self, session: Session, record_id: int) -> Any:
        record = session.get(self.table, record_id)
        if record is None:
            raise WorkflowError(
                self.say(_("This practice does not exist."), _("This challenge does not exist."))
            )
        return record

    def say(self, practice: str, challenge: str) -> str:
        """The one of two messages (each a whole sentence, translated) about this kind."""
        return practice if self.record_type == v.RecordType.practice else challenge


PRACTICE = Kind(
    v.RecordType.practice,
    Practice,
    PracticeCreate,
    create=lambda session, record_in, user_id: repository.create_practice(
        session=session, practice_in=record_in, user_id=user_id
    ),
    update=lambda session, record_id, record_in, user_id, **kw: repository.update_practice(
        session=session, practice_id=record_id, practice_in=record_in, user_id=user_id, **kw
    ),
    set_workflow=lambda session, record_id, workflow, user_id, reason="": (
        repository.set_practice_workflow(
            session=session,
            practice_id=record_id,
            workflow=workflow,
            user_id=user_id,
            reason=reason,
        )
    ),
)
CHALLENGE = Kind(
    v.RecordType.challenge,
    Challenge,
    ChallengeCreate,
    create=lambda session, record_in, user_id: repository.create_challenge(
        session=session, challenge_in=record_in, user_id=user_id
    ),
    update=lambda session, record_id, record_in, user_id, **kw: repository.update_challenge(
        session=session, challenge_id=record_id, challenge_in=record_in, user_id=user_id, **kw
    ),
    set_workflow=lambda session, record_id, workflow, user_id, reason="": (
        repository.set_challenge_workflow(
            session=session,
            challenge_id=record_id,
            workflow=workflow,
            user_id=user_id,
            reason=reason,
        )
    ),
)
KINDS = {PRACTICE.record_type: PRACTICE, CHALLENGE.record_type: CHALLENGE}


def _target(practice_id: int | None, challenge_id: int | None) -> tuple[Kind, int]:
    """The record a call is about: exactly one of practice_id and challenge_id."""
    if (practice_id is None) == (challenge_id is None):
        raise TypeError("give exactly one of practice_id and challenge_id")
    if practice_id is not None:
        return PRACTICE, practice_id
    assert challenge_id is not None
    return CHALLENGE, challenge_id


def editable_record(
    *,
    session: Session,
    user: SessionUser | None,
    practice_id: int | None = None,
    challenge_id: int | None = None,
) -> Any:
    """The record a form edits: the pending edit if there is one, else the record itself."""
    kind, record_id = _target(practice_id, challenge_id)
    row = kind.get(session, record_id)
    require(
        can_edit(user, row.country_code),
        kind.say(_("You cannot edit this practice."), _("You cannot edit this challenge.")),
    )
    return _form_record(session, kind, record_id, row)


def _form_record(session: Session, kind: Kind, record_id: int, row: Any) -> Any:
    """The record as a form shows it: the pending edit merged in if there is one."""
    if row.pending:
        return _merged(session, kind, record_id, row.pending)
    if kind is PRACTICE:
        return record_of(session=session, practice_id=record_id)
    return challenge_record_of(session=session, challenge_id=record_id)


def record_version(
    *, session: Session, practice_id: int | None = None, challenge_id: int | None = None
) -> int:
    """The record's version now: what a form drawn now carries back with its save (and a
    review page with its approval), to be refused if the record changed in between."""
    kind, record_id = _target(practice_id, challenge_id)
    return int(kind.get(session, record_id).version)


# What tells two versions of a record apart for a person: not its name or workflow state.
_NOT_COMPARED = ("slug", "workflow", "sample")


def _locked(session: Session, kind: Kind, record_id: int) -> Any:
    """The record's row, read afresh and locked until the transaction ends, so that checking
    its version and writing it are one step: PostgreSQL's SELECT ... FOR UPDATE makes a
    concurrent writer wait and then read the new version; on SQLite the write session's
    BEGIN IMMEDIATE already holds the database (SQLAlchemy leaves FOR UPDATE out there)."""
    row = session.get(kind.table, record_id, with_for_update=True, populate_existing=True)
    if row is None:
        kind.get(session, record_id)  # raises the kind's "does not exist"
    return row


def _check_version(
    session: Session, kind: Kind, row: Any, expected_version: int, message: str
) -> None:
    """StaleEdit with `message` when the row is not at the version the form started from."""
    if row.version != expected_version:
        raise _stale(session, kind, row, message)


def _stale(session: Session, kind: Kind, row: Any, message: str) -> StaleEdit:
    return StaleEdit(
        message,
        record_id=row.id,
        current=_form_record(session, kind, row.id, row),
        version=row.version,
    )


def _changed_meanwhile(kind: Kind) -> str:
    return kind.say(
        _(
            "This practice was saved again after you opened it (by someone else, or in another "
            "tab): nothing was saved. What changed meanwhile is shown below; your text is still "
            "in the form."
        ),
        _(
            "This challenge was saved again after you opened it (by someone else, or in another "
            "tab): nothing was saved. What changed meanwhile is shown below; your text is still "
            "in the form."
        ),
    )


def record_of(*, session: Session, practice_id: int) -> PracticeCreate:
    """A stored practice as the record a form or an import would give."""
    found = repository.get_practice(session=session, practice_id=practice_id, published_only=False)
    if found is None:
        raise WorkflowError(_("This practice does not exist."))
    adapted = None
    if found.adapted_from_id:
        origin = session.get(Practice, found.adapted_from_id)
        adapted = origin.slug if origin else None
    # Validated as stored: a limit added since must not stop anyone opening the record.
    return PracticeCreate.model_validate(
        found.model_dump(include=set(PRACTICE_BASE_FIELDS))
        | dict(
            slug=found.slug,
            country=found.country_code,
            body=found.body,
            themes=found.themes,
            ogp_values=found.ogp_values,
            outcome_areas=found.outcome_areas,
            assessment={
                "completion": found.completion,
                "potential_impact": found.potential_impact,
                "early_results": found.early_results,
                "rated_by": found.rated_by,
                "evidence_level": found.evidence_level,
                "evidence_links": found.evidence_links,
            },
            adapted_from=adapted,
            sources=found.sources,
            sample=found.is_sample,
            workflow=found.workflow,
            translations=found.translations,
        ),
        context=STORED,
    )


def challenge_record_of(*, session: Session, challenge_id: int) -> ChallengeCreate:
    """A stored challenge as the record a form would give."""
    found = repository.get_challenge(
        session=session, challenge_id=challenge_id, published_only=False
    )
    if found is None:
        raise WorkflowError(_("This challenge does not exist."))
    return ChallengeCreate.model_validate(
        dict(
            slug=found.slug,
            title=found.title,
            country=found.country_code,
            description=found.description,
            themes=found.themes,
            ogp_values=found.ogp_values,
            obstacle_type=found.obstacle_type,
            severity=found.severity,
            challenge_status=found.challenge_status,
            support_sought=found.support_sought,
            raised_at_event=found.raised_at_event,
            raised_at_date=found.raised_at_date,
            sources=found.sources,
            sample=found.is_sample,
            workflow=found.workflow,
            original_language=found.original_language,
            translations=found.translations,
        ),
        context=STORED,
    )


def _save(
    *,
    session: Session,
    user: SessionUser | None,
    kind: Kind,
    record_in: Any,
    record_id: int | None,
    client_key: str | None,
    expected_version: int | None,
) -> int:
    require(can_submit(user), _("Sign in as a focal point or an organiser to contribute."))
    assert user is not None
    require(
        can_edit(user, record_in.country),
        kind.say(
            _("Focal points add and edit the practices of their own country only."),
            _("Focal points add and edit the challenges of their own country only."),
        ),
    )
    if record_id is not None and expected_version is None:
        raise TypeError("an edit of an existing record gives the expected_version it started from")
    if record_id is None and client_key:
        record_id = session.exec(
            select(kind.table.id).where(kind.table.client_key == client_key)
        ).first()
        if record_id is not None:
            # This new form saved before (a double click, a refresh, a second tab of it): the
            # same text again is that save; other text would overwrite what was saved unseen.
            row = _locked(session, kind, record_id)
            require(
                can_edit(user, row.country_code),
                kind.say(_("You cannot edit this practice."), _("You cannot edit this challenge.")),
            )
            if _same_record(_form_record(session, kind, record_id, row), record_in):
                return int(record_id)
            raise _stale(session, kind, row, _changed_meanwhile(kind))
    if record_id is None:
        slug = slug_for(record_in.title, record_in.country)
        record = record_in.model_copy(
            update={
                "slug": _free_slug(session, kind.table, slug),
                "workflow": v.Workflow.draft,
                "sample": False,
            }
        )
        try:
            new_id = kind.create(session, record, user.id)
        except repository.UnknownReference as exc:
            raise WorkflowError(str(exc)) from exc
        row = kind.get(session, new_id)
        row.client_key = client_key
        session.add(row)
        session.flush()
        return new_id
    row = _locked(session, kind, record_id)
    require(
        can_edit(user, row.country_code),
        kind.say(_("You cannot edit this practice."), _("You cannot edit this challenge.")),
    )
    if expected_version is not None:
        _check_version(session, kind, row, expected_version, _changed_meanwhile(kind))
    record = record_in.model_copy(update={"slug": row.slug, "workflow": row.workflow})
    if record.translations is None:
        _check_language_against_translations(session, kind, record_id, row, record)
    if row.workflow == v.Workflow.published and not can_review(user):
        # The edit keeps the version it started from, so that approving it later changes only
        # what its author changed (not what others changed meanwhile).
        base = (row.pending or {}).get(BASE) or _current(session, kind, record_id)
        edit = record.model_dump(mode="json")
        if edit.get(TRANSLATIONS) is None and row.pending:
            # A form that does not edit translations keeps those the waiting edit changed.
            edit[TRANSLATIONS] = row.pending.get(TRANSLATIONS)
        row.pending = edit | {BASE: base}
        row.pending_workflow = v.Workflow.draft
        row.pending_by_id = user.id
        row.pending_at = utcnow()
        session.add(row)
        session.flush()
        return record_id
    _update(session, kind, record_id, record, user.id)
    return record_id


def _same_record(stored: BaseModel, given: BaseModel) -> bool:
    """The same record but for its name and workflow state (translations compared only when
    the given one carries them)."""
    carries = given.model_dump(mode="json").get(TRANSLATIONS) is not None
    return not changes_between(stored, given, translations=carries)


def changes_between(
    was: BaseModel | dict[str, Any],
    now: BaseModel | dict[str, Any],
    *,
    translations: bool = True,
) -> list[tuple[str, Any, Any]]:
    """(field, was, now) for each part of a record (a story section, a rating, a translated
    field: as _spread names them) that differs for a person between two versions of it (Create
    schemas or their JSON): not its name or workflow state, nor choices in another order.
    Without `translations`, what a form that does not show them cannot have changed."""
    old, new = (
        _spread(r.model_dump(mode="json") if isinstance(r, BaseModel) else dict(r))
        for r in (was, now)
    )
    hidden = (*_NOT_COMPARED, TRANSLATIONS)
    changes = [c for c in diff(old, new, hidden) if not _same(c[1], c[2])]
    if translations:
        return changes
    return [c for c in changes if translated_field(c[0]) is None]


def _check_language_against_translations(
    session: Session, kind: Kind, record_id: int, row: Any, record: Any
) -> None:
    """A form that does not carry translations may still change the record's language: not
    into one it is translated into, and not to "not said" while it has translations."""
    # Both the stored translations and those a waiting edit gives: approving the edit later
    # must not leave a translation into the record's own language either.
    waiting = (row.pending or {}).get(TRANSLATIONS)
    stored = _current(session, kind, record_id).get(TRANSLATIONS)
    languages = set(waiting or {}) | set(stored or {})
    if not languages:
        return
    if not record.original_language:
        raise WorkflowError(_("The record has translations: say the language it is written in."))
    if record.original_language in languages:
        raise WorkflowError(
            _(
                "The record has a translation into {language}: remove it before saying the "
                "record is written in {language}."
            ).format(language=language_name(record.original_language))
        )


BASE = "_base"  # where a pending edit keeps the version it started from
TRANSLATIONS = "translations"  # where a record keeps its translations (by language tag)


def _current(session: Session, kind: Kind, record_id: int) -> dict[str, Any]:
    """A stored record as JSON, as a form would give it."""
    if kind is PRACTICE:
        return record_of(session=session, practice_id=record_id).model_dump(mode="json")
    return challenge_record_of(session=session, challenge_id=record_id).model_dump(mode="json")


def _pending_changes(
    session: Session, kind: Kind, record_id: int, pending: dict[str, Any]
) -> tuple[dict[str, Any], list["ProposedChange"]]:
    """The record as it is now (spread into parts: story sections, ratings, each translated
    field) and what a pending edit changes of it, part by part, relative to the version the
    edit started from: a part someone else changed meanwhile, to another value, is a conflict."""
    current = _spread(_current(session, kind, record_id))
    edit = {k: value for k, value in pending.items() if k != BASE}
    base = dict(pending.get(BASE) or _current(session, kind, record_id))
    if edit.get(TRANSLATIONS) is None:
        # An edit that did not say its translations (made before they existed) keeps them.
        edit.pop(TRANSLATIONS, None)
        base.pop(TRANSLATIONS, None)
    edited, was = _spread(edit), _spread(base)
    translated = [k for k in (*edited, *was) if k.startswith(_TRANSLATED)]
    changes = [
        ProposedChange(field, was.get(field), current.get(field), edited.get(field))
        for field in dict.fromkeys([*edited, *translated])
        if not _same(was.get(field), edited.get(field))
    ]
    return current, changes


def _merged(
    session: Session,
    kind: Kind,
    record_id: int,
    pending: dict[str, Any],
    choices: dict[str, str] | None = None,
) -> Any:
    """What approving a pending edit gives: the current record with the parts the edit changed
    (relative to the version it started from) replaced. With `choices` (approving), a part
    someone else changed meanwhile is replaced only if the organiser chose the edit's value
    (TAKE_PROPOSED); without (showing the edit), the edit's value is shown."""
    record, changes = _pending_changes(session, kind, record_id, pending)
    undecided = []
    for change in changes:
        if choices is not None and change.conflict:
            choice = choices.get(change.field)
            if choice not in (KEEP_CURRENT, TAKE_PROPOSED):
                undecided.append(change.field)
                continue
            if choice == KEEP_CURRENT:
                continue
        record[change.field] = change.proposed
    if undecided:
        raise WorkflowError(
            _(
                "Changed since the edit was made: {fields}. Choose for each whether to keep the "
                "current value or take the edit's."
            ).format(fields=", ".join(undecided))
        )
    # Both parts were checked when they were saved; a limit added since does not block them.
    try:
        return kind.schema.model_validate(_gathered(record), context=STORED)
    except ValidationError as exc:
        raise WorkflowError(_messages(exc)) from exc


def pending_conflicts(
    *,
    session: Session,
    user: SessionUser | None,
    practice_id: int | None = None,
    challenge_id: int | None = None,
) -> list["ProposedChange"]:
    """The parts of a record's pending edit that someone else changed since the edit started,
    to another value: approving asks the organiser to choose for each."""
    require(can_review(user), _("Only organisers review submissions."))
    kind, record_id = _target(practice_id, challenge_id)
    row = kind.get(session, record_id)
    if row.pending is None:
        return []
    return [c for c in _pending_changes(session, kind, record_id, row.pending)[1] if c.conflict]


def _update(
    session: Session, kind: Kind, record_id: int, record: Any, user_id: int, **kw: Any
) -> None:
    try:
        kind.update(session, record_id, record, user_id, **kw)
    except repository.UnknownReference as exc:
        raise WorkflowError(str(exc)) from exc


def save_practice(
    *,
    session: Session,
    user: SessionUser | None,
    practice_in: PracticeCreate,
    practice_id: int | None = None,
    client_key: str | None = None,
    expected_version: int | None = None,
) -> int:
    """Save a form: a new draft, or changes to an existing practice (an edit of a published
    practice by its focal point waits as a pending edit). The same client_key always saves to the
    same record, so a double click, a refresh or a second tab never makes a second one.

    An edit of an existing practice gives `expected_version`, the version its form was drawn
    from (record_version): if the practice changed since, nothing is saved and StaleEdit says
    what changed. A new form's second save with other text (its client_key found a record it
    already made, changed since by its other tab) is refused the same way."""
    return _save(
        session=session,
        user=user,
        kind=PRACTICE,
        record_in=practice_in,
        record_id=practice_id,
        client_key=client_key,
        expected_version=expected_version,
    )


def save_challenge(
    *,
    session: Session,
    user: SessionUser | None,
    challenge_in: ChallengeCreate,
    challenge_id: int | None = None,
    client_key: str | None = None,
    expected_version: int | None = None,
) -> int:
    """As save_practice, for a challenge."""
    return _save(
        session=session,
        user=user,
        kind=CHALLENGE,
        record_in=challenge_in,
        record_id=challenge_id,
        client_key=client_key,
        expected_version=expected_version,
    )


def save_translation(
    *,
    session: Session,
    user: SessionUser | None,
    language: str,
    translation: PracticeTranslationIn | ChallengeTranslationIn | None,
    was: PracticeTranslationIn | ChallengeTranslationIn | None,
    practice_id: int | None = None,
    challenge_id: int | None = None,
) -> None:
    """Add, change or (`translation` None) remove a record's translation into `language`, as
    an edit of the record: a focal point's edit of a published record waits for review, with
    the published text online meanwhile. `was` is the translation as the form showed it: if
    someone saved another one since, nothing is saved and WorkflowError says so."""
    kind, record_id = _target(practice_id, challenge_id)
    tag = parse_tag(language)
    if tag is None:
        raise WorkflowError(_("Choose one of the forum's languages for the translation."))
    expected = PracticeTranslationIn if kind is PRACTICE else ChallengeTranslationIn
    if translation is not None and not isinstance(translation, expected):
        raise TypeError(f"a {kind.record_type.value}'s translation is a {expected.__name__}")
    # Locked first: the check of `was` below and the write are one step.
    row = _locked(session, kind, record_id)
    shown = editable_record(  # what the form showed: the waiting edit, if there is one
        session=session, user=user, practice_id=practice_id, challenge_id=challenge_id
    )
    record = shown
    if row.pending and row.workflow == v.Workflow.published and can_review(user):
        # A reviewer's save is published at once: it starts from the published record, never
        # from a focal point's waiting edit, which stays waiting for its own review (approving
        # it later asks about a translation both changed).
        record = (
            record_of(session=session, practice_id=record_id)
            if kind is PRACTICE
            else challenge_record_of(session=session, challenge_id=record_id)
        )
    if not record.original_language:
        raise WorkflowError(_("Say the language the record is written in before translating it."))
    if tag == record.original_language:
        raise WorkflowError(
            _(
                "The record is written in {language}: a translation is into another language."
            ).format(language=language_name(tag))
        )
    translations = dict(record.translations or {})
    now = (shown.translations or {}).get(tag)
    if not _same_translation(now, was) and not _same_translation(now, translation):
        raise WorkflowError(
            _(
                "Someone saved another {language} translation since you opened this one: "
                "nothing was saved. Reload to see theirs, then make your changes again."
            ).format(language=language_name(tag))
        )
    if translation is None:
        translations.pop(tag, None)
    else:
        translations[tag] = translation
    # The record as stored (a limit added since does not block it); the translation was
    # checked as it was made.
    edited = kind.schema.model_validate(
        record.model_dump() | {TRANSLATIONS: translations}, context=STORED
    )
    _save(
        session=session,
        user=user,
        kind=kind,
        record_in=edited,
        record_id=record_id,
        client_key=None,
        # The translation form's own check is `was` (a save of another field meanwhile does
        # not refuse a translation that nobody else touched).
        expected_version=row.version,
    )


def _same_translation(one: BaseModel | None, other: BaseModel | None) -> bool:
    if one is None or other is None:
        return one is None and other is None
    return bool(one.model_dump() == other.model_dump())


def save_outcome(
    *, session: Session, practice_id: int | None = None, challenge_id: int | None = None
) -> str:
    """What a save led to, in words for the person who saved."""
    kind, record_id = _target(practice_id, challenge_id)
    row = kind.get(session, record_id)
    if row.pending_workflow == v.Workflow.submitted:
        return _("Your edit is submitted for review; the published version stays online meanwhile.")
    if row.pending_workflow is not None:
        return _("Your edit is saved as a draft; the published version stays online meanwhile.")
    return {
        v.Workflow.draft: lambda: _("Draft saved."),
        v.Workflow.rejected: lambda: _("Saved. Submit it again when it is ready."),
        v.Workflow.submitted: lambda: _("Submitted for review: an organiser will look at it."),
        v.Workflow.in_review: lambda: _("Submitted for review: an organiser will look at it."),
        v.Workflow.published: lambda: kind.say(
            _("Saved: the published practice is updated."),
            _("Saved: the published challenge is updated."),
        ),
    }[row.workflow]()


def submit(
    *,
    session: Session,
    user: SessionUser | None,
    practice_id: int | None = None,
    challenge_id: int | None = None,
) -> None:
    """Send a draft (or a pending edit) to the organisers' review queue."""
    kind, record_id = _target(practice_id, challenge_id)
    row = kind.get(session, record_id)
    require(
        can_edit(user, row.country_code),
        kind.say(_("You cannot submit this practice."), _("You cannot submit this challenge.")),
    )
    assert user is not None
    if row.pending is not None:
        already = row.pending_workflow == v.Workflow.submitted
        row.pending_workflow = v.Workflow.submitted
        session.add(row)
        session.flush()
        if not already:
            notifications.submitted(
                session, record_type=kind.record_type, record=row, actor=user.id, edit=True
            )
        return
    if row.workflow in (v.Workflow.submitted, v.Workflow.in_review, v.Workflow.published):
        return  # already in the queue, or (an organiser's own edit) already live
    if row.workflow not in (v.Workflow.draft, v.Workflow.rejected):
        state = row.workflow.label.lower()
        raise WorkflowError(
            kind.say(
                _("A {state} practice cannot be submitted."),
                _("A {state} challenge cannot be submitted."),
            ).format(state=state)
        )
    kind.set_workflow(session, record_id, v.Workflow.submitted, user.id)
    notifications.submitted(
        session, record_type=kind.record_type, record=row, actor=user.id, edit=False
    )


def approve(
    *,
    session: Session,
    user: SessionUser | None,
    practice_id: int | None = None,
    challenge_id: int | None = None,
    choices: dict[str, str] | None = None,
    expected_version: int,
) -> None:
    """Publish a submitted record, or apply a submitted edit of a published one; `choices`
    says, for each part changed meanwhile by someone else (pending_conflicts), KEEP_CURRENT or
    TAKE_PROPOSED: nothing changed meanwhile is overwritten unasked. `expected_version` is the
    version the organiser saw (QueueItem.version): a submission approved meanwhile is refused
    as already reviewed, one edited meanwhile with StaleEdit (it stays in the queue, and the
    organiser sees the new version before approving it)."""
    require(can_review(user), _("Only organisers review submissions."))
    assert user is not None
    kind, record_id = _target(practice_id, challenge_id)
    row = _locked(session, kind, record_id)
    _check_reviewable(session, kind, row, expected_version)
    if row.pending is not None and row.pending_workflow == v.Workflow.submitted:
        record = _merged(session, kind, record_id, row.pending, choices or {})
        author = row.pending_by_id
        _update(session, kind, record_id, record, user.id, action="approve")
        _clear_pending(session, row)
        _told(session, kind, row, v.NotificationKind.published, author, user.id, edit=True)
        return
    if row.workflow not in (v.Workflow.submitted, v.Workflow.in_review):
        raise WorkflowError(
            kind.say(
                _("Only submitted practices can be approved."),
                _("Only submitted challenges can be approved."),
            )
        )
    kind.set_workflow(session, record_id, v.Workflow.published, user.id)
    _told(session, kind, row, v.NotificationKind.published, row.created_by_id, user.id, edit=False)


def reject(
    *,
    session: Session,
    user: SessionUser | None,
    reason: str,
    practice_id: int | None = None,
    challenge_id: int | None = None,
    expected_version: int,
) -> None:
    """Send a submission back with a reason its author sees; `expected_version` as approve's."""
    require(can_review(user), _("Only organisers review submissions."))
    assert user is not None
    reason = clean_text(reason)
    if len(reason) < 5:
        raise WorkflowError(_("Give the submitter a reason (at least a few words)."))
    kind, record_id = _target(practice_id, challenge_id)
    row = _locked(session, kind, record_id)
    _check_reviewable(session, kind, row, expected_version)
    if row.pending is not None and row.pending_workflow == v.Workflow.submitted:
        row.pending_workflow = v.Workflow.rejected
        row.rejection_reason = reason
        session.add(row)
        session.flush()
        _told(
            session,
            kind,
            row,
            v.NotificationKind.sent_back,
            row.pending_by_id,
            user.id,
            True,
            reason,
        )
        return
    if row.workflow not in (v.Workflow.submitted, v.Workflow.in_review):
        raise WorkflowError(
            kind.say(
                _("Only submitted practices can be rejected."),
                _("Only submitted challenges can be rejected."),
            )
        )
    kind.set_workflow(session, record_id, v.Workflow.rejected, user.id, reason=reason)
    _told(
        session, kind, row, v.NotificationKind.sent_back, row.created_by_id, user.id, False, reason
    )


def _check_reviewable(session: Session, kind: Kind, row: Any, expected_version: int) -> None:
    """A review of the version the organiser saw, of a submission still waiting: one that
    another organiser reviewed meanwhile is not reviewed twice (one publication, one history
    entry), and one changed meanwhile is shown again before anything is decided."""
    if row.version == expected_version:
        return
    waiting = row.pending_workflow == v.Workflow.submitted or row.workflow in (
        v.Workflow.submitted,
        v.Workflow.in_review,
    )
    if not waiting and row.workflow == v.Workflow.published:
        raise WorkflowError(
            _("This submission was already approved, by another organiser or in another tab.")
        )
    if not waiting:
        raise WorkflowError(
            _("This submission was already sent back, by another organiser or in another tab.")
        )
    raise _stale(
        session,
        kind,
        row,
        _(
            "This submission changed since you opened it: here is the new version. Nothing was "
            "decided; look at it again."
        ),
    )


def _told(
    session: Session,
    kind: Kind,
    row: Any,
    told: v.NotificationKind,
    author: int | None,
    actor: int,
    edit: bool,
    reason: str = "",
) -> None:
    """The author and the country's focal points told of a review (never the reviewer)."""
    notifications.reviewed(
        session,
        kind=told,
        record_type=kind.record_type,
        record=row,
        author=author,
        actor=actor,
        edit=edit,
        reason=reason,
    )


def _clear_pending(session: Session, row: Any) -> None:
    row.pending = None
    row.pending_workflow = None
    row.pending_by_id = None
    row.pending_at = None
    session.add(row)
    session.flush()


@dataclass(frozen=True)
class QueueItem:
    record_type: v.RecordType
    record_id: int
    title: str
    country_code: str
    kind: str  # "new" or "edit"
    workflow: v.Workflow
    updated: Any
    # The version the queue read: what approving or sending it back from this view carries.
    version: int = 0

    @property
    def ids(self) -> dict[str, int]:
        """The keyword that names this record in the workflow's functions."""
        return {f"{self.record_type.value}_id": self.record_id}


def review_queue(*, session: Session, user: SessionUser | None) -> list[QueueItem]:
    """Submitted practices and challenges and submitted edits, oldest first."""
    require(can_review(user), _("Only organisers see the review queue."))
    items = []
    for kind in KINDS.values():
        table = kind.table
        rows = session.exec(
            select(table).where(
                col(table.workflow).in_([v.Workflow.submitted, v.Workflow.in_review])
                | (table.pending_workflow == v.Workflow.submitted)
            )
        ).all()
        items += [
            QueueItem(
                kind.record_type,
                row.id,
                (row.pending or {}).get("title", row.title),
                row.country_code,
                "edit" if row.pending_workflow == v.Workflow.submitted else "new",
                v.Workflow.submitted,
                row.pending_at or row.updated_at,
                row.version,
            )
            for row in rows
            if row.id is not None
        ]
    return sorted(items, key=lambda item: (item.updated, item.record_type, item.record_id))


@dataclass(frozen=True)
class MyRecord:
    record_type: v.RecordType
    record_id: int
    title: str
    workflow: v.Workflow
    pending_workflow: v.Workflow | None
    rejection_reason: str

    @property
    def practice_id(self) -> int:
        return self.record_id


def my_records(
    *, session: Session, user: SessionUser | None, record_type: v.RecordType = v.RecordType.practice
) -> list[MyRecord]:
    """The records of a kind a contributor can edit: their country's (all for organisers)."""
    require(can_submit(user), _("Sign in to see your records."))
    assert user is not None
    table = KINDS[record_type].table
    query = select(table).order_by(col(table.updated_at).desc())
    if user.role == v.Role.focal_point:
        query = query.where(table.country_code == user.country_code)
    return [
        MyRecord(record_type, p.id, p.title, p.workflow, p.pending_workflow, p.rejection_reason)
        for p in session.exec(query.limit(500)).all()
        if p.id is not None
    ]


def diff(
    before: dict[str, Any], after: dict[str, Any], hidden: tuple[str, ...] = ("slug", "workflow")
) -> list[tuple[str, Any, Any]]:
    """(field, before, after) for every field whose value differs, but the `hidden` ones."""
    hidden = (*hidden, BASE)
    keys = [k for k in after if k not in hidden] + [
        k for k in before if k not in after and k not in hidden
    ]
    return [
        (k, before.get(k), after.get(k))
        for k in keys
        if before.get(k) != after.get(k) and not (_blank(before.get(k)) and _blank(after.get(k)))
    ]


def _blank(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_blank(item) for item in value.values())
    return value in (None, "", [], False)


def review_diff(
    *,
    session: Session,
    user: SessionUser | None,
    practice_id: int | None = None,
    challenge_id: int | None = None,
) -> list[tuple[str, Any, Any]]:
    """What approving would change: the published version against the submission."""
    require(can_review(user), _("Only organisers review submissions."))
    kind, record_id = _target(practice_id, challenge_id)
    row = kind.get(session, record_id)
    current = _current(session, kind, record_id)
    # The workflow state is not part of the review; a challenge's own status ("resolved") is.
    hidden = ("slug", "workflow")
    if row.pending is not None:
        merged = _merged(session, kind, record_id, row.pending).model_dump(mode="json")
        return diff(_translations_apart(current), _translations_apart(merged), hidden)
    return diff({}, _translations_apart(current), hidden)


def _translations_apart(record: dict[str, Any]) -> dict[str, Any]:
    """A record as JSON with each translated field as a field of its own (translated_part)."""
    rest = {k: value for k, value in record.items() if k != TRANSLATIONS}
    return rest | _translation_parts(record.get(TRANSLATIONS) or {})


# --------------------------------------------------------------------------- corrections


_SCRIPT_SCHEME = re.compile(r"^\s*(javascript|data|vbscript|file)\s*:", re.IGNORECASE)


class CorrectionIn(BaseModel):
    """A correction as anyone may send it: why (what is wrong), and the right values either
    proposed field by field (`proposed`, as proposal() gives them) or told in words."""

    record_type: v.RecordType
    record_id: int
    what_is_wrong: str
    what_is_right: str = ""
    source: str = ""
    contact: str = ""
    proposed: dict[str, Any] | None = None

    @field_validator("what_is_wrong")
    @classmethod
    def _reason(cls, value: str) -> str:
        value = clean_text(value)
        if len(value) < 5:
            raise ValueError(_("say it in at least a few words"))
        return _at_most(value, 5000)

    @field_validator("what_is_right")
    @classmethod
    def _right(cls, value: str) -> str:
        # Optional when the right values are proposed; required otherwise (flag_correction).
        value = clean_text(value)
        if value and len(value) < 5:
            raise ValueError(_("say it in at least a few words"))
        return _at_most(value, 5000)

    @field_validator("source")
    @classmethod
    def _source(cls, value: str) -> str:
        value = clean_text(value)
        if len(value) > 1000:
            raise ValueError(_at_most_message(1000))
        looks_like_link = "://" in value or _SCRIPT_SCHEME.match(value)
        if looks_like_link and safe_url(value) is None:
            raise ValueError(_("only http:// and https:// links are accepted"))
        return value

    @field_validator("contact")
    @classmethod
    def _contact(cls, value: str) -> str:
        value = clean_text(value)
        if len(value) > 254:
            raise ValueError(_at_most_message(254))
        return value


def _at_most(value: str, limit: int) -> str:
    if len(value) > limit:
        raise ValueError(_at_most_message(limit))
    return value


def _at_most_message(limit: int) -> str:
    """'at most 1,000 characters', with the number grouped as the language groups digits."""
    return ngettext("at most {n} character", "at most {n} characters", limit).format(
        n=format_number(limit)
    )


def flag_correction(*, session: Session, correction_in: dict[str, Any]) -> int:
    """Record a correction of a published practice or challenge, or of a milestone. A proposal
    is checked against the record as it is now: one that would make it invalid is refused and
    nothing is stored. Raises WorkflowError."""
    try:
        data = CorrectionIn.model_validate(correction_in)
    except ValidationError as exc:
        raise WorkflowError(_messages(exc)) from exc
    proposed = data.proposed or None
    country: str | None = None  # whose focal points are told
    if data.record_type in KINDS:
        kind = KINDS[data.record_type]
        row = session.get(kind.table, data.record_id)
        if row is None or row.workflow != v.Workflow.published:
            raise WorkflowError(
                kind.say(_("This practice does not exist."), _("This challenge does not exist."))
            )
        country = row.country_code
        if proposed is not None:
            proposed = _checked_proposal(session, kind, data.record_id, proposed)
    else:
        milestone = session.get(Milestone, data.record_id)
        if milestone is None:
            raise WorkflowError(_("This milestone does not exist."))
        if proposed is not None:
            raise WorkflowError(_("A milestone's correction is told in words."))
        country = milestone.country_code
    if proposed is None and not data.what_is_right:
        raise WorkflowError(_("what is right: say it in at least a few words"))
    correction = Correction(**data.model_dump(exclude={"proposed"}), proposed=proposed)
    session.add(correction)
    session.flush()
    assert correction.id is not None
    notifications.corrected(session, correction=correction, country_code=country)
    return correction.id


# --------------------------------------------------------------------------- proposed values

# What a reader does not propose: how the record is named and where it is in the workflow.
NOT_PROPOSED = ("slug", "workflow", "sample")
# A practice's fields made of parts: a proposal (and a conflict) is per part, so that fixing one
# section of the story does not undo another section changed meanwhile.
PARTS = {
    "body": tuple(key for key, _heading in v.BODY_SECTIONS),
    "assessment": tuple(AssessmentIn.model_fields),
}
_WHOLE = {part: whole for whole, parts in PARTS.items() for part in parts}


# A translated field as a part of its own: `translations.sq.title`, `translations.sq.methods`.
_TRANSLATED = TRANSLATIONS + "."


def translated_part(language: str, field: str) -> str:
    """The name of one translated field as a part of the record (in diffs and conflicts)."""
    return f"{_TRANSLATED}{language}.{field}"


def translated_field(part: str) -> tuple[str, str] | None:
    """(language, field) of a translated part's name; None for any other part."""
    if not part.startswith(_TRANSLATED):
        return None
    language, _dot, field = part.removeprefix(_TRANSLATED).rpartition(".")
    return language, field


def _translation_parts(translations: dict[str, Any]) -> dict[str, Any]:
    """Each translated field (as JSON: a practice's sections under `body`) as a part."""
    parts: dict[str, Any] = {}
    for language, translation in translations.items():
        for field, text in (translation or {}).items():
            if field == "body" and isinstance(text, dict):
                parts.update({translated_part(language, k): x for k, x in text.items() if x})
            elif text:
                parts[translated_part(language, field)] = text
    return parts


def _spread(record: dict[str, Any], *, full: bool = True) -> dict[str, Any]:
    """A record (or a proposal) as JSON with its parts as fields of their own; a full record
    gets every part, an empty story section as "" (a translated field that is not there is
    left out)."""
    spread: dict[str, Any] = {}
    for field, value in record.items():
        if field in PARTS and isinstance(value, dict):
            if full and field == "body":
                spread.update(dict.fromkeys(PARTS["body"], ""))
            spread.update(value)
        elif field == TRANSLATIONS:
            if full or value is None:
                # Says whether the record gives its translations at all (None: it does not).
                spread[TRANSLATIONS] = None if value is None else {}
            spread.update(_translation_parts(value or {}))
        else:
            spread[field] = value
    return spread


def _gathered(spread: dict[str, Any], *, full: bool = True) -> dict[str, Any]:
    """The inverse of _spread: parts back in their field (a full record drops empty sections
    and empty translated fields)."""
    record: dict[str, Any] = {}
    for field, value in spread.items():
        whole = _WHOLE.get(field)
        translated = translated_field(field)
        if field == TRANSLATIONS:
            continue
        if translated is not None:
            if value:
                language, name = translated
                translation = record.setdefault(TRANSLATIONS, {}).setdefault(language, {})
                if name in PARTS["body"]:
                    translation.setdefault("body", {})[name] = value
                else:
                    translation[name] = value
        elif whole is None:
            record[field] = value
        elif not (full and whole == "body" and not value):
            record.setdefault(whole, {})[field] = value
    if spread.get(TRANSLATIONS) is not None:
        record.setdefault(TRANSLATIONS, {})
    return record


def _same(one: Any, other: Any) -> bool:
    """Equal values, both blank, or the same choices in another order (themes and values are
    stored as sets)."""
    if _choices(one) and _choices(other):
        return sorted(one) == sorted(other)
    return bool(one == other or (_blank(one) and _blank(other)))


def _choices(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def proposal(before: BaseModel, after: BaseModel) -> dict[str, Any]:
    """What a corrected record changes, as a correction proposes it: {field: value} in the
    Create schema's JSON shape, a story or an assessment holding only the parts that changed."""
    old = _spread(before.model_dump(mode="json"))
    new = _spread(after.model_dump(mode="json"))
    return _gathered(
        {
            field: value
            for field, value in new.items()
            if field not in NOT_PROPOSED and not _same(old.get(field), value)
        },
        full=False,
    )


def _checked_proposal(
    session: Session, kind: Kind, record_id: int, proposed: dict[str, Any]
) -> dict[str, Any] | None:
    """The proposal as stored: the changed fields and, under BASE, their values when it was
    sent (to tell at acceptance what changed since). None when it changes nothing."""
    current = _spread(_current(session, kind, record_id))
    changes = _spread({k: value for k, value in proposed.items() if k != BASE}, full=False)
    unknown = [field for field in changes if field not in current or field in NOT_PROPOSED]
    if unknown:
        raise WorkflowError(_no_field(kind, unknown[0]))
    changes = {field: value for field, value in changes.items() if not _same(current[field], value)}
    if not changes:
        return None
    _validated(kind, current | changes, changed=set(changes))
    base = {field: current[field] for field in changes}
    return _gathered(changes, full=False) | {BASE: _gathered(base, full=False)}


def _validated(kind: Kind, spread: dict[str, Any], changed: set[str] | None = None) -> Any:
    """A whole record from its spread fields, with every check of its Create schema; with
    `changed`, only what a correction changes must pass them: a field it leaves as stored (a
    language code from before the forum's list, translations of a record whose language nobody
    said) is taken as stored, so an old record never blocks a reader's correction."""
    record = _gathered(spread)
    try:
        return kind.schema.model_validate(record)
    except ValidationError as exc:
        if changed is not None and not any(
            not err["loc"] or changed & {str(part) for part in err["loc"]} for err in exc.errors()
        ):
            try:
                return kind.schema.model_validate(record, context=STORED)
            except ValidationError as stored_exc:
                raise WorkflowError(_messages(stored_exc)) from stored_exc
        raise WorkflowError(_messages(exc)) from exc


@dataclass(frozen=True)
class ProposedChange:
    """One field a correction proposes to change (a story section or an assessment rating by
    its own name): its value when the reader wrote, now, and as proposed."""

    field: str
    was: Any
    now: Any
    proposed: Any

    @property
    def conflict(self) -> bool:
        """Someone changed this field since the reader wrote, and not to the proposed value:
        accepting must not overwrite it unasked."""
        return not _same(self.now, self.was) and not _same(self.now, self.proposed)

    @property
    def already(self) -> bool:
        """The record already says what the reader proposes."""
        return _same(self.now, self.proposed)


def _changes_of(session: Session, correction: Correction) -> list[ProposedChange]:
    kind = KINDS[correction.record_type]
    proposed = correction.proposed or {}
    now = _spread(_current(session, kind, correction.record_id))
    was = _spread(proposed.get(BASE) or {}, full=False)
    return [
        ProposedChange(field, was.get(field), now.get(field), value)
        for field, value in _spread(
            {k: value for k, value in proposed.items() if k != BASE}, full=False
        ).items()
    ]


def proposed_changes(
    *, session: Session, user: SessionUser | None, correction_id: int
) -> list[ProposedChange]:
    """What accepting an open correction's proposal would change in the record as it is now;
    empty for a correction told in words."""
    require(can_review(user), _("Only organisers resolve corrections."))
    correction = _open_correction(session, correction_id)
    if correction.proposed is None or correction.record_type not in KINDS:
        return []
    return _changes_of(session, correction)


KEEP_CURRENT, TAKE_PROPOSED = "current", "proposed"


def _proposal_applied(
    session: Session, kind: Kind, correction: Correction, choices: dict[str, str]
) -> Any:
    """The record as it is now with exactly the proposed fields replaced; a field changed
    meanwhile by someone else is replaced only if the organiser chose the proposed value."""
    record = _spread(_current(session, kind, correction.record_id))
    undecided = []
    taken: set[str] = set()
    for change in _changes_of(session, correction):
        if change.conflict:
            choice = choices.get(change.field)
            if choice not in (KEEP_CURRENT, TAKE_PROPOSED):
                undecided.append(change.field)
                continue
            if choice == KEEP_CURRENT:
                continue
        record[change.field] = change.proposed
        taken.add(change.field)
    if undecided:
        raise WorkflowError(
            _(
                "Changed since the reader wrote: {fields}. Choose for each whether to keep the "
                "current value or take the proposed one."
            ).format(fields=", ".join(undecided))
        )
    return _validated(kind, record, changed=taken)


def open_corrections(*, session: Session, user: SessionUser | None) -> list[Correction]:
    require(can_review(user), _("Only organisers resolve corrections."))
    rows = session.exec(
        select(Correction)
        .where(Correction.status == v.CorrectionStatus.open)
        .order_by(col(Correction.id))
    ).all()
    return [Correction.model_validate(row.model_dump()) for row in rows]


def accept_correction(
    *,
    session: Session,
    user: SessionUser | None,
    correction_id: int,
    practice_in: PracticeCreate | None = None,
    challenge_in: ChallengeCreate | None = None,
    milestone_changes: dict[str, Any] | None = None,
    changes: dict[str, str] | None = None,
    choices: dict[str, str] | None = None,
    expected_version: int | None = None,
) -> None:
    """Apply a correction: the record is edited and its history credits the correction. With
    no record and no `changes` given, the reader's proposal is applied to the record as it is
    now; `choices` says, for each field changed meanwhile, KEEP_CURRENT or TAKE_PROPOSED.
    A practice's or challenge's correction gives `expected_version`, the version of the record
    the organiser's form was drawn from: if the record changed since, nothing is applied and
    StaleEdit says what changed (a milestone's correction gives none)."""
    require(can_review(user), _("Only organisers resolve corrections."))
    assert user is not None
    correction = _open_correction(session, correction_id)
    if correction.record_type in KINDS:
        if expected_version is None:
            raise TypeError("a record's correction gives the expected_version the form showed")
        kind = KINDS[correction.record_type]
        record_in = practice_in if kind is PRACTICE else challenge_in
        row = _locked(session, kind, correction.record_id)
        _check_version(
            session,
            kind,
            row,
            expected_version,
            kind.say(
                _(
                    "This practice changed since you opened the correction: nothing was "
                    "applied. Look at it again as it is now."
                ),
                _(
                    "This challenge changed since you opened the correction: nothing was "
                    "applied. Look at it again as it is now."
                ),
            ),
        )
        if changes is not None:
            # Applied to the record as it is now, not as it was when the form was drawn.
            record_in = _with_changes(kind, _current(session, kind, correction.record_id), changes)
        elif record_in is None and correction.proposed is not None:
            record_in = _proposal_applied(session, kind, correction, choices or {})
        if record_in is None:
            raise WorkflowError(
                kind.say(_("Give the corrected practice."), _("Give the corrected challenge."))
            )
        # A pending edit keeps its own base, so approving it later keeps this correction
        # (unless the edit itself changes the same field).
        record = record_in.model_copy(update={"slug": row.slug, "workflow": row.workflow})
        _update(
            session,
            kind,
            correction.record_id,
            record,
            user.id,
            action="correct",
            correction_id=correction.id,
        )
    else:
        try:
            repository.update_milestone(
                session=session,
                milestone_id=correction.record_id,
                changes=_milestone_changes(milestone_changes or {}),
                user_id=user.id,
                correction_id=correction.id,
            )
        except repository.NotFound as exc:
            raise WorkflowError(_("This milestone no longer exists.")) from exc
    correction.status = v.CorrectionStatus.accepted
    correction.resolved_at = utcnow()
    correction.resolved_by_id = user.id
    session.add(correction)
    session.flush()


MILESTONE_TITLE_CHARS: int = Milestone.__table__.c.title.type.length  # type: ignore[attr-defined]  # SQLModel's table


def _milestone_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """A milestone's corrected title and description as stored: clean text, a title that is
    there and fits its column (PostgreSQL refuses a longer one; SQLite would keep it)."""
    cleaned = {
        k: clean_text(value) if k in ("title", "description") else value
        for k, value in changes.items()
    }
    if "title" in cleaned:
        if not cleaned["title"]:
            raise WorkflowError(_("A milestone needs a title."))
        if len(cleaned["title"]) > MILESTONE_TITLE_CHARS:
            raise WorkflowError(
                ngettext(
                    "A milestone's title has at most {n} character.",
                    "A milestone's title has at most {n} characters.",
                    MILESTONE_TITLE_CHARS,
                ).format(n=MILESTONE_TITLE_CHARS)
            )
    return cleaned


def _with_changes(kind: Kind, current: dict[str, Any], changes: dict[str, str]) -> Any:
    """The current record with some text fields replaced (a practice's body sections by name)."""
    record = dict(current)
    sections = {key for key, _heading in v.BODY_SECTIONS}
    for field, text in changes.items():
        if kind is PRACTICE and field in sections:
            record["body"] = {**record.get("body", {}), field: text}
        elif field in kind.schema.model_fields and field not in ("slug", "workflow"):
            record[field] = text
        else:
            raise WorkflowError(_no_field(kind, field))
    try:
        return kind.schema.model_validate(record)
    except ValidationError as exc:
        raise WorkflowError(_messages(exc)) from exc


def decline_correction(
    *, session: Session, user: SessionUser | None, correction_id: int, reason: str
) -> None:
    require(can_review(user), _("Only organisers resolve corrections."))
    assert user is not None
    reason = clean_text(reason)
    if len(reason) < 5:
        raise WorkflowError(_("Say why the correction is declined (at least a few words)."))
    correction = _open_correction(session, correction_id)
    correction.status = v.CorrectionStatus.declined
    correction.decline_reason = reason
    correction.resolved_at = utcnow()
    correction.resolved_by_id = user.id
    session.add(correction)
    session.flush()


def _open_correction(session: Session, correction_id: int) -> Correction:
    correction = session.get(Correction, correction_id)
    if correction is None or correction.status != v.CorrectionStatus.open:
        raise WorkflowError(_("This correction is not open."))
    return correction


def _no_field(kind: Kind, field: str) -> str:
    return kind.say(
        _("A practice has no field {field} to correct."),
        _("A challenge has no field {field} to correct."),
    ).format(field=repr(field))


# A correction's own fields, named in its messages as the reader's form asks for them.
CORRECTION_FIELDS = {
    "what_is_wrong": N_("what is wrong"),
    "what_is_right": N_("what is right"),
    "source": N_("source"),
    "contact": N_("contact"),
}


def _messages(exc: ValidationError) -> str:
    """Pydantic's errors as one line a person can read (the app's own messages are worded in
    the reader's language where they are raised)."""
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"])
        name = (
            _(CORRECTION_FIELDS[where]) if where in CORRECTION_FIELDS else where.replace("_", " ")
        )
        parts.append(
            _("{field}: {problem}").format(
                field=name or _("form"), problem=err["msg"].removeprefix("Value error, ")
            )
        )
    return "; ".join(parts)


__all__ = ["PermissionDenied", "WorkflowError"]
