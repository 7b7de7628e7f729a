"""OGP's dates as written, read at their precision without changing their meaning: a table of
cells, the per-file day/month order, and what is reported instead of guessed."""

import datetime as dt

import pytest

from forumdash import vocab as v
from forumdash.importers.ogp_dates import Kind, SlashOrder, read_date, slash_order

D, M, Q, S, Y = (
    v.DatePrecision.day,
    v.DatePrecision.month,
    v.DatePrecision.quarter,
    v.DatePrecision.season,
    v.DatePrecision.year,
)
DAY, MONTH = SlashOrder.day_first, SlashOrder.month_first


@pytest.mark.parametrize(
    ("text", "order", "date", "precision"),
    [
        # numeric day-month dates, read in the file's order
        ("31/12/2014", None, dt.date(2014, 12, 31), D),
        ("12/31/2014", None, dt.date(2014, 12, 31), D),
        ("1/6/2014", DAY, dt.date(2014, 6, 1), D),
        ("1/6/2014", MONTH, dt.date(2014, 1, 6), D),
        ("1/1/2024", None, dt.date(2024, 1, 1), D),  # both readings are the same day
        ("13/7/2015", MONTH, dt.date(2015, 7, 13), D),  # a cell's own proof wins
        ("7/1/14", MONTH, dt.date(2014, 7, 1), D),
        ("31.12.2014", None, dt.date(2014, 12, 31), D),
        ("1.6.2014", DAY, dt.date(2014, 6, 1), D),
        ("31-12-2014", None, dt.date(2014, 12, 31), D),
        ("1/6/2014 00:00:00", DAY, dt.date(2014, 6, 1), D),
        # year first
        ("2014-07-01", None, dt.date(2014, 7, 1), D),
        ("2014-07-01 00:00:00", None, dt.date(2014, 7, 1), D),
        ("2014-07-01T00:00:00", None, dt.date(2014, 7, 1), D),
        ("2014/07/01", None, dt.date(2014, 7, 1), D),
        ("2014.07.01.", None, dt.date(2014, 7, 1), D),
        # Excel serial numbers
        ("41640", None, dt.date(2014, 1, 1), D),
        ("41640.0", None, dt.date(2014, 1, 1), D),
        # days in words
        ("1 July 2014", None, dt.date(2014, 7, 1), D),
        ("1st July, 2014", None, dt.date(2014, 7, 1), D),
        ("01-Jul-2014", None, dt.date(2014, 7, 1), D),
        ("1-Jul-14", None, dt.date(2014, 7, 1), D),
        ("July 1, 2014", None, dt.date(2014, 7, 1), D),
        # months
        ("July 2014", None, dt.date(2014, 7, 1), M),
        ("july  2014", None, dt.date(2014, 7, 1), M),
        ("June, 2014", None, dt.date(2014, 6, 1), M),
        ("Sept 2018", None, dt.date(2018, 9, 1), M),
        ("Jun. 2016", None, dt.date(2016, 6, 1), M),
        ("Jul-2014", None, dt.date(2014, 7, 1), M),
        ("2014 July", None, dt.date(2014, 7, 1), M),
        ("07/2014", None, dt.date(2014, 7, 1), M),
        ("7.2014", None, dt.date(2014, 7, 1), M),
        ("2014-06", None, dt.date(2014, 6, 1), M),
        # quarters
        ("I quarter of 2021", None, dt.date(2021, 1, 1), Q),
        ("IV quarter of 2021", None, dt.date(2021, 10, 1), Q),
        ("II Quarter 2016", None, dt.date(2016, 4, 1), Q),
        ("III quarter, 2016", None, dt.date(2016, 7, 1), Q),
        ("Quarter 1 2015", None, dt.date(2015, 1, 1), Q),
        ("Quarter 3 of 2015", None, dt.date(2015, 7, 1), Q),
        ("Q1 2015", None, dt.date(2015, 1, 1), Q),
        ("q4-2015", None, dt.date(2015, 10, 1), Q),
        ("Q2/2015", None, dt.date(2015, 4, 1), Q),
        ("2015 Q3", None, dt.date(2015, 7, 1), Q),
        ("1st quarter 2015", None, dt.date(2015, 1, 1), Q),
        ("2nd Quarter of 2015", None, dt.date(2015, 4, 1), Q),
        ("first quarter of 2015", None, dt.date(2015, 1, 1), Q),
        ("the last quarter of 2016", None, dt.date(2016, 10, 1), Q),
        # seasons (northern hemisphere: the first month of the season)
        ("Spring 2015", None, dt.date(2015, 3, 1), S),
        ("summer 2015", None, dt.date(2015, 6, 1), S),
        ("Autumn 2015", None, dt.date(2015, 9, 1), S),
        ("Fall of 2015", None, dt.date(2015, 9, 1), S),
        ("Winter 2015/2016", None, dt.date(2015, 12, 1), S),
        ("Winter 2015-16", None, dt.date(2015, 12, 1), S),
        # years
        ("2013", None, dt.date(2013, 1, 1), Y),
        ("2014.0", None, dt.date(2014, 1, 1), Y),
    ],
)
def test_dates_at_their_precision(text, order, date, precision):
    cell = read_date(text, order)
    assert (cell.kind, cell.date, cell.precision) == (Kind.date, date, precision)


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("end of 2016", 2016),
        ("End 2016", 2016),
        ("by the end of 2016", 2016),
        ("mid-2015", 2015),
        ("Mid 2015", 2015),
        ("early 2015", 2015),
        ("late 2016", 2016),
        ("beginning of 2015", 2015),
        ("first half of 2015", 2015),
        ("H2 2015", 2015),
    ],
)
def test_approximate_dates_keep_only_their_year(text, year):
    cell = read_date(text)
    assert (cell.kind, cell.date, cell.precision) == (
        Kind.approximate,
        dt.date(year, 1, 1),
        Y,
    )
    assert str(year) in cell.reason


@pytest.mark.parametrize(
    "text",
    ["Underway", "Ongoing", "on-going", "ON GOING", "In progress", "In Progress.", "Continuous"],
)
def test_states_are_not_dates(text):
    assert read_date(text) == read_date("Ongoing")
    assert read_date(text).kind is Kind.ongoing and read_date(text).date is None


@pytest.mark.parametrize("text", ["", None, "NA", "ND", "NR", "N/A", "n.a.", "-", "—"])
def test_placeholders_are_missing(text):
    assert read_date(text).kind is Kind.missing


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("1/6/2014", Kind.ambiguous),  # no order known: reported, not guessed
        ("12/11/2015", Kind.ambiguous),
        ("Winter 2015", Kind.ambiguous),
        ("sometime in 2016", Kind.unreadable),
        ("2/30/2016", Kind.unreadable),
        ("31/31/2016", Kind.unreadable),
        ("Smarch 2014", Kind.unreadable),
        ("Q5 2015", Kind.unreadable),
        ("V quarter of 2015", Kind.unreadable),
        ("0", Kind.unreadable),
        ("1850", Kind.unreadable),
        ("12345", Kind.unreadable),  # an Excel serial before 1990
        ("TBD", Kind.unreadable),
    ],
)
def test_what_is_not_read(text, kind):
    cell = read_date(text)
    assert cell.kind is kind and cell.date is None and cell.reason


def test_the_file_decides_the_order():
    assert slash_order(["1/6/2014", "31/12/2014", "2014-01-01"]) == (
        DAY,
        {DAY: "31/12/2014"},
    )
    assert slash_order(["1/6/2014", "12/31/2014", "July 2014"]) == (
        MONTH,
        {MONTH: "12/31/2014"},
    )
    assert slash_order(["1/6/2014", "2/3/2015", "1/1/2016", "2013"]) == (None, {})
    order, proof = slash_order(["31/12/2014", "12/31/2014"])  # a file written both ways
    assert order is None and proof == {DAY: "31/12/2014", MONTH: "12/31/2014"}
