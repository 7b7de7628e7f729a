"""Public pages that read on a phone (issue 13): a labelled Filters button where the sidebar is
folded away, and views drawn twice, one for wide and one for narrow space, of which the frame's
style (frame.STYLE) shows the one that fits.

Streamlit does not tell the server how wide the visitor's screen is, so nothing here decides by
width in Python: the browser does, with CSS media and container queries on the classes that the
keys below give (a container keyed "a.b" gets the class "st-key-a-b")."""

from collections.abc import Callable

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from forumdash.i18n import _

# Key endings the frame's CSS looks for (see frame.STYLE).
FILTERS_BUTTON = "phone-filters"
WIDE_VIEW = "wide-view"
NARROW_VIEW = "narrow-view"
ADAPTIVE_VIEW = "adaptive-view"
# Below this width the sidebar starts folded away (Streamlit's "md" breakpoint): the Filters
# button shows at this width and under.
SIDEBAR_FOLDS_AT = 768
# A view narrower than this gets its narrow form: the overview's heatmap names ten countries
# side by side, and the country timeline puts 860 px of labels and years in one row.
NARROW_BELOW = 860


def filters_panel(page_key: str, chosen: int) -> DeltaGenerator:
    """Where a page's filters go, to be called where the results start: a "Filters" button
    there (shown only on narrow screens, where the sidebar is folded away behind a bare icon)
    opens a panel with them; while that panel is closed they are in the sidebar. Drawn in one
    place at a time, the filters keep their keys, so the URL stays their only state."""
    label = _("Filters ({n})").format(n=chosen) if chosen else _("Filters")
    panel = st.popover(
        label,
        icon=":material/filter_list:",
        key=f"{page_key}{FILTERS_BUTTON}",
        on_change="rerun",  # its .open says where this run draws the filters
        width="stretch",
    )
    if panel.open:
        return panel
    return st.sidebar


def clear_filters_button(shown: bool, key: str, on_click: Callable[[], None]) -> None:
    """The "Clear all filters" button, above the filters while any is chosen. Its place is kept
    while it is not shown (an empty container): otherwise choosing the first filter would move
    every filter below it one place down, Streamlit would draw them anew, and the keyboard's
    focus would fall off the option just chosen (issue 15)."""
    slot = st.container()
    if shown:
        slot.button(_("Clear all filters"), key=key, on_click=on_click, icon=":material/close:")


def in_sidebar(place: DeltaGenerator) -> bool:
    """Whether the filters are drawn in the sidebar (which has a heading for them)."""
    return place is st.sidebar


def wide_and_narrow(key: str) -> tuple[DeltaGenerator, DeltaGenerator]:
    """Two containers for the same content, wide and narrow; the browser shows the one that fits
    the width the page gives them (a container query on their common parent)."""
    with st.container(key=f"{key}.{ADAPTIVE_VIEW}"):
        wide = st.container(key=f"{key}.{WIDE_VIEW}")
        narrow = st.container(key=f"{key}.{NARROW_VIEW}")
    return wide, narrow
