"""Reference data: countries and themes, and the checks that a record names known ones."""

from dataclasses import dataclass

from sqlmodel import Session, col, select

from forumdash.models import Country, CountryPublic, Theme
from forumdash.repository.errors import UnknownReference
from forumdash.versioned_cache import ViewCache


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


@dataclass(frozen=True)
class Names:
    """The countries' English names by code and the themes' names by slug, in their menus'
    order: what every page's filters and facts name. Shared: read-only."""

    countries: dict[str, str]
    themes: dict[str, str]


def _build_names(session: Session) -> Names:
    return Names(
        countries={c.code: c.name_en for c in list_countries(session=session)},
        themes=theme_names(session=session),
    )


# Countries and themes raise the records version (migration 0018): read once per version, not
# twice on every run of every page that filters or names them.
_NAMES: ViewCache[Names] = ViewCache(_build_names, max_entries=4, warm=[()])


def reference_names(*, session: Session) -> Names:
    """The countries' and themes' names at the session's records version (shared: read-only)."""
    return _NAMES.get(session)


def require_country(session: Session, code: str | None) -> None:
    if code is not None and session.get(Country, code) is None:
        raise UnknownReference(f"unknown country code {code!r}")


def require_themes(session: Session, slugs: list[str]) -> None:
    known = set(session.exec(select(Theme.slug)).all())
    unknown = [slug for slug in slugs if slug not in known]
    if unknown:
        raise UnknownReference(f"unknown theme(s): {', '.join(unknown)}")
