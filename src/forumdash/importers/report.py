"""What an import did, or would do: counts, skipped rows, and every bad row with its reason."""

from dataclasses import dataclass, field
from typing import Any

MAX_CHANGES_LISTED = 20


@dataclass
class ImportReport:
    """The outcome of one import; nothing was written unless `ok` and not `dry_run`."""

    kind: str  # "practices" or "ogp"
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Rows of countries outside the forum, by the name the file gives them.
    skipped_other_country: dict[str, int] = field(default_factory=dict)
    # (row number as a spreadsheet shows it, reason); for JSON, the record's number.
    errors: list[tuple[int, str]] = field(default_factory=list)
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

    def add_error(self, row: int, reason: str) -> None:
        self.errors.append((row, reason))

    def sorted_errors(self) -> list[tuple[int, str]]:
        return sorted(self.errors, key=lambda error: error[0])

    def lines(self) -> list[str]:
        """The report for a person: a summary, then one line per bad row."""
        if not self.ok:
            rows = len({row for row, _ in self.errors})
            noun = self.row_label if rows == 1 else f"{self.row_label}s"
            lines = [f"{self.kind}: {rows} invalid {noun}; nothing was written"]
            lines += [f"{self.row_label} {row}: {reason}" for row, reason in self.sorted_errors()]
            return lines
        lines = [
            f"{self.kind}: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged"
        ]
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
        lines += [f"note: {note}" for note in self.notes]
        if self.dry_run:
            lines.append("dry run: nothing was written; the counts are what an import would do")
        return lines

    def as_dict(self) -> dict[str, Any]:
        """The report as plain JSON values."""
        return {
            "kind": self.kind,
            "ok": self.ok,
            "dry_run": self.dry_run,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped_other_country": {
                "count": self.skipped,
                "countries": dict(sorted(self.skipped_other_country.items())),
            },
            "errors": [{"row": row, "reason": reason} for row, reason in self.sorted_errors()],
            "changes": [{"identifier": i, "fields": fields} for i, fields in self.changes],
            "notes": list(self.notes),
        }
