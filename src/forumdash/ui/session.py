"""Who is signed in, kept in the browser session (plain values, never a database object)."""

import streamlit as st

from forumdash.auth import SessionUser

KEY = "auth.user"


def current_user() -> SessionUser | None:
    user = st.session_state.get(KEY)
    return user if isinstance(user, SessionUser) else None


def sign_in(user: SessionUser) -> None:
    st.session_state[KEY] = user


def sign_out() -> None:
    st.session_state.pop(KEY, None)
