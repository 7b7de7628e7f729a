"""Stored matches between challenges and practices, and their progress."""

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from forumdash import vocab as v
from forumdash.models import Challenge, Match, Practice, utcnow
from forumdash.repository.practices import PUBLISHED


def list_matches(*, session: Session, challenge_id: int) -> list[Match]:
    """The stored matches of a challenge (those someone moved on from "suggested")."""
    rows = session.exec(
        select(Match).where(Match.challenge_id == challenge_id).order_by(col(Match.practice_id))
    ).all()
    return [Match.model_validate(row.model_dump()) for row in rows]


def save_match(
    *,
    session: Session,
    challenge_id: int,
    practice_id: int,
    state: v.MatchState,
    score: float,
    reasons: list[str],
    user_id: int | None,
) -> None:
    """Store a match's state (one row per challenge and practice: a unique constraint)."""

    def find() -> Match | None:
        return session.exec(
            select(Match).where(
                Match.challenge_id == challenge_id, Match.practice_id == practice_id
            )
        ).first()

    match = find()
    if match is None:
        try:
            # Someone else may insert the same pair at the same moment (PostgreSQL; SQLite
            # writers queue): then update theirs.
            with session.begin_nested():
                session.add(Match(challenge_id=challenge_id, practice_id=practice_id))
                session.flush()
        except sa.exc.IntegrityError:
            if find() is None:  # not the pair's unique constraint: a real error
                raise
        match = find()
        assert match is not None
    match.state = state
    match.score = score
    match.reasons = reasons
    match.updated_by_id = user_id
    match.updated_at = utcnow()
    session.add(match)
    session.flush()


def count_match_states(*, session: Session) -> dict[str, int]:
    """Stored matches by state, between published challenges and practices."""
    query = (
        select(Match.state, func.count())
        .join(Challenge, col(Challenge.id) == Match.challenge_id)
        .join(Practice, col(Practice.id) == Match.practice_id)
        .where(Challenge.workflow == v.Workflow.published, PUBLISHED)
        .group_by(Match.state)
    )
    return {v.MatchState(state).value: n for state, n in session.exec(query).all()}
