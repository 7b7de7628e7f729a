"""Reliability under load and failure, on SQLite and PostgreSQL: many concurrent submissions
while readers run facet queries; a writer process killed mid-write."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from forumdash import repository
from forumdash.db import read_session, write_session
from forumdash.filters import PracticeFilters
from tests.support.writer import practice_in

ROOT = Path(__file__).resolve().parents[2]
WRITER = ROOT / "tests" / "support" / "writer.py"

# 50 writers at once is the point (each waits for the lock behind the others); 6 submissions
# each (300 in all) keep every writer contending for most of the run. 20 each (1,000) cost the
# suite 48 s on PostgreSQL and 24 s on SQLite with nothing more asserted.
WRITERS, SUBMISSIONS, READERS = 50, 6, 4

VIEWS = [
    PracticeFilters(),
    PracticeFilters(themes=("open-data",), stages=("implementing",)),
    PracticeFilters(q="portal"),
    PracticeFilters(countries=("MK", "RS"), q="open budgets", sort="newest"),
]


def scalar(engine, sql: str, **params) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text(sql), params).scalar_one()


def practices_like(engine, prefix: str) -> int:
    return scalar(engine, "SELECT count(*) FROM practice WHERE slug LIKE :p", p=f"{prefix}-%")


def create_revisions_like(engine, prefix: str) -> int:
    return scalar(
        engine,
        "SELECT count(*) FROM revision r JOIN practice p ON p.id = r.record_id "
        "WHERE r.record_type = 'practice' AND r.action = 'create' AND p.slug LIKE :p",
        p=f"{prefix}-%",
    )


def assert_intact(engine, prefix: str) -> None:
    """SQLite's own checks pass; no practice lacks its themes, its search terms or its one
    create revision; the test's practices (slug prefix) have all their links: 2 themes, 2
    values, 1 outcome area."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        # Every practice keeps its search terms (written in the same transaction as the row).
        partial = conn.exec_driver_sql(
            "SELECT p.slug FROM practice p WHERE "
            "NOT EXISTS (SELECT 1 FROM practice_theme t WHERE t.practice_id = p.id) OR "
            "NOT EXISTS (SELECT 1 FROM practice_search_term s WHERE s.practice_id = p.id) OR "
            "(SELECT count(*) FROM revision r WHERE r.record_type = 'practice' "
            " AND r.action = 'create' AND r.record_id = p.id) <> 1"
        ).all()
        links = conn.execute(
            sa.text(
                "SELECT p.slug, "
                "(SELECT count(*) FROM practice_theme t WHERE t.practice_id = p.id), "
                "(SELECT count(*) FROM practice_value v WHERE v.practice_id = p.id), "
                "(SELECT count(*) FROM practice_outcome o WHERE o.practice_id = p.id) "
                "FROM practice p WHERE p.slug LIKE :p"
            ),
            {"p": f"{prefix}-%"},
        ).all()
    assert partial == []
    assert links and {tuple(row[1:]) for row in links} == {(2, 2, 1)}


# --------------------------------------------------------------------------- load


def test_concurrent_submissions_while_readers_query_facets(seeded_engine):
    """50 threads x 6 submissions while 4 readers query facets and search: exactly 300 new
    records, no errors."""
    engine = seeded_engine
    practices_before = scalar(engine, "SELECT count(*) FROM practice")
    errors: list[BaseException] = []
    reads = [0] * READERS
    waits: list[float] = []  # how long each submission took, waiting for the lock included
    writers_done = threading.Event()
    start = threading.Barrier(WRITERS + READERS)

    def write(worker: int) -> None:
        start.wait()
        for n in range(SUBMISSIONS):
            began = time.monotonic()
            try:
                with write_session(engine) as session:
                    repository.create_practice(
                        session=session, practice_in=practice_in(f"load-{worker}-{n}", n)
                    )
            except Exception as exc:  # noqa: BLE001 - every failure is collected and asserted
                errors.append(exc)
            waits.append(time.monotonic() - began)

    def read(reader: int) -> None:
        start.wait()
        while not writers_done.is_set():
            view = VIEWS[reads[reader] % len(VIEWS)]
            try:
                with read_session(engine) as session:
                    counts = repository.facet_counts(session=session, filters=view)
                    total, rows = repository.search_practices(session=session, filters=view)
                assert counts and total >= len(rows)
            except Exception as exc:  # noqa: BLE001
                errors.append(exc)
            reads[reader] += 1
            time.sleep(0.02)  # a page view now and then, not a busy loop hogging the GIL

    writers = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
    readers = [threading.Thread(target=read, args=(r,)) for r in range(READERS)]
    began = time.monotonic()
    for thread in writers + readers:
        thread.start()
    for thread in writers:
        thread.join()
    writers_done.set()
    for thread in readers:
        thread.join()
    elapsed = time.monotonic() - began

    longest = max(waits)
    assert errors == [], f"{len(errors)} errors (longest write {longest:.1f} s): {errors[0]!r}"
    assert practices_like(engine, "load") == WRITERS * SUBMISSIONS
    assert create_revisions_like(engine, "load") == WRITERS * SUBMISSIONS
    total = scalar(engine, "SELECT count(*) FROM practice")
    assert total == practices_before + WRITERS * SUBMISSIONS
    assert all(reads), reads  # every reader ran while the writers did
    assert_intact(engine, "load")
    print(
        f"{engine.dialect.name}: {elapsed:.1f} s, longest submission {longest:.1f} s, reads {reads}"
    )


# --------------------------------------------------------------------------- killed writer


def _start_writer(url: str, prefix: str) -> subprocess.Popen:
    env = {**os.environ, "FORUMDASH_DATABASE_URL": url, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, str(WRITER), "--prefix", prefix],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )


def _kill_after(process: subprocess.Popen, commits: int) -> list[str]:
    """Read the writer's lines until `commits` commits, SIGKILL it mid-loop, and return every
    line it printed (those still in the pipe too)."""
    watchdog = threading.Timer(60, process.kill)  # never hang the test run
    watchdog.start()
    try:
        lines = []
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if sum(item.startswith("committed ") for item in lines) >= commits:
                break
        os.kill(process.pid, signal.SIGKILL)
        lines.extend(process.stdout.read().splitlines(keepends=True))
        process.wait()
    finally:
        watchdog.cancel()
    assert process.returncode == -signal.SIGKILL, process.stderr.read() if process.stderr else ""
    process.stderr.close()
    process.stdout.close()
    return [line for line in lines if line.startswith("committed ")]


@pytest.mark.parametrize("commits", [20, 1, 7])
def test_a_killed_writer_leaves_an_intact_database(seeded_engine, commits):
    """SIGKILL during a loop of writes: the database is intact, every printed commit is there,
    at most one more (killed between commit and print), and no partial record."""
    url = seeded_engine.url.render_as_string(hide_password=False)
    prefix = f"killed{commits}"
    committed = _kill_after(_start_writer(url, prefix), commits)

    assert len(committed) >= commits
    found = practices_like(seeded_engine, prefix)
    assert len(committed) <= found <= len(committed) + 1
    assert create_revisions_like(seeded_engine, prefix) == found
    printed_ids = {int(line.split()[2]) for line in committed}
    with seeded_engine.connect() as conn:
        ids = set(
            conn.execute(
                sa.text("SELECT id FROM practice WHERE slug LIKE :p"), {"p": f"{prefix}-%"}
            ).scalars()
        )
    assert printed_ids <= ids
    assert_intact(seeded_engine, prefix)
    # The database goes on working: a new writer commits after the killed one.
    with write_session(seeded_engine) as session:
        repository.create_practice(session=session, practice_in=practice_in(f"{prefix}-after"))
    assert practices_like(seeded_engine, prefix) == found + 1
