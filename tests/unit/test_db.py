"""SQLite settings and concurrent writers."""

import threading

import sqlalchemy as sa

from forumdash.db import DatabaseError, make_engine, migrate, write_session


def test_sqlite_pragmas(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_concurrent_read_then_insert_all_commit(tmp_path):
    """32 threads x 10 read-then-insert transactions: with BEGIN IMMEDIATE none is lost."""
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE counter (n INTEGER)")
    errors: list[Exception] = []

    def work() -> None:
        for _ in range(10):
            try:
                with write_session(engine) as session:
                    current = session.execute(sa.text("SELECT count(*) FROM counter")).scalar()
                    session.execute(sa.text("INSERT INTO counter VALUES (:n)"), {"n": current})
            except Exception as exc:  # noqa: BLE001 - every failure is collected and asserted
                errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(32)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM counter").scalar() == 320
        # Each insert saw all the ones before it: the counts are 0..319 without a repeat.
        assert conn.exec_driver_sql("SELECT count(DISTINCT n) FROM counter").scalar() == 320


def test_bad_url_is_a_clear_error():
    try:
        make_engine("not a url")
    except DatabaseError as exc:
        assert "not a database URL" in str(exc)
    else:
        raise AssertionError("expected DatabaseError")


def test_unreachable_postgres_is_a_clear_error():
    engine = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    try:
        migrate(engine)
    except DatabaseError as exc:
        assert "cannot reach the database" in str(exc)
    else:
        raise AssertionError("expected DatabaseError")
