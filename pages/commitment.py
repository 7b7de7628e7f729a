"""One OGP commitment: /commitment?id=AL0002."""

import streamlit as st

from forumdash.i18n import N_
from forumdash.ui import commitments, frame

engine = frame.page(N_("OGP commitment"))
raw_id = st.query_params.get("id", "")
view = commitments.load_commitment(engine, raw_id)

if view is None:
    commitments.not_found(raw_id)
    st.stop()

commitments.header(view)
main, side = st.columns([2, 1], gap="large")
with main:
    commitments.full_text(view.commitment)
    commitments.ratings(view.commitment)
    commitments.other_as_written(view.commitment)
    commitments.linked_practices(view)
with side:
    commitments.details(view)
