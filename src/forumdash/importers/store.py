"""Database reads and writes of the importers that repository.py does not have yet (the session is
passed in). Candidates to move into repository.py."""

import enum
from collections.abc import Iterable
from typing import Any

from sqlmodel import Session, col, select

from forumdash.models import Challenge, Commitment, Practice

_BATCH = 500


def practice_ids_by_slug(*, session: Session, slugs: Iterable[str]) -> dict[str, int]:
    """The ids of the practices with these slugs (unknown slugs are left out)."""
    wanted = list(dict.fromkeys(slugs))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), _BATCH):
        batch = wanted[start : start + _BATCH]
        rows = session.exec(
            select(Practice.slug, Practice.id).where(col(Practice.slug).in_(batch))
        ).all()
        found.update({slug: practice_id for slug, practice_id in rows if practice_id is not None})
    return found


def challenge_ids_by_slug(*, session: Session, slugs: Iterable[str]) -> dict[str, int]:
    """The ids of the challenges with these slugs (unknown slugs are left out)."""
    wanted = list(dict.fromkeys(slugs))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), _BATCH):
        batch = wanted[start : start + _BATCH]
        rows = session.exec(
            select(Challenge.slug, Challenge.id).where(col(Challenge.slug).in_(batch))
        ).all()
        found.update({slug: record_id for slug, record_id in rows if record_id is not None})
    return found


def challenge_slugs(*, session: Session) -> set[str]:
    """The slug of every stored challenge."""
    return set(session.exec(select(Challenge.slug)).all())


def practice_references(*, session: Session) -> list[tuple[int, str, str, int | None]]:
    """(id, slug, country code, id of the practice it was adapted from) of every practice."""
    rows = session.exec(
        select(Practice.id, Practice.slug, Practice.country_code, Practice.adapted_from_id)
    ).all()
    return [(pid, slug, country, parent) for pid, slug, country, parent in rows if pid is not None]


# --------------------------------------------------------------------------- commitments

# Every field of a commitment that an import of OGP's export writes.
COMMITMENT_FIELDS = (
    "country_code",
    "action_plan",
    "commitment_number",
    "title",
    "short_title",
    "text",
    "lead_institution",
    "supporting_institutions",
    "start_date",
    "start_precision",
    "end_date",
    "end_precision",
    "ongoing",
    "ogp_values",
    "policy_areas",
    "potential_impact",
    "potential_for_results",
    "completion_midterm",
    "completion_end",
    "did_it_open_government",
    "starred",
    "url",
    "as_written",
)


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def commitments_by_identifier(
    *, session: Session, identifiers: Iterable[str]
) -> dict[str, Commitment]:
    """The stored commitments with these identifiers, by identifier."""
    wanted = list(dict.fromkeys(identifiers))
    found: dict[str, Commitment] = {}
    for start in range(0, len(wanted), _BATCH):
        batch = wanted[start : start + _BATCH]
        rows = session.exec(select(Commitment).where(col(Commitment.identifier).in_(batch))).all()
        found.update({row.identifier: row for row in rows})
    return found


def upsert_commitment(
    *, session: Session, identifier: str, values: dict[str, Any], existing: Commitment | None
) -> tuple[str, list[str]]:
    """Insert the commitment or make the stored one say `values`; returns "created", "updated"
    or "unchanged" (then nothing is written), and the fields an update changed."""
    unknown = set(values) - set(COMMITMENT_FIELDS)
    if unknown:
        raise ValueError(f"not fields an import writes: {', '.join(sorted(unknown))}")
    if existing is None:
        session.add(Commitment(identifier=identifier, **values))
        session.flush()
        return "created", []
    changed = {
        name: value
        for name, value in values.items()
        if _plain(getattr(existing, name)) != _plain(value)
    }
    if not changed:
        return "unchanged", []
    for name, value in changed.items():
        setattr(existing, name, value)
    session.add(existing)
    session.flush()
    return "updated", sorted(changed)
