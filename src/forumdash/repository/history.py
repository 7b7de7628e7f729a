"""Revisions: every change to a record, who made it, and the public view of them."""

from typing import Any

from sqlmodel import Session, col, func, select

from forumdash import vocab as v
from forumdash.models import Challenge, Milestone, Practice, Revision


def replay(revisions: list[Revision]) -> dict[str, Any]:
    """The state a record's revisions lead to: the first one's values, then each change."""
    state: dict[str, Any] = {}
    for revision in revisions:
        state.update(revision.after)
    return state


# Not part of a practice's history: bookkeeping, search columns, and what only its authors and
# the organisers may see (a rejection reason, a pending edit, the form's key).
PRIVATE_FIELDS = {
    "id",
    "created_at",
    "updated_at",
    "updated_by_id",
    "created_by_id",
    "search_title",
    "search_text",
    "search_length",
    "rejection_reason",
    "client_key",
    "pending",
    "pending_workflow",
    "pending_by_id",
    "pending_at",
    "version",
}


def record_history(
    *, session: Session, record_type: v.RecordType, record_id: int
) -> list[Revision]:
    """Every revision of a record, oldest first (detached copies)."""
    rows = session.exec(
        select(Revision)
        .where(Revision.record_type == record_type, Revision.record_id == record_id)
        .order_by(col(Revision.id))
    ).all()
    return [Revision.model_validate(row.model_dump()) for row in rows]


def record_title(*, session: Session, record_type: v.RecordType, record_id: int) -> str:
    """A practice's, challenge's or milestone's title (for organisers' lists), or a placeholder."""
    tables: dict[str, type[Practice] | type[Challenge] | type[Milestone]] = {
        "practice": Practice,
        "challenge": Challenge,
        "milestone": Milestone,
    }
    table = tables[record_type.value]
    row = session.get(table, record_id)
    # isinstance, not `is not None`: mypy types get() on a union of tables as their base class.
    if isinstance(row, Practice | Challenge | Milestone):
        return row.title
    return f"(no longer exists: {record_id})"


def last_correction_date(
    *, session: Session, record_type: v.RecordType, record_id: int
) -> Any | None:
    """When the record was last changed by an accepted correction, or None."""
    return session.exec(
        select(func.max(Revision.at)).where(
            Revision.record_type == record_type,
            Revision.record_id == record_id,
            col(Revision.correction_id).is_not(None),
        )
    ).one()


def record_revision(
    session: Session,
    record_type: v.RecordType,
    record_id: int,
    action: str,
    user_id: int | None,
    before: dict[str, Any],
    after: dict[str, Any],
    correction_id: int | None = None,
) -> None:
    session.add(
        Revision(
            record_type=record_type,
            record_id=record_id,
            action=action,
            user_id=user_id,
            correction_id=correction_id,
            before=before,
            after=after,
        )
    )


def user_names(*, session: Session) -> dict[int, str]:
    """Account id -> the name shown in public histories: a display name, else the role and
    country (never the email)."""
    from forumdash.models import User

    def shown(user: User) -> str:
        if user.display_name:
            return user.display_name
        where = f" ({user.country_code})" if user.country_code else ""
        return f"{v.Role(user.role).label.lower()}{where}"

    return {u.id: shown(u) for u in session.exec(select(User)).all() if u.id is not None}


def public_history(revisions: list[Revision]) -> list[Revision]:
    """The revisions the public may see: from the first publication on, without private fields
    (revisions stored before pending_workflow was private carry it; one that changed only
    private fields is left out)."""
    for position, revision in enumerate(revisions):
        if revision.after.get("workflow") == v.Workflow.published.value:
            shown = []
            for later in revisions[position:]:
                before = {k: x for k, x in later.before.items() if k not in PRIVATE_FIELDS}
                after = {k: x for k, x in later.after.items() if k not in PRIVATE_FIELDS}
                if after or before or not (later.before or later.after):
                    shown.append(later.model_copy(update={"before": before, "after": after}))
            return shown
    return []


def count_revisions(*, session: Session, record_type: v.RecordType, record_id: int) -> int:
    query = (
        select(func.count())
        .select_from(Revision)
        .where(Revision.record_type == record_type, Revision.record_id == record_id)
    )
    return session.exec(query).one()
