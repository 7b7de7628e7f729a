"""Violations axe-core finds that come from Streamlit itself and cannot be fixed from the app.

tests/e2e/test_accessibility.py fails on every serious or critical violation except those an
entry here matches (the same rule, on an element inside `selector`). An entry says which upstream
Streamlit issue it waits for and why the app cannot fix it; anything the app can fix (its
theme, its own CSS, the arguments it passes Streamlit) is fixed instead of listed. When an
upstream fix arrives with a Streamlit upgrade, its entry goes: the test then checks it too.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class KnownViolation:
    """One violation left to Streamlit: the axe rule, where, the upstream issue, why."""

    rule: str  # axe-core's rule id, e.g. "color-contrast"
    selector: str  # CSS: the element axe names is this one or inside it
    upstream: str  # the Streamlit issue on GitHub
    why: str  # why the app cannot fix it


# Empty since the app's fixes (issue 15): axe finds nothing of impact serious or critical on any
# page at 1400x900 or 390x844, in English or Serbian.
KNOWN: tuple[KnownViolation, ...] = ()
