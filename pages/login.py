"""Sign in: /login."""

import streamlit as st

from forumdash import auth
from forumdash.i18n import N_, _
from forumdash.ui import frame, navigation, participant, render, session

engine = frame.page(N_("Sign in"), layout="centered")
st.title(_("Sign in"))
st.caption(_("For country focal points and organisers. Browsing needs no account."))

user = session.current_user()
if user is not None:
    st.success(_("You are signed in as {user}.").format(user=render.escape_markdown(user.label)))
    st.stop()

with st.form("login.form"):
    email = st.text_input(_("Email"), key="login.email", autocomplete="username")
    password = st.text_input(
        _("Password"), type="password", key="login.password", autocomplete="current-password"
    )
    submitted = st.form_submit_button(_("Sign in"), type="primary")

if submitted:
    try:
        user = auth.sign_in(
            engine,
            email=email,
            password=password,
            address=participant.address(),
            device=participant.known_device(),  # a sign-in sets no device cookie of its own
        )
    except auth.AuthError as exc:
        st.error(str(exc), icon=":material/error:")
    else:
        session.sign_in(engine, user)
        st.switch_page(
            navigation.page("pages/review.py" if auth.can_review(user) else "pages/submit.py")
        )
