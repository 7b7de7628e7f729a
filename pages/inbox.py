"""Inbox: /inbox, /inbox?open=N (open a notice), /inbox?unsubscribe=TOKEN (no sign-in)."""

import streamlit as st

from forumdash.i18n import N_, _
from forumdash.ui import frame, inbox, session

engine = frame.page(N_("Inbox"), layout="centered")
user = session.current_user()
st.title(_("Inbox"))
if inbox.unsubscribe_link(engine):
    st.stop()
if user is None:
    inbox.sign_in_first()
    st.stop()
inbox.open_requested(engine, user)
inbox.show(engine, user)
