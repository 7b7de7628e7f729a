"""Practice search on the database: the index terms written with every practice, and a query's
matches ranked by BM25 computed here, so that SQLite and PostgreSQL give the same practices in
the same order (forumdash.search says how words are cut, folded and stemmed).

A query word's terms are one range (plus a few stems) of `practice_search_term`'s key, read
straight from the driver's cursor: at 20,000 matches the ORM's row objects would cost more than
the search. Which clauses a practice meets and its score are then computed with numpy.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from forumdash import search
from forumdash import vocab as v
from forumdash.models import Practice, PracticeSearchTerm
from forumdash.versioned_cache import Key, VersionedCache

_EMPTY = np.zeros(0, dtype=np.int64)


def write_terms(session: Session, practice_id: int, indexed: search.IndexedText) -> None:
    """Replace a practice's index terms with those of its text as now written."""
    session.execute(
        sa.delete(PracticeSearchTerm).where(col(PracticeSearchTerm.practice_id) == practice_id)
    )
    rows = search.stored_terms(practice_id, indexed)
    if rows:
        session.execute(sa.insert(PracticeSearchTerm.__table__), rows)  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- reading


def _driver_rows(session: Session, statement: sa.Select[*tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The rows of a statement as plain tuples from the driver's cursor (parameters bound)."""
    connection = session.connection()
    compiled = statement.compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    params: Any = compiled.construct_params()
    if compiled.positional:
        params = tuple(params[name] for name in compiled.positiontup or ())
    driver = connection.connection.driver_connection
    assert driver is not None  # a connection in use always holds its DBAPI connection
    cursor = driver.cursor()
    try:
        cursor.execute(str(compiled), params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows
    finally:
        cursor.close()


def _joined(column: Any, dialect: str) -> sa.ColumnElement[str]:
    """The column's values of every row as one space-separated text: 20,000 rows come back as
    three strings that numpy parses at once, not as 20,000 tuples of Python ints."""
    if dialect == "sqlite":
        return func.group_concat(column, " ")
    return func.string_agg(sa.cast(column, sa.Text), " ")


def _numbers(joined: str | None) -> np.ndarray:
    if not joined:
        return _EMPTY
    numbers: np.ndarray = np.fromstring(joined, dtype=np.int64, sep=" ")
    return numbers


def _holds(ids: np.ndarray, among: np.ndarray) -> np.ndarray:
    """Which of the ascending ids are in the ascending array `among`."""
    if not len(among) or not len(ids):
        return np.zeros(len(ids), dtype=bool)
    at = np.minimum(np.searchsorted(among, ids), len(among) - 1)
    found: np.ndarray = among[at] == ids
    return found


@dataclass(frozen=True)
class _Postings:
    """The published practices holding a query word: ids (ascending), the word's summed
    weighted frequency in each, and each one's weighted length."""

    ids: np.ndarray
    frequency: np.ndarray
    length: np.ndarray


def _postings(session: Session, word: str, published: np.ndarray) -> _Postings:
    term = PracticeSearchTerm
    dialect = session.get_bind().dialect.name
    statement = sa.select(
        *(_joined(col(c), dialect) for c in (term.practice_id, term.frequency, term.length))
    ).where(search.term_condition(word))
    ids, frequency, length = (_numbers(x) for x in _driver_rows(session, statement)[0])
    # Rows come by (token, practice): a practice may hold several terms of the word (its stem
    # and longer words it begins), so sort by practice and sum.
    by_id = np.argsort(ids, kind="stable")
    ids, frequency, length = ids[by_id], frequency[by_id], length[by_id]
    first = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]]) if len(ids) else _EMPTY
    ids, frequency, length = ids[first], np.add.reduceat(frequency, first), length[first]
    keep = _holds(ids, published)
    return _Postings(ids[keep], frequency[keep], length[keep])


def _phrase_ids(
    session: Session, phrase: tuple[str, ...], postings: dict[str, _Postings]
) -> np.ndarray:
    """The practices holding the words of a phrase in order: candidates from the index terms of
    its rarest word, decided on the stored words."""
    rarest = min(phrase, key=lambda word: len(postings[word].ids))
    statement = sa.select(col(Practice.id)).where(
        col(Practice.id).in_(search.practices_with(rarest)), search.phrase_condition(phrase)
    )
    rows = _driver_rows(session, statement)
    ids = np.unique(np.array([r[0] for r in rows], dtype=np.int64))
    published: np.ndarray = ids[_holds(ids, postings[rarest].ids)]
    return published


def _union(sets: Iterable[np.ndarray]) -> np.ndarray:
    """The union of ascending id arrays (one alone is its own union: no copy, no sort)."""
    arrays = [a for a in sets if len(a)]
    if len(arrays) == 1:
        return arrays[0]
    union: np.ndarray = reduce(np.union1d, arrays, _EMPTY)
    return union


# --------------------------------------------------------------------------- the corpus


def _load_stats(session: Session, key: Key) -> search.CorpusStats:
    published = col(Practice.workflow) == v.Workflow.published
    documents, total = session.exec(
        select(func.count(), func.coalesce(func.sum(Practice.search_length), 0)).where(published)
    ).one()
    return search.CorpusStats(documents=int(documents), total_length=int(total))


_STATS = VersionedCache(_load_stats)


# --------------------------------------------------------------------------- matching


@dataclass(frozen=True)
class Matches:
    """A query's answer among the published practices. `ids` (ascending) meet every positive
    clause and no negative one, `ranks` order them (lower first: minus the BM25 score). Practices
    that meet only some of the positive clauses (and no negative one) are kept apart, with how
    many they meet, for when the full matches are few."""

    ids: np.ndarray
    ranks: np.ndarray
    partial_ids: np.ndarray
    partial_clauses: np.ndarray
    partial_ranks: np.ndarray
    clause_ids: tuple[np.ndarray, ...]  # per positive clause: the published practices meeting it


def find(session: Session, query: search.ParsedQuery, published: np.ndarray) -> Matches:
    """Match a parsed query against the published practices (ids ascending) and rank them."""
    words = dict.fromkeys(w for c in query.clauses for phrase in c.alternatives for w in phrase)
    postings = {word: _postings(session, word, published) for word in words}

    def clause_ids(clause: search.Clause) -> np.ndarray:
        return _union(
            postings[p[0]].ids if len(p) == 1 else _phrase_ids(session, p, postings)
            for p in clause.alternatives
        )

    positive = tuple(clause_ids(c) for c in query.positive)
    excluded = _union(clause_ids(c) for c in query.negative)
    candidates = _union(positive)
    if len(excluded):
        candidates = np.setdiff1d(candidates, excluded, assume_unique=True)

    stats = _STATS.get(session)
    score = np.zeros(len(candidates), dtype=np.float64)
    for word in search.query_words(query):
        found = postings[word]
        at = np.searchsorted(candidates, found.ids)
        inside = at < len(candidates)
        inside[inside] = candidates[at[inside]] == found.ids[inside]
        scores = search.bm25(found.frequency, found.length, len(found.ids), stats)
        score[at[inside]] += scores[inside]

    met = np.zeros(len(candidates), dtype=np.int64)
    for ids in positive:
        met += _holds(candidates, ids)
    full = met == len(positive)
    return Matches(
        ids=candidates[full],
        ranks=-score[full],
        partial_ids=candidates[~full],
        partial_clauses=met[~full],
        partial_ranks=-score[~full],
        clause_ids=positive,
    )
