"""A progress bar for long work in the domain (an import of a big file), moved by the
ProgressCallback the importers call: the organiser sees what is happening and how far it is."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import streamlit as st

from forumdash.i18n import _

if TYPE_CHECKING:  # the importers are loaded only when an import runs (see ui/review.py)
    from forumdash.importers.progress import Progress, ProgressCallback

# Where each stage of an import sits on the one bar (reading the file, checking its rows,
# writing them in one transaction): roughly the share of time each took in bench/import_bench.py
# (7,563 practices, 31 MB: reading 0.7 s, checking 3.9 s, writing 123 s).
STAGE_SPANS = {"reading": (0.0, 0.05), "checking": (0.05, 0.1), "writing": (0.1, 1.0)}


@contextmanager
def progress_bar(what: str) -> Iterator["ProgressCallback"]:
    """A bar shown while the block runs ("`what`: Reading the file: 2,400 rows (35% of 27.1 MB)")
    and the callback that moves it; the bar is removed when the block ends."""
    bar = st.progress(0.0, text=_("{what}: starting…").format(what=what))
    shown = [0.0]

    def update(progress: "Progress") -> None:
        start, end = STAGE_SPANS.get(progress.stage, (shown[0], shown[0]))
        if progress.fraction is not None:
            shown[0] = max(shown[0], start + (end - start) * progress.fraction)
        bar.progress(
            shown[0], text=_("{what}: {progress}").format(what=what, progress=progress.describe())
        )

    try:
        yield update
    finally:
        bar.empty()
