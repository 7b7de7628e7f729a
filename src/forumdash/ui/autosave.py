"""No lost work, in the browser: a long form's text is sent to the server as it is typed and
given back after a reload, a closed tab reopened, a lost connection or an expired session.

How, and why this way. Inside `st.form` a widget sends nothing to the server until the form's
button is pressed, and taking the long fields out of the form would not be enough: a text area
outside a form sends only when it loses focus (or on Ctrl+Enter), so a reload in the middle of a
field still loses that field, and every field left would rerun the whole page (the submit page
reads records and lists). So the forms stay as they are (one "Save draft" / "Submit" press, one
idempotent save with the form's client key) and a small `st.components.v2` component with no
HTML of its own, mounted after the form, watches it: its script (in the page, not an iframe)
notes `input` events in the form's text fields, and every WATCH_EVERY_MS, when a field loses
focus, or when the tab is hidden, it reads those fields and, if anything changed since it last
sent, sends their text as the component's state. The component sits in an `st.fragment`, so
that state reruns only the fragment, never the page; its callback writes the draft
(forumdash.autosave: one small row per form and owner), skipping a write when the text is what
was last kept, and keeping nothing for a form that shows only what it was drawn with (the
watcher's one look after it loads, which catches text typed before its script arrived, costs
one fragment rerun per form shown). Nothing is sent while nobody types; a keep is one small
upsert (about 1.4 ms on SQLite for a 20,000-character form). Choices (select boxes, dates) are
not kept: they are clicks, quick to make again; the typed text is what takes an hour.

When a form is drawn with fresh widgets (a new browser session after a reload, reconnecting to a
restarted server, signing in again, or coming back to the form), the owner's draft is put into
the widgets before they are drawn, and the form says "Restored the text you typed at 14:32"
(the reader's language and time zone) with a button to discard it. If the record was saved
again since the typing began (the draft's fingerprint of the form differs), it says that too:
the text is still given back, never silently put over the newer record without a word.

Use, the one call (any page, any form whose text widgets have keys)::

    with autosave.attach(
        "share.suggestion",                      # which form (the same after a reload)
        {"title": "share.title", "description": "share.description"},  # field -> widget key
        owner=autosave.device_owner(device_hash),  # or autosave.owner_of(user)
        defaults={"title": "", "description": ""},  # what the form shows without a draft
        page="pages/share.py",                    # where to open it again (optional)
    ):
        with st.form("share.form"):
            st.text_input("Title", key="share.title")
            ...
    if sent_successfully:
        autosave.clear("share.suggestion", owner)

`fields` may also be a list of widget keys (each key is then its own field name); only text
widgets (st.text_input, st.text_area) are watched, each needs a `key`, and `attach` must wrap
the code that draws them (it fills them before they are drawn). `owner=None` (nobody known)
draws the form without keeping anything. An anonymous participant's owner is their device:
`device_owner(hash)` takes the 64-hex hash that forumdash.limits makes of the device cookie
(never the raw cookie); on a first visit, before the browser holds that cookie, pass None.
For /share (session_state keys prefixed `share.`), the lead's one call is the block above
around the suggestion form, and `clear(...)` where the suggestion is stored.
"""

import datetime as dt
import logging
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import streamlit as st
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from forumdash import autosave, i18n
from forumdash.auth import SessionUser
from forumdash.db import read_session, write_session
from forumdash.i18n import _
from forumdash.ui import lang, navigation, render

# How often the browser looks for new text, at most (milliseconds).
WATCH_EVERY_MS = 3000
# Old drafts are pruned by the first form drawn after this many seconds, once per process.
PRUNE_EVERY_S = 3600
_last_pruned = [0.0]

# Trusted constant code (no user text, no data but field names and class names): the browser
# side of the watcher described above.
_JS = """
export default function (component) {
  const { data, setStateValue } = component;
  const fields = (data && data.fields) || {};
  const classes = Object.values(fields);
  const field = (cls) => document.querySelector('.' + cls + ' textarea, .' + cls + ' input');
  const read = () => {
    const values = {};
    for (const [name, cls] of Object.entries(fields)) {
      const element = field(cls);
      if (element) values[name] = element.value;
    }
    return values;
  };
  // A field missing from the page for a moment keeps its last text. The first look sends what
  // the form holds once: text typed before this script was loaded made no event it could see
  // (the server ignores a form that shows only what it was drawn with).
  let kept = {};
  let sent = '';
  let typed = true;
  const ours = (target) =>
    target instanceof Element && classes.some((cls) => target.closest('.' + cls));
  const send = () => {
    if (!typed) return;
    typed = false;
    kept = Object.assign({}, kept, read());
    const text = JSON.stringify(kept);
    if (text === sent) return;
    sent = text;
    setStateValue('values', kept);
  };
  const onInput = (event) => { if (ours(event.target)) typed = true; };
  const onLeave = (event) => { if (ours(event.target)) send(); };
  const onHidden = () => { if (document.visibilityState === 'hidden') send(); };
  document.addEventListener('input', onInput, true);
  document.addEventListener('focusout', onLeave, true);
  document.addEventListener('visibilitychange', onHidden);
  window.addEventListener('pagehide', send);
  const timer = setInterval(send, (data && data.every) || 3000);
  return () => {
    clearInterval(timer);
    document.removeEventListener('input', onInput, true);
    document.removeEventListener('focusout', onLeave, true);
    document.removeEventListener('visibilitychange', onHidden);
    window.removeEventListener('pagehide', send);
  };
}
"""

_watcher = st.components.v2.component("forumdash_autosave", js=_JS)


def owner_of(user: SessionUser | None) -> str | None:
    """Whose drafts a signed-in person's forms keep (None: nobody signed in)."""
    return autosave.user_owner(user.id) if user is not None else None


def device_owner(device_hash: str) -> str:
    """Whose drafts an anonymous participant's forms keep: their device's 64-hex hash."""
    return autosave.device_owner(device_hash)


def css_class(key: str) -> str:
    """The class Streamlit gives the element of the widget with this key."""
    return "st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key.strip())


def _state(form_id: str, what: str) -> str:
    return f"autosave.{form_id}.{what}"


def _fields(fields: Mapping[str, str] | Sequence[str]) -> dict[str, str]:
    return dict(fields) if isinstance(fields, Mapping) else {key: key for key in fields}


@contextmanager
def attach(
    form_id: str,
    fields: Mapping[str, str] | Sequence[str],
    owner: str | None,
    *,
    defaults: Mapping[str, str] | None = None,
    page: str = "",
    params: Mapping[str, str] | None = None,
    engine: Engine | None = None,
    version: int | None = None,
) -> Iterator[None]:
    """Keep the text of the form drawn inside this block on the server as it is typed, and give
    it back (with a notice and a way to discard it) when the form is drawn afresh; see the
    module's docstring. `fields`: field name -> widget key (or a list of keys); `defaults`: what
    each field shows without a draft (the record's text, or empty); `version`: the version of
    the record the defaults are (an edit's form): the text in the form carries the version it
    was typed against (form_version), a draft given back the one it was typed against then."""
    keys = _fields(fields)
    if version is not None and not any(key in st.session_state for key in keys.values()):
        # Fresh widgets show the record as it is now (a draft given back says otherwise below).
        st.session_state[_state(form_id, "version")] = version
    if owner is None:
        yield
        return
    if engine is None:
        from forumdash.ui import frame

        engine = frame.get_engine()
    shown = {name: str((defaults or {}).get(name, "") or "") for name in keys}
    notice = st.container()
    if not any(key in st.session_state for key in keys.values()):
        _restore(engine, form_id, keys, owner, shown)
    yield
    _watch(engine, form_id, keys, owner, shown, page, dict(params or {}))
    with notice:
        _notice(engine, form_id, keys, owner, shown, version)


def form_version(form_id: str) -> int | None:
    """The version of the record the text in the form was typed against: the version its
    fresh widgets showed, or a given-back draft's (None: not an edit's form)."""
    kept = st.session_state.get(_state(form_id, "version"))
    return kept if isinstance(kept, int) else None


def set_form_version(form_id: str, version: int) -> None:
    """The form now holds text that goes with this version (saved, or seen and taken over)."""
    st.session_state[_state(form_id, "version")] = version


def clear(form_id: str, owner: str | None, engine: Engine | None = None) -> None:
    """The form was saved: forget its draft (call after a successful save)."""
    if owner is None:
        return
    if engine is None:
        from forumdash.ui import frame

        engine = frame.get_engine()
    for what in ("notice", "status"):
        st.session_state.pop(_state(form_id, what), None)
    # What the fields hold now is saved: the watcher's next send of the same text is not a draft.
    keys = st.session_state.get(_state(form_id, "keys"), {})
    held = {name: str(st.session_state.get(key, "")) for name, key in keys.items()}
    st.session_state[_state(form_id, "sent")] = autosave.digest(held)
    _forget(engine, form_id, owner)


def _forget(engine: Engine, form_id: str, owner: str) -> None:
    try:
        with write_session(engine) as session:
            autosave.discard(session, form_key=form_id, owner=owner)
    except DBAPIError:
        logging.getLogger("forumdash").log(
            logging.ERROR, "discarding a draft failed", exc_info=True
        )


def _restore(
    engine: Engine, form_id: str, keys: dict[str, str], owner: str, shown: dict[str, str]
) -> None:
    """Fresh widgets: fill them with the owner's draft, if there is one, before they are drawn."""
    _prune(engine)
    try:
        with read_session(engine) as session:
            draft = autosave.load(session, form_key=form_id, owner=owner)
    except DBAPIError:
        logging.getLogger("forumdash").log(logging.ERROR, "reading a draft failed", exc_info=True)
        return
    if draft is None:
        return
    restored = {name: text for name, text in draft.values.items() if name in keys}
    if not restored or all(shown.get(name, "") == text for name, text in restored.items()):
        return  # nothing in it that the form does not show already
    for name, text in restored.items():
        st.session_state[keys[name]] = text
    if draft.version is not None:
        st.session_state[_state(form_id, "version")] = draft.version
    st.session_state[_state(form_id, "sent")] = autosave.digest(restored)
    st.session_state[_state(form_id, "notice")] = {
        "at": draft.saved_at.isoformat(),
        "changed": bool(draft.changed_since(shown)),
    }


def _prune(engine: Engine) -> None:
    if time.monotonic() - _last_pruned[0] < PRUNE_EVERY_S:
        return
    _last_pruned[0] = time.monotonic()
    try:
        with write_session(engine) as session:
            autosave.prune(session)
    except DBAPIError:
        logging.getLogger("forumdash").log(logging.ERROR, "pruning drafts failed", exc_info=True)


def when(moment: dt.datetime) -> str:
    """'Restored the text you typed at 14:32' (or 'on 5 December 2026 at 14:32' another day),
    in the reader's language and time zone."""
    zone = st.context.timezone
    local = i18n.local_time(moment, zone)
    today = i18n.local_time(dt.datetime.now(dt.UTC), zone).date()
    if local.date() == today:
        return _("Restored the text you typed at {time}.").format(time=i18n.format_clock(local))
    return _("Restored the text you typed on {day} at {time}.").format(
        day=i18n.format_day(local.date()), time=i18n.format_clock(local)
    )


def _notice(
    engine: Engine,
    form_id: str,
    keys: dict[str, str],
    owner: str,
    shown: dict[str, str],
    version: int | None,
) -> None:
    said = st.session_state.get(_state(form_id, "notice"))
    if not isinstance(said, dict):
        return
    with st.container(border=True, key=f"autosave.notice.{form_id}"):
        st.info(
            when(dt.datetime.fromisoformat(said["at"])) + " " + _("It is not saved yet."),
            icon=":material/history:",
        )
        if said.get("changed") or (version is not None and form_version(form_id) != version):
            st.warning(
                _(
                    "This record was saved again after you typed this text. Your text is in the "
                    "form: compare it with the saved version before you save, or discard it to "
                    "see the saved version."
                ),
                icon=":material/warning:",
            )
        st.button(
            _("Discard the restored text"),
            key=f"autosave.discard.{form_id}",
            icon=":material/delete:",
            on_click=_discard,
            args=(engine, form_id, keys, owner, shown, version),
        )


def _discard(
    engine: Engine,
    form_id: str,
    keys: dict[str, str],
    owner: str,
    shown: dict[str, str],
    version: int | None,
) -> None:
    """The discard button: the fields go back to what the form shows without the draft (the
    record at `version`)."""
    for name, key in keys.items():
        st.session_state[key] = shown.get(name, "")
    if version is not None:
        st.session_state[_state(form_id, "version")] = version
    st.session_state[_state(form_id, "sent")] = autosave.digest(shown)
    st.session_state.pop(_state(form_id, "notice"), None)
    st.session_state.pop(_state(form_id, "status"), None)
    _forget(engine, form_id, owner)


@st.fragment
def _watch(
    engine: Engine,
    form_id: str,
    keys: dict[str, str],
    owner: str,
    shown: dict[str, str],
    page: str,
    params: dict[str, str],
) -> None:
    """The watcher and the line that says when the text was last kept (a fragment: what the
    watcher sends reruns only this)."""
    st.session_state[_state(form_id, "keys")] = keys
    _watcher(
        key=f"autosave.watch.{form_id}",
        data={
            "fields": {name: css_class(key) for name, key in keys.items()},
            "every": WATCH_EVERY_MS,
        },
        on_values_change=lambda: _keep(engine, form_id, keys, owner, shown, page, params),
        height=0,
    )
    status = st.session_state.get(_state(form_id, "status"))
    if isinstance(status, dict) and status.get("error"):
        st.warning(render.escape_markdown(str(status["error"])), icon=":material/warning:")
    elif isinstance(status, dict) and status.get("at"):
        local = i18n.local_time(dt.datetime.fromisoformat(status["at"]), st.context.timezone)
        st.caption(
            _("Your text is kept on the server as you type (last kept at {time}).").format(
                time=i18n.format_clock(local)
            )
        )


def _keep(
    engine: Engine,
    form_id: str,
    keys: dict[str, str],
    owner: str,
    shown: dict[str, str],
    page: str,
    params: dict[str, str],
) -> None:
    """The watcher sent the form's text: keep it, unless it is what was kept last."""
    state: Any = st.session_state.get(f"autosave.watch.{form_id}")
    sent = state.get("values") if state is not None else None
    if not isinstance(sent, dict):
        return
    values = {name: str(text) for name, text in sent.items() if name in keys}
    digest = autosave.digest(values)
    last = st.session_state.get(_state(form_id, "sent"))
    if last == digest:
        return
    if all(shown.get(name, "") == text for name, text in values.items()):
        # The form shows what it was drawn with: nothing unsaved (any draft kept before is
        # stale, its text having been taken back).
        if last is not None:
            _forget(engine, form_id, owner)
            st.session_state[_state(form_id, "sent")] = digest
            st.session_state.pop(_state(form_id, "status"), None)
        return
    try:
        with write_session(engine) as session:
            at = autosave.save(
                session,
                form_key=form_id,
                owner=owner,
                values=values,
                base=shown,
                page=page,
                params={k: v for k, v in params.items() if k != lang.PARAM},
                version=form_version(form_id),
            )
    except autosave.DraftError as exc:
        st.session_state[_state(form_id, "status")] = {"error": str(exc)}
        return
    except DBAPIError:
        logging.getLogger("forumdash").log(logging.ERROR, "keeping a draft failed", exc_info=True)
        st.session_state[_state(form_id, "status")] = {
            "error": _("Your text could not be kept on the server just now; it is still here.")
        }
        return
    st.session_state[_state(form_id, "sent")] = digest
    st.session_state[_state(form_id, "status")] = {"at": at.isoformat()}


def unsaved_list(
    engine: Engine,
    owner: str | None,
    page: str,
    describe: Callable[[autosave.Draft], str] | None = None,
) -> None:
    """The owner's drafts on forms of `page`, each with a link that opens its form again: after
    signing in again elsewhere the form's URL is lost, its text is not. Drafts of forms at this
    very URL are left out (they are restored here). `describe` names a draft's form ("New
    practice"); its title follows."""
    if owner is None:
        return
    try:
        with read_session(engine) as session:
            drafts = [d for d in autosave.owned(session, owner=owner) if d.page == page]
    except DBAPIError:
        return
    here = {name: st.query_params[name] for name in st.query_params if name != lang.PARAM}
    drafts = [d for d in drafts if d.params != here]
    if not drafts:
        return
    with st.container(border=True, key="autosave.unsaved"):
        st.markdown("**" + _("Text you typed and did not save") + "**")
        for draft in drafts[:20]:
            title = draft.values.get("title", "").strip() or _("no title yet")
            what = describe(draft) if describe else ""
            st.page_link(
                navigation.page(page),
                label=_("{form}: {title} · {when}").format(
                    form=render.escape_markdown(what),
                    title=render.escape_markdown(title[:80]),
                    when=_typed(draft.saved_at),
                )
                if what
                else _("{title} · {when}").format(
                    title=render.escape_markdown(title[:80]), when=_typed(draft.saved_at)
                ),
                icon=":material/history:",
                query_params=lang.params(draft.params),
            )


def _typed(moment: dt.datetime) -> str:
    """'typed today at 14:32', 'typed on 5 December 2026 at 14:32' (the reader's time zone)."""
    zone = st.context.timezone
    local = i18n.local_time(moment, zone)
    if local.date() == i18n.local_time(dt.datetime.now(dt.UTC), zone).date():
        return _("typed today at {time}").format(time=i18n.format_clock(local))
    return _("typed on {day} at {time}").format(
        day=i18n.format_day(local.date()), time=i18n.format_clock(local)
    )
