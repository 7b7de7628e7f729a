"""Values derived from the database (the facet index, the matching corpus), kept in memory per
database and rebuilt when its data version moves.

Triggers raise `data_version.version` on every change to practices, their themes and values,
whoever writes (the app, an import, a script), so a cached value keyed on it is never stale.
One lock per cache: the first request after a change builds the value once, the others wait
for it rather than building it too.
"""

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from sqlmodel import Session

from forumdash.models import DataVersion

Key = tuple[str, int]
T = TypeVar("T")


def data_version(session: Session) -> Key:
    """The database's (instance, version): it moves on every change to practices."""
    row = session.get(DataVersion, 1)
    return (row.instance, row.version) if row else ("", -1)


class VersionedCache(Generic[T]):
    """One value per database URL, built by `build(session, key)` when the data version moved."""

    def __init__(self, build: Callable[[Session, Key], T]) -> None:
        self._build = build
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
                found = (key, self._build(session, key))
                self._values[url] = found
        return found[1]
