"""The browse, practice, challenges and search pages' words in the visitor's language: notices
about the URL, counts, country names and dates, match reasons (worded after the matcher's
cache, so one reader's language never reaches another), the search page's kinds."""

import datetime as dt
import gettext
import io
from types import SimpleNamespace

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from sqlalchemy.engine import Engine

from forumdash import filters, i18n, matching, repository, site_search, urlparams
from forumdash.db import read_session
from forumdash.ui import practice as practice_parts
from tests.unit.test_matching import challenge, practice

# A few messages as a translator would give them (Serbian, three plural forms by CLDR).
SERBIAN = {
    "Ignored unknown country “{value}”.": "Занемарена непозната земља „{value}“.",
    "Ignored unknown sort order “{value}”.": "Занемарен непознат редослед „{value}“.",
    "Reached stage: {stage}": "Достигнута фаза: {stage}",
    "Similar wording: {words}": "Сличне речи: {words}",
}
SERBIAN_PLURALS = {
    ("{n} practice", "{n} practices"): ("{n} пракса", "{n} праксе", "{n} пракси"),
    ("… and {n} more ignored.", "… and {n} more ignored."): (
        "… и још {n} занемарена.",
        "… и још {n} занемарене.",
        "… и још {n} занемарених.",
    ),
    ("Shares {n} theme: {themes}", "Shares {n} themes: {themes}"): (
        "Дели {n} тему: {themes}",
        "Дели {n} теме: {themes}",
        "Дели {n} тема: {themes}",
    ),
}


@pytest.fixture
def serbian(monkeypatch: pytest.MonkeyPatch) -> None:
    """Serbian (Cyrillic) speaks from a small in-test catalog; other languages as shipped."""
    catalog = Catalog(locale="sr", domain=i18n.DOMAIN)
    for message, translated in SERBIAN.items():
        catalog.add(message, translated)
    for forms, translated_forms in SERBIAN_PLURALS.items():
        catalog.add(forms, translated_forms)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    compiled = gettext.GNUTranslations(buffer)
    shipped = i18n.translations

    def translations(tag: str) -> gettext.NullTranslations:
        return compiled if tag == "sr" else shipped(tag)

    monkeypatch.setattr(i18n, "translations", translations)


# --------------------------------------------------------------------------- URL notices


def test_notices_keep_their_english_words() -> None:
    reader = urlparams.Reader()
    reader.pick(["XX"], ["AL"], "country", normalise=str.upper)
    reader.pick(["nope"], ["a"], "slide", hint=" (slides: a)")
    reader.pick(["zz"], ["a"], "obstacle type")
    reader.unknown("foo")
    assert reader.result() == (
        "Ignored unknown country “XX”.",
        "Ignored unknown slide “nope” (slides: a).",
        "Ignored unknown obstacle type “zz”.",
        "Ignored unknown parameter “foo”.",
    )


def test_a_notice_is_a_whole_translated_sentence(serbian: None) -> None:
    with i18n.language("sr"):
        view = filters.from_params(
            {"country": ["XX"], "sort": ["sideways"]}, countries=["AL"], themes=[]
        )
    assert view.notices == (
        "Занемарена непозната земља „XX“.",
        "Занемарен непознат редослед „sideways“.",
    )


@pytest.mark.parametrize(
    ("extra", "expected"),
    [(1, "… и још 1 занемарена."), (3, "… и још 3 занемарене."), (7, "… и још 7 занемарених.")],
)
def test_the_count_of_further_notices_takes_serbian_plural_forms(
    serbian: None, extra: int, expected: str
) -> None:
    reader = urlparams.Reader()
    with i18n.language("sr"):
        reader.pick([f"x{i}" for i in range(urlparams.MAX_NOTICES + extra)], ["AL"], "country")
        shown = reader.result(urlparams.MAX_NOTICES)
    assert shown[-1] == expected
    assert shown[0] == "Занемарена непозната земља „x0“."


# --------------------------------------------------------------------------- the search page


@pytest.mark.parametrize(
    ("total", "expected"), [(1, "1 пракса"), (3, "3 праксе"), (5, "5 пракси"), (21, "21 пракса")]
)
def test_a_kind_is_counted_by_the_languages_plural_rules(
    serbian: None, total: int, expected: str
) -> None:
    with i18n.language("sr"):
        assert site_search.PRACTICES.counted(total) == expected
    assert site_search.PRACTICES.counted(1204) == "1,204 practices"
    assert site_search.COMMITMENTS.counted(1) == "1 OGP commitment"


def test_search_results_name_countries_in_the_readers_language(readonly_engine: Engine) -> None:
    with read_session(readonly_engine) as session, i18n.language("sq"):
        albanian = site_search.search_site(session, "open")
    with read_session(readonly_engine) as session, i18n.language("sr"):
        serbian_ = site_search.search_site(session, "open")
    countries_sq = {hit.country for kind in albanian.kinds for hit in kind.hits}
    countries_sr = {hit.country for kind in serbian_.kinds for hit in kind.hits}
    assert countries_sq and countries_sr
    assert not countries_sq & countries_sr  # no English name left in either
    assert "Kosovo" not in countries_sq | countries_sr


# --------------------------------------------------------------------------- match reasons


def test_reasons_are_worded_for_each_reader_from_one_cached_corpus(serbian: None) -> None:
    # The corpus (kept in a cache shared by every session) is built while a Serbian reader is
    # on: an English reader after them must still read English.
    with i18n.language("sr"):
        corpus = matching.Corpus(
            [practice(stage="evaluating")], theme_names={"open-data": "Open data"}
        )
        serbian_reasons = corpus.rank(challenge(), limit=1)[0].reasons
    english = corpus.rank(challenge(), limit=1)[0].reasons
    assert any(r.startswith("Reached stage: ") for r in english)
    assert any(r.startswith("Similar wording: ") for r in english)
    assert any(r.startswith("Shares 2 themes: ") for r in english)
    assert any(r.startswith("Достигнута фаза: ") for r in serbian_reasons)
    assert any(r.startswith("Сличне речи: ") for r in serbian_reasons)
    assert any(r.startswith("Дели 2 теме: ") for r in serbian_reasons)
    assert len(english) == len(serbian_reasons)


def test_how_it_works_is_english_in_english_and_translated_elsewhere() -> None:
    assert matching.how_it_works() == matching.HOW_IT_WORKS
    with i18n.language("sq"):
        albanian = matching.how_it_works()
    assert "up to" not in albanian and albanian != matching.HOW_IT_WORKS
    assert "45" in albanian  # the weights are filled in, whatever the words


# --------------------------------------------------------------------------- dates and names


def _dated(**changes: object) -> SimpleNamespace:
    fields = {"start_date": dt.date(2013, 7, 9), "start_year": 2013, "end_date": None}
    return SimpleNamespace(**(fields | {"ongoing": True} | changes))


def test_a_practices_period_is_dated_in_the_readers_language() -> None:
    assert practice_parts._period(_dated()) == "since 9 July 2013 (ongoing)"  # type: ignore[arg-type]
    with i18n.language("sq"):
        assert "9 korrik 2013" in practice_parts._period(_dated())  # type: ignore[arg-type]
    with i18n.language("sr"):
        ended = practice_parts._period(_dated(end_date=dt.date(2014, 1, 2)))  # type: ignore[arg-type]
    assert ended == "9. јул 2013. – 2. јануар 2014."


def test_a_records_language_is_named_in_the_readers_language() -> None:
    assert practice_parts.language_label("sq") == "Albanian"
    assert practice_parts.language_label("sr") == "Serbian / Montenegrin"
    with i18n.language("sq"):
        assert practice_parts.language_label("de") == "Gjermanisht"


# --------------------------------------------------------------------------- sorting by country


@pytest.mark.parametrize("tag", ["en", "sr", "sq"])
def test_sorting_by_country_follows_the_names_the_reader_reads(readonly_engine: Engine, tag):
    view = filters.PracticeFilters(sort="country", per_page=100)
    with read_session(readonly_engine) as session, i18n.language(tag):
        _total, rows = repository.search_practices(session=session, filters=view)
        names = [i18n.country_name(r.country_code, r.country_name).casefold() for r in rows]
    assert len(set(names)) > 3
    assert names == sorted(names)


def test_the_shared_browse_view_sorts_by_country_as_each_reader_reads(readonly_engine: Engine):
    """The browse view shared per records version is one per language: an English reader's
    view sorted by country never reaches a Serbian or Albanian reader (a review found the shared
    cache keyed without the language)."""
    view = filters.PracticeFilters(sort="country", per_page=100)
    orders = {}
    for tag in ("en", "sr", "sq", "en"):
        with read_session(readonly_engine) as session, i18n.language(tag):
            rows = repository.shared_browse_view(session=session, filters=view).rows
            names = [i18n.country_name(r.country_code, r.country_name).casefold() for r in rows]
        assert len(set(names)) > 3
        assert names == sorted(names), tag
        orders[tag] = [r.id for r in rows]
    assert orders["en"] != orders["sr"] or orders["en"] != orders["sq"]


def test_every_noun_the_filters_read_has_a_sentence_of_its_own() -> None:
    from forumdash import challenge_filters, commitment_filters

    nouns = [f.label for f in filters.FACETS]
    nouns += [f.label for f in challenge_filters.FILTERS]
    nouns += [f.label for f in commitment_filters.FACETS]
    nouns += ["country", "country code", "theme", "slide"]  # the display's and compare's
    assert [n for n in nouns if n.lower() not in urlparams.UNKNOWN_VALUE] == []
