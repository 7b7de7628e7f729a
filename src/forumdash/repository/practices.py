"""Practices: writes, full records, list rows, and the practices related to one."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from forumdash import activity, i18n, search
from forumdash import vocab as v
from forumdash.models import (
    PRACTICE_BASE_FIELDS,
    Country,
    Practice,
    PracticeCreate,
    PracticeOutcome,
    PracticePublic,
    PracticeSummary,
    PracticeTheme,
    PracticeTranslationIn,
    PracticeValue,
    Revision,
    Theme,
)
from forumdash.repository.errors import UnknownReference
from forumdash.repository.history import PRIVATE_FIELDS, record_history
from forumdash.repository.reference import require_country, require_themes
from forumdash.repository.search import write_terms
from forumdash.repository.translations import Texts, stored_translations, write_translations
from forumdash.repository.versioned import Versioned, create_record, set_workflow, update_record

PUBLISHED = col(Practice.workflow) == v.Workflow.published


def _practice_columns(session: Session, practice_in: PracticeCreate) -> dict[str, Any]:
    """The column values a practice record gives (everything but the workflow and bookkeeping)."""
    require_country(session, practice_in.country)
    require_themes(session, practice_in.themes)
    adapted_from_id = None
    if practice_in.adapted_from:
        adapted_from_id = session.exec(
            select(Practice.id).where(Practice.slug == practice_in.adapted_from)
        ).first()
        if adapted_from_id is None:
            raise UnknownReference(f"adapted from an unknown practice {practice_in.adapted_from!r}")
    assessment = practice_in.assessment
    indexed = _indexed(practice_in, _translations_of(session, practice_in))
    return {
        **practice_in.model_dump(include=set(PRACTICE_BASE_FIELDS)),
        "search_title": indexed.title_words,
        "search_text": indexed.body_words,
        "search_length": indexed.length,
        "slug": practice_in.slug,
        **{key: practice_in.body.get(key, "") for key, _ in v.BODY_SECTIONS},
        "country_code": practice_in.country,
        "completion": assessment.completion,
        "potential_impact": assessment.potential_impact,
        "early_results": assessment.early_results,
        "rated_by": assessment.rated_by,
        "evidence_level": assessment.evidence_level,
        "evidence_links": [link.model_dump() for link in assessment.evidence_links],
        "adapted_from_id": adapted_from_id,
        "sources": [link.model_dump() for link in practice_in.sources],
        "is_sample": practice_in.sample,
    }


def _translations_of(session: Session, practice_in: PracticeCreate) -> Texts:
    """The translations a practice will have once written: the record's, or (a record that
    does not say) those stored for its slug."""
    if practice_in.translations is not None:
        return {tag: t.fields() for tag, t in practice_in.translations.items()}
    stored_id = session.exec(select(Practice.id).where(Practice.slug == practice_in.slug)).first()
    if stored_id is None:
        return {}
    return stored_translations(session, v.RecordType.practice, [stored_id]).get(stored_id, {})


def _indexed(practice_in: PracticeCreate, translations: Texts) -> search.IndexedText:
    """A practice's text as search stores it, with its translations (computed once per
    version: it is cached)."""
    fields = {
        **practice_in.body,
        "summary": practice_in.summary,
        "lead_institution": practice_in.lead_institution,
        "partners": practice_in.partners,
    }
    return search.indexed_practice(
        practice_in.title, fields, practice_in.original_language, translations
    )


def _set_links(session: Session, practice_id: int, practice_in: PracticeCreate) -> None:
    """Replace a practice's themes, OGP values, outcome areas, translations (when the record
    gives them) and search terms with the record's."""
    if practice_in.translations is not None:
        write_translations(session, v.RecordType.practice, practice_id, practice_in.translations)
    write_terms(session, practice_id, _indexed(practice_in, _translations_of(session, practice_in)))
    for table in (PracticeTheme, PracticeValue, PracticeOutcome):
        session.execute(sa.delete(table).where(col(table.practice_id) == practice_id))
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
    return create_record(_PRACTICE, session, practice_in, user_id)


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
    return update_record(
        _PRACTICE, session, practice_id, practice_in, user_id, action, correction_id
    )


def set_practice_workflow(
    *,
    session: Session,
    practice_id: int,
    workflow: v.Workflow,
    user_id: int | None = None,
    reason: str = "",
) -> None:
    """Move a practice through the workflow (publishing stamps published_at), with a revision."""
    set_workflow(_PRACTICE, session, practice_id, workflow, user_id, reason)


def practice_history(*, session: Session, practice_id: int) -> list[Revision]:
    """Every revision of a practice, oldest first (detached copies)."""
    return record_history(session=session, record_type=v.RecordType.practice, record_id=practice_id)


def practice_links(session: Session, ids: list[int]) -> dict[str, dict[int, list[str]]]:
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
        .order_by(col(Theme.sort_order))
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
        query = query.where(PUBLISHED)
    found = session.exec(query).first()
    return full_practices(session, [found])[0] if found is not None else None


def full_practices(session: Session, ids: list[int]) -> list[PracticePublic]:
    """Practices in full, in the order of `ids`, fetched in batches."""
    out: list[PracticePublic] = []
    for start in range(0, len(ids), 500):
        activity.give_way()  # in the warm-up: a visitor's page first
        batch = ids[start : start + 500]
        rows = session.exec(
            select(Practice, Country.name_en).join(Country).where(col(Practice.id).in_(batch))
        ).all()
        by_id = {p.id: (p, name) for p, name in rows}
        links = practice_links(session, batch)
        translations = stored_translations(session, v.RecordType.practice, batch)
        for practice_id in batch:
            practice, country_name = by_id[practice_id]
            data = practice.model_dump()
            data["body"] = {key: data[key] for key, _ in v.BODY_SECTIONS if data[key]}
            data["country_name"] = country_name
            data["translations"] = {
                tag: PracticeTranslationIn.from_fields(texts, stored=True)
                for tag, texts in translations.get(practice_id, {}).items()
            }
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
    query = sa.select(*SUMMARY_COLUMNS).join(Country)
    if published_only:
        query = query.where(PUBLISHED)
    if country:
        query = query.where(col(Practice.country_code) == country.upper())
    query = query.order_by(
        col(Practice.published_at).desc(),
        col(Practice.start_year).desc().nulls_last(),
        col(Practice.id).desc(),
    )
    return summary_rows(session, query.limit(limit).offset(offset))


def practice_snapshot(*, session: Session, practice_id: int) -> dict[str, Any]:
    """A practice as plain JSON values (columns and links): what a revision stores."""
    practice = session.get(Practice, practice_id)
    if practice is None:
        return {}
    data = practice.model_dump(mode="json", exclude=PRIVATE_FIELDS)
    for name, by_id in practice_links(session, [practice_id]).items():
        data[name] = by_id.get(practice_id, [])
    data["translations"] = stored_translations(session, v.RecordType.practice, [practice_id]).get(
        practice_id, {}
    )
    return data


def count_practices_by_country(*, session: Session, published_only: bool = True) -> dict[str, int]:
    query = select(Practice.country_code, func.count()).group_by(Practice.country_code)
    if published_only:
        query = query.where(PUBLISHED)
    return dict(session.exec(query).all())


def count_practices_by_theme(*, session: Session, published_only: bool = True) -> dict[str, int]:
    query = (
        select(PracticeTheme.theme_slug, func.count())
        .join(Practice, col(Practice.id) == PracticeTheme.practice_id)
        .group_by(PracticeTheme.theme_slug)
    )
    if published_only:
        query = query.where(PUBLISHED)
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
        query = query.where(PUBLISHED)
    return [(code, slug, n) for code, slug, n in session.exec(query).all()]


SUMMARY_COLUMNS = (
    col(Practice.id),
    col(Practice.title),
    col(Practice.summary),
    col(Practice.country_code),
    col(Country.name_en),
    col(Practice.stage),
    col(Practice.start_year),
    col(Practice.is_sample),
    col(Practice.end_date),
    col(Practice.ongoing),
    col(Practice.original_language),
)
# What a list row shows of a translation.
SUMMARY_TRANSLATED = ("title", "summary")


def summary_rows(session: Session, query: sa.Select[*tuple[Any, ...]]) -> list[PracticeSummary]:
    """List rows for a query selecting SUMMARY_COLUMNS (only these columns are read)."""
    rows = session.execute(query).all()
    ids = [row[0] for row in rows]
    themes = practice_links(session, ids)["themes"]
    translated = stored_translations(session, v.RecordType.practice, ids, SUMMARY_TRANSLATED)
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
            original_language=row[10],
            translations=translated.get(row[0], {}),
        )
        for row in rows
    ]


def summaries_by_id(session: Session, ids: list[int]) -> list[PracticeSummary]:
    """List rows of the given practices, in the order of `ids`."""
    if not ids:
        return []
    query = sa.select(*SUMMARY_COLUMNS).join(Country).where(col(Practice.id).in_(ids))
    by_id = {row.id: row for row in summary_rows(session, query)}
    return [by_id[i] for i in ids if i in by_id]


def similar_practices(
    *, session: Session, practice_id: int, limit: int = 5
) -> list[PracticeSummary]:
    """Published practices from other countries sharing its themes: most shared themes first,
    then shared OGP values, then the newest."""
    practice = session.get(Practice, practice_id)
    if practice is None:
        return []
    # Counted per practice from the (theme, practice) and (value, practice) indexes, once
    # each: counting in a subquery per published practice took 1.4 s at 100,000 practices.
    mine = select(PracticeTheme.theme_slug).where(PracticeTheme.practice_id == practice_id)
    my_values = select(PracticeValue.value).where(PracticeValue.practice_id == practice_id)
    themes = (
        sa.select(col(PracticeTheme.practice_id).label("id"), func.count().label("shared"))
        .where(col(PracticeTheme.theme_slug).in_(mine))
        .group_by(col(PracticeTheme.practice_id))
        .subquery()
    )
    values = (
        sa.select(col(PracticeValue.practice_id).label("id"), func.count().label("shared"))
        .where(col(PracticeValue.value).in_(my_values))
        .group_by(col(PracticeValue.practice_id))
        .subquery()
    )
    query = (
        sa.select(*SUMMARY_COLUMNS)
        .select_from(themes)
        .join(Practice, col(Practice.id) == themes.c.id)
        .join(Country, col(Country.code) == Practice.country_code)
        .outerjoin(values, values.c.id == themes.c.id)
        .where(PUBLISHED, col(Practice.country_code) != practice.country_code)
        .order_by(
            themes.c.shared.desc(),
            func.coalesce(values.c.shared, 0).desc(),
            col(Practice.published_at).desc().nulls_last(),
            col(Practice.id).desc(),
        )
        .limit(limit)
    )
    return summary_rows(session, query)


@dataclass(frozen=True)
class Adaptation:
    """A published practice adapted from another published practice."""

    adapted_id: int
    origin_id: int
    adapted_country: str
    origin_country: str
    published_at: dt.datetime | None  # the adaptation's


def published_adaptations(session: Session) -> list[Adaptation]:
    """Every adaptation between two published practices, by the adaptation's id. Read in two
    steps: the few practices with an origin first (from their index alone), then those and
    their origins by id. As one join, SQLite started from every published practice instead
    (0.5 s at 100,000; its planner cannot tell how few have an origin)."""
    links = {
        int(pid): int(origin)
        for pid, origin in session.execute(
            sa.select(col(Practice.id), col(Practice.adapted_from_id)).where(
                col(Practice.adapted_from_id).is_not(None)
            )
        ).all()
    }
    wanted = sorted(set(links) | set(links.values()))
    rows: dict[int, tuple[str, str, dt.datetime | None]] = {}
    for start in range(0, len(wanted), 500):
        for pid, workflow, country, published_at in session.execute(
            sa.select(
                col(Practice.id),
                col(Practice.workflow),
                col(Practice.country_code),
                col(Practice.published_at),
            ).where(col(Practice.id).in_(wanted[start : start + 500]))
        ).all():
            rows[int(pid)] = (workflow, country, published_at)
    published = v.Workflow.published
    return [
        Adaptation(pid, origin, rows[pid][1], rows[origin][1], rows[pid][2])
        for pid, origin in sorted(links.items())
        if pid in rows
        and origin in rows
        and rows[pid][0] == published
        and rows[origin][0] == published
    ]


def adaptation_pairs(
    *, session: Session, country: str
) -> tuple[
    list[tuple[PracticeSummary, PracticeSummary]], list[tuple[PracticeSummary, PracticeSummary]]
]:
    """Where a country learned from and whom it taught: (origin, adaptation) pairs of published
    practices across borders, as (learned, taught)."""
    pairs = [
        (a.adapted_id, a.origin_id)
        for a in published_adaptations(session)
        if a.adapted_country != a.origin_country
        and country in (a.adapted_country, a.origin_country)
    ]
    summaries = {s.id: s for s in summaries_by_id(session, sorted({i for p in pairs for i in p}))}
    learned: list[tuple[PracticeSummary, PracticeSummary]] = []
    taught: list[tuple[PracticeSummary, PracticeSummary]] = []
    for adapted_id, origin_id in pairs:
        pair = (summaries[origin_id], summaries[adapted_id])
        (learned if summaries[adapted_id].country_code == country else taught).append(pair)
    return learned, taught


def origin_choices(*, session: Session) -> dict[str, str]:
    """Published practices a new one may say it was adapted from: slug -> "title (country)"."""
    rows = session.exec(
        select(Practice.slug, Practice.title, Country.code, Country.name_en)
        .join(Country)
        .where(PUBLISHED)
        .order_by(col(Country.sort_order), col(Practice.title))
    ).all()
    return {slug: f"{title} ({i18n.country_name(code, name)})" for slug, title, code, name in rows}


def adaptations(*, session: Session, practice_id: int) -> list[PracticeSummary]:
    """Published practices that say they were adapted from this one."""
    query = (
        sa.select(*SUMMARY_COLUMNS)
        .join(Country)
        .where(PUBLISHED, col(Practice.adapted_from_id) == practice_id)
        .order_by(col(Practice.id))
    )
    return summary_rows(session, query)


_PRACTICE = Versioned(
    Practice,
    v.RecordType.practice,
    _practice_columns,
    _set_links,
    lambda session, record_id: practice_snapshot(session=session, practice_id=record_id),
)


def published_practices(*, session: Session) -> list[PracticePublic]:
    """Every published practice in full (what matching compares a challenge with)."""
    ids = list(session.exec(select(Practice.id).where(PUBLISHED).order_by(col(Practice.id))).all())
    return full_practices(session, [i for i in ids if i is not None])


def list_published_titles(*, session: Session, limit: int = 5000) -> list[tuple[int, str, str]]:
    """(id, title, country code) of published practices by title: the compare page's picker."""
    query = (
        select(Practice.id, Practice.title, Practice.country_code)
        .where(PUBLISHED)
        .order_by(func.lower(Practice.title), col(Practice.id))
        .limit(limit)
    )
    return [(pid, title, code) for pid, title, code in session.exec(query).all() if pid is not None]
