"""Reference data: countries and themes, and the checks that a record names known ones."""

from sqlmodel import Session, col, select

from forumdash.models import Country, CountryPublic, Theme
from forumdash.repository.errors import UnknownReference


def list_countries(*, session: Session) -> list[CountryPublic]:
    rows = session.exec(select(Country).order_by(col(Country.sort_order), col(Country.code))).all()
    return [CountryPublic.model_validate(row, from_attributes=True) for row in rows]


def get_country(*, session: Session, code: str) -> CountryPublic | None:
    row = session.get(Country, (code or "").upper())
    return CountryPublic.model_validate(row, from_attributes=True) if row else None


def theme_names(*, session: Session) -> dict[str, str]:
    """Theme slug -> name, in the vocabulary's order."""
    rows = session.exec(select(Theme).order_by(col(Theme.sort_order))).all()
    return {row.slug: row.name for row in rows}


def require_country(session: Session, code: str | None) -> None:
    if code is not None and session.get(Country, code) is None:
        raise UnknownReference(f"unknown country code {code!r}")


def require_themes(session: Session, slugs: list[str]) -> None:
    known = set(session.exec(select(Theme.slug)).all())
    unknown = [slug for slug in slugs if slug not in known]
    if unknown:
        raise UnknownReference(f"unknown theme(s): {', '.join(unknown)}")
