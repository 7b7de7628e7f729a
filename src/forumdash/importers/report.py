"""What an import did, or would do: counts, skipped rows, and every problem in full.

A problem names its row, the record's identifier where there is one, the column and the value as
written, and says why. Errors refuse the file (nothing is written); warnings do not: the row is
imported and the cell is left empty or kept as written. Both are given in full, never cut, one line
per row (a row's problems are joined, so a row number is never listed twice).
"""

from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from forumdash.i18n import _, ngettext

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
            # Translators: a cell's problem in an import report, e.g. "Title: required".
            return _("{column}: {reason}").format(column=self.column, reason=self.reason)
        # Translators: e.g. "Start year '2o19': '2o19' is not a year"; {value} comes quoted.
        return _("{column} {value}: {reason}").format(
            column=self.column, value=repr(self.value), reason=self.reason
        )

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

    def _named(self, row: int, identifier: str) -> str:
        """`row 4 (slug)`, or `record 4` in a JSON file."""
        if self.row_label == "record":
            if identifier:
                return _("record {n} ({identifier})").format(n=row, identifier=identifier)
            return _("record {n}").format(n=row)
        if identifier:
            return _("row {n} ({identifier})").format(n=row, identifier=identifier)
        return _("row {n}").format(n=row)

    def _row_lines(self, problems: list[Problem], warning: bool = False) -> list[str]:
        lines = []
        for row, identifier, group in _by_row(problems):
            where = self._named(row, identifier)
            text = "; ".join(problem.text() for problem in group)
            if warning:
                lines.append(_("warning: {where}: {problems}").format(where=where, problems=text))
            else:
                lines.append(_("{where}: {problems}").format(where=where, problems=text))
        return lines

    def headline(self) -> str:
        """The first line: what happened (or would), and the file's name when known."""
        where = f"{self.kind}: {self.filename}: " if self.filename else f"{self.kind}: "
        if not self.ok:
            rows = len(self.error_rows())
            if self.row_label == "record":
                outcome = ngettext(
                    "{n} invalid record; nothing was written",
                    "{n} invalid records; nothing was written",
                    rows,
                )
            else:
                outcome = ngettext(
                    "{n} invalid row; nothing was written",
                    "{n} invalid rows; nothing was written",
                    rows,
                )
            return where + outcome.format(n=rows)
        return where + _("{created} created, {updated} updated, {unchanged} unchanged").format(
            created=self.created, updated=self.updated, unchanged=self.unchanged
        )

    def error_lines(self) -> list[str]:
        """One line per row with errors, naming each cell's column, value and reason."""
        return self._row_lines(self.errors)

    def warning_lines(self) -> list[str]:
        """One line per row with warnings, in full, each starting `warning: row N (identifier)`."""
        return self._row_lines(self.warnings, warning=True)

    def summary_lines(self) -> list[str]:
        """The headline, the records changed, the rows skipped: what the import did."""
        lines = [self.headline()]
        if not self.ok:
            return lines
        for identifier, fields in self.changes[:MAX_CHANGES_LISTED]:
            if self.dry_run:
                change = _("would change: {identifier} ({fields})")
            else:
                change = _("changed: {identifier} ({fields})")
            lines.append(change.format(identifier=identifier, fields=", ".join(fields)))
        more = len(self.changes) - MAX_CHANGES_LISTED
        if more > 0:
            if self.dry_run:
                line = ngettext(
                    "would change: {n} more record", "would change: {n} more records", more
                )
            else:
                line = ngettext("changed: {n} more record", "changed: {n} more records", more)
            lines.append(line.format(n=more))
        if self.skipped:
            which = ", ".join(
                f"{name} ({n})" for name, n in sorted(self.skipped_other_country.items())
            )
            lines.append(
                ngettext(
                    "skipped {n} row of countries outside the forum: {countries}",
                    "skipped {n} rows of countries outside the forum: {countries}",
                    self.skipped,
                ).format(n=self.skipped, countries=which)
            )
        return lines

    def lines(self) -> list[str]:
        """The whole report for a person: the summary, every error, every warning, the notes."""
        lines = self.summary_lines() + self.error_lines() + self.warning_lines()
        lines += [_("note: {note}").format(note=note) for note in self.notes]
        if self.dry_run and self.ok:
            lines.append(_("dry run: nothing was written; the counts are what an import would do"))
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
