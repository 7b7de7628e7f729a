"""One practice: /practice?id=N."""

import streamlit as st

from forumdash import i18n, urlparams
from forumdash import vocab as v
from forumdash.db import read_session
from forumdash.i18n import N_, _
from forumdash.ui import frame, lang, learn, navigation, participant, render, translated
from forumdash.ui import practice as show
from forumdash.ui.corrections import correction_form

engine = frame.page(N_("Practice"))
raw_id = st.query_params.get("id", "")

with read_session(engine) as session:
    loaded = None
    # ASCII digits only: "²" is a digit to str.isdigit() and a traceback to int().
    if (practice_id := urlparams.whole_number(raw_id, 1, 999_999_999)) is not None:
        loaded = show.view(session, practice_id)  # shared per records version and language

if loaded is None:
    st.title(_("Practice not found"))
    st.warning(
        _(
            "There is no published practice with the id “{id}”. "
            "It may have been removed or not yet published."
        ).format(id=render.escape_markdown(raw_id[:40]))
    )
    st.page_link(
        navigation.page("pages/browse.py"),
        label=_("Browse all practices"),
        icon=":material/search:",
    )
    st.stop()

found, theme_names = loaded.practice, loaded.theme_names
# Written back, so that the address bar says what is shown (a link to this same page hands the
# script its parameters without putting them there), `original=1` included.
# `event` too: a display's QR code names its event, kept with what the participant sends.
lang.set_url(translated.url_params({"id": str(found.id)} | participant.url_event()))
shown = translated.shown(found)
show.header(found, theme_names, shown, lambda: learn.section(engine, found))
if loaded.corrected:
    st.caption(
        ":material/fact_check: "
        + _("Corrected on {date} after a reader's report.").format(
            date=i18n.format_day(loaded.corrected)
        )
    )
main, side = st.columns([2, 1], gap="large")
with main:
    show.body(shown)
    show.assessment(found, shown)
    st.subheader(_("Sources"), anchor=False)
    render.sources(found.sources)
    correction_form(engine, v.RecordType.practice, found.id)
    show.history(loaded.revisions, loaded.users)
with side:
    show.facts(found)
    if loaded.commitment is not None:
        show.commitment(loaded.commitment)
    if loaded.origin is not None:
        show.related(_("Adapted from"), [loaded.origin.summary_row()], theme_names)
    if loaded.adaptations:
        show.related(_("Adapted by others"), loaded.adaptations, theme_names)
    show.related(_("More like this, from other countries"), loaded.similar, theme_names)
    show.challenges_helped(loaded.helped)
