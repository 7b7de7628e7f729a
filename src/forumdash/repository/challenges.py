"""Challenges: writes, lists with filters and their counts."""

from collections import defaultdict
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from forumdash import folded_search, search
from forumdash import vocab as v
from forumdash.models import (
    Challenge,
    ChallengeCreate,
    ChallengePublic,
    ChallengeTheme,
    ChallengeTranslationIn,
    ChallengeValue,
    Country,
    SourceLink,
    Theme,
)
from forumdash.repository.history import PRIVATE_FIELDS
from forumdash.repository.reference import require_country, require_themes
from forumdash.repository.translations import stored_translations, write_translations
from forumdash.repository.versioned import Versioned, create_record, set_workflow, update_record


def _challenge_columns(session: Session, challenge_in: ChallengeCreate) -> dict[str, Any]:
    require_country(session, challenge_in.country)
    require_themes(session, challenge_in.themes)
    return {
        "slug": challenge_in.slug,
        "title": challenge_in.title,
        "description": challenge_in.description,
        "country_code": challenge_in.country,
        "obstacle_type": challenge_in.obstacle_type,
        "severity": challenge_in.severity,
        "challenge_status": challenge_in.challenge_status,
        "support_sought": [s.value for s in dict.fromkeys(challenge_in.support_sought)],
        "raised_at_event": challenge_in.raised_at_event or "",
        "raised_at_date": challenge_in.raised_at_date,
        "sources": [link.model_dump() for link in challenge_in.sources],
        "is_sample": challenge_in.sample,
        "original_language": challenge_in.original_language,
    }


def _set_challenge_links(
    session: Session, challenge_id: int, challenge_in: ChallengeCreate
) -> None:
    if challenge_in.translations is not None:
        write_translations(session, v.RecordType.challenge, challenge_id, challenge_in.translations)
    for table in (ChallengeTheme, ChallengeValue):
        session.exec(sa.delete(table).where(col(table.challenge_id) == challenge_id))
    session.add_all(
        ChallengeTheme(challenge_id=challenge_id, theme_slug=t) for t in challenge_in.themes
    )
    session.add_all(
        ChallengeValue(challenge_id=challenge_id, value=value)
        for value in dict.fromkeys(challenge_in.ogp_values)
    )
    session.flush()


def challenge_snapshot(*, session: Session, challenge_id: int) -> dict[str, Any]:
    """A challenge as plain JSON values (columns and links): what a revision stores."""
    challenge = session.get(Challenge, challenge_id)
    if challenge is None:
        return {}
    data = challenge.model_dump(mode="json", exclude=PRIVATE_FIELDS)
    for name, by_id in challenge_links(session, [challenge_id]).items():
        data[name] = by_id.get(challenge_id, [])
    data["translations"] = stored_translations(session, v.RecordType.challenge, [challenge_id]).get(
        challenge_id, {}
    )
    return data


def create_challenge(
    *, session: Session, challenge_in: ChallengeCreate, user_id: int | None = None
) -> int:
    """Insert a challenge with its links and its first revision; return its id."""
    return create_record(_CHALLENGE, session, challenge_in, user_id)


def update_challenge(
    *,
    session: Session,
    challenge_id: int,
    challenge_in: ChallengeCreate,
    user_id: int | None = None,
    action: str = "update",
    correction_id: int | None = None,
) -> bool:
    """As update_practice, for a challenge. Returns False when nothing changed."""
    return update_record(
        _CHALLENGE, session, challenge_id, challenge_in, user_id, action, correction_id
    )


def set_challenge_workflow(
    *,
    session: Session,
    challenge_id: int,
    workflow: v.Workflow,
    user_id: int | None = None,
    reason: str = "",
) -> None:
    """As set_practice_workflow, for a challenge."""
    set_workflow(_CHALLENGE, session, challenge_id, workflow, user_id, reason)


_CHALLENGE = Versioned(
    Challenge,
    v.RecordType.challenge,
    _challenge_columns,
    _set_challenge_links,
    lambda session, record_id: challenge_snapshot(session=session, challenge_id=record_id),
)


def challenge_links(session: Session, ids: list[int]) -> dict[str, dict[int, list[str]]]:
    themes: dict[int, list[str]] = defaultdict(list)
    values: dict[int, list[str]] = defaultdict(list)
    if ids:
        for challenge_id, slug in session.exec(
            select(ChallengeTheme.challenge_id, ChallengeTheme.theme_slug)
            .where(col(ChallengeTheme.challenge_id).in_(ids))
            .order_by(col(ChallengeTheme.challenge_id), col(ChallengeTheme.theme_slug))
        ).all():
            themes[challenge_id].append(slug)
        for challenge_id, value in session.exec(
            select(ChallengeValue.challenge_id, ChallengeValue.value)
            .where(col(ChallengeValue.challenge_id).in_(ids))
            .order_by(col(ChallengeValue.challenge_id), col(ChallengeValue.value))
        ).all():
            values[challenge_id].append(v.OgpValue(value).value)
    return {"themes": themes, "ogp_values": values}


def list_challenges(
    *,
    session: Session,
    countries: list[str] | tuple[str, ...] = (),
    themes: list[str] | tuple[str, ...] = (),
    obstacle_types: list[str] | tuple[str, ...] = (),
    challenge_statuses: list[str] | tuple[str, ...] = (),
    q: str = "",
    published_only: bool = True,
    ids: list[int] | None = None,
    limit: int | None = None,
) -> list[ChallengePublic]:
    """Challenges (published ones unless asked otherwise), newest first. Within one filter the
    choices are OR'ed, across filters AND'ed, as on the browse page; `q` searches title,
    description and event, folded (forumdash.folded_search)."""
    query = select(Challenge, Country.name_en).join(
        Country, col(Country.code) == Challenge.country_code
    )
    if published_only:
        query = query.where(Challenge.workflow == v.Workflow.published)
    searched = _ids_matching_text(session, q, published_only=published_only)
    if searched is not None:
        query = query.where(col(Challenge.id).in_(searched))
    if countries:
        query = query.where(col(Challenge.country_code).in_([c.upper() for c in countries]))
    if themes:
        query = query.where(
            col(Challenge.id).in_(
                select(ChallengeTheme.challenge_id).where(
                    col(ChallengeTheme.theme_slug).in_(list(themes))
                )
            )
        )
    if obstacle_types:
        query = query.where(col(Challenge.obstacle_type).in_(list(obstacle_types)))
    if challenge_statuses:
        query = query.where(col(Challenge.challenge_status).in_(list(challenge_statuses)))
    if ids is not None:
        query = query.where(col(Challenge.id).in_(ids))
    query = query.order_by(
        col(Challenge.published_at).desc().nulls_last(), col(Challenge.id).desc()
    )
    if limit is not None:
        query = query.limit(limit)
    rows = session.exec(query).all()
    ids = [c.id for c, _ in rows if c.id is not None]
    links = challenge_links(session, ids)
    translations = stored_translations(session, v.RecordType.challenge, ids)
    return [
        ChallengePublic(
            **challenge.model_dump(exclude={"sources", "support_sought"}),
            country_name=country_name,
            themes=links["themes"].get(challenge.id, []),
            ogp_values=[v.OgpValue(x) for x in links["ogp_values"].get(challenge.id, [])],
            support_sought=[v.SupportSought(s) for s in challenge.support_sought],
            sources=[SourceLink.model_validate(s) for s in challenge.sources],
            translations={
                tag: ChallengeTranslationIn.from_fields(texts, stored=True)
                for tag, texts in translations.get(challenge.id, {}).items()
            },
        )
        for challenge, country_name in rows
        if challenge.id is not None  # always, for a stored row
    ]


def get_challenge(
    *, session: Session, challenge_id: int, published_only: bool = True
) -> ChallengePublic | None:
    """One challenge; None when it does not exist (or is not published, unless asked)."""
    found = list_challenges(session=session, ids=[challenge_id], published_only=published_only)
    return found[0] if found else None


def count_open_challenges(*, session: Session) -> int:
    """Published challenges that are not resolved."""
    query = (
        select(func.count())
        .select_from(Challenge)
        .where(Challenge.workflow == v.Workflow.published)
        .where(Challenge.challenge_status != v.ChallengeStatus.resolved)
    )
    return session.exec(query).one()


def count_open_challenges_by_theme(*, session: Session) -> dict[str, int]:
    query = (
        select(ChallengeTheme.theme_slug, func.count())
        .join(Challenge, col(Challenge.id) == ChallengeTheme.challenge_id)
        .where(Challenge.workflow == v.Workflow.published)
        .where(Challenge.challenge_status != v.ChallengeStatus.resolved)
        .group_by(ChallengeTheme.theme_slug)
    )
    return dict(session.exec(query).all())


def searched_text(challenge: Challenge, translations: dict[str, dict[str, str]]) -> str:
    """What a search of the challenges looks in: title, description, the event it was raised
    at, and the same in each of its published translations ({tag: {field: text}})."""
    translated = (text for texts in translations.values() for text in texts.values())
    return "\n".join(
        (challenge.title, challenge.description, challenge.raised_at_event, *translated)
    )


def _ids_matching_text(session: Session, q: str, *, published_only: bool) -> list[int] | None:
    """The ids of the challenges whose text matches the search `q`; None when `q` searches for
    nothing. Challenges are at most a few thousand: read and matched in Python, so the answer is
    the same on SQLite and PostgreSQL."""
    parsed = search.parse_query(q)
    if not parsed:
        return None
    query = select(Challenge)
    if published_only:
        query = query.where(Challenge.workflow == v.Workflow.published)
    challenges = session.exec(query).all()
    translations = stored_translations(
        session, v.RecordType.challenge, [c.id for c in challenges if c.id is not None]
    )
    return [
        challenge.id
        for challenge in challenges
        if challenge.id is not None
        and folded_search.matches(
            searched_text(challenge, translations.get(challenge.id, {})), parsed
        )
    ]


def challenge_facet_counts(
    *,
    session: Session,
    countries: list[str] | tuple[str, ...] = (),
    themes: list[str] | tuple[str, ...] = (),
    obstacle_types: list[str] | tuple[str, ...] = (),
    challenge_statuses: list[str] | tuple[str, ...] = (),
    q: str = "",
) -> dict[str, dict[str, int]]:
    """For each filter of the challenges list ("countries", "themes", "obstacle_types",
    "challenge_statuses"), how many published challenges each option would give under the other
    filters' choices: OR within a filter, AND across filters, as list_challenges. Every known
    option is listed (countries and themes of their tables, vocabulary values), 0 when it
    would give none. `q` narrows every count to the challenges the search finds."""
    chosen: dict[str, list[str]] = {
        "countries": [c.upper() for c in countries],
        "themes": list(themes),
        "obstacle_types": list(obstacle_types),
        "challenge_statuses": list(challenge_statuses),
    }
    condition: dict[str, Callable[[list[str]], Any]] = {
        "countries": lambda xs: col(Challenge.country_code).in_(xs),
        "themes": lambda xs: col(Challenge.id).in_(
            select(ChallengeTheme.challenge_id).where(col(ChallengeTheme.theme_slug).in_(xs))
        ),
        "obstacle_types": lambda xs: col(Challenge.obstacle_type).in_(xs),
        "challenge_statuses": lambda xs: col(Challenge.challenge_status).in_(xs),
    }
    column: dict[str, Any] = {
        "countries": Challenge.country_code,
        "themes": ChallengeTheme.theme_slug,
        "obstacle_types": Challenge.obstacle_type,
        "challenge_statuses": Challenge.challenge_status,
    }
    known = {
        "countries": list(session.exec(select(Country.code).order_by(Country.code)).all()),
        "themes": list(session.exec(select(Theme.slug).order_by(Theme.slug)).all()),
        "obstacle_types": v.ObstacleType.values(),
        "challenge_statuses": v.ChallengeStatus.values(),
    }
    searched = _ids_matching_text(session, q, published_only=True)
    counts: dict[str, dict[str, int]] = {}
    for name, grouped in column.items():
        query = select(grouped, func.count()).select_from(Challenge)
        if name == "themes":
            query = query.join(ChallengeTheme, col(ChallengeTheme.challenge_id) == Challenge.id)
        query = query.where(
            Challenge.workflow == v.Workflow.published,
            *(condition[other](xs) for other, xs in chosen.items() if other != name and xs),
        )
        if searched is not None:
            query = query.where(col(Challenge.id).in_(searched))
        query = query.group_by(grouped)
        found = {
            (value.value if isinstance(value, v.Vocab) else value): n
            for value, n in session.exec(query).all()
        }
        counts[name] = {value: found.get(value, 0) for value in known[name]}
    return counts
