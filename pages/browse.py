"""Browse practices: facets with counts, full-text search, a shareable URL, exports."""

import streamlit as st

from forumdash import repository
from forumdash.db import read_session
from forumdash.ui import browse, frame, render

engine = frame.page("Browse practices")
names = browse.facet_names(engine)
view = browse.current_filters(list(names["countries"]), list(names["themes"]))

st.title("Browse practices")
browse.search_box(view)
for notice in view.notices:
    st.caption(":material/info: " + render.escape_markdown(notice))

with read_session(engine) as session:
    counts, total, rows = repository.browse(session=session, filters=view)
    bounds = repository.year_bounds(session=session)

browse.sidebar_filters(view, counts, names, bounds)
browse.result_controls(view, total)
if not rows:
    st.info("No published practice matches this view. Remove a filter or try other words.")
layout = st.segmented_control(
    "Show as",
    ["Cards", "Table"],
    default="Cards",
    key="browse.layout",
    label_visibility="collapsed",
)
if layout == "Table":
    browse.result_table(rows, names["themes"])
else:
    browse.result_cards(rows, names["themes"])
browse.pager(view, total)
with st.sidebar:
    st.divider()
    browse.export_buttons(engine, view, total)
