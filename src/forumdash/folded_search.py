"""Search over folded words in Python, for lists small enough to filter in memory (OGP's
commitments, the challenges): the query is parsed by forumdash.search and words are folded like
its index (case, diacritics, Cyrillic), so `budzet` finds `буџет` here as in practice search."""

import functools
import re

from forumdash import search

# A word as written, in any script; each is folded on its own (search.tokens), once.
_RAW_WORD = re.compile(r"[^\W_]+")


@functools.lru_cache(maxsize=262_144)
def _fold_word(word: str) -> str:
    return " ".join(search.tokens(word))


@functools.lru_cache(maxsize=16_384)
def folded_words(document: str) -> str:
    """' word word … ' of a document, folded like search.tokens. Folding character by character
    is slow (17 s for 3,000 texts of 12,000 characters), so each distinct word is folded once
    and remembered, and a document's result is kept for the next rerun of a list."""
    folded = (_fold_word(word) for word in _RAW_WORD.findall(document))
    return " " + " ".join(word for word in folded if word) + " "


def _phrase_in(words: str, phrase: tuple[str, ...]) -> bool:
    # A single word also matches as a prefix ('budget' finds 'budgeting'), as in practice search.
    if len(phrase) == 1:
        return f" {phrase[0]}" in words
    return " " + " ".join(phrase) + " " in words


def matches(document: str, query: search.ParsedQuery) -> bool:
    """Whether a document matches a parsed search: every clause found, no excluded one."""
    if not query:
        return True
    words = folded_words(document)
    for clause in query.clauses:
        found = any(_phrase_in(words, phrase) for phrase in clause.alternatives)
        if found == clause.negated:
            return False
    return True
