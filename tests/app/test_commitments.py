"""AppTest of the commitments list and one commitment's page, and the links to them from the
country, compare and practice pages."""

import re

import pytest
from sqlmodel import select

from forumdash import vocab as v
from forumdash.db import make_engine, write_session
from forumdash.models import Practice
from tests.app.test_pages import open_page
from tests.support.records import add_sample_commitments


@pytest.fixture
def with_commitments(app_database):
    engine = make_engine(app_database)
    add_sample_commitments(engine)
    engine.dispose()
    return app_database


def _count(at) -> int:
    line = next(m.value for m in at.markdown if re.match(r"\*\*[\d,]+\*\* commitment", m.value))
    return int(line.split("**")[1].replace(",", ""))


def _titles(at) -> list[str]:
    return [link.label for link in at.get("page_link") if "TEST DATA" in link.label]


def _texts(at) -> str:
    parts = [*at.markdown, *at.caption, *at.info, *at.warning, *at.title, *at.subheader]
    return "\n".join(str(part.value) for part in parts)


def test_empty_state_says_how_to_import(app_database):
    at = open_page("pages/commitments.py")
    assert not at.exception
    assert "No OGP commitments have been imported yet" in at.info[0].value
    assert "python -m forumdash import ogp FILE" in at.info[0].value


def test_the_list_in_natural_order(with_commitments):
    at = open_page("pages/commitments.py")
    assert not at.exception
    assert _count(at) == 6
    # Albania's 2014-2016 plan: 2.1 before 10.1; then 3 before 3a; then Serbia, then Georgia.
    identifiers = [
        c.value.split(" ")[0] for c in at.caption if re.match(r"[A-Z]{2}8\d{3} ·", c.value)
    ]
    assert identifiers == ["AL8002", "AL8010", "AL8004", "AL8003", "RS8001", "GE8001"]


def test_filters_and_search_from_the_url(with_commitments):
    at = open_page("pages/commitments.py", country="al", opened="outstanding,no_early_results")
    assert not at.exception
    assert _count(at) == 2
    pills = {b.key: b for b in at.get("button_group")}
    assert pills["commitments.countries"].value == ["AL"]
    assert pills["commitments.did_it_open_government"].value == [
        "outstanding",
        "no_early_results",
    ]
    at = open_page("pages/commitments.py", q="budzet")
    assert _count(at) == 1 and "Отворени" in _titles(at)[0]


def test_malformed_parameters_are_dropped_with_a_notice(with_commitments):
    at = open_page("pages/commitments.py", country="<b>ZZ</b>", page="-1", evil="1")
    assert not at.exception
    assert _count(at) == 6
    notices = [c.value for c in at.caption if c.value.startswith(":material/info:")]
    assert len(notices) == 3
    assert any("unknown country “\\<b\\>ZZ\\</b\\>”" in n for n in notices)  # escaped
    assert any("unknown parameter “evil”" in n for n in notices)


def test_a_filter_changes_the_count_and_the_url(with_commitments):
    at = open_page("pages/commitments.py")
    pills = {b.key: b for b in at.get("button_group")}
    pills["commitments.starred"].set_value(["yes"]).run()
    assert _count(at) == 1
    assert at.query_params["starred"] in (["yes"], "yes")
    at.text_input(key="commitments.q").set_value("hearings").run()
    assert _count(at) == 0 and at.query_params["q"] in (["hearings"], "hearings")
    assert "No commitment matches this view" in at.info[0].value


def test_the_commitment_page(with_commitments):
    at = open_page("pages/commitment.py", id="al8002")
    assert not at.exception
    assert at.title[0].value == "TEST DATA\\: Right to information portal"
    text = _texts(at)
    assert "9 July 2013 – June 2014" in text
    assert "**Short title:** RTI portal \\(test\\)" in text
    assert "Fictional CSO network; Fictional Ombudsman" in text
    assert "**Outstanding**" in text and "**Transformative**" in text
    assert "**Limited**" in text and "**Complete**" in text  # mid-term and end of term
    # Every scale is explained.
    for scale in ("Potential impact", "Potential for results", "Did it open government?"):
        assert scale in text
    assert "no early results to report yet" in text
    assert "[This commitment on www\\.opengovpartnership\\.org](https://www." in text
    # 40 paragraphs: the first shown, the rest behind an expander that says how much.
    more = [e for e in at.expander if e.label.startswith("Show the full text")]
    assert len(more) == 1 and "39 more paragraphs" in more[0].label
    assert "paragraph 40" in str(more[0].markdown[0].value)


def test_dates_at_their_precision_and_ongoing(with_commitments):
    text = _texts(open_page("pages/commitment.py", id="AL8010"))
    assert "Start: Q1 2021" in text and "End: 2013" in text
    text = _texts(open_page("pages/commitment.py", id="AL8003"))
    assert "Start: Spring 2015" in text and "Ongoing \\(no end date given\\)" in text
    assert "**No early results to report yet**" in text
    assert "**Substantial**" in text  # potential for results


def test_values_kept_as_written_are_shown_as_such(with_commitments):
    at = open_page("pages/commitment.py", id="AL8004")
    text = _texts(at)
    assert "**“Somewhat better”** (as written)" in text
    assert "**“Mostly done”** (as written)" in text
    assert "the importer did not recognise" in text
    assert "**Theme**: \\=HYPERLINK" in text
    assert "Start: “after the elections” \\(as written\\)" in text  # a date not read
    assert "**Start Date**" not in text  # shown in its place, not again in the list
    # OGP's link is not a web address: named, never linked.
    assert "not a web address" in text and "](javascript" not in text


def test_hostile_text_is_inert(with_commitments):
    at = open_page("pages/commitment.py", id="GE8001")
    assert not at.exception
    assert at.title[0].value.startswith("TEST DATA\\: \\<script\\>")
    text = _texts(at)
    assert "\\<img src\\=x onerror\\=alert\\(1\\)\\>" in text
    assert "\\# not a heading" in text


@pytest.mark.parametrize("raw", ["ZZ0000", "<script>alert(1)</script>", "x" * 300, ""])
def test_not_found(with_commitments, raw):
    at = open_page("pages/commitment.py", id=raw)
    assert not at.exception
    assert at.title[0].value == "Commitment not found"
    if raw:
        assert "There is no imported OGP commitment" in at.warning[0].value
        assert "<script>" not in at.warning[0].value and len(at.warning[0].value) < 300
    assert [link.label for link in at.get("page_link") if link.proto.page == "commitments"][0] == (
        "All OGP commitments"
    )


def test_pages_link_to_the_commitments(with_commitments):
    at = open_page("pages/country.py", code="AL")
    assert not at.exception
    links = [link for link in at.get("page_link") if "commitments of Albania" in link.label]
    assert links and links[0].proto.query_string == "country=AL"
    frame = at.dataframe[0].value
    assert list(frame["page"])[:2] == ["/commitment?id=AL8002", "/commitment?id=AL8010"]

    at = open_page("pages/compare.py", countries="AL,RS")
    assert not at.exception
    labels = {link.label: link.proto.query_string for link in at.get("page_link")}
    assert labels["Commitments of Albania"] == "country=AL"
    assert labels["These countries' commitments together"] == "country=AL%2CRS"

    engine = make_engine(with_commitments)
    with write_session(engine) as session:
        practice = session.exec(
            select(Practice).where(Practice.workflow == v.Workflow.published)
        ).first()
        practice.commitment_ref = "AL8002"
        practice_id = practice.id
    engine.dispose()
    at = open_page("pages/practice.py", id=str(practice_id))
    assert not at.exception
    links = [link for link in at.get("page_link") if link.proto.query_string == "id=AL8002"]
    assert links and "Right to information portal" in links[0].label
    at = open_page("pages/commitment.py", id="AL8002")
    linked = [
        link for link in at.get("page_link") if link.proto.query_string == f"id={practice_id}"
    ]
    assert len(linked) == 1


def test_the_list_shows_values_kept_as_written(with_commitments):
    at = open_page("pages/commitments.py", country="AL", plan="AL 2016-2018")
    chips = [m.value for m in at.markdown if "gray-badge" in m.value]
    assert chips == [
        ":gray-badge[Completion at the end of term\\: “Mostly done” \\(as written\\)] "
        ":gray-badge[Did it open government\\: “Somewhat better” \\(as written\\)]"
    ]


def test_a_paragraphs_own_line_breaks_stay():
    from forumdash.ui.commitments import _paragraphs_markdown

    text = _paragraphs_markdown(["Milestones:\n- first\n• second", "Next."])
    assert text == "Milestones\\:  \n\\- first  \n• second\n\nNext\\."
