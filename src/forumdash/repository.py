"""Queries and writes: the only module that builds select()/insert. The session is passed in."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from forumdash import facet_index, search
from forumdash import vocab as v
from forumdash.filters import FACETS, PracticeFilters, conditions
from forumdash.models import (
    Challenge,
    ChallengeCreate,
    ChallengePublic,
    ChallengeTheme,
    ChallengeValue,
    Commitment,
    Country,
    CountryPublic,
    Match,
    Milestone,
    MilestoneCreate,
    MilestonePublic,
    Practice,
    PracticeCreate,
    PracticeOutcome,
    PracticePublic,
    PracticeSummary,
    PracticeTheme,
    PracticeValue,
    Revision,
    SourceLink,
    Theme,
    utcnow,
)


class UnknownReference(ValueError):
    """A record names a country, theme or practice that does not exist."""


# --------------------------------------------------------------------------- reference data


def list_countries(*, session: Session) -> list[CountryPublic]:
    rows = session.exec(select(Country).order_by(Country.sort_order, Country.code)).all()
    return [CountryPublic.model_validate(row, from_attributes=True) for row in rows]


def get_country(*, session: Session, code: str) -> CountryPublic | None:
    row = session.get(Country, (code or "").upper())
    return CountryPublic.model_validate(row, from_attributes=True) if row else None


def theme_names(*, session: Session) -> dict[str, str]:
    """Theme slug -> name, in the vocabulary's order."""
    rows = session.exec(select(Theme).order_by(Theme.sort_order)).all()
    return {row.slug: row.name for row in rows}


def _require_country(session: Session, code: str | None) -> None:
    if code is not None and session.get(Country, code) is None:
        raise UnknownReference(f"unknown country code {code!r}")


def _require_themes(session: Session, slugs: list[str]) -> None:
    known = set(session.exec(select(Theme.slug)).all())
    unknown = [slug for slug in slugs if slug not in known]
    if unknown:
        raise UnknownReference(f"unknown theme(s): {', '.join(unknown)}")


# --------------------------------------------------------------------------- practices

_PUBLIC_ONLY = Practice.workflow == v.Workflow.published


def _practice_columns(session: Session, practice_in: PracticeCreate) -> dict[str, Any]:
    """The column values a practice record gives (everything but the workflow and bookkeeping)."""
    _require_country(session, practice_in.country)
    _require_themes(session, practice_in.themes)
    adapted_from_id = None
    if practice_in.adapted_from:
        adapted_from_id = session.exec(
            select(Practice.id).where(Practice.slug == practice_in.adapted_from)
        ).first()
        if adapted_from_id is None:
            raise UnknownReference(f"adapted from an unknown practice {practice_in.adapted_from!r}")
    assessment = practice_in.assessment
    search_title, search_text = search.document(
        practice_in.title,
        [
            practice_in.summary,
            *practice_in.body.values(),
            practice_in.lead_institution,
            practice_in.partners,
        ],
    )
    return {
        "search_title": search_title,
        "search_text": search_text,
        "slug": practice_in.slug,
        "title": practice_in.title,
        "summary": practice_in.summary,
        **{key: practice_in.body.get(key, "") for key, _ in v.BODY_SECTIONS},
        "country_code": practice_in.country,
        "level": practice_in.level,
        "lead_institution": practice_in.lead_institution,
        "partners": practice_in.partners,
        "actor_type": practice_in.actor_type,
        "stage": practice_in.stage,
        "start_year": practice_in.start_year,
        "start_date": practice_in.start_date,
        "end_date": practice_in.end_date,
        "ongoing": practice_in.ongoing,
        "action_plan": practice_in.action_plan,
        "commitment_ref": practice_in.commitment_ref,
        "completion": assessment.completion,
        "potential_impact": assessment.potential_impact,
        "early_results": assessment.early_results,
        "rated_by": assessment.rated_by,
        "evidence_level": assessment.evidence_level,
        "evidence_links": [link.model_dump() for link in assessment.evidence_links],
        "transferability": practice_in.transferability,
        "transfer_conditions": practice_in.transfer_conditions,
        "adapted_from_id": adapted_from_id,
        "contact": practice_in.contact,
        "sources": [link.model_dump() for link in practice_in.sources],
        "original_language": practice_in.original_language,
        "is_sample": practice_in.sample,
    }


def _set_links(session: Session, practice_id: int, practice_in: PracticeCreate) -> None:
    """Replace a practice's themes, OGP values and outcome areas with the record's."""
    for table in (PracticeTheme, PracticeValue, PracticeOutcome):
        session.execute(sa.delete(table).where(table.practice_id == practice_id))  # type: ignore[arg-type]
    session.add_all(
        PracticeTheme(practice_id=practice_id, theme_slug=t) for t in practice_in.themes
    )
    session.add_all(
        PracticeValue(practice_id=practice_id, value=value)
        for value in dict.fromkeys(practice_in.ogp_values)
    )
    session.add_all(
        PracticeOutcome(practice_id=practice_id, outcome=area)
        for area in dict.fromkeys(practice_in.outcome_areas)
    )
    session.flush()


def create_practice(
    *, session: Session, practice_in: PracticeCreate, user_id: int | None = None
) -> int:
    """Insert a practice with its links and its first revision; return its id."""
    columns = _practice_columns(session, practice_in)
    now = utcnow()
    practice = Practice(
        **columns,
        workflow=practice_in.workflow,
        published_at=now if practice_in.workflow == v.Workflow.published else None,
        created_by_id=user_id,
        created_at=now,
        updated_by_id=user_id,
        updated_at=now,
    )
    session.add(practice)
    session.flush()
    assert practice.id is not None
    _set_links(session, practice.id, practice_in)
    _record_revision(
        session,
        v.RecordType.practice,
        practice.id,
        "create",
        user_id,
        {},
        practice_snapshot(session=session, practice_id=practice.id),
    )
    return practice.id


class NotFound(LookupError):
    """The record does not exist."""


@dataclass(frozen=True)
class _Versioned:
    """How a kind of record with a workflow and revisions is stored (practices, challenges)."""

    table: Any
    record_type: v.RecordType
    columns: Callable[[Session, Any], dict[str, Any]]
    set_links: Callable[[Session, int, Any], None]
    snapshot: Callable[[Session, int], dict[str, Any]]


def _update(
    kind: _Versioned,
    session: Session,
    record_id: int,
    record_in: Any,
    user_id: int | None,
    action: str,
    correction_id: int | None,
) -> bool:
    row = session.get(kind.table, record_id)
    if row is None:
        raise NotFound(f"no {kind.record_type.value} {record_id}")
    before = kind.snapshot(session, record_id)
    for name, value in kind.columns(session, record_in).items():
        setattr(row, name, value)
    session.add(row)
    session.flush()
    kind.set_links(session, record_id, record_in)
    if not _revise(kind, session, record_id, before, action, user_id, correction_id):
        return False
    row.updated_at = utcnow()
    row.updated_by_id = user_id
    session.add(row)
    session.flush()
    return True


def _set_workflow(
    kind: _Versioned,
    session: Session,
    record_id: int,
    workflow: v.Workflow,
    user_id: int | None,
    reason: str,
) -> None:
    row = session.get(kind.table, record_id)
    if row is None:
        raise NotFound(f"no {kind.record_type.value} {record_id}")
    before = kind.snapshot(session, record_id)
    row.workflow = workflow
    row.rejection_reason = reason if workflow == v.Workflow.rejected else ""
    if workflow == v.Workflow.published:
        row.published_at = utcnow()
    row.updated_at = utcnow()
    row.updated_by_id = user_id
    session.add(row)
    session.flush()
    _revise(kind, session, record_id, before, workflow.value, user_id, None, always=True)


def _revise(
    kind: _Versioned,
    session: Session,
    record_id: int,
    before: dict[str, Any],
    action: str,
    user_id: int | None,
    correction_id: int | None,
    *,
    always: bool = False,
) -> bool:
    """Record the fields that differ from `before` as a revision; False if none did."""
    after = kind.snapshot(session, record_id)
    changed = sorted(k for k in after if before.get(k) != after[k])
    if not changed and not always:
        return False
    _record_revision(
        session,
        kind.record_type,
        record_id,
        action,
        user_id,
        {k: before.get(k) for k in changed},
        {k: after[k] for k in changed},
        correction_id=correction_id,
    )
    return True


def update_practice(
    *,
    session: Session,
    practice_id: int,
    practice_in: PracticeCreate,
    user_id: int | None = None,
    action: str = "update",
    correction_id: int | None = None,
) -> bool:
    """Make a practice say what the record says (its workflow state is left alone); record the
    change as a revision of the fields that differ. Returns False when nothing changed."""
    return _update(_PRACTICE, session, practice_id, practice_in, user_id, action, correction_id)


def set_practice_workflow(
    *,
    session: Session,
    practice_id: int,
    workflow: v.Workflow,
    user_id: int | None = None,
    reason: str = "",
) -> None:
    """Move a practice through the workflow (publishing stamps published_at), with a revision."""
    _set_workflow(_PRACTICE, session, practice_id, workflow, user_id, reason)


def practice_history(*, session: Session, practice_id: int) -> list[Revision]:
    """Every revision of a practice, oldest first (detached copies)."""
    return record_history(session=session, record_type=v.RecordType.practice, record_id=practice_id)


def replay(revisions: list[Revision]) -> dict[str, Any]:
    """The state a record's revisions lead to: the first one's values, then each change."""
    state: dict[str, Any] = {}
    for revision in revisions:
        state.update(revision.after)
    return state


def _links_of(session: Session, ids: list[int]) -> dict[str, dict[int, list[str]]]:
    """Themes, OGP values and outcome areas of the given practices, in vocabulary order."""
    links: dict[str, dict[int, list[str]]] = {
        "themes": defaultdict(list),
        "ogp_values": defaultdict(list),
        "outcome_areas": defaultdict(list),
    }
    if not ids:
        return links
    theme_rows = session.exec(
        select(PracticeTheme.practice_id, PracticeTheme.theme_slug)
        .join(Theme, col(Theme.slug) == PracticeTheme.theme_slug)
        .where(col(PracticeTheme.practice_id).in_(ids))
        .order_by(Theme.sort_order)
    ).all()
    for practice_id, slug in theme_rows:
        links["themes"][practice_id].append(slug)
    value_order = {value: i for i, value in enumerate(v.OgpValue.values())}
    for practice_id, value in session.exec(
        select(PracticeValue.practice_id, PracticeValue.value).where(
            col(PracticeValue.practice_id).in_(ids)
        )
    ).all():
        links["ogp_values"][practice_id].append(value)
    for practice_id, area in session.exec(
        select(PracticeOutcome.practice_id, PracticeOutcome.outcome).where(
            col(PracticeOutcome.practice_id).in_(ids)
        )
    ).all():
        links["outcome_areas"][practice_id].append(area)
    for practice_id in links["ogp_values"]:
        links["ogp_values"][practice_id].sort(key=lambda value: value_order[value])
    area_order = {value: i for i, value in enumerate(v.OutcomeArea.values())}
    for practice_id in links["outcome_areas"]:
        links["outcome_areas"][practice_id].sort(key=lambda value: area_order[value])
    return links


def get_practice(
    *, session: Session, practice_id: int, published_only: bool = True
) -> PracticePublic | None:
    """One practice with everything shown on its page; None if unknown (or not published)."""
    query = select(Practice.id).where(Practice.id == practice_id)
    if published_only:
        query = query.where(_PUBLIC_ONLY)
    found = session.exec(query).first()
    return _full_practices(session, [found])[0] if found is not None else None


def _full_practices(session: Session, ids: list[int]) -> list[PracticePublic]:
    """Practices in full, in the order of `ids`, fetched in batches."""
    out: list[PracticePublic] = []
    for start in range(0, len(ids), 500):
        batch = ids[start : start + 500]
        rows = session.exec(
            select(Practice, Country.name_en).join(Country).where(col(Practice.id).in_(batch))
        ).all()
        by_id = {p.id: (p, name) for p, name in rows}
        links = _links_of(session, batch)
        for practice_id in batch:
            practice, country_name = by_id[practice_id]
            data = practice.model_dump()
            data["body"] = {key: data[key] for key, _ in v.BODY_SECTIONS if data[key]}
            data["country_name"] = country_name
            for name, by_practice in links.items():
                data[name] = by_practice.get(practice_id, [])
            out.append(PracticePublic.model_validate(data))
    return out


def list_practices(
    *,
    session: Session,
    country: str | None = None,
    published_only: bool = True,
    limit: int = 50,
    offset: int = 0,
) -> list[PracticeSummary]:
    """Practices, newest first, as list rows."""
    query = select(*_SUMMARY_COLUMNS).join(Country)
    if published_only:
        query = query.where(_PUBLIC_ONLY)
    if country:
        query = query.where(Practice.country_code == country.upper())
    query = query.order_by(
        col(Practice.published_at).desc(),
        col(Practice.start_year).desc().nulls_last(),
        col(Practice.id).desc(),
    )
    return _summary_rows(session, query.limit(limit).offset(offset))


# Not part of a practice's history: bookkeeping, search columns, and what only its authors and
# the organisers may see (a rejection reason, a pending edit, the form's key).
PRIVATE_FIELDS = {
    "id",
    "created_at",
    "updated_at",
    "updated_by_id",
    "created_by_id",
    "search_title",
    "search_text",
    "rejection_reason",
    "client_key",
    "pending",
    "pending_status",
    "pending_by_id",
    "pending_at",
}


def practice_snapshot(*, session: Session, practice_id: int) -> dict[str, Any]:
    """A practice as plain JSON values (columns and links): what a revision stores."""
    practice = session.get(Practice, practice_id)
    if practice is None:
        return {}
    data = practice.model_dump(
        mode="json",
        exclude=PRIVATE_FIELDS,
    )
    for name, by_id in _links_of(session, [practice_id]).items():
        data[name] = by_id.get(practice_id, [])
    return data


def count_practices_by_country(*, session: Session, published_only: bool = True) -> dict[str, int]:
    query = select(Practice.country_code, func.count()).group_by(Practice.country_code)
    if published_only:
        query = query.where(_PUBLIC_ONLY)
    return dict(session.exec(query).all())


def count_practices_by_theme(*, session: Session, published_only: bool = True) -> dict[str, int]:
    query = (
        select(PracticeTheme.theme_slug, func.count())
        .join(Practice, col(Practice.id) == PracticeTheme.practice_id)
        .group_by(PracticeTheme.theme_slug)
    )
    if published_only:
        query = query.where(_PUBLIC_ONLY)
    return dict(session.exec(query).all())


def count_practices_by_country_theme(
    *, session: Session, published_only: bool = True
) -> list[tuple[str, str, int]]:
    query = (
        select(Practice.country_code, PracticeTheme.theme_slug, func.count())
        .join(PracticeTheme, col(Practice.id) == PracticeTheme.practice_id)
        .group_by(Practice.country_code, PracticeTheme.theme_slug)
    )
    if published_only:
        query = query.where(_PUBLIC_ONLY)
    return [tuple(row) for row in session.exec(query).all()]  # type: ignore[misc]


# --------------------------------------------------------------------------- browsing


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def facet_counts(*, session: Session, filters: PracticeFilters) -> dict[str, dict[str, int]]:
    """For every facet, how many practices each option would give under the other choices."""
    index = facet_index.get(session)
    matched, _ = facet_index.matched_ids(session, filters, ranked=False)
    return index.facet_counts(index.masks(filters, matched))


def facet_counts_sql(*, session: Session, filters: PracticeFilters) -> dict[str, dict[str, int]]:
    """The same counts in plain SQL, one GROUP BY a facet (the reference the index is tested
    against; a few hundred milliseconds at 100,000 practices)."""
    dialect = _dialect(session)
    counts: dict[str, dict[str, int]] = {}
    for facet in FACETS:
        where = conditions(filters, dialect, exclude=facet.name)
        if facet.column is not None:
            query = select(facet.column, func.count()).where(*where).group_by(facet.column)
        else:
            table, value_column = facet.link
            query = (
                select(value_column, func.count())
                .select_from(table)
                .join(Practice, col(Practice.id) == table.practice_id)
                .where(*where)
                .group_by(value_column)
            )
        counts[facet.name] = {
            (value.value if isinstance(value, v.Vocab) else value): n
            for value, n in session.exec(query).all()
            if value is not None
        }
    return counts


def count_matching(*, session: Session, filters: PracticeFilters) -> int:
    where = conditions(filters, _dialect(session))
    return session.exec(select(func.count()).select_from(Practice).where(*where)).one()


def _ordered_matches(session: Session, filters: PracticeFilters) -> sa.Select:
    """SELECT Practice, country name of every match, in the view's sort order."""
    dialect = _dialect(session)
    query = select(Practice, Country.name_en).join(Country).where(*conditions(filters, dialect))
    sort = filters.effective_sort
    if sort == "relevance":
        matches = search.ranked_matches(dialect, filters.query)
        query = query.join(matches, matches.c.id == Practice.id).order_by(matches.c.rank)
    elif sort == "title":
        query = query.order_by(func.lower(Practice.title))
    elif sort == "country":
        query = query.order_by(Country.name_en)
    elif sort == "year":
        query = query.order_by(col(Practice.start_year).desc().nulls_last())
    else:
        query = query.order_by(col(Practice.published_at).desc().nulls_last())
    return query.order_by(col(Practice.id).desc())


_SUMMARY_COLUMNS = (
    Practice.id,
    Practice.title,
    Practice.summary,
    Practice.country_code,
    Country.name_en,
    Practice.stage,
    Practice.start_year,
    Practice.is_sample,
    Practice.end_date,
    Practice.ongoing,
)


def _summary_rows(session: Session, query: sa.Select) -> list[PracticeSummary]:
    """List rows for a query selecting _SUMMARY_COLUMNS (only these columns are read)."""
    rows = session.execute(query).all()
    themes = _links_of(session, [row[0] for row in rows])["themes"]
    return [
        PracticeSummary(
            id=row[0],
            title=row[1],
            summary=row[2],
            country_code=row[3],
            country_name=row[4],
            themes=themes.get(row[0], []),
            stage=row[5],
            start_year=row[6],
            is_sample=row[7],
            # An end year only for a practice that ended (not "ongoing").
            end_year=row[8].year if row[8] and not row[9] else None,
        )
        for row in rows
    ]


def _summaries_by_id(session: Session, ids: list[int]) -> list[PracticeSummary]:
    """List rows of the given practices, in the order of `ids`."""
    if not ids:
        return []
    query = select(*_SUMMARY_COLUMNS).join(Country).where(col(Practice.id).in_(ids))
    by_id = {row.id: row for row in _summary_rows(session, query)}
    return [by_id[i] for i in ids if i in by_id]


def search_practices(
    *, session: Session, filters: PracticeFilters
) -> tuple[int, list[PracticeSummary]]:
    """The total number of matches and the current page of them (from the facet index)."""
    _, total, rows = browse(session=session, filters=filters, with_facets=False)
    return total, rows


def browse(
    *, session: Session, filters: PracticeFilters, with_facets: bool = True
) -> tuple[dict[str, dict[str, int]], int, list[PracticeSummary]]:
    """Everything the browse page needs in one pass: facet counts, total, the page."""
    index = facet_index.get(session)
    by_relevance = filters.effective_sort == "relevance"
    matched, ranks = facet_index.matched_ids(session, filters, ranked=by_relevance)
    masks = index.masks(filters, matched)
    if by_relevance and matched is not None and ranks is not None:
        order = facet_index.relevance_order(index, matched, ranks)
    else:
        order = facet_index.sort_order(session, index, filters.effective_sort)
    ids = index.page_ids(masks, order, filters.offset, filters.per_page)
    counts = index.facet_counts(masks) if with_facets else {}
    return counts, index.total(masks), _summaries_by_id(session, ids)


def matching_practices(
    *, session: Session, filters: PracticeFilters, limit: int | None = None
) -> list[PracticePublic]:
    """Every match in full (for exports), in the view's sort order."""
    query = _ordered_matches(session, filters).with_only_columns(Practice.id)
    if limit is not None:
        query = query.limit(limit)
    ids = list(session.execute(query).scalars().all())
    return _full_practices(session, ids)


def similar_practices(
    *, session: Session, practice_id: int, limit: int = 5
) -> list[PracticeSummary]:
    """Published practices from other countries sharing its themes: most shared themes first,
    then shared OGP values, then the newest."""
    practice = session.get(Practice, practice_id)
    if practice is None:
        return []
    mine = select(PracticeTheme.theme_slug).where(PracticeTheme.practice_id == practice_id)
    my_values = select(PracticeValue.value).where(PracticeValue.practice_id == practice_id)
    shared_themes = (
        select(func.count())
        .where(PracticeTheme.practice_id == Practice.id)
        .where(col(PracticeTheme.theme_slug).in_(mine))
        .correlate(Practice)
        .scalar_subquery()
    )
    shared_values = (
        select(func.count())
        .where(PracticeValue.practice_id == Practice.id)
        .where(col(PracticeValue.value).in_(my_values))
        .correlate(Practice)
        .scalar_subquery()
    )
    query = (
        select(*_SUMMARY_COLUMNS)
        .join(Country)
        .where(_PUBLIC_ONLY, Practice.country_code != practice.country_code)
        .where(shared_themes > 0)
        .order_by(
            shared_themes.desc(),
            shared_values.desc(),
            col(Practice.published_at).desc().nulls_last(),
            col(Practice.id).desc(),
        )
        .limit(limit)
    )
    return _summary_rows(session, query)


def adaptation_pairs(
    *, session: Session, country: str
) -> tuple[
    list[tuple[PracticeSummary, PracticeSummary]], list[tuple[PracticeSummary, PracticeSummary]]
]:
    """Where a country learned from and whom it taught: (origin, adaptation) pairs of published
    practices across borders, as (learned, taught)."""
    origin = sa.orm.aliased(Practice)
    query = (
        select(Practice.id, origin.id)
        .join(origin, col(origin.id) == Practice.adapted_from_id)
        .where(_PUBLIC_ONLY, origin.workflow == v.Workflow.published)
        .where(Practice.country_code != origin.country_code)
        .where(sa.or_(Practice.country_code == country, origin.country_code == country))
        .order_by(Practice.id)
    )
    pairs = session.exec(query).all()
    summaries = {s.id: s for s in _summaries_by_id(session, sorted({i for p in pairs for i in p}))}
    learned, taught = [], []
    for adapted_id, origin_id in pairs:
        pair = (summaries[origin_id], summaries[adapted_id])
        (learned if summaries[adapted_id].country_code == country else taught).append(pair)
    return learned, taught


def origin_choices(*, session: Session) -> dict[str, str]:
    """Published practices a new one may say it was adapted from: slug -> "title (country)"."""
    rows = session.exec(
        select(Practice.slug, Practice.title, Country.name_en)
        .join(Country)
        .where(_PUBLIC_ONLY)
        .order_by(Country.sort_order, Practice.title)
    ).all()
    return {slug: f"{title} ({country})" for slug, title, country in rows}


def adaptations(*, session: Session, practice_id: int) -> list[PracticeSummary]:
    """Published practices that say they were adapted from this one."""
    query = (
        select(*_SUMMARY_COLUMNS)
        .join(Country)
        .where(_PUBLIC_ONLY, Practice.adapted_from_id == practice_id)
        .order_by(Practice.id)
    )
    return _summary_rows(session, query)


def year_bounds(*, session: Session) -> tuple[int, int] | None:
    """The earliest and latest start year of the published practices."""
    return facet_index.get(session).year_bounds()


# --------------------------------------------------------------------------- challenges


def _challenge_columns(session: Session, challenge_in: ChallengeCreate) -> dict[str, Any]:
    _require_country(session, challenge_in.country)
    _require_themes(session, challenge_in.themes)
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
    }


def _set_challenge_links(
    session: Session, challenge_id: int, challenge_in: ChallengeCreate
) -> None:
    for table in (ChallengeTheme, ChallengeValue):
        session.exec(sa.delete(table).where(table.challenge_id == challenge_id))  # type: ignore[call-overload]
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
    for name, by_id in _challenge_links(session, [challenge_id]).items():
        data[name] = by_id.get(challenge_id, [])
    return data


def create_challenge(
    *, session: Session, challenge_in: ChallengeCreate, user_id: int | None = None
) -> int:
    """Insert a challenge with its links and its first revision; return its id."""
    now = utcnow()
    challenge = Challenge(
        **_challenge_columns(session, challenge_in),
        workflow=challenge_in.workflow,
        published_at=now if challenge_in.workflow == v.Workflow.published else None,
        created_by_id=user_id,
        created_at=now,
        updated_by_id=user_id,
        updated_at=now,
    )
    session.add(challenge)
    session.flush()
    assert challenge.id is not None
    _set_challenge_links(session, challenge.id, challenge_in)
    _record_revision(
        session,
        v.RecordType.challenge,
        challenge.id,
        "create",
        user_id,
        {},
        challenge_snapshot(session=session, challenge_id=challenge.id),
    )
    return challenge.id


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
    return _update(_CHALLENGE, session, challenge_id, challenge_in, user_id, action, correction_id)


def set_challenge_workflow(
    *,
    session: Session,
    challenge_id: int,
    workflow: v.Workflow,
    user_id: int | None = None,
    reason: str = "",
) -> None:
    """As set_practice_workflow, for a challenge."""
    _set_workflow(_CHALLENGE, session, challenge_id, workflow, user_id, reason)


_PRACTICE = _Versioned(
    Practice,
    v.RecordType.practice,
    _practice_columns,
    _set_links,
    lambda session, record_id: practice_snapshot(session=session, practice_id=record_id),
)
_CHALLENGE = _Versioned(
    Challenge,
    v.RecordType.challenge,
    _challenge_columns,
    _set_challenge_links,
    lambda session, record_id: challenge_snapshot(session=session, challenge_id=record_id),
)


def record_history(
    *, session: Session, record_type: v.RecordType, record_id: int
) -> list[Revision]:
    """Every revision of a record, oldest first (detached copies)."""
    rows = session.exec(
        select(Revision)
        .where(Revision.record_type == record_type, Revision.record_id == record_id)
        .order_by(Revision.id)
    ).all()
    return [Revision.model_validate(row.model_dump()) for row in rows]


def _challenge_links(session: Session, ids: list[int]) -> dict[str, dict[int, list[str]]]:
    themes: dict[int, list[str]] = defaultdict(list)
    values: dict[int, list[str]] = defaultdict(list)
    if ids:
        for challenge_id, slug in session.exec(
            select(ChallengeTheme.challenge_id, ChallengeTheme.theme_slug)
            .where(col(ChallengeTheme.challenge_id).in_(ids))
            .order_by(ChallengeTheme.challenge_id, ChallengeTheme.theme_slug)
        ).all():
            themes[challenge_id].append(slug)
        for challenge_id, value in session.exec(
            select(ChallengeValue.challenge_id, ChallengeValue.value)
            .where(col(ChallengeValue.challenge_id).in_(ids))
            .order_by(ChallengeValue.challenge_id, ChallengeValue.value)
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
    published_only: bool = True,
    ids: list[int] | None = None,
    limit: int | None = None,
) -> list[ChallengePublic]:
    """Challenges (published ones unless asked otherwise), newest first. Within one filter the
    choices are OR'ed, across filters AND'ed, as on the browse page."""
    query = select(Challenge, Country.name_en).join(
        Country, col(Country.code) == Challenge.country_code
    )
    if published_only:
        query = query.where(Challenge.workflow == v.Workflow.published)
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
    links = _challenge_links(session, [c.id for c, _ in rows if c.id is not None])
    return [
        ChallengePublic(
            **challenge.model_dump(exclude={"sources", "support_sought"}),
            country_name=country_name,
            themes=links["themes"].get(challenge.id, []),
            ogp_values=links["ogp_values"].get(challenge.id, []),
            support_sought=[v.SupportSought(s) for s in challenge.support_sought],
            sources=[SourceLink.model_validate(s) for s in challenge.sources],
        )
        for challenge, country_name in rows
    ]


def get_challenge(
    *, session: Session, challenge_id: int, published_only: bool = True
) -> ChallengePublic | None:
    """One challenge; None when it does not exist (or is not published, unless asked)."""
    found = list_challenges(session=session, ids=[challenge_id], published_only=published_only)
    return found[0] if found else None


def published_practices(*, session: Session) -> list[PracticePublic]:
    """Every published practice in full (what matching compares a challenge with)."""
    ids = list(session.exec(select(Practice.id).where(_PUBLIC_ONLY).order_by(Practice.id)).all())
    return _full_practices(session, [i for i in ids if i is not None])


def list_matches(*, session: Session, challenge_id: int) -> list[Match]:
    """The stored matches of a challenge (those someone moved on from "suggested")."""
    rows = session.exec(
        select(Match).where(Match.challenge_id == challenge_id).order_by(Match.practice_id)
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
        .where(Challenge.workflow == v.Workflow.published, _PUBLIC_ONLY)
        .group_by(Match.state)
    )
    return {v.MatchState(state).value: n for state, n in session.exec(query).all()}


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


# --------------------------------------------------------------------------- milestones


def create_milestone(
    *, session: Session, milestone_in: MilestoneCreate, user_id: int | None = None
) -> int:
    _require_country(session, milestone_in.country)
    milestone = Milestone(
        slug=milestone_in.slug,
        country_code=milestone_in.country,
        date=milestone_in.date,
        date_precision=milestone_in.date_precision,
        title=milestone_in.title,
        description=milestone_in.description,
        sources=[link.model_dump() for link in milestone_in.sources],
        is_sample=milestone_in.sample,
    )
    session.add(milestone)
    session.flush()
    assert milestone.id is not None
    snapshot = milestone.model_dump(mode="json", exclude={"id", "updated_at"})
    _record_revision(session, v.RecordType.milestone, milestone.id, "create", user_id, {}, snapshot)
    return milestone.id


MILESTONE_FIELDS = ("title", "description", "date", "date_precision")


def update_milestone(
    *,
    session: Session,
    milestone_id: int,
    changes: dict[str, Any],
    user_id: int | None = None,
    correction_id: int | None = None,
) -> bool:
    """Change a milestone's title, description, date or precision, with a revision."""
    milestone = session.get(Milestone, milestone_id)
    if milestone is None:
        raise NotFound(f"no milestone {milestone_id}")
    before = milestone.model_dump(mode="json", include=set(MILESTONE_FIELDS))
    for name, value in changes.items():
        if name not in MILESTONE_FIELDS:
            raise ValueError(f"a milestone has no field {name!r}")
        setattr(milestone, name, value)
    milestone.updated_at = utcnow()
    session.add(milestone)
    session.flush()
    after = milestone.model_dump(mode="json", include=set(MILESTONE_FIELDS))
    changed = sorted(k for k in after if before[k] != after[k])
    if not changed:
        return False
    _record_revision(
        session,
        v.RecordType.milestone,
        milestone_id,
        "correct" if correction_id else "update",
        user_id,
        {k: before[k] for k in changed},
        {k: after[k] for k in changed},
        correction_id=correction_id,
    )
    return True


def record_title(*, session: Session, record_type: v.RecordType, record_id: int) -> str:
    """A practice's, challenge's or milestone's title (for organisers' lists), or a placeholder."""
    table = {"practice": Practice, "challenge": Challenge, "milestone": Milestone}[
        record_type.value
    ]
    row = session.get(table, record_id)
    return row.title if row is not None else f"(no longer exists: {record_id})"


def last_correction_date(
    *, session: Session, record_type: v.RecordType, record_id: int
) -> Any | None:
    """When the record was last changed by an accepted correction, or None."""
    return session.exec(
        select(func.max(Revision.at)).where(
            Revision.record_type == record_type,
            Revision.record_id == record_id,
            col(Revision.correction_id).is_not(None),
        )
    ).one()


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


def count_milestones(*, session: Session) -> int:
    return session.exec(select(func.count()).select_from(Milestone)).one()


def list_milestones(
    *, session: Session, country: str | None = None, include_regional: bool = False
) -> list[MilestonePublic]:
    """Milestones in date order: one country's (and the regional ones if asked), or all."""
    query = select(Milestone)
    if country:
        condition = Milestone.country_code == country.upper()
        if include_regional:
            condition = sa.or_(condition, col(Milestone.country_code).is_(None))
        query = query.where(condition)
    rows = session.exec(query.order_by(Milestone.date, Milestone.id)).all()
    return [
        MilestonePublic(
            **row.model_dump(exclude={"sources"}),
            sources=[SourceLink.model_validate(s) for s in row.sources],
        )
        for row in rows
    ]


# --------------------------------------------------------------------------- history


def _record_revision(
    session: Session,
    record_type: v.RecordType,
    record_id: int,
    action: str,
    user_id: int | None,
    before: dict[str, Any],
    after: dict[str, Any],
    correction_id: int | None = None,
) -> None:
    session.add(
        Revision(
            record_type=record_type,
            record_id=record_id,
            action=action,
            user_id=user_id,
            correction_id=correction_id,
            before=before,
            after=after,
        )
    )


def user_names(*, session: Session) -> dict[int, str]:
    """Account id -> the name shown in public histories: a display name, else the role and
    country (never the email)."""
    from forumdash.models import User

    def shown(user: User) -> str:
        if user.display_name:
            return user.display_name
        where = f" ({user.country_code})" if user.country_code else ""
        return f"{v.Role(user.role).label.lower()}{where}"

    return {u.id: shown(u) for u in session.exec(select(User)).all() if u.id is not None}


def public_history(revisions: list[Revision]) -> list[Revision]:
    """The revisions the public may see: from the first publication on."""
    for position, revision in enumerate(revisions):
        if revision.after.get("workflow") == v.Workflow.published.value:
            return revisions[position:]
    return []


def count_revisions(*, session: Session, record_type: v.RecordType, record_id: int) -> int:
    query = (
        select(func.count())
        .select_from(Revision)
        .where(Revision.record_type == record_type, Revision.record_id == record_id)
    )
    return session.exec(query).one()


# --------------------------------------------------------------------------- statistics


def record_counts(*, session: Session) -> dict[str, Any]:
    """Every row of each kind, whatever its workflow state, in total and by country."""
    result: dict[str, Any] = {
        "countries": list(session.exec(select(Country.code).order_by(Country.sort_order)).all())
    }
    for name, table in (
        ("practices", Practice),
        ("challenges", Challenge),
        ("commitments", Commitment),
        ("milestones", Milestone),
    ):
        by_country = dict(
            session.exec(
                select(table.country_code, func.count())  # type: ignore[attr-defined]
                .where(col(table.country_code).is_not(None))  # type: ignore[attr-defined]
                .group_by(table.country_code)  # type: ignore[attr-defined]
            ).all()
        )
        total = session.exec(select(func.count()).select_from(table)).one()
        result[name] = {"total": total, "by_country": dict(sorted(by_country.items()))}
    return result


# --- compare

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
        .where(_PUBLIC_ONLY, col(Practice.country_code).in_([c.upper() for c in countries]))
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


def list_published_titles(*, session: Session, limit: int = 5000) -> list[tuple[int, str, str]]:
    """(id, title, country code) of published practices by title: the compare page's picker."""
    query = (
        select(Practice.id, Practice.title, Practice.country_code)
        .where(_PUBLIC_ONLY)
        .order_by(func.lower(Practice.title), Practice.id)
        .limit(limit)
    )
    return [(pid, title, code) for pid, title, code in session.exec(query).all()]


# --- overview aggregates


def count_practices_by_stage(*, session: Session) -> dict[str, int]:
    """Published practices per stage value."""
    query = select(Practice.stage, func.count()).where(_PUBLIC_ONLY).group_by(Practice.stage)
    return {v.Stage(stage).value: n for stage, n in session.exec(query).all()}


def count_practices_by_start_year(*, session: Session) -> dict[int | None, int]:
    """Published practices per start year (None: no start year recorded)."""
    query = (
        select(Practice.start_year, func.count()).where(_PUBLIC_ONLY).group_by(Practice.start_year)
    )
    return dict(session.exec(query).all())


def count_adaptations_by_country(*, session: Session) -> list[tuple[str, str, int]]:
    """(country learned from, country that adapted, practices): published practices adapted
    from another published practice, counted per pair of countries."""
    source = sa.orm.aliased(Practice)
    query = (
        select(source.country_code, Practice.country_code, func.count())
        .join(source, col(source.id) == Practice.adapted_from_id)
        .where(_PUBLIC_ONLY, source.workflow == v.Workflow.published)
        .group_by(source.country_code, Practice.country_code)
    )
    return [(src, dst, n) for src, dst, n in session.exec(query).all()]


def list_adaptation_pairs(
    *, session: Session, limit: int = 10
) -> list[tuple[PracticeSummary, PracticeSummary]]:
    """(adapted practice, the practice it was adapted from), both published, the most recently
    published adaptation first."""
    source = sa.orm.aliased(Practice)
    query = (
        select(Practice.id, source.id)
        .join(source, col(source.id) == Practice.adapted_from_id)
        .where(_PUBLIC_ONLY, source.workflow == v.Workflow.published)
        .order_by(col(Practice.published_at).desc().nulls_last(), col(Practice.id).desc())
        .limit(limit)
    )
    pairs = [(adapted, origin) for adapted, origin in session.exec(query).all()]
    ids = list(dict.fromkeys(i for pair in pairs for i in pair))
    by_id = {row.id: row for row in _summaries_by_id(session, ids)}
    return [(by_id[a], by_id[o]) for a, o in pairs if a in by_id and o in by_id]


# --- challenge filters


def challenge_facet_counts(
    *,
    session: Session,
    countries: list[str] | tuple[str, ...] = (),
    themes: list[str] | tuple[str, ...] = (),
    obstacle_types: list[str] | tuple[str, ...] = (),
    challenge_statuses: list[str] | tuple[str, ...] = (),
) -> dict[str, dict[str, int]]:
    """For each filter of the challenges list ("countries", "themes", "obstacle_types",
    "challenge_statuses"), how many published challenges each option would give under the other
    filters' choices: OR within a filter, AND across filters, as list_challenges. Every known
    option is listed (countries and themes of their tables, vocabulary values), 0 when it
    would give none."""
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
    counts: dict[str, dict[str, int]] = {}
    for name, grouped in column.items():
        query = select(grouped, func.count()).select_from(Challenge)
        if name == "themes":
            query = query.join(ChallengeTheme, col(ChallengeTheme.challenge_id) == Challenge.id)
        query = query.where(
            Challenge.workflow == v.Workflow.published,
            *(condition[other](xs) for other, xs in chosen.items() if other != name and xs),
        ).group_by(grouped)
        found = {
            (value.value if isinstance(value, v.Vocab) else value): n
            for value, n in session.exec(query).all()
        }
        counts[name] = {value: found.get(value, 0) for value in known[name]}
    return counts
