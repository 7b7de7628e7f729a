"""Who is signed in: plain values in the browser session, kept across reloads by a cookie that
holds a random token (forumdash.auth keeps only its hash, for SESSION_HOURS)."""

import streamlit as st
from sqlalchemy.engine import Engine

from forumdash import auth
from forumdash.auth import SessionUser
from forumdash.db import read_session, write_session

KEY = "auth.user"
TOKEN = "auth.token"
PENDING_COOKIE = "auth.cookie"
COOKIE = "forumdash_session"


def current_user() -> SessionUser | None:
    user = st.session_state.get(KEY)
    return user if isinstance(user, SessionUser) else None


def sign_in(engine: Engine, user: SessionUser) -> None:
    """Remember the user in this session and, through a cookie, across reloads."""
    with write_session(engine) as session:
        token = auth.start_login_session(session=session, user_id=user.id)
    st.session_state[KEY] = user
    st.session_state[TOKEN] = token
    st.session_state[PENDING_COOKIE] = token


def sign_out(engine: Engine) -> None:
    """Forget the user here and invalidate the token, so the cookie signs no one in again."""
    with write_session(engine) as session:
        auth.end_login_session(session=session, token=st.session_state.get(TOKEN))
    st.session_state.pop(KEY, None)
    st.session_state.pop(TOKEN, None)
    st.session_state[PENDING_COOKIE] = ""


def restore(engine: Engine) -> None:
    """At the start of a run: a new browser session picks up a valid token from its cookie."""
    if current_user() is not None or PENDING_COOKIE in st.session_state:
        return
    token = st.context.cookies.get(COOKIE)
    if not auth.is_token(token):
        return
    with read_session(engine) as session:
        user = auth.resume_login_session(session=session, token=token)
    if user is not None:
        st.session_state[KEY] = user
        st.session_state[TOKEN] = token


def write_cookie() -> None:
    """Set or clear the cookie in the browser after a sign-in or sign-out.

    Streamlit cannot set cookies, so a few lines of script do; the only value they carry is our
    own token, checked against a strict pattern first (no user text ever reaches this script).
    """
    if PENDING_COOKIE not in st.session_state:
        return
    token = st.session_state.pop(PENDING_COOKIE)
    if token and not auth.is_token(token):
        return
    age = auth.SESSION_HOURS * 3600 if token else 0
    st.html(
        "<script>document.cookie = '"
        f"{COOKIE}={token}; Path=/; Max-Age={age}; SameSite=Strict'"
        " + (location.protocol === 'https:' ? '; Secure' : '');</script>",
        unsafe_allow_javascript=True,
        width=1,
    )
