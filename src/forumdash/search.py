"""Full-text search that finds every form of a word, ignores case, diacritics and script, and
gives the same answer in the same order on SQLite and PostgreSQL.

Everything about words happens here, in Python, the same for both databases:

- a text is cut into words (URLs, host names, e-mail addresses, hyphenated and slash-joined
  words into their parts; a hyphenated word is also kept whole: `e-municipality` ->
  `e`, `municipality` and `emunicipality`), each folded to one lowercase Latin form
  (`Београд`, `BEOGRAD` -> `beograd`);
- each word is stemmed in the record's language (forumdash.stemming), and the stems with their
  frequencies (title words count TITLE_WEIGHT times) are stored per practice in
  `practice_search_term`, an ordinary table with a B-tree on (token, practice): no FTS5 or
  tsvector parser is involved, so both databases hold the very same index;
- the folded words themselves are stored in order (`practice.search_title` / `search_text`,
  space-separated) so that a quoted phrase matches exactly those words, in that order;
- a query word, which has no language, matches its stems under every stemmer and, as a prefix,
  its folded form (`budget` finds `budgeting`); results are ranked by BM25 computed here from the
  stored frequencies and lengths (forumdash.repository.search).

User input never reaches either database as syntax: it is parsed here into words and phrases,
which travel as bound parameters.
"""

import functools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col, select

from forumdash import stemming
from forumdash import vocab as v
from forumdash.folding import fold
from forumdash.models import Practice, PracticeSearchTerm

_TOKEN = re.compile(r"[^\W_]+")
# Words joined by hyphens (`e-Municipality`, `COVID-19`): also indexed as one word.
_HYPHENATED = re.compile(r"[^\W_]+(?:[-\u2010\u2011][^\W_]+)+")

MAX_QUERY_CHARS = 1000
MAX_CLAUSES = 16
MAX_TOKEN_CHARS = 64
# A title word counts as often as this many words of the body (for frequency and length).
TITLE_WEIGHT = 5
# BM25's parameters (the usual ones).
BM25_K1 = 1.2
BM25_B = 0.75


def tokens(text: str) -> list[str]:
    """The words of a text after folding."""
    return [t[:MAX_TOKEN_CHARS] for t in _TOKEN.findall(fold(text))]


@functools.lru_cache(maxsize=262_144)
def _folded(word: str) -> tuple[str, ...]:
    # Folding character by character is slow; a text repeats its words, so each is folded once.
    return tuple(tokens(word))


def words(text: str | None) -> list[str]:
    """The folded words of a text in order: what phrases are matched against, and what a query
    is read as. Each word as written is folded on its own (one may fold to several)."""
    if not text:
        return []
    normal = unicodedata.normalize("NFC", text)
    return [w for raw in _TOKEN.findall(normal) for w in _folded(raw)]


# --------------------------------------------------------------------------- documents


@dataclass(frozen=True)
class IndexedText:
    """What is stored to find a practice: its words in order (title and body apart, space
    separated, with a space at each end) and its stems with weighted frequencies."""

    title_words: str
    body_words: str
    length: int  # weighted: TITLE_WEIGHT per title word, 1 per body word
    terms: dict[str, int]  # stem -> weighted frequency


@functools.lru_cache(maxsize=262_144)
def _analysed(raw: str, stemmer: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The folded words of one word as written and their stems in a text of `stemmer`'s
    language (a word in Cyrillic or with South Slavic/Albanian letters takes its own)."""
    folded = _folded(raw)
    own = stemming.stemmer_of_word(raw, stemmer)
    return folded, tuple(stemming.stem(w, own) for w in folded)


def _analyse(text: str, stemmer: str, weight: int, terms: Counter[str]) -> list[str]:
    """The folded words of a text (NFC); its stems (and those of its hyphenated compounds) are
    counted into `terms`, `weight` times each."""
    analysed = [_analysed(raw, stemmer) for raw in _TOKEN.findall(text)]
    stems = Counter(stem for _, stems in analysed for stem in stems)
    for run in _HYPHENATED.findall(text):
        compound = "".join(w for raw in _TOKEN.findall(run) for w in _folded(raw))
        if compound:
            own = stemming.stemmer_of_word(run, stemmer)
            stems[stemming.stem(compound[:MAX_TOKEN_CHARS], own)] += 1
    for stem, count in stems.items():
        terms[stem] += weight * count
    return [word for folded, _ in analysed for word in folded]


def _spaced(folded: list[str]) -> str:
    return f" {' '.join(folded)} " if folded else ""


# Between the body's parts (summary, sections, institutions): no phrase runs across it.
_PART_BREAK = " . "


@functools.lru_cache(maxsize=16)
def index_text(title: str, parts: tuple[str, ...], language: str) -> IndexedText:
    """The stored search form of a practice: title, body parts, record language. The text is
    stemmed in the language it is written in (forumdash.stemming.text_stemmer: the record's,
    unless its words clearly say otherwise). Kept for the few records being written, since
    columns and index terms are written in two steps."""
    title = unicodedata.normalize("NFC", title)
    parts = tuple(unicodedata.normalize("NFC", part) for part in parts)
    everything = (
        w for text in (title, *parts) for raw in _TOKEN.findall(text) for w in _folded(raw)
    )
    stemmer = stemming.text_stemmer(everything, stemming.stemmer_for(language))
    terms: Counter[str] = Counter()
    title_words = _analyse(title, stemmer, TITLE_WEIGHT, terms)
    body = [_analyse(part, stemmer, 1, terms) for part in parts]
    body_words = _PART_BREAK.join(" ".join(part) for part in body if part)
    return IndexedText(
        title_words=_spaced(title_words),
        body_words=f" {body_words} " if body_words else "",
        length=TITLE_WEIGHT * len(title_words) + sum(len(part) for part in body),
        terms=dict(terms),
    )


def document(title: str, parts: list[str]) -> tuple[str, str]:
    """The folded title and folded rest of a practice, as migration 0002 stored them (its
    backfill calls this; later migrations rewrite the columns)."""
    return fold(title), fold("\n".join(p for p in parts if p))


# --------------------------------------------------------------------------- queries


@dataclass(frozen=True)
class Clause:
    """One part of a query: any of its alternatives (each a phrase of words) must match, or,
    if negated, none may. `text` is the part as it was typed."""

    alternatives: tuple[tuple[str, ...], ...]
    negated: bool = False
    text: str = ""


@dataclass(frozen=True)
class ParsedQuery:
    clauses: tuple[Clause, ...]

    @property
    def positive(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if not c.negated)

    @property
    def negative(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if c.negated)

    def __bool__(self) -> bool:
        return bool(self.positive)


_PIECE = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def _alternatives(piece: str, found: list[str], quoted: bool) -> tuple[tuple[str, ...], ...]:
    """A word, or a phrase of the words a piece folds to; a hyphenated word may also be
    written as one (`e-municipality` finds `eMunicipality`)."""
    phrase = tuple(found)
    if quoted or len(phrase) == 1 or not _HYPHENATED.fullmatch(piece):
        return (phrase,)
    return (phrase, ("".join(phrase)[:MAX_TOKEN_CHARS],))


def parse_query(text: str | None) -> ParsedQuery:
    """Read a search box like a web search: words (all must match), "a phrase", OR, -excluded.

    Anything else (operators, brackets, stars, SQL) is just punctuation between words.
    A query without a word to look for parses to an empty (false) query.
    """
    text = (text or "")[:MAX_QUERY_CHARS]
    clauses: list[Clause] = []
    pending_or = False
    for match in _PIECE.finditer(text):
        minus, quoted, bare = match.groups()
        if bare is not None:
            if bare == "OR":
                pending_or = bool(clauses) and not clauses[-1].negated
                continue
            negated = bare.startswith("-") and len(bare) > 1
            piece = bare[1:] if negated else bare
            shown = piece
        else:
            negated = minus == "-"
            piece = quoted
            shown = f"“{quoted.strip()}”"
        found = words(piece)
        if not found:
            continue
        alternatives = _alternatives(piece, found, quoted=bare is None)
        if pending_or and not negated:
            last = clauses.pop()
            clauses.append(Clause(last.alternatives + alternatives, text=f"{last.text} OR {shown}"))
        else:
            clauses.append(Clause(alternatives, negated, shown))
        pending_or = False
        if len(clauses) >= MAX_CLAUSES:
            break
    return ParsedQuery(tuple(clauses))


def query_words(query: ParsedQuery) -> tuple[str, ...]:
    """Every distinct word the positive clauses look for, in the order typed (what ranks)."""
    found = (w for c in query.positive for phrase in c.alternatives for w in phrase)
    return tuple(dict.fromkeys(found))


# --------------------------------------------------------------------------- SQL

_TERM = PracticeSearchTerm


def _after_prefix(prefix: str) -> str:
    """The least string above every string that starts with `prefix` (in code point order,
    which is SQLite's BINARY and PostgreSQL's "C" collation of the token column)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def term_condition(word: str) -> ColumnElement[bool]:
    """The index terms of a query word: its stem under any stemmer, or a term starting with
    the word (a word is also a prefix)."""
    token = col(_TERM.token)
    others = [s for s in stemming.stems(word) if not s.startswith(word)]
    within = sa.and_(token >= word, token < _after_prefix(word))
    return sa.or_(token.in_(others), within) if others else within


def practices_with(word: str) -> sa.Select[int]:
    """The ids of the practices whose index holds a term of the word (any workflow)."""
    return sa.select(col(_TERM.practice_id)).where(term_condition(word))


def phrase_condition(phrase: tuple[str, ...]) -> ColumnElement[bool]:
    """The practice's title or body holds these folded words in this order."""
    pattern = f"% {' '.join(phrase)} %"  # words hold no LIKE wildcard: they are [^\W_]+
    return sa.or_(col(Practice.search_title).like(pattern), col(Practice.search_text).like(pattern))


def _alternative_condition(
    phrase: tuple[str, ...], id_column: sa.SQLColumnExpression[int | None]
) -> ColumnElement[bool]:
    if len(phrase) == 1:
        return id_column.in_(practices_with(phrase[0]))
    # The terms narrow the candidates through the index; the words in order decide.
    exact = select(col(Practice.id)).where(
        col(Practice.id).in_(practices_with(phrase[0])), phrase_condition(phrase)
    )
    return id_column.in_(exact)


def _clause_condition(
    clause: Clause, id_column: sa.SQLColumnExpression[int | None]
) -> ColumnElement[bool]:
    return sa.or_(*(_alternative_condition(p, id_column) for p in clause.alternatives))


def match_condition(
    query: ParsedQuery, id_column: sa.SQLColumnExpression[int | None]
) -> ColumnElement[bool]:
    """A WHERE condition: the practice id is among the matches of the query (the same SQL on
    both databases)."""
    positive = [_clause_condition(c, id_column) for c in query.positive]
    negative = [sa.not_(_clause_condition(c, id_column)) for c in query.negative]
    return sa.and_(*positive, *negative)


# --------------------------------------------------------------------------- ranking


@dataclass(frozen=True)
class CorpusStats:
    """What BM25 needs of the whole searchable corpus (the published practices)."""

    documents: int
    total_length: int

    @property
    def average_length(self) -> float:
        return self.total_length / self.documents if self.documents else 1.0


def bm25(
    frequency: np.ndarray, length: np.ndarray, document_frequency: int, stats: CorpusStats
) -> np.ndarray:
    """Okapi BM25 of one query word for each document holding it (with Lucene's idf, which is
    never negative)."""
    n = stats.documents
    idf = math.log(1.0 + (n - document_frequency + 0.5) / (document_frequency + 0.5))
    norm = BM25_K1 * (1.0 - BM25_B + BM25_B * length / max(stats.average_length, 1.0))
    scores: np.ndarray = idf * frequency * (BM25_K1 + 1.0) / (frequency + norm)
    return scores


def stored_terms(practice_id: int, indexed: IndexedText) -> list[dict[str, int | str]]:
    """The rows of `practice_search_term` for one practice."""
    return [
        {"token": token, "practice_id": practice_id, "frequency": n, "length": indexed.length}
        for token, n in indexed.terms.items()
    ]


# What search looks in besides the title, in this order (parts of the body).
SEARCHED_FIELDS = (
    "summary",
    *(key for key, _ in v.BODY_SECTIONS),
    "lead_institution",
    "partners",
)


def indexed_practice(
    title: str,
    fields: Mapping[str, Any],
    language: str | None,
    translations: Mapping[str, Mapping[str, str]] | None = None,
) -> IndexedText:
    """The search form of a practice from its title, its SEARCHED_FIELDS and its language, and
    of its published translations ({tag: {field: text}}), each stemmed in its own language."""
    parts = tuple(text for name in SEARCHED_FIELDS if (text := fields.get(name)))
    original = index_text(title or "", parts, language or "")
    versions = [
        index_text(
            texts.get("title", ""),
            tuple(text for name in SEARCHED_FIELDS if (text := texts.get(name))),
            tag,
        )
        for tag, texts in (translations or {}).items()
    ]
    return _with_translations(original, versions) if versions else original


def _with_translations(original: IndexedText, versions: list[IndexedText]) -> IndexedText:
    """One search form for a practice and its translations. A translation says the same thing
    in other words, so a stem weighs what it weighs in the version that uses it most, and the
    practice keeps its original's length: a translated practice ranks as itself, not as a
    document twice as long. Words stay apart per version, so no phrase runs across two."""
    terms: Counter[str] = Counter(original.terms)
    for version in versions:
        for stem, count in version.terms.items():
            terms[stem] = max(terms[stem], count)

    def joined(texts: list[str]) -> str:
        inner = _PART_BREAK.join(text.strip() for text in texts if text.strip())
        return f" {inner} " if inner else ""

    return IndexedText(
        title_words=joined([original.title_words, *(version.title_words for version in versions)]),
        body_words=joined([original.body_words, *(version.body_words for version in versions)]),
        length=original.length,
        terms=dict(terms),
    )
