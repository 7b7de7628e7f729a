"""URL parameters, read one way on every page: one table of cases over the four readers (browse,
display, compare, challenges) and the shared pieces."""

from typing import Any

import pytest

from forumdash import challenge_filters, compare, display, filters, urlparams

COUNTRIES = ["AL", "BA", "XK", "ME", "MK", "RS"]
THEMES = ["open-data", "justice", "open-budgets"]
CHALLENGE_OPTIONS = {
    "country": {code: code for code in COUNTRIES},
    "theme": {slug: slug for slug in THEMES},
    "obstacle": {"data": "Data", "funding": "Funding"},
    "status": {"open": "Open", "resolved": "Resolved"},
}


def browse(params: dict[str, Any]) -> tuple[Any, tuple[str, ...]]:
    parsed = filters.from_params(params, countries=COUNTRIES, themes=THEMES)
    return (parsed.countries, parsed.themes), parsed.notices


def show(params: dict[str, Any]) -> tuple[Any, tuple[str, ...]]:
    parsed = display.DisplayConfig.from_params(params, countries=COUNTRIES, themes=THEMES)
    return (parsed.countries, parsed.themes), parsed.notices


def side_by_side(params: dict[str, Any]) -> tuple[Any, tuple[str, ...]]:
    parsed = compare.parse_countries(params.get("country"), COUNTRIES)
    return (parsed.values, ()), parsed.notices


def challenges(params: dict[str, Any]) -> tuple[Any, tuple[str, ...]]:
    chosen, notices = challenge_filters.from_params(params, CHALLENGE_OPTIONS)
    return (tuple(chosen["country"]), tuple(chosen["theme"])), notices


READERS = {"browse": browse, "display": show, "compare": side_by_side, "challenges": challenges}
WITH_THEMES = ("browse", "display", "challenges")

# (parameters, countries picked, themes picked, words every notice list must hold)
CASES = [
    ({"country": ["mk,RS", "al"]}, ("MK", "RS", "AL"), (), []),
    ({"country": ["MK", "MK,mk"]}, ("MK",), (), []),
    ({"country": [",,", " "]}, (), (), []),
    ({"country": ["ZZ,RS"]}, ("RS",), (), ["unknown country", "“ZZ”"]),
    ({"country": ["<b>x</b>"]}, (), (), ["“<b>x</b>”"]),
    ({"country": ["A" * 500]}, (), (), ["…"]),
    ({"country": ["\u202eSR\x00"]}, (), (), ["“SR”"]),
    ({"country": "XK", "theme": "Open-Data,nope"}, ("XK",), ("open-data",), ["“nope”"]),
]


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize(("params", "countries", "themes", "words"), CASES)
def test_every_reader_reads_a_url_the_same_way(reader, params, countries, themes, words):
    if reader == "compare" and "theme" in params:
        params = {"country": params["country"]}
        themes, words = (), []
    if reader == "compare":
        countries = countries[: compare.MAX_ITEMS]
    picked, notices = READERS[reader](params)
    assert picked[0] == countries
    if reader in WITH_THEMES:
        assert picked[1] == themes
    text = " ".join(notices)
    for word in words:
        assert word in text, (reader, notices)
    assert all(len(notice) < 200 for notice in notices)
    assert not any("\x00" in notice or "\u202e" in notice for notice in notices)
    if not words:
        assert not [n for n in notices if "unknown" in n], notices


@pytest.mark.parametrize("reader", ["browse", "display"])
def test_unknown_parameters_are_named(reader):
    _, notices = READERS[reader]({"colour": "red"})
    assert notices == ("Ignored unknown parameter “colour”.",)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, []),
        ("", []),
        ("AL", ["AL"]),
        (["AL,RS", " XK "], ["AL", "RS", "XK"]),
        (("a", "b,,c"), ["a", "b", "c"]),
    ],
)
def test_values(raw, expected):
    assert urlparams.values(raw) == expected


@pytest.mark.parametrize(
    ("value", "low", "high", "expected"),
    [
        ("3", 1, 10, 3),
        (" 7 ", 1, 10, 7),
        ("0", 1, 10, None),
        ("11", 1, 10, None),
        ("-2", -5, 5, None),
        ("2.5", 1, 10, None),
        ("٣", 1, 10, None),  # an Arabic-Indic digit is not a page number
        ("9" * 40, 1, 10, None),
        ("", 1, 10, None),
    ],
)
def test_whole_number(value, low, high, expected):
    assert urlparams.whole_number(value, low, high) == expected


def test_a_flood_of_bad_values_gives_a_few_notices():
    reader = urlparams.Reader()
    reader.pick([f"x{i}" for i in range(50)], ["AL"], "country")
    shown = reader.result(urlparams.MAX_NOTICES)
    assert len(shown) == urlparams.MAX_NOTICES + 1 and shown[-1] == "… and 45 more ignored."
