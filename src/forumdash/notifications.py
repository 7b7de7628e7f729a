"""Notices for signed-in people: who is told what, kept in the `notification` table.

A notice keeps what happened (its kind, the record, a few parameters), not a sentence: it is
worded in the reader's language when it is shown in the inbox or mailed in a digest.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from sqlmodel import Session, col, select

from forumdash import vocab as v
from forumdash.models import Notification, User


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
