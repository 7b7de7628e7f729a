"""Backups of a live database, and restoring one into an empty database.

Two formats:

- ``sqlite``: on SQLite, a copy of the database file made with SQLite's online backup API in one
  step, which reads one consistent snapshot however much the app writes meanwhile (a plain file
  copy of a WAL database is not safe). Written beside the target, checked, then renamed over it.
- ``portable``: a gzip'd JSON Lines file that either database can restore: a header line
  ``{format, version, schema_revision, created_at, source, tables: [{name, columns, rows}]}``, one
  line ``{"t": table, "v": [values in column order]}`` per row, in foreign-key order, and an end
  line ``{"end": true, "rows": N}``. Every row is read inside one snapshot transaction (REPEATABLE
  READ on PostgreSQL, a single read transaction on SQLite), so no record is caught half-written.
  Enums are written as their stored values, dates as ISO dates, timestamps as ISO timestamps in
  UTC, JSON columns as their stored JSON text (null only for SQL NULL, which differs from a JSON
  null): a restore gives the same values back, on either database.

Restoring migrates the target to the latest schema, refuses unless it holds no product record,
and copies every row in one write transaction (foreign-key order; PostgreSQL sequences are moved
past the restored ids); the search terms are a table like the others. ``data_version`` is not
copied: the target keeps its own row, which the triggers raise, so caches reload.
"""

import contextlib
import datetime as dt
import enum
import fcntl
import gzip
import json
import os
import re
import secrets
import sqlite3
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

from forumdash import models  # noqa: F401 - registers every table in SQLModel.metadata
from forumdash.db import (
    DatabaseError,
    current_revision,
    head_revision,
    is_sqlite,
    migrate,
)

SQLITE_FORMAT = "sqlite"
PORTABLE_FORMAT = "portable"
PORTABLE_MAGIC = "forumdash-portable"  # the header's "format"
PORTABLE_VERSION = 1
SKIPPED_TABLES = frozenset({"data_version"})  # the target keeps its own (caches key on it)

_SQLITE_HEADER = b"SQLite format 3\x00"
_GZIP_HEADER = b"\x1f\x8b"
_BATCH = 1000


class BackupError(DatabaseError):
    """A backup or restore that cannot be done, with a message fit for a person."""


def product_tables() -> list[sa.Table]:
    """The tables a backup holds, parents before children (alembic_version, data_version out)."""
    return [t for t in SQLModel.metadata.sorted_tables if t.name not in SKIPPED_TABLES]


def _counts_text(counts: dict[str, int]) -> str:
    parts = [f"{n} {name}" for name, n in counts.items() if n]
    return ", ".join(parts) or "no rows"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    format: str  # SQLITE_FORMAT or PORTABLE_FORMAT
    revision: str
    counts: dict[str, int]  # table -> rows
    bytes: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def summary(self) -> str:
        return (
            f"backed up {self.total} rows to {self.path} ({self.format}, schema {self.revision}, "
            f"{self.bytes} bytes): {_counts_text(self.counts)}"
        )


@dataclass(frozen=True)
class RestoreInfo:
    path: Path
    format: str
    revision: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def summary(self) -> str:
        return (
            f"restored {self.total} rows from {self.path} ({self.format}, schema "
            f"{self.revision}): {_counts_text(self.counts)}"
        )


# --------------------------------------------------------------------------- files


def _check_writable(path: Path) -> None:
    if path.is_dir():
        raise BackupError(f"cannot write {path}: it is a folder")
    if not path.parent.is_dir():
        raise BackupError(f"cannot write {path}: there is no folder {path.parent}")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# The temporary file a backup writes beside its target: ".<target>.<12 hex>.tmp", and the
# journal SQLite keeps beside it while copying. A killed backup leaves them behind; the next
# backup into the folder removes them (remove_stale_temporaries).
_TEMPORARY = re.compile(r"^\.(?P<target>.+)\.[0-9a-f]{12}\.tmp(?P<journal>-journal)?$")


@contextlib.contextmanager
def _written_atomically(path: Path) -> Iterator[Path]:
    """A temporary path beside `path` to write; renamed over `path` if the block succeeds,
    deleted if it fails, so that `path` is never a half-written backup. The temporary file is
    locked (flock) while it is written: a lock that dies with the process, so that a file
    nobody holds is known to be a killed backup's."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    # 0o666 less the umask, like a file made by open(); O_EXCL never follows a planted link.
    held = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)
        yield temporary
        _fsync(temporary)
        os.replace(temporary, path)
    except BaseException:
        for leftover in (temporary, Path(f"{temporary}-journal")):
            leftover.unlink(missing_ok=True)
        raise
    finally:
        os.close(held)


def remove_stale_temporaries(folder: Path, *, older_than: float) -> list[Path]:
    """Delete the temporary files that killed backups left in `folder` (the removed paths):
    ours by their name, modified before `older_than` (a time.time()), and locked by no running
    backup. Anything else in the folder, another program's files or a running backup's, stays.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _TEMPORARY.match(entry.name)
        if match is None or not entry.is_file(follow_symlinks=False):
            continue
        owner = Path(folder, entry.name.removesuffix("-journal"))
        try:
            if entry.stat(follow_symlinks=False).st_mtime >= older_than:
                continue  # made since this backup started: maybe a backup starting now
            if not _unlocked(owner if owner.exists() else Path(entry.path)):
                continue  # a running backup's
            os.unlink(entry.path)
        except OSError:
            continue  # gone meanwhile, or not ours to delete: left alone
        removed.append(Path(entry.path))
    return removed


def _unlocked(path: Path) -> bool:
    """Whether no process holds the backup lock on `path` (checked without waiting)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # closing releases a lock taken here
    return True


def _sqlite_database_path(engine: Engine) -> Path | None:
    database = engine.url.database if is_sqlite(engine) else None
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


# --------------------------------------------------------------------------- values


def _is_aware_timestamp(column: sa.Column[Any]) -> bool:
    return isinstance(column.type, sa.DateTime) and bool(column.type.timezone)


def _to_utc(value: dt.datetime) -> dt.datetime:
    # SQLite keeps no offset; the app writes UTC (models.utcnow), so a naive value is UTC.
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _is_json(column: sa.Column[Any]) -> bool:
    return isinstance(column.type, sa.JSON)


def _readable(table: sa.Table) -> sa.Select[*tuple[Any, ...]]:
    """Every row of a table by primary key, its columns in order; JSON columns as their stored
    text, so that SQL NULL (None) and JSON null ('null') stay apart."""
    columns = [sa.cast(c, sa.Text).label(c.name) if _is_json(c) else c for c in table.columns]
    return sa.select(*columns).order_by(*table.primary_key.columns)


def _insert_statement(conn: Connection, table: sa.Table) -> sa.Insert:
    """INSERT of every column from parameters named p_<column>; JSON columns take their text."""
    values: dict[str, Any] = {}
    for column in table.columns:
        if _is_json(column):
            param: Any = sa.bindparam(f"p_{column.name}", type_=sa.Text)
            if conn.dialect.name == "postgresql":
                param = sa.cast(param, column.type)
        else:
            param = sa.bindparam(f"p_{column.name}", type_=column.type)
        values[column.name] = param
    return table.insert().values(values)


def _encoder(column: sa.Column[Any]) -> Callable[[Any], Any]:
    """Python value of the column (as _readable gives it) -> JSON value, losslessly."""
    kind = column.type
    if isinstance(kind, sa.Enum):
        return lambda value: value.value if isinstance(value, enum.Enum) else value
    if isinstance(kind, sa.DateTime):
        if kind.timezone:
            return lambda value: None if value is None else _to_utc(value).isoformat()
        return lambda value: None if value is None else value.isoformat()
    if isinstance(kind, sa.Date):
        return lambda value: None if value is None else value.isoformat()
    return lambda value: value


def _decoder(column: sa.Column[Any]) -> Callable[[Any], Any]:
    """JSON value -> the Python value to insert (the inverse of _encoder)."""
    kind = column.type
    if _is_json(column):

        def json_text(value: object) -> str | None:
            if value is not None:
                if not isinstance(value, str):
                    raise ValueError(f"{column.table.name}.{column.name} is not JSON text")
                json.loads(value)  # valid JSON, or the file is damaged
            return value

        return json_text
    if isinstance(kind, sa.Enum) and kind.enum_class is not None:
        enum_class = kind.enum_class
        return lambda value: None if value is None else enum_class(value)
    if isinstance(kind, sa.DateTime):
        aware = bool(kind.timezone)

        def timestamp(value: Any) -> dt.datetime | None:
            if value is None:
                return None
            parsed = dt.datetime.fromisoformat(value)
            return _to_utc(parsed) if aware else parsed

        return timestamp
    if isinstance(kind, sa.Date):
        return lambda value: None if value is None else dt.date.fromisoformat(value)
    return lambda value: value


def _json_default(value: Any) -> Any:
    raise TypeError(f"cannot write a {type(value).__name__} value to a portable backup")


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_json_default)


# --------------------------------------------------------------------------- backup


def backup(engine: Engine, path: str | Path, *, portable: bool = False) -> BackupInfo:
    """Write a consistent snapshot of the database to `path` (replaced whole, or left alone).

    SQLite: a copy of the database file, unless `portable`; PostgreSQL: always portable."""
    path = Path(path)
    _check_writable(path)
    remove_stale_temporaries(path.parent, older_than=time.time())
    live = _sqlite_database_path(engine)
    if live is not None and live.resolve() == path.resolve():
        raise BackupError(f"cannot write {path}: it is the database itself")
    try:
        if is_sqlite(engine) and not portable:
            return _backup_sqlite_file(engine, path)
        return _backup_portable(engine, path)
    except OSError as exc:
        raise BackupError(f"cannot write {path}: {exc.strerror or exc}") from exc


def _backup_sqlite_file(engine: Engine, path: Path) -> BackupInfo:
    if current_revision(engine) is None:
        raise BackupError("the database has no forumdash schema: nothing to back up")
    with _written_atomically(path) as temporary:
        source = engine.raw_connection()
        try:
            target = sqlite3.connect(temporary)
            try:
                # One step (pages=-1) reads the whole source in one read transaction.
                driver = source.driver_connection
                assert isinstance(driver, sqlite3.Connection)  # pysqlite, the only SQLite driver
                driver.backup(target, pages=-1)
                # A single self-contained file, not a WAL database that needs its -wal file.
                target.execute("PRAGMA journal_mode=DELETE")
                revision, counts = _sqlite_file_facts(target, path)
            finally:
                target.close()
        finally:
            source.close()
    return BackupInfo(path, SQLITE_FORMAT, revision, counts, path.stat().st_size)


def _sqlite_file_facts(conn: sqlite3.Connection, path: Path) -> tuple[str, dict[str, int]]:
    """The schema revision and row counts of a database file (checked for damage first)."""
    check = conn.execute("PRAGMA quick_check").fetchone()[0]
    if check != "ok":
        raise BackupError(f"{path} is damaged: {check}")
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "alembic_version" not in names:
        raise BackupError(f"{path} is not a forumdash backup: it has no schema revision")
    revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    if revision is None:
        raise BackupError(f"{path} is not a forumdash backup: it has no schema revision")
    counts = {
        table.name: conn.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()[0]  # noqa: S608
        for table in product_tables()
        if table.name in names
    }
    return revision[0], counts


@contextlib.contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection inside one read-only transaction that sees one moment of the database."""
    if is_sqlite(engine):
        # db.make_engine emits a plain BEGIN: in WAL mode the snapshot holds from the first
        # read to the end of the transaction, while writers go on.
        with engine.connect() as conn, conn.begin():
            yield conn
    else:
        with (
            engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn,
            conn.begin(),
        ):
            conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield conn


def _backup_portable(engine: Engine, path: Path) -> BackupInfo:
    tables = product_tables()
    head = head_revision()
    with _snapshot(engine) as conn:
        try:
            revision = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        except sa.exc.DBAPIError as exc:
            raise BackupError("the database has no forumdash schema: nothing to back up") from exc
        if revision is None or revision != head:
            raise BackupError(
                f"the database is at schema revision {revision}, not {head}: "
                "run `python -m forumdash init` to migrate it first"
            )
        counts = {
            table.name: conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            for table in tables
        }
        header = {
            "format": PORTABLE_MAGIC,
            "version": PORTABLE_VERSION,
            "schema_revision": revision,
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "source": engine.dialect.name,
            "tables": [
                {"name": t.name, "columns": [c.name for c in t.columns], "rows": counts[t.name]}
                for t in tables
            ],
        }
        with _written_atomically(path) as temporary:
            with gzip.open(temporary, "wt", encoding="utf-8", compresslevel=6) as out:
                out.write(_dumps(header) + "\n")
                for table in tables:
                    encoders = [_encoder(column) for column in table.columns]
                    query = _readable(table)
                    written = 0
                    for row in conn.execute(query, execution_options={"yield_per": _BATCH}):
                        values = [
                            encode(value) for encode, value in zip(encoders, row, strict=True)
                        ]
                        out.write(_dumps({"t": table.name, "v": values}) + "\n")
                        written += 1
                    if written != counts[table.name]:  # impossible inside one snapshot
                        raise BackupError(f"{table.name} changed while it was read")
                out.write(_dumps({"end": True, "rows": sum(counts.values())}) + "\n")
    return BackupInfo(path, PORTABLE_FORMAT, revision, counts, path.stat().st_size)


# --------------------------------------------------------------------------- restore sources

Rows = list[dict[str, Any]]


class _Source:
    format: str
    revision: str
    path: Path

    def batches(self) -> Iterator[tuple[sa.Table, Rows]]:
        raise NotImplementedError

    def close(self) -> None:
        pass


def _damaged(path: Path, reason: object) -> BackupError:
    return BackupError(f"{path} is damaged or truncated: {reason}")


def _check_revision(path: Path, revision: object) -> str:
    head = head_revision()
    if revision != head:
        raise BackupError(
            f"{path} holds schema revision {revision}, but this forumdash needs {head}: "
            "restore it with the forumdash version that made it"
        )
    return str(revision)


class _SqliteFileSource(_Source):
    """A database file made by `backup` (or any forumdash SQLite database), opened read-only."""

    format = SQLITE_FORMAT

    def __init__(self, path: Path) -> None:
        self.path = path
        uri = f"{path.resolve().as_uri()}?mode=ro"
        self.engine = sa.create_engine(
            "sqlite://",
            creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False),
            poolclass=sa.pool.NullPool,
        )
        try:
            raw = sqlite3.connect(uri, uri=True)
            try:
                revision, _ = _sqlite_file_facts(raw, path)
                columns = {
                    table.name: {
                        row[1] for row in raw.execute(f'PRAGMA table_info("{table.name}")')
                    }
                    for table in product_tables()
                }
            finally:
                raw.close()
        except sqlite3.DatabaseError as exc:
            raise _damaged(path, exc) from exc
        self.revision = _check_revision(path, revision)
        for table in product_tables():
            missing = {c.name for c in table.columns} - columns[table.name]
            if missing:
                raise BackupError(f"{path}: table {table.name} lacks {', '.join(sorted(missing))}")

    def batches(self) -> Iterator[tuple[sa.Table, Rows]]:
        try:
            with self.engine.connect() as conn:
                for table in product_tables():
                    result = conn.execute(_readable(table), execution_options={"yield_per": _BATCH})
                    for part in result.mappings().partitions():
                        yield table, [dict(row) for row in part]
        except (sa.exc.DBAPIError, LookupError, ValueError) as exc:
            raise _damaged(self.path, getattr(exc, "orig", None) or exc) from exc

    def close(self) -> None:
        self.engine.dispose()


class _PortableSource(_Source):
    """A portable dump, read as a stream; every line is checked against the header."""

    format = PORTABLE_FORMAT

    def __init__(self, path: Path) -> None:
        self.path = path
        self.file = gzip.open(path, "rt", encoding="utf-8")
        try:
            header = self._header()
            self.revision = _check_revision(path, header.get("schema_revision"))
            tables = header.get("tables")
            expected = [(t.name, [c.name for c in t.columns]) for t in product_tables()]
            if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
                raise BackupError(f"{path} is damaged: its header has no list of tables")
            if [(t.get("name"), t.get("columns")) for t in tables] != expected:
                raise BackupError(
                    f"{path}: its tables or columns differ from schema {head_revision()}"
                )
            self.expected_rows = {t["name"]: t.get("rows") for t in tables}
        except BaseException:
            self.file.close()
            raise

    def _header(self) -> dict[str, Any]:
        not_ours = BackupError(f"{self.path} is not a forumdash backup")
        try:
            header = json.loads(self.file.readline())
        except (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError) as exc:
            raise not_ours from exc
        if not isinstance(header, dict) or header.get("format") != PORTABLE_MAGIC:
            raise not_ours
        if header.get("version") != PORTABLE_VERSION:
            raise BackupError(
                f"{self.path} is a portable backup of format version {header.get('version')}; "
                f"this forumdash reads version {PORTABLE_VERSION}"
            )
        return header

    def batches(self) -> Iterator[tuple[sa.Table, Rows]]:
        try:
            yield from self._batches()
        except (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError, TypeError) as exc:
            raise _damaged(self.path, exc) from exc

    def _batches(self) -> Iterator[tuple[sa.Table, Rows]]:
        tables = product_tables()
        position = 0  # rows come table by table, in this order
        names = [[c.name for c in t.columns] for t in tables]
        decoders = [[_decoder(c) for c in t.columns] for t in tables]
        seen = dict.fromkeys((t.name for t in tables), 0)
        batch: Rows = []
        for number, line in enumerate(self.file, start=2):
            item = json.loads(line)
            if not isinstance(item, dict):
                raise ValueError(f"line {number} is not an object")
            if item.get("end") is True:
                if batch:
                    yield tables[position], batch
                if item.get("rows") != sum(seen.values()) or seen != self.expected_rows:
                    raise ValueError("the row counts differ from the header's")
                if self.file.readline():
                    raise ValueError("there are lines after the end line")
                return
            name, values = item.get("t"), item.get("v")
            if name != tables[position].name:
                later = [t.name for t in tables[position + 1 :]]
                if name not in later:
                    raise ValueError(f"line {number}: unexpected table {name!r}")
                if batch:
                    yield tables[position], batch
                    batch = []
                position += 1 + later.index(name)
            if not isinstance(values, list) or len(values) != len(names[position]):
                raise ValueError(f"line {number}: a row of {name} with the wrong number of values")
            batch.append(
                {
                    column: decode(value)
                    for column, decode, value in zip(
                        names[position], decoders[position], values, strict=True
                    )
                }
            )
            seen[name] += 1
            if len(batch) >= _BATCH:
                yield tables[position], batch
                batch = []
        raise ValueError("the end line is missing")

    def close(self) -> None:
        self.file.close()


def _open_source(path: Path) -> _Source:
    if not path.is_file():
        raise BackupError(f"no backup file {path}")
    try:
        with path.open("rb") as handle:
            start = handle.read(len(_SQLITE_HEADER))
    except OSError as exc:
        raise BackupError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if start == _SQLITE_HEADER:
        return _SqliteFileSource(path)
    if start.startswith(_GZIP_HEADER):
        return _PortableSource(path)
    raise BackupError(
        f"{path} is not a forumdash backup (neither an SQLite database nor a portable dump)"
    )


# --------------------------------------------------------------------------- restore


def restore(engine: Engine, path: str | Path) -> RestoreInfo:
    """Copy a backup's rows into the database, which must hold no product record: all of them
    in one transaction, or none (a damaged file fails the restore and leaves nothing behind)."""
    path = Path(path)
    source = _open_source(path)  # the file is checked before the database is touched
    try:
        migrate(engine)
        with engine.execution_options(forumdash_write=True).begin() as conn:
            _lock_for_restore(conn)
            _require_empty(conn)
            counts = _copy_rows(conn, source)
            _move_sequences(conn)
    except sa.exc.OperationalError:
        raise  # the database, not the file: reported as a database error
    except sa.exc.StatementError as exc:
        # Rows that break a constraint or do not fit a column: a tampered or foreign file.
        reason = str(exc.orig or exc).strip().splitlines()[0]
        raise BackupError(f"{path}: its rows do not fit the database ({reason})") from exc
    finally:
        source.close()
    return RestoreInfo(path, source.format, source.revision, counts)


def _quoted(conn: Connection, table: sa.Table) -> str:
    return conn.dialect.identifier_preparer.format_table(table)


def _lock_for_restore(conn: Connection) -> None:
    """Keep writers out until the restore commits (SQLite: BEGIN IMMEDIATE did it already)."""
    if conn.dialect.name == "postgresql":
        names = ", ".join(_quoted(conn, t) for t in product_tables())
        conn.exec_driver_sql(f"LOCK TABLE {names} IN EXCLUSIVE MODE")


def _require_empty(conn: Connection) -> None:
    held = {}
    for table in product_tables():
        n = conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
        if n:
            held[table.name] = n
    if held:
        raise BackupError(
            f"the database is not empty (it holds {_counts_text(held)}): "
            "restore only into a new, empty database"
        )


def _copy_rows(conn: Connection, source: _Source) -> dict[str, int]:
    counts = {table.name: 0 for table in product_tables()}
    deferred: list[tuple[sa.Table, dict[str, Any], dict[str, Any]]] = []
    for table, rows in source.batches():
        # A reference to a row of the same table may point forward: set it once all are in.
        own = [
            fk.parent.name
            for fk in table.foreign_keys
            if fk.column.table is table and fk.parent.nullable
        ]
        aware = [c.name for c in table.columns if _is_aware_timestamp(c)]
        for row in rows:
            for name in aware:
                if row[name] is not None:
                    row[name] = _to_utc(row[name])
            later = {name: row[name] for name in own if row[name] is not None}
            if later:
                key = {c.name: row[c.name] for c in table.primary_key.columns}
                deferred.append((table, key, later))
                row.update(dict.fromkeys(later))
        conn.execute(
            _insert_statement(conn, table), [{f"p_{k}": v for k, v in r.items()} for r in rows]
        )
        counts[table.name] += len(rows)
    for table, key, values in deferred:
        where = [table.c[name] == value for name, value in key.items()]
        conn.execute(table.update().where(*where).values(**values))
    return counts


def _move_sequences(conn: Connection) -> None:
    """PostgreSQL: move each id sequence past the restored ids, so new rows do not collide."""
    if conn.dialect.name != "postgresql":
        return  # SQLite takes max(rowid) + 1
    for table in product_tables():
        column = table.autoincrement_column
        if column is None:
            continue
        name = _quoted(conn, table)
        id_ = conn.dialect.identifier_preparer.quote(column.name)
        conn.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), "  # noqa: S608
                f"coalesce(max({id_}), 1), max({id_}) IS NOT NULL) FROM {name}"
            ),
            {"table": name, "column": column.name},
        )
