"""The in-memory facet index answers exactly what plain SQL answers, and follows every write."""

import pytest
from sqlmodel import select

from forumdash import repository
from forumdash import vocab as v
from forumdash.db import read_session, write_session
from forumdash.filters import PracticeFilters
from forumdash.models import Practice, PracticeTheme
from forumdash.versioned_cache import data_version

VIEWS = [
    PracticeFilters(),
    PracticeFilters(countries=("MK", "RS"), themes=("open-data",)),
    PracticeFilters(values=("civic_participation",), stages=("implementing",)),
    PracticeFilters(themes=("anti-corruption", "open-budgets"), year_from=2012),
    PracticeFilters(q="portal"),
    PracticeFilters(q="open data", countries=("AL", "XK", "GE")),
    PracticeFilters(q="nothingmatchesthis"),
    PracticeFilters(q="portal", sort="title"),
    PracticeFilters(sort="country", per_page=50),
    PracticeFilters(sort="year", page=2),
    PracticeFilters(sort="title", page=2, per_page=25),
]


@pytest.mark.parametrize("view", VIEWS, ids=lambda f: f"{f.q}|{f.countries}|{f.sort}|{f.page}")
def test_index_agrees_with_sql(readonly_engine, view):
    with read_session(readonly_engine) as session:
        assert repository.facet_counts(session=session, filters=view) == (
            repository.facet_counts_sql(session=session, filters=view)
        )
        total, rows = repository.search_practices(session=session, filters=view)
        assert total == repository.count_matching(session=session, filters=view)
        every = repository.matching_practices(session=session, filters=view)
    expected_page = [p.id for p in every][view.offset : view.offset + view.per_page]
    assert [r.id for r in rows] == expected_page


def test_index_reloads_after_any_write(seeded_engine):
    view = PracticeFilters(countries=("BA",))
    with read_session(seeded_engine) as session:
        before, _ = repository.search_practices(session=session, filters=view)
        themes_before = repository.facet_counts(session=session, filters=view)["themes"]
        version = data_version(session)
    # A write that bypasses the repository (plain ORM) is still seen: triggers move the version.
    with write_session(seeded_engine) as session:
        practice = session.exec(select(Practice).where(Practice.country_code == "BA")).first()
        practice.workflow = v.Workflow.rejected
        session.add(practice)
    with read_session(seeded_engine) as session:
        assert data_version(session) != version
        after, rows = repository.search_practices(session=session, filters=view)
        assert after == before - 1 and practice.id not in [r.id for r in rows]
    with write_session(seeded_engine) as session:
        other = session.exec(
            select(Practice)
            .where(Practice.country_code == "BA", Practice.workflow == v.Workflow.published)
            .order_by(Practice.id)
        ).first()
        session.add(PracticeTheme(practice_id=other.id, theme_slug="justice"))
    with read_session(seeded_engine) as session:
        themes = repository.facet_counts(session=session, filters=view)["themes"]
    assert themes.get("justice", 0) == themes_before.get("justice", 0) + 1


def test_year_bounds(readonly_engine):
    with read_session(readonly_engine) as session:
        low, high = repository.year_bounds(session=session)
        years = [p.start_year for p in session.exec(select(Practice)).all() if p.start_year]
    assert (low, high) == (min(years), max(years))
