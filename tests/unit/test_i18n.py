"""forumdash.i18n: choosing a language, gettext with CLDR plurals, dates, numbers and names."""

import datetime as dt
import gettext
import io

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from forumdash import i18n, partial_dates, transliteration


@pytest.mark.parametrize(
    ("wanted", "tag"),
    [
        (["sr-Latn-RS"], "sr-Latn"),
        (["sr-latn"], "sr-Latn"),
        (["sr"], "sr"),
        (["sr-RS"], "sr"),
        (["sr-Cyrl-BA"], "sr"),
        (["sr-ME"], "sr-Latn"),
        (["sh"], "sr-Latn"),
        (["cnr"], "cnr"),
        (["cnr-ME"], "cnr"),
        (["sq-XK"], "sq"),
        (["mk-MK"], "mk"),
        (["hr-HR"], "hr"),
        (["bs-BA"], "bs"),
        (["en-GB"], "en"),
        (["de-DE", "fr", "sq"], "sq"),  # the first the app speaks
        (["de"], "en"),
        ([], "en"),
        (["", "*", "12"], "en"),
    ],
)
def test_negotiation_keeps_scripts_apart(wanted: list[str], tag: str) -> None:
    assert i18n.negotiate(wanted) == tag


def test_accept_language_is_ranked_by_quality_and_drops_refusals() -> None:
    header = "de-DE,de;q=0.9,sq;q=0.95,en;q=0,sr-Latn;q=bad"
    assert i18n.accept_language(header) == ["de-DE", "sq", "de"]
    assert i18n.negotiate(i18n.accept_language(header)) == "sq"
    assert i18n.accept_language(None) == []


@pytest.mark.parametrize(
    ("raw", "tag"),
    [("sq", "sq"), ("SR-latn", "sr-Latn"), ("sr_Latn", "sr-Latn"), (" cnr ", "cnr"), ("en", "en")],
)
def test_a_lang_parameter_names_a_language_exactly(raw: str, tag: str) -> None:
    assert i18n.parse_tag(raw) == tag


@pytest.mark.parametrize("raw", ["xx", "", "sr-Cyrl", "sq;", "<script>", None, 3, "a" * 50])
def test_anything_else_names_no_language(raw: object) -> None:
    assert i18n.parse_tag(raw) is None


def test_an_unknown_tag_speaks_english_and_the_language_is_per_block() -> None:
    assert i18n.get("xx").tag == "en"
    with i18n.language("sq") as albanian:
        assert albanian.cldr == "sq" and i18n.current().tag == "sq"
        with i18n.language("sr"):
            assert i18n.current().tag == "sr"
        assert i18n.current().tag == "sq"
    assert i18n.current().tag == "en"


def test_every_language_is_named_in_itself_and_has_cldr_formats() -> None:
    names = {language.tag: language.name for language in i18n.LANGUAGES}
    assert names["sq"] == "Shqip" and names["mk"] == "Македонски" and names["sr"] == "Српски"
    assert names["cnr"] == "Crnogorski"
    assert len(set(names.values())) == len(names)


@pytest.mark.parametrize(
    ("tag", "day", "month"),
    [
        ("en", "9 July 2013", "July 2013"),
        ("sq", "9 korrik 2013", "korrik 2013"),
        ("mk", "9 јули 2013 г.", "јули 2013 г."),
        ("sr", "9. јул 2013.", "јул 2013."),
        ("sr-Latn", "9. jul 2013.", "jul 2013."),
        ("bs", "9. juli 2013.", "juli 2013."),
        ("hr", "9. srpnja 2013.", "srpanj 2013."),
        ("cnr", "9. jul 2013.", "jul 2013."),
    ],
)
def test_dates_read_as_each_language_writes_them(tag: str, day: str, month: str) -> None:
    date = dt.date(2013, 7, 9)
    with i18n.language(tag):
        # CLDR separates "2013 г." with a narrow no-break space; a reader sees a space.
        assert i18n.format_day(date).replace("\u202f", " ") == day
        assert partial_dates.format_date(date, "month").replace("\u202f", " ") == month
        assert partial_dates.format_date(date, "year") == "2013"


def test_a_quarter_is_written_in_words_outside_english() -> None:
    date = dt.date(2021, 1, 1)
    assert partial_dates.format_date(date, "quarter") == "Q1 2021"
    with i18n.language("sq"):
        assert partial_dates.format_date(date, "quarter") == "tremujori i parë, 2021"
    with i18n.language("sr"):
        assert partial_dates.format_date(date, "quarter") == "први квартал 2021."


@pytest.mark.parametrize(
    ("tag", "kosovo", "north_macedonia"),
    [
        ("en", "Kosovo", "North Macedonia"),
        ("sq", "Kosovë", "Maqedonia e Veriut"),
        ("sr", "Косово", "Северна Македонија"),
        ("mk", "Косово", "Северна Македонија"),
        ("sr-Latn", "Kosovo", "Severna Makedonija"),
        ("hr", "Kosovo", "Sjeverna Makedonija"),
        ("cnr", "Kosovo", "Sjeverna Makedonija"),  # ijekavian, as Montenegrin writes
    ],
)
def test_country_names_come_from_cldr(tag: str, kosovo: str, north_macedonia: str) -> None:
    with i18n.language(tag):
        assert i18n.country_name("XK", "Kosovo") == kosovo
        assert i18n.country_name("MK", "North Macedonia") == north_macedonia
        assert i18n.country_name("ZZZ", "Atlantis") == "Atlantis"  # not in CLDR: as stored


def test_english_keeps_the_forums_own_country_names() -> None:
    # CLDR's English says "Bosnia & Herzegovina"; the forum writes it out.
    assert i18n.country_name("BA", "Bosnia and Herzegovina") == "Bosnia and Herzegovina"


def test_record_languages_are_named_in_the_readers_language() -> None:
    assert i18n.language_name("sq") == "Albanian"
    assert i18n.language_name("cnr") == "Montenegrin"
    with i18n.language("sq"):
        assert i18n.language_name("sq") == "Shqip"
    with i18n.language("sr"):
        assert i18n.language_name("mk") == "Македонски"


def test_numbers_and_relative_times_follow_the_language() -> None:
    assert i18n.format_number(12345) == "12,345"
    assert i18n.format_relative(dt.timedelta(days=-3)) == "3 days ago"
    with i18n.language("hr"):
        assert i18n.format_number(12345) == "12.345"
        assert i18n.format_relative(dt.timedelta(days=-3)) == "prije 3 dana"
    with i18n.language("cnr"):
        assert i18n.format_relative(dt.timedelta(days=-3)) == "prije 3 dana"


def _compiled(catalog: Catalog) -> gettext.GNUTranslations:
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def test_serbian_plurals_have_three_forms_by_cldr() -> None:
    # A catalog made the way forumdash.catalogs makes one: Babel writes CLDR's plural rule.
    catalog = Catalog(locale="sr", domain=i18n.DOMAIN)
    assert catalog.num_plurals == 3
    catalog.add(("{n} practice", "{n} practices"), ("{n} пракса", "{n} праксе", "{n} пракси"))
    translations = _compiled(catalog)
    forms = {n: translations.ngettext("{n} practice", "{n} practices", n) for n in (1, 2, 5, 21)}
    assert forms == {1: "{n} пракса", 2: "{n} праксе", 5: "{n} пракси", 21: "{n} пракса"}


def test_albanian_plurals_have_two() -> None:
    catalog = Catalog(locale="sq", domain=i18n.DOMAIN)
    catalog.add(("{n} practice", "{n} practices"), ("{n} praktikë", "{n} praktika"))
    translations = _compiled(catalog)
    assert translations.ngettext("{n} practice", "{n} practices", 1) == "{n} praktikë"
    assert translations.ngettext("{n} practice", "{n} practices", 2) == "{n} praktika"


def test_english_messages_pass_through_untouched() -> None:
    assert i18n.gettext("Browse practices") == "Browse practices"
    assert i18n.ngettext("{n} practice", "{n} practices", 1) == "{n} practice"
    assert i18n.N_("Overview") == "Overview"


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Љубав", "Ljubav"),
        ("ЉУБАВ", "LJUBAV"),
        ("ЊЕГОШ и Њива", "NJEGOŠ i Njiva"),
        ("Џеп, ЏЕП, Џ", "Džep, DŽEP, Dž"),
        ("ПЉ", "PLJ"),
        ("ђурђевдан ЋЕЛИЈА", "đurđevdan ĆELIJA"),
        ("Отворени подаци {n} **{title}**", "Otvoreni podaci {n} **{title}**"),
        ("forumdash: OGP 2024", "forumdash: OGP 2024"),
    ],
)
def test_serbian_latin_is_made_from_cyrillic(cyrillic: str, latin: str) -> None:
    assert transliteration.to_latin(cyrillic) == latin


def test_transliteration_covers_the_whole_serbian_alphabet() -> None:
    alphabet = "абвгдђежзијклљмнњопрстћуфхцчџш"
    latin = transliteration.to_latin(alphabet)
    assert not any("\u0400" <= ch <= "\u04ff" for ch in latin)
    assert latin == "abvgdđežzijklljmnnjoprstćufhcčdžš"
    assert transliteration.to_latin(alphabet.upper()) == latin.upper()


def test_a_thread_not_told_its_language_asks_the_registered_session() -> None:
    # Streamlit runs a widget's callback and a fragment's rerun without the page's frame, often
    # on a new thread: the language comes from the visitor's session the UI registered.
    import threading

    seen: list[str] = []
    i18n.set_fallback(lambda: "sq")
    try:
        worker = threading.Thread(target=lambda: seen.append(i18n.current().tag))
        worker.start()
        worker.join()
        with i18n.language("mk"):
            told = i18n.current().tag
    finally:
        i18n.set_fallback(None)
    assert seen == ["sq"] and told == "mk"
    assert i18n.current().tag == "en"


def test_how_long_ago_reads_in_the_language() -> None:
    now = dt.datetime(2026, 12, 6, 12, 0, tzinfo=dt.UTC)
    three_days = dt.datetime(2026, 12, 3, 12, 0)  # naive: UTC, as the database keeps it
    assert i18n.format_ago(three_days, now) == "3 days ago"
    with i18n.language("sq"):
        assert i18n.format_ago(three_days, now) == "3 ditë më parë"
    with i18n.language("sr"):
        assert i18n.format_ago(three_days, now) == "пре 3 дана"
    # A clock a little behind the database's never says "in 2 seconds".
    assert i18n.format_ago(now + dt.timedelta(seconds=2), now) == "1 second ago"


def test_a_moment_is_written_on_the_readers_clock():
    """Stored moments are UTC; a reader in Belgrade sees Belgrade's time, one who says no zone
    (or an unknown one) sees UTC."""
    import datetime as dt

    moment = dt.datetime(2026, 12, 7, 13, 32, tzinfo=dt.UTC)
    assert i18n.format_datetime(moment) == "Dec 7, 2026, 13:32"
    assert i18n.format_datetime(moment, "Europe/Belgrade") == "Dec 7, 2026, 14:32"
    assert i18n.format_datetime(moment, "Not/AZone") == "Dec 7, 2026, 13:32"
    with i18n.language("sq"):  # the afternoon is not lost ("1:32" alone was)
        assert i18n.format_datetime(moment, "Europe/Tirane") == "7 dhj 2026, 14:32"
    with i18n.language("sr"):
        assert i18n.format_datetime(moment, "Europe/Belgrade") == "7. 12. 2026. 14:32"
