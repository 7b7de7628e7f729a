"""The visitor's language in Streamlit: chosen from `?lang=`, this session, a cookie or the
browser, shown in the menu, kept in the URL and every link the app makes.

Order of choice on each run: a valid `?lang=` in the URL (a shared link speaks its language),
then the session's choice (the language menu), then the `forumdash_lang` cookie (the browser's
last choice), then the browser's languages (`st.context.locale`, Accept-Language) negotiated by
forumdash.i18n, else English. The URL then carries `lang` whenever the language is not English
or the URL asked for one, so a copied address, a QR code and a page link all keep it.
"""

import contextlib
from collections.abc import Mapping
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from forumdash import i18n
from forumdash.i18n import _

PARAM = "lang"
COOKIE = "forumdash_lang"
KEY = "lang.tag"
MENU_KEY = "lang.menu"
_PENDING = "lang.cookie"  # a choice the browser's cookie does not hold yet


def _session_language() -> str | None:
    """The visitor's language, for code Streamlit runs before the frame (a widget's callback)
    or without it (a fragment's rerun)."""
    if get_script_run_ctx(suppress_warning=True) is None:
        return None
    tag = st.session_state.get(KEY)
    return tag if isinstance(tag, str) else None


i18n.set_fallback(_session_language)


def choose() -> i18n.Language:
    """Decide this run's language, speak it (forumdash.i18n.use) and make the URL say it."""
    raw = st.query_params.get(PARAM)
    tag = i18n.parse_tag(raw)
    if tag:
        if st.session_state.get(KEY) != tag:
            st.session_state[KEY] = tag
            st.session_state[_PENDING] = tag
    else:
        tag = st.session_state.get(KEY) or _from_browser()
        st.session_state[KEY] = tag
    i18n.use(tag)
    if tag != i18n.DEFAULT or raw is not None:
        if raw != tag:  # no lang, a bad one, or another spelling ('SR_latn'): the canonical tag
            st.query_params[PARAM] = tag
    return i18n.current()


def _from_browser() -> str:
    cookie = i18n.parse_tag(_safe(lambda: st.context.cookies.get(COOKIE)))
    if cookie:
        return cookie
    wanted: list[str] = []
    locale = _safe(lambda: st.context.locale)
    if isinstance(locale, str) and locale:
        wanted.append(locale)
    header = _safe(lambda: st.context.headers.get("Accept-Language"))
    wanted.extend(i18n.accept_language(header if isinstance(header, str) else None))
    return i18n.negotiate(wanted)


def _safe(read: Any) -> Any:
    # st.context has no browser behind it in some runs (AppTest, a health check): no preference.
    with contextlib.suppress(Exception):
        return read()
    return None


def params(values: Mapping[str, str | list[str]] | None = None) -> dict[str, str | list[str]]:
    """URL parameters of a link or of this page's URL state, with the language kept."""
    out: dict[str, str | list[str]] = dict(values or {})
    tag = i18n.current().tag
    # Iterated, not `in`: the mapping's `in` goes through a lookup that raises KeyError, counted
    # by Streamlit's metrics on every link of a page (4% of a loaded server's time).
    if tag != i18n.DEFAULT or any(name == PARAM for name in st.query_params):
        out[PARAM] = tag
    return out


def set_url(values: Mapping[str, str | list[str]] | None = None) -> None:
    """Replace this page's URL parameters by `values`, keeping the language."""
    st.query_params.from_dict(params(values))


def menu() -> None:
    """The language menu: each language named in itself; a choice reruns the page in it."""
    st.session_state[MENU_KEY] = i18n.current().tag
    label = _("Language")  # not inside an f-string: the extractor would not see it
    st.selectbox(
        f":material/translate: {label}",
        options=list(i18n.TAGS),
        format_func=lambda tag: i18n.get(tag).name,
        key=MENU_KEY,
        on_change=_on_menu,
    )


def _on_menu() -> None:
    tag = i18n.parse_tag(st.session_state.get(MENU_KEY)) or i18n.DEFAULT
    st.session_state[KEY] = tag
    st.session_state[_PENDING] = tag
    st.query_params[PARAM] = tag


def write_browser_state() -> None:
    """Tell the browser the page's language (`<html lang>`, which Streamlit writes as "en":
    upstream issue 15726) and remember a new choice in a cookie for a year. Only a tag from
    i18n.TAGS ever reaches this script."""
    tag = i18n.current().tag
    pending = i18n.parse_tag(st.session_state.pop(_PENDING, None))
    cookie = (
        f"document.cookie = '{COOKIE}={pending}; Path=/; Max-Age=31536000; SameSite=Lax';"
        if pending
        else ""
    )
    st.html(
        f"<script>document.documentElement.lang = '{tag}';{cookie}</script>",
        unsafe_allow_javascript=True,
        width=1,
    )
