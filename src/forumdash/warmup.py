"""What is slow to build at 100,000 practices (the facet index, the matching corpus, the pages'
cached views), built in a background thread from the moment the app opens its database, and
brought up to date there soon after every write, whoever wrote: never on a visitor's request.
A write that moves only the records version (a challenge, a match, a commitment) rebuilds the
pages' views alone.

A visitor who arrives before the first build is done gets the page without the part that needs
it (forumdash.matchmaking.ready: "matches are being prepared") rather than a wait; after a
write, the thread notices the data version move within `POLL_SECONDS` and applies the change
(incrementally, forumdash.versioned_cache), so the next visitor finds it done.
"""

import logging
import threading
import time

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from forumdash import activity, facet_index, matchmaking
from forumdash.db import read_session
from forumdash.versioned_cache import (
    Key,
    RecordsKey,
    data_version,
    records_version,
    refresh_views,
    set_warming,
)

LOG = logging.getLogger("forumdash")
POLL_SECONDS = 1.0
# A database that stays out of reach this many polls in a row (deleted, a test's file) ends the
# thread; the next engine made for its URL starts another.
MAX_FAILURES = 30

_started: dict[str, threading.Thread] = {}
_stopping: set[str] = set()
_lock = threading.Lock()
_warm: dict[str, Key] = {}
_views: dict[str, RecordsKey] = {}  # the records version the views were last refreshed at


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def start(engine: Engine) -> None:
    """Start the warm-up thread of this engine's database, once per process and database."""
    url = _url(engine)
    with _lock:
        running = _started.get(url)
        if running is not None and running.is_alive():
            return
        thread = threading.Thread(
            target=_run, args=(engine, url), name=f"forumdash-warmup {url}", daemon=True
        )
        _started[url] = thread
        set_warming(url, True)
    thread.start()


def stop(engine: Engine) -> None:
    """End this database's warm-up thread (a test's database about to go); waits for it."""
    url = _url(engine)
    with _lock:
        thread = _started.get(url)
        _stopping.add(url)
    if thread is not None:
        thread.join()
    with _lock:
        _stopping.discard(url)
        _warm.pop(url, None)
        _views.pop(url, None)


def warmed(engine: Engine) -> Key | None:
    """The data version the warm-up last brought every cache to, or None before the first."""
    return _warm.get(_url(engine))


def warm_views(engine: Engine) -> None:
    """What the first pages read (the facet index, the pages' views): seconds at 100,000
    practices, done before the server listens (forumdash.ui.serve); the matching corpus,
    minutes at that size, is left to the thread."""
    with read_session(engine) as session:
        facet_index.get(session)
        refresh_views(session)


def warm_once(engine: Engine) -> Key:
    """Build (or bring up to date) every slow cache of this database; its data version."""
    with read_session(engine) as session:
        key = data_version(session)
        facet_index.get(session)
        # The pages' views visitors used last (and the overview) before the matching corpus:
        # at 100,000 practices the corpus takes minutes, the views seconds.
        refresh_views(session)
        matchmaking.warm(session)
    return key


def _run(engine: Engine, url: str) -> None:
    with activity.background():  # its long loops give way to visitors' pages
        _poll(engine, url)
    with _lock:
        if _started.get(url) is threading.current_thread():
            del _started[url]
            set_warming(url, False)


def _poll(engine: Engine, url: str) -> None:
    failures = 0
    while failures < MAX_FAILURES and url not in _stopping:
        try:
            with read_session(engine) as session:
                records = records_version(session)
            if _warm.get(url) != records[:2]:
                started = time.perf_counter()
                _warm[url] = warm_once(engine)
                _views[url] = records
                LOG.info("warm-up of %s: %.1f s", url, time.perf_counter() - started)
            elif _views.get(url) != records:
                # Only challenges, matches, commitments and the like changed: the pages' views
                # show them (the overview's open challenges), the practice caches do not.
                with read_session(engine) as session:
                    refresh_views(session)
                _views[url] = records
            failures = 0
        except SQLAlchemyError:
            failures += 1
            LOG.log(logging.WARNING, "warm-up: database out of reach", exc_info=True)
        except Exception:  # a warm-up that fails must not end the thread: pages build then
            failures += 1
            LOG.log(logging.ERROR, "warm-up failed", exc_info=True)
        time.sleep(POLL_SECONDS)
