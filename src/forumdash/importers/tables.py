"""Rows of a CSV file or an XLSX sheet, numbered as a spreadsheet shows them (header = row 1)."""

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from openpyxl import load_workbook
from openpyxl.worksheet.formula import ArrayFormula

from forumdash.importers.sniff import (
    MAX_BYTES,
    MAX_UNPACKED_BYTES,
    InvalidFile,
    csv_header,
    decode_text,
)

Cell = str | int | float | bool | dt.date | dt.datetime | None


@dataclass
class Table:
    """A header and the rows under it; blank rows are left out, numbers stay as in the file."""

    header: list[str]
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)
    # Rows with filled cells beyond the last header column (a shifted row, a stray note).
    overflowing: list[int] = field(default_factory=list)


def _blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _xlsx_cell(value: object) -> Cell:
    """A workbook cell as a Cell: openpyxl gives an array formula as an object (its text is
    the formula, like any other formula cell's), a time or duration as a value of its own."""
    if isinstance(value, ArrayFormula):
        return value.text
    if value is None or isinstance(value, str | int | float | dt.date):
        return value
    return str(value)


def _table(raw_rows: Sequence[tuple[int, Sequence[Cell]]], what: str) -> Table:
    if not raw_rows or raw_rows[0][0] != 1 or all(_blank(c) for c in raw_rows[0][1]):
        raise InvalidFile(f"{what}: the first row must name the columns")
    header_cells = list(raw_rows[0][1])
    while header_cells and _blank(header_cells[-1]):
        header_cells.pop()
    header = [str(c).replace("\ufeff", "").strip() if c is not None else "" for c in header_cells]
    table = Table(header=header)
    width = len(header)
    for number, cells in raw_rows[1:]:
        cells = list(cells)
        if all(_blank(c) for c in cells):
            continue
        if any(not _blank(c) for c in cells[width:]):
            table.overflowing.append(number)
        table.rows.append((number, (cells + [None] * width)[:width]))
    return table


def read_csv(data: bytes, columns: Collection[str] = ()) -> Table:
    """The rows of a CSV file (comma, semicolon or tab separated; see sniff.decode_text)."""
    text = decode_text(data).lstrip("\ufeff")
    delimiter, _ = csv_header(text, columns)
    # Long texts (OGP's full texts run to tens of thousands of characters) exceed the default.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        raw_rows = [(number, row) for number, row in enumerate(reader, start=1)]
    except csv.Error as exc:
        raise InvalidFile(
            f"the CSV file cannot be read near line {reader.line_num}: {exc}"
        ) from exc
    return _table(raw_rows, "the CSV file")


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InvalidFile(f"the workbook is damaged: {exc}") from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise InvalidFile(
            f"the workbook would unpack to {unpacked // 1024 // 1024} MB; the limit is "
            f"{MAX_UNPACKED_BYTES // 1024 // 1024} MB"
        )


def read_xlsx(data: bytes, sheet: str | None = None) -> Table:
    """The rows of the named sheet of a workbook, or of its first sheet. A formula cell gives its
    formula as text, never a computed value."""
    _check_zip(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise InvalidFile(f"the workbook cannot be read: {exc}") from exc
    try:
        names = book.sheetnames
        chosen = sheet if sheet in names else names[0]
        worksheet = book[chosen]
        worksheet.reset_dimensions()  # some programs write wrong dimensions; read every row
        raw_rows = [
            (number, [_xlsx_cell(value) for value in row])
            for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1)
        ]
    except InvalidFile:
        raise
    except Exception as exc:
        raise InvalidFile(f"the workbook cannot be read: {exc}") from exc
    finally:
        book.close()
    return _table(raw_rows, f"sheet {chosen!r}")
