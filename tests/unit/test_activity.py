"""Background work gives way to visitors' pages (forumdash.activity), bounded, and never to a
page that waits for it. Every wait is ended by an event the test sets, not by a clock."""

import threading
from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from forumdash import activity
from forumdash.db import read_session
from forumdash.versioned_cache import ViewCache


class Pages:
    """A probe the test drives: the threads it says run pages, and how often it was asked."""

    def __init__(self) -> None:
        self.running: set[int] = set()
        self.asked_twice = threading.Event()
        self.calls = 0

    def __call__(self) -> set[int]:
        self.calls += 1
        if self.calls >= 2:
            self.asked_twice.set()
        return set(self.running)


@pytest.fixture
def pages(monkeypatch: pytest.MonkeyPatch) -> Iterator[Pages]:
    probe = Pages()
    activity.set_probe(probe)
    yield probe
    activity.set_probe(None)


def _in_background(work, order: list[str]) -> threading.Thread:
    def run() -> None:
        with activity.background():
            work()
        order.append("background went on")

    thread = threading.Thread(target=run, daemon=True)  # a hung one must not hang pytest
    thread.start()
    return thread


def _joined(thread: threading.Thread) -> None:
    thread.join(60)
    assert not thread.is_alive(), "the background thread is still waiting"


def test_background_work_waits_until_the_page_is_done(pages, monkeypatch):
    monkeypatch.setattr(activity, "MAX_WAIT", 120.0)  # only the page's end lets it go on
    pages.running = {12345}
    order: list[str] = []
    thread = _in_background(activity.give_way, order)
    assert pages.asked_twice.wait(30)  # it looked, found the page running, and looked again
    assert thread.is_alive() and order == []
    order.append("page done")
    pages.running = set()
    _joined(thread)
    assert order == ["page done", "background went on"]


def test_a_page_never_waits_for_other_pages(pages):
    """Outside background work (a page that builds something itself) nothing waits."""
    pages.running = {12345}
    assert activity.give_way() == 0.0
    assert pages.calls == 0


def test_the_wait_is_bounded_and_work_runs_between_two_waits(pages, monkeypatch):
    monkeypatch.setattr(activity, "MAX_WAIT", 0.01)
    monkeypatch.setattr(activity, "MIN_RUN", 120.0)
    pages.running = {12345}  # a page that never ends: a steady stream of visitors
    waited: list[float] = []

    def work() -> None:
        waited.append(activity.give_way())
        calls = pages.calls
        waited.append(activity.give_way())  # within MIN_RUN of the wait: goes on at once
        waited.append(float(pages.calls - calls))

    order: list[str] = []
    _joined(_in_background(work, order))
    assert order == ["background went on"]
    assert waited[0] > 0.0 and waited[1:] == [0.0, 0.0]


def test_a_page_waiting_for_the_background_is_not_waited_for(pages, monkeypatch):
    monkeypatch.setattr(activity, "MAX_WAIT", 120.0)
    inside, release = threading.Event(), threading.Event()

    def page() -> None:
        pages.running.add(threading.get_ident())
        with activity.waiting_for_background():
            inside.set()
            release.wait(30)
        pages.running.discard(threading.get_ident())

    waiting_page = threading.Thread(target=page, daemon=True)
    waiting_page.start()
    assert inside.wait(30)
    order: list[str] = []
    result: list[float] = []
    _joined(_in_background(lambda: result.append(activity.give_way()), order))
    release.set()
    _joined(waiting_page)
    assert order == ["background went on"] and result == [0.0]


def test_a_page_kept_out_of_a_lock_the_background_holds_is_not_waited_for(pages, monkeypatch):
    """The warm-up builds what a page needs under a cache's lock: the page, blocked on that
    lock, must not make the warm-up wait for it (each would wait for the other)."""
    monkeypatch.setattr(activity, "MAX_WAIT", 120.0)
    lock = threading.Lock()
    held, blocked, got_in = threading.Event(), threading.Event(), threading.Event()
    result: list[float] = []

    def warm_up() -> None:
        with lock:
            held.set()
            assert blocked.wait(30)
            result.append(activity.give_way())

    def page() -> None:
        pages.running.add(threading.get_ident())
        assert held.wait(30)
        blocked.set()  # just before it blocks: the warm-up may look a moment early, and wait
        with activity.holding(lock):
            got_in.set()
        pages.running.discard(threading.get_ident())

    waiting_page = threading.Thread(target=page, daemon=True)
    waiting_page.start()
    order: list[str] = []
    _joined(_in_background(warm_up, order))
    _joined(waiting_page)
    assert got_in.is_set() and order == ["background went on"]
    assert lock.acquire(blocking=False)  # released by both


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_page_waiting_for_the_warm_ups_build_of_a_view_is_not_waited_for(
    pages, monkeypatch, empty_engine
):
    """The real wiring: the warm-up builds a page's view (its build giving way, as the corpus'
    does); the page asks for the same view meanwhile and waits for that build, marked."""
    monkeypatch.setattr(activity, "MAX_WAIT", 120.0)
    building = threading.Event()

    def build(session, number: int) -> int:
        if threading.current_thread().name == "warm-up":
            building.set()
            activity.give_way()  # returns once the page waits for this build, marked
        return number * 2

    cache: ViewCache[int] = ViewCache(build)
    seen: list[int] = []

    def page() -> None:
        pages.running.add(threading.get_ident())
        assert building.wait(30)
        with read_session(empty_engine) as session:
            seen.append(cache.get(session, 21))
        pages.running.discard(threading.get_ident())

    def warm_up() -> None:
        with activity.background(), read_session(empty_engine) as session:
            seen.append(cache.get(session, 21))

    visitor = threading.Thread(target=page, daemon=True)
    visitor.start()
    background = threading.Thread(target=warm_up, name="warm-up", daemon=True)
    background.start()
    _joined(background)
    _joined(visitor)
    assert seen == [42, 42]


def test_paced_gives_way_every_so_many_items(pages, monkeypatch):
    monkeypatch.setattr(activity, "MIN_RUN", 0.0)
    seen: list[int] = []

    def work() -> None:
        seen.extend(activity.paced(range(450), every=200))

    _joined(_in_background(work, []))
    assert seen == list(range(450))
    assert pages.calls == 3  # before items 0, 200 and 400


def _script() -> None:
    import threading

    import streamlit as st

    from forumdash.ui.frame import pages_running

    st.write(f"running: {threading.get_ident() in pages_running()}")


def test_the_ui_probe_sees_the_thread_running_a_page():
    """Streamlit's own script thread (its name is what the probe looks for) is found."""
    at = AppTest.from_function(_script, default_timeout=30).run()
    assert [m.value for m in at.markdown] == ["running: True"]
