"""Who is signed in: plain values in the browser session, kept across reloads by a cookie that
holds a random token (forumdash.auth keeps only its hash, for SESSION_HOURS).

Every run checks the session against the database (auth.resume_login_session: one indexed
query), so that signing out in another tab, "Sign out everywhere", a deactivated account or a
changed role takes effect at this tab's next action. Callbacks that act for the signed-in person
run before that check: they go through `acting`, which checks first.
"""

from collections.abc import Callable
from typing import ParamSpec

import streamlit as st
from sqlalchemy.engine import Engine

from forumdash import auth
from forumdash.auth import SessionUser
from forumdash.db import read_session, write_session
from forumdash.i18n import N_, _
from forumdash.ui import outage

P = ParamSpec("P")

KEY = "auth.user"
TOKEN = "auth.token"
PENDING_COOKIE = "auth.cookie"
NOTICE = "auth.notice"  # why this session was signed out or changed, shown once
DEAD_COOKIE = "auth.dead_cookie"  # a cookie's token found invalid: not looked up again
COOKIE = "forumdash_session"

SIGNED_OUT = N_("You were signed out. Sign in again to go on.")
ROLE_CHANGED = N_("Your account was changed: the menu now shows what you may do.")


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
    st.session_state.pop(NOTICE, None)


def _forget() -> None:
    token = st.session_state.pop(TOKEN, None)
    st.session_state.pop(KEY, None)
    st.session_state[PENDING_COOKIE] = ""
    if auth.is_token(token):
        st.session_state[DEAD_COOKIE] = token


def sign_out(engine: Engine) -> None:
    """Forget the user here and delete the token, so that no tab holding it stays signed in."""
    with write_session(engine) as session:
        auth.end_login_session(session=session, token=st.session_state.get(TOKEN))
    _forget()


def sign_out_everywhere(engine: Engine) -> None:
    """End every session of the signed-in account: other browsers and tabs at their next action."""
    user = current_user()
    if user is not None:
        with write_session(engine) as session:
            auth.end_all_login_sessions(session=session, user_id=user.id)
    _forget()


def restore(engine: Engine) -> None:
    """At the start of every run: check the signed-in session against the database (signed out,
    or its role and country brought up to date), or pick up a valid token from the cookie in a
    new browser session. One query either way."""
    token = st.session_state.get(TOKEN)
    user = current_user()
    if user is not None or auth.is_token(token):
        _recheck(engine, user, token)
        return
    if PENDING_COOKIE in st.session_state:
        return  # signed out in this session: the cookie is being cleared, not read
    cookie = st.context.cookies.get(COOKIE)
    # The browser's cookies are those it sent when this session connected: a token found
    # invalid (signed out, expired) stays so, and costs no query at every later run.
    if not auth.is_token(cookie) or cookie == st.session_state.get(DEAD_COOKIE):
        return
    with read_session(engine) as session:
        found = auth.resume_login_session(session=session, token=cookie)
    if found is None:
        st.session_state[DEAD_COOKIE] = cookie
    else:
        st.session_state[KEY] = found
        st.session_state[TOKEN] = cookie


def _recheck(engine: Engine, user: SessionUser | None, token: object) -> None:
    with read_session(engine) as session:
        found = auth.resume_login_session(
            session=session, token=token if isinstance(token, str) else None
        )
    if found is None:
        _forget()
        st.session_state[NOTICE] = SIGNED_OUT
    elif found != user:
        st.session_state[KEY] = found
        if user is not None and (found.role, found.country_code) != (user.role, user.country_code):
            st.session_state[NOTICE] = ROLE_CHANGED


def still_signed_in(engine: Engine) -> bool:
    """Check now (as a run does) that the session is valid and unchanged: False when it was
    signed out or its role or country changed, with the notice the next run shows."""
    before = current_user()
    if before is None:
        return False
    restore(engine)
    return current_user() == before


def acting(engine: Engine, callback: Callable[P, None]) -> Callable[P, None]:
    """A widget callback that acts for the signed-in person: it runs only if their session is
    still valid and unchanged (a callback runs before the run's own check). A database out of
    reach in the check or the callback shows the outage message (outage.guarded)."""

    def checked(*args: P.args, **kwargs: P.kwargs) -> None:
        if still_signed_in(engine):
            callback(*args, **kwargs)

    return outage.guarded(checked)


def notice() -> None:
    """Say once why the session was signed out or changed (on top of the page, and as a toast)."""
    message = st.session_state.pop(NOTICE, None)
    if message in (SIGNED_OUT, ROLE_CHANGED):
        st.warning(
            _(message), icon=":material/logout:" if message == SIGNED_OUT else ":material/badge:"
        )


def write_cookie() -> None:
    """Set or clear the cookie in the browser after a sign-in or sign-out.

    Streamlit cannot set cookies from the server in a run, so a few lines of script do (hence not
    HttpOnly: the README's security section says what guards the token instead); the only value
    they carry is our own token, checked against a strict pattern first (no user text ever
    reaches this script).
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
