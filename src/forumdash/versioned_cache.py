"""Values derived from the database (the facet index, the matching corpus), kept in memory per
database and brought up to date when its data version moves.

Triggers raise `data_version.version` on every change to practices, their themes and values,
whoever writes (the app, an import, a script), so a cached value keyed on it is never stale.
One lock per cache: the first request after a change brings the value up to date once, the
others wait for it rather than doing it too. When the cache has an `update` function, that
request applies only what changed since the cached value (`update(session, key, old)`), and
builds from scratch only when `update` says it cannot (returns None). Either way the new value
is a new object swapped in whole: a reader holding the old one is never disturbed.
"""

import datetime as dt
import threading
from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

from sqlmodel import Session

from forumdash.models import DataVersion

Key = tuple[str, int]
T = TypeVar("T")
# (id, updated_at, published_at) of a published practice, as the database driver returns them.
Stamp = tuple[int, Any, Any]

# Past this share of the practices changed, a full rebuild is as quick as applying the changes.
MAX_CHANGED_SHARE = 0.1
MIN_CHANGES_ALLOWED = 50


def data_version(session: Session) -> Key:
    """The database's (instance, version): it moves on every change to practices."""
    row = session.get(DataVersion, 1)
    return (row.instance, row.version) if row else ("", -1)


def published_stamps(session: Session) -> frozenset[Stamp]:
    """When each published practice last changed: every write through the product (create,
    edit, publish, reject, import) moves its updated_at, so a practice whose stamp differs from
    a cached one, or that is new or gone, is exactly what changed."""
    driver = session.connection().connection.driver_connection
    assert driver is not None  # a connection in use always holds its DBAPI connection
    cursor = driver.cursor()
    try:
        cursor.execute(
            "SELECT id, updated_at, published_at FROM practice WHERE workflow = 'published'"
        )
        return frozenset((int(r[0]), _plain(r[1]), _plain(r[2])) for r in cursor.fetchall())
    finally:
        cursor.close()


def _plain(value: Any) -> Any:
    # PostgreSQL's driver returns aware datetimes, SQLite's text: either compares as itself.
    return value.isoformat() if isinstance(value, dt.datetime) else value


def changes(before: frozenset[Stamp], now: frozenset[Stamp]) -> tuple[set[int], set[int]]:
    """(ids new or changed, ids no longer published) between two sets of stamps."""
    changed = {stamp[0] for stamp in now - before}
    current = {stamp[0] for stamp in now}
    removed = {stamp[0] for stamp in before - now} - current
    return changed, removed


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
        url = session.get_bind().engine.url.render_as_string(hide_password=True)
        found = self._values.get(url)
        if found is not None and found[0] == key:
            return found[1]
        with self._lock:
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

    def clear(self) -> None:
        """Forget every value (the next request builds from scratch)."""
        with self._lock:
            self._values.clear()
