"""What practices and challenges share: records with a workflow and revisions."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from forumdash import vocab as v
from forumdash.models import utcnow
from forumdash.repository.errors import NotFound
from forumdash.repository.history import record_revision


@dataclass(frozen=True)
class Versioned:
    """How a kind of record with a workflow and revisions is stored (practices, challenges)."""

    table: Any
    record_type: v.RecordType
    columns: Callable[[Session, Any], dict[str, Any]]
    set_links: Callable[[Session, int, Any], None]
    snapshot: Callable[[Session, int], dict[str, Any]]


def create_record(kind: Versioned, session: Session, record_in: Any, user_id: int | None) -> int:
    """Insert a record in its workflow state, with its links and its first revision."""
    now = utcnow()
    row = kind.table(
        **kind.columns(session, record_in),
        workflow=record_in.workflow,
        published_at=now if record_in.workflow == v.Workflow.published else None,
        created_by_id=user_id,
        created_at=now,
        updated_by_id=user_id,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    kind.set_links(session, row.id, record_in)
    after = kind.snapshot(session, row.id)
    record_revision(session, kind.record_type, row.id, "create", user_id, {}, after)
    return int(row.id)


def update_record(
    kind: Versioned,
    session: Session,
    record_id: int,
    record_in: Any,
    user_id: int | None,
    action: str,
    correction_id: int | None,
) -> bool:
    row = session.get(kind.table, record_id)
    if row is None:
        raise NotFound(f"no {kind.record_type.value} {record_id}")
    before = kind.snapshot(session, record_id)
    for name, value in kind.columns(session, record_in).items():
        setattr(row, name, value)
    session.add(row)
    session.flush()
    kind.set_links(session, record_id, record_in)
    if not _revise(kind, session, record_id, before, action, user_id, correction_id):
        return False
    row.updated_at = utcnow()
    row.updated_by_id = user_id
    session.add(row)
    session.flush()
    return True


def set_workflow(
    kind: Versioned,
    session: Session,
    record_id: int,
    workflow: v.Workflow,
    user_id: int | None,
    reason: str,
) -> None:
    row = session.get(kind.table, record_id)
    if row is None:
        raise NotFound(f"no {kind.record_type.value} {record_id}")
    before = kind.snapshot(session, record_id)
    row.workflow = workflow
    row.rejection_reason = reason if workflow == v.Workflow.rejected else ""
    if workflow == v.Workflow.published:
        row.published_at = utcnow()
    row.updated_at = utcnow()
    row.updated_by_id = user_id
    session.add(row)
    session.flush()
    _revise(kind, session, record_id, before, workflow.value, user_id, None, always=True)


def _revise(
    kind: Versioned,
    session: Session,
    record_id: int,
    before: dict[str, Any],
    action: str,
    user_id: int | None,
    correction_id: int | None,
    *,
    always: bool = False,
) -> bool:
    """Record the fields that differ from `before` as a revision; False if none did."""
    after = kind.snapshot(session, record_id)
    changed = sorted(k for k in after if before.get(k) != after[k])
    if not changed and not always:
        return False
    record_revision(
        session,
        kind.record_type,
        record_id,
        action,
        user_id,
        {k: before.get(k) for k in changed},
        {k: after[k] for k in changed},
        correction_id=correction_id,
    )
    return True
