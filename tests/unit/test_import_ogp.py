"""Imports of OGP's commitment export (`python -m forumdash import ogp`), on SQLite and PostgreSQL:
the messy values normalised, other countries skipped, upserts, all-or-nothing, dry runs; and the
quirks of OGP's real export (tests/fixtures/ogp_real_quirks.csv): IRM's words as OGP writes them,
dates at their precision in the file's day/month order, policy areas without IRM's flags, and
every cell not read reported in full as a warning that does not refuse the file."""

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from sqlmodel import func, select

from forumdash import vocab as v
from forumdash.cli import main
from forumdash.commitment_numbers import commitment_sort_key
from forumdash.db import read_session
from forumdash.importers import ogp
from forumdash.importers.countries import match_locality
from forumdash.importers.ogp import import_ogp
from forumdash.models import Commitment

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "ogp_sample.csv"
QUIRKS = FIXTURE.with_name("ogp_real_quirks.csv")
FORUM_ROWS = 13  # of 15: Mexico and Ukraine are outside the forum


def _sample() -> bytes:
    return FIXTURE.read_bytes()


def _edited(changes: dict[str, dict[str, str]], encoding: str = "utf-8") -> bytes:
    """The sample with some cells changed: {identifier: {column: value}}."""
    rows = list(csv.reader(io.StringIO(_sample().decode("utf-8"), newline="")))
    header = rows[0]
    key = header.index(ogp.IDENTIFIER)
    for row in rows[1:]:
        for column, value in changes.get(row[key], {}).items():
            row[header.index(column)] = value
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def _commitments(engine) -> dict[str, Commitment]:
    with read_session(engine) as session:
        return {c.identifier: c for c in session.exec(select(Commitment)).all()}


def _count(engine) -> int:
    with read_session(engine) as session:
        return session.exec(select(func.count()).select_from(Commitment)).one()


# --------------------------------------------------------------------------- pure: the cells


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8.3000000000000007", "8.3"),
        ("8.299999999999999", "8.3"),
        ("5.0", "5"),
        ("5", "5"),
        ("1.10", "1.10"),
        ("2.1", "2.1"),
        ("1e1", "10"),
        ("3a", "3a"),
        ("NR", ""),
        (None, ""),
    ],
)
def test_parse_number(text, expected):
    assert ogp.parse_number(text) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Albania", ("AL", None)),
        ("bosnia & herzegovina", ("BA", None)),
        ("Kosovo*", ("XK", None)),
        ("Macedonia", ("MK", None)),
        ("Macedonia, FYR", ("MK", None)),
        ("North Macedonia", ("MK", None)),
        ("Tbilisi, Georgia", ("GE", "Tbilisi")),
        ("Scotland, United Kingdom", ("GB", "Scotland")),
        ("Poland", ("PL", None)),
        ("Mexico", None),
        ("Austin, United States", None),
        ("", None),
    ],
)
def test_match_locality(name, expected):
    assert match_locality(name) == expected


def test_read_the_sample():
    result = ogp.read_ogp(_sample())
    assert result.errors == []
    # The sample writes dates both ways (13/7/2015, 6/30/2018): 9/1/2014 could be either.
    assert [(w.row, w.identifier, w.column, w.value) for w in result.warnings] == [
        (7, "MK9001", "Start Date", "9/1/2014"),
        (13, "HR9001", "End Date", "sometime in 2016"),
        (13, "HR9001", "URL", "javascript:alert(1)"),
    ]
    assert len(result.rows) == FORUM_ROWS
    assert dict(result.skipped) == {"Mexico": 1, "Ukraine": 1}
    assert [number for number, _, _ in result.rows] == list(range(2, 15))
    assert "Tbilisi (GE) 1" in " ".join(result.notes)


# --------------------------------------------------------------------------- the database


def test_import_creates_the_forum_commitments(seeded_engine):
    report = import_ogp(seeded_engine, _sample())
    assert report.ok, report.lines()
    assert (report.created, report.updated, report.unchanged) == (FORUM_ROWS, 0, 0)
    assert report.skipped == 2
    assert report.skipped_other_country == {"Mexico": 1, "Ukraine": 1}
    lines = report.lines()
    assert lines[0] == f"ogp: {FORUM_ROWS} created, 0 updated, 0 unchanged"
    assert lines[1] == "skipped 2 rows of countries outside the forum: Mexico (1), Ukraine (1)"
    assert any("Scotland (GB) 1, Tbilisi (GE) 1" in line for line in lines)
    stored = _commitments(seeded_engine)
    assert len(stored) == FORUM_ROWS and "MX9001" not in stored and "UA9001" not in stored
    assert report.as_dict()["skipped_other_country"] == {
        "count": 2,
        "countries": {"Mexico": 1, "Ukraine": 1},
    }


def test_values_are_normalised(seeded_engine):
    assert import_ogp(seeded_engine, _sample()).ok
    stored = _commitments(seeded_engine)

    first = stored["AL9001"]
    assert (first.country_code, first.action_plan, first.commitment_number) == (
        "AL",
        "AL 2016-2018",
        "1.1",
    )
    assert (first.start_date, first.end_date) == (dt.date(2016, 1, 1), dt.date(2018, 6, 30))
    assert first.ogp_values == [
        "access_to_information",
        "public_accountability",
        "technology_innovation",
    ]
    assert first.policy_areas == ["Open Data", "Public Procurement"]
    assert first.potential_impact == v.PotentialImpact.moderate
    assert first.completion_midterm == v.Completion.limited
    assert first.completion_end == v.Completion.substantial
    assert first.did_it_open_government == v.OpenedGovernment.marginal
    assert (first.short_title, first.supporting_institutions) == (
        "Contract register (test)",
        "Test CSO network",
    )
    assert (first.start_precision, first.end_precision) == (v.DatePrecision.day,) * 2
    assert first.starred is False
    assert (
        first.text
        == "TEST DATA. Publish the register of public contracts.\nSecond line of the text."
    )

    long = stored["AL9002"]
    assert long.commitment_number == "8.3"
    assert (long.start_date, long.end_date) == (dt.date(2014, 7, 1), dt.date(2016, 6, 1))
    assert (long.start_precision, long.end_precision) == (v.DatePrecision.month,) * 2
    assert long.supporting_institutions == ""  # ND
    assert long.potential_impact is None and long.completion_midterm is None
    assert long.did_it_open_government is None and long.starred is None  # ND, NR, NA
    assert long.ogp_values == ["access_to_information", "civic_participation"]
    assert len(long.text) > 5000 and long.text.count("\n\n") >= 5
    assert '"Open Budget" coalition' in long.text and "=SUM(A1:A9)" in long.text
    assert long.text.endswith('Last line with a "quote", and a comma, at the end.')

    assert stored["BA9001"].commitment_number == "5"
    assert stored["BA9001"].text == ""  # NR
    assert stored["BA9001"].end_date == dt.date(2016, 1, 1)  # "2016": the year, not a day
    assert stored["BA9001"].end_precision == v.DatePrecision.year
    assert stored["BA9001"].completion_end == v.Completion.complete  # "Completed"
    assert stored["BA9001"].did_it_open_government == v.OpenedGovernment.did_not_change
    assert (stored["XK9001"].start_date, stored["XK9001"].end_date) == (None, None)  # NA
    assert stored["XK9001"].url == ""
    assert stored["ME9001"].potential_impact == v.PotentialImpact.none  # OGP's word "None"
    assert stored["ME9001"].starred is True
    assert (stored["MK9001"].country_code, stored["MK9001"].commitment_number) == ("MK", "2.10")
    assert stored["MK9001"].start_date is None  # 9/1/2014 in a file written both ways
    assert stored["MK9001"].as_written == {"Start Date": "9/1/2014"}
    assert stored["MK9001"].end_date == dt.date(2016, 8, 31)  # 8/31/2016 can only be one day
    assert stored["MK9001"].action_plan == "MK 2014-2016"  # years written 2014.0, 2016.0
    assert stored["MK9003"].country_code == "MK"  # "Macedonia, FYR"
    assert stored["RS9001"].text == "TEST DATA.\nA Windows line break."
    assert stored["RS9001"].start_date == dt.date(2018, 9, 1)  # "Sept 2018"
    assert (stored["GE9001"].country_code, stored["GE9001"].action_plan) == (
        "GE",
        "GE Tbilisi 2018-2020",
    )
    assert stored["GB9001"].country_code == "GB"
    assert stored["GB9001"].policy_areas == ["Fiscal Openness", "Civic Space"]
    assert stored["HR9001"].start_date == dt.date(2015, 7, 13)
    assert stored["HR9001"].end_date is None  # "sometime in 2016", a warning in the report
    assert stored["HR9001"].as_written == {"End Date": "sometime in 2016"}
    assert stored["HR9001"].url == ""  # a javascript: link is not kept
    assert all("_Helper Sort Key" not in c.policy_areas for c in stored.values())


def test_reimport_changes_nothing(seeded_engine):
    assert import_ogp(seeded_engine, _sample()).created == FORUM_ROWS
    before = _commitments(seeded_engine)
    again = import_ogp(seeded_engine, _sample())
    assert (again.created, again.updated, again.unchanged) == (0, 0, FORUM_ROWS)
    after = _commitments(seeded_engine)
    assert {k: c.model_dump() for k, c in after.items()} == {
        k: c.model_dump() for k, c in before.items()
    }


def test_changed_rows_are_updated_in_place(seeded_engine):
    import_ogp(seeded_engine, _sample())
    ids = {k: c.id for k, c in _commitments(seeded_engine).items()}
    edited = _edited(
        {
            "AL9001": {ogp.TITLE: "TEST DATA: Register of contracts, renamed"},
            "RS9001": {ogp.COMPLETION_END: "Complete"},
        }
    )
    report = import_ogp(seeded_engine, edited)
    assert (report.created, report.updated, report.unchanged) == (0, 2, FORUM_ROWS - 2)
    assert sorted(identifier for identifier, _ in report.changes) == ["AL9001", "RS9001"]
    assert report.as_dict()["changes"][0]["fields"]
    stored = _commitments(seeded_engine)
    assert stored["AL9001"].title == "TEST DATA: Register of contracts, renamed"
    assert stored["RS9001"].completion_end == v.Completion.complete
    assert {k: c.id for k, c in stored.items()} == ids


def test_nul_characters_are_stripped(seeded_engine):
    data = _edited({"AL9001": {ogp.FULL_TEXT: "Before\x00after.\nNext line."}})
    assert import_ogp(seeded_engine, data).ok
    assert _commitments(seeded_engine)["AL9001"].text == "Beforeafter.\nNext line."


def test_windows_1252_file(seeded_engine):
    data = _edited({"AL9001": {ogp.LEAD_INSTITUTION: "Bashkia e Tiranës"}}, encoding="cp1252")
    assert import_ogp(seeded_engine, data).ok
    assert _commitments(seeded_engine)["AL9001"].lead_institution == "Bashkia e Tiranës"


def test_rows_that_cannot_be_commitments_refuse_the_file(seeded_engine):
    data = _edited(
        {
            "AL9001": {ogp.IDENTIFIER: ""},
            "AL9002": {ogp.TITLE: "", ogp.SHORT_TITLE: "NA"},
            "BA9001": {ogp.POTENTIAL_IMPACT: "Huge", ogp.STARRED: "maybe"},  # warnings only
            "XK9001": {ogp.IDENTIFIER: "ME9001"},
            "PL9001": {ogp.COUNTRY: ""},
            "MX9001": {ogp.POTENTIAL_IMPACT: "Huge"},  # another country's row is not read
        }
    )
    report = import_ogp(seeded_engine, data, filename="broken.csv")
    assert not report.ok
    assert [(p.row, p.identifier, p.column, p.value, p.reason) for p in report.errors] == [
        (2, "", "Commitment Unique Identifier", "", "empty"),
        (3, "AL9002", "Commitment Title", "", "empty (and no short title)"),
        (6, "ME9001", "Commitment Unique Identifier", "ME9001", "also in row 5"),
        (14, "PL9001", "Country/Locality", "", "empty"),
    ]
    lines = report.lines()
    assert lines[0] == "ogp: broken.csv: 4 invalid rows; nothing was written"
    assert lines[1:5] == [
        "row 2: Commitment Unique Identifier: empty",
        "row 3 (AL9002): Commitment Title: empty (and no short title)",
        "row 6 (ME9001): Commitment Unique Identifier 'ME9001': also in row 5",
        "row 14 (PL9001): Country/Locality: empty",
    ]
    # The warnings come with the errors, so that one round of fixes is enough.
    assert lines[5] == (
        "warning: row 4 (BA9001): Potential Impact 'Huge': not one of None, Minor, Moderate, "
        "Transformative; left empty, kept as written; Starred (Current Formula) End of Term "
        "'maybe': not 1/Yes or 0/No; left empty, kept as written"
    )
    assert _count(seeded_engine) == 0


def test_unknown_values_are_warnings_and_the_rows_are_imported(seeded_engine):
    data = _edited(
        {
            "BA9001": {ogp.POTENTIAL_IMPACT: "Huge", ogp.STARRED: "maybe"},
            "GE9001": {ogp.COMPLETION_MIDTERM: "Almost done", "Open Data": "2"},
        }
    )
    report = import_ogp(seeded_engine, data)
    assert report.ok and report.created == FORUM_ROWS
    stored = _commitments(seeded_engine)
    assert stored["BA9001"].potential_impact is None and stored["BA9001"].starred is None
    assert stored["BA9001"].as_written == {
        "Potential Impact": "Huge",
        "Starred (Current Formula) End of Term": "maybe",
    }
    assert stored["GE9001"].completion_midterm is None
    assert stored["GE9001"].as_written == {
        "Completion (Progress Report)": "Almost done",
        "Open Data": "2",
    }
    assert "Open Data" not in stored["GE9001"].policy_areas
    warnings = {(p.row, p.identifier, p.column, p.value) for p in report.warnings}
    assert {
        (4, "BA9001", "Potential Impact", "Huge"),
        (4, "BA9001", "Starred (Current Formula) End of Term", "maybe"),
        (11, "GE9001", "Completion (Progress Report)", "Almost done"),
        (11, "GE9001", "Open Data", "2"),
    } <= warnings


def test_dry_run_writes_nothing_but_reports_the_same_counts(seeded_engine):
    dry = import_ogp(seeded_engine, _sample(), dry_run=True)
    assert dry.ok and dry.dry_run and dry.created == FORUM_ROWS
    assert _count(seeded_engine) == 0
    real = import_ogp(seeded_engine, _sample())
    assert (dry.created, dry.updated, dry.unchanged) == (real.created, real.updated, real.unchanged)
    assert dry.skipped_other_country == real.skipped_other_country
    dry_again = import_ogp(seeded_engine, _edited({"PL9001": {ogp.URL: ""}}), dry_run=True)
    assert (dry_again.created, dry_again.updated) == (0, 1)
    assert _commitments(seeded_engine)["PL9001"].url.endswith("/PL9001/")


# --------------------------------------------------------------------------- command line


@pytest.fixture
def cli_db(monkeypatch, seeded_engine):
    url = seeded_engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("FORUMDASH_DATABASE_URL", url)
    return seeded_engine


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_import_ogp(cli_db, capsys):
    code, out, err = run(capsys, "import", "ogp", str(FIXTURE), "--dry-run")
    assert code == 0, err
    assert (
        out.splitlines()[0] == f"ogp: ogp_sample.csv: {FORUM_ROWS} created, 0 updated, 0 unchanged"
    )
    assert out.splitlines()[-1].startswith("dry run: nothing was written")
    assert _count(cli_db) == 0
    code, out, _ = run(capsys, "import", "ogp", str(FIXTURE))
    assert code == 0 and _count(cli_db) == FORUM_ROWS
    assert "skipped 2 rows of countries outside the forum: Mexico (1), Ukraine (1)" in out
    code, out, _ = run(capsys, "import", "ogp", str(FIXTURE))
    assert code == 0
    assert out.startswith(f"ogp: ogp_sample.csv: 0 created, 0 updated, {FORUM_ROWS} unchanged\n")


def test_cli_broken_file_exits_2_naming_the_row(cli_db, capsys, tmp_path):
    path = tmp_path / "broken.csv"
    path.write_bytes(_edited({"GE9001": {ogp.IDENTIFIER: ""}}))
    code, out, err = run(capsys, "import", "ogp", str(path))
    assert code == 2 and out == ""
    assert err.splitlines()[:2] == [
        "error: broken.csv: 1 invalid row; nothing was written",
        "row 11: Commitment Unique Identifier: empty",
    ]
    assert _count(cli_db) == 0


def test_cli_prints_warnings_and_exits_0(cli_db, capsys, tmp_path):
    path = tmp_path / "quirks.csv"
    path.write_bytes(QUIRKS.read_bytes())
    code, out, err = run(capsys, "import", "ogp", str(path), "--dry-run")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "ogp: quirks.csv: 9 created, 0 updated, 0 unchanged"
    assert "warning: row 4 (BA9101): Potential Impact 'Huge': not one of" in out
    assert [line for line in lines if line.startswith("warning: row 9 (XK9101)")]
    assert lines[-1].startswith("dry run: nothing was written")
    assert _count(cli_db) == 0
    code, out, _ = run(capsys, "import", "ogp", str(path))
    assert code == 0 and _count(cli_db) == 9 and "warning: row 4 (BA9101)" in out


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.csv", None, "error: cannot read"),
        ("commitments.json", b"[]", "error: commitments.json: files ending in .json"),
        ("commitments.csv", b'{"a": 1}', "error: commitments.csv is named .csv but holds JSON"),
        (
            "practices.csv",
            b"Slug,Title,Summary\r\nx,y,z\r\n",
            "error: practices.csv is not a table of the expected kind",
        ),
    ],
)
def test_cli_wrong_file_is_one_line(cli_db, capsys, tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    code, out, err = run(capsys, "import", "ogp", str(path))
    assert code == 2 and out == ""
    assert err.startswith(message) and len(err.strip().splitlines()) == 1
    assert _count(cli_db) == 0


# --------------------------------------------------------------------------- OGP's real quirks


def _quirks(changes: dict[str, dict[str, str]] | None = None) -> bytes:
    """The quirks fixture, with some cells changed: {identifier: {column: value}}."""
    rows = list(csv.reader(io.StringIO(QUIRKS.read_text("utf-8"), newline="")))
    header = rows[0]
    key = header.index(ogp.IDENTIFIER)
    for row in rows[1:]:
        for column, value in (changes or {}).get(row[key], {}).items():
            row[header.index(column)] = value
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


QUIRK_ROWS = 9  # of 10: Mexico is outside the forum


def test_real_quirks_import_and_read_back(seeded_engine):
    report = import_ogp(seeded_engine, _quirks(), filename="ogp_real_quirks.csv")
    assert report.ok, report.lines()
    assert (report.created, report.skipped_other_country) == (QUIRK_ROWS, {"Mexico": 1})
    c = _commitments(seeded_engine)
    D, M, Q, S, Y = (
        v.DatePrecision.day,
        v.DatePrecision.month,
        v.DatePrecision.quarter,
        v.DatePrecision.season,
        v.DatePrecision.year,
    )

    # IRM's words as OGP writes them
    assert c["AL9101"].did_it_open_government == v.OpenedGovernment.worsened  # "Worsens"
    assert c["GE9101"].did_it_open_government == v.OpenedGovernment.worsened  # "Worsened"
    assert c["AL9102"].did_it_open_government == v.OpenedGovernment.no_early_results
    assert c["BA9101"].did_it_open_government == v.OpenedGovernment.did_not_change
    assert c["MK9101"].did_it_open_government == v.OpenedGovernment.major  # "MAJOR "
    assert c["MK9102"].did_it_open_government == v.OpenedGovernment.outstanding
    assert c["MK9101"].potential_impact == v.PotentialImpact.transformative  # "  transformative "
    assert c["MK9101"].completion_midterm == v.Completion.not_started  # "  not   started"
    assert c["AL9102"].potential_for_results == v.PotentialForResults.substantial
    assert c["BA9101"].potential_for_results == v.PotentialForResults.modest
    assert c["MK9102"].potential_for_results == v.PotentialForResults.unclear  # "unclear"
    assert (c["MK9102"].starred, c["GE9101"].starred, c["MK9101"].starred) == (True, True, False)

    # an unknown rating: the row is imported, the value kept as written
    assert c["BA9101"].potential_impact is None
    assert c["BA9101"].as_written == {"Potential Impact": "Huge"}
    assert c["XK9101"].did_it_open_government is None and c["XK9101"].starred is None
    assert c["XK9101"].as_written == {
        "Did It Open Government (Overall)": "Partially",
        "End Date": "sometime soon",
        "Gender": "maybe",
        "Start Date": "mid-2015",
        "Starred (Current Formula) End of Term": "starred?",
    }

    # dates: day first in this file (31/12/2014 proves it), at their precision
    assert (c["AL9101"].start_date, c["AL9101"].start_precision) == (dt.date(2014, 6, 1), D)
    assert (c["AL9101"].end_date, c["AL9101"].end_precision) == (dt.date(2014, 12, 31), D)
    assert (c["GE9101"].start_date, c["GE9101"].start_precision) == (dt.date(2016, 3, 5), D)
    assert (c["AL9102"].start_date, c["AL9102"].start_precision) == (dt.date(2012, 1, 1), Y)
    assert (c["AL9102"].end_date, c["AL9102"].end_precision) == (dt.date(2013, 1, 1), Y)  # 2013
    assert (c["BA9101"].start_date, c["BA9101"].start_precision) == (dt.date(2015, 1, 1), Q)
    assert (c["BA9101"].end_date, c["BA9101"].end_precision) == (dt.date(2021, 1, 1), Q)
    assert (c["MK9102"].start_date, c["MK9102"].start_precision) == (dt.date(2015, 1, 1), Q)
    assert (c["MK9101"].start_date, c["MK9101"].start_precision) == (dt.date(2015, 3, 1), S)
    assert (c["XK9101"].start_date, c["XK9101"].start_precision) == (dt.date(2015, 1, 1), Y)
    assert (c["AL9103"].start_date, c["AL9103"].start_precision) == (dt.date(2016, 6, 1), M)
    # a state, not a date: Underway, Ongoing, In progress
    for identifier in ("MK9101", "MK9102", "GE9101"):
        assert (c[identifier].ongoing, c[identifier].end_date) == (True, None), identifier
    assert c["AL9101"].ongoing is None and c["AL9101"].as_written == {}

    # ND, NR, NA are no value, nowhere
    serbia = c["RS9101"]
    assert (serbia.start_date, serbia.end_date, serbia.ongoing) == (None, None, None)
    assert serbia.potential_impact is None and serbia.completion_end is None
    assert serbia.did_it_open_government is None and serbia.potential_for_results is None
    assert (serbia.text, serbia.supporting_institutions, serbia.url) == ("", "", "")
    assert serbia.ogp_values == [] and serbia.as_written == {}

    # numbers, names, texts
    assert c["BA9101"].commitment_number == "8.3"  # 8.3000000000000007
    assert c["MK9101"].country_code == "MK"  # "Macedonia"
    assert (c["GE9101"].country_code, c["GE9101"].action_plan) == ("GE", "GE Tbilisi 2018-2020")
    assert c["AL9103"].title == "TEST DATA: short title only (fictional)"
    assert c["AL9101"].short_title == "Contracts register (test)"
    assert c["AL9101"].supporting_institutions == "Fictional CSO network; Test Institute"
    text = c["AL9101"].text
    assert text.count("\n\n") == 3 and text.endswith("\nA last line after a single line break.")

    # policy areas: OGP's columns only, never IRM's flags or helper columns
    assert c["AL9101"].policy_areas == [
        "Open Data",
        "Public Procurement",
        "Anti-Corruption and Integrity",
    ]
    assert c["GE9101"].policy_areas == ["Open Data", "Fiscal Openness", "Land & Spatial Planning"]
    assert c["RS9101"].policy_areas == [
        "Anti-Corruption and Integrity",
        "Whistleblower Protections",
    ]
    flags = {"Commitment Dummy", "Ambition Assessed", "IRM Assessed", "High Completion"}
    flags |= {"Midterm Only", "Star - Most Recently Assessed", "Carried Forward"}
    flags |= {"Cluster (AP Review)", "New Methodology", "_Helper Sort Key", "_id"}
    assert not flags & {area for commitment in c.values() for area in commitment.policy_areas}

    # natural order of the stored numbers
    albania = sorted(
        (x.commitment_number for x in c.values() if x.country_code == "AL"),
        key=commitment_sort_key,
    )
    assert albania == ["2.1", "2.10", "10.1"]


def test_real_quirks_report_every_cell_not_read_in_full(seeded_engine):
    report = import_ogp(seeded_engine, _quirks(), dry_run=True, filename="ogp_real_quirks.csv")
    assert [(p.row, p.identifier, p.column, p.value) for p in report.warnings] == [
        (4, "BA9101", "Potential Impact", "Huge"),
        (9, "XK9101", "Start Date", "mid-2015"),
        (9, "XK9101", "End Date", "sometime soon"),
        (9, "XK9101", "Gender", "maybe"),
        (9, "XK9101", "Did It Open Government (Overall)", "Partially"),
        (9, "XK9101", "Starred (Current Formula) End of Term", "starred?"),
    ]
    lines = report.lines()
    assert lines[0] == "ogp: ogp_real_quirks.csv: 9 created, 0 updated, 0 unchanged"
    warning_lines = [line for line in lines if line.startswith("warning: ")]
    assert warning_lines == report.warning_lines()
    assert [line.split(":")[1].strip() for line in warning_lines] == [
        "row 4 (BA9101)",
        "row 9 (XK9101)",
    ]  # one line per row: a row number is never listed twice
    assert "End Date 'sometime soon': not a date this importer can read" in warning_lines[1]
    assert "Start Date 'mid-2015': read as the year 2015" in warning_lines[1]
    notes = [line for line in lines if line.startswith("note: ")]
    assert (
        "note: dates such as 1/6/2014 were read day first, as the file writes 31/12/2014" in notes
    )
    assert (
        "note: columns of 0 and 1 that are not OGP policy areas this importer knows were "
        "ignored: New Methodology"
    ) in notes
    document = report.as_dict()
    assert document["file"] == "ogp_real_quirks.csv" and document["errors"] == []
    assert [entry["row"] for entry in document["warnings"]] == [4, 9]
    assert document["warnings"][1]["identifier"] == "XK9101"
    assert document["warnings"][1]["problems"][3] == {
        "column": "Did It Open Government (Overall)",
        "value": "Partially",
        "reason": "not one of Worsened, Did not change, Marginal, Major, Outstanding, "
        "No early results to report yet; left empty, kept as written",
    }


def test_long_values_are_reported_in_full_never_cut(seeded_engine):
    long_value = "An unknown rating " + "that goes on " * 400 + "to its end"
    report = import_ogp(
        seeded_engine, _quirks({"AL9101": {ogp.POTENTIAL_IMPACT: long_value}}), dry_run=True
    )
    [problem] = [p for p in report.warnings if p.identifier == "AL9101"]
    assert problem.value == long_value
    assert any(line.endswith("kept as written") and long_value in line for line in report.lines())
    assert report.as_dict()["warnings"][0]["problems"][0]["value"] == long_value


def test_a_month_first_file_is_read_month_first(seeded_engine):
    data = _quirks({"AL9101": {ogp.START_DATE: "1/6/2014", ogp.END_DATE: "12/31/2014"}})
    report = import_ogp(seeded_engine, data)
    assert report.ok
    assert "note: dates such as 1/6/2014 were read month first, as the file writes 12/31/2014" in (
        report.lines()
    )
    c = _commitments(seeded_engine)
    assert (c["AL9101"].start_date, c["AL9101"].end_date) == (
        dt.date(2014, 1, 6),
        dt.date(2014, 12, 31),
    )
    assert c["GE9101"].start_date == dt.date(2016, 5, 3)  # 5/3/2016: 3 May in this file


def test_an_all_ambiguous_file_reports_its_dates_instead_of_guessing(seeded_engine):
    data = _quirks(
        {
            "AL9101": {ogp.START_DATE: "1/6/2014", ogp.END_DATE: "2/3/2015"},
            "AL9102": {ogp.START_DATE: "1/1/2016"},  # the same day either way: read
        }
    )
    report = import_ogp(seeded_engine, data)
    assert report.ok
    c = _commitments(seeded_engine)
    assert (c["AL9101"].start_date, c["AL9101"].end_date) == (None, None)
    assert c["AL9101"].as_written == {"End Date": "2/3/2015", "Start Date": "1/6/2014"}
    assert c["AL9102"].start_date == dt.date(2016, 1, 1)
    assert c["GE9101"].start_date is None  # 5/3/2016: nothing in this file says which
    ambiguous = [(p.identifier, p.column, p.value) for p in report.warnings if "first" in p.reason]
    assert ambiguous == [
        ("AL9101", "Start Date", "1/6/2014"),
        ("AL9101", "End Date", "2/3/2015"),
        ("GE9101", "Start Date", "5/3/2016"),
    ]
    assert not [line for line in report.lines() if "were read day first" in line]


def test_a_state_written_as_a_start_date_is_kept_as_written(seeded_engine):
    report = import_ogp(seeded_engine, _quirks({"AL9102": {ogp.START_DATE: "Ongoing"}}))
    assert report.ok
    stored = _commitments(seeded_engine)["AL9102"]
    assert (stored.start_date, stored.ongoing) == (None, None)
    assert stored.as_written == {"Start Date": "Ongoing"}
    assert [(p.row, p.column, p.value) for p in report.warnings if p.identifier == "AL9102"] == [
        (3, "Start Date", "Ongoing")
    ]


def test_a_too_long_title_is_shortened_and_kept_in_full(seeded_engine):
    title = "TEST DATA: " + "a very long title " * 40
    report = import_ogp(seeded_engine, _quirks({"AL9102": {ogp.TITLE: title}}))
    assert report.ok
    stored = _commitments(seeded_engine)["AL9102"]
    assert len(stored.title) <= 500 and stored.title.endswith("…")
    assert stored.as_written == {"Commitment Title": title.strip()}
    [problem] = [p for p in report.warnings if p.identifier == "AL9102"]
    assert (problem.column, problem.value) == ("Commitment Title", title.strip())
    assert problem.reason.startswith("longer than 500 characters; shortened")


def test_columns_are_found_whatever_their_case_spacing_and_variant():
    header, rest = QUIRKS.read_bytes().split(b"\r\n", 1)
    renamed = (
        header.replace(b"Did It Open Government (Overall)", b"did it open government  (overall)")
        .replace(b"Potential For Results", b"Potential for Results (Action Plan Review)")
        .replace(b"Supporting Institution(s)", b"Supporting Institutions")
        .replace(b"Open Data", b"OPEN DATA")
    )
    result = ogp.read_ogp(renamed + b"\r\n" + rest)
    values = {identifier: row for _, identifier, row in result.rows}
    assert values["AL9101"]["did_it_open_government"] == v.OpenedGovernment.worsened
    assert values["AL9102"]["potential_for_results"] == v.PotentialForResults.substantial
    assert values["AL9101"]["supporting_institutions"].startswith("Fictional CSO network")
    assert values["AL9101"]["policy_areas"][0] == "Open Data"
    assert not [note for note in result.notes if "has no column" in note]


def test_reimporting_the_quirks_changes_nothing(seeded_engine):
    assert import_ogp(seeded_engine, _quirks()).created == QUIRK_ROWS
    again = import_ogp(seeded_engine, _quirks())
    assert (again.created, again.updated, again.unchanged) == (0, 0, QUIRK_ROWS)
    fixed = import_ogp(seeded_engine, _quirks({"BA9101": {ogp.POTENTIAL_IMPACT: "Minor"}}))
    assert fixed.changes == [("BA9101", ["as_written", "potential_impact"])]
    stored = _commitments(seeded_engine)["BA9101"]
    assert (stored.potential_impact, stored.as_written) == (v.PotentialImpact.minor, {})


# --------------------------------------------------------------------------- policy areas

# The columns DOMAIN.md names (the policy areas among them), IRM's flags, helper columns.
DOMAIN_COLUMNS = [
    "Commitment Unique Identifier",
    "Country/Locality",
    "Action Plan Number",
    "Commitment Number",
    "Region",
    "National Or Local",
    "Year Of Submission",
    "Action Plan End Year",
    "Theme",
    "Commitment Title",
    "Short Title",
    "Full Text",
    "Start Date",
    "End Date",
    "Lead Institution",
    "Supporting Institution(s)",
    "OGP Value Access To Information",
    "OGP Value Civic Participation",
    "OGP Value Public Accountability",
    "OGP Value Technology",
    "Potential Impact",
    "Completion (Progress Report)",
    "Completion (End Of Term)",
    "Did It Open Government (Overall)",
    "Starred (Current Formula) End of Term",
    "URL",
]
DOMAIN_POLICY_AREAS = [
    "Open Data",
    "Public Procurement",
    "Right To Information",
    "Open Parliaments",
    "Fiscal Openness",
]
IRM_FLAGS = [
    "Commitment Dummy",
    "Ambition Assessed",
    "IRM Assessed",
    "High Completion",
    "Midterm Only",
    "Star - Most Recently Assessed",
    "Carried Forward",
    "Cluster (AP Review)",
    "Starred (Old Formula)",
    "Starred (Current Formula) Progress Report",
    "_Helper Sort Key",
    "_id",
    "",
]


@pytest.mark.parametrize(
    "column", DOMAIN_POLICY_AREAS + ["open data", "OPEN  DATA", "Land and Spatial Planning"]
)
def test_policy_areas_are_known(column):
    assert ogp.is_policy_area(column) and not ogp.is_bookkeeping(column)


@pytest.mark.parametrize("column", DOMAIN_COLUMNS + IRM_FLAGS)
def test_other_columns_are_never_policy_areas(column):
    assert not ogp.is_policy_area(column)


@pytest.mark.parametrize("column", IRM_FLAGS)
def test_irm_flags_are_bookkeeping(column):
    assert ogp.is_bookkeeping(column)


def test_a_file_of_domain_columns_and_flags(seeded_engine):
    header = ["_id", *DOMAIN_COLUMNS, *DOMAIN_POLICY_AREAS, *IRM_FLAGS[:-1], "Brand New Flag"]
    row = dict.fromkeys(header, "1")
    row |= {
        ogp.IDENTIFIER: "AL9901",
        ogp.COUNTRY: "Albania",
        ogp.TITLE: "TEST DATA: every flag set (fictional)",
        ogp.START_DATE: "2014",
        ogp.END_DATE: "2016",
        ogp.POTENTIAL_IMPACT: "Minor",
        ogp.COMPLETION_MIDTERM: "Limited",
        ogp.COMPLETION_END: "Limited",
        ogp.OPENED_GOVERNMENT: "Marginal",
        ogp.URL: "",
        "Theme": "Test",
        "Region": "Europe",
        "National Or Local": "National",
    }
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([header, [row[name] for name in header]])
    report = import_ogp(seeded_engine, buffer.getvalue().encode())
    assert report.ok and report.warnings == [], report.lines()
    stored = _commitments(seeded_engine)["AL9901"]
    assert stored.policy_areas == DOMAIN_POLICY_AREAS
    assert any(note.endswith("were ignored: Brand New Flag") for note in report.notes)


def test_an_identifier_in_other_letter_case_is_the_same_commitment(seeded_engine):
    # Pages look commitments up without case (/commitment?id=al9001); the importer matched them
    # exactly, so `al9001` made a second AL9001 (and both could be in one file).
    import_ogp(seeded_engine, _sample())
    report = import_ogp(seeded_engine, _edited({"AL9001": {ogp.IDENTIFIER: "al9001"}}))
    assert report.ok and report.created == 0
    assert _count(seeded_engine) == FORUM_ROWS
    assert "AL9001" in _commitments(seeded_engine)


def test_one_identifier_twice_in_other_letter_cases_refuses_the_file(seeded_engine):
    edited = _edited({"RS9001": {ogp.IDENTIFIER: "al9001"}})
    report = import_ogp(seeded_engine, edited)
    assert not report.ok
    assert any("also in row" in problem.reason for problem in report.errors)
    assert _count(seeded_engine) == 0
