"""A Streamlit client without a browser: Streamlit 1.67's own websocket protocol, as its
frontend speaks it, for the load generator (bench/load.py) and the tests that check it against
Chromium (tests/e2e/test_load_client.py).

What the frontend does, and this client with it (read from streamlit/static's bundle and checked
frame by frame against Chromium):

- before the websocket: `GET <page>`, `GET /_stcore/health` and `GET /_stcore/host-config`;
- the websocket `/_stcore/stream` with the subprotocols `streamlit` and the XSRF cookie's value
  (`PLACEHOLDER_AUTH_TOKEN` when the server set none); binary frames, one protobuf each;
- the first `BackMsg.rerun_script` names the page by its URL path (`page_name`, "" for `/`),
  with the URL's query string and no widget state; the server answers with `new_session`,
  `navigation` (every page's hash and URL path), deltas and `script_finished`;
- a widget change reruns the page by its hash (`page_script_hash`) with the state of *every*
  widget on the page (the frontend sends them all, defaults included), the changed one changed;
  a button press is a `trigger_value` for that run only;
- a link to another page (`st.page_link`) reruns with that page's hash and the link's query
  string, and no widget state;
- `page_info_changed` rewrites the query string the next reruns send; `auto_rerun` (a fragment's
  `run_every`) asks for a rerun of that fragment every `interval` s (`fragment_id`,
  `is_auto_rerun`);
- messages the server marks `cacheable` are kept by hash, their hashes sent with every rerun
  (`cached_message_hashes`), and a `ref_hash` message is answered from that cache; entries
  expire after `max_cached_message_age` runs without use, as in the frontend.

A run ends with `script_finished` (a rerun the script asked for, FINISHED_EARLY_FOR_RERUN, is
followed by the run it asked for). Errors are `Exception` elements in the deltas, a compile
error, or a `session_event` carrying one.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection

FINISHED_EARLY_FOR_RERUN = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN
FINISHED_WITH_COMPILE_ERROR = ForwardMsg.ScriptFinishedStatus.FINISHED_WITH_COMPILE_ERROR
# Chromium's own context, as the capture shows it (headless, English, UTC).
TIMEZONE = "UTC"
LOCALE = "en-US"


class Disconnected(Exception):
    """The websocket closed (or never opened) while a run was expected."""


@dataclass(frozen=True)
class Shown:
    """One element a run drew: where, what kind, its label or text, its widget id."""

    path: tuple[int, ...]
    kind: str
    text: str
    widget_id: str = ""
    link: tuple[str, str] | None = None  # a page link's (page_script_hash, query_string)

    def describe(self) -> str:
        """What two clients must agree on: kind and visible text (ids are compared apart)."""
        return f"{self.kind}:{self.text}"


@dataclass
class Run:
    """What one rerun took and drew."""

    seconds: float
    shown: list[Shown] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    error_alerts: list[str] = field(default_factory=list)
    status: int = 0


def element_text(kind: str, element: object) -> str:
    """The label of a widget or the beginning of a text element's body, for comparisons.
    Cut at 40 characters: a device id written into a cookie script comes after that."""
    for name in ("label", "body", "message"):
        value = getattr(element, name, None)
        if isinstance(value, str) and value:
            return value[:40]
    return ""


def initial_state(kind: str, element: object, widget_id: str) -> WidgetState | None:
    """The value the frontend reports for a widget it has just drawn (its default, or the
    value the script set), as a WidgetState; None for widgets that report nothing until used
    (buttons, download buttons, page links) or kinds this client does not know."""
    state = WidgetState(id=widget_id)
    e = element
    set_value = bool(getattr(e, "set_value", False))
    if kind in ("text_input", "text_area", "time_input"):
        if set_value and e.HasField("value"):  # type: ignore[attr-defined]
            state.string_value = e.value  # type: ignore[attr-defined]
        elif e.HasField("default"):  # type: ignore[attr-defined]
            state.string_value = e.default  # type: ignore[attr-defined]
        else:
            return None
    elif kind in ("selectbox", "radio"):
        if set_value and e.HasField("raw_value"):  # type: ignore[attr-defined]
            state.string_value = e.raw_value  # type: ignore[attr-defined]
        elif e.HasField("default"):  # type: ignore[attr-defined]
            state.string_value = e.options[e.default]  # type: ignore[attr-defined]
        else:
            return None
    elif kind == "multiselect":
        values = (
            list(e.raw_values)  # type: ignore[attr-defined]
            if set_value
            else [e.options[i] for i in e.default]  # type: ignore[attr-defined]
        )
        state.string_array_value.data.extend(values)
    elif kind == "button_group":
        values = (
            list(e.raw_values)  # type: ignore[attr-defined]
            if set_value
            else [e.options[i].content for i in e.default]  # type: ignore[attr-defined]
        )
        state.string_array_value.data.extend(values)
    elif kind == "slider":
        values = list(e.value if set_value else e.default)  # type: ignore[attr-defined]
        state.double_array_value.data.extend(values)
    elif kind == "checkbox":
        state.bool_value = e.value if set_value else e.default  # type: ignore[attr-defined]
    elif kind == "number_input":
        source = "value" if set_value and e.HasField("value") else "default"  # type: ignore[attr-defined]
        if not e.HasField(source):  # type: ignore[attr-defined]
            return None
        number = getattr(e, source)
        if e.data_type == 0:  # type: ignore[attr-defined]  # INT
            state.int_value = int(number)
        else:
            state.double_value = number
    elif kind == "pagination":
        state.int_value = e.value if set_value else e.default  # type: ignore[attr-defined]
    elif kind in ("date_input", "date_time_input"):
        values = list(e.value if set_value else e.default)  # type: ignore[attr-defined]
        state.string_array_value.data.extend(values)
    elif kind == "color_picker":
        state.string_value = e.value if set_value else e.default  # type: ignore[attr-defined]
    else:
        return None
    return state


def widget_value(state: WidgetState) -> object:
    """A widget state's value as plain Python, for comparisons and reports."""
    which = state.WhichOneof("value")
    if which is None:
        return None
    value = getattr(state, which)
    if which.endswith("array_value"):
        return (which, tuple(value.data))
    return (which, value)


class MessageCache:
    """The frontend's cache of large messages, by hash, aged in script runs."""

    def __init__(self) -> None:
        self.entries: dict[str, tuple[bytes, int]] = {}
        self.runs = 0

    def keep(self, msg: ForwardMsg, payload: bytes) -> None:
        if msg.metadata.cacheable and msg.hash and msg.hash not in self.entries:
            self.entries[msg.hash] = (payload, self.runs)

    def resolve(self, ref_hash: str) -> ForwardMsg:
        payload, _ = self.entries[ref_hash]
        self.entries[ref_hash] = (payload, self.runs)
        msg = ForwardMsg()
        msg.ParseFromString(payload)
        return msg

    def finished_run(self, max_age: int) -> None:
        self.runs += 1
        for key, (_, seen) in list(self.entries.items()):
            if self.runs - seen > max_age:
                del self.entries[key]


async def http_get(base_url: str, path: str) -> dict[str, str]:
    """A bare HTTP/1.1 GET, as the browser makes before connecting; returns the cookies set."""
    parts = urllib.parse.urlsplit(base_url)
    host = parts.hostname or "127.0.0.1"
    port = parts.port or 80
    reader, writer = await asyncio.open_connection(host, port)
    try:
        request = (
            f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nAccept: */*\r\n"
            "Connection: close\r\n\r\n"
        )
        writer.write(request.encode())
        await writer.drain()
        data = await reader.read()
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    status = head.split("\r\n", 1)[0]
    if " 200" not in status and " 304" not in status:
        raise Disconnected(f"GET {path}: {status}")
    cookies: dict[str, str] = {}
    for line in head.split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "set-cookie":
            pair = value.strip().split(";", 1)[0]
            key, _, val = pair.partition("=")
            cookies[key.strip()] = val.strip()
    return cookies


class StreamlitSession:
    """One browser tab's session with a Streamlit server, driven one run at a time."""

    def __init__(self, base_url: str, *, timeout: float = 300.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.ws: ClientConnection | None = None
        self.pages: dict[str, str] = {}  # URL path ("" for the main page) -> page_script_hash
        self.page_hash = ""
        self.query_string = ""
        self.url_path = ""
        self.widgets: dict[str, WidgetState] = {}
        self.shown: list[Shown] = []  # the last run's elements, in arrival order
        self.cache = MessageCache()
        self.max_cached_message_age = 2
        self.auto_reruns: dict[str, float] = {}  # fragment id -> interval (s)
        self.cookies: dict[str, str] = {}
        self.sent: list[BackMsg] = []  # every BackMsg, for the tests that compare with Chromium
        self._elements: dict[tuple[int, ...], Element] = {}

    # -- connection ---------------------------------------------------------------------------

    async def open(self, path: str = "/", query_string: str = "") -> Run:
        """Load a page as a browser tab does: the page, the health and host-config requests, the
        websocket, and the first run (by URL path)."""
        url_path = path.strip("/")
        try:
            page = "/" + url_path + ("?" + query_string if query_string else "")
            self.cookies.update(await http_get(self.base_url, page))
            await http_get(self.base_url, "/_stcore/health")
            await http_get(self.base_url, "/_stcore/host-config")
            ws_url = self.base_url.replace("http", "ws", 1) + "/_stcore/stream"
            token = self.cookies.get("_streamlit_xsrf") or "PLACEHOLDER_AUTH_TOKEN"
            headers = {}
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            # No client pings: a browser sends none (it answers the server's, as this does).
            self.ws = await websockets.connect(
                ws_url,
                subprotocols=["streamlit", token],  # type: ignore[list-item]
                additional_headers=headers,
                origin=self.base_url,  # type: ignore[arg-type]
                ping_interval=None,
                max_size=None,
                open_timeout=self.timeout,
                close_timeout=1,
            )
        except (OSError, websockets.exceptions.WebSocketException, TimeoutError) as exc:
            raise Disconnected(f"connect: {exc!r}") from exc
        self.url_path = url_path
        self.query_string = query_string
        return await self._run(ClientState(page_name=url_path, query_string=query_string))

    async def close(self) -> None:
        """Close the tab."""
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.close()
            self.ws = None

    # -- actions ------------------------------------------------------------------------------

    async def navigate(self, path: str, query_string: str = "") -> Run:
        """Follow a link to a page of the app (st.page_link): that page's hash, the link's
        query string, no widget state."""
        url_path = path.strip("/")
        if url_path not in self.pages:
            raise KeyError(f"no page at /{url_path} (pages: {sorted(self.pages)})")
        self.url_path = url_path
        self.query_string = query_string
        self.widgets.clear()
        self.auto_reruns.clear()
        return await self._run(
            ClientState(page_script_hash=self.pages[url_path], query_string=query_string)
        )

    async def rerun(self) -> Run:
        """Rerun the page as it stands (the frontend's Rerun: every widget's state)."""
        return await self._run(self._rerun_state())

    async def set_widget(self, widget_id: str, state: WidgetState) -> Run:
        """Change one widget (as a click, a choice or typed text does) and rerun the page."""
        kept = WidgetState()
        kept.CopyFrom(state)
        kept.id = widget_id
        self.widgets[widget_id] = kept
        return await self._run(self._rerun_state())

    async def click(self, widget_id: str) -> Run:
        """Press a button: its trigger is true for this run only."""
        state = self._rerun_state()
        state.widget_states.widgets.append(WidgetState(id=widget_id, trigger_value=True))
        return await self._run(state)

    async def rerun_fragment(self, fragment_id: str) -> Run:
        """The rerun a fragment's `run_every` asks the frontend for."""
        state = self._rerun_state()
        state.fragment_id = fragment_id
        state.is_auto_rerun = True
        return await self._run(state)

    # -- what the last run drew ---------------------------------------------------------------

    def find(self, kind: str, label: str) -> Shown:
        """The element of the last run with that kind and label (a widget's id comes with it)."""
        for item in self.shown:
            if item.kind == kind and item.text == label[:40]:
                return item
        raise LookupError(f"no {kind} labelled {label!r} on /{self.url_path}")

    def element(self, shown: Shown) -> Element:
        """The full Element proto of something the last run drew (its options, defaults)."""
        return self._elements[shown.path]

    def links(self, url_path: str) -> list[str]:
        """The query strings of the last run's links to a page (e.g. practice -> ["id=3"])."""
        target = self.pages.get(url_path.strip("/"))
        return [s.link[1] for s in self.shown if s.link and s.link[0] == target]

    # -- the protocol -------------------------------------------------------------------------

    def _rerun_state(self) -> ClientState:
        state = ClientState(page_script_hash=self.page_hash, query_string=self.query_string)
        state.widget_states.widgets.extend(self.widgets.values())
        return state

    async def _run(self, state: ClientState) -> Run:
        if self.ws is None:
            raise Disconnected("not connected")
        url = f"{self.base_url}/{self.url_path}"
        if self.query_string:
            url += "?" + self.query_string
        state.context_info.timezone = TIMEZONE
        state.context_info.timezone_offset = 0
        state.context_info.locale = LOCALE
        state.context_info.url = url
        state.context_info.is_embedded = False
        state.context_info.color_scheme = "light"
        state.cached_message_hashes.extend(self.cache.entries)
        msg = BackMsg(rerun_script=state)
        self.sent.append(msg)
        start = time.perf_counter()
        try:
            await self.ws.send(msg.SerializeToString())
            run = await asyncio.wait_for(self._receive_run(), self.timeout)
        except (websockets.exceptions.ConnectionClosed, OSError, TimeoutError) as exc:
            await self.close()
            raise Disconnected(repr(exc)) from exc
        run.seconds = time.perf_counter() - start
        return run

    async def _receive_run(self) -> Run:
        assert self.ws is not None
        run = Run(seconds=0.0)
        shown: dict[tuple[int, ...], Shown] = {}
        elements: dict[tuple[int, ...], Element] = {}
        order: list[tuple[int, ...]] = []
        seen_widgets: set[str] = set()
        fragment = False
        while True:
            payload = await self.ws.recv(decode=False)
            msg = ForwardMsg()
            msg.ParseFromString(payload)
            kind = msg.WhichOneof("type")
            if kind == "ref_hash":
                if msg.ref_hash not in self.cache.entries:
                    run.errors.append(f"cache miss for {msg.ref_hash}")
                    continue
                metadata = msg.metadata
                msg = self.cache.resolve(msg.ref_hash)
                msg.metadata.CopyFrom(metadata)
                kind = msg.WhichOneof("type")
            else:
                self.cache.keep(msg, payload)
            if kind == "new_session":
                # Its page_script_hash is the main script's; the page that runs comes with
                # `navigation`, as the frontend reads it.
                self.max_cached_message_age = msg.new_session.config.max_cached_message_age or 2
            elif kind == "navigation":
                self.page_hash = msg.navigation.page_script_hash
                for page in msg.navigation.app_pages:
                    self.pages[page.url_pathname] = page.page_script_hash
                    if page.page_script_hash == self.page_hash:
                        self.url_path = page.url_pathname
            elif kind == "page_info_changed":
                self.query_string = msg.page_info_changed.query_string
            elif kind == "auto_rerun":
                self.auto_reruns[msg.auto_rerun.fragment_id] = msg.auto_rerun.interval
            elif kind == "session_event":
                event = msg.session_event
                if event.HasField("script_compilation_exception"):
                    run.errors.append(event.script_compilation_exception.message)
            elif kind == "delta":
                delta = msg.delta
                path = tuple(msg.metadata.delta_path)
                if delta.fragment_id:
                    fragment = True
                if delta.WhichOneof("type") == "new_element":
                    element = delta.new_element
                    which = element.WhichOneof("type") or ""
                    inner = getattr(element, which) if which else None
                    widget_id = getattr(inner, "id", "") if inner is not None else ""
                    widget_id = widget_id if widget_id.startswith("$$ID") else ""
                    link = None
                    if which == "page_link":
                        link = (element.page_link.page_script_hash, element.page_link.query_string)
                    item = Shown(path, which, element_text(which, inner), widget_id, link)
                    if path not in shown:
                        order.append(path)
                    shown[path] = item
                    elements[path] = element
                    if which == "exception":
                        run.errors.append(
                            f"{element.exception.type}: {element.exception.message[:200]}"
                        )
                    elif which == "alert" and element.alert.format == 1:  # ERROR
                        run.error_alerts.append(element.alert.body[:200])
                    if widget_id:
                        seen_widgets.add(widget_id)
                        known = self.widgets.get(widget_id)
                        initial = initial_state(which, inner, widget_id)
                        if initial is not None and (
                            known is None or getattr(inner, "set_value", False)
                        ):
                            self.widgets[widget_id] = initial
            elif kind == "script_finished":
                status = msg.script_finished
                if status == FINISHED_EARLY_FOR_RERUN:
                    continue
                run.status = status
                if status == FINISHED_WITH_COMPILE_ERROR:
                    run.errors.append("script compile error")
                self.cache.finished_run(self.max_cached_message_age)
                break
        run.shown = [shown[p] for p in order]
        if not fragment:
            # The frontend forgets the state of widgets the page no longer draws.
            for widget_id in [w for w in self.widgets if w not in seen_widgets]:
                del self.widgets[widget_id]
            self.shown = run.shown
            self._elements = elements
        return run


def widget_states(msg: BackMsg) -> dict[str, object]:
    """A rerun's widget states as {id: value}, for comparisons."""
    return {w.id: widget_value(w) for w in msg.rerun_script.widget_states.widgets}


def decode_forward(payloads: Iterable[bytes]) -> list[Shown]:
    """The elements a sequence of ForwardMsg frames drew, in order (the last at each place),
    for comparing a browser's frames with this client's."""
    shown: dict[tuple[int, ...], Shown] = {}
    order: list[tuple[int, ...]] = []
    cache: dict[str, bytes] = {}
    for payload in payloads:
        msg = ForwardMsg()
        msg.ParseFromString(payload)
        if msg.WhichOneof("type") == "ref_hash":
            metadata = msg.metadata
            cached = ForwardMsg()
            cached.ParseFromString(cache[msg.ref_hash])
            cached.metadata.CopyFrom(metadata)
            msg = cached
        elif msg.metadata.cacheable and msg.hash:
            cache[msg.hash] = payload
        if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
            continue
        element = msg.delta.new_element
        which = element.WhichOneof("type") or ""
        inner = getattr(element, which) if which else None
        path = tuple(msg.metadata.delta_path)
        widget_id = getattr(inner, "id", "") if inner is not None else ""
        if path not in shown:
            order.append(path)
        shown[path] = Shown(path, which, element_text(which, inner), widget_id)
    return [shown[p] for p in order]
