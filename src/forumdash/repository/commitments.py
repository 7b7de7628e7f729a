"""OGP commitments imported from OGP's export."""

from collections.abc import Sequence

import sqlalchemy as sa
from sqlmodel import Session, col, func, or_, select

from forumdash.models import Commitment, Country, Practice, PracticeCommitment, PracticeSummary
from forumdash.repository.practices import PUBLISHED, SUMMARY_COLUMNS, summary_rows


def list_commitments(*, session: Session, country: str) -> list[Commitment]:
    """A country's OGP commitments, by action plan and number (detached copies)."""
    rows = session.exec(
        select(Commitment)
        .where(Commitment.country_code == country.upper())
        .order_by(Commitment.action_plan, Commitment.commitment_number, Commitment.identifier)
    ).all()
    return [Commitment.model_validate(row.model_dump()) for row in rows]


def all_commitments(*, session: Session, countries: Sequence[str] = ()) -> list[Commitment]:
    """Every imported commitment, or those of the given countries (detached copies, by id;
    forumdash.commitment_filters puts them in their natural order)."""
    query = select(Commitment).order_by(col(Commitment.id))
    if countries:
        query = query.where(col(Commitment.country_code).in_([c.upper() for c in countries]))
    return [Commitment.model_validate(row.model_dump()) for row in session.exec(query).all()]


def get_commitment(*, session: Session, identifier: str) -> Commitment | None:
    """The commitment with this OGP identifier (e.g. AL0047), if it was imported."""
    if not identifier:
        return None
    row = session.exec(
        select(Commitment).where(func.upper(Commitment.identifier) == identifier.strip().upper())
    ).first()
    return Commitment.model_validate(row.model_dump()) if row else None


def practices_of_commitment(*, session: Session, commitment: Commitment) -> list[PracticeSummary]:
    """The published practices linked to a commitment: through the link table, or naming its
    identifier as their commitment reference (as practice forms and imports do)."""
    linked = select(PracticeCommitment.practice_id).where(
        PracticeCommitment.commitment_id == commitment.id
    )
    query = (
        sa.select(*SUMMARY_COLUMNS)
        .join(Country)
        .where(
            PUBLISHED,
            or_(
                col(Practice.id).in_(linked),
                func.upper(col(Practice.commitment_ref)) == commitment.identifier.upper(),
            ),
        )
        .order_by(col(Practice.id))
    )
    return summary_rows(session, query)


def count_commitments_by_country(*, session: Session) -> dict[str, int]:
    """Imported OGP commitments per country code."""
    query = select(Commitment.country_code, func.count()).group_by(Commitment.country_code)
    return dict(session.exec(query).all())
