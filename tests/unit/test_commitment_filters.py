"""The commitments list: URL parameters in and out, facets with counts, folded search, natural
order, pages, the linked practices, and the exports of exactly the filtered set, on SQLite and
PostgreSQL (commitments made directly through the models)."""

import csv
import io
import json

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from forumdash import commitment_export, commitment_filters, folded_search, repository, search
from forumdash import vocab as v
from forumdash.commitment_filters import (
    UNRATED,
    CommitmentFilters,
    KnownOptions,
    from_params,
    to_params,
)
from forumdash.db import read_session, write_session
from forumdash.models import Commitment, Practice, PracticeCommitment
from forumdash.text import paragraphs
from tests.support.records import add_sample_commitments, sample_commitments

COUNTRY_ORDER = ["AL", "BA", "XK", "ME", "MK", "RS", "HR", "GB", "GE", "PL"]
KNOWN = KnownOptions(
    countries=COUNTRY_ORDER,
    plans=["AL 2014-2016", "AL 2016-2018", "RS 2016-2018"],
    areas=["Open Data", "Public Procurement"],
)


def _commitments() -> list[Commitment]:
    return [Commitment(id=n, **values) for n, values in enumerate(sample_commitments(), 1)]


def _identifiers(rows: list[Commitment]) -> list[str]:
    return [row.identifier for row in rows]


# --------------------------------------------------------------------------- URL parameters


@pytest.mark.parametrize(
    ("params", "expected", "notices"),
    [
        ({}, CommitmentFilters(), 0),
        ({"country": ["al", "RS"]}, CommitmentFilters(countries=("AL", "RS")), 0),
        ({"country": ["AL,RS"]}, CommitmentFilters(countries=("AL", "RS")), 0),
        ({"country": ["ZZ", "AL"]}, CommitmentFilters(countries=("AL",)), 1),
        ({"plan": ["al 2014-2016"]}, CommitmentFilters(plans=("AL 2014-2016",)), 0),
        ({"plan": ["AL 1999-2000"]}, CommitmentFilters(), 1),
        ({"area": ["open data"]}, CommitmentFilters(areas=("Open Data",)), 0),
        ({"value": ["civic_participation"]}, CommitmentFilters(values=("civic_participation",)), 0),
        (
            {"impact": ["transformative", "huge"]},
            CommitmentFilters(potential_impact=("transformative",)),
            1,
        ),
        ({"results": ["modest"]}, CommitmentFilters(potential_for_results=("modest",)), 0),
        (
            {"completion": ["complete", UNRATED]},
            CommitmentFilters(completion_end=("complete", UNRATED)),
            0,
        ),
        (
            {"opened": ["no_early_results"]},
            CommitmentFilters(did_it_open_government=("no_early_results",)),
            0,
        ),
        ({"starred": ["yes"]}, CommitmentFilters(starred=("yes",)), 0),
        ({"starred": ["maybe"]}, CommitmentFilters(), 1),
        ({"q": ["budget"], "page": ["2"]}, CommitmentFilters(q="budget", page=2), 0),
        ({"page": ["0"]}, CommitmentFilters(), 1),
        ({"page": ["<script>"]}, CommitmentFilters(), 1),
        ({"per_page": ["50"]}, CommitmentFilters(per_page=50), 0),
        ({"per_page": ["7"]}, CommitmentFilters(), 1),
        ({"utm_source": ["mail"]}, CommitmentFilters(), 1),
        ({"country": "RS"}, CommitmentFilters(countries=("RS",)), 0),
    ],
)
def test_from_params(params, expected, notices):
    parsed = from_params(params, KNOWN)
    assert parsed == expected
    assert len(parsed.notices) == notices


def test_url_round_trip_and_notices_quote_safely():
    view = CommitmentFilters(
        countries=("AL",), plans=("AL 2014-2016",), starred=("yes",), q="budžet", page=3
    )
    assert from_params(to_params(view), KNOWN) == view
    parsed = from_params({"country": ["<img src=x>" * 20]}, KNOWN)
    assert parsed.notices and len(parsed.notices[0]) < 80 and "\n" not in parsed.notices[0]
    many = from_params({f"junk{n}": ["1"] for n in range(20)}, KNOWN)
    assert len(many.notices) == 6 and "15 more" in many.notices[-1]


def test_a_change_of_filter_goes_to_page_one():
    view = CommitmentFilters(page=4)
    assert view.with_changes(countries=("AL",)).page == 1
    assert view.with_changes(per_page=50).page == 4


# --------------------------------------------------------------------------- in memory


def test_natural_order_by_country_plan_and_number():
    rows = commitment_filters.matching(_commitments(), CommitmentFilters(), COUNTRY_ORDER)
    # AL's 2014-2016 plan: 2.1 before 10.1; its 2016-2018 plan: 3 before 3a; then RS, then GE.
    assert _identifiers(rows) == ["AL8002", "AL8010", "AL8004", "AL8003", "RS8001", "GE8001"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("budzet", ["RS8001"]),  # Cyrillic буџет, folded
        ("буџет", ["RS8001"]),
        ("ministarstvo finansija", ["RS8001"]),  # a phrase of the institution, in Latin
        ("cacak", ["RS8001"]),  # Čačak without its marks
        ("al8004", ["AL8004"]),  # the identifier
        ("rti portal", ["AL8002"]),  # the short title
        ("ombudsman", ["AL8002"]),  # a supporting institution
        ("budg", ["AL8003", "AL8004"]),  # a word matches as a prefix
        ("budget -hearings", ["AL8003"]),
        ("hearings OR formats", ["AL8004", "AL8003"]),
        ('"register of contracts"', ["AL8002"]),
        ("'; DROP TABLE commitment; --", []),
        ("***", ["AL8002", "AL8010", "AL8004", "AL8003", "RS8001", "GE8001"]),  # no word: all
    ],
)
def test_search_is_folded_and_reads_like_a_web_search(query, expected):
    rows = commitment_filters.matching(_commitments(), CommitmentFilters(q=query), COUNTRY_ORDER)
    assert sorted(_identifiers(rows)) == sorted(expected)


def test_facet_counts_are_under_the_other_choices():
    rows = _commitments()
    view = CommitmentFilters(countries=("AL",), areas=("Open Data",))
    counts = commitment_filters.facet_counts(rows, view)
    # Countries are counted under the area only: AL8010 and RS8001 have Open Data.
    assert counts["countries"] == {"AL": 1, "RS": 1}
    # Areas under the country only: AL's four commitments.
    assert counts["areas"] == {
        "Open Data": 1,
        "Public Procurement": 1,
        "Right To Information": 1,
        "Fiscal Openness": 1,
    }
    # Ratings under both: only AL8010.
    assert counts["potential_impact"] == {"moderate": 1}
    assert counts["starred"] == {"no": 1}
    unfiltered = commitment_filters.facet_counts(rows, CommitmentFilters())
    assert unfiltered["did_it_open_government"] == {
        "marginal": 1,
        "outstanding": 1,
        "no_early_results": 1,
        "did_not_change": 1,
        UNRATED: 2,  # AL8004's value is kept as written; GE8001 has none
    }
    assert unfiltered["starred"] == {"no": 2, "yes": 1, UNRATED: 3}
    assert sum(unfiltered["countries"].values()) == len(rows)


def test_options_with_results_first_and_none_hidden():
    facet = commitment_filters.FACET_BY_PARAM["impact"]
    options = commitment_filters.facet_options(facet, {"moderate": 2, UNRATED: 1}, [], KNOWN)
    assert options == ["moderate", UNRATED, "none", "minor", "transformative"]
    # A chosen option with no result stays in the first group.
    options = commitment_filters.facet_options(facet, {"moderate": 2}, ["none"], KNOWN)
    assert options[:2] == ["none", "moderate"] and options[-1] == UNRATED  # zero: last
    plans = commitment_filters.FACET_BY_PARAM["plan"]
    assert commitment_filters.facet_options(plans, {"RS 2016-2018": 1}, [], KNOWN) == [
        "RS 2016-2018",
        "AL 2014-2016",
        "AL 2016-2018",
    ]


def test_rating_filters_and_or_within_and_across():
    rows = _commitments()
    view = CommitmentFilters(
        did_it_open_government=("outstanding", "no_early_results"), countries=("AL",)
    )
    assert _identifiers(commitment_filters.matching(rows, view, COUNTRY_ORDER)) == [
        "AL8002",
        "AL8003",
    ]
    unrated = CommitmentFilters(completion_end=(UNRATED,))
    assert _identifiers(commitment_filters.matching(rows, unrated, COUNTRY_ORDER)) == [
        "AL8004",
        "AL8003",
        "GE8001",
    ]


def test_pages_and_a_page_past_the_end():
    rows = _commitments()
    first = commitment_filters.browse(rows, CommitmentFilters(per_page=25), COUNTRY_ORDER)
    assert first.total == 6 and len(first.rows) == 6
    beyond = commitment_filters.browse(rows, CommitmentFilters(page=9), COUNTRY_ORDER)
    assert _identifiers(beyond.rows) == _identifiers(first.rows)  # the last page, not nothing


def test_paragraphs_of_a_full_text():
    assert paragraphs("One.\n\nTwo\nstill two.\n\n\n  Three. ") == [
        "One.",
        "Two\nstill two.",
        "Three.",
    ]
    assert paragraphs("Line one\nLine two\r\nLine three") == ["Line one", "Line two", "Line three"]
    assert paragraphs("") == [] and paragraphs(None) == []


# --------------------------------------------------------------------------- both databases


def test_stored_commitments_filter_the_same_on_each_database(seeded_engine):
    add_sample_commitments(seeded_engine)
    with read_session(seeded_engine) as session:
        stored = repository.all_commitments(session=session)
        albania = repository.all_commitments(session=session, countries=["al"])
    assert len(stored) == 6 and len(albania) == 4
    by_id = {c.identifier: c for c in stored}
    # Every precision and the ongoing state come back as they were written.
    assert by_id["AL8010"].start_precision == v.DatePrecision.quarter
    assert by_id["AL8010"].end_precision == v.DatePrecision.year
    assert by_id["AL8003"].start_precision == v.DatePrecision.season
    assert by_id["AL8003"].ongoing is True and by_id["AL8003"].end_date is None
    assert by_id["AL8004"].as_written["Completion (End Of Term)"] == "Mostly done"
    view = CommitmentFilters(q="budzet OR hearings")
    assert _identifiers(commitment_filters.matching(stored, view, COUNTRY_ORDER)) == [
        "AL8004",
        "RS8001",
    ]
    counts = commitment_filters.facet_counts(stored, CommitmentFilters(countries=("AL",)))
    assert counts["plans"] == {"AL 2014-2016": 2, "AL 2016-2018": 2}


def test_practices_linked_to_a_commitment(seeded_engine):
    add_sample_commitments(seeded_engine)
    with write_session(seeded_engine) as session:
        published = session.exec(
            select(Practice).where(Practice.workflow == v.Workflow.published).order_by(Practice.id)
        ).all()
        draft = session.exec(
            select(Practice).where(Practice.workflow != v.Workflow.published)
        ).first()
        target = session.exec(select(Commitment).where(Commitment.identifier == "AL8002")).one()
        published[0].commitment_ref = "al8002"  # named by reference, in any case
        session.add(PracticeCommitment(practice_id=published[1].id, commitment_id=target.id))
        if draft is not None:
            draft.commitment_ref = "AL8002"  # never shown: not published
        expected = sorted([published[0].id, published[1].id])
    with read_session(seeded_engine) as session:
        found = repository.get_commitment(session=session, identifier=" al8002 ")
        assert found is not None
        linked = repository.practices_of_commitment(session=session, commitment=found)
        other = repository.get_commitment(session=session, identifier="RS8001")
        assert other is not None
        none = repository.practices_of_commitment(session=session, commitment=other)
    assert sorted(p.id for p in linked) == expected
    assert none == []


# --------------------------------------------------------------------------- exports


def _csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_exports_hold_exactly_the_filtered_set_with_every_field(seeded_engine):
    add_sample_commitments(seeded_engine)
    with read_session(seeded_engine) as session:
        stored = repository.all_commitments(session=session)
    view = CommitmentFilters(countries=("AL", "GE"), starred=(UNRATED, "yes"))
    chosen = commitment_filters.matching(stored, view, COUNTRY_ORDER)
    expected = ["AL8002", "AL8004", "AL8003", "GE8001"]
    assert _identifiers(chosen) == expected
    names = {"countries": {"AL": "Albania", "GE": "Georgia"}}

    document = json.loads(commitment_export.export_commitments(chosen, "json", view, names=names))
    assert document["count"] == 4 and document["filters"] == to_params(view)
    records = {r["identifier"]: r for r in document["commitments"]}
    assert list(records) == expected
    rti = records["AL8002"]
    assert (rti["start_date"], rti["start_precision"]) == ("2013-07-09", "day")
    assert (rti["end_date"], rti["end_precision"]) == ("2014-06", "month")
    assert rti["did_it_open_government"] == "outstanding" and rti["starred"] is True
    assert rti["page"] == "/commitment?id=AL8002" and rti["country_name"] == "Albania"
    assert rti["text"].count("\n\n") == 39  # the full text, whole
    budget = records["AL8003"]
    assert (budget["start_date"], budget["start_precision"]) == ("2015-21", "season")
    assert budget["end_date"] is None and budget["ongoing"] is True
    assert records["AL8004"]["as_written"]["Did It Open Government (Overall)"] == "Somewhat better"
    stored_fields = set(Commitment.model_fields) - {"id"}
    assert stored_fields <= set(rti), stored_fields - set(rti)

    rows = _csv(commitment_export.export_commitments(chosen, "csv", view, names=names))
    assert [r["Identifier"] for r in rows] == expected
    ge = rows[-1]
    assert ge["Lead institution"].startswith("'=cmd")  # never a formula
    assert "Theme: =HYPERLINK" in rows[1]["As written (not recognised)"]
    assert rows[1]["As written (not recognised)"].startswith("Did It Open Government")
    assert rows[0]["Start"] == "9 July 2013" and rows[0]["End date"] == "2014-06"
    assert rows[0]["Did it open government?"] == "Outstanding" and rows[0]["Starred"] == "Yes"

    book = load_workbook(
        io.BytesIO(commitment_export.export_commitments(chosen, "xlsx", view, names=names))
    )
    sheet = book["Commitments"]
    header = [cell.value for cell in sheet[1]]
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert [row[0] for row in values] == expected
    lead = values[-1][header.index("Lead institution")]
    assert (
        lead.startswith("'=")
        and sheet.cell(5, header.index("Lead institution") + 1).data_type == "s"
    )
    about = {row[0].value: row[1].value for row in book["About"].iter_rows()}
    assert about["Commitments"] == 4
    assert (
        "Country: Albania, Georgia" in about["Filters"]
        and "Starred: No rating recorded, Starred" in about["Filters"]
    )


def test_export_filename():
    assert commitment_export.filename(["AL"], "csv").startswith("forumdash-commitments-al-")
    assert commitment_export.filename([], "json").endswith(".json")
    with pytest.raises(ValueError):
        commitment_export.export_commitments([], "pdf")


@pytest.mark.parametrize(
    "text",
    [
        "Отворени подаци за буџет, Општина Ѓорче Петров",
        "Čačak, Đurđevdan, Šćčžđ, Łódź, Shqipëri, straße, Œuvre",
        "„quoted“ e-Government 2.1/10.1 snake_case ½ ﬁle",
        "<img src=x onerror=alert(1)> '; DROP TABLE commitment; --",
    ],
)
def test_search_folds_each_word_as_search_tokens_would(text):
    assert folded_search.folded_words(text).split() == search.tokens(text)
