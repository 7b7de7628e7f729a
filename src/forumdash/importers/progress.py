"""How far an import has gone, for a progress bar: the file read (bytes), rows checked, rows
written. Importers call a ProgressCallback now and then; nothing here knows who listens."""

from collections.abc import Callable
from dataclasses import dataclass

from babel import numbers as babel_numbers

from forumdash import i18n
from forumdash.i18n import N_, _, ngettext

STAGES = {
    "reading": N_("Reading the file"),
    "checking": N_("Checking rows"),
    "writing": N_("Writing"),
}


@dataclass(frozen=True)
class Progress:
    """One report: the stage, how much of it is done out of how much (0: not known), and the
    rows read so far."""

    stage: str  # reading (done/total in bytes), checking or writing (in rows)
    done: int
    total: int
    rows: int

    @property
    def fraction(self) -> float | None:
        """0.0 to 1.0, or None when the total is not known."""
        return min(self.done / self.total, 1.0) if self.total > 0 else None

    def describe(self) -> str:
        """A line for a person, e.g. 'Reading the file: 2,400 rows (35% of 27.1 MB)'."""
        what = _(STAGES[self.stage]) if self.stage in STAGES else self.stage
        cldr = i18n.current().cldr
        if self.stage == "reading":
            rows = i18n.format_number(self.rows)
            if self.fraction is None:
                return ngettext("{stage}: {n} row", "{stage}: {n} rows", self.rows).format(
                    stage=what, n=rows
                )
            return ngettext(
                "{stage}: {n} row ({percent} of {megabytes} MB)",
                "{stage}: {n} rows ({percent} of {megabytes} MB)",
                self.rows,
            ).format(
                stage=what,
                n=rows,
                percent=babel_numbers.format_percent(self.fraction, locale=cldr),
                megabytes=babel_numbers.format_decimal(
                    self.total / 1024 / 1024, format="#,##0.0", locale=cldr
                ),
            )
        done = i18n.format_number(self.done)
        if self.total > 0:
            return ngettext(
                "{stage}: {done} of {n} row", "{stage}: {done} of {n} rows", self.total
            ).format(stage=what, done=done, n=i18n.format_number(self.total))
        return ngettext("{stage}: {n} row", "{stage}: {n} rows", self.done).format(
            stage=what, n=done
        )


ProgressCallback = Callable[[Progress], None]


class ProgressReporter:
    """Calls a ProgressCallback for one stage, at most once per percent (or per 1,000 rows when
    the total is not known), and always at the end; does nothing without a callback."""

    def __init__(self, callback: ProgressCallback | None, stage: str, total: int) -> None:
        self.callback = callback
        self.stage = stage
        self.total = total
        self._last: tuple[int, int] | None = None

    def update(self, done: int, rows: int) -> None:
        """Say that `done` of the stage's total is done, with `rows` rows read."""
        if self.callback is None:
            return
        step = (done * 100 // self.total) if self.total > 0 else rows // 1000
        if self._last is not None and step == self._last[0]:
            return
        self._last = (step, rows)
        self.callback(Progress(self.stage, done, self.total, rows))

    def finish(self, rows: int) -> None:
        """Say that the stage is complete."""
        if self.callback is not None:
            done = self.total if self.total > 0 else rows
            self.callback(Progress(self.stage, done, self.total, rows))
