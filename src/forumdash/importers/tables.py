"""Rows of a CSV file or an XLSX sheet, numbered as a spreadsheet shows them (header = row 1).

Both are read as a stream, one row at a time, so that memory follows the cells the rows hold,
not the size of the file: a CSV is decoded as it is read (never held as one string), and a
workbook's rows are cut to the header's width as openpyxl reads them (a sheet with one cell in
its last column, XFD, on every row would otherwise cost 16,384 cells a row).
"""

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula

from forumdash.i18n import _, format_number
from forumdash.importers.encoding import TextEncoding, text_prefix
from forumdash.importers.progress import ProgressCallback, ProgressReporter
from forumdash.importers.sniff import (
    MAX_BYTES,
    MAX_SHARED_STRINGS_BYTES,
    MAX_UNPACKED_BYTES,
    InvalidFile,
    csv_header,
    text_encoding,
)

Cell = str | int | float | bool | dt.date | dt.datetime | None

# Columns read beyond the header's last one, to catch a row shifted to the right or a stray note
# next to the table; cells further out are not read at all.
OVERFLOW_PROBE_COLUMNS = 16


@dataclass
class Table:
    """A header and the rows under it; blank rows are left out, numbers stay as in the file."""

    header: list[str]
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)
    # Rows with filled cells beyond the last header column (a shifted row, a stray note).
    overflowing: list[int] = field(default_factory=list)
    encoding: TextEncoding | None = None  # None for a workbook
    notes: list[str] = field(default_factory=list)


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


def _start(header_cells: Iterable[Any], what: str) -> Table:
    """An empty table under the header row; InvalidFile when the first row names nothing."""
    cells = list(header_cells)
    while cells and _blank(cells[-1]):
        cells.pop()
    if not cells:
        raise InvalidFile(_("{what}: the first row must name the columns").format(what=what))
    header = [str(c).replace("\ufeff", "").strip() if c is not None else "" for c in cells]
    return Table(header=header)


def _add(table: Table, number: int, cells: Iterable[Any]) -> None:
    """Add a row (cut or padded to the header's width) unless it is blank. The cells are what
    csv or openpyxl read: text, numbers, dates, None."""
    row: list[Cell] = list(cells)
    if all(_blank(c) for c in row):
        return
    width = len(table.header)
    if any(not _blank(c) for c in row[width:]):
        table.overflowing.append(number)
    del row[width:]
    row.extend([None] * (width - len(row)))
    table.rows.append((number, row))


def read_csv(
    data: bytes,
    columns: Collection[str] = (),
    *,
    encoding: TextEncoding | None = None,
    progress: ProgressCallback | None = None,
) -> Table:
    """The rows of a CSV file (comma, semicolon or tab separated), in the encoding detected
    (see forumdash.importers.encoding) unless one is given."""
    encoding = encoding or text_encoding(data)
    delimiter, _header = csv_header(text_prefix(data, encoding), columns)
    # Long texts (OGP's full texts run to tens of thousands of characters) exceed the default.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES))
    buffer = io.BytesIO(data)
    reporter = ProgressReporter(progress, "reading", len(data))
    table: Table | None = None
    number = 0
    with io.TextIOWrapper(buffer, encoding=encoding.codec, newline="") as stream:
        reader = csv.reader(stream, delimiter=delimiter)
        try:
            for number, cells in enumerate(reader, start=1):
                if table is None:
                    table = _start(cells, _("the CSV file"))
                    table.encoding = encoding
                    continue
                _add(table, number, cells)
                reporter.update(buffer.tell(), number - 1)
        except csv.Error as exc:
            raise InvalidFile(
                _("the CSV file cannot be read near line {line}: {reason}").format(
                    line=reader.line_num, reason=exc
                )
            ) from exc
        except UnicodeDecodeError as exc:
            raise InvalidFile(
                _("the CSV file cannot be read as {encoding} near line {line}: {reason}").format(
                    encoding=encoding.shown, line=reader.line_num + 1, reason=exc.reason
                )
            ) from exc
    if table is None:
        raise InvalidFile(_("the CSV file: the first row must name the columns"))
    reporter.finish(max(number - 1, 0))
    return table


def _check_zip(data: bytes) -> None:
    """Refuse a workbook that would unpack to more than the limits (a "zip bomb"); the sizes
    checked are the ones reading is held to."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InvalidFile(_("the workbook is damaged: {reason}").format(reason=exc)) from exc
    unpacked = sum(info.file_size for info in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise InvalidFile(
            _("the workbook would unpack to {size} MB; the limit is {limit} MB").format(
                size=format_number(unpacked // 1024 // 1024),
                limit=format_number(MAX_UNPACKED_BYTES // 1024 // 1024),
            )
        )
    strings = sum(i.file_size for i in members if i.filename.lower().endswith("sharedstrings.xml"))
    if strings > MAX_SHARED_STRINGS_BYTES:
        raise InvalidFile(
            _(
                "the workbook's text would take {size} MB once unpacked; the limit is {limit} MB "
                "(save it as CSV instead)"
            ).format(
                size=format_number(strings // 1024 // 1024),
                limit=format_number(MAX_SHARED_STRINGS_BYTES // 1024 // 1024),
            )
        )


def read_xlsx(
    data: bytes, sheet: str | None = None, *, progress: ProgressCallback | None = None
) -> Table:
    """The rows of the named sheet of a workbook, or of its first sheet. A formula cell gives its
    formula as text, never a computed value. Cells more than OVERFLOW_PROBE_COLUMNS beyond the
    header's last column are not read."""
    _check_zip(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise InvalidFile(_("the workbook cannot be read: {reason}").format(reason=exc)) from exc
    try:
        names = book.sheetnames
        chosen = sheet if sheet in names else names[0]
        worksheet = book[chosen]
        # The used range the sheet declares: for progress and a note only, never trusted for
        # reading (some programs write wrong dimensions), so every row is read.
        declared_rows, declared_columns = worksheet.max_row or 0, worksheet.max_column or 0
        worksheet.reset_dimensions()
        what = _("sheet {name}").format(name=repr(chosen))
        first = next(worksheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
        table = _start([_xlsx_cell(value) for value in first], what)
        read_width = len(table.header) + OVERFLOW_PROBE_COLUMNS
        reporter = ProgressReporter(progress, "reading", len(data) if declared_rows else 0)
        number = 1
        rows = worksheet.iter_rows(min_row=2, max_col=read_width, values_only=True)
        for number, cells in enumerate(rows, start=2):
            _add(table, number, [_xlsx_cell(value) for value in cells])
            if declared_rows:
                reporter.update(min(number, declared_rows) * len(data) // declared_rows, number)
            else:
                reporter.update(0, number - 1)
    except InvalidFile:
        raise
    except Exception as exc:
        raise InvalidFile(_("the workbook cannot be read: {reason}").format(reason=exc)) from exc
    finally:
        book.close()
    if declared_columns > read_width:
        table.notes.append(
            _(
                "{what} declares cells as far as column {last}; only columns A to {read} were "
                "read (the named columns and {beyond} beyond them)"
            ).format(
                what=what,
                last=get_column_letter(declared_columns),
                read=get_column_letter(read_width),
                beyond=OVERFLOW_PROBE_COLUMNS,
            )
        )
    reporter.finish(max(number - 1, 0))
    return table
