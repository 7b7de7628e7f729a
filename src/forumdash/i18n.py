"""The app's languages: which exist, which one a visitor reads, and everything said in it.

Eight interface languages (issue 12): English (the messages' source), Albanian, Macedonian,
Serbian in Cyrillic (`sr`) and in Latin script (`sr-Latn`), Bosnian, Croatian and Montenegrin
(`cnr`: CLDR has no data of its own, so its dates and numbers are `sr_Latn_ME`'s; its catalog is
its own). Messages are gettext's: `_()` translates, `ngettext()` chooses a plural form by the
language's CLDR rules, `N_()` marks a constant for extraction to be translated where it is shown.
Dates, numbers, country and language names come from CLDR through Babel.

The language is per visitor: the frame (forumdash.ui.lang) sets it at the start of each run of a
page with `use()`; it lives in a context variable, so the script thread of one session never sees
another's. Domain code that words a message for a person calls `_()` too; the CLI stays English.

Catalogs are the `.po` files under `locales/`, compiled in memory on first use (catalogs.py
extracts, updates and checks them; `sr_Latn` is made from `sr` by transliteration).
"""

import datetime as dt
import gettext as _gettext
import io
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).parent / "locales"
DOMAIN = "forumdash"


@dataclass(frozen=True)
class Language:
    """An interface language: `tag` is what ?lang= and the cookie carry (BCP 47), `cldr` the
    Babel locale of its dates, numbers and names, `catalog` its directory under locales/."""

    tag: str
    cldr: str
    catalog: str
    name: str  # the language named in itself, as the language menu shows it
    english: str
    names_from: str = ""  # CLDR locale of country names, where not `cldr`'s

    @property
    def names_locale(self) -> str:
        return self.names_from or self.cldr


LANGUAGES: tuple[Language, ...] = (
    Language("en", "en", "en", "English", "English"),
    Language("sq", "sq", "sq", "Shqip", "Albanian"),
    Language("mk", "mk", "mk", "Македонски", "Macedonian"),
    Language("sr", "sr", "sr", "Српски", "Serbian (Cyrillic)"),
    Language("sr-Latn", "sr_Latn", "sr_Latn", "Srpski (latinica)", "Serbian (Latin)"),
    Language("bs", "bs", "bs", "Bosanski", "Bosnian"),
    Language("hr", "hr", "hr", "Hrvatski", "Croatian"),
    # Montenegrin writes ijekavian: country names are Bosnian's CLDR names (Sjeverna Makedonija),
    # not sr_Latn_ME's ekavian ones (Severna Makedonija).
    Language("cnr", "sr_Latn_ME", "cnr", "Crnogorski", "Montenegrin", names_from="bs"),
)
DEFAULT = "en"
TAGS: tuple[str, ...] = tuple(language.tag for language in LANGUAGES)
_BY_KEY = {language.tag.lower(): language for language in LANGUAGES}

_current: ContextVar[str | None] = ContextVar("forumdash_language", default=None)
# Where the language is found when this thread has not been told (`use`): the UI registers the
# visitor's session here, so a callback or a fragment, which Streamlit runs before or without
# the page's frame, still speaks the visitor's language.
_fallback: Callable[[], str | None] | None = None


def set_fallback(find: Callable[[], str | None] | None) -> None:
    """Register where to find the language of a thread that was not told one."""
    global _fallback
    _fallback = find


def _tag() -> str:
    tag = _current.get()
    if tag is None and _fallback is not None:
        tag = _fallback()
    return tag or DEFAULT


def get(tag: str) -> Language:
    """The language of a tag from TAGS (anything else: English)."""
    return _BY_KEY.get(tag.lower(), _BY_KEY[DEFAULT])


def current() -> Language:
    """The language of the run in progress."""
    return get(_tag())


def use(tag: str) -> None:
    """Speak `tag` (one of TAGS) from here on in this thread or task."""
    _current.set(get(tag).tag)


@contextmanager
def language(tag: str) -> Iterator[Language]:
    """Speak `tag` inside the block only (exports, tests)."""
    token = _current.set(get(tag).tag)
    try:
        yield current()
    finally:
        _current.reset(token)


# ---------------------------------------------------------------------------------------------
# Choosing a language


def parse_tag(raw: object) -> str | None:
    """The language a `?lang=` value or cookie names exactly (case and `_`/`-` aside), else None:
    'sq', 'SR-latn', 'sr_Latn' -> a tag of TAGS; 'xx', '', None -> None."""
    if not isinstance(raw, str) or len(raw) > 20:
        return None
    language = _BY_KEY.get(raw.strip().replace("_", "-").lower())
    return language.tag if language else None


# Subtags of languages the forum's people may announce, mapped to ours with scripts in mind:
# Serbian without a script is Cyrillic (CLDR's default), Serbo-Croatian (`sh`) and Serbian in
# Montenegro are Latin, Montenegrin is `cnr` in either script.
_ALIASES = {"sh": "sr-Latn", "sr-me": "sr-Latn", "sr-cyrl-me": "sr", "cnr": "cnr", "me": "cnr"}


def negotiate(preferred: Iterable[str]) -> str:
    """The first of a browser's languages (most wanted first) that the app speaks, else English.

    'sr-Latn-RS' -> 'sr-Latn', 'sr-RS' and 'sr-Cyrl-BA' -> 'sr', 'sh' -> 'sr-Latn', 'cnr-ME' ->
    'cnr', 'sq-XK' -> 'sq', 'en-GB' -> 'en', 'de' -> none of them (the next one, or English).
    """
    for raw in preferred:
        parts = [part.lower() for part in raw.strip().replace("_", "-").split("-") if part]
        if not parts or not parts[0].isalpha():
            continue
        lang, script = parts[0], next((p for p in parts[1:] if len(p) == 4), "")
        region = next((p for p in parts[1:] if len(p) == 2), "")
        if lang == "sr":
            if script == "latn" or (not script and region == "me"):
                return "sr-Latn"
            return "sr"
        if lang in _ALIASES:
            return _ALIASES[lang]
        tag = parse_tag(lang)
        if tag and tag != "sr-Latn":
            return tag
    return DEFAULT


def accept_language(header: str | None) -> list[str]:
    """The tags of an Accept-Language header, most wanted first ('q=0' ones left out)."""
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate((header or "")[:1000].split(",")):
        tag, _sep, params = item.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _eq, value = param.strip().partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag.strip() and tag.strip() != "*" and quality > 0:
            ranked.append((-quality, position, tag.strip()))
    return [tag for _q, _p, tag in sorted(ranked)]


# ---------------------------------------------------------------------------------------------
# Messages


def catalog_path(language: Language) -> Path:
    return LOCALE_DIR / language.catalog / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(tag: str) -> _gettext.NullTranslations:
    """The compiled catalog of a language, read once per process (English: the messages as
    written). A missing catalog falls back to English, never fails a page."""
    language = get(tag)
    path = catalog_path(language)
    if language.tag == DEFAULT or not path.exists():
        return _gettext.NullTranslations()
    with path.open("rb") as file:
        catalog = read_po(file, locale=language.cldr, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)  # fuzzy entries are left out, as msgfmt does
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def gettext(message: str) -> str:
    """`message` in the current language (as written where no translation exists)."""
    return translations(_tag()).gettext(message)


_ = gettext


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message for the number `n`, by the current language's plural rules
    (Serbian has three: 1 пракса, 2 праксе, 5 пракси)."""
    return translations(_tag()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` translated in a context, for a short word with two meanings in English."""
    return translations(_tag()).pgettext(context, message)


def data_label(text: str) -> str:
    """A name from the data the app ships (a theme's name in data/themes.csv), in the current
    language where the catalogs have it (forumdash.catalogs extracts those names too)."""
    return gettext(text) if text else text


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional name
    """Mark a constant for extraction; it is translated with `_()` where it is shown."""
    return message


# ---------------------------------------------------------------------------------------------
# Dates, numbers and names


def format_day(date: dt.date) -> str:
    """'9 July 2013', '9 korrik 2013', '9. јул 2013.'"""
    lang = current()
    if lang.tag == DEFAULT:  # the forum's English writes the day first
        return f"{date.day} {babel_dates.format_date(date, 'MMMM', locale='en')} {date.year}"
    return babel_dates.format_date(date, "long", locale=lang.cldr)


def format_month(date: dt.date) -> str:
    """'July 2013', 'korrik 2013', 'јул 2013.'"""
    return babel_dates.format_skeleton("yMMMM", date, locale=current().cldr)


def format_quarter(date: dt.date) -> str:
    """The quarter in words by CLDR: '3rd quarter 2013', 'tremujori i tretë, 2013',
    'трећи квартал 2013.'"""
    return babel_dates.format_skeleton("yQQQQ", date, locale=current().cldr)


def format_datetime(value: dt.datetime, zone: str | None = None) -> str:
    """A moment, to the minute, as the language writes it, in the time zone `zone` (an IANA
    name, as the reader's browser gives it; UTC when unknown). Naive values are UTC."""
    local = local_time(value, zone)
    cldr = current().cldr
    # The language's date and a 24-hour clock, joined as the language joins them. (The medium
    # date-time pattern cut at its seconds lost "PM" in English and "m.d." in Albanian.)
    pattern = str(babel_dates.get_datetime_format("medium", locale=cldr))
    day = babel_dates.format_date(local.date(), "medium", locale=cldr)
    return pattern.replace("{1}", day).replace("{0}", format_clock(local))


def local_time(value: dt.datetime, zone: str | None) -> dt.datetime:
    """A moment in the reader's time zone (an IANA name such as the browser gives; UTC when
    unknown or unreadable; naive moments are UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    try:
        where: dt.tzinfo = ZoneInfo(zone) if zone else dt.UTC
    except (ZoneInfoNotFoundError, ValueError):
        where = dt.UTC
    return value.astimezone(where)


def format_clock(value: dt.datetime) -> str:
    """The time of day on a 24-hour clock as the language writes it: '14:32', '14.32'."""
    return babel_dates.format_skeleton("Hm", value, locale=current().cldr)


def format_number(value: float) -> str:
    """'1,234', '1.234', '1 234' as the language groups digits."""
    return _format_decimal(value, current().cldr)


@lru_cache(maxsize=4096)  # the same counts on every run of every page
def _format_decimal(value: float, cldr: str) -> str:
    return babel_numbers.format_decimal(value, locale=cldr)


def format_ago(moment: dt.datetime, now: dt.datetime | None = None) -> str:
    """How long ago a moment was ('3 days ago', 'para 3 ditësh'); naive moments are UTC."""
    now = now or dt.datetime.now(dt.UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.UTC)
    return format_relative(min(moment - now, dt.timedelta(seconds=-1)))


def format_relative(delta: dt.timedelta) -> str:
    """How long ago (a negative delta) or how far ahead: '3 days ago', 'para 3 ditësh'."""
    return babel_dates.format_timedelta(delta, add_direction=True, locale=current().names_locale)


@cache
def _territories(cldr: str) -> dict[str, str]:
    return dict(Locale.parse(cldr).territories)


@cache
def _languages(cldr: str) -> dict[str, str]:
    return dict(Locale.parse(cldr).languages)


def country_name(code: str, default: str) -> str:
    """A country's name in the current language from CLDR (Kosovë, Косово), else `default`
    (the forum's own English name: English shows the names the forum writes)."""
    lang = current()
    if lang.tag == DEFAULT or not code:
        return default
    return _territories(lang.names_locale).get(code.upper(), default)


def language_name(tag: str) -> str:
    """A record's language named in the current language: 'sq' -> 'Albanian', 'shqip'..."""
    own = _BY_KEY.get(tag.lower()) if tag else None
    base = tag.replace("-", "_").split("_")[0].lower() if tag else ""
    if base == "cnr":
        return gettext("Montenegrin")
    if own and own.tag == "sr-Latn":
        return gettext("Serbian (Latin)")
    name = _languages(current().cldr).get(base)
    if not name:
        return own.english if own else tag
    return name[:1].upper() + name[1:]
