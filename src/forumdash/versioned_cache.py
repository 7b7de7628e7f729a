"""Values derived from the database (the facet index, the matching corpus), kept in memory per
database and brought up to date when its data version moves.

Triggers raise `data_version.version` on every change to practices, their themes and values,
whoever writes (the app, an import, a script), so a cached value keyed on it is never stale
(except, by choice and for seconds, a view cache made with `stale_for`: ViewCache).
One lock per cache: the first request after a change brings the value up to date once, the
others wait for it rather than doing it too. When the cache has an `update` function, that
request applies only what changed since the cached value (`update(session, key, old)`), and
builds from scratch only when `update` says it cannot (returns None). Either way the new value
is a new object swapped in whole: a reader holding the old one is never disturbed.
"""

import functools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import numpy as np
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col

from forumdash import activity
from forumdash.models import DataVersion

Key = tuple[str, int]
RecordsKey = tuple[str, int, int]
T = TypeVar("T")

# Past this share of the practices changed, a full rebuild is as quick as applying the changes.
MAX_CHANGED_SHARE = 0.1
MIN_CHANGES_ALLOWED = 50
# A view cache with `stale_for` shows the version before only past this many published
# practices (a count, not a timing, so that a loaded machine does not change what is shown; the
# matching corpus is built in a request up to the same size, matchmaking.BUILD_IN_REQUEST).
STALE_AFTER_PRACTICES = 1000


# Databases (by URL) whose slow caches a background thread keeps warm (forumdash.warmup).
_warming: set[str] = set()


@functools.lru_cache(maxsize=64)
def _rendered(url: sa.URL) -> str:
    return url.render_as_string(hide_password=True)


def _url(session: Session) -> str:
    # Rendered once per URL: a page reads its caches dozens of times a run.
    return _rendered(session.get_bind().engine.url)


def set_warming(url: str, warming: bool) -> None:
    """Record whether a warm-up thread runs for this database (forumdash.warmup)."""
    if warming:
        _warming.add(url)
    else:
        _warming.discard(url)


def warming(session: Session) -> bool:
    """Whether a warm-up thread builds this session's database's slow caches."""
    return _url(session) in _warming


def data_version(session: Session) -> Key:
    """The database's (instance, version): it moves on every change to practices. Read with
    the records version, once per transaction (records_version)."""
    instance, version, _records = records_version(session)
    return instance, version


_RECORDS_KEY = "forumdash.records_version"
# A plain row, not the ORM's get(): a page reads it on every run, and the ORM's identity map
# and instance state cost more than the read itself.
_VERSION_ROW = sa.select(
    col(DataVersion.instance), col(DataVersion.version), col(DataVersion.records)
).where(col(DataVersion.id) == 1)


def records_version(session: Session) -> RecordsKey:
    """(instance, data version, records version): moves on every change to practices, and to
    challenges, commitments, milestones, matches, countries and themes (migration 0018).
    Read once per transaction of the session (a page asks for it from each of its caches);
    forgotten when the session flushes a write or its transaction ends."""
    known: RecordsKey | None = session.info.get(_RECORDS_KEY)
    if known is None:
        row = session.connection().execute(_VERSION_ROW).first()
        known = (row[0], row[1], row[2]) if row else ("", -1, -1)
        session.info[_RECORDS_KEY] = known
    return known


def records_changed(session: Session) -> None:
    """Move the records version by hand, for a write that changes what the pages' cached views
    show in a table no trigger watches (an account's role names it in public histories)."""
    session.connection().execute(sa.text(BUMP_RECORDS))
    session.info.pop(_RECORDS_KEY, None)


BUMP_RECORDS = "UPDATE data_version SET records = records + 1 WHERE id = 1"


@event.listens_for(OrmSession, "after_flush")
def _forget_after_flush(session: OrmSession, _context: Any) -> None:
    session.info.pop(_RECORDS_KEY, None)


@event.listens_for(OrmSession, "after_transaction_end")
def _forget_after_transaction(session: OrmSession, _transaction: Any) -> None:
    session.info.pop(_RECORDS_KEY, None)


@dataclass(frozen=True)
class Snapshot:
    """What a cached value was built from: the last revision written when it was read, and the
    ids of the published practices (ascending)."""

    revision: int
    published: np.ndarray


def _published(session: Session) -> int:
    """How many practices are published (an index-only count)."""
    return int(_rows(session, "SELECT count(*) FROM practice WHERE workflow = 'published'")[0][0])


def _rows(session: Session, sql: str, params: dict[str, Any] | None = None) -> list[Any]:
    return list(session.execute(sa.text(sql), params or {}).all())


def snapshot(session: Session) -> Snapshot:
    """The current snapshot: two index-only reads (the revision table's primary key, the
    practice table's (workflow, ...) index), a few milliseconds even at 100,000 practices."""
    # The revision first: a practice written meanwhile is then taken in now and again next time.
    revision = _rows(session, "SELECT max(id) FROM revision")[0][0] or 0
    # On the driver's cursor: at 100,000 ids, SQLAlchemy's row objects cost 5 times the read.
    driver = session.connection().connection.driver_connection
    assert driver is not None  # a connection in use always holds its DBAPI connection
    cursor = driver.cursor()
    try:
        cursor.execute("SELECT id FROM practice WHERE workflow = 'published'")
        rows = cursor.fetchall()
    finally:
        cursor.close()
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    return Snapshot(int(revision), np.sort(ids))


def changes(session: Session, before: Snapshot, now: Snapshot) -> tuple[set[int], set[int]] | None:
    """(ids published and new or changed, ids no longer published) between two snapshots, or
    None when the data version moved for a reason these cannot tell (rebuild in full then).

    Every write of a practice through the product (create, edit, publish, reject, correction,
    import) records a revision after writing the practice, and the write takes the data_version
    row's lock (migration 0003's trigger) before the revision takes its id, so revisions of
    practices are numbered in the order their writes are committed: those after `before` name
    exactly the practices written since. A practice that appears in or leaves the published set
    counts too, whoever changed it. (A script that edits practice rows in SQL without a revision
    is not seen when a product write comes with it; alone, it is the case of None.)
    Saving an edit of a published practice for review writes no revision and changes nothing
    published, but moves the version: it costs a full rebuild, as every write did before.
    """
    revised = _rows(
        session,
        "SELECT DISTINCT record_id FROM revision "
        "WHERE record_type = 'practice' AND id > :after AND id <= :upto",
        {"after": before.revision, "upto": now.revision},
    )
    published = set(now.published.tolist())
    was = set(before.published.tolist())
    if not revised and published == was:
        return None
    changed = ({int(r[0]) for r in revised} & published) | (published - was)
    return changed, was - published


def too_many(changed: Iterable[int], removed: Iterable[int], size: int) -> bool:
    """Whether so much changed that building from scratch is the better way."""
    count = len(set(changed)) + len(set(removed))
    return count > max(MIN_CHANGES_ALLOWED, MAX_CHANGED_SHARE * size)


class VersionedCache(Generic[T]):
    """One value per database URL, built by `build(session, key)` when the data version moved,
    or brought up to date by `update(session, key, old)` when that gives one."""

    def __init__(
        self,
        build: Callable[[Session, Key], T],
        update: Callable[[Session, Key, T], T | None] | None = None,
    ) -> None:
        self._build = build
        self._update = update
        self._values: dict[str, tuple[Key, T]] = {}
        self._lock = threading.Lock()

    def get(self, session: Session) -> T:
        """The value for this session's database at its current data version."""
        key = data_version(session)
        url = _url(session)
        found = self._values.get(url)
        if found is not None and found[0] == key:
            return found[1]
        with activity.holding(self._lock):
            found = self._values.get(url)
            if found is None or found[0] != key:  # not built by another thread meanwhile
                value = None
                if found is not None and found[0][0] == key[0] and self._update is not None:
                    value = self._update(session, key, found[1])
                if value is None:
                    value = self._build(session, key)
                found = (key, value)
                self._values[url] = found  # one assignment: readers see old or new, whole
        return found[1]

    def ready(self, session: Session) -> bool:
        """Whether a value of this database exists (at this version, or at an older one of the
        same instance, which `get` brings up to date from the changes): `get` will not build
        from scratch."""
        found = self._values.get(_url(session))
        return found is not None and found[0][0] == data_version(session)[0]

    def clear(self) -> None:
        """Forget every value (the next request builds from scratch)."""
        with self._lock:
            self._values.clear()


class ViewCache(Generic[T]):
    """What a page shows that is the same for every visitor at a data version: one value per
    (database, records version, arguments), built by `build(session, *arguments)` on first use,
    the least recently used dropped past `max_entries`. A value is shared by every session:
    treat it as read-only. After a write, `refresh_views` (run by forumdash.warmup) builds the
    most recently used ones again ahead of the visitors.

    One build per key at a time: a request that finds a value being built (by the warm-up or
    another request) waits for it instead of building it too. A cache made with `stale_for`
    (aggregates of every published record, like the overview's) shows, past
    STALE_AFTER_PRACTICES published practices and while a warm-up thread runs, the value of the
    version before for at most `stale_for` seconds after a write, and leaves the new one to the
    warm-up: at 100,000 practices the overview took 3-5 s to build, which no visitor should
    wait for."""

    def __init__(
        self,
        build: Callable[..., T],
        max_entries: int = 256,
        warm: Iterable[tuple[Hashable, ...]] = (),
        stale_for: float = 0.0,
    ) -> None:
        self._build = build
        self._max_entries = max_entries
        self._warm = list(warm)  # arguments built by the warm-up even before anyone asked
        self._stale_for = stale_for
        self._values: OrderedDict[tuple[str, RecordsKey, tuple[Hashable, ...]], T] = OrderedDict()
        # The keys being built: the event their waiters wait on, and the building thread.
        self._building: dict[
            tuple[str, RecordsKey, tuple[Hashable, ...]], tuple[threading.Event, int]
        ] = {}
        # When a version's value was first missed and an older one shown instead.
        self._missed: dict[tuple[str, RecordsKey, tuple[Hashable, ...]], float] = {}
        self._lock = threading.Lock()
        _VIEW_CACHES.append(self)

    def get(self, session: Session, *arguments: Hashable) -> T:
        """The value for these arguments at the session's records version (or, for a cache
        with `stale_for`, for a little while after a write, the version before's)."""
        return self._get(session, arguments, stale_ok=self._stale_for > 0)

    def _stale(self, key: tuple[str, RecordsKey, tuple[Hashable, ...]]) -> T | None:
        """Under the lock: the newest older value of this key's database and arguments, if it
        may be shown now instead of building the key's."""
        url, (instance, _version, _records), arguments = key
        older = [
            k for k in self._values if k[0] == url and k[2] == arguments and k[1][0] == instance
        ]
        if not older:
            return None
        if len(self._missed) > self._max_entries:  # keys nobody asked for again
            self._missed.clear()
        missed = self._missed.setdefault(key, time.monotonic())
        if time.monotonic() - missed > self._stale_for:
            return None
        return self._values[max(older, key=lambda k: k[1])]

    def _get(self, session: Session, arguments: tuple[Hashable, ...], stale_ok: bool) -> T:
        key = (_url(session), records_version(session), arguments)
        # Read outside the lock (a query); only when the value is missing and might be shown
        # from the version before.
        large = (
            stale_ok
            and key not in self._values
            and key[0] in _warming
            and _published(session) > STALE_AFTER_PRACTICES
        )
        while True:
            with self._lock:
                if key in self._values:
                    self._values.move_to_end(key)
                    return self._values[key]
                stale = self._stale(key) if large else None
                if stale is not None:
                    return stale
                found = self._building.get(key)
                if found is None:
                    building = threading.Event()
                    self._building[key] = (building, threading.get_ident())
                    break
                own = found[1] == threading.get_ident()
            if own:
                # This thread's own build asks for its key again: build it here, outside the
                # lock (waiting would wait for itself).
                return self._build(session, *arguments)
            # Built by someone else now: wait, then read it (or build it, if that build failed).
            with activity.waiting_for_background():
                found[0].wait()
        try:
            # Built outside the lock: a slow build never holds up the readers of other keys.
            value = self._build(session, *arguments)
            with self._lock:
                self._values[key] = value
                self._values.move_to_end(key)
                self._missed.pop(key, None)
                while len(self._values) > self._max_entries:
                    self._values.popitem(last=False)
        finally:
            with self._lock:
                del self._building[key]
            building.set()
        return value

    def refresh(self, session: Session, limit: int) -> None:
        """Build, at the session's version, the `limit` most recently used values of its
        database that are of an older version, and those of the `warm` arguments."""
        url, version = _url(session), records_version(session)
        with self._lock:
            keys = list(reversed(self._values))
        current = {arguments for (u, v, arguments) in keys if u == url and v == version}
        recent: list[tuple[Hashable, ...]] = []
        for u, _v, arguments in keys:
            if u == url and arguments not in current and arguments not in recent:
                recent.append(arguments)
            if len(recent) >= limit:
                break
        for arguments in recent + [a for a in self._warm if a not in current and a not in recent]:
            self._get(session, arguments, stale_ok=False)

    def clear(self) -> None:
        """Forget every value."""
        with self._lock:
            self._values.clear()
            self._missed.clear()


_VIEW_CACHES: list[ViewCache[Any]] = []
REFRESHED_PER_CACHE = 8


def refresh_views(session: Session) -> None:
    """Every page view cache's most recently used values built again at the current version
    (after a write: the next visitors find them ready)."""
    for cache in list(_VIEW_CACHES):
        cache.refresh(session, REFRESHED_PER_CACHE)
