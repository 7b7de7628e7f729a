"""Faults (issue 14, item 9): a database down or full is told apart from a bug, a failed write
leaves nothing behind, bad files (nesting too deep, half a surrogate pair) are refused in words,
and the CLI answers every one of them with one line and exit status 2."""

import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import func, select

from forumdash import db, export, repository
from forumdash.cli import main
from forumdash.db import read_session, write_session
from forumdash.filters import PracticeFilters
from forumdash.importers.run import run_import
from forumdash.importers.sniff import InvalidFile
from forumdash.models import Practice
from forumdash.text import clean_text, has_lone_surrogate
from tests.conftest import ROOT, skip_or_fail
from tests.support import pgserver

# --------------------------------------------------------------------------- a full database


@contextlib.contextmanager
def sqlite_cannot_grow() -> Iterator[None]:
    """Every SQLite connection opened meanwhile refuses to grow its database by one page:
    SQLite's own "database or disk is full" (SQLITE_FULL), as a full disk gives it."""

    def cap(dbapi_conn, _record) -> None:
        if type(dbapi_conn).__module__ == "sqlite3":
            pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
            dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    sa.event.listen(sa.pool.Pool, "connect", cap)
    try:
        yield
    finally:
        sa.event.remove(sa.pool.Pool, "connect", cap)


def _practices(engine) -> int:
    with read_session(engine) as session:
        return session.exec(select(func.count()).select_from(Practice)).one()


def test_full_sqlite_database_fails_the_write_whole(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'full.db'}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE note (body TEXT)")
        conn.exec_driver_sql("INSERT INTO note VALUES ('kept')")
    engine.dispose()
    with sqlite_cannot_grow():
        with pytest.raises(sa.exc.OperationalError) as raised:
            with write_session(engine) as session:
                session.execute(sa.text("INSERT INTO note VALUES ('first of two')"))
                session.execute(sa.text("INSERT INTO note VALUES (:b)"), {"b": "x" * 200_000})
        engine.dispose()
    exc = raised.value
    assert db.disk_full(exc) and db.out_of_reach(exc) and db.failed_write(exc)
    with engine.connect() as conn:  # nothing half-written: the first insert went too
        assert conn.exec_driver_sql("SELECT body FROM note").scalars().all() == ["kept"]


def test_faults_of_a_statement_are_not_an_outage(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(sa.exc.OperationalError) as missing:
        with read_session(engine) as session:
            session.execute(sa.text("SELECT * FROM no_such_table"))
    assert not db.out_of_reach(missing.value) and not db.disk_full(missing.value)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE one (id INTEGER PRIMARY KEY)")
    with pytest.raises(sa.exc.IntegrityError) as twice:
        with write_session(engine) as session:
            session.execute(sa.text("INSERT INTO one VALUES (1), (1)"))
    assert not db.out_of_reach(twice.value) and not db.failed_write(twice.value)
    assert db.reachable(engine)


def test_unopenable_sqlite_file_is_out_of_reach(tmp_path):
    folder = tmp_path / "a-folder"
    folder.mkdir()
    engine = db.make_engine(f"sqlite:///{folder}")
    assert not db.reachable(engine)


def test_a_file_error_of_the_app_is_a_bug_not_the_database(tmp_path):
    """Only the database's own errors show "not reachable": a missing file or a refused network
    connection elsewhere in a page is a fault to see in the log, not a message that reloads
    the page every few seconds for ever while the database answers."""
    for exc in (
        FileNotFoundError(2, "No such file or directory", "static/missing.png"),
        ConnectionRefusedError(111, "Connection refused"),
        PermissionError(13, "Permission denied", "/srv/exports"),
    ):
        assert not db.out_of_reach(exc), exc
    # The one file the database itself needs before it opens: its folder, said as a database
    # that cannot be used.
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(db.DatabaseError) as raised:
        db.make_engine(f"sqlite:///{blocker / 'forumdash.db'}")
    assert db.out_of_reach(raised.value)


@pytest.fixture
def own_server() -> Iterator[pgserver.Server]:
    if pgserver.find_bindir() is None:
        skip_or_fail("PostgreSQL server binaries not found (Debian package 'postgresql')")
    with pgserver.stoppable_server() as server:
        yield server


@pytest.mark.pg
def test_postgresql_stopped_then_back_without_a_new_engine(own_server):
    url = pgserver.create_database(own_server.url, "faults")
    engine = db.make_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE note (body TEXT)")
    with read_session(engine) as session:  # a pooled connection, which the stop kills
        session.execute(sa.text("SELECT 1"))
    own_server.stop()
    assert not db.reachable(engine)
    with pytest.raises(sa.exc.OperationalError) as raised:
        with write_session(engine) as session:
            session.execute(sa.text("INSERT INTO note VALUES ('lost')"))
    assert db.out_of_reach(raised.value) and db.failed_write(raised.value)
    assert not db.disk_full(raised.value)
    own_server.start()
    assert db.reachable(engine)  # pool_pre_ping replaced the dead connection
    with write_session(engine) as session:
        session.execute(sa.text("INSERT INTO note VALUES ('saved')"))
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT body FROM note").scalars().all() == ["saved"]
    engine.dispose()


# --------------------------------------------------------------------------- bad files


def _export_with(engine, title: str) -> bytes:
    with read_session(engine) as session:
        published = repository.matching_practices(session=session, filters=PracticeFilters())
    document = json.loads(export.to_json(published[:2]))
    document["practices"][1]["title"] = title
    document["practices"][1]["slug"] = "surrogate-test"
    return json.dumps(document).encode()  # ensure_ascii: "\ud800" written as an escape


BAD_FILES = {
    "deep.json": (b"[" * 100_000, "nest too deeply"),
    "deep-closed.json": (b"[" * 100_000 + b"]" * 100_000, "nest too deeply"),
    "deep-practices.json": (
        b'{"practices": [{"title": ' + b"[" * 60_000 + b"]" * 60_000 + b"}]}",
        "nest too deeply",
    ),
    # UTF-16 with its byte-order mark and half of a surrogate pair (0xD800 alone).
    "utf16.csv": (
        b"\xff\xfe" + "slug,title\n".encode("utf-16-le") + b"\x00\xd8" + "x\n".encode("utf-16-le"),
        "cannot be read as UTF-16",
    ),
}


def test_bad_files_are_refused_in_words_and_save_nothing(seeded_engine):
    before = _practices(seeded_engine)
    files = {name: data for name, (data, _said) in BAD_FILES.items()}
    files["surrogate.json"] = _export_with(seeded_engine, "Open budgets \ud800 in Skopje")
    said = {name: words for name, (_data, words) in BAD_FILES.items()}
    said["surrogate.json"] = "record 2 holds a broken character"
    for name, data in files.items():
        for dry_run in (True, False):
            with pytest.raises(InvalidFile) as refused:
                run_import(seeded_engine, "practices", data, name, dry_run=dry_run)
            assert said[name] in str(refused.value), (name, str(refused.value))
            assert "Traceback" not in str(refused.value) and len(str(refused.value)) < 300
    assert _practices(seeded_engine) == before


def test_a_valid_surrogate_pair_is_one_character_and_imports(seeded_engine):
    data = _export_with(seeded_engine, "Open budgets \U0001f4b6 in Skopje")
    assert b"\\ud83d\\udcb6" in data  # the pair, escaped as JSON writes it
    report = run_import(seeded_engine, "practices", data, "pair.json", dry_run=True)
    assert report.ok, report.lines()


def test_typed_text_never_keeps_half_a_pair():
    assert has_lone_surrogate("a\ud800b") and not has_lone_surrogate("a\U0001f600b")
    assert clean_text("budget \udfff plan") == "budget \ufffd plan"
    assert clean_text("emoji \U0001f600") == "emoji \U0001f600"
    clean_text("x\ud800").encode("utf-8")  # storable


# --------------------------------------------------------------------------- the CLI


def _cli(monkeypatch, capsys, url: str, *args: str) -> tuple[int, str, str]:
    monkeypatch.setenv("FORUMDASH_DATABASE_URL", url)
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_with_postgresql_down_prints_one_line_and_exits_2():
    env = dict(os.environ, FORUMDASH_DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:1/none")
    env["PYTHONPATH"] = str(ROOT / "src")
    for args in (["stats"], ["init"], ["backup", "/tmp/never-written.fdb"]):
        done = subprocess.run(
            [sys.executable, "-m", "forumdash", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        assert done.returncode == 2, (args, done.stderr)
        assert done.stdout == ""
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), (args, done.stderr)
        assert "reach" in lines[0] and "Traceback" not in done.stderr


def test_cli_with_an_unopenable_sqlite_file(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "a-folder"
    folder.mkdir()
    code, out, err = _cli(monkeypatch, capsys, f"sqlite:///{folder}", "stats")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: ")


def test_cli_import_on_a_full_database_saves_nothing(app_database, monkeypatch, capsys, tmp_path):
    # SQLite's page limit stands for a full disk (tests/app/test_outage.py fills a real tmpfs).
    url = app_database
    seeded_engine = db.make_engine(url)
    before = _practices(seeded_engine)
    with read_session(seeded_engine) as session:
        published = repository.matching_practices(session=session, filters=PracticeFilters())
    document = json.loads(export.to_json(published[:1]))
    document["practices"] = [
        dict(document["practices"][0], slug=f"full-{n}", title=f"Practice number {n}")
        for n in range(300)
    ]
    path = tmp_path / "many.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    seeded_engine.dispose()
    with sqlite_cannot_grow():
        code, out, err = _cli(monkeypatch, capsys, url, "import", "practices", str(path))
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "disk is full" in lines[0], err
    assert _practices(seeded_engine) == before
    seeded_engine.dispose()


def test_cli_unexpected_error_is_one_line_and_a_file(monkeypatch, capsys, sqlite_url):
    from forumdash.cli import commands

    def broken(_args) -> int:
        raise RuntimeError("a bug\nwith a second line")

    monkeypatch.setattr(commands, "cmd_stats", broken)
    code, out, err = _cli(monkeypatch, capsys, sqlite_url, "stats")
    assert code == 2 and out == ""
    [line] = err.strip().splitlines()
    assert line.startswith("error: unexpected RuntimeError: a bug (details in ")
    log = Path(line.rsplit("details in ", 1)[1].rstrip(")"))
    try:
        text = log.read_text(encoding="utf-8")
        assert "Traceback" in text and "with a second line" in text
    finally:
        log.unlink(missing_ok=True)


def test_no_pooled_connection_free_is_busy_not_down(tmp_path):
    """A process whose pool has no connection free in time is overloaded, not cut off: a crowd
    of 250 tabs on too few processes once waited a minute for one while the database answered,
    and was told the database was not reachable."""
    engine = sa.create_engine(
        f"sqlite:///{tmp_path / 'pool.db'}", pool_size=1, max_overflow=0, pool_timeout=0.1
    )
    with engine.connect(), pytest.raises(sa.exc.TimeoutError) as waited:
        engine.connect()
    engine.dispose()
    assert db.busy(waited.value) and db.out_of_reach(waited.value)
    down = sa.exc.OperationalError("SELECT 1", {}, ConnectionRefusedError("refused"))
    assert db.out_of_reach(down) and not db.busy(down)
