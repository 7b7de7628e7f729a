"""Browse practices: facets with counts, full-text search, a shareable URL, exports."""

import streamlit as st

from forumdash import repository
from forumdash.db import read_session
from forumdash.i18n import N_, _
from forumdash.ui import browse, frame, render

engine = frame.page(N_("Browse practices"))
with read_session(engine) as session:  # one read of the data version for all of it
    names = browse.names_of(session)
    view = browse.current_filters(list(names["countries"]), list(names["themes"]))
    found = repository.shared_browse_view(session=session, filters=view)
    bounds = repository.year_bounds(session=session)
counts, total, rows = found.counts, found.total, found.rows

st.title(_("Browse practices"))
browse.search_box(view)
for notice in view.notices:
    st.caption(":material/info: " + render.escape_markdown(notice))

browse.sidebar_filters(view, counts, names, bounds)
browse.result_controls(view, total)
browse.words_not_found(found.not_found)
if not rows and not found.also:
    st.info(_("No published practice matches this view. Remove a filter or try other words."))
LAYOUTS = {"Cards": N_("Cards"), "Table": N_("Table")}
layout = st.segmented_control(
    _("Show as"),
    list(LAYOUTS),
    format_func=lambda name: _(LAYOUTS[name]),
    default="Cards",
    key="browse.layout",
    label_visibility="collapsed",
)
if layout == "Table":
    browse.result_table(rows, names["themes"])
else:
    browse.result_cards(rows, names["themes"])
browse.pager(view, total)
browse.also_matching(found.also, names["themes"])
with st.sidebar:
    st.divider()
    browse.export_buttons(engine, view, total)
