"""A participant without an account, as the browser shows them: a device id kept in a cookie,
the connection's address, the event whose display they came from, and the honeypot that the
participants' forms share. What is done with them is forumdash.limits' and participation's."""

import contextlib
from typing import Any

import streamlit as st

from forumdash import limits, participation
from forumdash.i18n import _
from forumdash.settings import get_settings

DEVICE_KEY = "participant.device"
_PENDING = "participant.cookie"  # a device id the browser's cookie does not hold yet
EVENT_KEY = "participant.event"
EVENT_PARAM = "event"
HONEYPOT = "website"  # the last part of a honeypot's widget key


def _safe(read: Any) -> Any:
    # st.context has no browser behind it in some runs (AppTest): nothing known.
    with contextlib.suppress(Exception):
        return read()
    return None


def known_device() -> str:
    """This browser's device id if it has one (its cookie, or made earlier in this session);
    "" for a reader who never acted: reading the forum sets no cookie."""
    kept = limits.valid_device_id(st.session_state.get(DEVICE_KEY))
    if kept:
        return kept
    cookie = limits.valid_device_id(_safe(lambda: st.context.cookies.get(limits.DEVICE_COOKIE)))
    if cookie:
        st.session_state[DEVICE_KEY] = cookie
        return cookie
    return ""


def device() -> str:
    """This browser's device id, made now (and written to its cookie by write_cookie) when it
    has none: called when the participant acts."""
    found = known_device()
    if found:
        return found
    made = limits.new_device_id()
    st.session_state[DEVICE_KEY] = made
    st.session_state[_PENDING] = made
    return made


def write_cookie() -> None:
    """Keep a new device id in the browser for a year (after the run that made it: a rerun
    would drop a script written before it). Only an id of DEVICE_ID_CHARS reaches the script."""
    made = limits.valid_device_id(st.session_state.pop(_PENDING, None))
    if not made:
        return
    # At the end of the menu, not in the page's body: an element that appears in the body
    # shifts what follows it, and Streamlit draws a shifted expander anew, closed (the
    # correction form's thanks vanished into its closed expander).
    st.sidebar.html(
        "<script>document.cookie = '"
        f"{limits.DEVICE_COOKIE}={made}; Path=/; Max-Age=31536000; SameSite=Lax'"
        " + (location.protocol === 'https:' ? '; Secure' : '');</script>",
        unsafe_allow_javascript=True,
        width=1,
    )


def address() -> str:
    """The client's address, X-Forwarded-For believed only behind trusted proxies (settings)."""
    peer = _safe(lambda: st.context.ip_address)
    forwarded = _safe(lambda: st.context.headers.get("X-Forwarded-For"))
    return limits.client_address(
        peer if isinstance(peer, str) else None,
        forwarded if isinstance(forwarded, str) else None,
        get_settings().trusted_proxies,
    )


def event() -> str:
    """The event a display's QR code named (`?event=`), kept for this session's sends."""
    raw = st.query_params.get(EVENT_PARAM)
    if raw:
        st.session_state[EVENT_KEY] = participation.clean_event(raw)
    kept = st.session_state.get(EVENT_KEY)
    return kept if isinstance(kept, str) else ""


def url_event() -> dict[str, str]:
    """The `event` parameter to keep in a page's URL, when it came with one."""
    raw = st.query_params.get(EVENT_PARAM)
    return {EVENT_PARAM: participation.clean_event(raw)} if raw else {}


def honeypot(key: str) -> None:
    """A text box people never see or reach, labelled for anyone who does to leave it empty;
    bots that fill every field fill it. `key` ends with HONEYPOT."""
    st.text_input(_("Leave this empty"), key=key, autocomplete="off")
    css_class = "st-key-" + key.replace(".", "-")
    # Fixed text built from our own widget key (letters, digits, dots): no user text. display:none
    # takes it out of sight, of the tab order and of the accessibility tree; no script needed
    # (pages carry no script of ours in their body: the hostile-text tests count them).
    st.html(
        f"<style data-honeypot='{css_class}'>.{css_class} {{display: none !important;}}"
        # The element holding this style takes no gap in the form either.
        f"[data-testid='stElementContainer']:has(style[data-honeypot='{css_class}'])"
        " {display: none;}</style>",
        width=1,
    )


def trap(key: str) -> str:
    """What a bot typed into the honeypot `key` ("" from a person)."""
    value = st.session_state.get(key)
    return value if isinstance(value, str) else ""
