"""How far an import has gone, for a progress bar: the file read (bytes), rows checked, rows
written. Importers call a ProgressCallback now and then; nothing here knows who listens."""

from collections.abc import Callable
from dataclasses import dataclass

STAGES = {"reading": "Reading the file", "checking": "Checking rows", "writing": "Writing"}


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
        what = STAGES.get(self.stage, self.stage)
        if self.stage == "reading":
            size = f" of {self.total / 1024 / 1024:.1f} MB" if self.total > 0 else ""
            share = f" ({self.fraction:.0%}{size})" if self.fraction is not None else ""
            return f"{what}: {self.rows:,} rows{share}"
        of = f" of {self.total:,}" if self.total > 0 else ""
        return f"{what}: {self.done:,}{of} rows"


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
