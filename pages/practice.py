"""One practice: /practice?id=N."""

import streamlit as st

from forumdash import i18n, matchmaking, repository, urlparams
from forumdash import vocab as v
from forumdash.db import read_session
from forumdash.i18n import N_, _
from forumdash.ui import frame, lang, learn, participant, render, translated
from forumdash.ui import practice as show
from forumdash.ui.corrections import correction_form

engine = frame.page(N_("Practice"))
raw_id = st.query_params.get("id", "")

with read_session(engine) as session:
    found = None
    # ASCII digits only: "²" is a digit to str.isdigit() and a traceback to int().
    if (practice_id := urlparams.whole_number(raw_id, 1, 999_999_999)) is not None:
        found = repository.get_practice(session=session, practice_id=practice_id)
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
    st.title(_("Practice not found"))
    st.warning(
        _(
            "There is no published practice with the id “{id}”. "
            "It may have been removed or not yet published."
        ).format(id=render.escape_markdown(raw_id[:40]))
    )
    st.page_link("pages/browse.py", label=_("Browse all practices"), icon=":material/search:")
    st.stop()

# Written back, so that the address bar says what is shown (a link to this same page hands the
# script its parameters without putting them there), `original=1` included.
# `event` too: a display's QR code names its event, kept with what the participant sends.
lang.set_url(translated.url_params({"id": str(found.id)} | participant.url_event()))
shown = translated.shown(found)
show.header(found, theme_names, shown, lambda: learn.section(engine, found))
if corrected:
    st.caption(
        ":material/fact_check: "
        + _("Corrected on {date} after a reader's report.").format(date=i18n.format_day(corrected))
    )
main, side = st.columns([2, 1], gap="large")
with main:
    show.body(shown)
    show.assessment(found, shown)
    st.subheader(_("Sources"), anchor=False)
    render.sources(found.sources)
    correction_form(engine, v.RecordType.practice, found.id)
    show.history(revisions, users)
with side:
    show.facts(found)
    if commitment is not None:
        show.commitment(commitment)
    if origin is not None:
        show.related(_("Adapted from"), [origin.summary_row()], theme_names)
    if adaptations:
        show.related(_("Adapted by others"), adaptations, theme_names)
    show.related(_("More like this, from other countries"), similar, theme_names)
    show.challenges_helped(helped)
