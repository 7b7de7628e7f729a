"""Dates as OGP's export writes them, read without changing their meaning.

A cell can hold a day (`31/12/2014`, `2014-12-31`, `31.12.2014`, `1 July 2014`, an Excel serial
number such as `41640`), a month (`July 2014`, `June, 2014`, `07/2014`, `2014-06`), a quarter
(`Q1 2015`, `Quarter 1 2015`, `1st quarter 2015`, `I quarter of 2021`), a season (`Spring 2015`),
a year (`2013`), a state (`Ongoing`, `Underway`, `In progress`) or a placeholder (ND, NA).

Whether `1/6/2014` is the 1st of June or the 6th of January is not decided cell by cell: a file is
written one way, so `slash_order` decides it from the file's unambiguous dates (`31/12/2014`
proves day first) and every cell of the file is read that way. A cell that stays ambiguous (no
proof either way, and both readings are real dates) is not guessed.
"""

import calendar
import datetime as dt
import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass

from forumdash import vocab as v
from forumdash.i18n import _
from forumdash.partial_dates import SEASON_START_MONTHS

# Dates outside these years are typing mistakes, not commitment dates.
FIRST_YEAR, LAST_YEAR = 1990, 2100

# What OGP writes for "no value": not defined, not reviewed, not applicable, a dash.
MISSING = {
    "",
    "nd",
    "nr",
    "na",
    "n/a",
    "#n/a",
    "n.a.",
    "n.a",
    "not applicable",
    "null",
    "-",
    "–",
    "—",
}

# A state written where a date was expected: the commitment goes on, no date is known.
ONGOING = {
    "ongoing",
    "on going",
    "underway",
    "under way",
    "in progress",
    "in process",
    "continuous",
    "continuing",
    "continual",
    "permanent",
    "permanently",
    "current",
}

_MONTHS = {name.casefold(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.casefold(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_ORDINAL = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": 4}
# Northern-hemisphere meteorological seasons (every member of the forum is north of the
# equator), as partial_dates shows them: a season is stored as its first month. Winter spans two
# years, so only a winter written with both (`Winter 2015/2016`) is read.
_SEASONS = SEASON_START_MONTHS | {"fall": SEASON_START_MONTHS["autumn"]}

# Words around a year that make it approximate: the year is certain, the rest is kept as written.
_APPROXIMATE = (
    r"(?:by\s+)?(?:the\s+)?(?:end|beginning|start|middle|mid|early|late|first half|second half"
    r"|h1|h2)"
)

# Excel counts days from 1899-12-30 (its 1900 leap-year bug included); 32874 is 1990-01-01.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EXCEL_FIRST, _EXCEL_LAST = 32874, 73415


class SlashOrder(enum.Enum):
    """How a file writes numeric day-month dates such as `1/6/2014`."""

    day_first = "day first"
    month_first = "month first"


class Kind(enum.Enum):
    """What a date cell turned out to hold."""

    missing = "missing"  # empty, ND, NR, NA
    date = "date"  # a date at some precision
    approximate = "approximate"  # a year read from words around it (`end of 2016`)
    ongoing = "ongoing"  # a state: the commitment goes on
    ambiguous = "ambiguous"  # day-first and month-first readings both valid, file undecided
    unreadable = "unreadable"


@dataclass(frozen=True)
class DateCell:
    """A date cell as read: its kind, the date (the first day of a month, quarter, season or
    year) and how much of it is known; `reason` says why a cell was not read as a date."""

    kind: Kind
    date: dt.date | None = None
    precision: v.DatePrecision | None = None
    reason: str = ""


def _fold(text: str) -> str:
    return " ".join(text.replace("_", " ").split()).casefold().rstrip(".")


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _make(year: int, month: int, day: int, precision: v.DatePrecision) -> DateCell:
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return DateCell(Kind.unreadable, reason=_("not a real date"))
    if not FIRST_YEAR <= date.year <= LAST_YEAR:
        return DateCell(
            Kind.unreadable,
            reason=_("outside {first}-{last}").format(first=FIRST_YEAR, last=LAST_YEAR),
        )
    return DateCell(Kind.date, date, precision)


def _valid(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


# Numbers separated by `/`, `.` or `-`, year last: `31/12/2014`, `1.6.2014`, `12-31-14`.
_NUMERIC_DMY = re.compile(
    r"(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})(?:[ T].*)?", re.IGNORECASE
)


def slash_evidence(text: str) -> SlashOrder | None:
    """The order this cell proves (`31/12/2014`: day first), or None if it proves nothing."""
    match = _NUMERIC_DMY.fullmatch(text.strip())
    if not match:
        return None
    first, second, year = int(match.group(1)), int(match.group(3)), _year(match.group(4))
    day_first = _valid(year, second, first)
    month_first = _valid(year, first, second)
    if day_first and not month_first:
        return SlashOrder.day_first
    if month_first and not day_first:
        return SlashOrder.month_first
    return None


def slash_order(texts: Iterable[str]) -> tuple[SlashOrder | None, dict[SlashOrder, str]]:
    """The file's order, decided from its unambiguous numeric dates, and the first cell proving
    each order; None when nothing proves an order or the file proves both."""
    proof: dict[SlashOrder, str] = {}
    for text in texts:
        order = slash_evidence(text)
        if order is not None and order not in proof:
            proof[order] = text.strip()
            if len(proof) == 2:
                break
    return (next(iter(proof)) if len(proof) == 1 else None), proof


def read_date(text: str | None, order: SlashOrder | None = None) -> DateCell:
    """One date cell, read with the file's order for numeric day-month dates."""
    raw = " ".join((text or "").split())
    folded = _fold(raw)
    if folded in MISSING:
        return DateCell(Kind.missing)
    if folded.replace("-", " ") in ONGOING:
        return DateCell(Kind.ongoing)
    for reader in (_year_only, _numeric, _iso, _excel, _words, _quarter, _season, _approximate):
        cell = reader(folded, order)
        if cell is not None:
            return cell
    return DateCell(Kind.unreadable, reason=_("not a date this importer can read"))


def _numeric(text: str, order: SlashOrder | None) -> DateCell | None:
    match = _NUMERIC_DMY.fullmatch(text)
    if match:
        first, second, year = int(match.group(1)), int(match.group(3)), _year(match.group(4))
        proven = slash_evidence(text)
        if proven is None and first != second and _valid(year, first, second):
            proven = order  # both readings are dates: only the file can say which
            if proven is None:
                return DateCell(
                    Kind.ambiguous,
                    reason=_("day first or month first? The file has no date that tells"),
                )
        if proven is SlashOrder.month_first:
            first, second = second, first
        return _make(year, second, first, v.DatePrecision.day)
    # A month and a year: `07/2014`, `7.2014`, `7-2014`.
    if match := re.fullmatch(r"(\d{1,2})\s*[/.\-]\s*(\d{4})", text):
        return _make(int(match.group(2)), int(match.group(1)), 1, v.DatePrecision.month)
    return None


def _iso(text: str, order: SlashOrder | None) -> DateCell | None:
    # Year first: `2014-12-31`, `2014/12/31`, `2014.12.31`, `2014-06`, with a time after.
    match = re.fullmatch(
        r"(\d{4})\s*([/.\-])\s*(\d{1,2})(?:\s*\2\s*(\d{1,2}))?\.?(?:[ t].*)?", text
    )
    if not match:
        return None
    year, month, day = int(match.group(1)), int(match.group(3)), match.group(4)
    if day is None:
        return _make(year, month, 1, v.DatePrecision.month)
    return _make(year, month, int(day), v.DatePrecision.day)


def _excel(text: str, order: SlashOrder | None) -> DateCell | None:
    match = re.fullmatch(r"(\d{5})(?:\.0+)?", text)
    if not match:
        return None
    serial = int(match.group(1))
    if not _EXCEL_FIRST <= serial <= _EXCEL_LAST:
        return None
    return DateCell(Kind.date, _EXCEL_EPOCH + dt.timedelta(days=serial), v.DatePrecision.day)


def _words(text: str, order: SlashOrder | None) -> DateCell | None:
    # `July 2014`, `Jul. 2014`, `June, 2014`, `Jul-2014`, `2014 July`.
    if match := re.fullmatch(rf"({_MONTH})\.?\s*[,\-/]?\s*(\d{{4}})", text):
        return _make(int(match.group(2)), _MONTHS[match.group(1)], 1, v.DatePrecision.month)
    if match := re.fullmatch(rf"(\d{{4}})\s*[,\-/]?\s*({_MONTH})\.?", text):
        return _make(int(match.group(1)), _MONTHS[match.group(2)], 1, v.DatePrecision.month)
    # `1 July 2014`, `1st July, 2014`, `01-Jul-2014`, `1-Jul-14`.
    day = r"(\d{1,2})(?:st|nd|rd|th)?"
    if match := re.fullmatch(
        rf"{day}\s*[\-/ ]?\s*({_MONTH})\.?\s*[,\-/ ]?\s*(\d{{4}}|\d{{2}})", text
    ):
        month = _MONTHS[match.group(2)]
        return _make(_year(match.group(3)), month, int(match.group(1)), v.DatePrecision.day)
    # `July 1, 2014`, `July 1st 2014`.
    if match := re.fullmatch(rf"({_MONTH})\.?\s+{day},?\s+(\d{{4}})", text):
        month = _MONTHS[match.group(1)]
        return _make(int(match.group(3)), month, int(match.group(2)), v.DatePrecision.day)
    return None


def _quarter_number(word: str) -> int | None:
    word = word.rstrip(".")
    if word.isdigit():
        return int(word) if 1 <= int(word) <= 4 else None
    if match := re.fullmatch(r"([1-4])(?:st|nd|rd|th)", word):
        return int(match.group(1))
    return _ROMAN.get(word) or _ORDINAL.get(word)


def _quarter(text: str, order: SlashOrder | None) -> DateCell | None:
    number = r"([1-4](?:st|nd|rd|th)?|iv|iii|ii|i|first|second|third|fourth|last)"
    year = r"(\d{4})"
    patterns = (
        # `Q1 2015`, `Q1-2015`, `Q1/2015`, `Q I 2015`
        (rf"q\s*{number}\s*[,\-/]?\s*(?:of\s+)?{year}", 1, 2),
        # `2015 Q1`, `2015-Q1`
        (rf"{year}\s*[,\-/]?\s*q\s*{number}", 2, 1),
        # `Quarter 1 2015`, `Quarter 1 of 2015`, `Quarter I, 2015`
        (rf"quarter\s+{number}\s*[,\-/]?\s*(?:of\s+)?{year}", 1, 2),
        # `1st quarter 2015`, `I quarter of 2021`, `first quarter of 2015`, `IV quarter, 2016`
        (rf"(?:the\s+)?{number}\s+quarter\s*[,\-/]?\s*(?:of\s+)?{year}", 1, 2),
        # `2015, 1st quarter`
        (rf"{year}\s*[,\-/]?\s*{number}\s+quarter", 2, 1),
    )
    for pattern, q, y in patterns:
        if match := re.fullmatch(pattern, text):
            quarter = _quarter_number(match.group(q))
            if quarter is None:
                return None
            return _make(int(match.group(y)), 3 * quarter - 2, 1, v.DatePrecision.quarter)
    return None


def _season(text: str, order: SlashOrder | None) -> DateCell | None:
    if match := re.fullmatch(r"(spring|summer|autumn|fall)\s*[,\-]?\s*(?:of\s+)?(\d{4})", text):
        return _make(int(match.group(2)), _SEASONS[match.group(1)], 1, v.DatePrecision.season)
    if match := re.fullmatch(r"winter\s*[,\-]?\s*(?:of\s+)?(\d{4})\s*[/\-]\s*(\d{4}|\d{2})", text):
        first, second = int(match.group(1)), _year(match.group(2))
        if second % 100 == (first + 1) % 100:
            return _make(first, _SEASONS["winter"], 1, v.DatePrecision.season)
    if re.fullmatch(r"winter\s*[,\-]?\s*(?:of\s+)?\d{4}", text):
        return DateCell(
            Kind.ambiguous,
            reason=_("a winter spans two years: write it as `Winter 2015/2016`"),
        )
    return None


def _year_only(text: str, order: SlashOrder | None) -> DateCell | None:
    if match := re.fullmatch(r"(?:year\s+)?(\d{4})(?:\.0+)?", text):
        return _make(int(match.group(1)), 1, 1, v.DatePrecision.year)
    return None


def _approximate(text: str, order: SlashOrder | None) -> DateCell | None:
    # `end of 2016`, `mid-2015`, `early 2015`, `H1 2015`, `first half of 2015`: the year is
    # known, the part of it is not a precision the database has.
    if match := re.fullmatch(
        rf"{_APPROXIMATE}\s*[\-,]?\s*(?:of\s+)?(?:the\s+)?(?:year\s+)?(\d{{4}})", text
    ):
        cell = _make(int(match.group(1)), 1, 1, v.DatePrecision.year)
        if cell.kind is Kind.date:
            return DateCell(
                Kind.approximate,
                cell.date,
                cell.precision,
                reason=_("read as the year {year}; the rest is kept as written").format(
                    year=match.group(1)
                ),
            )
        return cell
    return None
