"""The load generator's client (bench/streamlit_client.py) against Chromium, frame by frame:
for the same steps (first load of /browse, a filter click, a search, a link to a practice, "I
want to learn from this"), the BackMsg the client sends matches what Chromium sent in the fields
that matter (query string, page name and hash, every widget's id and value, a button's trigger),
and the elements the client receives are the elements Chromium received."""

import asyncio
import sys
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

import pytest
from playwright.sync_api import Page, expect
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from tests.conftest import ROOT
from tests.e2e.conftest import wait_for_app

sys.path.insert(0, str(ROOT / "bench"))
from streamlit_client import (  # noqa: E402  (bench/streamlit_client.py)
    FINISHED_EARLY_FOR_RERUN,
    Run,
    Shown,
    StreamlitSession,
    decode_forward,
    widget_states,
)

pytestmark = pytest.mark.e2e

LEARN = "I want to learn from this"
T = TypeVar("T")


class Recorder:
    """Chromium's websocket frames, cut into runs (each ends with its script_finished)."""

    def __init__(self, page: Page) -> None:
        self.sent: list[BackMsg] = []
        self.received: list[bytes] = []
        self.ends: list[int] = []  # index in `received` after each finished run
        page.on("websocket", self._attach)

    def _attach(self, ws: Any) -> None:
        ws.on("framesent", self._sent)
        ws.on("framereceived", self._received)

    def _sent(self, payload: bytes | str) -> None:
        msg = BackMsg()
        msg.ParseFromString(payload if isinstance(payload, bytes) else payload.encode())
        if msg.WhichOneof("type") == "rerun_script":
            self.sent.append(msg)

    def _received(self, payload: bytes | str) -> None:
        data = payload if isinstance(payload, bytes) else payload.encode()
        self.received.append(data)
        msg = ForwardMsg()
        msg.ParseFromString(data)
        if msg.WhichOneof("type") == "script_finished" and (
            msg.script_finished != FINISHED_EARLY_FOR_RERUN
        ):
            self.ends.append(len(self.received))

    def wait_runs(self, page: Page, count: int) -> None:
        for _ in range(600):
            if len(self.ends) >= count and len(self.sent) >= count:
                return
            page.wait_for_timeout(100)
        raise AssertionError(f"Chromium finished {len(self.ends)} runs, expected {count}")

    def run(self, index: int) -> list[Shown]:
        start = self.ends[index - 1] if index else 0
        return decode_forward(self.received[start : self.ends[index]])


def essentials(msg: BackMsg) -> dict[str, object]:
    """The fields of a rerun that decide what the server runs."""
    state = msg.rerun_script
    return {
        "query_string": state.query_string,
        "page_script_hash": state.page_script_hash,
        "page_name": state.page_name,
        "fragment_id": state.fragment_id,
        "widgets": widget_states(msg),
    }


EMPTY_ARRAYS = {"string_array_value", "int_array_value", "double_array_value"}


def _state(value: Any) -> Any:
    """A widget's state as Streamlit reads it: an empty selection (pills, multiselect) is the
    same as no state sent. Chromium sends it for a widget the page has mounted and not always
    otherwise (CI saw both for the browse page's theme pills); the client always does."""
    if isinstance(value, tuple) and len(value) == 2 and value[0] in EMPTY_ARRAYS:
        return value if len(value[1]) else None
    return value


def differences(browser: dict[str, Any], client: dict[str, Any]) -> dict[str, object]:
    """What differs between two reruns' essentials, for a readable failure."""
    found: dict[str, object] = {
        key: (browser[key], client[key])
        for key in browser
        if key != "widgets" and browser[key] != client[key]
    }
    mine, theirs = client["widgets"], browser["widgets"]
    for key in sorted(set(mine) | set(theirs)):
        if _state(mine.get(key)) != _state(theirs.get(key)):
            found[key] = {"chromium": theirs.get(key), "client": mine.get(key)}
    return found


def texts(shown: list[Shown]) -> list[str]:
    return [s.describe() for s in shown]


def ids(shown: list[Shown]) -> list[str]:
    return [s.widget_id for s in shown if s.widget_id]


class ClientThread:
    """The client's asyncio loop in a thread of its own (Playwright's sync API holds this
    thread's), so that its steps can alternate with the browser's."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def __call__(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=300)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


def widgets_drawn(page: Page, pager: bool) -> None:
    """Wait until the language menu (every page) and the page numbers (browse) are on screen."""
    menu = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']")
    expect(menu.filter(has_text="Language")).to_be_visible()
    if pager:
        expect(page.get_by_test_id("stPagination")).to_be_visible()


def test_client_sends_and_receives_what_chromium_does(page: Page, app_url: str) -> None:
    """Each step in Chromium, then the same step by the client, compared."""
    record = Recorder(page)
    client = ClientThread()
    tab = StreamlitSession(app_url, timeout=120)
    runs: list[Run] = []
    try:
        page.goto(f"{app_url}/browse")
        wait_for_app(page)
        record.wait_runs(page, 1)
        runs.append(client(tab.open("/browse")))

        # Chromium sends a widget's state once the widget is on screen: on a loaded CI machine a
        # click before the language menu and the page numbers were drawn sent neither.
        widgets_drawn(page, pager=True)
        page.locator("[data-testid='stSidebar'] [data-testid='stButtonGroup'] button").first.click()
        record.wait_runs(page, 2)
        wait_for_app(page)
        pills_id, pills_value = next(
            (k, v)
            for k, v in widget_states(record.sent[1]).items()
            if k.endswith("-browse.countries")
        )
        pills = WidgetState()
        pills.string_array_value.data.extend(pills_value[1])  # type: ignore[index]
        runs.append(client(tab.set_widget(pills_id, pills)))

        widgets_drawn(page, pager=False)  # one country's practices may fit on one page
        box = page.get_by_label("Search practices", exact=True)
        box.fill("data")
        box.press("Enter")
        record.wait_runs(page, 3)
        wait_for_app(page)
        search = tab.find("text_input", "Search practices")
        runs.append(client(tab.set_widget(search.widget_id, WidgetState(string_value="data"))))

        page.locator("[data-testid='stMain'] [data-testid='stPageLink'] a").first.click()
        record.wait_runs(page, 4)
        wait_for_app(page)
        runs.append(client(tab.navigate("practice", tab.links("practice")[0])))

        widgets_drawn(page, pager=False)
        page.get_by_role("button", name=LEARN).click()
        record.wait_runs(page, 5)
        wait_for_app(page)
        runs.append(client(tab.click(tab.find("button", LEARN).widget_id)))
    finally:
        client(tab.close())
        client.stop()

    browser_sent = [essentials(m) for m in record.sent[:5]]
    client_sent = [essentials(m) for m in tab.sent]
    assert [e for run in runs for e in run.errors] == []
    assert pills_value[1] and len(client_sent) == 5
    # (a) the same messages: first load by URL path, then by page hash with every widget.
    assert browser_sent[0]["page_name"] == "browse" and browser_sent[0]["widgets"] == {}
    for step, (browser, mine) in enumerate(zip(browser_sent, client_sent, strict=True)):
        assert mine == browser, f"step {step}: {differences(browser, mine)}"
    learn_trigger = [v for k, v in browser_sent[4]["widgets"].items() if k.endswith(".ask")]
    assert learn_trigger == [("trigger_value", True)]
    # (b) the same elements, in the same order, with the same widget ids. After the learning
    # request the count ("2 people asked") differs by the browser's own request: kinds there.
    for step, run in enumerate(runs):
        browser_shown = record.run(step)
        assert ids(run.shown) == ids(browser_shown), f"step {step}"
        if step < 4:
            assert texts(run.shown) == texts(browser_shown), f"step {step}"
        else:
            assert [s.kind for s in run.shown] == [s.kind for s in browser_shown]
    assert any(s.kind == "button_group" for s in record.run(1))
