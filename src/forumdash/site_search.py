"""The one search box of every page (/search?q=): practices, challenges and OGP commitments found
by the same words, each kind with its total and its first results.

Each kind is searched exactly as its own list searches it (the practice index of /browse, the
folded search of /challenges and /commitments), from the same URL parameter `q` read by the same
reader, so "See all 12 practices" opens a list of exactly those 12. Only what is public is read:
published practices and challenges, imported commitments; never drafts or contacts.
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlmodel import Session

from forumdash import (
    challenge_filters,
    commitment_filters,
    filters,
    folded_search,
    i18n,
    repository,
)
from forumdash import search as practice_search
from forumdash.i18n import N_, _, ngettext
from forumdash.models import ChallengePublic, PracticeSummary
from forumdash.rich_text import plain_excerpt
from forumdash.translations import shown_text

T = TypeVar("T")

# How many results of each kind the search page shows before "See all".
SHOWN_PER_KIND = 5
EXCERPT_CHARS = 220
MAX_QUERY_CHARS = practice_search.MAX_QUERY_CHARS
# Searches to try on an empty page; tests check that each finds something in the seed.
EXAMPLES = ("open data", "procurement", "municipal budget", "petitions", "еКонсултације")


@dataclass(frozen=True)
class Kind:
    """A kind of record the box searches: its name, the paths of its page and its list, and the
    sentences that speak of it (whole sentences per kind, so each language words its own)."""

    name: str
    record_path: str  # the record's page, opened with ?id=
    list_path: str  # the kind's filtered list, opened with ?q=
    list_name: str  # the list's name in the menu (marked with N_, shown with _)

    def counted(self, total: int) -> str:
        """'1 practice', '12 practices', '1,204 commitments' in the reader's language."""
        n = i18n.format_number(total)
        if self.name == "practices":
            return ngettext("{n} practice", "{n} practices", total).format(n=n)
        if self.name == "challenges":
            return ngettext("{n} challenge", "{n} challenges", total).format(n=n)
        return ngettext("{n} OGP commitment", "{n} OGP commitments", total).format(n=n)

    def none_imported(self) -> str:
        """The kind has no record at all to search."""
        if self.name == "practices":
            return _("No practices have been imported yet.")
        if self.name == "challenges":
            return _("No challenges have been imported yet.")
        return _("No OGP commitments have been imported yet.")

    def none_match(self) -> str:
        """No record of the kind holds every word searched."""
        if self.name == "practices":
            return _("No practice matches all of these words.")
        if self.name == "challenges":
            return _("No challenge matches all of these words.")
        return _("No OGP commitment matches all of these words.")


PRACTICES = Kind("practices", "practice", "browse", N_("Browse practices"))
CHALLENGES = Kind("challenges", "challenges", "challenges", N_("Challenges and matches"))
COMMITMENTS = Kind("commitments", "commitment", "commitments", N_("OGP commitments"))
KINDS = (PRACTICES, CHALLENGES, COMMITMENTS)


@dataclass(frozen=True)
class Hit:
    """One record found: what a result line shows and the id its page takes."""

    record_id: str
    title: str
    country: str
    excerpt: str
    # What language the title and excerpt are in, where it is not the reader's: "Translated
    # from Albanian", "Written in Albanian" (forumdash.translations); "" otherwise.
    language_notice: str = ""


@dataclass(frozen=True)
class KindResults:
    """One kind's answer: how many records match and the first of them."""

    kind: Kind
    total: int
    hits: tuple[Hit, ...]
    none_stored: bool = False  # no record of this kind is there to search (none imported yet)


@dataclass(frozen=True)
class SiteResults:
    """The answer to one search: the words as searched and each kind's results, in KINDS order
    (no kind at all when the words search for nothing)."""

    q: str
    kinds: tuple[KindResults, ...]

    @property
    def total(self) -> int:
        """How many records of every kind match."""
        return sum(found.total for found in self.kinds)


def search_words(raw: str | None) -> str:
    """The words of the box as they go into the URL: spaces collapsed, at most the length any
    search reads."""
    return " ".join((raw or "").split())[:MAX_QUERY_CHARS]


def search_site(session: Session, q: str, *, shown: int = SHOWN_PER_KIND) -> SiteResults:
    """Practices, challenges and commitments that match `q`, each kind with its total and its
    first `shown` results; none when `q` holds no word to search for."""
    words = search_words(q)
    if not practice_search.parse_query(words):
        return SiteResults(words, ())
    return SiteResults(
        words,
        (
            _practices(session, words, shown),
            _challenges(session, words, shown),
            _commitments(session, words, shown),
        ),
    )


def _practices(session: Session, q: str, shown: int) -> KindResults:
    names = {c.code: c.name_en for c in repository.list_countries(session=session)}
    themes = repository.theme_names(session=session)
    view = filters.from_params({"q": [q]}, countries=names, themes=themes)
    total, rows = repository.search_practices(session=session, filters=view)  # by relevance
    hits = tuple(_shown_hit(row, "summary") for row in rows[:shown])
    return KindResults(PRACTICES, total, hits)


def _shown_hit(record: PracticeSummary | ChallengePublic, text_field: str) -> Hit:
    """A practice or challenge as a result line, in the reader's language where a published
    translation has it (forumdash.translations)."""
    shown = shown_text(record)
    return Hit(
        str(record.id),
        shown.title,
        i18n.country_name(record.country_code, record.country_name),
        plain_excerpt(shown.get(text_field), EXCERPT_CHARS),
        shown.notice(),
    )


def _challenges(session: Session, q: str, shown: int) -> KindResults:
    options = challenge_filters.options(session)
    chosen, _notices = challenge_filters.from_params({"q": [q]}, options)
    found = repository.list_challenges(session=session, **challenge_filters.query(chosen))
    first = _title_matches_first(
        found, lambda c: "\n".join([c.title, *(t.title for t in c.translations.values())]), q
    )[:shown]
    hits = tuple(_shown_hit(c, "description") for c in first)
    return KindResults(CHALLENGES, len(found), hits)


def _commitments(session: Session, q: str, shown: int) -> KindResults:
    names = {c.code: c.name_en for c in repository.list_countries(session=session)}
    every = repository.all_commitments(session=session)
    known = commitment_filters.known_options(every, names)
    view = commitment_filters.from_params({"q": [q]}, known)
    found = commitment_filters.matching(every, view, list(names))
    first = _title_matches_first(found, lambda c: f"{c.title}\n{c.short_title}", q)[:shown]
    hits = tuple(
        Hit(
            c.identifier,
            c.title,
            i18n.country_name(c.country_code, names.get(c.country_code, c.country_code)),
            plain_excerpt(c.text, EXCERPT_CHARS),
        )
        for c in first
    )
    return KindResults(COMMITMENTS, len(found), hits, none_stored=not every)


def _title_matches_first(records: Sequence[T], title: Callable[[T], str], q: str) -> list[T]:
    """The records whose title alone holds the words first (as practice search ranks title
    matches first), each group in the list's own order."""
    parsed = practice_search.parse_query(q)
    in_title = [folded_search.matches(title(record), parsed) for record in records]
    return [r for r, hit in zip(records, in_title, strict=True) if hit] + [
        r for r, hit in zip(records, in_title, strict=True) if not hit
    ]


# A search's words as written, for suggesting fewer: a quoted phrase stays one piece.
_PIECE = re.compile(r'"[^"]*"|\S+')


def fewer_words(q: str, *, most: int = 6) -> list[tuple[str, str]]:
    """For a search of several words, each word with the search without it: (word, search)
    pairs to offer when little or nothing was found (none for a single word, or for more than
    `most` words, where the list would not help)."""
    pieces = _PIECE.findall(search_words(q))
    if not 1 < len(pieces) <= most:
        return []
    return [
        (piece, " ".join(pieces[:i] + pieces[i + 1 :]))
        for i, piece in enumerate(pieces)
        if piece.upper() != "OR"
    ]
