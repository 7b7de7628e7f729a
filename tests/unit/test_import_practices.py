"""Imports of practices (CSV, XLSX, JSON template) and `python -m forumdash import practices`, on
SQLite and PostgreSQL: export round trips, all-or-nothing, every bad row reported, labels,
dry runs, type checks on content, hostile text kept as text."""

import csv
import datetime as dt
import io
import json

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.formula import ArrayFormula
from sqlmodel import func, select

from forumdash import auth, export, repository
from forumdash import vocab as v
from forumdash.cli import main
from forumdash.db import read_session, write_session
from forumdash.filters import PracticeFilters
from forumdash.importers import practices, sniff, tables, template
from forumdash.importers.practices import TEMPLATE_HEADERS, import_practices, read_practices
from forumdash.importers.run import run_import
from forumdash.importers.sniff import InvalidFile, detect_format
from forumdash.models import Practice, Revision
from forumdash.versioned_cache import data_version

SOURCE = "A source <https://example.org/source>"


# --------------------------------------------------------------------------- helpers


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _example() -> dict[str, str]:
    header, example = _csv_rows(template.template_csv())
    return dict(zip(header, example, strict=True))


def _row(slug: str, cells: dict[str, str] | None = None) -> dict[str, str]:
    """A valid, real (not sample) practice as template cells, with some cells changed."""
    row = _example() | {
        "Slug": slug,
        "Title": f"Test practice {slug}",
        "Summary": "A test practice made up for this test.",
        "Sample": "no",
        "Sources": SOURCE,
    }
    return row | (cells or {})


def _csv(*rows: dict[str, str], delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=TEMPLATE_HEADERS, delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _csv_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _published(engine):
    with read_session(engine) as session:
        return repository.matching_practices(session=session, filters=PracticeFilters())


def _state(engine) -> tuple[int, int, tuple[str, int]]:
    """Practices, revisions and the data version: what a write would change."""
    with read_session(engine) as session:
        practices_n = session.exec(select(func.count()).select_from(Practice)).one()
        revisions_n = session.exec(select(func.count()).select_from(Revision)).one()
        return practices_n, revisions_n, data_version(session)


def _stored(engine, slug: str) -> Practice:
    with read_session(engine) as session:
        return session.exec(select(Practice).where(Practice.slug == slug)).one()


def _full(engine, slug: str):
    practice_id = _stored(engine, slug).id
    with read_session(engine) as session:
        return repository.get_practice(
            session=session, practice_id=practice_id, published_only=False
        )


# --------------------------------------------------------------------------- pure: the file


def _xlsx_bytes() -> bytes:
    return template.template_xlsx()


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"Slug,Title\r\nx,y\r\n", "practices.csv", "csv"),
        ("\ufeffSlug;Title\r\nx;y\r\n".encode(), "practices.csv", "csv"),
        ("Slug,Title\r\nx,Tiranë\r\n".encode("cp1252"), "practices.csv", "csv"),
        (b'{"practices": []}', "practices.json", "json"),
        (b"[]", "practices.json", "json"),
        (None, "practices.xlsx", "xlsx"),
        (b"Slug,Title\r\nx,y\r\n", "no-extension", "csv"),
        (b"Slug,Title\r\nx,y\r\n", "practices.xlsx", "named .xlsx but holds CSV text"),
        (None, "practices.csv", "named .csv but holds an Excel workbook"),
        (b'{"practices": []}', "practices.csv", "named .csv but holds JSON"),
        (b'{"practices": [', "practices.json", "not valid JSON"),
        (b"\xd0\xcf\x11\xe0" + bytes(600), "practices.xlsx", "old-style Excel workbook"),
        (b"PK\x03\x04 not really a zip", "practices.xlsx", "binary data"),
        (b"%PDF-1.7 ...", "practices.csv", "holds a PDF document, not a table"),
        (b"\x89PNG\r\n\x1a\n\x00", "practices.xlsx", "named .xlsx but holds a PNG image"),
        (bytes(range(256)) * 4, "practices.csv", "binary data"),
        (b"Slug,Title\r\nx,y\r\n", "practices.txt", "files ending in .txt are not accepted"),
        (b"Name,Age\r\nx,3\r\n", "people.csv", "lacks the column(s) Title"),
        (b"", "practices.csv", "is empty"),
        (b"  \r\n", "practices.csv", "is empty"),
    ],
)
def test_detect_format_on_content(data, name, expected):
    data = _xlsx_bytes() if data is None else data
    if expected in sniff.FORMATS:
        assert detect_format(data, name, required_columns=["Title"]) == expected
    else:
        with pytest.raises(InvalidFile, match=expected.replace("(", r"\(").replace(")", r"\)")):
            detect_format(data, name, required_columns=["Title"])


def test_size_limit_before_parsing():
    data = b"Slug,Title\r\n" + b"x" * sniff.MAX_BYTES
    with pytest.raises(InvalidFile, match=f"the limit is {sniff.MAX_MEGABYTES} MB"):
        detect_format(data, "big.csv")


def test_workbook_that_unpacks_too_far_is_refused(monkeypatch):
    monkeypatch.setattr(tables, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(InvalidFile, match="would unpack to"):
        read_practices(template.template_xlsx(), "xlsx")


def test_every_export_column_is_understood():
    """A column added to the export must be taught to the importer (or marked read-only)."""
    assert set(export.HEADERS) <= set(practices.HEADER_KEYS)
    assert set(TEMPLATE_HEADERS) == set(export.HEADERS) | {"Slug", "Adapted from"}
    assert [h for h in TEMPLATE_HEADERS if h in export.HEADERS] == export.HEADERS


def test_template_csv():
    data = template.template_csv()
    assert data.startswith(b"\xef\xbb\xbf")
    header, example = _csv_rows(data)
    assert header == TEMPLATE_HEADERS
    row = dict(zip(header, example, strict=True))
    assert row["Slug"] == practices.EXAMPLE_SLUG and row["Sample"] == "yes"
    rows, errors = read_practices(data, "csv")
    assert errors == []
    [(number, practice)] = rows
    assert number == 2 and practice.sample and practice.workflow == v.Workflow.draft


def test_template_xlsx_lists_every_allowed_value():
    book = load_workbook(io.BytesIO(template.template_xlsx()))
    assert book.sheetnames == ["Practices", "Instructions"]
    sheet = book["Practices"]
    assert [cell.value for cell in sheet[1]] == TEMPLATE_HEADERS
    slug_column = TEMPLATE_HEADERS.index(practices.SLUG_HEADER) + 1
    assert sheet.cell(row=2, column=slug_column).value == practices.EXAMPLE_SLUG
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    guide = {row[0]: row for row in book["Instructions"].iter_rows(values_only=True) if row}
    for header, vocabulary in [
        ("Stage", v.Stage),
        ("Actor type", v.ActorType),
        ("Rated by", v.RatedBy),
        ("OGP values", v.OgpValue),
        ("Outcome areas", v.OutcomeArea),
    ]:
        allowed = guide[header][2]
        for member in vocabulary:
            assert member.label in allowed and member.value in allowed, (header, member)
    assert "open-data" in guide["Themes"][2] and "XK" in guide["Country code"][2]
    assert book["Practices"].data_validations.dataValidation  # drop-down lists of labels
    rows, errors = read_practices(template.template_xlsx(), "xlsx")
    assert errors == [] and [number for number, _ in rows] == [2]


def test_read_links_lists_and_quotes():
    data = _csv(
        _row(
            "links",
            {
                "Sources": "Law; amended <https://example.org/a;b>; A book; https://example.org/c",
                "Evidence links": "Report <https://example.org/r>",
                "Themes": "open-data, Open budgets",
                "OGP values": "access_to_information; Civic participation",
                "Title": "'=1+1",
                "Partners": "'s-Hertogenbosch partners",
            },
        )
    )
    [(_, practice)], errors = read_practices(data, "csv")
    assert errors == []
    assert [(s.title, s.url) for s in practice.sources] == [
        ("Law", ""),
        ("amended", "https://example.org/a;b"),
        ("A book", ""),
        ("https://example.org/c", "https://example.org/c"),
    ]
    assert practice.assessment.evidence_links[0].url == "https://example.org/r"
    assert practice.themes == ["open-data", "Open budgets"]  # names need the database's themes
    assert practice.ogp_values == [v.OgpValue.access_to_information, v.OgpValue.civic_participation]
    assert practice.title == "=1+1"  # the export's neutralising quote comes off again
    assert practice.partners == "'s-Hertogenbosch partners"  # a quote that protects nothing stays


def test_semicolon_separated_csv_from_a_european_excel():
    [(_, practice)], errors = read_practices(_csv(_row("semi"), delimiter=";"), "csv")
    assert errors == [] and practice.slug == "semi"


def test_unknown_columns_are_noted_not_fatal():
    header, example = _csv_rows(template.template_csv())
    data = _csv_bytes([[*header, "Remarks"], [*example, "ignored"]])
    result = practices.read_practice_file(data, "csv")
    assert result.errors == [] and "Remarks" in result.notes[0]


def test_missing_required_columns_refuse_the_file():
    data = _csv_bytes([["Title", "Summary"], ["A", "B"]])
    with pytest.raises(InvalidFile, match="lacks the column.*Slug.*Country code.*Stage"):
        read_practices(data, "csv")


# --------------------------------------------------------------------------- the database


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_export_round_trip_changes_nothing(seeded_engine, fmt):
    published = _published(seeded_engine)
    assert any(p.adapted_from_id for p in published)  # the link survives a CSV without it
    data = export.export(published, fmt)
    before = _state(seeded_engine)
    report = import_practices(seeded_engine, data, fmt)
    assert report.ok, report.lines()
    assert (report.created, report.updated, report.unchanged) == (0, 0, len(published))
    assert _state(seeded_engine) == before  # not even the data version moved
    assert _published(seeded_engine) == published


def test_export_without_slugs_is_matched_by_id_of_this_database_only(seeded_engine):
    published = _published(seeded_engine)
    # An export made before exports carried the slug: drop that column.
    with_slugs = _csv_rows(export.to_csv(published))
    slug_at = with_slugs[0].index(practices.SLUG_HEADER)
    rows = [row[:slug_at] + row[slug_at + 1 :] for row in with_slugs]
    header = rows[0]
    report = import_practices(seeded_engine, _csv_bytes(rows), "csv")
    assert f"{len(published)} rows without a slug matched by ID" in report.lines()[-1]
    country, identifier = header.index("Country code"), header.index("ID")
    moved, unknown = rows[1], rows[2]  # spreadsheet rows 2 and 3
    stored_country = moved[country]
    moved[country] = "AL" if stored_country != "AL" else "RS"  # as if from another database
    unknown[identifier] = "999999"
    report = import_practices(seeded_engine, _csv_bytes(rows), "csv")
    assert {p.row: p.reason for p in report.errors} == {
        2: f"Slug: required: ID {moved[identifier]} here is a practice of {stored_country}, "
        f"not of {moved[country]} (is the file an export of another database?)",
        3: "Slug: required (ID 999999 is not a practice here)",
    }


def test_edited_json_export_updates_and_creates(seeded_engine):
    published = _published(seeded_engine)
    document = json.loads(export.to_json(published))
    first, second = document["practices"][:2]
    first["title"] = "A corrected title"
    new = dict(second, slug="new-from-json", title="A new practice", id=None)
    document["practices"].append(new)
    report = import_practices(seeded_engine, json.dumps(document).encode(), "json", user_id=None)
    assert report.ok, report.lines()
    assert (report.created, report.updated) == (1, 1)
    assert report.unchanged == len(published) - 1
    assert _stored(seeded_engine, "new-from-json").workflow == v.Workflow.draft
    edited = _stored(seeded_engine, first["slug"])
    assert edited.title == "A corrected title" and edited.workflow == v.Workflow.published
    with read_session(seeded_engine) as session:
        history = repository.practice_history(session=session, practice_id=edited.id)
    assert history[-1].action == "import"
    assert set(history[-1].after) == {"title"}
    # The report names the record it changed and the fields, so an old export cannot quietly
    # undo a later edit: a dry run says so first.
    assert report.changes == [(first["slug"], ["title"])]
    assert f"changed: {first['slug']} (title)" in report.lines()
    first["title"] = "Another title"
    dry = import_practices(
        seeded_engine, json.dumps(document).encode(), "json", user_id=None, dry_run=True
    )
    assert f"would change: {first['slug']} (title)" in dry.lines()
    assert _stored(seeded_engine, first["slug"]).title == "A corrected title"


def test_three_bad_rows_are_all_reported_and_nothing_is_written(seeded_engine):
    data = _csv(
        _row("fine-one"),
        _row("bad-stage", {"Stage": "finished"}),
        _row("fine-two"),
        _row("bad-country", {"Country code": "ZZ"}),
        _row("bad-many", {"Summary": "", "Themes": "", "Start date": "3/4/2020"}),
    )
    before = _state(seeded_engine)
    report = import_practices(seeded_engine, data, "csv")
    assert not report.ok
    assert report.error_rows() == [3, 5, 6]
    lines = report.lines()
    assert lines[0] == "practices: 3 invalid rows; nothing was written"
    assert lines[1].startswith("row 3: Stage: 'finished' is not one of Identifying problems")
    assert (
        lines[2] == "row 5: Country code: 'ZZ' is not one of AL, BA, XK, ME, MK, RS, HR, GB, GE, PL"
    )
    assert lines[3] == (
        "row 6: Summary: required; Themes: choose 1 to 3 themes; "
        "Start date: '3/4/2020' is not a date: write it as YYYY-MM-DD"
    )
    assert report.created == report.updated == 0
    assert _state(seeded_engine) == before
    assert report.as_dict()["errors"][0] == {
        "row": 3,
        "identifier": "",
        "problems": [{"column": "", "value": "", "reason": lines[1].removeprefix("row 3: ")}],
    }


def test_duplicate_slugs_unknown_parents_and_loops(seeded_engine):
    data = _csv(
        _row("child", {"Adapted from": "parent"}),
        _row("parent"),
        _row("child"),
        _row("orphan", {"Adapted from": "no-such-practice"}),
        _row("loop-a", {"Adapted from": "loop-b"}),
        _row("loop-b", {"Adapted from": "loop-a"}),
    )
    report = import_practices(seeded_engine, data, "csv")
    reasons = {p.row: p.reason for p in report.errors}
    assert set(reasons) == {4, 5, 6, 7}
    assert reasons[4] == "Slug: 'child' is also in row 2"
    assert "no practice has the slug 'no-such-practice'" in reasons[5]
    assert "loop" in reasons[6] and "loop" in reasons[7]


def test_a_practice_adapted_from_a_later_row_is_created_after_it(seeded_engine):
    data = _csv(_row("child", {"Adapted from": "parent"}), _row("parent"))
    report = import_practices(seeded_engine, data, "csv")
    assert report.ok and report.created == 2, report.lines()
    assert _stored(seeded_engine, "child").adapted_from_id == _stored(seeded_engine, "parent").id


def test_labels_and_values_are_both_accepted(seeded_engine):
    data = _csv(
        _row(
            "labels",
            {
                "Level of government": "NATIONAL",
                "Actor type": "Civil society (CSO)",
                "Stage": "diffusing_lessons",
                "Themes": "Open data; anti-corruption",
                "OGP values": "Technology and innovation; public_accountability",
                "Outcome areas": "less corruption",
                "Completion": "not_started",
                "Potential impact": "Transformative",
                "Early results": "did not change",
                "Rated by": "Self-assessed",
                "Evidence level": "Formal evaluation",
                "Country code": "",
                "Country": "Macedonia",
                "Ongoing": "no",
            },
        )
    )
    report = import_practices(seeded_engine, data, "csv")
    assert report.ok, report.lines()
    practice = _full(seeded_engine, "labels")
    assert practice.country_code == "MK"
    assert practice.level == v.GovLevel.national
    assert practice.actor_type == v.ActorType.cso
    assert practice.stage == v.Stage.diffusing_lessons
    assert practice.themes == ["open-data", "anti-corruption"]
    assert practice.ogp_values == [
        v.OgpValue.public_accountability,
        v.OgpValue.technology_innovation,
    ]
    assert practice.outcome_areas == [v.OutcomeArea.less_corruption]
    assert practice.completion == v.Completion.not_started
    assert practice.potential_impact == v.PotentialImpact.transformative
    assert practice.early_results == v.EarlyResults.did_not_change
    assert practice.rated_by == v.RatedBy.self_assessed
    assert practice.evidence_level == v.EvidenceLevel.formal_evaluation


def test_xlsx_import(seeded_engine):
    book = load_workbook(io.BytesIO(template.template_xlsx()))
    sheet = book["Practices"]
    row = _row("from-xlsx", {"Title": "From a workbook", "Start year": "", "Start date": ""})
    for column, header in enumerate(TEMPLATE_HEADERS, start=1):
        sheet.cell(row=4, column=column, value=row[header] or None)  # row 3 left blank
    sheet.cell(row=4, column=TEMPLATE_HEADERS.index("Start date") + 1, value=dt.date(2021, 5, 3))
    buffer = io.BytesIO()
    book.save(buffer)
    report = import_practices(seeded_engine, buffer.getvalue(), "xlsx")
    assert report.ok, report.lines()
    assert report.created == 2  # the sample row of the template and ours
    stored = _stored(seeded_engine, "from-xlsx")
    assert stored.title == "From a workbook"
    assert (stored.start_date, stored.start_year) == (dt.date(2021, 5, 3), 2021)
    assert _stored(seeded_engine, practices.EXAMPLE_SLUG).is_sample


def test_xlsx_row_numbers_are_the_sheet_rows(seeded_engine):
    book = load_workbook(io.BytesIO(template.template_xlsx()))
    sheet = book["Practices"]
    for number, row in [(5, _row("fine")), (9, _row("bad", {"Stage": "finished"}))]:
        for column, header in enumerate(TEMPLATE_HEADERS, start=1):
            sheet.cell(row=number, column=column, value=row[header] or None)
    buffer = io.BytesIO()
    book.save(buffer)
    report = import_practices(seeded_engine, buffer.getvalue(), "xlsx")
    assert report.error_rows() == [9]


def test_xlsx_array_formula_and_time_cells_come_in_as_their_text():
    # openpyxl gives an array formula as an object, not as the formula's text.
    book = Workbook()
    sheet = book.active
    sheet.append(["Title", "Start", "Year"])
    sheet["A2"] = ArrayFormula("A2:A2", "=SUM(1,2)")
    sheet["B2"] = dt.time(10, 30)
    sheet["C2"] = 2024
    buffer = io.BytesIO()
    book.save(buffer)
    table = tables.read_xlsx(buffer.getvalue())
    assert table.header == ["Title", "Start", "Year"]
    assert table.rows == [(2, ["=SUM(1,2)", "10:30:00", 2024])]


def test_json_import_of_create_records(seeded_engine):
    records = [
        {
            "slug": "json-one",
            "title": "From JSON",
            "country": "RS",
            "summary": "A practice given as JSON.",
            "body": {"methods": "Line one.\nLine two."},
            "level": "Local",
            "actor_type": "government",
            "themes": ["open-data"],
            "stage": "implementing",
            "assessment": {"completion": "Limited"},
            "sources": [{"title": "Source", "url": "https://example.org/s"}],
        },
        {"slug": "json-two", "title": "No summary", "country": "RS"},
        "not an object",
    ]
    report = import_practices(seeded_engine, json.dumps(records).encode(), "json")
    assert report.error_rows() == [2, 3]
    assert report.lines()[1].startswith("record 2: ")
    assert "summary: required" in report.lines()[1]
    report = import_practices(seeded_engine, json.dumps(records[:1]).encode(), "json")
    assert report.ok and report.created == 1
    practice = _full(seeded_engine, "json-one")
    assert practice.body == {"methods": "Line one.\nLine two."}
    assert practice.completion == v.Completion.limited


def test_dry_run_reports_the_same_counts_and_writes_nothing(seeded_engine):
    published = _published(seeded_engine)
    document = json.loads(export.to_json(published))
    document["practices"][0]["summary"] = "A changed summary."
    document["practices"].append(dict(document["practices"][1], slug="dry-new", id=None))
    data = json.dumps(document).encode()
    before = _state(seeded_engine)
    dry = import_practices(seeded_engine, data, "json", dry_run=True)
    assert dry.ok and dry.dry_run
    assert _state(seeded_engine) == before
    assert "dry run: nothing was written" in dry.lines()[-1]
    real = import_practices(seeded_engine, data, "json")
    assert (dry.created, dry.updated, dry.unchanged) == (real.created, real.updated, real.unchanged)
    assert (real.created, real.updated) == (1, 1)


def test_hostile_text_is_stored_verbatim(seeded_engine):
    hyperlink = '=HYPERLINK("http://evil.example","click")'
    script = "<script>alert(1)</script>"
    data = _csv(
        _row(
            "hostile",
            {
                "Title": hyperlink,
                "Summary": script,
                "Methods": "@SUM(A1)",
                "Partners": "+1",
                "Sources": f"{script} <https://example.org/s>",
            },
        )
    )
    assert import_practices(seeded_engine, data, "csv").ok
    stored = _stored(seeded_engine, "hostile")
    assert (stored.title, stored.summary, stored.methods) == (hyperlink, script, "@SUM(A1)")
    assert stored.partners == "+1"
    assert stored.sources == [{"title": script, "url": "https://example.org/s"}]

    # A real formula in a workbook comes in as its text, never as a computed value.
    book = load_workbook(io.BytesIO(template.template_xlsx()))
    sheet = book["Practices"]
    row = _row("hostile-xlsx")
    for column, header in enumerate(TEMPLATE_HEADERS, start=1):
        sheet.cell(row=3, column=column, value=row[header] or None)
    formula = sheet.cell(row=3, column=TEMPLATE_HEADERS.index("Title") + 1, value=hyperlink)
    assert formula.data_type == "f"
    buffer = io.BytesIO()
    book.save(buffer)
    assert import_practices(seeded_engine, buffer.getvalue(), "xlsx").ok
    assert _stored(seeded_engine, "hostile-xlsx").title == hyperlink


def test_too_long_values_are_bad_rows_on_every_database(seeded_engine):
    data = _csv(_row("long", {"Lead institution": "x" * 301, "Action plan": "y" * 41}))
    report = import_practices(seeded_engine, data, "csv")
    [(row, reason)] = [(p.row, p.reason) for p in report.errors]
    assert row == 2
    assert "Lead institution: at most 300 characters; this one has 301" in reason
    assert "Action plan: at most 40 characters" in reason


def test_only_draft_submitted_or_published(seeded_engine):
    with pytest.raises(ValueError, match="not rejected"):
        import_practices(seeded_engine, _csv(_row("x")), "csv", workflow="rejected")


def test_run_import_checks_the_file_first_and_credits_the_user(seeded_engine):
    before = _state(seeded_engine)
    with pytest.raises(InvalidFile, match="named .xlsx but holds CSV text"):
        run_import(seeded_engine, "practices", _csv(_row("x")), "upload.xlsx")
    with pytest.raises(InvalidFile, match="files ending in .xlsx are not accepted; use .csv"):
        run_import(seeded_engine, "ogp", template.template_xlsx(), "commitments.xlsx")
    with pytest.raises(InvalidFile, match=f"the limit is {sniff.MAX_MEGABYTES} MB"):
        run_import(seeded_engine, "practices", b"x" * (sniff.MAX_BYTES + 1), "big.csv")
    assert _state(seeded_engine) == before
    with write_session(seeded_engine) as session:
        user_id = auth.create_user(
            session=session,
            actor=auth.SYSTEM,
            email="organiser@example.org",
            password="a long enough password",
            role=v.Role.organiser,
        )
    report = run_import(
        seeded_engine, "practices", _csv(_row("credited")), "up.csv", user_id=user_id
    )
    assert report.ok and report.created == 1
    stored = _stored(seeded_engine, "credited")
    assert (stored.created_by_id, stored.workflow) == (user_id, v.Workflow.draft)


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


def test_cli_import_practices(cli_db, capsys, tmp_path):
    path = tmp_path / "practices.csv"
    path.write_bytes(_csv(_row("cli-one"), _row("cli-two")))
    code, out, err = run(capsys, "import", "practices", str(path), "--dry-run")
    assert code == 0, err
    assert out.splitlines()[0] == "practices: practices.csv: 2 created, 0 updated, 0 unchanged"
    assert "dry run" in out
    code, out, err = run(capsys, "import", "practices", str(path), "--workflow", "published")
    read_as = "note: read as UTF-8 (plain ASCII)\n"
    done = "practices: practices.csv: 2 created, 0 updated, 0 unchanged\n"
    assert code == 0 and out == done + read_as
    assert _stored(cli_db, "cli-one").workflow == v.Workflow.published
    code, out, _ = run(capsys, "import", "practices", str(path))
    again = "practices: practices.csv: 0 created, 0 updated, 2 unchanged\n"
    assert code == 0 and out == again + read_as


def test_cli_bad_rows_exit_2_and_list_them(cli_db, capsys, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(_csv(_row("ok"), _row("bad", {"Stage": "finished"})))
    before = _state(cli_db)
    code, out, err = run(capsys, "import", "practices", str(path))
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert lines[0] == "error: bad.csv: 1 invalid row; nothing was written"
    assert lines[1].startswith("row 3: Stage: 'finished' is not one of")
    assert _state(cli_db) == before


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.csv", None, "error: cannot read"),
        ("fake.xlsx", b"Slug,Title\r\nx,y\r\n", "error: fake.xlsx is named .xlsx but holds CSV"),
        ("notes.txt", b"Slug,Title\r\n", "error: notes.txt: files ending in .txt are not"),
        ("empty.csv", b"", "error: empty.csv is empty"),
    ],
)
def test_cli_unreadable_or_wrong_file_is_one_line(cli_db, capsys, tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    before = _state(cli_db)
    code, out, err = run(capsys, "import", "practices", str(path))
    assert code == 2 and out == ""
    assert err.startswith(message) and len(err.strip().splitlines()) == 1
    assert _state(cli_db) == before
