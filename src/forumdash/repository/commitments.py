"""OGP commitments imported from OGP's export."""

from sqlmodel import Session, func, select

from forumdash.models import Commitment


def list_commitments(*, session: Session, country: str) -> list[Commitment]:
    """A country's OGP commitments, by action plan and number (detached copies)."""
    rows = session.exec(
        select(Commitment)
        .where(Commitment.country_code == country.upper())
        .order_by(Commitment.action_plan, Commitment.commitment_number, Commitment.identifier)
    ).all()
    return [Commitment.model_validate(row.model_dump()) for row in rows]


def get_commitment(*, session: Session, identifier: str) -> Commitment | None:
    """The commitment with this OGP identifier (e.g. AL0047), if it was imported."""
    if not identifier:
        return None
    row = session.exec(
        select(Commitment).where(func.upper(Commitment.identifier) == identifier.strip().upper())
    ).first()
    return Commitment.model_validate(row.model_dump()) if row else None
