"""Filters: URL parameters in and out, and the SQL they make, in one table of cases (SQLite and
PostgreSQL), checked against a plain-Python evaluation of the same choices."""

import pytest
from sqlmodel import Session, select

from forumdash import repository
from forumdash import vocab as v
from forumdash.db import read_session
from forumdash.filters import PracticeFilters, from_params, to_params
from forumdash.models import Practice, PracticeTheme, PracticeValue

COUNTRIES = ["AL", "BA", "XK", "ME", "MK", "RS", "HR", "GB", "GE", "PL"]
THEMES = ["open-data", "anti-corruption", "open-budgets", "civic-participation"]


def parse(**params):
    return from_params(params, countries=COUNTRIES, themes=THEMES)


@pytest.mark.parametrize(
    ("params", "expected", "notices"),
    [
        ({}, PracticeFilters(), 0),
        ({"country": ["MK", "RS"]}, PracticeFilters(countries=("MK", "RS")), 0),
        ({"country": ["MK,RS"]}, PracticeFilters(countries=("MK", "RS")), 0),
        ({"country": ["mk", "MK"]}, PracticeFilters(countries=("MK",)), 0),
        ({"country": ["ZZ", "AL"]}, PracticeFilters(countries=("AL",)), 1),
        (
            {"theme": ["open-data"], "q": ["budget"], "page": ["2"]},
            PracticeFilters(themes=("open-data",), q="budget", page=2),
            0,
        ),
        ({"theme": ["no-such-theme"]}, PracticeFilters(), 1),
        ({"stage": ["implementing", "finished"]}, PracticeFilters(stages=("implementing",)), 1),
        ({"value": ["civic_participation"]}, PracticeFilters(values=("civic_participation",)), 0),
        ({"page": ["0"]}, PracticeFilters(), 1),
        ({"page": ["abc"]}, PracticeFilters(), 1),
        ({"page": ["-3"]}, PracticeFilters(), 1),
        ({"per_page": ["50"]}, PracticeFilters(per_page=50), 0),
        ({"per_page": ["1000000"]}, PracticeFilters(), 1),
        ({"sort": ["title"]}, PracticeFilters(sort="title"), 0),
        ({"sort": ["DROP TABLE"]}, PracticeFilters(), 1),
        (
            {"year_from": ["2015"], "year_to": ["2012"]},
            PracticeFilters(year_from=2012, year_to=2015),
            0,
        ),
        ({"year_from": ["soon"]}, PracticeFilters(), 1),
        ({"utm_source": ["mail"]}, PracticeFilters(), 1),
        ({"country": "RS"}, PracticeFilters(countries=("RS",)), 0),
    ],
)
def test_from_params(params, expected, notices):
    parsed = parse(**params)
    assert parsed == expected
    assert len(parsed.notices) == notices


def test_url_round_trip():
    view = PracticeFilters(
        countries=("MK", "RS"),
        themes=("open-data",),
        stages=("implementing",),
        q='budget "open data"',
        year_from=2012,
        sort="title",
        page=3,
        per_page=50,
    )
    assert parse(**to_params(view)) == view
    assert to_params(PracticeFilters()) == {}


def test_a_new_choice_goes_back_to_page_one():
    view = PracticeFilters(page=4)
    assert view.with_changes(countries=("AL",)).page == 1
    assert view.with_changes(per_page=50).page == 4


def test_sort_defaults_to_relevance_only_when_searching():
    assert PracticeFilters().effective_sort == "newest"
    assert PracticeFilters(q="data").effective_sort == "relevance"
    assert PracticeFilters(q="***").effective_sort == "newest"
    assert PracticeFilters(sort="relevance").effective_sort == "newest"


def _expected_ids(session: Session, view: PracticeFilters) -> set[int]:
    """The same choices, evaluated in Python over every published practice."""
    rows = session.exec(select(Practice).where(Practice.workflow == v.Workflow.published)).all()
    themes: dict[int, set[str]] = {}
    for pid, slug in session.exec(select(PracticeTheme.practice_id, PracticeTheme.theme_slug)):
        themes.setdefault(pid, set()).add(slug)
    values: dict[int, set[str]] = {}
    for pid, value in session.exec(select(PracticeValue.practice_id, PracticeValue.value)):
        values.setdefault(pid, set()).add(value.value)
    out = set()
    for p in rows:
        checks = [
            not view.countries or p.country_code in view.countries,
            not view.themes or themes.get(p.id, set()) & set(view.themes),
            not view.values or values.get(p.id, set()) & set(view.values),
            not view.levels or p.level.value in view.levels,
            not view.actor_types or p.actor_type.value in view.actor_types,
            not view.stages or p.stage.value in view.stages,
            not view.completions or (p.completion and p.completion.value in view.completions),
            not view.evidence_levels
            or (p.evidence_level and p.evidence_level.value in view.evidence_levels),
            view.year_from is None or (p.start_year or 0) >= view.year_from,
            view.year_to is None or (p.start_year is not None and p.start_year <= view.year_to),
        ]
        if all(checks):
            out.add(p.id)
    return out


CASES = [
    PracticeFilters(),
    PracticeFilters(countries=("MK",)),
    PracticeFilters(countries=("MK", "RS")),
    PracticeFilters(themes=("open-data",)),
    PracticeFilters(themes=("open-data", "anti-corruption")),
    PracticeFilters(countries=("MK", "RS"), themes=("open-data",)),
    PracticeFilters(values=("civic_participation",), levels=("local",)),
    PracticeFilters(actor_types=("cso",), stages=("implementing", "evaluating")),
    PracticeFilters(year_from=2012, year_to=2018),
    PracticeFilters(countries=("HR",), themes=("migration-refugees",)),  # nothing
    PracticeFilters(completions=("limited", "substantial")),
    PracticeFilters(evidence_levels=("anecdotal",)),
]


@pytest.mark.parametrize("view", CASES, ids=lambda f: str(to_params(f)) or "all")
def test_filters_select_exactly_the_matching_practices(readonly_engine, view):
    with read_session(readonly_engine) as session:
        expected = _expected_ids(session, view)
        total, _ = repository.search_practices(session=session, filters=view)
        every = repository.matching_practices(session=session, filters=view)
    assert total == len(expected)
    assert {p.id for p in every} == expected


@pytest.mark.parametrize("view", CASES[:8], ids=lambda f: str(to_params(f)) or "all")
def test_facet_counts_are_counts_under_the_other_choices(readonly_engine, view):
    from forumdash.filters import FACETS

    with read_session(readonly_engine) as session:
        counts = repository.facet_counts(session=session, filters=view)
        for facet in FACETS:
            options = counts[facet.name]
            for option, n in list(options.items())[:4]:
                # Choosing this option alone in this facet gives exactly n results.
                alone = view.with_changes(**{facet.name: (option,)})
                assert len(_expected_ids(session, alone)) == n, (facet.name, option)


def test_unpublished_practices_are_never_counted(seeded_engine):
    from forumdash.db import write_session

    with write_session(seeded_engine) as session:
        practice = session.exec(select(Practice).where(Practice.country_code == "ME")).first()
        practice.workflow = v.Workflow.rejected
        session.add(practice)
    with read_session(seeded_engine) as session:
        view = PracticeFilters(countries=("ME",))
        total, rows = repository.search_practices(session=session, filters=view)
        counts = repository.facet_counts(session=session, filters=PracticeFilters())
        assert practice.id not in {r.id for r in rows}
        assert counts["countries"]["ME"] == total
        assert repository.get_practice(session=session, practice_id=practice.id) is None


def test_pages_cover_every_match_once(readonly_engine):
    with read_session(readonly_engine) as session:
        seen: list[int] = []
        page = 1
        while True:
            view = PracticeFilters(per_page=25, page=page, sort="title")
            total, rows = repository.search_practices(session=session, filters=view)
            if not rows:
                break
            seen += [r.id for r in rows]
            page += 1
    assert len(seen) == total == len(set(seen))
