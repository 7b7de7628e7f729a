"""Exports as CSV, XLSX and JSON: the filtered practices, and the file builders that the
commitments export too (forumdash.commitment_export): pure functions, no Streamlit, no database.

CSV and XLSX are for spreadsheet programs, so every text cell is made formula-safe (OWASP "CSV
injection"); JSON is data and keeps every value as it is stored. Every format writes text as the
pages show it: without bidirectional overrides and zero-width characters (text.strip_invisible),
which could make a cell read differently from what it holds.
"""

import csv
import datetime as dt
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from forumdash import vocab as v
from forumdash.filters import FACETS, SORTS, PracticeFilters, to_params
from forumdash.i18n import TAGS
from forumdash.models import PRACTICE_TRANSLATED, PracticePublic, SourceLink
from forumdash.settings import get_settings
from forumdash.text import strip_invisible

# A flat cell: text, a whole number, a date or a time (UTC), or nothing.
CellValue = str | int | dt.date | dt.datetime | None

FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("text/csv", ".csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    "json": ("application/json", ".json"),
}

SOURCE_NOTE = (
    "Published practices of the Western Balkans Regional Forum dashboard (forumdash). Each "
    "practice cites its public sources in the Sources column; rows with Sample = yes are "
    "illustrative examples, not real initiatives. Text cells that began with =, +, -, @, a tab "
    "or a carriage return start with an added ' so that spreadsheet programs show them as text. "
    "Each practice is in its original language (Original language); its translations follow, "
    "one set of columns per language, named by field and language tag (title_sq, summary_sq, "
    "problem_purpose_sq...)."
)

# What a spreadsheet program may read as the start of a formula (OWASP), with the full-width
# forms that some programs normalise to the same characters.
FORMULA_TRIGGERS = frozenset("=+-@\t\r＝＋－＠")

XLSX_MAX_CELL_CHARS = 32_767  # Excel refuses to open a file with a longer cell


def neutralise(value: str) -> str:
    """The text with a leading ' if a spreadsheet program could read it as a formula."""
    for char in value:
        if char in FORMULA_TRIGGERS:
            return "'" + value
        # Leading blanks and invisible characters do not protect: some importers trim them.
        if not (char.isspace() or unicodedata.category(char) == "Cf"):
            return value
    return value


# --------------------------------------------------------------------------- columns


def _label(value: v.Vocab | None) -> str:
    return value.label if value is not None else ""


def _labels(values: Iterable[v.Vocab]) -> str:
    return "; ".join(value.label for value in values)


def _links(links: Iterable[SourceLink]) -> str:
    return "; ".join(f"{link.title} <{link.url}>" if link.url else link.title for link in links)


def _yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    """The moment in UTC without a time zone (SQLite gives naive UTC times, PostgreSQL aware)."""
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def practice_path(practice_id: int) -> str:
    """The practice's page: a full address when FORUMDASH_PUBLIC_URL says where the site is
    (an exported file is read away from the site), else the path."""
    path = f"/practice?id={practice_id}"
    base = get_settings().public_url
    return base.rstrip("/") + path if base else path


def _section(key: str) -> Callable[[PracticePublic], CellValue]:
    return lambda p: p.body.get(key, "")


Getter = Callable[[PracticePublic], CellValue]

COLUMNS: list[tuple[str, Getter]] = [
    ("ID", lambda p: p.id),
    ("Slug", lambda p: p.slug),
    ("Link", lambda p: practice_path(p.id)),
    ("Title", lambda p: p.title),
    ("Country code", lambda p: p.country_code),
    ("Country", lambda p: p.country_name),
    ("Summary", lambda p: p.summary),
    *((heading, _section(key)) for key, heading in v.BODY_SECTIONS),
    ("Level of government", lambda p: _label(p.level)),
    ("Lead institution", lambda p: p.lead_institution),
    ("Partners", lambda p: p.partners),
    ("Actor type", lambda p: _label(p.actor_type)),
    ("Themes", lambda p: "; ".join(p.themes)),
    ("OGP values", lambda p: _labels(p.ogp_values)),
    ("Outcome areas", lambda p: _labels(p.outcome_areas)),
    ("Stage", lambda p: _label(p.stage)),
    ("Start year", lambda p: p.start_year),
    ("Start date", lambda p: p.start_date),
    ("End date", lambda p: p.end_date),
    ("Ongoing", lambda p: _yes_no(p.ongoing)),
    ("Action plan", lambda p: p.action_plan),
    ("Commitment", lambda p: p.commitment_ref),
    ("Completion", lambda p: _label(p.completion)),
    ("Potential impact", lambda p: _label(p.potential_impact)),
    ("Early results", lambda p: _label(p.early_results)),
    ("Rated by", lambda p: _label(p.rated_by)),
    ("Evidence level", lambda p: _label(p.evidence_level)),
    ("Evidence links", lambda p: _links(p.evidence_links)),
    ("Transferability", lambda p: p.transferability),
    ("Conditions for transfer", lambda p: p.transfer_conditions),
    ("Contact", lambda p: p.contact),
    ("Sources", lambda p: _links(p.sources)),
    ("Original language", lambda p: p.original_language),
    ("Sample", lambda p: _yes_no(p.is_sample)),
    ("Published at (UTC)", lambda p: _utc(p.published_at)),
]
HEADERS = [header for header, _ in COLUMNS]

# Long prose gets wide columns in the spreadsheet; everything else a default width.
_WIDE = {"Title", "Summary", "Transferability", "Conditions for transfer", "Sources"}
_WIDE.update(heading for _, heading in v.BODY_SECTIONS)
_NARROW = {"ID": 8, "Country code": 10, "Start year": 10, "Ongoing": 9, "Sample": 9}


def translation_header(field: str, language: str) -> str:
    """The column of one translated field in one language: `title_sq`, `problem_purpose_sr-Latn`."""
    return f"{field}_{language}"


def translated_languages(practices: Iterable[PracticePublic]) -> list[str]:
    """The languages any of the practices is translated into, in the forum's order."""
    found = {tag for practice in practices for tag in practice.translations}
    return [tag for tag in TAGS if tag in found] + sorted(found - set(TAGS))


def headers(languages: Sequence[str] = ()) -> list[str]:
    """The columns of a table export: HEADERS, then a set per translation language."""
    return HEADERS + [
        translation_header(field, tag) for tag in languages for field in PRACTICE_TRANSLATED
    ]


def row(practice: PracticePublic, languages: Sequence[str] = ()) -> list[CellValue]:
    """One practice as a flat row of COLUMNS (labels, not stored values; not yet neutralised),
    then its translation into each of `languages` ("" where it has none)."""
    translated: list[CellValue] = []
    for tag in languages:
        translation = practice.translations.get(tag)
        texts = translation.fields() if translation is not None else {}
        translated += [texts.get(field, "") for field in PRACTICE_TRANSLATED]
    return [getter(practice) for _, getter in COLUMNS] + translated


def record(practice: PracticePublic) -> dict[str, Any]:
    """One practice for JSON: stored values and lists, under keys that are always present."""
    published = _utc(practice.published_at)
    return {
        "id": practice.id,
        "url": practice_path(practice.id),
        "slug": practice.slug,
        "title": practice.title,
        "country_code": practice.country_code,
        "country_name": practice.country_name,
        "summary": practice.summary,
        "body": {key: practice.body.get(key, "") for key, _ in v.BODY_SECTIONS},
        "level": practice.level.value,
        "lead_institution": practice.lead_institution,
        "partners": practice.partners,
        "actor_type": practice.actor_type.value,
        "themes": list(practice.themes),
        "ogp_values": [value.value for value in practice.ogp_values],
        "outcome_areas": [area.value for area in practice.outcome_areas],
        "stage": practice.stage.value,
        "start_year": practice.start_year,
        "start_date": practice.start_date.isoformat() if practice.start_date else None,
        "end_date": practice.end_date.isoformat() if practice.end_date else None,
        "ongoing": practice.ongoing,
        "action_plan": practice.action_plan,
        "commitment_ref": practice.commitment_ref,
        "completion": _raw(practice.completion),
        "potential_impact": _raw(practice.potential_impact),
        "early_results": _raw(practice.early_results),
        "rated_by": _raw(practice.rated_by),
        "evidence_level": _raw(practice.evidence_level),
        "evidence_links": [link.model_dump() for link in practice.evidence_links],
        "transferability": practice.transferability,
        "transfer_conditions": practice.transfer_conditions,
        "adapted_from_id": practice.adapted_from_id,
        "contact": practice.contact,
        "sources": [link.model_dump() for link in practice.sources],
        "original_language": practice.original_language,
        "translations": {
            tag: translation.model_dump() for tag, translation in practice.translations.items()
        },
        "sample": practice.is_sample,
        "published_at": published.isoformat() + "Z" if published else None,
    }


def _raw(value: v.Vocab | None) -> str | None:
    return value.value if value is not None else None


# --------------------------------------------------------------------------- filters


def export_params(filters: PracticeFilters) -> dict[str, list[str]]:
    """The URL parameters of the view, without its page: an export holds every page."""
    return {
        key: values for key, values in to_params(filters).items() if key not in ("page", "per_page")
    }


def _choice_label(vocabulary: type[v.Vocab] | None, choice: str) -> str:
    if vocabulary is not None and choice in vocabulary.values():
        return vocabulary(choice).label
    return choice


def describe(filters: PracticeFilters) -> str:
    """The filters in words, for the reader of a spreadsheet."""
    parts: list[str] = []
    for facet in FACETS:
        chosen = filters.choices(facet)
        if chosen:
            names = [_choice_label(facet.vocabulary, choice) for choice in chosen]
            parts.append(f"{facet.label}: {', '.join(names)}")
    if filters.year_from is not None or filters.year_to is not None:
        parts.append(f"Start year: {filters.year_from or '…'}–{filters.year_to or '…'}")
    if filters.q.strip():
        parts.append(f"Search: “{filters.q.strip()}”")
    chosen_filters = "; ".join(parts) or "All published practices (no filter)"
    return f"{chosen_filters}. Sorted by: {SORTS[filters.effective_sort].lower()}."


def now_utc(now: dt.datetime | None = None) -> dt.datetime:
    """The export time in UTC, to the second, without a time zone."""
    moment = _utc(now or dt.datetime.now(dt.UTC))
    assert moment is not None
    return moment


def filename(filters: PracticeFilters, fmt: str, *, today: dt.date | None = None) -> str:
    """A download name like forumdash-practices-2026-11-27.csv (with up to three countries)."""
    today = today or dt.datetime.now(dt.UTC).date()
    countries = [c.lower() for c in filters.countries if re.fullmatch(r"[A-Za-z]{2}", c)]
    middle = "".join(f"-{c}" for c in countries) if 0 < len(countries) <= 3 else ""
    return f"forumdash-practices{middle}-{today.isoformat()}{FORMATS[fmt][1]}"


# --------------------------------------------------------------------------- writers


def _csv_text(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    return neutralise(strip_invisible(value))


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[CellValue]]) -> bytes:
    """UTF-8 with a byte-order mark (so that Excel reads non-Latin text), one header row, every
    text cell formula-safe."""
    buffer = io.BytesIO()
    text = io.TextIOWrapper(buffer, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(headers)
    for values in rows:
        writer.writerow([_csv_text(value) for value in values])
    text.flush()
    text.detach()
    return buffer.getvalue()


def to_csv(practices: Iterable[PracticePublic]) -> bytes:
    """The practices as CSV, one row each, with a column set per translation language."""
    practices = list(practices)
    languages = translated_languages(practices)
    return write_csv(headers(languages), (row(practice, languages) for practice in practices))


def _xlsx_cell(sheet: Any, value: CellValue, *, bold: bool = False) -> Cell:
    """A cell whose text can never become a formula, whatever it holds."""
    cell = WriteOnlyCell(sheet)
    if isinstance(value, str):
        text = neutralise(strip_invisible(ILLEGAL_CHARACTERS_RE.sub("", value)))
        if len(text) > XLSX_MAX_CELL_CHARS:
            text = text[: XLSX_MAX_CELL_CHARS - 1] + "…"
        cell.value = text
        # openpyxl turns any string that starts with "=" into a formula; text stays text.
        cell.data_type = "s"
    else:
        cell.value = value
        if isinstance(value, dt.datetime):
            cell.number_format = "yyyy-mm-dd hh:mm:ss"
        elif isinstance(value, dt.date):
            cell.number_format = "yyyy-mm-dd"
    if bold:
        cell.font = Font(bold=True)
    return cell


def write_xlsx(
    sheet_name: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[CellValue]],
    *,
    widths: Callable[[str], int],
    about: Callable[[int], list[tuple[str, CellValue]]],
) -> bytes:
    """A workbook with one sheet of rows under a bold, frozen header and an "About" sheet,
    whose lines `about(count)` gives once the rows are counted; every text cell formula-safe."""
    book = Workbook(write_only=True)  # rows go to disk as they come, not into memory
    sheet = book.create_sheet(sheet_name)
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = widths(header)
    sheet.freeze_panes = "A2"
    sheet.append([_xlsx_cell(sheet, header, bold=True) for header in headers])
    count = 0
    for values in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in values])
        count += 1

    sheet_about = book.create_sheet("About")
    sheet_about.column_dimensions["A"].width = 22
    sheet_about.column_dimensions["B"].width = 100
    for name, value in about(count):
        sheet_about.append(
            [_xlsx_cell(sheet_about, name, bold=True), _xlsx_cell(sheet_about, value)]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _practice_width(header: str) -> int:
    translated = header.rpartition("_")[0] in PRACTICE_TRANSLATED  # title_sq, methods_mk...
    return _NARROW.get(header, 60 if header in _WIDE or translated else 20)


def to_xlsx(
    practices: Iterable[PracticePublic],
    filters: PracticeFilters | None = None,
    *,
    now: dt.datetime | None = None,
) -> bytes:
    """A workbook with a "Practices" sheet (one row each) and an "About" sheet."""
    chosen = filters or PracticeFilters()

    def about(count: int) -> list[tuple[str, CellValue]]:
        return [
            ("Exported at (UTC)", now_utc(now)),
            ("Practices", count),
            ("Filters", describe(chosen)),
            ("URL parameters", urlencode(export_params(chosen), doseq=True) or "(none)"),
            ("Source", SOURCE_NOTE),
        ]

    practices = list(practices)
    languages = translated_languages(practices)
    return write_xlsx(
        "Practices",
        headers(languages),
        (row(practice, languages) for practice in practices),
        widths=_practice_width,
        about=about,
    )


def _shown(value: Any) -> Any:
    """The value with its text as the pages show it (strip_invisible), at any depth."""
    if isinstance(value, str):
        return strip_invisible(value)
    if isinstance(value, Mapping):
        return {_shown(key): _shown(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_shown(item) for item in value]
    return value


def write_json(document: Mapping[str, Any]) -> bytes:
    """A JSON document as UTF-8 (non-ASCII text kept readable), indented, ending in a newline;
    its text as the pages show it (no bidirectional overrides, no zero-width characters)."""
    return json.dumps(_shown(document), ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


def to_json(
    practices: Iterable[PracticePublic],
    filters: PracticeFilters | None = None,
    *,
    now: dt.datetime | None = None,
) -> bytes:
    """{"exported_at", "filters", "count", "practices": [...]} as UTF-8, values as stored."""
    records = [record(practice) for practice in practices]
    return write_json(
        {
            "exported_at": now_utc(now).isoformat() + "Z",
            "filters": export_params(filters or PracticeFilters()),
            "count": len(records),
            "practices": records,
        }
    )


def export(
    practices: Iterable[PracticePublic],
    fmt: str,
    filters: PracticeFilters | None = None,
    *,
    now: dt.datetime | None = None,
) -> bytes:
    """The practices in one of FORMATS."""
    if fmt == "csv":
        return to_csv(practices)
    if fmt == "xlsx":
        return to_xlsx(practices, filters, now=now)
    if fmt == "json":
        return to_json(practices, filters, now=now)
    raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
