"""Dates known only in part (a year, a month, a quarter, a season), shown and written out no more
precisely than they are known.

A partial date is stored as its first day with a vocab.DatePrecision (models.Commitment,
models.Milestone). Seasons are the northern hemisphere's meteorological ones, the way OGP's
European members write them (forumdash.importers.ogp_dates reads them so): spring from 1 March,
summer from 1 June, autumn from 1 September, winter from 1 December of its first year (a winter's
January and February are read as that winter too).
"""

import datetime as dt

from forumdash import i18n
from forumdash import vocab as v
from forumdash.i18n import _

SEASON_START_MONTHS: dict[str, int] = {"spring": 3, "summer": 6, "autumn": 9, "winter": 12}
_SEASON_OF_MONTH = {
    month: season
    for season, first in SEASON_START_MONTHS.items()
    for month in (first, first % 12 + 1, (first + 1) % 12 + 1)
}
# ISO 8601-2 (and EDTF) write a quarter or a season as a "sub-year grouping" in the month's place:
# 21-24 for spring to winter, 33-36 for the first to the fourth quarter.
_ISO_SEASON = {"spring": 21, "summer": 22, "autumn": 23, "winter": 24}
_ISO_QUARTER_BASE = 32


def season_of(date: dt.date) -> str:
    """The season ('spring', ... 'winter') a date falls in."""
    return _SEASON_OF_MONTH[date.month]


def quarter_of(date: dt.date) -> int:
    """The quarter (1-4) a date falls in."""
    return (date.month - 1) // 3 + 1


def format_date(date: dt.date, precision: v.DatePrecision | str | None) -> str:
    """The date in words, in the current language, as precisely as it is known: '9 July 2013',
    'June 2014', 'Q1 2021', 'Spring 2015', 'Winter 2015/2016', '2013' (a missing precision is
    read as a day); '9 korrik 2013', 'јун 2014.' in Albanian and Serbian."""
    precision = v.DatePrecision(precision) if precision else v.DatePrecision.day
    if precision == v.DatePrecision.year:
        return str(date.year)
    if precision == v.DatePrecision.quarter:
        if i18n.current().tag == i18n.DEFAULT:
            return f"Q{quarter_of(date)} {date.year}"
        return i18n.format_quarter(date)
    if precision == v.DatePrecision.season:
        season, year = season_of(date), _season_year(date)
        # A winter spans two years and is written with both, as OGP's importer reads it.
        if season == "winter":
            return _("Winter {year}/{next_year}").format(year=year, next_year=year + 1)
        return _(_SEASON_NAMES[season]).format(year=year)
    if precision == v.DatePrecision.month:
        return i18n.format_month(date)
    return i18n.format_day(date)


_SEASON_NAMES = {
    "spring": i18n.N_("Spring {year}"),
    "summer": i18n.N_("Summer {year}"),
    "autumn": i18n.N_("Autumn {year}"),
}


def iso_at_precision(date: dt.date, precision: v.DatePrecision | str | None) -> str:
    """The date in ISO 8601 cut to what is known: '2014-06-01', '2014-06', '2013'; a quarter
    or a season in ISO 8601-2's sub-year form: '2021-33' (Q1 2021), '2015-21' (spring 2015)."""
    precision = v.DatePrecision(precision) if precision else v.DatePrecision.day
    if precision == v.DatePrecision.year:
        return f"{date.year:04d}"
    if precision == v.DatePrecision.quarter:
        return f"{date.year:04d}-{_ISO_QUARTER_BASE + quarter_of(date)}"
    if precision == v.DatePrecision.season:
        return f"{_season_year(date):04d}-{_ISO_SEASON[season_of(date)]}"
    if precision == v.DatePrecision.month:
        return f"{date.year:04d}-{date.month:02d}"
    return date.isoformat()


def _season_year(date: dt.date) -> int:
    # A winter is named by the year it starts in: January 2016 belongs to winter 2015.
    return date.year - 1 if date.month in (1, 2) else date.year
