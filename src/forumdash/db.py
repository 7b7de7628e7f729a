"""Engine, SQLite pragmas, migrations and sessions."""

import contextlib
import contextvars
import errno
import fcntl
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.pool import ConnectionPoolEntry
from sqlmodel import Session

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# How long a request waits for a pooled connection in a burst (seconds): as long as an SQLite
# writer waits for the lock (busy_timeout below), so a burst of writers waits rather than fails;
# SQLAlchemy's 30 s failed 50 concurrent writers on a loaded 2-core machine.
POOL_TIMEOUT = 60
# The key of the PostgreSQL advisory lock that serialises migrating and seeding (any fixed 64-bit
# number no other code of this database uses; these are the bytes of "forumdsh").
SCHEMA_LOCK_KEY = 0x666F72756D647368
_holding_schema_lock: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "holding_schema_lock", default=False
)
CONNECT_TIMEOUT = 10  # seconds PostgreSQL's connect waits for a server that does not answer


class DatabaseError(Exception):
    """A database that cannot be used, with a message fit for a person."""


# SQLite's primary result codes (sqlite3 gives them as sqlite_errorcode; the low byte is the
# primary code): the database busy, locked, unreadable, unopenable or full, not a bug of ours.
_SQLITE_OUT_OF_REACH = {5, 6, 8, 10, 13, 14}  # BUSY LOCKED READONLY IOERR FULL CANTOPEN
_SQLITE_FULL = 13
# PostgreSQL's SQLSTATE classes of a server out of reach: 08 connection exception, 53
# insufficient resources (53100 disk full: "could not extend file"), 57P operator intervention
# (the server shutting down or restarting), 58 system error (I/O).
_PG_OUT_OF_REACH = ("08", "53", "57P", "58")
_PG_DISK_FULL = "53100"
_WRITE_MARK = "_forumdash_failed_write"


def _driver_error(exc: BaseException) -> BaseException:
    return getattr(exc, "orig", None) or exc


def out_of_reach(exc: BaseException) -> bool:
    """Whether an error means the database cannot be used right now (down, restarting, busy,
    full, its disk failing) rather than a fault in the statement; such errors pass by themselves.
    """
    if isinstance(exc, DatabaseError | sa.exc.TimeoutError):
        return True  # cannot reach / migrate at start; no pooled connection free in time
    if isinstance(exc, sa.exc.DBAPIError) and exc.connection_invalidated:
        return True
    if not isinstance(exc, sa.exc.OperationalError | sa.exc.InterfaceError | sqlite3.Error):
        # Of other errors only a full disk (the database's, or the one an upload spools to):
        # a missing file or a refused connection elsewhere in a page is a bug to see, not a
        # message that reloads the page for ever while the database answers (the database's
        # own folder is a DatabaseError: make_engine).
        return isinstance(exc, OSError) and exc.errno == errno.ENOSPC
    orig = _driver_error(exc)
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in _SQLITE_OUT_OF_REACH
    sqlstate = getattr(orig, "sqlstate", None)
    if isinstance(sqlstate, str):
        return sqlstate.startswith(_PG_OUT_OF_REACH)
    # No code: the driver failed before the server answered (refused, closed, timed out).
    return isinstance(exc, sa.exc.OperationalError | sa.exc.InterfaceError)


def disk_full(exc: BaseException) -> bool:
    """Whether an error says the database's disk (or its size limit) is full."""
    orig = _driver_error(exc)
    if getattr(orig, "sqlite_errorcode", None) == _SQLITE_FULL:
        return True
    if getattr(orig, "sqlstate", None) == _PG_DISK_FULL:
        return True
    return isinstance(orig, OSError) and orig.errno == errno.ENOSPC


def busy(exc: BaseException) -> bool:
    """Whether the error is the process's own pool having no connection free in time: the
    database answers, this server is overloaded (out_of_reach is true of it too)."""
    return isinstance(exc, sa.exc.TimeoutError)


def failed_write(exc: BaseException) -> bool:
    """Whether the error ended a write_session (so nothing of that write was saved)."""
    return bool(getattr(exc, _WRITE_MARK, False))


def reachable(engine: Engine) -> bool:
    """Whether the database answers a query now (a fresh pooled connection if need be)."""
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except sa.exc.SQLAlchemyError as exc:
        if out_of_reach(exc):
            return False
        raise
    return True


def make_engine(url: str) -> Engine:
    """An engine for an SQLite or PostgreSQL URL, configured for concurrent use."""
    try:
        parsed = make_url(url)
    except sa.exc.ArgumentError as exc:
        raise DatabaseError(f"FORUMDASH_DATABASE_URL is not a database URL: {url!r}") from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            try:
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseError(f"cannot make the database's folder: {exc}") from exc
        engine = sa.create_engine(
            parsed,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_pre_ping=True,
            pool_timeout=POOL_TIMEOUT,
        )
        _configure_sqlite(engine)
        return engine
    if backend == "postgresql":
        if parsed.get_driver_name() != "psycopg":
            parsed = parsed.set(drivername="postgresql+psycopg")
        try:
            return sa.create_engine(
                parsed,
                # A restarted server's pooled connections are dead: pinged and replaced.
                pool_pre_ping=True,
                # A server that does not answer is out of reach after this long, not forever.
                connect_args={}
                if "connect_timeout" in parsed.query
                else {"connect_timeout": CONNECT_TIMEOUT},
                pool_size=10,
                max_overflow=20,
                pool_timeout=POOL_TIMEOUT,
            )
        except ModuleNotFoundError as exc:
            raise DatabaseError(f"PostgreSQL driver missing: {exc}") from exc
    raise DatabaseError(
        f"unsupported database {backend!r}: use sqlite:/// or postgresql+psycopg://"
    )


def _configure_sqlite(engine: Engine) -> None:
    """WAL, a busy timeout, foreign keys, and BEGIN IMMEDIATE for write transactions."""

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
        # We emit BEGIN ourselves, so that writers can take the write lock up front.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # Generous: under many writers SQLite's lock waits are unfair, and one writer can wait
        # far longer than the rest (seen: 10-12 s with 50 writers and busy readers).
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        writing = conn.get_execution_options().get("forumdash_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


@contextlib.contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A session for reading; nothing it does is committed."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


@contextlib.contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A session whose transaction takes the write lock at once and commits on success."""
    try:
        with (
            Session(
                engine.execution_options(forumdash_write=True), expire_on_commit=False
            ) as session,
            session.begin(),
        ):
            yield session
    except sa.exc.SQLAlchemyError as exc:
        # Rolled back whole; the mark lets the page say that nothing of it was saved.
        if out_of_reach(exc):
            setattr(exc, _WRITE_MARK, True)
        raise


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


@contextlib.contextmanager
def schema_lock(engine: Engine) -> Iterator[None]:
    """Hold the database's schema lock: one process at a time migrates or seeds it.

    Several app processes started at once on one empty PostgreSQL database otherwise all run the
    first migration, and all but one fail (CREATE TABLE alembic_version: duplicate key). On
    PostgreSQL this is a session advisory lock, released when the block ends or the connection
    dies; the others wait, then find the schema current and do nothing. On SQLite it is a lock
    on a file beside the database (_sqlite_schema_lock). Re-entrant within a thread (init_database
    holds it around migrate, which takes it too)."""
    if _holding_schema_lock.get():
        yield
        return
    if engine.dialect.name == "sqlite":
        with _sqlite_schema_lock(engine):
            yield
        return
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.select(sa.func.pg_advisory_lock(SCHEMA_LOCK_KEY)))
        held = _holding_schema_lock.set(True)
        try:
            yield
        finally:
            _holding_schema_lock.reset(held)
            conn.execute(sa.select(sa.func.pg_advisory_unlock(SCHEMA_LOCK_KEY)))


@contextlib.contextmanager
def _sqlite_schema_lock(engine: Engine) -> Iterator[None]:
    """An exclusive lock on a file beside an SQLite database (`FILE-schema-lock`), held while
    one process migrates and seeds it. The write transaction alone did not serialise two
    processes migrating one new file (a migration's statements end the transaction on SQLite:
    the second process ran 0014 again and failed on "table mail_state already exists")."""
    database = engine.url.database or ""
    if not database or database == ":memory:" or database.startswith("file:"):
        yield
        return
    with open(f"{database}-schema-lock", "a+b") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)  # released when the file is closed
        held = _holding_schema_lock.set(True)
        try:
            yield
        finally:
            _holding_schema_lock.reset(held)


def migrate(engine: Engine) -> None:
    """Bring the database to the latest schema (one process at a time: schema_lock)."""
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except sa.exc.OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseError(f"cannot reach the database: {reason}") from exc
    with schema_lock(engine):
        # A write transaction (BEGIN IMMEDIATE on SQLite): a second process waits for the first
        # one's migrations and then reads the version they left, instead of failing with
        # "database is locked" when its read transaction tries to write.
        command.upgrade(alembic_config(engine.execution_options(forumdash_write=True)), "head")
