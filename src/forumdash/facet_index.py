"""An in-memory columnar index of the published practices' facet values, for instant facets.

Counting every facet under every other choice is a dozen GROUP BY queries, several through link
tables; at 100,000 practices that is hundreds of milliseconds in SQLite. Here the facet values of
all published practices live in small numpy arrays (a few bytes a practice; themes and OGP values
as bit masks), so a view's facet counts, total and page order take a few milliseconds. The
database stays the only source of truth: triggers raise `data_version.version` on every change to
practices, their themes or their values, whoever writes, and when it differs the index takes in
only the practices changed, published or gone since (versioned_cache.changes), or reloads whole
after many changes.
Full-text matching runs in forumdash.repository.search; its ids become one more mask.
"""

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from forumdash import i18n
from forumdash import vocab as v
from forumdash.filters import FACETS, Facet, PracticeFilters
from forumdash.models import Country, Practice, Theme
from forumdash.versioned_cache import (
    Key,
    Snapshot,
    VersionedCache,
    changes,
    snapshot,
    too_many,
)

_PUBLISHED = col(Practice.workflow) == v.Workflow.published
_SINGLE = [f for f in FACETS if f.column is not None]
_MULTI = [f for f in FACETS if f.link is not None]


@dataclass
class FacetIndex:
    """Facet values of the published practices, one array element per practice (by id)."""

    key: tuple[str, int]
    ids: np.ndarray  # int64, ascending
    options: dict[str, list[str]]  # facet name -> option values, by code / bit
    codes: dict[str, np.ndarray]  # single-valued facet -> int16 code (-1: no value)
    bits: dict[str, np.ndarray]  # multi-valued facet -> int64 bit mask
    start_year: np.ndarray  # int32 (-1: unknown)
    published: np.ndarray  # int64 microseconds of published_at (smallest int64: none)
    snapshot: Snapshot | None = None  # what it was loaded from
    _orders: dict[str, np.ndarray] = field(default_factory=dict)  # sort -> rank by position
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def size(self) -> int:
        return len(self.ids)

    # ----------------------------------------------------------------- masks

    def _facet_mask(self, facet: Facet, chosen: tuple[str, ...]) -> np.ndarray:
        position = {value: i for i, value in enumerate(self.options[facet.name])}
        wanted = [position[c] for c in chosen if c in position]
        if facet.name in self.codes:
            return np.isin(self.codes[facet.name], np.array(wanted, dtype=np.int16))
        mask = 0
        for bit in wanted:
            mask |= 1 << bit
        matched: np.ndarray = (self.bits[facet.name] & np.int64(mask)) != 0
        return matched

    def _year_mask(self, filters: PracticeFilters) -> np.ndarray | None:
        if filters.year_from is None and filters.year_to is None:
            return None
        mask = self.start_year >= 0
        if filters.year_from is not None:
            mask &= self.start_year >= filters.year_from
        if filters.year_to is not None:
            mask &= self.start_year <= filters.year_to
        return mask

    def _matched_mask(self, matched_ids: np.ndarray | None) -> np.ndarray | None:
        if matched_ids is None:
            return None
        positions = np.searchsorted(self.ids, matched_ids)
        inside = positions < self.size
        positions, candidates = positions[inside], matched_ids[inside]
        positions = positions[self.ids[positions] == candidates]  # published ones only
        mask = np.zeros(self.size, dtype=bool)
        mask[positions] = True
        return mask

    def masks(
        self, filters: PracticeFilters, matched_ids: np.ndarray | None
    ) -> dict[str, np.ndarray]:
        """One boolean mask per active choice: facet names, 'years' and 'search'."""
        out: dict[str, np.ndarray] = {}
        for facet in FACETS:
            if filters.choices(facet):
                out[facet.name] = self._facet_mask(facet, filters.choices(facet))
        years = self._year_mask(filters)
        if years is not None:
            out["years"] = years
        matched = self._matched_mask(matched_ids)
        if matched is not None:
            out["search"] = matched
        return out

    def _combine(self, masks: dict[str, np.ndarray], exclude: str | None = None) -> np.ndarray:
        combined = np.ones(self.size, dtype=bool)
        for name, mask in masks.items():
            if name != exclude:
                combined &= mask
        return combined

    # ----------------------------------------------------------------- answers

    def facet_counts(self, masks: dict[str, np.ndarray]) -> dict[str, dict[str, int]]:
        """For every facet, the count each option would give under the other choices."""
        everything = self._combine(masks)
        counts: dict[str, dict[str, int]] = {}
        for facet in FACETS:
            under = self._combine(masks, exclude=facet.name) if facet.name in masks else everything
            options = self.options[facet.name]
            if facet.name in self.codes:
                values = self.codes[facet.name][under]
                tally = np.bincount(values[values >= 0], minlength=len(options))
            else:
                bits = self.bits[facet.name][under]
                tally = np.array(
                    [np.count_nonzero(bits & np.int64(1 << i)) for i in range(len(options))]
                )
            counts[facet.name] = {options[i]: int(n) for i, n in enumerate(tally) if n}
        return counts

    def total(self, masks: dict[str, np.ndarray]) -> int:
        return int(np.count_nonzero(self._combine(masks)))

    def page_ids(
        self,
        masks: dict[str, np.ndarray],
        order: np.ndarray,
        offset: int,
        limit: int,
    ) -> list[int]:
        """The ids of one page of matches, by `order` (a rank per position, lower first)."""
        positions = np.flatnonzero(self._combine(masks))
        ranks = order[positions]
        end = offset + limit
        if end < len(ranks):
            nearest = np.argpartition(ranks, end)[:end]
            chosen = nearest[np.argsort(ranks[nearest], kind="stable")]
        else:
            chosen = np.argsort(ranks, kind="stable")
        return [int(i) for i in self.ids[positions[chosen[offset:end]]]]

    def order(self, name: str, compute: Callable[[], list[int]]) -> np.ndarray:
        """A rank per position for a sort order, computed once per index from ordered ids."""
        with self._lock:
            if name not in self._orders:
                ordered = self.known(np.array(compute(), dtype=np.int64))
                rank = np.full(self.size, len(ordered), dtype=np.int64)
                rank[np.searchsorted(self.ids, ordered)] = np.arange(len(ordered))
                self._orders[name] = rank
            return self._orders[name]

    def known(self, ids: np.ndarray) -> np.ndarray:
        """The ids that are in the index, in their order: on PostgreSQL a later statement can see
        a practice published after the index was loaded."""
        positions = np.searchsorted(self.ids, ids)
        inside = positions < self.size
        inside[inside] = self.ids[positions[inside]] == ids[inside]
        return ids[inside]

    def year_bounds(self) -> tuple[int, int] | None:
        known = self.start_year[self.start_year >= 0]
        return (int(known.min()), int(known.max())) if len(known) else None


# --------------------------------------------------------------------------- loading


def _fetch(session: Session, sql: str) -> list[tuple[Any, ...]]:
    """Rows of a fixed statement from the driver's cursor: plain strings, no enum conversion
    (at 100,000 practices the ORM's conversion was most of the load time)."""
    driver = session.connection().connection.driver_connection
    assert driver is not None  # a connection in use always holds its DBAPI connection
    cursor = driver.cursor()
    try:
        cursor.execute(sql)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows
    finally:
        cursor.close()


_SINGLE_COLUMNS = ", ".join(f.column.name for f in _SINGLE)
_LOAD_SQL = (
    f"SELECT id, start_year, {_SINGLE_COLUMNS}, published_at FROM practice "  # noqa: S608
    "WHERE workflow = 'published' ORDER BY id"
)
_LINK_SQL = {
    f.name: (
        f"SELECT l.practice_id, l.{f.link[1].name} FROM {f.link[0].__tablename__} l "  # noqa: S608
        "JOIN practice p ON p.id = l.practice_id WHERE p.workflow = 'published'"
    )
    for f in _MULTI
}


def _options(session: Session) -> dict[str, list[str]]:
    """Each facet's option values, by code / bit (countries and themes from their tables)."""
    options: dict[str, list[str]] = {
        "countries": list(
            session.exec(select(Country.code).order_by(col(Country.sort_order))).all()
        ),
        "themes": list(session.exec(select(Theme.slug).order_by(col(Theme.sort_order))).all()),
    }
    for facet in [*_SINGLE, *_MULTI]:
        options.setdefault(facet.name, _vocabulary(facet))
    return options


@dataclass
class _Columns:
    """The index's arrays for some published practices, in ascending id order."""

    ids: np.ndarray
    start_year: np.ndarray
    codes: dict[str, np.ndarray]
    bits: dict[str, np.ndarray]
    published: np.ndarray

    def take(self, positions: np.ndarray) -> "_Columns":
        return _Columns(
            self.ids[positions],
            self.start_year[positions],
            {name: column[positions] for name, column in self.codes.items()},
            {name: column[positions] for name, column in self.bits.items()},
            self.published[positions],
        )


def _microseconds(values: list[Any]) -> np.ndarray:
    """Timestamps (SQLite's text, PostgreSQL's aware datetimes) as int64 microseconds since
    1970 in UTC; NULL as the smallest int64."""
    plain = [
        value.astimezone(dt.UTC).replace(tzinfo=None) if isinstance(value, dt.datetime) else value
        for value in values
    ]
    return np.array(plain, dtype="datetime64[us]").astype(np.int64)


def _columns(session: Session, options: dict[str, list[str]], only: list[int] | None) -> _Columns:
    """The arrays of every published practice, or of those in `only` that are published."""
    # Ids come from the database as integers and are written as such: no text reaches SQL.
    where = "" if only is None else f" AND id IN ({', '.join(str(int(i)) for i in only)})"
    rows = _fetch(session, _LOAD_SQL.replace(" ORDER BY", where + " ORDER BY"))
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    start_year = np.fromiter(
        (r[1] if r[1] is not None else -1 for r in rows), dtype=np.int32, count=len(rows)
    )
    codes: dict[str, np.ndarray] = {}
    for column_number, facet in enumerate(_SINGLE, start=2):
        position = {value: i for i, value in enumerate(options[facet.name])}
        codes[facet.name] = np.fromiter(
            (position.get(r[column_number], -1) for r in rows), dtype=np.int16, count=len(rows)
        )
    bits: dict[str, np.ndarray] = {}
    link_where = "" if only is None else where.replace(" id IN", " p.id IN")
    for facet in _MULTI:
        flag = {value: 1 << i for i, value in enumerate(options[facet.name])}
        links = _fetch(session, _LINK_SQL[facet.name] + link_where)
        mask = np.zeros(len(ids), dtype=np.int64)
        if links:
            practice_ids = np.fromiter((r[0] for r in links), dtype=np.int64, count=len(links))
            flags = np.fromiter(
                (flag.get(r[1], 0) for r in links), dtype=np.int64, count=len(links)
            )
            positions = np.searchsorted(ids, practice_ids)
            # Skip links of practices published after the first statement (PostgreSQL).
            inside = positions < len(ids)
            inside[inside] = ids[positions[inside]] == practice_ids[inside]
            np.bitwise_or.at(mask, positions[inside], flags[inside])
        bits[facet.name] = mask
    published = _microseconds([r[-1] for r in rows])
    return _Columns(ids, start_year, codes, bits, published)


def _index(
    key: Key, options: dict[str, list[str]], columns: _Columns, taken: Snapshot
) -> FacetIndex:
    return FacetIndex(
        key=key,
        ids=columns.ids,
        options=options,
        codes=columns.codes,
        bits=columns.bits,
        start_year=columns.start_year,
        published=columns.published,
        snapshot=taken,
    )


def _load(session: Session, key: Key) -> FacetIndex:
    # The snapshot first: a practice published meanwhile is loaded now and again next time.
    taken = snapshot(session)
    options = _options(session)
    return _index(key, options, _columns(session, options, None), taken)


def _update(session: Session, key: Key, index: FacetIndex) -> FacetIndex | None:
    """The index with only the practices changed, published or gone since it was loaded; None
    when a full reload is due (a country or theme added or reordered, or many changes)."""
    options = _options(session)
    if options != index.options or index.snapshot is None:
        return None
    taken = snapshot(session)
    found = changes(session, index.snapshot, taken)
    if found is None:
        return None
    changed, removed = found
    if too_many(changed, removed, index.size):
        return None
    old = _Columns(index.ids, index.start_year, index.codes, index.bits, index.published)
    kept = old.take(np.flatnonzero(~np.isin(index.ids, np.array(sorted(changed | removed)))))
    fresh = _columns(session, options, sorted(changed)) if changed else old.take(np.zeros(0, int))
    ids = np.concatenate([kept.ids, fresh.ids])
    order = np.argsort(ids, kind="stable")
    merged = _Columns(
        ids[order],
        np.concatenate([kept.start_year, fresh.start_year])[order],
        {n: np.concatenate([kept.codes[n], fresh.codes[n]])[order] for n in kept.codes},
        {n: np.concatenate([kept.bits[n], fresh.bits[n]])[order] for n in kept.bits},
        np.concatenate([kept.published, fresh.published])[order],
    )
    return _index(key, options, merged, taken)


def _vocabulary(facet: Facet) -> list[str]:
    return facet.vocabulary.values() if facet.vocabulary else []


_INDEXES = VersionedCache(_load, _update)


def get(session: Session) -> FacetIndex:
    """The index of this database, reloaded when its data version has moved."""
    return _INDEXES.get(session)


# --------------------------------------------------------------------------- the view's answers


def sort_order(session: Session, index: FacetIndex, sort: str) -> np.ndarray:
    """Rank per position for a stored sort order (newest, title, country, year)."""
    by_sort: dict[str, list[sa.SQLColumnExpression[Any]]] = {
        "newest": [col(Practice.published_at).desc().nulls_last()],
        "title": [func.lower(Practice.title)],
        "country": [col(Country.name_en)],
        "year": [col(Practice.start_year).desc().nulls_last()],
    }
    expressions = by_sort[sort]
    if sort in _IN_MEMORY_ORDERS:
        return index.order(sort, lambda: _IN_MEMORY_ORDERS[sort](index))
    tag = i18n.current().tag
    if sort == "country" and tag != i18n.DEFAULT:
        # By the country's name as this reader reads it (Kosovë, Косово): one order per language.
        return index.order(f"country.{tag}", lambda: _by_country_name(session))

    def compute() -> list[int]:
        query = select(Practice.id).join(Country).where(_PUBLISHED)
        query = query.order_by(*expressions, col(Practice.id).desc())
        return list(session.execute(query).scalars().all())

    return index.order(sort, compute)


def _by_country_name(session: Session) -> list[int]:
    """Published practice ids by their country's name in the current language, then newest id
    first (as the SQL order by the English name does)."""
    query = select(Practice.id, Country.code, Country.name_en).join(Country).where(_PUBLISHED)
    rows = session.execute(query).all()
    names = {code: i18n.country_name(code, name).casefold() for _pid, code, name in rows}
    return [int(pid) for pid, code, _name in sorted(rows, key=lambda r: (names[r[1]], -r[0]))]


def _descending(keys: np.ndarray, unknown: np.ndarray, ids: np.ndarray) -> list[int]:
    """Ids by key descending, unknown keys last, equal keys by id descending: what SQL's
    ORDER BY key DESC NULLS LAST, id DESC gives, without a query (a new index after every
    write would otherwise pay one over all practices)."""
    by = np.lexsort((-ids, -keys, unknown))
    return [int(i) for i in ids[by]]


_IN_MEMORY_ORDERS: dict[str, Callable[[FacetIndex], list[int]]] = {
    "newest": lambda ix: _descending(ix.published, ix.published == np.iinfo(np.int64).min, ix.ids),
    "year": lambda ix: _descending(ix.start_year.astype(np.int64), ix.start_year < 0, ix.ids),
}


def relevance_order(index: FacetIndex, ids: np.ndarray, ranks: np.ndarray) -> np.ndarray:
    """Rank per position by search relevance (then newest id first), for this query only."""
    order = np.full(index.size, np.iinfo(np.int64).max, dtype=np.int64)
    keep = np.searchsorted(index.ids, ids)
    inside = keep < index.size
    keep, ids, ranks = keep[inside], ids[inside], ranks[inside]
    present = index.ids[keep] == ids
    keep, ids, ranks = keep[present], ids[present], ranks[present]
    by_relevance = np.lexsort((-ids, ranks))
    order[keep[by_relevance]] = np.arange(len(by_relevance))
    return order
