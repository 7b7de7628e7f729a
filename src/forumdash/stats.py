"""Aggregates of the published records, as DataFrames ready for tables and charts."""

import pandas as pd
from sqlmodel import Session

from forumdash import repository
from forumdash import vocab as v


def overview_figures(*, session: Session) -> dict[str, int]:
    """Headline numbers of the published records."""
    by_country = repository.count_practices_by_country(session=session)
    by_theme = repository.count_practices_by_theme(session=session)
    open_challenges = repository.count_open_challenges(session=session)
    return {
        "practices": sum(by_country.values()),
        "countries": sum(1 for n in by_country.values() if n),
        "themes": sum(1 for n in by_theme.values() if n),
        "open_challenges": open_challenges,
        "milestones": repository.count_milestones(session=session),
    }


def practices_by_country(*, session: Session) -> pd.DataFrame:
    """One row per country (zero included): code, country, region, practices."""
    counts = repository.count_practices_by_country(session=session)
    rows = [
        {
            "code": c.code,
            "country": c.name_en,
            "region": "Western Balkans"
            if c.region_group == v.RegionGroup.western_balkans
            else "Partner",
            "practices": counts.get(c.code, 0),
        }
        for c in repository.list_countries(session=session)
    ]
    return pd.DataFrame(rows, columns=["code", "country", "region", "practices"])


def practices_by_theme(*, session: Session) -> pd.DataFrame:
    """One row per theme of the vocabulary (zero included): slug, theme, practices."""
    counts = repository.count_practices_by_theme(session=session)
    rows = [
        {"slug": slug, "theme": name, "practices": counts.get(slug, 0)}
        for slug, name in repository.theme_names(session=session).items()
    ]
    return pd.DataFrame(rows, columns=["slug", "theme", "practices"])


def milestone_frame(*, session: Session, country: str) -> pd.DataFrame:
    """A country's milestones and the regional ones, in date order, with a display date."""
    milestones = repository.list_milestones(session=session, country=country, include_regional=True)
    names = {c.code: c.name_en for c in repository.list_countries(session=session)}
    rows = [
        {
            "date": pd.Timestamp(m.date),
            "when": format_milestone_date(m.date, m.date_precision),
            "title": m.title,
            "scope": "Regional" if m.country_code is None else names[m.country_code],
        }
        for m in milestones
    ]
    return pd.DataFrame(rows, columns=["date", "when", "title", "scope"])


def format_milestone_date(date, precision: v.DatePrecision) -> str:  # type: ignore[no-untyped-def]
    """A date shown only as precisely as it is known: 2013-07-09, June 2014 or 2011."""
    if precision == v.DatePrecision.year:
        return str(date.year)
    if precision == v.DatePrecision.month:
        return date.strftime("%B %Y")
    return date.isoformat()


def commitment_frame(commitments) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """A country's commitments with their IRM ratings, as shown on its profile."""

    def label(value) -> str:  # type: ignore[no-untyped-def]
        return value.label if value is not None else "—"

    return pd.DataFrame(
        [
            {
                "identifier": c.identifier,
                "action plan": c.action_plan,
                "title": c.title,
                "potential impact": label(c.potential_impact),
                "completion": label(c.completion_end or c.completion_midterm),
                "opened government": label(c.did_it_open_government),
                "starred": "yes" if c.starred else "",
                "link": c.url or None,
            }
            for c in commitments
        ],
        columns=["identifier", "action plan", "title", "potential impact", "completion",
                 "opened government", "starred", "link"],
    )  # fmt: skip
