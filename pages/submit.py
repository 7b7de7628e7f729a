"""Submit and edit practices: /submit (new) and /submit?id=N (edit). Focal points and organisers."""

import streamlit as st

from forumdash import auth
from forumdash.ui import browse, contribute, frame, session

engine = frame.page("Submit a practice")
user = session.current_user()
st.title("Submit a practice")
if not auth.can_submit(user):
    st.info("Country focal points and organisers sign in to add and edit practices.")
    st.page_link("pages/login.py", label="Sign in", icon=":material/login:")
    st.stop()

if flash := st.session_state.pop("submit.flash", None):
    st.success(flash, icon=":material/check_circle:")
names = browse.facet_names(engine)
left, right = st.columns([2, 1], gap="large")
with right:
    st.page_link("pages/submit.py", label="Start a new practice", icon=":material/add:")
    contribute.template_buttons(names["themes"])
    contribute.my_practices(engine, user)
with left:
    contribute.form(engine, user, names["countries"], names["themes"])
