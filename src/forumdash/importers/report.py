"""What an import did, or would do: counts, skipped rows, and every problem in full.

A problem names its row, the record's identifier where there is one, the column and the value as
written, and says why. Errors refuse the file (nothing is written); warnings do not: the row is
imported and the cell is left empty or kept as written. Both are given in full, never cut, one line
per row (a row's problems are joined, so a row number is never listed twice).
"""

from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

MAX_CHANGES_LISTED = 20


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one cell (or in the row as a whole, without a column)."""

    row: int
    reason: str
    identifier: str = ""
    column: str = ""
    value: str = ""

    def text(self) -> str:
        """`Column 'value': reason`, or the reason alone when no column is named."""
        if not self.column:
            return self.reason
        if not self.value:
            return f"{self.column}: {self.reason}"
        return f"{self.column} {self.value!r}: {self.reason}"

    def as_dict(self) -> dict[str, Any]:
        """The cell's part of the problem as plain JSON values."""
        return {"column": self.column, "value": self.value, "reason": self.reason}


def _by_row(problems: list[Problem]) -> list[tuple[int, str, list[Problem]]]:
    """(row, identifier, its problems), one entry per row, rows in order."""
    ordered = sorted(problems, key=lambda problem: problem.row)
    grouped = []
    for row, items in groupby(ordered, key=lambda problem: problem.row):
        group = list(dict.fromkeys(items))  # the same problem twice is listed once
        identifier = next((p.identifier for p in group if p.identifier), "")
        grouped.append((row, identifier, group))
    return grouped


@dataclass
class ImportReport:
    """The outcome of one import; nothing was written unless `ok` and not `dry_run`."""

    kind: str  # "practices" or "ogp"
    dry_run: bool = False
    filename: str = ""
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Rows of countries outside the forum, by the name the file gives them.
    skipped_other_country: dict[str, int] = field(default_factory=dict)
    # Rows as a spreadsheet numbers them; for JSON, the record's number.
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    row_label: str = "row"
    # Each stored record the import changes (or would change): (its identifier, the fields), so
    # that an organiser sees before importing an old export that it would undo later edits.
    changes: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def skipped(self) -> int:
        """How many rows of other countries were skipped."""
        return sum(self.skipped_other_country.values())

    @property
    def total(self) -> int:
        """How many rows were (or would be) imported."""
        return self.created + self.updated + self.unchanged

    def add_error(
        self, row: int, reason: str, *, identifier: str = "", column: str = "", value: str = ""
    ) -> None:
        """A problem that refuses the file."""
        self.errors.append(Problem(row, reason, identifier, column, value))

    def error_rows(self) -> list[int]:
        """The rows with errors, each once, in order."""
        return sorted({problem.row for problem in self.errors})

    def _row_lines(self, problems: list[Problem], prefix: str = "") -> list[str]:
        lines = []
        for row, identifier, group in _by_row(problems):
            named = f"{self.row_label} {row}" + (f" ({identifier})" if identifier else "")
            lines.append(f"{prefix}{named}: " + "; ".join(problem.text() for problem in group))
        return lines

    def headline(self) -> str:
        """The first line: what happened (or would), and the file's name when known."""
        where = f"{self.kind}: {self.filename}: " if self.filename else f"{self.kind}: "
        if not self.ok:
            rows = len(self.error_rows())
            noun = self.row_label if rows == 1 else f"{self.row_label}s"
            return f"{where}{rows} invalid {noun}; nothing was written"
        return f"{where}{self.created} created, {self.updated} updated, {self.unchanged} unchanged"

    def error_lines(self) -> list[str]:
        """One line per row with errors, naming each cell's column, value and reason."""
        return self._row_lines(self.errors)

    def warning_lines(self) -> list[str]:
        """One line per row with warnings, in full, each starting `warning: row N (identifier)`."""
        return self._row_lines(self.warnings, prefix="warning: ")

    def summary_lines(self) -> list[str]:
        """The headline, the records changed, the rows skipped: what the import did."""
        lines = [self.headline()]
        if not self.ok:
            return lines
        verb = "would change" if self.dry_run else "changed"
        for identifier, fields in self.changes[:MAX_CHANGES_LISTED]:
            lines.append(f"{verb}: {identifier} ({', '.join(fields)})")
        if len(self.changes) > MAX_CHANGES_LISTED:
            lines.append(f"{verb}: {len(self.changes) - MAX_CHANGES_LISTED} more records")
        if self.skipped:
            which = ", ".join(
                f"{name} ({n})" for name, n in sorted(self.skipped_other_country.items())
            )
            noun = "row" if self.skipped == 1 else "rows"
            lines.append(f"skipped {self.skipped} {noun} of countries outside the forum: {which}")
        return lines

    def lines(self) -> list[str]:
        """The whole report for a person: the summary, every error, every warning, the notes."""
        lines = self.summary_lines() + self.error_lines() + self.warning_lines()
        lines += [f"note: {note}" for note in self.notes]
        if self.dry_run and self.ok:
            lines.append("dry run: nothing was written; the counts are what an import would do")
        return lines

    def as_dict(self) -> dict[str, Any]:
        """The report as plain JSON values; problems grouped by row, every one in full."""

        def rows(problems: list[Problem]) -> list[dict[str, Any]]:
            return [
                {
                    "row": row,
                    "identifier": identifier,
                    "problems": [problem.as_dict() for problem in group],
                }
                for row, identifier, group in _by_row(problems)
            ]

        return {
            "kind": self.kind,
            "file": self.filename,
            "ok": self.ok,
            "dry_run": self.dry_run,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped_other_country": {
                "count": self.skipped,
                "countries": dict(sorted(self.skipped_other_country.items())),
            },
            "errors": rows(self.errors),
            "warnings": rows(self.warnings),
            "changes": [{"identifier": i, "fields": fields} for i, fields in self.changes],
            "notes": list(self.notes),
        }
