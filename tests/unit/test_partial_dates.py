"""Dates known in part: in words and in ISO 8601 at their precision."""

import datetime as dt

import pytest

from forumdash import partial_dates, stats
from forumdash import vocab as v

P = v.DatePrecision


@pytest.mark.parametrize(
    ("date", "precision", "words", "iso"),
    [
        (dt.date(2013, 7, 9), P.day, "9 July 2013", "2013-07-09"),
        (dt.date(2014, 6, 1), P.day, "1 June 2014", "2014-06-01"),
        (dt.date(2014, 6, 1), P.month, "June 2014", "2014-06"),
        (dt.date(2021, 1, 1), P.quarter, "Q1 2021", "2021-33"),
        (dt.date(2015, 10, 1), P.quarter, "Q4 2015", "2015-36"),
        (dt.date(2015, 3, 1), P.season, "Spring 2015", "2015-21"),
        (dt.date(2015, 6, 1), P.season, "Summer 2015", "2015-22"),
        (dt.date(2015, 9, 1), P.season, "Autumn 2015", "2015-23"),
        (dt.date(2015, 12, 1), P.season, "Winter 2015/2016", "2015-24"),
        (dt.date(2016, 1, 1), P.season, "Winter 2015/2016", "2015-24"),  # January: last winter
        (dt.date(2013, 1, 1), P.year, "2013", "2013"),
        (dt.date(2013, 7, 9), None, "9 July 2013", "2013-07-09"),  # unknown precision: a day
    ],
)
def test_a_date_at_each_precision(date, precision, words, iso):
    assert partial_dates.format_date(date, precision) == words
    assert partial_dates.iso_at_precision(date, precision) == iso


def test_milestones_keep_iso_days_and_gain_quarters():
    assert stats.format_milestone_date(dt.date(2013, 7, 9), P.day) == "2013-07-09"
    assert stats.format_milestone_date(dt.date(2021, 4, 1), P.quarter) == "Q2 2021"
