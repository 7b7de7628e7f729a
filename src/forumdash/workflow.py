"""Contributing: drafts, submission, review and corrections, with permissions enforced here on
the server side whatever page (or script) calls them."""

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError, field_validator
from sqlmodel import Session, col, select

from forumdash import repository
from forumdash import vocab as v
from forumdash.auth import PermissionDenied, SessionUser, can_edit, can_review, can_submit, require
from forumdash.models import Correction, Milestone, Practice, PracticeCreate, utcnow
from forumdash.text import clean_text, safe_url


class WorkflowError(ValueError):
    """A step that cannot be taken now, with a message fit for a person."""


def _slug(title: str, country: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())[:8]
    return "-".join([country.lower(), *words]) or country.lower()


def _free_slug(session: Session, base: str) -> str:
    taken = set(session.exec(select(Practice.slug).where(col(Practice.slug).startswith(base))))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _get(session: Session, practice_id: int) -> Practice:
    practice = session.get(Practice, practice_id)
    if practice is None:
        raise WorkflowError("This practice does not exist.")
    return practice


def editable_record(
    *, session: Session, user: SessionUser | None, practice_id: int
) -> PracticeCreate:
    """The record a form edits: the pending edit if there is one, else the practice itself."""
    practice = _get(session, practice_id)
    require(can_edit(user, practice.country_code), "You cannot edit this practice.")
    if practice.pending:
        return PracticeCreate.model_validate(practice.pending)
    return record_of(session=session, practice_id=practice_id)


def record_of(*, session: Session, practice_id: int) -> PracticeCreate:
    """A stored practice as the record a form or an import would give."""
    found = repository.get_practice(session=session, practice_id=practice_id, published_only=False)
    if found is None:
        raise WorkflowError("This practice does not exist.")
    adapted = None
    if found.adapted_from_id:
        origin = session.get(Practice, found.adapted_from_id)
        adapted = origin.slug if origin else None
    return PracticeCreate(
        slug=found.slug,
        title=found.title,
        country=found.country_code,
        summary=found.summary,
        body=found.body,
        level=found.level,
        lead_institution=found.lead_institution,
        partners=found.partners,
        actor_type=found.actor_type,
        themes=found.themes,
        ogp_values=found.ogp_values,
        outcome_areas=found.outcome_areas,
        stage=found.stage,
        start_year=found.start_year,
        start_date=found.start_date,
        end_date=found.end_date,
        ongoing=found.ongoing,
        action_plan=found.action_plan,
        commitment_ref=found.commitment_ref,
        assessment={
            "completion": found.completion,
            "potential_impact": found.potential_impact,
            "early_results": found.early_results,
            "rated_by": found.rated_by,
            "evidence_level": found.evidence_level,
            "evidence_links": found.evidence_links,
        },
        transferability=found.transferability,
        transfer_conditions=found.transfer_conditions,
        adapted_from=adapted,
        contact=found.contact,
        sources=found.sources,
        original_language=found.original_language,
        sample=found.is_sample,
        status=found.status,
    )


def save_practice(
    *,
    session: Session,
    user: SessionUser | None,
    practice_in: PracticeCreate,
    practice_id: int | None = None,
    client_key: str | None = None,
) -> int:
    """Save a form: a new draft, or changes to an existing practice (an edit of a published
    practice by its focal point waits as a pending edit). The same client_key always saves to the
    same record, so a double click, a refresh or a second tab never makes a second one."""
    require(can_submit(user), "Sign in as a focal point or an organiser to contribute.")
    assert user is not None
    require(
        can_edit(user, practice_in.country),
        "Focal points add and edit the practices of their own country only.",
    )
    if practice_id is None and client_key:
        practice_id = session.exec(
            select(Practice.id).where(Practice.client_key == client_key)
        ).first()
    if practice_id is None:
        record = practice_in.model_copy(
            update={
                "slug": _free_slug(session, _slug(practice_in.title, practice_in.country)),
                "status": v.Workflow.draft,
                "sample": False,
            }
        )
        try:
            new_id = repository.create_practice(
                session=session, practice_in=record, user_id=user.id
            )
        except repository.UnknownReference as exc:
            raise WorkflowError(str(exc)) from exc
        practice = _get(session, new_id)
        practice.client_key = client_key
        session.add(practice)
        session.flush()
        return new_id
    practice = _get(session, practice_id)
    require(can_edit(user, practice.country_code), "You cannot edit this practice.")
    record = practice_in.model_copy(update={"slug": practice.slug, "status": practice.status})
    if practice.status == v.Workflow.published and not can_review(user):
        practice.pending = record.model_dump(mode="json")
        practice.pending_status = v.Workflow.draft
        practice.pending_by_id = user.id
        practice.pending_at = utcnow()
        session.add(practice)
        session.flush()
        return practice_id
    try:
        repository.update_practice(
            session=session, practice_id=practice_id, practice_in=record, user_id=user.id
        )
    except repository.UnknownReference as exc:
        raise WorkflowError(str(exc)) from exc
    return practice_id


def save_outcome(*, session: Session, practice_id: int) -> str:
    """What a save led to, in words for the person who saved."""
    practice = _get(session, practice_id)
    if practice.pending_status == v.Workflow.submitted:
        return "Your edit is submitted for review; the published version stays online meanwhile."
    if practice.pending_status is not None:
        return "Your edit is saved as a draft; the published version stays online meanwhile."
    return {
        v.Workflow.draft: "Draft saved.",
        v.Workflow.rejected: "Saved. Submit it again when it is ready.",
        v.Workflow.submitted: "Submitted for review: an organiser will look at it.",
        v.Workflow.in_review: "Submitted for review: an organiser will look at it.",
        v.Workflow.published: "Saved: the published practice is updated.",
    }[practice.status]


def submit(*, session: Session, user: SessionUser | None, practice_id: int) -> None:
    """Send a draft (or a pending edit) to the organisers' review queue."""
    practice = _get(session, practice_id)
    require(can_edit(user, practice.country_code), "You cannot submit this practice.")
    assert user is not None
    if practice.pending is not None:
        practice.pending_status = v.Workflow.submitted
        session.add(practice)
        session.flush()
        return
    if practice.status in (v.Workflow.submitted, v.Workflow.in_review, v.Workflow.published):
        return  # already in the queue, or (an organiser's own edit) already live
    if practice.status not in (v.Workflow.draft, v.Workflow.rejected):
        raise WorkflowError(f"A {practice.status.label.lower()} practice cannot be submitted.")
    repository.set_practice_status(
        session=session, practice_id=practice_id, status=v.Workflow.submitted, user_id=user.id
    )


def approve(*, session: Session, user: SessionUser | None, practice_id: int) -> None:
    """Publish a submitted practice, or apply a submitted edit of a published one."""
    require(can_review(user), "Only organisers review submissions.")
    assert user is not None
    practice = _get(session, practice_id)
    if practice.pending is not None and practice.pending_status == v.Workflow.submitted:
        record = PracticeCreate.model_validate(practice.pending)
        repository.update_practice(
            session=session,
            practice_id=practice_id,
            practice_in=record,
            user_id=user.id,
            action="approve",
        )
        _clear_pending(session, practice)
        return
    if practice.status not in (v.Workflow.submitted, v.Workflow.in_review):
        raise WorkflowError("Only submitted practices can be approved.")
    repository.set_practice_status(
        session=session, practice_id=practice_id, status=v.Workflow.published, user_id=user.id
    )


def reject(*, session: Session, user: SessionUser | None, practice_id: int, reason: str) -> None:
    """Send a submission back with a reason its author sees."""
    require(can_review(user), "Only organisers review submissions.")
    assert user is not None
    reason = clean_text(reason)
    if len(reason) < 5:
        raise WorkflowError("Give the submitter a reason (at least a few words).")
    practice = _get(session, practice_id)
    if practice.pending is not None and practice.pending_status == v.Workflow.submitted:
        practice.pending_status = v.Workflow.rejected
        practice.rejection_reason = reason
        session.add(practice)
        session.flush()
        return
    if practice.status not in (v.Workflow.submitted, v.Workflow.in_review):
        raise WorkflowError("Only submitted practices can be rejected.")
    repository.set_practice_status(
        session=session,
        practice_id=practice_id,
        status=v.Workflow.rejected,
        user_id=user.id,
        reason=reason,
    )


def _clear_pending(session: Session, practice: Practice) -> None:
    practice.pending = None
    practice.pending_status = None
    practice.pending_by_id = None
    practice.pending_at = None
    session.add(practice)
    session.flush()


@dataclass(frozen=True)
class QueueItem:
    practice_id: int
    title: str
    country_code: str
    kind: str  # "new" or "edit"
    status: v.Workflow
    updated: Any


def review_queue(*, session: Session, user: SessionUser | None) -> list[QueueItem]:
    """Submitted practices and submitted edits, oldest first."""
    require(can_review(user), "Only organisers see the review queue.")
    rows = session.exec(
        select(Practice)
        .where(
            col(Practice.status).in_([v.Workflow.submitted, v.Workflow.in_review])
            | (Practice.pending_status == v.Workflow.submitted)
        )
        .order_by(Practice.updated_at, Practice.id)
    ).all()
    return [
        QueueItem(
            p.id,
            (p.pending or {}).get("title", p.title),
            p.country_code,
            "edit" if p.pending_status == v.Workflow.submitted else "new",
            v.Workflow.submitted,
            p.pending_at or p.updated_at,
        )
        for p in rows
        if p.id is not None
    ]


@dataclass(frozen=True)
class MyPractice:
    practice_id: int
    title: str
    status: v.Workflow
    pending_status: v.Workflow | None
    rejection_reason: str


def my_practices(*, session: Session, user: SessionUser | None) -> list[MyPractice]:
    """The practices a contributor can edit: their country's (all of them for organisers)."""
    require(can_submit(user), "Sign in to see your practices.")
    assert user is not None
    query = select(Practice).order_by(col(Practice.updated_at).desc())
    if user.role == v.Role.focal_point:
        query = query.where(Practice.country_code == user.country_code)
    return [
        MyPractice(p.id, p.title, p.status, p.pending_status, p.rejection_reason)
        for p in session.exec(query.limit(500)).all()
        if p.id is not None
    ]


def diff(before: dict[str, Any], after: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(field, before, after) for every field whose value differs."""
    keys = [k for k in after if k not in ("slug", "status")] + [
        k for k in before if k not in after and k not in ("slug", "status")
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


def review_diff(*, session: Session, user: SessionUser | None, practice_id: int) -> list[tuple]:
    """What approving would change: the published version against the submission."""
    require(can_review(user), "Only organisers review submissions.")
    practice = _get(session, practice_id)
    current = record_of(session=session, practice_id=practice_id).model_dump(mode="json")
    if practice.pending is not None:
        return diff(current, practice.pending)
    return diff({}, current)


# --------------------------------------------------------------------------- corrections


_SCRIPT_SCHEME = re.compile(r"^\s*(javascript|data|vbscript|file)\s*:", re.IGNORECASE)


class CorrectionIn(BaseModel):
    """A correction as anyone may send it."""

    record_type: v.RecordType
    record_id: int
    what_is_wrong: str
    what_is_right: str
    source: str = ""
    contact: str = ""

    @field_validator("what_is_wrong", "what_is_right")
    @classmethod
    def _required(cls, value: str) -> str:
        value = clean_text(value)
        if len(value) < 5:
            raise ValueError("say it in at least a few words")
        if len(value) > 5000:
            raise ValueError("at most 5,000 characters")
        return value

    @field_validator("source")
    @classmethod
    def _source(cls, value: str) -> str:
        value = clean_text(value)
        if len(value) > 1000:
            raise ValueError("at most 1,000 characters")
        looks_like_link = "://" in value or _SCRIPT_SCHEME.match(value)
        if looks_like_link and safe_url(value) is None:
            raise ValueError("only http:// and https:// links are accepted")
        return value

    @field_validator("contact")
    @classmethod
    def _contact(cls, value: str) -> str:
        value = clean_text(value)
        if len(value) > 254:
            raise ValueError("at most 254 characters")
        return value


def flag_correction(*, session: Session, correction_in: dict[str, Any]) -> int:
    """Record a correction of a published practice or of a milestone. Raises WorkflowError."""
    try:
        data = CorrectionIn.model_validate(correction_in)
    except ValidationError as exc:
        raise WorkflowError(_messages(exc)) from exc
    if data.record_type == v.RecordType.practice:
        practice = session.get(Practice, data.record_id)
        if practice is None or practice.status != v.Workflow.published:
            raise WorkflowError("This practice does not exist.")
    elif data.record_type == v.RecordType.milestone:
        if session.get(Milestone, data.record_id) is None:
            raise WorkflowError("This milestone does not exist.")
    else:
        raise WorkflowError("Corrections of challenges open with the challenges page.")
    correction = Correction(**data.model_dump())
    session.add(correction)
    session.flush()
    assert correction.id is not None
    return correction.id


def open_corrections(*, session: Session, user: SessionUser | None) -> list[Correction]:
    require(can_review(user), "Only organisers resolve corrections.")
    rows = session.exec(
        select(Correction)
        .where(Correction.status == v.CorrectionStatus.open)
        .order_by(Correction.id)
    ).all()
    return [Correction.model_validate(row.model_dump()) for row in rows]


def accept_correction(
    *,
    session: Session,
    user: SessionUser | None,
    correction_id: int,
    practice_in: PracticeCreate | None = None,
    milestone_changes: dict[str, Any] | None = None,
) -> None:
    """Apply a correction: the record is edited and its history credits the correction."""
    require(can_review(user), "Only organisers resolve corrections.")
    assert user is not None
    correction = _open_correction(session, correction_id)
    if correction.record_type == v.RecordType.practice:
        if practice_in is None:
            raise WorkflowError("Give the corrected practice.")
        practice = _get(session, correction.record_id)
        if practice.pending is not None:
            # Approving that edit later would silently undo the correction.
            raise WorkflowError(
                "This practice has an edit waiting for review: approve or send it back first."
            )
        record = practice_in.model_copy(update={"slug": practice.slug, "status": practice.status})
        repository.update_practice(
            session=session,
            practice_id=correction.record_id,
            practice_in=record,
            user_id=user.id,
            action="correct",
            correction_id=correction.id,
        )
    else:
        repository.update_milestone(
            session=session,
            milestone_id=correction.record_id,
            changes=milestone_changes or {},
            user_id=user.id,
            correction_id=correction.id,
        )
    correction.status = v.CorrectionStatus.accepted
    correction.resolved_at = utcnow()
    correction.resolved_by_id = user.id
    session.add(correction)
    session.flush()


def decline_correction(
    *, session: Session, user: SessionUser | None, correction_id: int, reason: str
) -> None:
    require(can_review(user), "Only organisers resolve corrections.")
    assert user is not None
    reason = clean_text(reason)
    if len(reason) < 5:
        raise WorkflowError("Say why the correction is declined (at least a few words).")
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
        raise WorkflowError("This correction is not open.")
    return correction


def _messages(exc: ValidationError) -> str:
    """Pydantic's errors as one line a person can read."""
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "form"
        parts.append(f"{where.replace('_', ' ')}: {err['msg'].removeprefix('Value error, ')}")
    return "; ".join(parts)


__all__ = ["PermissionDenied", "WorkflowError"]
