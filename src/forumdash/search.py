"""Full-text search that ignores case, diacritics and script (Latin, Serbian/Macedonian Cyrillic).

Text is folded in Python to one lowercase Latin form, both when a practice is written (into
`practice.search_title` / `practice.search_text`) and when a query is read. SQLite indexes the
folded columns with FTS5 (`practice_fts`, kept in sync by triggers); PostgreSQL with a generated
tsvector column and a GIN index. User input never reaches either engine as syntax: it is parsed
here into words and phrases and rendered with every token quoted.
"""

import re
import unicodedata
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

# Serbian and Macedonian Cyrillic to the Latin letters the folded form uses (after diacritics
# are stripped: č, ć -> c; š -> s; ž -> z; đ -> dj; dž -> dz).
_CYRILLIC = dict(
    pair.split("=", 1)  # "letter=latin"
    for pair in """
    а=a б=b в=v г=g д=d ђ=dj ѓ=gj е=e ж=z з=z ѕ=dz и=i ј=j к=k л=l љ=lj м=m н=n њ=nj о=o п=p
    р=r с=s т=t ћ=c ќ=kj у=u ф=f х=h ц=c ч=c џ=dz ш=s ѐ=e ѝ=i й=j ы=y э=e ю=ju я=ja ё=e ъ= ь=
    щ=sc є=je і=i ї=ji ґ=g
    """.split()
)
# Latin letters that Unicode does not decompose into a base letter and a mark.
_LATIN = {"đ": "dj", "ð": "d", "ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ı": "i"}
_FOLD = str.maketrans(_CYRILLIC | _LATIN)
_TOKEN = re.compile(r"[^\W_]+")

MAX_QUERY_CHARS = 1000
MAX_CLAUSES = 16
MAX_TOKEN_CHARS = 64


def fold(text: str | None) -> str:
    """One lowercase, diacritic-free Latin form: 'Београд' and 'Beograd' both give 'beograd'."""
    if not text:
        return ""
    lowered = unicodedata.normalize("NFC", text).lower().translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text: str) -> list[str]:
    """The words of a text after folding."""
    return [t[:MAX_TOKEN_CHARS] for t in _TOKEN.findall(fold(text))]


@dataclass(frozen=True)
class Clause:
    """One part of a query: any of its alternatives (each a phrase of words) must match, or,
    if negated, none may."""

    alternatives: tuple[tuple[str, ...], ...]
    negated: bool = False


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
            words = tokens(bare[1:] if negated else bare)
        else:
            negated = minus == "-"
            words = tokens(quoted)
        if not words:
            continue
        phrase = tuple(words)
        if pending_or and not negated:
            last = clauses.pop()
            clauses.append(Clause(last.alternatives + (phrase,)))
        else:
            clauses.append(Clause((phrase,), negated))
        pending_or = False
        if len(clauses) >= MAX_CLAUSES:
            break
    return ParsedQuery(tuple(clauses))


def _fts5_phrase(phrase: tuple[str, ...]) -> str:
    # A single word also matches as a prefix ('budget' finds 'budgeting').
    joined = " ".join(phrase)
    return f'"{joined}"*' if len(phrase) == 1 else f'"{joined}"'


def _fts5_clause(clause: Clause) -> str:
    return "(" + " OR ".join(_fts5_phrase(p) for p in clause.alternatives) + ")"


def fts5_query(query: ParsedQuery) -> str:
    """An FTS5 MATCH expression in which every token is quoted."""
    positive = " AND ".join(_fts5_clause(c) for c in query.positive)
    if query.negative:
        negative = " OR ".join(_fts5_clause(c) for c in query.negative)
        return f"({positive}) NOT ({negative})"
    return positive


def _pg_phrase(phrase: tuple[str, ...]) -> str:
    if len(phrase) == 1:
        return f"'{phrase[0]}':*"
    return "(" + " <-> ".join(f"'{word}'" for word in phrase) + ")"


def _pg_clause(clause: Clause) -> str:
    return "(" + " | ".join(_pg_phrase(p) for p in clause.alternatives) + ")"


def pg_tsquery(query: ParsedQuery) -> str:
    """A PostgreSQL to_tsquery('simple', ...) expression in which every token is quoted."""
    positive = " & ".join(_pg_clause(c) for c in query.positive)
    if query.negative:
        negative = " | ".join(_pg_clause(c) for c in query.negative)
        return f"({positive}) & !({negative})"
    return positive


_FTS = sa.table("practice_fts", sa.column("rowid"))
_PRACTICE = sa.table("practice", sa.column("id"), sa.column("search_vector"))


def ranked_matches(dialect: str, query: ParsedQuery) -> sa.Subquery:
    """A subquery (id, rank) of the practices matching the query; a lower rank is better."""
    if dialect == "sqlite":
        match = sa.literal_column("practice_fts").op("MATCH")(
            sa.bindparam("fts_query", fts5_query(query))
        )
        ranked = sa.select(
            _FTS.c.rowid.label("id"),
            sa.literal_column("bm25(practice_fts, 8.0, 1.0)").label("rank"),
        ).where(match)
    else:
        tsquery = sa.func.to_tsquery(
            sa.literal_column("'simple'::regconfig"),
            sa.bindparam("ts_query", pg_tsquery(query)),
        )
        vector = _PRACTICE.c.search_vector
        ranked = sa.select(
            _PRACTICE.c.id.label("id"), (-sa.func.ts_rank(vector, tsquery)).label("rank")
        ).where(vector.op("@@")(tsquery))
    return ranked.subquery("matches")


def match_condition(
    dialect: str, query: ParsedQuery, id_column: sa.SQLColumnExpression[int | None]
) -> ColumnElement[bool]:
    """A WHERE condition: the practice id is among the matches of the query."""
    matches = ranked_matches(dialect, query)
    return id_column.in_(sa.select(matches.c.id))


def document(title: str, parts: list[str]) -> tuple[str, str]:
    """The folded title and folded rest of a practice, as stored for the index."""
    return fold(title), fold("\n".join(p for p in parts if p))
