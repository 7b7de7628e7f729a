"""OGP commitments: facets with counts, search, a shareable URL, exports."""

import streamlit as st

from forumdash import commitment_filters
from forumdash.i18n import N_, _
from forumdash.ui import commitments, frame, render

engine = frame.page(N_("OGP commitments"))
data = commitments.load_list(engine)
view = commitments.current_filters(data)

st.title(_("OGP commitments"))
st.caption(
    _(
        "The action-plan commitments of the forum's countries and the ratings of OGP's "
        "Independent Reporting Mechanism (IRM), as imported from OGP's export."
    )
)
if not data.commitments:
    st.info(_(commitments.IMPORT_HELP), icon=":material/upload_file:")
    st.stop()

commitments.search_box(view)
for notice in view.notices:
    st.caption(":material/info: " + render.escape_markdown(notice))

page = commitment_filters.browse(data.commitments, view, list(data.country_names))
commitments.sidebar_filters(view, page, data)
commitments.result_controls(view, page.total)
if not page.rows:
    st.info(_("No commitment matches this view. Remove a filter or try other words."))
commitments.result_cards(page.rows, data.country_names)
commitments.pager(view, page.total)
with st.sidebar:
    st.divider()
    commitments.export_buttons(data, view, page.total)
