"""The browse page's queries: facet counts, totals, pages, exports of a filtered view."""

import math
from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from forumdash import facet_index, i18n
from forumdash import vocab as v
from forumdash.filters import FACETS, PracticeFilters, conditions
from forumdash.models import Country, Practice, PracticePublic, PracticeSummary
from forumdash.repository.practices import full_practices, summaries_by_id
from forumdash.repository.search import Matches, find
from forumdash.versioned_cache import ViewCache

# Fewer full matches than this, and practices meeting most of the words follow them.
FEW_MATCHES = 10
# How many of those are shown.
ALSO_LIMIT = 10


def dialect_of(session: Session) -> str:
    return session.get_bind().dialect.name


def facet_counts(*, session: Session, filters: PracticeFilters) -> dict[str, dict[str, int]]:
    """For every facet, how many practices each option would give under the other choices."""
    index = facet_index.get(session)
    found = _find(session, filters, index)
    return index.facet_counts(index.masks(filters, found.ids if found else None))


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


def _find(
    session: Session, filters: PracticeFilters, index: facet_index.FacetIndex
) -> Matches | None:
    """The search's matches among the indexed practices (None without a search)."""
    query = filters.query
    return find(session, query, index.ids) if query else None


def _ordered_matches(session: Session, filters: PracticeFilters) -> sa.Select[Practice, str]:
    """SELECT Practice, country name of every match, in a stored sort order."""
    dialect = dialect_of(session)
    query = select(Practice, Country.name_en).join(Country).where(*conditions(filters, dialect))
    sort = filters.effective_sort
    if sort == "title":
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


@dataclass(frozen=True)
class BrowseView:
    """What the browse page shows: facet counts, the total and the page of full matches; and,
    when a search matches fewer than FEW_MATCHES, practices that meet most of its words
    (`also`) and the words (as typed) that no practice in the view holds (`not_found`)."""

    counts: dict[str, dict[str, int]]
    total: int
    rows: list[PracticeSummary]
    also: list[PracticeSummary]
    not_found: tuple[str, ...]


def browse(
    *, session: Session, filters: PracticeFilters, with_facets: bool = True
) -> tuple[dict[str, dict[str, int]], int, list[PracticeSummary]]:
    """Everything the browse page needs in one pass: facet counts, total, the page."""
    view = browse_view(session=session, filters=filters, with_facets=with_facets, fallback=False)
    return view.counts, view.total, view.rows


def browse_view(
    *,
    session: Session,
    filters: PracticeFilters,
    with_facets: bool = True,
    fallback: bool = True,
) -> BrowseView:
    """The browse page's view in one pass; with `fallback`, what follows too few matches."""
    index = facet_index.get(session)
    found = _find(session, filters, index)
    masks = index.masks(filters, found.ids if found else None)
    if filters.effective_sort == "relevance" and found is not None:
        order = facet_index.relevance_order(index, found.ids, found.ranks)
    else:
        order = facet_index.sort_order(session, index, filters.effective_sort)
    ids = index.page_ids(masks, order, filters.offset, filters.per_page)
    counts = index.facet_counts(masks) if with_facets else {}
    total = index.total(masks)
    also: list[int] = []
    not_found: tuple[str, ...] = ()
    if fallback and found is not None and total < FEW_MATCHES:
        also = _also_matching(index, filters, found)
        clauses = filters.query.positive
        not_found = tuple(
            clause.text
            for clause, ids_meeting in zip(clauses, found.clause_ids, strict=True)
            if not index.total(index.masks(filters, ids_meeting))
        )
    return BrowseView(
        counts=counts,
        total=total,
        rows=summaries_by_id(session, ids),
        also=summaries_by_id(session, also),
        not_found=not_found,
    )


def _browse_view(session: Session, filters: PracticeFilters, language: str) -> BrowseView:
    # Built in the reader's language: the sort by country follows the names as they read them
    # (Kosovë, Косово), and the warm-up that rebuilds a view after a write speaks the default.
    with i18n.language(language):
        return browse_view(session=session, filters=filters)


# The views visitors ask for (the first page of a country, a popular search), built once per
# records version for everyone: a view is some thirty summaries and its counts.
_VIEWS: ViewCache[BrowseView] = ViewCache(_browse_view, max_entries=128)


def shared_browse_view(*, session: Session, filters: PracticeFilters) -> BrowseView:
    """browse_view (with its fallback) at the session's records version, shared by every
    visitor of the same view and language: read-only."""
    return _VIEWS.get(session, filters, i18n.current().tag)


def _also_matching(
    index: facet_index.FacetIndex, filters: PracticeFilters, found: Matches
) -> list[int]:
    """Practices in the view meeting at least half of the search's clauses (but not all):
    those meeting more first, then by score, then the newest."""
    clauses = len(filters.query.positive)
    if clauses < 2:
        return []
    enough = found.partial_clauses >= math.ceil(clauses / 2)
    ids = found.partial_ids[enough]
    if not len(ids):
        return []
    by_relevance = np.lexsort((-ids, found.partial_ranks[enough], -found.partial_clauses[enough]))
    order = np.full(index.size, np.iinfo(np.int64).max, dtype=np.int64)
    at = np.searchsorted(index.ids, ids[by_relevance])
    order[at] = np.arange(len(at))
    return index.page_ids(index.masks(filters, ids), order, 0, ALSO_LIMIT)


def matching_practices(
    *, session: Session, filters: PracticeFilters, limit: int | None = None
) -> list[PracticePublic]:
    """Every match in full (for exports), in the view's sort order."""
    if filters.effective_sort == "relevance":
        # The ranking is computed in Python: the page's own order, every page of it.
        index = facet_index.get(session)
        found = _find(session, filters, index)
        assert found is not None  # sorting by relevance needs a search
        masks = index.masks(filters, found.ids)
        order = facet_index.relevance_order(index, found.ids, found.ranks)
        ids = index.page_ids(masks, order, 0, limit if limit is not None else index.size)
    else:
        query = _ordered_matches(session, filters).with_only_columns(col(Practice.id))
        if limit is not None:
            query = query.limit(limit)
        ids = list(session.execute(query).scalars().all())
    return full_practices(session, ids)


def year_bounds(*, session: Session) -> tuple[int, int] | None:
    """The earliest and latest start year of the published practices."""
    return facet_index.get(session).year_bounds()
