"""Exports of the filtered practices (CSV, XLSX, JSON) and `python -m forumdash export`, on SQLite
and PostgreSQL: formula safety, encodings, exactly the filtered set, one-line CLI errors."""

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from forumdash import export, repository
from forumdash import vocab as v
from forumdash.cli import main
from forumdash.db import read_session, write_session
from forumdash.filters import PracticeFilters, from_params
from forumdash.models import PracticeCreate, PracticePublic

HOSTILE = ['=HYPERLINK("http://evil")', "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "＝1"]
TRIGGERS = tuple("=+-@\t\r＝＋－＠")
ALBANIAN = "Qeverisje e hapur në Shqipëri: çështjet e buxhetit"
CYRILLIC = "Отворени податоци во Србија и Македонија"


def _practice(slug: str, country: str = "MK", **changes) -> PracticeCreate:
    fields = {
        "slug": slug,
        "title": "Open data portal of a municipality",
        "country": country,
        "summary": "A municipality publishes its budget and contracts as open data.",
        "level": v.GovLevel.local,
        "actor_type": v.ActorType.government,
        "themes": ["open-data"],
        "stage": v.Stage.implementing,
        "start_year": 2020,
        "sources": [{"title": "A source", "url": "https://example.org/source"}],
        "workflow": v.Workflow.published,
    }
    return PracticeCreate(**(fields | changes))


def _insert(engine, *practices: PracticeCreate) -> list[int]:
    with write_session(engine) as session:
        return [repository.create_practice(session=session, practice_in=p) for p in practices]


def _hostile_practice() -> PracticeCreate:
    return _practice(
        "mk-hostile",
        title=HOSTILE[0],
        summary=HOSTILE[1],
        lead_institution=HOSTILE[2],
        partners=HOSTILE[3],
        contact=HOSTILE[4],
        transferability=HOSTILE[5],
        transfer_conditions=HOSTILE[6],
        action_plan="+1",
        commitment_ref="-2+3",
        body={"problem_purpose": "@SUM(A1)", "methods": "=1+1"},
        assessment={"evidence_links": [{"title": "-2+3", "url": "https://example.org/e"}]},
        sources=[
            {"title": "@SUM(A1)", "url": "https://example.org/evil"},
            {"title": HOSTILE[0]},
        ],
    )


def _everything(engine, filters: PracticeFilters | None = None) -> list[PracticePublic]:
    with read_session(engine) as session:
        return repository.matching_practices(session=session, filters=filters or PracticeFilters())


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _xlsx_cells(data: bytes):
    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for line in sheet.iter_rows() for cell in line]


def _xlsx_rows(data: bytes) -> list[list]:
    book = load_workbook(io.BytesIO(data))
    return [list(line) for line in book["Practices"].iter_rows(values_only=True)]


def _starts_like_formula(text: str) -> bool:
    return text.startswith(TRIGGERS) or text.lstrip().startswith(TRIGGERS)


def _public(practice_id: int = 1, **changes) -> PracticePublic:
    """A practice as the repository returns it, made by hand for the pure writers."""
    fields = {
        "id": practice_id,
        "slug": f"p-{practice_id}",
        "title": "A practice",
        "summary": "What it does.",
        "body": {},
        "country_code": "RS",
        "country_name": "Serbia",
        "level": "national",
        "lead_institution": "",
        "partners": "",
        "actor_type": "cso",
        "themes": ["open-data"],
        "ogp_values": [],
        "outcome_areas": [],
        "stage": "implementing",
        "start_year": None,
        "start_date": None,
        "end_date": None,
        "ongoing": False,
        "action_plan": "",
        "commitment_ref": "",
        "completion": None,
        "potential_impact": None,
        "early_results": None,
        "rated_by": None,
        "evidence_level": None,
        "evidence_links": [],
        "transferability": "",
        "transfer_conditions": "",
        "adapted_from_id": None,
        "contact": "",
        "sources": [],
        "original_language": "sr",
        "workflow": "published",
        "is_sample": False,
        "published_at": dt.datetime(2026, 11, 27, 9, 30, tzinfo=dt.UTC),
        "updated_at": dt.datetime(2026, 11, 27, 9, 30, tzinfo=dt.UTC),
    }
    return PracticePublic.model_validate(fields | changes)


# --------------------------------------------------------------------------- pure functions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("＝1", "'＝1"),
        ("＋1", "'＋1"),
        ("－1", "'－1"),
        ("＠A1", "'＠A1"),
        ("  =1", "'  =1"),
        ("\n-1", "'\n-1"),
        ("\u200b=1", "'\u200b=1"),
        ("'=1", "'=1"),
        ("a=b", "a=b"),
        ("Mostar - Sarajevo", "Mostar - Sarajevo"),
        ("Србија", "Србија"),
        ("   ", "   "),
        ("", ""),
    ],
)
def test_neutralise(text, expected):
    assert export.neutralise(text) == expected


def test_writers_neutralise_tab_and_carriage_return():
    """Validation strips leading tabs and CRs; the writers must not rely on it."""
    practice = _public(title="\t=1", summary="\r=1", partners="＝1", contact=" @x")
    for line in _csv_rows(export.to_csv([practice])):
        assert not any(_starts_like_formula(cell) for cell in line)
    for cell in _xlsx_cells(export.to_xlsx([practice])):
        assert cell.data_type != "f"
        assert not (isinstance(cell.value, str) and _starts_like_formula(cell.value))


def test_csv_shape(monkeypatch):
    monkeypatch.delenv("FORUMDASH_PUBLIC_URL", raising=False)
    data = export.to_csv([_public(1), _public(2, title='Say "yes", then\nnew line')])
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.endswith(b"\r\n")
    rows = _csv_rows(data)
    assert rows[0] == export.HEADERS
    assert [row[0] for row in rows[1:]] == ["1", "2"]
    assert rows[2][export.HEADERS.index("Title")] == 'Say "yes", then\nnew line'
    assert rows[1][export.HEADERS.index("Link")] == "/practice?id=1"
    assert rows[1][export.HEADERS.index("Published at (UTC)")] == "2026-11-27 09:30:00"


def test_links_are_full_addresses_when_the_site_says_where_it_is(monkeypatch):
    """A file is read away from the site: with FORUMDASH_PUBLIC_URL set, its links work there."""
    monkeypatch.setenv("FORUMDASH_PUBLIC_URL", "https://forum.example.org/")
    assert export.practice_path(7) == "https://forum.example.org/practice?id=7"
    monkeypatch.setenv("FORUMDASH_PUBLIC_URL", "javascript:alert(1)")
    assert export.practice_path(7) == "/practice?id=7"


def test_labels_in_spreadsheets_values_in_json():
    practice = _public(
        ogp_values=["access_to_information", "technology_innovation"],
        rated_by="self",
        themes=["open-data", "open-budgets"],
        sources=[{"title": "Law", "url": "https://example.org/law"}, {"title": "A book"}],
        is_sample=True,
    )
    header = export.HEADERS
    line = _csv_rows(export.to_csv([practice]))[1]
    assert line[header.index("OGP values")] == "Access to information; Technology and innovation"
    assert line[header.index("Rated by")] == "Self-assessed"
    assert line[header.index("Actor type")] == "Civil society (CSO)"
    assert line[header.index("Themes")] == "open-data; open-budgets"
    assert line[header.index("Sources")] == "Law <https://example.org/law>; A book"
    assert line[header.index("Sample")] == "yes"
    document = json.loads(export.to_json([practice], PracticeFilters()))
    item = document["practices"][0]
    assert item["ogp_values"] == ["access_to_information", "technology_innovation"]
    assert item["rated_by"] == "self"
    assert item["actor_type"] == "cso"
    assert item["sources"] == [
        {"title": "Law", "url": "https://example.org/law"},
        {"title": "A book", "url": ""},
    ]
    assert item["sample"] is True
    assert item["published_at"] == "2026-11-27T09:30:00Z"


def test_json_shape_and_stable_keys():
    filters = PracticeFilters(countries=("MK", "RS"), q="open data", page=3, per_page=50)
    practices = [_public(1), _public(2, body={"context": "Why."}, completion="limited")]
    moment = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)
    document = json.loads(export.to_json(practices, filters, now=moment))
    assert list(document) == ["exported_at", "filters", "count", "practices"]
    assert document["exported_at"] == "2026-11-27T10:00:00Z"
    # An export holds every page of the view, so the page is not part of its filters.
    assert document["filters"] == {"country": ["MK", "RS"], "q": ["open data"]}
    assert document["count"] == 2
    first, second = document["practices"]
    assert list(first) == list(second)
    assert list(first["body"]) == [key for key, _ in v.BODY_SECTIONS]
    assert (first["body"]["context"], second["body"]["context"]) == ("", "Why.")


def test_xlsx_layout():
    moment = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)
    filters = PracticeFilters(stages=("evaluating",))
    data = export.to_xlsx([_public(1, start_year=2019)], filters, now=moment)
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Practices", "About"]
    sheet = book["Practices"]
    assert [cell.value for cell in sheet[1]] == export.HEADERS
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet["A2"].value == 1 and sheet["A2"].data_type == "n"
    start_year = sheet.cell(row=2, column=export.HEADERS.index("Start year") + 1)
    assert start_year.value == 2019
    about = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True)}
    assert about["Exported at (UTC)"] == dt.datetime(2026, 11, 27, 10, 0)
    assert about["Practices"] == 1
    assert "Stage: Evaluating" in about["Filters"]


def test_xlsx_cells_fit_excel():
    practice = _public(summary="=" + "x" * 40_000, partners="y" * 40_000)
    (_, line) = _xlsx_rows(export.to_xlsx([practice]))
    summary = line[export.HEADERS.index("Summary")]
    partners = line[export.HEADERS.index("Partners")]
    assert len(summary) == len(partners) == export.XLSX_MAX_CELL_CHARS
    assert summary.startswith("'=x") and partners.endswith("y…")


def test_formats_and_filename():
    assert set(export.FORMATS) == {"csv", "xlsx", "json"}
    day = dt.date(2026, 11, 27)
    assert export.filename(PracticeFilters(), "csv", today=day) == (
        "forumdash-practices-2026-11-27.csv"
    )
    assert export.filename(PracticeFilters(countries=("MK", "RS")), "xlsx", today=day) == (
        "forumdash-practices-mk-rs-2026-11-27.xlsx"
    )
    with pytest.raises(ValueError, match="unknown export format"):
        export.export([], "pdf", PracticeFilters())


# --------------------------------------------------------------------------- from the database


def test_exports_are_formula_safe(seeded_engine):
    (hostile_id,) = _insert(seeded_engine, _hostile_practice())
    practices = _everything(seeded_engine)
    assert hostile_id in [p.id for p in practices]

    data = export.to_xlsx(practices, PracticeFilters(q='=HYPERLINK("x")'))
    for cell in _xlsx_cells(data):
        assert cell.data_type != "f", cell.coordinate
        if isinstance(cell.value, str):
            assert not _starts_like_formula(cell.value), (cell.coordinate, cell.value)
    rows = _xlsx_rows(data)
    title = export.HEADERS.index("Title")
    (hostile,) = [row for row in rows if row[0] == hostile_id]
    assert hostile[title] == "'" + HOSTILE[0]

    lines = _csv_rows(export.to_csv(practices))
    for line in lines:
        for cell in line:
            assert not _starts_like_formula(cell), cell
    (hostile,) = [line for line in lines if line[0] == str(hostile_id)]
    assert hostile[title] == "'" + HOSTILE[0]
    assert hostile[export.HEADERS.index("Sources")].startswith("'@SUM(A1) <https://")

    # JSON is data: it keeps the text exactly as stored.
    document = json.loads(export.to_json(practices, PracticeFilters()))
    (item,) = [p for p in document["practices"] if p["id"] == hostile_id]
    assert item["title"] == HOSTILE[0]
    assert item["summary"] == "+1"


def test_albanian_and_cyrillic_round_trip(seeded_engine):
    (practice_id,) = _insert(
        seeded_engine,
        _practice(
            "al-encoding",
            country="AL",
            title=ALBANIAN,
            summary=CYRILLIC,
            lead_institution="Министерство за информатичко општество",
        ),
    )
    practices = _everything(seeded_engine, PracticeFilters(countries=("AL",)))
    title, summary = export.HEADERS.index("Title"), export.HEADERS.index("Summary")

    data = export.to_csv(practices)
    assert data.startswith(b"\xef\xbb\xbf")
    (line,) = [line for line in _csv_rows(data) if line[0] == str(practice_id)]
    assert (line[title], line[summary]) == (ALBANIAN, CYRILLIC)

    (row,) = [row for row in _xlsx_rows(export.to_xlsx(practices)) if row[0] == practice_id]
    assert (row[title], row[summary]) == (ALBANIAN, CYRILLIC)

    data = export.to_json(practices, PracticeFilters(countries=("AL",)))
    assert CYRILLIC.encode("utf-8") in data  # not \u escapes
    (item,) = [p for p in json.loads(data.decode("utf-8"))["practices"] if p["id"] == practice_id]
    assert (item["title"], item["summary"]) == (ALBANIAN, CYRILLIC)
    assert item["lead_institution"] == "Министерство за информатичко општество"


def _paged_ids(session, filters: PracticeFilters) -> list[int]:
    """Every id the browse page shows for the filters, page after page."""
    ids: list[int] = []
    page = 1
    while True:
        total, rows = repository.search_practices(
            session=session, filters=filters.with_changes(page=page)
        )
        ids.extend(row.id for row in rows)
        if not rows or len(ids) >= total:
            break
        page += 1
    assert len(ids) == total
    return ids


@pytest.mark.parametrize(
    "params",
    [
        {"country": ["MK"]},
        {"theme": ["open-data"]},
        {"country": ["MK", "RS"], "q": ["open data"]},
        {"q": ["portal"]},
        {"q": ["municipality"], "sort": ["title"], "per_page": ["50"], "page": ["2"]},
    ],
    ids=["country", "theme", "countries-and-search", "search", "search-sorted-page-2"],
)
def test_export_holds_exactly_the_filtered_practices(seeded_engine, params):
    published = _insert(seeded_engine, _practice("mk-published-twin"))
    drafts = _insert(
        seeded_engine,
        _practice("mk-draft", workflow=v.Workflow.draft),
        _practice("mk-in-review", workflow=v.Workflow.in_review),
    )
    with read_session(seeded_engine) as session:
        filters = from_params(
            params,
            countries=[c.code for c in repository.list_countries(session=session)],
            themes=repository.theme_names(session=session),
        )
        assert filters.notices == ()
        expected = _paged_ids(session, filters)
        practices = repository.matching_practices(session=session, filters=filters)
    assert published[0] in expected  # the filters all match it: no filter is trivially empty
    assert not set(drafts) & set(expected)

    document = json.loads(export.to_json(practices, filters))
    assert [p["id"] for p in document["practices"]] == expected
    assert document["count"] == len(expected)
    assert [int(line[0]) for line in _csv_rows(export.to_csv(practices))[1:]] == expected
    assert [row[0] for row in _xlsx_rows(export.to_xlsx(practices, filters))[1:]] == expected


# --------------------------------------------------------------------------- command line


@pytest.fixture
def cli_db(monkeypatch, seeded_engine):
    url = seeded_engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("FORUMDASH_DATABASE_URL", url)
    return seeded_engine


@pytest.fixture
def out_dir(tmp_path):
    """An empty folder for the exports (the SQLite database lives in tmp_path itself)."""
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_export_json_of_one_country(cli_db, capsys, out_dir):
    _insert(cli_db, _practice("al-draft", country="AL", workflow=v.Workflow.draft))
    with read_session(cli_db) as session:
        published_in_albania = repository.count_practices_by_country(session=session)["AL"]
    path = out_dir / "albania.json"
    code, out, err = run(capsys, "export", "--format", "json", "--country", "AL", "-o", str(path))
    assert code == 0, err
    assert out == f"exported {published_in_albania} practices to {path}\n"
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["count"] == published_in_albania == len(document["practices"])
    assert {p["country_code"] for p in document["practices"]} == {"AL"}
    assert "al-draft" not in [p["slug"] for p in document["practices"]]
    assert document["filters"] == {"country": ["AL"]}


def test_cli_every_format_writes_a_readable_file(cli_db, capsys, out_dir):
    with read_session(cli_db) as session:
        expected = repository.count_matching(session=session, filters=PracticeFilters())
    for fmt in ("csv", "xlsx", "json"):
        path = out_dir / f"all.{fmt}"
        code, out, err = run(capsys, "export", "--format", fmt, "-o", str(path))
        assert code == 0, err
        assert out.startswith(f"exported {expected} practices")
        data = path.read_bytes()
        if fmt == "csv":
            assert len(_csv_rows(data)) == expected + 1
        elif fmt == "xlsx":
            assert len(_xlsx_rows(data)) == expected + 1
        else:
            assert json.loads(data)["count"] == expected
    assert sorted(p.name for p in out_dir.iterdir()) == ["all.csv", "all.json", "all.xlsx"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--country", "ZZ"], "unknown country “ZZ”"),
        (["--country", "MK", "--theme", "no-such-theme"], "unknown theme “no-such-theme”"),
        (["--value", "honesty"], "unknown OGP value “honesty”"),
    ],
)
def test_cli_unknown_filter_is_a_one_line_error(cli_db, capsys, out_dir, args, message):
    path = out_dir / "out.json"
    code, out, err = run(capsys, "export", "--format", "json", *args, "-o", str(path))
    assert code == 2
    assert err.startswith("error: ") and message in err
    assert len(err.strip().splitlines()) == 1
    assert out == ""
    assert list(out_dir.iterdir()) == []


@pytest.mark.parametrize("target", ["missing-folder/out.csv", "."], ids=["no-folder", "a-folder"])
def test_cli_unwritable_path_is_a_one_line_error(cli_db, capsys, out_dir, target):
    path = out_dir / target
    code, _, err = run(capsys, "export", "--format", "csv", "-o", str(path))
    assert code == 2
    assert err.startswith("error: cannot write") and len(err.strip().splitlines()) == 1
    assert [p.name for p in out_dir.iterdir()] == []


def test_cli_failed_write_leaves_the_old_file(cli_db, capsys, out_dir, monkeypatch):
    path = out_dir / "export.csv"
    path.write_text("the previous export")

    def no_space(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("forumdash.cli.commands.os.replace", no_space)
    code, _, err = run(capsys, "export", "--format", "csv", "-o", str(path))
    assert code == 2 and "No space left on device" in err
    assert path.read_text() == "the previous export"
    assert [p.name for p in out_dir.iterdir()] == ["export.csv"]  # no temporary file left


def test_export_is_documented():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert "python -m forumdash export --format csv" in readme


# --------------------------------------------------------------------------- commitments


def test_cli_exports_commitments_of_the_chosen_countries(cli_db, capsys, out_dir):
    from tests.support.records import add_sample_commitments

    add_sample_commitments(cli_db)
    path = out_dir / "commitments.json"
    code, out, err = run(
        capsys,
        "export",
        "--kind",
        "commitments",
        "--format",
        "json",
        "--country",
        "rs",
        "--country",
        "GE",
        "-o",
        str(path),
    )
    assert code == 0, err
    assert out == f"exported 2 commitments to {path}\n"
    document = json.loads(path.read_text(encoding="utf-8"))
    assert [c["identifier"] for c in document["commitments"]] == ["RS8001", "GE8001"]
    assert document["commitments"][0]["title"] == "TEST DATA: Отворени подаци за буџет"
    for fmt in ("csv", "xlsx"):
        target = out_dir / f"all.{fmt}"
        code, out, err = run(
            capsys, "export", "--kind", "commitments", "--format", fmt, "-o", str(target)
        )
        assert code == 0, err
        assert out.startswith("exported 6 commitments")
        data = target.read_bytes()
        if fmt == "csv":
            rows = _csv_rows(data)
        else:
            sheet = load_workbook(io.BytesIO(data))["Commitments"]
            rows = [list(line) for line in sheet.iter_rows(values_only=True)]
        assert len(rows) == 7 and rows[0][0] == "Identifier"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--country", "ZZ"], "unknown country “ZZ”"),
        (["--theme", "open-data"], "--theme: not a filter of commitments"),
        (["--year-from", "2015"], "--year-from: not a filter of commitments"),
    ],
)
def test_cli_commitments_bad_filter_is_a_one_line_error(cli_db, capsys, out_dir, args, message):
    path = out_dir / "out.json"
    code, out, err = run(
        capsys, "export", "--kind", "commitments", "--format", "json", *args, "-o", str(path)
    )
    assert code == 2 and out == ""
    assert err.startswith("error: ") and message in err and len(err.strip().splitlines()) == 1
    assert list(out_dir.iterdir()) == []


# Shown nowhere, so written nowhere (issue 14, item 10): the characters text.strip_invisible
# drops on the pages. A zero-width joiner inside an emoji is kept (it makes one picture).
INVISIBLE = ["\u202e", "\u202a", "\u2066", "\u2069", "\u200b", "\u2060", "\ufeff"]
TECHNOLOGIST = "\U0001f469\u200d\U0001f4bb"


def _invisible_practice() -> PracticeCreate:
    return _practice(
        "mk-invisible",
        title="Budget report \u202egpj.exe\u202c for\u200b every\u2060 town " + TECHNOLOGIST,
        summary="\u2066Open\u2069 data\ufeff and a\u200d joiner between letters",
    )


def _no_invisible(text: str) -> None:
    assert not [c for c in INVISIBLE if c in text], repr(text)
    assert "a\u200d joiner" not in text  # a joiner between letters does nothing: dropped


def test_exports_drop_what_the_pages_do_not_show(seeded_engine):
    (practice_id,) = _insert(seeded_engine, _invisible_practice())
    practices = [p for p in _everything(seeded_engine) if p.id == practice_id]
    title = export.HEADERS.index("Title")
    summary = export.HEADERS.index("Summary")

    [_header, row] = _csv_rows(export.to_csv(practices))
    [_header, cells] = _xlsx_rows(export.to_xlsx(practices))
    item = json.loads(export.to_json(practices))["practices"][0]
    for shown_title, shown_summary in [
        (row[title], row[summary]),
        (cells[title], cells[summary]),
        (item["title"], item["summary"]),
    ]:
        _no_invisible(shown_title)
        _no_invisible(shown_summary)
        assert shown_title == "Budget report gpj.exe for every town " + TECHNOLOGIST
        assert shown_summary == "Open data and a joiner between letters"


def test_every_exports_builders_drop_invisible_characters():
    """The commitments' and the peer exchange's exports are made by these same builders."""
    hostile = "\u200b=1+2 \u202eevil\u202c \u2066x\u2069"
    [_header, row] = _csv_rows(export.write_csv(["A"], [[hostile]]))
    assert row == ["'=1+2 evil x"]  # what hid the formula's start is gone, the quote stays
    data = export.write_xlsx("S", ["A"], [[hostile]], widths=lambda _h: 10, about=lambda _n: [])
    [cell] = [c for c in _xlsx_cells(data) if c.value and "evil" in str(c.value)]
    assert cell.value == "'=1+2 evil x"
    document = json.loads(export.write_json({"k\u200b": [hostile, {"n": "\u202ey"}]}))
    assert document == {"k": ["=1+2 evil x", {"n": "y"}]}
