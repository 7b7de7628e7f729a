"""Background work that gives way to visitors' pages.

A Python process runs one thread at a time. While the warm-up thread builds the matching corpus
(minutes at 100,000 practices), a visitor's page that runs beside it gets about half of the
interpreter and takes about twice as long. The warm-up's long loops therefore call `give_way()`
every few hundred items (`paced`): while a page is running, it waits for the page to finish.

It waits `MAX_WAIT` seconds at most at one call, and after a wait it runs at least `MIN_RUN`
seconds before it waits again, so a steady stream of visitors slows the warm-up down but never
stops it: at worst it works 0.2 s in every 0.7 s, sharing even those with the pages. A page that
is itself waiting for the warm-up (`waiting_for_background`: a challenge's page waiting for the
corpus, a slowed sign-in's pause; `holding`: kept out of a lock the warm-up holds while it builds
what the page needs) is not waited for.

Which threads run pages is the UI's to say (`set_probe`, forumdash.ui.frame: Streamlit's script
threads); without a probe, and in any thread not marked `background()`, `give_way` does nothing:
a page that builds something itself never waits for other pages.
"""

import contextlib
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

MAX_WAIT = 0.5  # seconds, at one call
MIN_RUN = 0.2  # seconds of work after a wait before the next wait
EVERY = 200  # items between two calls in `paced`
_STEP = 0.005  # seconds between two looks at the pages while waiting

T = TypeVar("T")

_probe: Callable[[], set[int]] | None = None
_waiting: Counter[int] = Counter()  # threads of pages that wait for the background (nested)
_local = threading.local()


def set_probe(probe: Callable[[], set[int]] | None) -> None:
    """Say how to find the threads that run visitors' pages now (their idents)."""
    global _probe
    _probe = probe


@contextlib.contextmanager
def background() -> Iterator[None]:
    """Mark the current thread as background work: its `give_way` calls may wait."""
    _local.background = True
    _local.ran_since = float("-inf")
    try:
        yield
    finally:
        _local.background = False


@contextlib.contextmanager
def waiting_for_background() -> Iterator[None]:
    """Mark the current thread (a page) as waiting for background work: not waited for."""
    ident = threading.get_ident()
    _waiting[ident] += 1
    try:
        yield
    finally:
        _waiting[ident] -= 1
        if _waiting[ident] <= 0:
            del _waiting[ident]


@contextlib.contextmanager
def holding(lock: threading.Lock) -> Iterator[None]:
    """`with lock:`, the thread marked as waiting for the background while it is kept out (the
    warm-up may hold the lock, building what this page needs: it must not wait for the page)."""
    if not lock.acquire(blocking=False):
        with waiting_for_background():
            lock.acquire()
    try:
        yield
    finally:
        lock.release()


def _pages_running() -> bool:
    probe = _probe
    if probe is None:
        return False
    return bool(probe() - set(_waiting) - {threading.get_ident()})


def give_way() -> float:
    """In background work, wait while a visitor's page runs (bounded); the seconds waited."""
    if not getattr(_local, "background", False) or _probe is None:
        return 0.0
    started = time.monotonic()
    if started - _local.ran_since < MIN_RUN:
        return 0.0
    deadline = started + MAX_WAIT
    while _pages_running() and time.monotonic() < deadline:
        time.sleep(_STEP)
    now = time.monotonic()
    if now - started >= _STEP:
        _local.ran_since = now
        return now - started
    return 0.0


def paced(items: Iterable[T], every: int = EVERY) -> Iterator[T]:
    """The items, with a `give_way()` before every `every`-th."""
    for number, item in enumerate(items):
        if number % every == 0:
            give_way()
        yield item
