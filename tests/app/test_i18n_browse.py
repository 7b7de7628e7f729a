"""The browse, practice, challenges and search pages opened in another language: country names
and counts from CLDR, and no exception (the catalogs are still empty: the words stay English)."""

import pytest

from forumdash import repository
from forumdash.db import make_engine, read_session
from tests.app.test_pages import open_page


def _kosovo_practice(url: str) -> int:
    with read_session(make_engine(url)) as session:
        rows = repository.list_practices(session=session, limit=10_000)
    return next(row.id for row in rows if row.country_code == "XK")


@pytest.mark.parametrize(("tag", "kosovo"), [("sq", "Kosovë"), ("sr", "Косово")])
def test_browse_names_countries_in_the_chosen_language(app_database, tag, kosovo):
    at = open_page("pages/browse.py", lang=tag, country="XK")
    assert not at.exception
    # A card's facts are the first line of its one Markdown element (in small type).
    captions = " ".join(c.value for c in [*at.caption, *at.markdown])
    assert kosovo in captions and "Kosovo ·" not in captions
    pills = {b.key: b for b in at.get("button_group")}
    countries = pills["browse.countries"]
    assert any(kosovo in countries.format_func(o) for o in countries.options)  # type: ignore[attr-defined]


def test_browse_in_english_keeps_the_forums_names(app_database):
    at = open_page("pages/browse.py", country="XK")
    assert not at.exception
    assert "Kosovo" in " ".join(c.value for c in [*at.caption, *at.markdown])


def test_a_practice_page_in_albanian_names_its_country_so(app_database):
    at = open_page("pages/practice.py", lang="sq", id=str(_kosovo_practice(app_database)))
    assert not at.exception
    assert any("Kosovë" in c.value for c in at.caption)


def test_the_challenges_list_in_serbian_has_cyrillic_country_names(app_database):
    at = open_page("pages/challenges.py", lang="sr")
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "Србија" in text or "Косово" in text or "Албанија" in text
    assert "Serbia ·" not in text and "Albania ·" not in text


def test_the_search_page_in_macedonian_names_countries_in_macedonian(app_database):
    at = open_page("pages/search.py", lang="mk", q="open")
    assert not at.exception
    lines = " ".join(c.value for c in at.caption)
    assert any(name in lines for name in ("Србија", "Албанија", "Косово", "Северна Македонија"))
