"""Milestones of countries' open-government paths."""

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from forumdash import vocab as v
from forumdash.models import Milestone, MilestoneCreate, MilestonePublic, SourceLink, utcnow
from forumdash.repository.errors import NotFound
from forumdash.repository.history import record_revision
from forumdash.repository.reference import require_country


def create_milestone(
    *, session: Session, milestone_in: MilestoneCreate, user_id: int | None = None
) -> int:
    require_country(session, milestone_in.country)
    milestone = Milestone(
        slug=milestone_in.slug,
        country_code=milestone_in.country,
        date=milestone_in.date,
        date_precision=milestone_in.date_precision,
        title=milestone_in.title,
        description=milestone_in.description,
        sources=[link.model_dump() for link in milestone_in.sources],
        is_sample=milestone_in.sample,
    )
    session.add(milestone)
    session.flush()
    assert milestone.id is not None
    snapshot = milestone.model_dump(mode="json", exclude={"id", "updated_at"})
    record_revision(session, v.RecordType.milestone, milestone.id, "create", user_id, {}, snapshot)
    return milestone.id


MILESTONE_FIELDS = ("title", "description", "date", "date_precision")


def update_milestone(
    *,
    session: Session,
    milestone_id: int,
    changes: dict[str, Any],
    user_id: int | None = None,
    correction_id: int | None = None,
) -> bool:
    """Change a milestone's title, description, date or precision, with a revision."""
    milestone = session.get(Milestone, milestone_id)
    if milestone is None:
        raise NotFound(f"no milestone {milestone_id}")
    before = milestone.model_dump(mode="json", include=set(MILESTONE_FIELDS))
    for name, value in changes.items():
        if name not in MILESTONE_FIELDS:
            raise ValueError(f"a milestone has no field {name!r}")
        setattr(milestone, name, value)
    milestone.updated_at = utcnow()
    session.add(milestone)
    session.flush()
    after = milestone.model_dump(mode="json", include=set(MILESTONE_FIELDS))
    changed = sorted(k for k in after if before[k] != after[k])
    if not changed:
        return False
    record_revision(
        session,
        v.RecordType.milestone,
        milestone_id,
        "correct" if correction_id else "update",
        user_id,
        {k: before[k] for k in changed},
        {k: after[k] for k in changed},
        correction_id=correction_id,
    )
    return True


def count_milestones(*, session: Session) -> int:
    return session.exec(select(func.count()).select_from(Milestone)).one()


def list_milestones(
    *, session: Session, country: str | None = None, include_regional: bool = False
) -> list[MilestonePublic]:
    """Milestones in date order: one country's (and the regional ones if asked), or all."""
    query = select(Milestone)
    if country:
        condition = col(Milestone.country_code) == country.upper()
        if include_regional:
            condition = sa.or_(condition, col(Milestone.country_code).is_(None))
        query = query.where(condition)
    rows = session.exec(query.order_by(col(Milestone.date), col(Milestone.id))).all()
    return [
        MilestonePublic(
            **row.model_dump(exclude={"sources"}),
            sources=[SourceLink.model_validate(s) for s in row.sources],
        )
        for row in rows
    ]
