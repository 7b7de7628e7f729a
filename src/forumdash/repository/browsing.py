"""The browse page's queries: facet counts, totals, pages, exports of a filtered view."""

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from forumdash import facet_index, search
from forumdash import vocab as v
from forumdash.filters import FACETS, PracticeFilters, conditions
from forumdash.models import Country, Practice, PracticePublic, PracticeSummary
from forumdash.repository.practices import full_practices, summaries_by_id


def dialect_of(session: Session) -> str:
    return session.get_bind().dialect.name


def facet_counts(*, session: Session, filters: PracticeFilters) -> dict[str, dict[str, int]]:
    """For every facet, how many practices each option would give under the other choices."""
    index = facet_index.get(session)
    matched, _ = facet_index.matched_ids(session, filters, ranked=False)
    return index.facet_counts(index.masks(filters, matched))


def facet_counts_sql(*, session: Session, filters: PracticeFilters) -> dict[str, dict[str, int]]:
    """The same counts in plain SQL, one GROUP BY a facet (the reference the index is tested
    against; a few hundred milliseconds at 100,000 practices)."""
    dialect = dialect_of(session)
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
    where = conditions(filters, dialect_of(session))
    return session.exec(select(func.count()).select_from(Practice).where(*where)).one()


def _ordered_matches(session: Session, filters: PracticeFilters) -> sa.Select[Practice, str]:
    """SELECT Practice, country name of every match, in the view's sort order."""
    dialect = dialect_of(session)
    query = select(Practice, Country.name_en).join(Country).where(*conditions(filters, dialect))
    sort = filters.effective_sort
    if sort == "relevance":
        matches = search.ranked_matches(dialect, filters.query)
        query = query.join(matches, matches.c.id == Practice.id).order_by(matches.c.rank)
    elif sort == "title":
        query = query.order_by(func.lower(Practice.title))
    elif sort == "country":
        query = query.order_by(col(Country.name_en))
    elif sort == "year":
        query = query.order_by(col(Practice.start_year).desc().nulls_last())
    else:
        query = query.order_by(col(Practice.published_at).desc().nulls_last())
    return query.order_by(col(Practice.id).desc())


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
    return counts, index.total(masks), summaries_by_id(session, ids)


def matching_practices(
    *, session: Session, filters: PracticeFilters, limit: int | None = None
) -> list[PracticePublic]:
    """Every match in full (for exports), in the view's sort order."""
    query = _ordered_matches(session, filters).with_only_columns(col(Practice.id))
    if limit is not None:
        query = query.limit(limit)
    ids = list(session.execute(query).scalars().all())
    return full_practices(session, ids)


def year_bounds(*, session: Session) -> tuple[int, int] | None:
    """The earliest and latest start year of the published practices."""
    return facet_index.get(session).year_bounds()
