"""Real-world files in: any of the region's text encodings (or a refusal that asks for UTF-8,
never mojibake), slugs from titles in any script, a body section over its limit named, progress
while a file is read, and a workbook with a cell in its last column read in bounded memory. On
SQLite and PostgreSQL where the database matters."""

import codecs
import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import func, select

from forumdash.db import read_session
from forumdash.importers import encoding, run_import, sniff
from forumdash.importers.encoding import EncodingError, detect_encoding
from forumdash.importers.practices import TEMPLATE_HEADERS, read_practice_file
from forumdash.importers.progress import Progress
from forumdash.importers.sniff import InvalidFile
from forumdash.models import BODY_LIMIT, Challenge, Practice
from forumdash.text import slug_for
from tests.support.xlsx_writer import workbook
from tests.unit.test_import_practices import _row

ROOT = Path(__file__).parents[2]

CP1250_TEXT = "Čačak, Đurđevdan, Šćčžđ, Łódź"
CP1251_TEXT = "Општина Ѓорче Петров, Београд"
SERBIAN = "Čačak Šabac Đurđevdan "


def _csv_text(*rows: dict[str, str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=TEMPLATE_HEADERS)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _table(text: str) -> bytes:
    """A small CSV in UTF-8 with the text in its second row."""
    return ("Title,Country code\r\n" + text + ",RS\r\n").encode("utf-8")


def _in(text: str, codec: str) -> bytes:
    return ("Title,Country code\r\n" + text + ",RS\r\n").encode(codec)


def _decoded(data: bytes) -> str:
    found = detect_encoding(data)
    with encoding.text_stream(data, found) as stream:
        return stream.read().lstrip("\ufeff")


# --------------------------------------------------------------------------- encodings (pure)


@pytest.mark.parametrize(
    ("text", "codec", "label"),
    [
        (CP1250_TEXT, "cp1250", "Windows-1250 (Central European)"),
        (CP1251_TEXT, "cp1251", "Windows-1251 (Cyrillic)"),
        ("Ѓорче Петров, Охрид, ѕвезда, џеб, љубов, њива, ќерка", "cp1251", "Windows-1251"),
        ("Šabac, Žabljak, Čačak, Đurđevdan, šuma, žena", "cp1250", "Windows-1250"),
        # The same words in ISO-8859-2: Š Ž š ž sit where Windows-1250 has © ® ą ľ.
        ("Šabac, Žabljak, Čačak, Đurđevdan, šuma, žena", "iso8859_2", "ISO-8859-2"),
        ("šuma, žena", "iso8859_2", "ISO-8859-2"),
        ("Café, Zürich", "cp1252", "Windows-1252 (Western European)"),
        ("Shqipëria, çështje, Tiranë", "cp1250", "Windows-1250"),
        ("mąż i żona, źródło, świat", "cp1250", "Windows-1250"),
        (CP1250_TEXT, "utf-8", "UTF-8"),
        (CP1250_TEXT, "utf-8-sig", "UTF-8 (with a byte-order mark)"),
        (CP1251_TEXT, "utf-16", "UTF-16"),  # Python writes the byte-order mark
        (CP1251_TEXT, "utf-16-le", "UTF-16 (little-endian, without a byte-order mark)"),
        (CP1250_TEXT, "utf-16-be", "UTF-16 (big-endian, without a byte-order mark)"),
        ("Open data, Cacak", "ascii", "UTF-8 (plain ASCII)"),
    ],
)
def test_each_encoding_is_read_as_written(text, codec, label):
    data = _in(text, codec)
    assert detect_encoding(data).label.startswith(label)
    assert text in _decoded(data)


@pytest.mark.parametrize("bom", [codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE])
def test_utf16_with_either_byte_order_mark(bom):
    codec = "utf-16-le" if bom == codecs.BOM_UTF16_LE else "utf-16-be"
    data = bom + ("Title,Country code\r\n" + CP1250_TEXT + ",RS\r\n").encode(codec)
    assert detect_encoding(data).label == "UTF-16"
    assert _decoded(data).startswith("Title,") and CP1250_TEXT in _decoded(data)


def test_iso_8859_2_is_never_chosen_for_windows_1250_bytes():
    # š (0x9A) and ž (0x9E) are control codes in ISO-8859-2: the file is Windows-1250.
    data = _in("šuma, žena, Šabac", "cp1250")
    assert b"\x9a" in data and detect_encoding(data).codec == "cp1250"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        # Western text whose letters Windows-1250 reads as letters too: naïve/naďve, São/Săo.
        (_in("naïve façade in São Paulo", "cp1252"), "cannot be told for certain"),
        # One word that reads as well in French (Èaèak) as in Serbian (Čačak).
        (_in("Čačak", "cp1250"), "cannot be told for certain"),
        # A UTF-8 file with one stray byte: refused at that byte, never read as Windows-1252.
        (_table("Čačak Šabac Đurđevdan") + b"Caf\xe9,RS\r\n" + _table("Beograd"), "line 3"),
        # UTF-8 and Windows-1250 in one file.
        (
            _table("Čačak Šabac Đurđevdan " * 5) + _in("Čačak Šabac Đurđevdan " * 5, "cp1250"),
            "UTF-8 in places but not everywhere",
        ),
        # A byte no encoding here gives meaning to, in plain text.
        (b"Title,Country code\r\nCaf\x81,RS\r\n", "no language spells"),
    ],
)
def test_uncertain_or_broken_text_is_refused(data, message):
    with pytest.raises(EncodingError, match=message):
        detect_encoding(data)


def test_refusal_asks_for_utf8_and_says_how(seeded_engine):
    data = _in("naïve façade in São Paulo", "cp1252")
    with pytest.raises(InvalidFile) as refused:
        run_import(seeded_engine, "practices", data, "cases.csv", dry_run=True)
    message = str(refused.value)
    assert message.startswith("cases.csv: ")
    assert "UTF-8" in message and "CSV UTF-8" in message and "LibreOffice" in message


def test_binary_file_named_csv_is_refused():
    with pytest.raises(InvalidFile, match="binary data"):
        sniff.detect_format(bytes(range(256)) * 64, "practices.csv")


def test_stray_byte_is_named_with_its_line_and_text():
    data = _table("Čačak") + b"Caf\xe9,RS\r\n"
    with pytest.raises(EncodingError) as refused:
        detect_encoding(data)
    assert "0xE9 on line 3" in str(refused.value) and "Caf" in str(refused.value)


def test_detection_reads_a_bounded_sample():
    # Judged on words around non-ASCII bytes, not the whole text: a long file of Serbian in
    # Windows-1250 samples at most SAMPLE_BYTES (and every byte value once).
    data = _in("Čačak Šabac Đurđevdan učešće građana " * 20_000, "cp1250")
    high = encoding._high_bytes(data)
    sample = encoding._sample(data, high, encoding._first_invalid_utf8(data) or 0)
    assert len(data) > 10 * encoding.SAMPLE_BYTES
    assert len(sample) < encoding.SAMPLE_BYTES + 2 * encoding._WINDOW + 2
    assert detect_encoding(data).codec == "cp1250"


@pytest.mark.parametrize(
    ("word", "odd"),
    [
        ("Čačak", False),
        ("Đurđevdan", False),
        ("Łódź", False),
        ("Shqipëria", False),
        ("Београд", False),
        ("Šæèžð", True),  # Windows-1250's Šćčžđ read as Windows-1252: no alphabet has them all
        ("©abac", True),  # ISO-8859-2's Šabac read as Windows-1250
        ("Cafй", True),  # Latin and Cyrillic in one word
        ("£ódŸ", True),
    ],
)
def test_odd_words(word, odd):
    assert bool(encoding.odd_words(word)[0]) is odd


# --------------------------------------------------------------------------- encodings, stored


@pytest.mark.parametrize(
    ("codec", "title", "country", "note"),
    [
        ("cp1250", CP1250_TEXT, "AL", "read as Windows-1250 (Central European)"),
        ("cp1251", CP1251_TEXT, "MK", "read as Windows-1251 (Cyrillic)"),
        ("utf-16", CP1251_TEXT + " — " + CP1250_TEXT, "RS", "read as UTF-16"),
        ("cp1252", "Café, Zürich", "XK", "read as Windows-1252 (Western European)"),
    ],
)
def test_legacy_encoded_practices_are_stored_as_written(seeded_engine, codec, title, country, note):
    row = _row(
        f"enc-{codec.replace('_', '-')}",
        {
            "Title": title,
            "Country code": country,
            "Country": "",
            "Summary": f"{title}: otvoreni podaci, učešće građana.",
            "Lead institution": title.split(",")[0],
        },
    )
    if codec == "cp1251":
        row["Summary"] = "Отворени подаци за буџет: учешће грађана."
    if codec == "cp1252":
        row["Summary"] = "Open data in Zürich's Café."
    data = _csv_text(row).encode(codec)
    report = run_import(seeded_engine, "practices", data, "cases.csv")
    assert report.ok, report.lines()
    assert report.created == 1 and note in report.notes
    with read_session(seeded_engine) as session:
        stored = session.exec(select(Practice).where(Practice.slug == row["Slug"])).one()
    assert stored.title == title
    assert stored.summary == row["Summary"]
    assert stored.lead_institution == title.split(",")[0]


def test_mapped_import_reads_the_encoding_too(seeded_engine):
    from forumdash.importers.mapping import import_mapped

    row = _row("mapped-cp1251", {"Title": CP1251_TEXT, "Country code": "MK", "Country": ""})
    data = _csv_text(row).encode("cp1251")
    result = import_mapped(seeded_engine, "practices", data, "own.csv", maps=["Sources=Sources"])
    assert result.report.ok, result.report.lines()
    assert "read as Windows-1251 (Cyrillic)" in result.report.notes
    with read_session(seeded_engine) as session:
        stored = session.exec(select(Practice).where(Practice.slug == "mapped-cp1251")).one()
    assert stored.title == CP1251_TEXT


def test_refused_encoding_writes_nothing(seeded_engine):
    with read_session(seeded_engine) as session:
        before = session.exec(select(func.count()).select_from(Practice)).one()
    data = _csv_text(_row("enc-unsure", {"Title": "Čačak"})).encode("cp1250")
    with pytest.raises(InvalidFile, match="cannot be told for certain"):
        run_import(seeded_engine, "practices", data, "cases.csv")
    with read_session(seeded_engine) as session:
        assert session.exec(select(func.count()).select_from(Practice)).one() == before


# --------------------------------------------------------------------------- slugs


@pytest.mark.parametrize(
    ("title", "country", "slug"),
    [
        ("Отворени подаци за буџет", "MK", "mk-otvoreni-podaci-za-budzet"),
        (
            "Ѓорче Петров: ќерка, ѕвезда, џеб, љубов, њива",
            "MK",
            "mk-gjorce-petrov-kjerka-dzvezda-dzeb-ljubov-njiva",
        ),
        ("Грађански буџет Београда", "RS", "rs-gradjanski-budzet-beograda"),
        (
            "Buxheti i qytetarëve në Shqipëri, çështje",
            "AL",
            "al-buxheti-i-qytetareve-ne-shqiperi-ceshtje",
        ),
        ("Łódź: budżet obywatelski", "PL", "pl-lodz-budzet-obywatelski"),
        ("Đurđevdan u Đakovu", "HR", "hr-djurdjevdan-u-djakovu"),
        ("Open data!  Café", "XK", "xk-open-data-cafe"),
    ],
)
def test_slugs_from_any_script(title, country, slug):
    assert slug_for(title, country) == slug


@pytest.mark.parametrize("title", ["🎉🎉🎉", "开放数据", "", "—"])
def test_a_title_with_nothing_to_keep_still_gets_a_slug_of_its_own(title):
    slug = slug_for(title, "MK")
    assert slug.startswith("mk-") and len(slug) > len("mk-")
    assert slug == slug_for(title, "MK")  # stable
    assert practices_slug_pattern_matches(slug)
    if title:
        assert slug != slug_for(title + "!", "MK") or not title.strip("—")


def practices_slug_pattern_matches(slug: str) -> bool:
    from forumdash.importers.practices import SLUG_PATTERN

    return SLUG_PATTERN.fullmatch(slug) is not None and len(slug) <= 120


def test_long_titles_stop_at_a_word():
    slug = slug_for("Отворени " + "подаци " * 40, "MK")
    assert len(slug) <= 100 and slug.split("-")[-1] == "podaci"


def test_form_created_practice_and_challenge_get_folded_slugs(seeded_engine):
    from tests.unit import test_challenge_workflow as challenges
    from tests.unit import test_workflow as practices

    engine = practices.add_accounts(seeded_engine)
    organiser = practices.ORG
    title = "Отворени подаци за буџет"
    first = practices.save(engine, organiser, practices.record("MK", title))
    second = practices.save(engine, organiser, practices.record("MK", title))
    emoji = practices.save(engine, organiser, practices.record("MK", "📊📊"))
    made = challenges.save(engine, organiser, challenges.challenge("MK", "Џеб и ќерка: љубов"))
    with read_session(engine) as session:
        slug = {n: session.get(Practice, n).slug for n in (first, second, emoji)}
        challenge_slug = session.get(Challenge, made).slug
    assert slug[first] == "mk-otvoreni-podaci-za-budzet"
    assert slug[second] == "mk-otvoreni-podaci-za-budzet-2"
    assert slug[emoji].startswith("mk-") and len(slug[emoji]) > len("mk-")
    assert challenge_slug == "mk-dzeb-i-kjerka-ljubov"


# --------------------------------------------------------------------------- length reasons


def test_a_body_section_over_its_limit_names_its_column():
    text = "Dogodilo se. " * 1947  # 25,311 characters with the last blank trimmed: 25,310
    text = text.strip()
    assert len(text) == 25_310
    data = _csv_text(_row("too-long", {"What happened": text, "Methods": "Short."})).encode()
    result = read_practice_file(data, "csv")
    assert result.rows == []
    [(row, reason)] = result.errors
    assert row == 2
    assert reason == f"What happened: 25,310 characters, at most {BODY_LIMIT:,}"


def test_every_length_reason_names_its_column():
    long_cells = {
        "Title": "T" * 201,
        "Summary": "S" * 2001,
        "Lead institution": "L" * 2000,
        "Partners": "P" * 5000,
        "Transferability": "X" * (BODY_LIMIT + 1),
        "Contact": "c" * 301,
        "Action plan": "A" * 41,
        "Commitment": "C" * 41,
        "Sources": "S" * 501 + " <https://example.org>",
        "Problem and purpose": "P" * (BODY_LIMIT + 5),
    }
    data = _csv_text(_row("all-long", long_cells)).encode()
    [(_, reason)] = read_practice_file(data, "csv").errors
    for column in long_cells:
        assert f"{column}: " in reason, (column, reason)
    # No reason without its column: each "at most" follows a column's name.
    named = re.findall(r"(?:^|; )([A-Z][a-z ]+): (?:item \d+: )?[^;]*at most", reason)
    assert len(named) == reason.count("at most") == len(long_cells)
    assert "a section" not in reason  # the body's old reason, which named no column


# --------------------------------------------------------------------------- progress


def test_progress_is_reported_from_reading_to_writing(seeded_engine):
    rows = [_row(f"progress-{n}") for n in range(40)]
    data = _csv_text(*rows).encode()
    heard: list[Progress] = []
    report = run_import(seeded_engine, "practices", data, "cases.csv", progress=heard.append)
    assert report.ok and report.created == 40
    stages = [p.stage for p in heard]
    assert stages.index("reading") < stages.index("checking") < stages.index("writing")
    reading = [p for p in heard if p.stage == "reading"]
    assert reading[-1].done == len(data) and reading[-1].fraction == 1.0
    assert [p.done for p in reading] == sorted(p.done for p in reading)
    assert reading[-1].rows == 40 and reading[-1].total == len(data)
    writing = [p for p in heard if p.stage == "writing"]
    assert writing[-1].done == writing[-1].total == 40
    assert "Reading the file: 40 rows (100% of" in reading[-1].describe()


def test_progress_of_a_workbook_follows_its_rows():
    rows = [TEMPLATE_HEADERS, *([_row(f"x-{n}")[h] for h in TEMPLATE_HEADERS] for n in range(30))]
    heard: list[Progress] = []
    result = read_practice_file(workbook(rows, sheet="Practices"), "xlsx", progress=heard.append)
    assert len(result.rows) == 30
    reading = [p for p in heard if p.stage == "reading"]
    assert reading and reading[-1].fraction == 1.0 and reading[-1].rows == 30


# --------------------------------------------------------------------------- big files


def _rows(count: int) -> list[list[str]]:
    return [
        TEMPLATE_HEADERS,
        *([_row(f"w-{n}")[h] for h in TEMPLATE_HEADERS] for n in range(count)),
    ]


def test_the_limit_is_100_mb_everywhere():
    assert sniff.MAX_MEGABYTES == 100
    readme = (ROOT / "README.md").read_text()
    assert "100 MB at most" in readme and "20 MB" not in readme


def test_wide_sheet_imports_with_its_cells_beyond_the_table_left_out(seeded_engine):
    data = workbook(_rows(25), sheet="Practices", last_cell="stray note")
    report = run_import(seeded_engine, "practices", data, "wide.xlsx")
    assert report.ok and report.created == 25
    assert any("as far as column XFD" in note for note in report.notes)


def test_a_cell_just_beyond_the_header_still_refuses_its_row():
    rows = _rows(3)
    rows[2] = [*rows[2], "", "shifted"]
    result = read_practice_file(workbook(rows, sheet="Practices"), "xlsx")
    assert [row for row, _ in result.errors] == [3]
    assert "beyond the last named column" in result.errors[0][1]


def test_workbook_whose_text_unpacks_too_far_is_refused(monkeypatch):
    import zipfile

    from forumdash.importers import tables

    buffer = io.BytesIO(workbook(_rows(1), sheet="Practices"))
    with zipfile.ZipFile(buffer, "a") as archive:  # the cells' text, as Excel stores it
        archive.writestr("xl/sharedStrings.xml", "<sst>" + "<si><t>Čačak</t></si>" * 100 + "</sst>")
    assert len(tables.read_xlsx(buffer.getvalue(), "Practices").rows) == 1
    monkeypatch.setattr(tables, "MAX_SHARED_STRINGS_BYTES", 1000)
    with pytest.raises(InvalidFile, match="save it as CSV instead"):
        tables.read_xlsx(buffer.getvalue(), "Practices")


def test_zip_member_larger_than_declared_is_refused():
    """A ZIP that lies about a member's size cannot unpack past it: reading stops and fails."""
    data = bytearray(workbook(_rows(2), sheet="Practices"))
    # Shrink the sheet's declared size in the central directory (and local header).
    import zipfile

    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    real = info.file_size.to_bytes(4, "little")
    data = bytearray(bytes(data).replace(real, (100).to_bytes(4, "little")))
    from forumdash.importers import tables

    with pytest.raises(InvalidFile, match="workbook"):
        tables.read_xlsx(bytes(data), "Practices")


def test_wide_sheet_is_read_in_bounded_memory(tmp_path):
    """1,000 practices with a cell at XFD on each row (a file of well under 1 MB that used to
    expand to 16,384 cells a row): read in about the memory of the same rows without that cell,
    each measured in a process of its own (RUSAGE_CHILDREN), above the floor of a process that
    reads one row (its imports: about 105 MB of the 112 MB the 1,000 rows take)."""
    rows = _rows(1000)
    one, narrow, wide = tmp_path / "one.xlsx", tmp_path / "narrow.xlsx", tmp_path / "wide.xlsx"
    one.write_bytes(workbook(_rows(1), sheet="Practices"))
    narrow.write_bytes(workbook(rows, sheet="Practices"))
    wide.write_bytes(workbook(rows, sheet="Practices", last_cell="x"))
    assert wide.stat().st_size < 1024 * 1024
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}"}
    done = subprocess.run(
        [sys.executable, "-m", "tests.support.import_memory", str(one), str(narrow), str(wide)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=True,
    )
    floor, baseline, measured = (json.loads(line) for line in done.stdout.splitlines())
    assert floor["ok"] and floor["rows"] == 1, floor
    assert baseline["ok"] and baseline["rows"] == 1000, baseline
    assert measured["ok"] and measured["rows"] == 1000, measured
    assert any("XFD" in note for note in measured["notes"])
    # Unbounded, the wide file costs 16,384 cells a row: about 130 MB more than the narrow one,
    # whose rows take about 7 MB above the floor.
    rows_kb = baseline["maxrss_kb"] - floor["maxrss_kb"]
    wide_kb = measured["maxrss_kb"] - floor["maxrss_kb"]
    assert wide_kb < 2 * rows_kb + 8 * 1024, (floor, baseline, measured)


# JSON nested deeper than Python's recursion limit: json.loads raises RecursionError, not
# ValueError, so it escaped every `except ValueError` to the page as a traceback.
DEEP_JSON = b"[" * 100_000 + b"]" * 100_000


@pytest.mark.parametrize("filename", ["deep.json", ""])
def test_deeply_nested_json_is_refused_with_a_message(filename):
    with pytest.raises(InvalidFile, match="JSON"):
        sniff.inspect_file(DEEP_JSON, filename)


def test_deeply_nested_json_practices_file_is_refused_with_a_message():
    with pytest.raises(InvalidFile, match="JSON"):
        read_practice_file(DEEP_JSON, "json")
