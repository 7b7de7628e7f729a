"""One practice: /practice?id=N."""

import streamlit as st

from forumdash import matchmaking, repository
from forumdash import vocab as v
from forumdash.db import read_session
from forumdash.ui import frame, render
from forumdash.ui import practice as show
from forumdash.ui.corrections import correction_form

engine = frame.page("Practice")
raw_id = st.query_params.get("id", "")

with read_session(engine) as session:
    found = None
    if raw_id.isdigit() and len(raw_id) < 10:
        found = repository.get_practice(session=session, practice_id=int(raw_id))
    if found is not None:
        theme_names = repository.theme_names(session=session)
        similar = repository.similar_practices(session=session, practice_id=found.id)
        origin = None
        if found.adapted_from_id:
            origin = repository.get_practice(session=session, practice_id=found.adapted_from_id)
        adaptations = repository.adaptations(session=session, practice_id=found.id)
        revisions = repository.public_history(
            repository.practice_history(session=session, practice_id=found.id)
        )
        corrected = repository.last_correction_date(
            session=session, record_type=v.RecordType.practice, record_id=found.id
        )
        users = repository.user_names(session=session)
        commitment = repository.get_commitment(session=session, identifier=found.commitment_ref)
        helped = matchmaking.challenges_helped(session=session, practice=found)

if found is None:
    st.title("Practice not found")
    st.warning(
        f"There is no published practice with the id “{render.escape_markdown(raw_id[:40])}”. "
        "It may have been removed or not yet published."
    )
    st.page_link("pages/browse.py", label="Browse all practices", icon=":material/search:")
    st.stop()

show.header(found, theme_names)
if corrected:
    st.caption(f":material/fact_check: Corrected on {corrected:%Y-%m-%d} after a reader's report.")
main, side = st.columns([2, 1], gap="large")
with main:
    show.body(found)
    show.assessment(found)
    st.subheader("Sources", anchor=False)
    render.sources(found.sources)
    correction_form(engine, v.RecordType.practice, found.id)
    show.history(revisions, users)
with side:
    show.facts(found)
    if commitment is not None:
        show.commitment(commitment)
    if origin is not None:
        show.related("Adapted from", [origin.summary_row()], theme_names)
    if adaptations:
        show.related("Adapted by others", adaptations, theme_names)
    show.related("More like this, from other countries", similar, theme_names)
    show.challenges_helped(helped)
