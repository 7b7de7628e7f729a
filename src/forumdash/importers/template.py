"""The bulk-entry template of practices, as CSV and as a workbook with instructions."""

import csv
import datetime as dt
import io
from collections.abc import Mapping

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from forumdash import export
from forumdash import vocab as v
from forumdash.importers.practices import (
    ADAPTED_FROM_HEADER,
    EXAMPLE_SLUG,
    KEY_HEADERS,
    LIST_VOCABULARIES,
    REQUIRED_KEYS,
    SHEET,
    SLUG_HEADER,
    TEMPLATE_HEADERS,
    VOCABULARIES,
)
from forumdash.importers.tables import Cell
from forumdash.service import SEED_DIR

FILENAMES = {"csv": "forumdash-practices-template.csv", "xlsx": "forumdash-practices-template.xlsx"}


_EXAMPLE: dict[str, Cell] = {
    SLUG_HEADER: EXAMPLE_SLUG,
    "Title": "Example (sample, not a real initiative): open budget portal of a municipality",
    "Country code": "AL",
    "Country": "Albania",
    "Summary": "Illustrative example of how to fill in a row. Replace it with a real practice, "
    "or delete it: rows with Sample = yes are shown as examples, not as real initiatives.",
    "Problem and purpose": "What problem did the practice address, and what was it for?",
    "Context": "What made it possible, or harder (laws, politics, earlier attempts)?",
    "Actors and funding": "Who led it, who took part, who paid?",
    "Methods": "What was done, step by step?",
    "What happened": "What came of it, with dates?",
    "Outcomes": "What changed for people, with evidence where there is some?",
    "Lessons and difficulties": "What would you tell a peer who wants to try it?",
    "References": "Further reading.",
    "Level of government": v.GovLevel.local.label,
    "Lead institution": "Municipality of Example",
    "Partners": "A local civil society organisation",
    "Actor type": v.ActorType.joint.label,
    "Themes": "open-budgets; local-government",
    "OGP values": "; ".join(
        x.label for x in (v.OgpValue.access_to_information, v.OgpValue.civic_participation)
    ),
    "Outcome areas": "; ".join(
        x.label for x in (v.OutcomeArea.less_corruption, v.OutcomeArea.restored_public_trust)
    ),
    "Stage": v.Stage.implementing.label,
    "Start year": 2024,
    "Start date": dt.date(2024, 3, 1),
    "Ongoing": "yes",
    "Completion": v.Completion.limited.label,
    "Potential impact": v.PotentialImpact.moderate.label,
    "Rated by": v.RatedBy.self_assessed.label,
    "Evidence level": v.EvidenceLevel.anecdotal.label,
    "Sources": "Example source <https://example.org/source>; A citation without a link",
    "Original language": "en",
    "Sample": "yes",
}

_NOTES: dict[str, str] = {
    SLUG_HEADER: "Required. The practice's stable identifier: lowercase letters, digits and "
    "hyphens (al-e-albania). A row whose slug exists updates that practice; a new slug adds one.",
    "ID": "Ignored (filled in by an export), except to find the practice of a row without a slug.",
    "Link": "Ignored (filled in by an export).",
    "Title": "Required. At most 200 characters.",
    "Country code": "Required: one of the codes below (or a country name).",
    "Country": "Ignored when Country code is filled in.",
    "Summary": "Required.",
    "Themes": "Required: 1 to 3 theme slugs (or names), separated by '; '.",
    "OGP values": "Values or labels, separated by '; '.",
    "Outcome areas": "Values or labels, separated by '; '.",
    "Lead institution": "At most 300 characters.",
    "Partners": "At most 1,000 characters.",
    "Start year": "A year such as 2019 (filled in from the start date when empty).",
    "Start date": "YYYY-MM-DD.",
    "End date": "YYYY-MM-DD, not before the start date.",
    "Ongoing": "yes, or no (ended, with an end date, or not known).",
    "Action plan": "For example AL 2014-2016.",
    "Commitment": "The commitment, action or sub-action reference in the plan.",
    "Evidence links": "Like Sources.",
    "Transferability": "Could others do this? Your assessment, and why.",
    "Conditions for transfer": "What others would need in place to do it.",
    "Contact": "A public contact point (an office, a web page); at most 300 characters.",
    "Sources": "Required unless Sample = yes: 'title <https://link>' or a citation, separated "
    "by '; '.",
    "Original language": "The language the text is written in: en, sq, mk, sr (Cyrillic), "
    "sr-Latn, bs, hr or cnr (empty: not said). Translations may follow in columns named by "
    "field and language, as an export writes them: title_sq, summary_sq, methods_sq...",
    "Sample": "yes for an illustrative example, no (or empty) for a real practice.",
    "Published at (UTC)": "Ignored (filled in by an export).",
    ADAPTED_FROM_HEADER: "The slug of the practice this one was adapted from, if any.",
}

_BODY_HEADINGS = [heading for _, heading in v.BODY_SECTIONS]
_HEADER_VOCABULARIES = {
    KEY_HEADERS[key]: vocabulary for key, vocabulary in (VOCABULARIES | LIST_VOCABULARIES).items()
}


def _template_row() -> list[Cell]:
    return [_EXAMPLE.get(header) for header in TEMPLATE_HEADERS]


def _csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return export.neutralise(str(value))


def template_csv() -> bytes:
    """The bulk-entry template as CSV (UTF-8 with a BOM, for Excel): header and a sample row."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(TEMPLATE_HEADERS)
    writer.writerow([_csv_text(value) for value in _template_row()])
    return buffer.getvalue().encode("utf-8-sig")


def _reference_rows(
    themes: Mapping[str, str], countries: Mapping[str, str]
) -> list[tuple[str, str, str]]:
    """(column, what to enter, allowed values) for the Instructions sheet."""
    rows = []
    for header in TEMPLATE_HEADERS:
        allowed = ""
        vocabulary = _HEADER_VOCABULARIES.get(header)
        if vocabulary is not None:
            allowed = "\n".join(f"{m.label}  (or {m.value})" for m in vocabulary)
        elif header == "Themes":
            allowed = "\n".join(f"{slug}  ({name})" for slug, name in themes.items())
        elif header == "Country code":
            allowed = "\n".join(f"{code}  ({name})" for code, name in countries.items())
        note = _NOTES.get(header, "")
        if not note and header in _BODY_HEADINGS:
            note = "A section of the practice's text (may be empty)."
        if not note and vocabulary is not None:
            required = KEY_HEADERS.get(header) in REQUIRED_KEYS
            note = ("Required: " if required else "") + "one of the labels or values listed."
        rows.append((header, note, allowed))
    return rows


def template_xlsx(
    themes: Mapping[str, str] | None = None, countries: Mapping[str, str] | None = None
) -> bytes:
    """The bulk-entry template as a workbook: a Practices sheet (header, a sample row, drop-down
    lists) and an Instructions sheet with the allowed values of every vocabulary column."""
    themes = themes if themes is not None else _seed_table("themes.csv", "slug", "name")
    countries = (
        countries if countries is not None else _seed_table("countries.csv", "code", "name_en")
    )
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    for column, header in enumerate(TEMPLATE_HEADERS, start=1):
        cell = sheet.cell(row=1, column=column, value=header)
        cell.font = Font(bold=True)
        cell.data_type = "s"
        value = _template_row()[column - 1]
        if value is not None:
            body = sheet.cell(row=2, column=column)
            if isinstance(value, str):
                body.value = export.neutralise(value)
                body.data_type = "s"  # openpyxl would take a leading "=" for a formula
            else:
                body.value = value
                if isinstance(value, dt.date):
                    body.number_format = "yyyy-mm-dd"
        wide = header in ("Title", "Summary", "Sources", *_BODY_HEADINGS)
        sheet.column_dimensions[get_column_letter(column)].width = 50 if wide else 20
        vocabulary = _HEADER_VOCABULARIES.get(header)
        if vocabulary is not None and header not in ("OGP values", "Outcome areas"):
            # A drop-down of labels; a warning, not a refusal, since stored values are fine too.
            choices = ",".join(member.label for member in vocabulary)
            check = DataValidation(
                type="list", formula1=f'"{choices}"', allow_blank=True, errorStyle="warning"
            )
            check.add(f"{get_column_letter(column)}2:{get_column_letter(column)}2000")
            sheet.add_data_validation(check)
    sheet.freeze_panes = "B2"

    guide = book.create_sheet("Instructions")
    guide.column_dimensions["A"].width = 24
    guide.column_dimensions["B"].width = 70
    guide.column_dimensions["C"].width = 60
    intro = (
        "Fill in one row per practice on the Practices sheet (row 1 names the columns; keep it). "
        "Import with `python -m forumdash import practices FILE` or from the app. Vocabulary "
        "columns take the label or the stored value; lists are separated by '; '. Nothing is "
        "written if any row is invalid: the report lists every bad row with its number. New "
        "practices are imported as drafts for review."
    )
    guide.append(["How to use this template", intro])
    guide.append([])
    guide.append(["Column", "What to enter", "Allowed values"])
    for cell in guide[1] + guide[3]:
        cell.font = Font(bold=True)
    for header, note, allowed in _reference_rows(themes, countries):
        guide.append([header, note, allowed])
    for row in guide.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _seed_table(name: str, key: str, value: str) -> dict[str, str]:
    """Two columns of a reference table in data/ (for a template made without a database)."""
    with (SEED_DIR / name).open(encoding="utf-8", newline="") as handle:
        return {row[key]: row[value] for row in csv.DictReader(handle)}
