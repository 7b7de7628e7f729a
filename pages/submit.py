"""Submit and edit practices and challenges (/submit?kind=challenge&id=N); contributors only."""

import streamlit as st

from forumdash import auth
from forumdash import vocab as v
from forumdash.i18n import N_, _
from forumdash.ui import autosave, browse, contribute, frame, lang, navigation, session

engine = frame.page(N_("Submit"))
user = session.current_user()
st.title(_("Submit a practice or a challenge"))
if not auth.can_submit(user):
    st.info(
        _("Country focal points and organisers sign in to add and edit practices and challenges.")
    )
    st.page_link(
        navigation.page("pages/login.py"),
        label=_("Sign in"),
        icon=":material/login:",
        query_params=lang.params(),
    )
    st.stop()

# Drawn on every run, filled or not: a message appearing above the form would move it one place
# down, Streamlit would draw it anew, and the keyboard's focus would fall off the button pressed.
flash_place = st.container()
if flash := st.session_state.pop("submit.flash", None):
    flash_place.success(flash, icon=":material/check_circle:")
    st.toast(flash, icon=":material/check_circle:")  # seen wherever the form was scrolled to
kind = contribute.chosen_kind()
names = browse.facet_names(engine)
left, right = st.columns([2, 1], gap="large")
with left:
    unsaved = st.container()  # above the form, filled once the form has set the URL
    contribute.form(engine, user, names["countries"], names["themes"], kind)
with unsaved:
    owner = autosave.owner_of(user)
    autosave.unsaved_list(engine, owner, "pages/submit.py", describe=contribute.draft_form)
with right:
    st.page_link(
        navigation.page("pages/submit.py"),
        label=_("Start a new practice"),
        icon=":material/add:",
        query_params=lang.params({"kind": "practice"}),
    )
    st.page_link(
        navigation.page("pages/submit.py"),
        label=_("Start a new challenge"),
        icon=":material/flag:",
        query_params=lang.params({"kind": "challenge"}),
    )
    if kind == v.RecordType.practice:
        contribute.template_buttons(names["themes"])
    contribute.my_records(engine, user, kind)
