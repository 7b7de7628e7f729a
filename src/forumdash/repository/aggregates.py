"""Counts for the overview, the compare page and the CLI's stats."""

import datetime as dt
from collections import Counter
from typing import Any

from sqlmodel import Session, col, func, select

from forumdash import vocab as v
from forumdash.models import (
    Challenge,
    ChallengeTheme,
    Commitment,
    Country,
    Milestone,
    Practice,
    PracticeSummary,
)
from forumdash.repository.practices import PUBLISHED, published_adaptations, summaries_by_id


def record_counts(*, session: Session) -> dict[str, Any]:
    """Every row of each kind, whatever its workflow state, in total and by country."""
    result: dict[str, Any] = {
        "countries": list(
            session.exec(select(Country.code).order_by(col(Country.sort_order))).all()
        )
    }
    for name, table in (
        ("practices", Practice),
        ("challenges", Challenge),
        ("commitments", Commitment),
        ("milestones", Milestone),
    ):
        by_country = dict(
            session.exec(
                select(table.country_code, func.count())
                .where(col(table.country_code).is_not(None))
                .group_by(col(table.country_code))
            ).all()
        )
        total = session.exec(select(func.count()).select_from(table)).one()
        result[name] = {"total": total, "by_country": dict(sorted(by_country.items()))}
    return result


# The single-valued fields of a published practice that the compare page counts per country.
COMPARE_FIELDS = ("stage", "completion", "early_results", "potential_impact", "evidence_level")


def count_published_by_country_field(
    *, session: Session, countries: list[str], field: str
) -> dict[tuple[str, str | None], int]:
    """Published practices of the given countries by one single-valued field:
    {(country, value or None): count}; None counts the practices not rated on that field."""
    if field not in COMPARE_FIELDS:
        raise ValueError(f"cannot count practices by {field!r}")
    column = getattr(Practice, field)
    query = (
        select(Practice.country_code, column, func.count())
        .where(PUBLISHED, col(Practice.country_code).in_([c.upper() for c in countries]))
        .group_by(Practice.country_code, column)
    )
    return {
        (code, value.value if isinstance(value, v.Vocab) else value): n
        for code, value, n in session.exec(query).all()
    }


def count_open_challenges_by_country(*, session: Session, countries: list[str]) -> dict[str, int]:
    """Published, unresolved challenges of the given countries, per country."""
    query = (
        select(Challenge.country_code, func.count())
        .where(Challenge.workflow == v.Workflow.published)
        .where(Challenge.challenge_status != v.ChallengeStatus.resolved)
        .where(col(Challenge.country_code).in_([c.upper() for c in countries]))
        .group_by(Challenge.country_code)
    )
    return dict(session.exec(query).all())


def count_open_challenges_by_country_theme(
    *, session: Session, countries: list[str]
) -> dict[tuple[str, str], int]:
    """Published, unresolved challenges of the given countries: {(country, theme slug): count}."""
    query = (
        select(Challenge.country_code, ChallengeTheme.theme_slug, func.count())
        .join(Challenge, col(Challenge.id) == ChallengeTheme.challenge_id)
        .where(Challenge.workflow == v.Workflow.published)
        .where(Challenge.challenge_status != v.ChallengeStatus.resolved)
        .where(col(Challenge.country_code).in_([c.upper() for c in countries]))
        .group_by(Challenge.country_code, ChallengeTheme.theme_slug)
    )
    return {(code, slug): n for code, slug, n in session.exec(query).all()}


def count_practices_by_stage(*, session: Session) -> dict[str, int]:
    """Published practices per stage value."""
    query = select(Practice.stage, func.count()).where(PUBLISHED).group_by(Practice.stage)
    return {v.Stage(stage).value: n for stage, n in session.exec(query).all()}


def count_practices_by_start_year(*, session: Session) -> dict[int | None, int]:
    """Published practices per start year (None: no start year recorded)."""
    query = (
        select(Practice.start_year, func.count())
        .where(PUBLISHED)
        .group_by(col(Practice.start_year))
    )
    return dict(session.exec(query).all())


def count_adaptations_by_country(*, session: Session) -> list[tuple[str, str, int]]:
    """(country learned from, country that adapted, practices): published practices adapted
    from another published practice, counted per pair of countries."""
    counted = Counter((a.origin_country, a.adapted_country) for a in published_adaptations(session))
    return [(src, dst, n) for (src, dst), n in sorted(counted.items())]


def _utc(moment: dt.datetime | None) -> dt.datetime:
    """A stored time as naive UTC, to compare (SQLite gives naive UTC, PostgreSQL aware)."""
    if moment is None:
        return dt.datetime.min
    return moment.astimezone(dt.UTC).replace(tzinfo=None) if moment.tzinfo else moment


def list_adaptation_pairs(
    *, session: Session, limit: int = 10
) -> list[tuple[PracticeSummary, PracticeSummary]]:
    """(adapted practice, the practice it was adapted from), both published, the most recently
    published adaptation first."""
    # The newest publication first, those without a date last; ties by id, newest first
    # (a stable sort, reversed, keeps the id order of equal dates).
    ordered = sorted(published_adaptations(session), key=lambda a: -a.adapted_id)
    ordered.sort(key=lambda a: (a.published_at is not None, _utc(a.published_at)), reverse=True)
    ordered = ordered[:limit]
    pairs = [(a.adapted_id, a.origin_id) for a in ordered]
    ids = list(dict.fromkeys(i for pair in pairs for i in pair))
    by_id = {row.id: row for row in summaries_by_id(session, ids)}
    return [(by_id[a], by_id[o]) for a, o in pairs if a in by_id and o in by_id]
