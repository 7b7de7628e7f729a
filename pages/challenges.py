"""Challenges and the practices that could help: /challenges, /challenges?id=N."""

import streamlit as st

from forumdash import auth, i18n, matchmaking, urlparams
from forumdash import vocab as v
from forumdash.db import read_session
from forumdash.i18n import N_, _
from forumdash.ui import challenges as show
from forumdash.ui import frame, lang, navigation, render, session, translated
from forumdash.ui import practice as practice_parts
from forumdash.ui.corrections import correction_form

engine = frame.page(N_("Challenges"))
user = session.current_user()
raw_id = st.query_params.get("id", "")

if raw_id:
    loaded = None
    # ASCII digits only: "²" is a digit to str.isdigit() and a traceback to int().
    if (challenge_id := urlparams.whole_number(raw_id, 1, 999_999_999)) is not None:
        loaded = show.load_challenge(engine, challenge_id)
    if loaded is None:
        st.title(_("Challenge not found"))
        st.warning(
            _("There is no published challenge with the id “{id}”.").format(
                id=render.escape_markdown(raw_id[:40])
            )
        )
        st.page_link(
            navigation.page("pages/challenges.py"),
            label=_("All challenges"),
            icon=":material/flag:",
        )
        st.stop()
    challenge = loaded["challenge"]
    # Written back, so the address bar shows it (a link to this same page does not) and the
    # page can be shared and reloaded.
    lang.set_url(translated.url_params({"id": str(challenge.id)}))
    show.flash()
    st.page_link(
        navigation.page("pages/challenges.py"),
        label=_("All challenges"),
        icon=":material/arrow_back:",
    )
    show.header(challenge, loaded["theme_names"])
    if loaded["corrected"]:
        st.caption(
            ":material/fact_check: "
            + _("Corrected on {date} after a reader's report.").format(
                date=i18n.format_day(loaded["corrected"])
            )
        )
    if auth.can_edit(user, challenge.country_code):
        st.page_link(
            navigation.page("pages/submit.py"),
            label=_("Edit this challenge"),
            icon=":material/edit:",
            query_params=lang.params({"kind": "challenge", "id": str(challenge.id)}),
        )
    show.matches(engine, user, challenge, loaded["matches"])
    st.subheader(_("Sources"), anchor=False)
    render.sources(challenge.sources)
    correction_form(engine, v.RecordType.challenge, challenge.id)
    practice_parts.history(loaded["revisions"], loaded["users"])
    st.stop()

st.title(_("Challenges looking for help"))
st.caption(
    _(
        "What blocks open-government reforms in the region, as countries reported it, and the "
        "practices from other countries that could help. Open one to see its matches and why."
    )
)
with read_session(engine) as db:
    options = show.filter_options(db)
    themes = options["theme"]
    chosen, dropped = show.read_filters(options)
    show.search_box(chosen)
    counts, found = show.challenge_list(db, chosen)
    show.sidebar_filters(options, chosen, counts, dropped)
    summary = matchmaking.suggestion_summary(session=db, challenges=found)

show.count_heading(len(found))
if not found:
    st.info(_("No published challenge matches these filters. Remove a filter or try other words."))
for item in found:
    show.challenge_card(item, themes, summary.get(item.id))
