"""Spreadsheets in their own columns, mapped onto the templates (forumdash.importers.mapping):
proposals from headers in English and the region's languages and from contents, country names
in every script, folded vocabulary values, --map/--set/--value and their mistakes, multi-value
cells, made slugs, challenges; imports on SQLite and PostgreSQL read back."""

import io
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlmodel import func, select

from forumdash import auth, repository
from forumdash import vocab as v
from forumdash.cli import main
from forumdash.db import read_session, write_session
from forumdash.importers import mapping as m
from forumdash.importers.countries import country_code
from forumdash.importers.practices import Context
from forumdash.importers.tables import Table, read_csv
from forumdash.models import Challenge, ImportMapping, Practice, Revision
from forumdash.text import slug_for as _slug

FIXTURES = Path(__file__).parents[1] / "fixtures" / "mapped"
THEMES = {
    "open-budgets": "Open budgets",
    "open-data": "Open data",
    "local-government": "Local government",
    "anti-corruption": "Anti-corruption",
    "access-to-information": "Access to information",
}
COUNTRIES = {"AL": "Albania", "BA": "Bosnia and Herzegovina", "MK": "North Macedonia"}
CONTEXT = Context(
    countries=COUNTRIES | {"XK": "Kosovo", "RS": "Serbia", "ME": "Montenegro", "GE": "Georgia"},
    themes=THEMES,
)


def _table(header: list[str], *rows: list[str]) -> Table:
    return Table(header=header, rows=[(n, list(r)) for n, r in enumerate(rows, start=2)])


# --------------------------------------------------------------------------- proposals


@pytest.mark.parametrize(
    "header",
    [
        ["Naslov", "Država", "Opis", "Tema/Teme", "Izvor"],  # Serbian, Croatian, Bosnian
        ["Titulli", "Shteti", "Përshkrimi", "Temat", "Burimi"],  # Albanian
        ["Наслов", "Држава", "Опис", "Тема", "Извор"],  # Macedonian, Serbian Cyrillic
        ["Title", "Country", "Summary/Description", "Themes", "Source(s)"],  # English
        ["NASLOV ", "drzava", "opis", "tema", "izvori"],  # no diacritics, odd case
    ],
)
def test_headers_in_the_regions_languages_are_proposed(header):
    proposal = m.propose(_table(header), m.PRACTICES)
    columns = proposal.mapping.columns
    assert columns["Title"] == header[0]
    assert header[1] in (columns.get("Country code"), columns.get("Country"))
    assert columns["Summary"] == header[2]
    assert columns["Themes"] == header[3]
    assert columns["Sources"] == header[4]
    assert proposal.why["Title"] == f"its header {header[0]!r}"


def test_challenge_headers_are_proposed_for_the_challenge_template():
    header = ["Наслов", "Држава", "Опис", "Теми", "Пречка", "Сериозност", "Извор"]
    columns = m.propose(_table(header), m.CHALLENGES).mapping.columns
    assert columns == {
        "Title": "Наслов",
        "Country code": "Држава",
        "Description": "Опис",
        "Themes": "Теми",
        "Obstacle type": "Пречка",
        "Severity": "Сериозност",
        "Sources": "Извор",
    }


def test_columns_are_proposed_by_their_contents():
    long_text = "A municipality publishes its budget every month as open data, " * 3
    table = _table(
        ["A", "B", "C", "D", "E"],
        ["Северна Македонија", "https://example.org/1", long_text, "Open budgets", "x"],
        ["Shqipëria", "see www.example.org/2", long_text, "open-data; Open budgets", "y"],
        ["BiH", "https://example.org/3", long_text, "local-government", "z"],
    )
    proposal = m.propose(table, m.PRACTICES, CONTEXT)
    assert proposal.mapping.columns == {
        "Country code": "A",
        "Summary": "C",
        "Themes": "D",
        "Sources": "B",
    }
    assert "country names" in proposal.why["Country code"]
    assert "long" in proposal.why["Summary"]


# --------------------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Macedonia", "MK"),
        ("North Macedonia", "MK"),
        ("Северна Македонија", "MK"),
        ("Македонија", "MK"),
        ("Shqipëria", "AL"),
        ("Shqiperia", "AL"),
        ("Albania", "AL"),
        ("Kosova", "XK"),
        ("Kosovo", "XK"),
        ("Kosovë", "XK"),
        ("Косово", "XK"),
        ("Bosna i Hercegovina", "BA"),
        ("Босна и Херцеговина", "BA"),
        ("BiH", "BA"),
        ("Crna Gora", "ME"),
        ("Црна Гора", "ME"),
        ("Srbija", "RS"),
        ("Србија", "RS"),
        ("Hrvatska", "HR"),
        ("Polska", "PL"),
        ("Sakartvelo", "GE"),
        ("საქართველო", "GE"),
        ("United Kingdom", "GB"),
        ("UK", "GB"),
        ("  north   MACEDONIA ", "MK"),
        ("Federation of Bosnia and Herzegovina", None),
        ("Tbilisi", None),
    ],
)
def test_country_names_in_every_language_and_script(name, code):
    assert country_code(name) == code


def _read(table: Table, mapping: m.ColumnMapping, template: m.Template = m.PRACTICES):
    return m.apply_mapping(table, mapping, template, CONTEXT)


def test_vocabulary_values_are_matched_folded_and_with_synonyms():
    table = _table(
        ["Level", "Actor", "Stage", "Values", "Sample"],
        [
            "LOCAL",
            "Civil society",
            "implementing",
            "Access to information, civic_participation",
            "Da",
        ],
        ["Regional ", "NGO", "Diffusing lessons", "Technology and innovation", "ne"],
        ["national", "Joint", "evaluating", "", "jo"],
    )
    mapping = m.ColumnMapping(
        columns={
            "Level of government": "Level",
            "Actor type": "Actor",
            "Stage": "Stage",
            "OGP values": "Values",
            "Sample": "Sample",
        }
    )
    mapped = _read(table, mapping)
    rows = [values for _, values in mapped.records.items]
    assert [r["level"] for r in rows] == ["local", "regional", "national"]
    assert [r["actor_type"] for r in rows] == ["cso", "cso", "joint"]
    assert rows[1]["stage"] == "diffusing_lessons"
    assert rows[0]["ogp_values"] == "access_to_information; civic_participation"
    assert rows[1]["ogp_values"] == "technology_innovation"
    assert [r["sample"] for r in rows] == ["yes", "no", "no"]
    assert mapped.unmatched == []


def test_a_place_in_a_forum_country_counts_for_the_country():
    table = _table(["Država"], ["Tbilisi, Georgia"], ["Skopje, Северна Македонија"], ["Paris"])
    mapped = _read(table, m.ColumnMapping(columns={"Country code": "Država"}))
    assert [values["country"] for _, values in mapped.records.items] == ["GE", "MK", "Paris"]
    assert dict(mapped.unmatched[0].counts) == {"Paris": 1}


def test_multi_value_cells_split_on_semicolons_commas_and_line_breaks():
    table = _table(
        ["Tema"],
        ["open-budgets; Open data"],
        ["Open budgets, local-government"],
        ["OPEN DATA\nAnti-corruption"],
    )
    mapped = _read(table, m.ColumnMapping(columns={"Themes": "Tema"}))
    assert [values["themes"] for _, values in mapped.records.items] == [
        "open-budgets; open-data",
        "open-budgets; local-government",
        "open-data; anti-corruption",
    ]


def test_links_listed_by_commas_or_blanks_become_one_source_each():
    table = _table(
        ["Izvor"],
        ["https://example.org/a, https://example.org/b"],
        ["https://example.org/c https://example.org/d"],
        ["Izveštaj, 2021, str. 4"],
    )
    mapped = _read(table, m.ColumnMapping(columns={"Sources": "Izvor"}))
    assert [values["sources"] for _, values in mapped.records.items] == [
        "https://example.org/a; https://example.org/b",
        "https://example.org/c; https://example.org/d",
        "Izveštaj, 2021, str. 4",  # a citation with commas stays whole
    ]


def test_words_that_match_nothing_are_counted_per_column_and_mapped_by_value_maps():
    table = _table(
        ["Država", "Tema"],
        ["Federation of Bosnia and Herzegovina", "Otvoreni budžeti; open-data"],
        ["Federation of Bosnia and Herzegovina", "open-data"],
        ["Republika Srpska", "n/a"],
    )
    mapping = m.ColumnMapping(columns={"Country code": "Država", "Themes": "Tema"})
    mapped = _read(table, mapping)
    counts = {u.header: (u.column, dict(u.counts)) for u in mapped.unmatched}
    assert counts == {
        "Country code": (
            "Država",
            {"Federation of Bosnia and Herzegovina": 2, "Republika Srpska": 1},
        ),
        "Themes": ("Tema", {"Otvoreni budžeti": 1, "n/a": 1}),
    }
    mapping = m.build_mapping(
        m.PRACTICES,
        mapping,
        values=[
            "Country code:Federation of Bosnia and Herzegovina=BA",
            "Country code:republika srpska=Bosnia and Herzegovina",  # folded; a name works too
            "Themes:Otvoreni budzeti=Open budgets",
            "Themes:n/a=",  # left out
        ],
    )
    mapped = _read(table, mapping)
    assert mapped.unmatched == []
    rows = [values for _, values in mapped.records.items]
    assert [r["country"] for r in rows] == ["BA", "BA", "BA"]
    assert [r["themes"] for r in rows] == ["open-budgets; open-data", "open-data", ""]


def test_a_constant_fills_blank_cells_and_fields_without_a_column():
    table = _table(["Izvor"], ["https://example.org/a"], [""])
    mapping = m.build_mapping(
        m.PRACTICES,
        m.ColumnMapping(columns={"Sources": "Izvor"}),
        sets=["Sources=UNDP case library", "level of government=Local"],
    )
    rows = [values for _, values in _read(table, mapping).records.items]
    assert [r["sources"] for r in rows] == ["https://example.org/a", "UNDP case library"]
    assert [r["level"] for r in rows] == ["local", "local"]


def test_a_missing_slug_is_made_from_title_and_country_and_kept_unique_in_the_file():
    table = _table(
        ["Naslov", "Država", "Slug"],
        ["Otvoreni budžet Čačak", "Srbija", ""],
        ["Otvoreni budžet Čačak", "Србија", ""],
        ["Отворени подаци за буџет", "Северна Македонија", ""],
        ["Given", "Albania", "al-given"],
        ["No country", "", ""],
    )
    mapping = m.ColumnMapping(columns={"Title": "Naslov", "Country code": "Država", "Slug": "Slug"})
    mapped = _read(table, mapping)
    slugs = [values.get("slug") for _, values in mapped.records.items]
    made = _slug("Otvoreni budžet Čačak", "RS")  # the forms' slug function, one home
    assert slugs[:2] == [made, f"{made}-2"]
    assert slugs[2] == _slug("Отворени подаци за буџет", "MK") and slugs[2]
    assert slugs[3] == "al-given"
    assert slugs[4] in (None, "")
    assert mapped.made_slugs == 3
    assert mapped.identifiers[6] == "'No country'"


# --------------------------------------------------------------------------- arguments


@pytest.mark.parametrize(
    ("parse", "text", "expected"),
    [
        (m.parse_map, "Title=Naslov", ("Title", "Naslov")),
        (m.parse_map, " summary = Opis ", ("Summary", "Opis")),
        (m.parse_map, "Country code=", ("Country code", "")),
        (m.parse_map, "Title=A=B", ("Title", "A=B")),
        (m.parse_set, "Sources=UNDP case library", ("Sources", "UNDP case library")),
        (
            m.parse_value,
            "Country code:Federation of Bosnia and Herzegovina=BA",
            ("Country code", "Federation of Bosnia and Herzegovina", "BA"),
        ),
        (m.parse_value, "Themes:Na: kraju=", ("Themes", "Na: kraju", "")),
    ],
)
def test_map_set_and_value_arguments(parse, text, expected):
    assert parse(text, m.PRACTICES) == expected


@pytest.mark.parametrize(
    ("parse", "text", "message"),
    [
        (m.parse_map, "Title", "--map 'Title': write FIELD=COLUMN"),
        (m.parse_map, "=Naslov", "--map '=Naslov': write FIELD=COLUMN"),
        (m.parse_map, "Titel=Naslov", "'Titel' is not a field of the practice template"),
        (m.parse_set, "Sources=", "--set 'Sources=': write FIELD=VALUE"),
        (m.parse_set, "Sources", "--set 'Sources': write FIELD=VALUE"),
        (m.parse_value, "Country code=BA", "write FIELD:VALUE=MEANING"),
        (m.parse_value, "Country code:BA", "write FIELD:VALUE=MEANING"),
        (m.parse_value, "Title:x=y", "Title is free text"),
        (m.parse_value, "Land:x=y", "'Land' is not a field of the practice template"),
    ],
)
def test_bad_arguments_say_what_is_wrong(parse, text, message):
    with pytest.raises(m.MappingError) as caught:
        parse(text, m.PRACTICES)
    assert message in str(caught.value)


def test_an_unknown_column_is_named_with_the_files_columns():
    mapping = m.ColumnMapping(columns={"Title": "Nasl"})
    with pytest.raises(m.MappingError) as caught:
        m.resolve_columns(mapping, _table(["Naslov", "Opis"]), m.PRACTICES, "f.csv")
    assert (
        str(caught.value)
        == "f.csv has no column 'Nasl' (for Title); its columns are: 'Naslov', 'Opis'"
    )
    mapping = m.ColumnMapping(columns={"Title": "naslov"})  # any case
    m.resolve_columns(mapping, _table(["Naslov", "Opis"]), m.PRACTICES, "f.csv")
    assert mapping.columns == {"Title": "Naslov"}


def test_a_value_mapped_to_nothing_the_field_takes_is_refused():
    table = _table(["Država"], ["Entitet"])
    mapping = m.ColumnMapping(
        columns={"Country code": "Država"}, values={"Country code": {"Entitet": "ZZ"}}
    )
    with pytest.raises(m.MappingError, match="'ZZ' is not a value of Country code"):
        _read(table, mapping)


def test_a_mapping_round_trips_as_json_and_ignores_junk():
    mapping = m.ColumnMapping(
        columns={"Title": "Naslov"}, constants={"Sources": "UNDP"}, values={"Themes": {"a": ""}}
    )
    assert m.ColumnMapping.from_json(mapping.as_json()) == mapping
    assert m.ColumnMapping.from_json({"columns": ["x"], "values": 3}) == m.ColumnMapping()
    assert m.ColumnMapping.from_json(None) == m.ColumnMapping()


# --------------------------------------------------------------------------- imports, both DBs


@pytest.fixture
def cli_db(monkeypatch, seeded_engine):
    url = seeded_engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("FORUMDASH_DATABASE_URL", url)
    return seeded_engine


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _counts(engine):
    with read_session(engine) as session:
        return tuple(
            session.exec(select(func.count()).select_from(table)).one()
            for table in (Practice, Challenge, Revision)
        )


SERBIAN = FIXTURES / "prakse_sr.csv"
SERBIAN_VALUES = [
    "--value",
    "Country code:Federation of Bosnia and Herzegovina=BA",
    "--value",
    "Themes:Otvoreni budžeti=open-budgets",
]


def test_a_mapped_file_with_unknown_words_is_refused_whole_naming_row_column_and_value(
    cli_db, capsys
):
    before = _counts(cli_db)
    code, out, err = run(capsys, "import", "practices", str(SERBIAN), "--map", "Title=Naslov")
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert lines[0] == "error: prakse_sr.csv: 3 invalid rows; nothing was written"
    assert (
        "Country code (column 'Država'): 'Federation of Bosnia and Herzegovina' matches nothing "
        '(1 row); map it with --value "Country code:Federation of Bosnia and Herzegovina=..."'
    ) in lines
    assert any(line.startswith("Themes (column 'Tema/Teme'): 'Otvoreni budžeti'") for line in lines)
    made = _slug("Отворени подаци за буџет", "MK")
    assert f"row 3: {made}: Tema/Teme (Themes): unknown theme 'Otvoreni budžeti'" in "\n".join(
        lines
    )
    row4 = next(line for line in lines if line.startswith("row 4: "))
    assert row4.startswith(
        "row 4: 'Javne nabavke u Sarajevu': Država (Country code): "
        "'Federation of Bosnia and Herzegovina' is not one of"
    )
    assert "row 5: " in err and "Sources" in err  # its source is blank
    assert _counts(cli_db) == before


def test_a_mapped_file_imports_into_the_database_and_reads_back(cli_db, capsys):
    args = ["import", "practices", str(SERBIAN), *SERBIAN_VALUES]
    args += ["--set", "Sources=UNDP case library", "--map", "Title=Naslov"]
    code, out, err = run(capsys, *args, "--dry-run")
    assert code == 0, err
    assert out.splitlines()[0] == "practices: prakse_sr.csv: 4 created, 0 updated, 0 unchanged"
    assert "  Country code <- column 'Država'" in out
    assert "columns not mapped, ignored: Napomena" in out
    before = _counts(cli_db)
    assert before == _counts(cli_db)

    code, out, err = run(capsys, *args)
    assert code == 0, err
    assert _counts(cli_db)[0] == before[0] + 4
    made = _slug("Otvoreni budžet Čačak", "RS")
    with read_session(cli_db) as session:
        by_slug = {
            p.slug: repository.get_practice(session=session, practice_id=p.id, published_only=False)
            for p in session.exec(
                select(Practice).where(
                    Practice.title.in_(
                        [  # type: ignore[attr-defined]
                            "Otvoreni budžet Čačak",
                            "Отворени подаци за буџет",
                            "Javne nabavke u Sarajevu",
                        ]
                    )
                )
            ).all()
        }
    first, second = by_slug[made], by_slug[f"{made}-2"]
    assert first.country_code == "RS" and second.country_code == "RS"
    assert sorted(first.themes) == ["open-budgets", "open-data"]
    assert [s.url for s in first.sources] == ["https://example.org/cacak"]
    assert [s.title for s in second.sources] == ["UNDP case library"]  # --set filled the blank
    mk = by_slug[_slug("Отворени подаци за буџет", "MK")]
    assert mk.country_code == "MK"
    assert sorted(mk.themes) == ["local-government", "open-budgets"]
    assert mk.actor_type == v.ActorType.cso and mk.level == v.GovLevel.local
    sarajevo = by_slug[_slug("Javne nabavke u Sarajevu", "BA")]
    assert sarajevo.country_code == "BA"
    assert [s.url for s in sarajevo.sources] == [
        "https://example.org/sa1",
        "https://example.org/sa2",
    ]
    assert sarajevo.workflow == v.Workflow.draft

    # The same file again: the made slugs find the same practices.
    code, out, _ = run(capsys, *args)
    assert code == 0
    assert out.splitlines()[0] == "practices: prakse_sr.csv: 0 created, 0 updated, 4 unchanged"


def test_an_xlsx_in_albanian_columns_imports(cli_db, capsys, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(
        ["Titulli", "Shteti", "Përshkrimi", "Temat", "Burimi", "Niveli", "Lloji i aktorit"]
    )
    sheet.append(
        [
            "Buxheti i hapur i Tiranës",
            "Shqipëria",
            "Bashkia publikon buxhetin çdo muaj në format të hapur.",
            "Open budgets",
            "https://example.org/tirana",
            "Local",
            "Government",
        ]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "praktika.xlsx"
    path.write_bytes(buffer.getvalue())
    code, out, err = run(
        capsys,
        "import",
        "practices",
        str(path),
        "--set",
        "Stage=Implementing",
        "--workflow",
        "published",
    )
    assert code == 0, err
    with read_session(cli_db) as session:
        stored = session.exec(
            select(Practice).where(Practice.title == "Buxheti i hapur i Tiranës")
        ).one()
    assert (stored.country_code, stored.stage, stored.workflow) == (
        "AL",
        v.Stage.implementing,
        v.Workflow.published,
    )


def test_challenges_in_macedonian_columns_import_and_read_back(cli_db, capsys):
    path = FIXTURES / "izazovi_mk.csv"
    code, out, err = run(capsys, "import", "challenges", str(path))
    assert code == 0, err
    assert out.splitlines()[0] == "challenges: izazovi_mk.csv: 2 created, 0 updated, 0 unchanged"
    with read_session(cli_db) as session:
        rows = session.exec(select(Challenge).where(Challenge.country_code.in_(["MK", "XK"]))).all()  # type: ignore[attr-defined]
        stored = {
            c.title: repository.get_challenge(
                session=session, challenge_id=c.id, published_only=False
            )
            for c in rows
        }
    mk = stored["Недостаток на податоци за буџет"]
    assert mk.country_code == "MK" and mk.obstacle_type == v.ObstacleType.data
    assert mk.severity == v.Severity.high and sorted(mk.themes) == ["open-budgets", "open-data"]
    xk = stored["Mungesa e vullnetit politik"]
    assert xk.country_code == "XK" and xk.obstacle_type == v.ObstacleType.political_will
    assert xk.workflow == v.Workflow.draft
    code, out, _ = run(capsys, "import", "challenges", str(path))
    assert out.splitlines()[0] == "challenges: izazovi_mk.csv: 0 created, 0 updated, 2 unchanged"


def test_challenges_in_the_template_columns_import(cli_db, capsys, tmp_path):
    path = tmp_path / "challenges.csv"
    path.write_text(
        "Slug,Title,Country code,Description,Themes,Obstacle type,Severity,Status,Support sought,"
        "Sources\n"
        "me-test-izazov,Test izazov,ME,Opis izazova za test.,justice,capacity,low,Being addressed,"
        '"Peer visit; expert_review",https://example.org/me\n',
        encoding="utf-8",
    )
    code, out, err = run(capsys, "import", "challenges", str(path), "--workflow", "published")
    assert code == 0, err
    with read_session(cli_db) as session:
        stored = session.exec(select(Challenge).where(Challenge.slug == "me-test-izazov")).one()
    assert stored.challenge_status == v.ChallengeStatus.being_addressed
    assert stored.support_sought == ["peer_visit", "expert_review"]
    assert stored.workflow == v.Workflow.published


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--map", "Title"], "error: prakse_sr.csv: --map 'Title': write FIELD=COLUMN"),
        (["--map", "Titel=Naslov"], "error: prakse_sr.csv: --map 'Titel=Naslov': 'Titel' is not"),
        (["--map", "Title=Nasl"], "error: prakse_sr.csv has no column 'Nasl' (for Title)"),
        (["--set", "Sources"], "error: prakse_sr.csv: --set 'Sources': write FIELD=VALUE"),
        (["--value", "Country code=BA"], "error: prakse_sr.csv: --value 'Country code=BA': write"),
        (["--value", "Country code:X=ZZ"], "error: prakse_sr.csv: --value Country code:X=ZZ: 'ZZ'"),
    ],
)
def test_cli_bad_mapping_is_one_line_exit_2_and_nothing_written(cli_db, capsys, args, message):
    before = _counts(cli_db)
    code, out, err = run(capsys, "import", "practices", str(SERBIAN), *args)
    assert code == 2 and out == ""
    assert err.startswith(message) and len(err.strip().splitlines()) == 1
    assert _counts(cli_db) == before


def test_a_file_in_own_columns_without_a_mapping_says_how_to_map_it(cli_db, capsys):
    code, _, err = run(capsys, "import", "practices", str(SERBIAN))
    assert code == 2 and "--map FIELD=COLUMN" in err and len(err.strip().splitlines()) == 1


def test_saved_mappings_are_for_organisers_and_round_trip(seeded_engine):
    with write_session(seeded_engine) as session:
        organiser = auth.create_user(
            session=session,
            actor=auth.SYSTEM,
            email="org@example.org",
            password="a long password!",
            role="organiser",
        )
        participant = auth.create_user(
            session=session,
            actor=auth.SYSTEM,
            email="p@example.org",
            password="a long password!",
            role="participant",
        )
    as_organiser = auth.SessionUser(organiser, "org@example.org", v.Role.organiser, None)
    as_participant = auth.SessionUser(participant, "p@example.org", v.Role.participant, None)
    mapping = m.ColumnMapping(
        columns={"Title": "Naslov"},
        values={"Country code": {"Federation of Bosnia and Herzegovina": "BA"}},
    )
    with pytest.raises(auth.PermissionDenied):
        m.save_mapping(seeded_engine, as_participant, "practices", "Mine", mapping)
    with pytest.raises(auth.PermissionDenied):
        m.saved_mappings(seeded_engine, None, "practices")
    m.save_mapping(seeded_engine, as_organiser, "practices", "  UNDP   library ", mapping)
    m.save_mapping(seeded_engine, as_organiser, "practices", "UNDP library", mapping)  # replaces
    assert m.saved_mappings(seeded_engine, as_organiser, "practices") == {"UNDP library": mapping}
    assert m.saved_mappings(seeded_engine, as_organiser, "challenges") == {}
    with read_session(seeded_engine) as session:
        assert session.exec(select(func.count()).select_from(ImportMapping)).one() == 1
    with pytest.raises(m.MappingError):
        m.save_mapping(seeded_engine, as_organiser, "practices", " ", mapping)


def test_reading_a_real_csv_fixture_keeps_its_quirks():
    table = read_csv(SERBIAN.read_bytes())
    assert table.header[:4] == ["Naslov", "Država", "Opis", "Tema/Teme"]
    proposal = m.propose(table, m.PRACTICES, CONTEXT)
    assert proposal.mapping.columns["Level of government"] == "Nivo"
    assert proposal.mapping.columns["Actor type"] == "Tip aktera"
    assert proposal.mapping.columns["Stage"] == "Faza"
    assert "Napomena" not in proposal.mapping.columns.values()
