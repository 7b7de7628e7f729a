"""Backups and restores: same records back on either database, consistent snapshots while the
app writes, and damaged, foreign or misplaced files refused with nothing written."""

import datetime as dt
import enum
import fcntl
import functools
import gzip
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import func, select

from forumdash import backup, cli, repository
from forumdash import vocab as v
from forumdash.db import head_revision, make_engine, read_session, write_session
from forumdash.filters import PracticeFilters
from forumdash.models import AssessmentIn, DataVersion, Practice, PracticeCreate, User
from tests.support import pgserver
from tests.support.writer import practice_in

# --------------------------------------------------------------------------- helpers


@pytest.fixture
def new_engine(templates, tmp_path, request):
    """Make new, empty databases: migrated (a template clone) or bare (no schema at all)."""
    made = []

    def make(backend: str, *, migrated: bool = True):
        folder = tmp_path / f"target{len(made)}"
        folder.mkdir()
        if migrated:
            url, drop = templates.clone(backend, False, folder)
        elif backend == "sqlite":
            url, drop = f"sqlite:///{folder / 'forumdash.db'}", lambda: None
        else:
            admin = request.getfixturevalue("pg_admin_url")
            name = f"t_{uuid.uuid4().hex[:12]}"
            url = pgserver.create_database(admin, name)
            drop = functools.partial(pgserver.drop_database, admin, name)
        engine = make_engine(url)
        made.append((engine, drop))
        return engine

    yield make
    for engine, drop in made:
        engine.dispose()
        drop()


@pytest.fixture
def sqlite_seeded(templates, tmp_path):
    """A seeded SQLite database whatever the `backend` parameter (for SQLite -> PostgreSQL)."""
    folder = tmp_path / "source"
    folder.mkdir()
    url, _ = templates.clone("sqlite", True, folder)
    engine = make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture
def pg_seeded(templates, tmp_path):
    """A seeded PostgreSQL database whatever the `backend` parameter."""
    url, drop = templates.clone("postgresql", True, tmp_path)
    engine = make_engine(url)
    yield engine
    engine.dispose()
    drop()


def _plain(value):
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
    if isinstance(value, enum.Enum):
        return value.value
    return value


def rows_of(engine) -> dict[str, list[tuple]]:
    """Every product table's rows by primary key (JSON columns as their stored text, so that a
    SQL NULL and a JSON null differ; timestamps in UTC), data_version left out."""
    out = {}
    with engine.connect() as conn:
        for table in backup.product_tables():
            columns = [
                sa.cast(c, sa.Text).label(c.name) if isinstance(c.type, sa.JSON) else c
                for c in table.columns
            ]
            query = sa.select(*columns).order_by(*table.primary_key.columns)
            out[table.name] = [tuple(_plain(value) for value in row) for row in conn.execute(query)]
    return out


def data_version(engine) -> tuple:
    with engine.connect() as conn:
        return tuple(conn.execute(sa.select(DataVersion.__table__)).one())


def counts_of(rows: dict[str, list[tuple]]) -> dict[str, int]:
    return {name: len(table_rows) for name, table_rows in rows.items()}


def enrich(engine) -> int:
    """Add what the seed lacks: a user, a timestamp with microseconds, dates, evidence links,
    text in three scripts, a forward self-reference and a SQL NULL in a JSON column."""
    with write_session(engine) as session:
        user = User(
            email="editor@example.org",
            display_name="Јелена Đurić",
            password_hash="not-a-real-hash",
            role=v.Role.organiser,
            created_at=dt.datetime(2030, 1, 2, 3, 4, 5, 678901, tzinfo=dt.UTC),
        )
        session.add(user)
        session.flush()
        practice_id = repository.create_practice(
            session=session,
            user_id=user.id,
            practice_in=PracticeCreate(
                slug="zebrafish-budgets",
                title="Zebrafish budgets: Отворени буџети, čćžšđ “quoted”",
                country="MK",
                summary="Ünïcödé summary 🐟 with\nnew lines and 'quotes' and \\ backslashes.",
                body={"methods": "Participatory budgeting in Shqipëria."},
                level=v.GovLevel.local,
                actor_type=v.ActorType.joint,
                themes=["open-budgets", "civic-participation"],
                ogp_values=[v.OgpValue.civic_participation],
                stage=v.Stage.evaluating,
                start_date=dt.date(2019, 2, 28),
                end_date=dt.date(2021, 12, 31),
                assessment=AssessmentIn(
                    completion=v.Completion.substantial,
                    evidence_level=v.EvidenceLevel.independent_review,
                    evidence_links=[{"title": "Review", "url": "https://example.org/r?a=1&b=2"}],
                ),
                sources=[{"title": "Municipal decision no. 7"}],
                workflow=v.Workflow.published,
            ),
        )
        first = session.exec(select(func.min(Practice.id))).one()
        practice = Practice.__table__
        session.execute(
            practice.update().where(practice.c.id == first).values(adapted_from_id=practice_id)
        )
        nullable_json = [
            c.name for c in practice.columns if isinstance(c.type, sa.JSON) and c.nullable
        ]
        if nullable_json:  # the ORM writes a JSON null there; make one a SQL NULL
            session.execute(
                practice.update()
                .where(practice.c.id == first)
                .values({nullable_json[0]: sa.null()})
            )
    return practice_id


def search_total(engine, query: str) -> int:
    with read_session(engine) as session:
        total, _ = repository.search_practices(session=session, filters=PracticeFilters(q=query))
    return total


def facets(engine):
    with read_session(engine) as session:
        return repository.facet_counts(session=session, filters=PracticeFilters())


def add_practice(engine, slug: str) -> int:
    with write_session(engine) as session:
        return repository.create_practice(session=session, practice_in=practice_in(slug))


def assert_restored(source_rows, target) -> None:
    assert rows_of(target) == source_rows
    # Search works (FTS5 triggers / generated tsvector) and finds the added practice.
    assert search_total(target, "zebrafish") == 1
    assert search_total(target, "portal") > 0
    # New records get new ids: SQLite's rowid, PostgreSQL's sequences moved past the ids.
    position = list(Practice.__table__.columns.keys()).index("id")
    highest = max(row[position] for row in source_rows["practice"])
    new_id = add_practice(target, "after-restore")
    assert new_id > highest
    with read_session(target) as session:
        assert repository.get_practice(session=session, practice_id=new_id, published_only=False)


def integrity(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


# --------------------------------------------------------------------------- round trips


def test_sqlite_file_backup_restores_the_same_records(sqlite_seeded, new_engine, tmp_path):
    enrich(sqlite_seeded)
    source = rows_of(sqlite_seeded)
    path = tmp_path / "forumdash-backup.db"

    info = backup.backup(sqlite_seeded, path)

    assert info.format == "sqlite" and info.revision == head_revision()
    assert info.counts == counts_of(source) and info.bytes == path.stat().st_size > 0
    # One self-contained file (no -wal or -journal beside it), the temporary one renamed.
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [path.name]
    assert integrity(path) == "ok"
    target = new_engine("sqlite", migrated=False)  # a new file: restore creates the schema
    result = backup.restore(target, path)
    assert result.counts == info.counts and result.format == "sqlite"
    assert facets(target) == facets(sqlite_seeded)
    assert search_total(target, "portal") == search_total(sqlite_seeded, "portal")
    assert_restored(source, target)


def test_portable_backup_restores_the_same_records(seeded_engine, backend, new_engine, tmp_path):
    enrich(seeded_engine)
    source = rows_of(seeded_engine)
    path = tmp_path / "forumdash.jsonl.gz"

    info = backup.backup(seeded_engine, path, portable=True)

    assert info.format == "portable" and info.counts == counts_of(source)
    target = new_engine(backend)
    own_version = data_version(target)
    result = backup.restore(target, path)
    assert result.counts == info.counts
    assert facets(target) == facets(seeded_engine)
    assert search_total(target, "portal") == search_total(seeded_engine, "portal")
    # The target keeps its own data_version row (its instance), raised by the inserts.
    restored_version = data_version(target)
    assert restored_version[0] == own_version[0] and restored_version[2] == own_version[2]
    assert restored_version[1] > own_version[1]
    assert_restored(source, target)


@pytest.mark.pg
@pytest.mark.parametrize("portable", [True, False], ids=["portable", "sqlite-file"])
def test_sqlite_backup_restores_into_postgresql(sqlite_seeded, new_engine, tmp_path, portable):
    enrich(sqlite_seeded)
    source = rows_of(sqlite_seeded)
    path = tmp_path / "backup"

    backup.backup(sqlite_seeded, path, portable=portable)
    target = new_engine("postgresql", migrated=False)
    backup.restore(target, path)

    assert facets(target) == facets(sqlite_seeded)
    assert_restored(source, target)


@pytest.mark.pg
def test_postgresql_backup_restores_into_sqlite(pg_seeded, new_engine, tmp_path):
    enrich(pg_seeded)
    source = rows_of(pg_seeded)
    path = tmp_path / "from-postgresql.jsonl.gz"

    assert backup.backup(pg_seeded, path).format == "portable"  # always so on PostgreSQL
    target = new_engine("sqlite", migrated=False)
    backup.restore(target, path)

    assert facets(target) == facets(pg_seeded)
    assert_restored(source, target)


def test_portable_file_layout(seeded_engine, tmp_path):
    path = tmp_path / "dump.jsonl.gz"
    info = backup.backup(seeded_engine, path, portable=True)
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        lines = [json.loads(line) for line in handle]
    header, rows, end = lines[0], lines[1:-1], lines[-1]
    assert header["format"] == "forumdash-portable" and header["version"] == 1
    assert header["schema_revision"] == head_revision()
    assert dt.datetime.fromisoformat(header["created_at"]).tzinfo is not None
    names = [t["name"] for t in header["tables"]]
    assert names == [t.name for t in backup.product_tables()]
    assert "data_version" not in names and "alembic_version" not in names
    assert {t["name"]: t["rows"] for t in header["tables"]} == info.counts
    assert end == {"end": True, "rows": info.total} and len(rows) == info.total
    practice = next(t for t in header["tables"] if t["name"] == "practice")
    first = next(r["v"] for r in rows if r["t"] == "practice")
    record = dict(zip(practice["columns"], first, strict=True))
    assert record["workflow"] == "published"  # enums as their stored values
    assert dt.datetime.fromisoformat(record["created_at"]).utcoffset() == dt.timedelta(0)
    assert isinstance(json.loads(record["sources"]), list)  # JSON columns as their text


# --------------------------------------------------------------------------- refusals


def test_restore_into_a_database_with_records_is_refused(seeded_engine, tmp_path):
    portable = tmp_path / "dump.jsonl.gz"
    backup.backup(seeded_engine, portable, portable=True)
    files = [portable]
    if seeded_engine.dialect.name == "sqlite":
        files.append(tmp_path / "copy.db")
        backup.backup(seeded_engine, files[-1])
    before, version = rows_of(seeded_engine), data_version(seeded_engine)
    for path in files:
        with pytest.raises(backup.BackupError, match="not empty .*restore only into a new"):
            backup.restore(seeded_engine, path)
    assert rows_of(seeded_engine) == before and data_version(seeded_engine) == version


def test_one_record_is_enough_to_refuse(seeded_engine, backend, new_engine, tmp_path):
    path = tmp_path / "dump.jsonl.gz"
    backup.backup(seeded_engine, path, portable=True)
    empty_engine = new_engine(backend)
    with write_session(empty_engine) as session:
        session.add(
            User(email="x@example.org", password_hash="x", role=v.Role.organiser, is_active=False)
        )
    with pytest.raises(backup.BackupError, match=r"holds 1 user\)"):
        backup.restore(empty_engine, path)
    assert sum(counts_of(rows_of(empty_engine)).values()) == 1


# Damaged, truncated and foreign files, made once from a seeded SQLite database.


def _rewrite(source: Path, target: Path, change) -> Path:
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        lines = [json.loads(line) for line in handle]
    lines = change(lines)
    with gzip.open(target, "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    return target


def _set_header(**changes):
    def change(lines):
        lines[0].update(changes)
        return lines

    return change


def _set_practice_value(column: str, value):
    def change(lines):
        columns = next(t for t in lines[0]["tables"] if t["name"] == "practice")["columns"]
        row = next(line for line in lines if line.get("t") == "practice")
        row["v"][columns.index(column)] = value
        return lines

    return change


def _orphan_theme_link(lines):
    """A link to a practice that is not in the file: the restore fails at the very end."""
    columns = next(t for t in lines[0]["tables"] if t["name"] == "practice_theme")["columns"]
    row = next(line for line in lines if line.get("t") == "practice_theme")
    row["v"][columns.index("practice_id")] = 999_999
    return lines


def _flip_middle_byte(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]


def _break_btree_pages(data: bytes) -> bytes:
    """Give every page after the first an invalid b-tree page type: wherever the tables lie in
    the file, an integrity check sees the damage (one flipped byte can land in free space)."""
    page_size = int.from_bytes(data[16:18], "big") or 65536
    broken = bytearray(data)
    for offset in range(page_size, len(broken), page_size):
        broken[offset] = 0x7F
    return bytes(broken)


def _foreign_sqlite(path: Path) -> Path:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
        conn.execute("INSERT INTO notes (text) VALUES ('hello')")
    conn.close()
    return path


def _old_sqlite(good: Path, path: Path) -> Path:
    path.write_bytes(good.read_bytes())
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0001'")
    conn.close()
    return path


@pytest.fixture(scope="module")
def bad_files(templates, tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad-backups")
    source_folder = folder / "source"
    source_folder.mkdir()
    url, _ = templates.clone("sqlite", True, source_folder)
    engine = make_engine(url)
    dump, copy = folder / "good.jsonl.gz", folder / "good.db"
    backup.backup(engine, dump, portable=True)
    backup.backup(engine, copy)
    engine.dispose()
    raw = gzip.decompress(dump.read_bytes())

    def write(name: str, data: bytes) -> Path:
        (folder / name).write_bytes(data)
        return folder / name

    return {
        "missing": folder / "no-such-file",
        "empty": write("empty", b""),
        "text": write("text.csv", b"id,title\n1,Open data\n"),
        "foreign-gzip": write("foreign.gz", gzip.compress(b'{"hello": "world"}\n')),
        "foreign-sqlite": _foreign_sqlite(folder / "foreign.db"),
        "newer-format": _rewrite(dump, folder / "v2.gz", _set_header(version=2)),
        "other-revision": _rewrite(dump, folder / "old.gz", _set_header(schema_revision="0001")),
        "old-sqlite": _old_sqlite(copy, folder / "old.db"),
        "truncated-gzip": write("cut.gz", dump.read_bytes()[: dump.stat().st_size // 2]),
        "corrupt-gzip": write("flipped.gz", _flip_middle_byte(dump.read_bytes())),
        "no-end-line": write("no-end.gz", gzip.compress(raw[: raw.rstrip(b"\n").rfind(b"\n")])),
        "bad-enum": _rewrite(dump, folder / "enum.gz", _set_practice_value("stage", "flying")),
        "bad-date": _rewrite(dump, folder / "date.gz", _set_practice_value("start_date", "31/12")),
        "bad-json": _rewrite(dump, folder / "json.gz", _set_practice_value("sources", "[{")),
        "orphan-link": _rewrite(dump, folder / "orphan.gz", _orphan_theme_link),
        "truncated-sqlite": write("cut.db", copy.read_bytes()[: copy.stat().st_size // 2]),
        "corrupt-sqlite": write("flipped.db", _break_btree_pages(copy.read_bytes())),
    }


BAD_FILES = {
    "missing": "no backup file",
    "empty": "is not a forumdash backup",
    "text": "is not a forumdash backup",
    "foreign-gzip": "is not a forumdash backup",
    "foreign-sqlite": "is not a forumdash backup",
    "newer-format": "format version 2",
    "other-revision": "holds schema revision 0001, but this forumdash needs",
    "old-sqlite": "holds schema revision 0001, but this forumdash needs",
    "truncated-gzip": "is damaged or truncated",
    "corrupt-gzip": "is damaged or truncated",
    "no-end-line": "is damaged or truncated: the end line is missing",
    "bad-enum": "is damaged or truncated",
    "bad-date": "is damaged or truncated",
    "bad-json": "is damaged or truncated",
    "orphan-link": "its rows do not fit the database",
    "truncated-sqlite": "is damaged",
    "corrupt-sqlite": "is damaged",
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_is_a_clear_error_and_nothing_is_written(case, bad_files, empty_engine):
    before, version = rows_of(empty_engine), data_version(empty_engine)
    with pytest.raises(backup.BackupError) as caught:
        backup.restore(empty_engine, bad_files[case])
    message = str(caught.value)
    assert BAD_FILES[case] in message and "\n" not in message
    assert rows_of(empty_engine) == before and data_version(empty_engine) == version


# --------------------------------------------------------------------------- while writing


CONSISTENCY = (
    "SELECT count(*) FROM practice",
    "SELECT count(*) FROM revision WHERE record_type = 'practice' AND action = 'create'",
    "SELECT count(*) FROM practice p WHERE NOT EXISTS "
    "(SELECT 1 FROM practice_theme t WHERE t.practice_id = p.id)",
)


def consistency(engine) -> tuple[int, ...]:
    """Practices, their create revisions, and practices without a theme (must be 0)."""
    with engine.connect() as conn:
        return tuple(conn.exec_driver_sql(sql).scalar() for sql in CONSISTENCY)


def file_consistency(path: Path) -> tuple[int, ...]:
    with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as conn:
        return tuple(conn.execute(sql).fetchone()[0] for sql in CONSISTENCY)


def test_backup_while_the_app_writes_is_a_consistent_snapshot(
    seeded_engine, backend, new_engine, tmp_path
):
    seeded, _, _ = consistency(seeded_engine)
    committed, errors = [], []
    started, stop = threading.Event(), threading.Event()

    def write() -> None:
        n = 0
        while not (stop.is_set() and n >= 100):
            n += 1
            try:
                committed.append(add_practice(seeded_engine, f"during-backup-{n}"))
            except Exception as exc:  # noqa: BLE001 - every failure is collected and asserted
                errors.append(exc)
                return
            if n == 10:
                started.set()

    writer = threading.Thread(target=write)
    writer.start()
    backups = []
    try:
        assert started.wait(30), errors
        kinds = [False, True] if backend == "sqlite" else [True]
        for round_ in range(3):
            for portable in kinds:
                path = tmp_path / f"snapshot-{round_}-{'portable' if portable else 'file'}"
                backups.append((path, backup.backup(seeded_engine, path, portable=portable)))
    finally:
        stop.set()
        writer.join()
    assert errors == []
    assert len(committed) >= 100 and consistency(seeded_engine)[0] == seeded + len(committed)

    for path, info in backups:
        practices = info.counts["practice"]
        assert seeded + 10 <= practices <= seeded + len(committed)
        if info.format == "sqlite":
            assert integrity(path) == "ok"
            assert file_consistency(path) == (practices, practices, 0)
        target = new_engine(backend)
        backup.restore(target, path)
        assert consistency(target) == (practices, practices, 0)
        assert search_total(target, "portal") > 0


# --------------------------------------------------------------------------- command line


def test_backup_and_restore_commands(
    seeded_engine, backend, new_engine, tmp_path, monkeypatch, capsys
):
    def run(url, *args):
        monkeypatch.setenv("FORUMDASH_DATABASE_URL", url)
        code = cli.main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    source_url = seeded_engine.url.render_as_string(hide_password=False)
    practices = f" {consistency(seeded_engine)[0]} practice,"
    path = tmp_path / "forumdash.backup"
    code, out, err = run(source_url, "backup", str(path))
    assert code == 0, err
    assert out.count("\n") == 1 and out.startswith("backed up ") and practices in out

    target = new_engine(backend, migrated=False)
    target_url = target.url.render_as_string(hide_password=False)
    code, out, err = run(target_url, "restore", str(path))
    assert code == 0, err
    assert out.count("\n") == 1 and out.startswith("restored ") and practices in out

    code, out, err = run(target_url, "restore", str(path))
    assert code == 2 and out == ""
    assert err.startswith("error: the database is not empty") and err.count("\n") == 1

    for args, message in [
        (["backup", str(tmp_path / "no-folder" / "x.db")], "there is no folder"),
        (["backup", str(tmp_path)], "it is a folder"),
        (["restore", str(tmp_path / "nothing.db")], "no backup file"),
    ]:
        code, out, err = run(source_url, *args)
        assert code == 2 and err.startswith("error: ") and message in err, err
        assert err.count("\n") == 1


def test_backup_refuses_to_overwrite_the_database_itself(sqlite_seeded):
    before = rows_of(sqlite_seeded)
    for portable in (False, True):
        with pytest.raises(backup.BackupError, match="it is the database itself"):
            backup.backup(sqlite_seeded, sqlite_seeded.url.database, portable=portable)
    assert rows_of(sqlite_seeded) == before


@pytest.mark.parametrize("portable", [False, True], ids=["native", "portable"])
def test_backup_of_a_database_without_schema_is_refused(database_url, tmp_path, portable):
    engine = make_engine(database_url)
    with pytest.raises(backup.BackupError, match="no forumdash schema"):
        backup.backup(engine, tmp_path / "x", portable=portable)
    engine.dispose()
    assert not (tmp_path / "x").exists()


# --------------------------------------------------------------------------- killed backups


def _aged(path: Path, content: bytes = b"half a backup") -> Path:
    path.write_bytes(content)
    old = time.time() - 3600
    os.utime(path, (old, old))
    return path


def test_next_backup_removes_what_a_killed_one_left_and_nothing_else(sqlite_seeded, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    stale = _aged(folder / ".forumdash.backup.0123456789ab.tmp")
    journal = _aged(folder / ".forumdash.backup.0123456789ab.tmp-journal")
    orphan_journal = _aged(folder / ".older.db.ba9876543210.tmp-journal")
    # Not ours: other programs' hidden or temporary files, even with similar names.
    others = [
        _aged(folder / ".forumdash.backup.tmp"),
        _aged(folder / "notes.tmp"),
        _aged(folder / ".forumdash.backup.0123456789AB.tmp"),
        _aged(folder / ".x.0123456789ab.tmp.keep"),
    ]
    # A backup running now, elsewhere: its temporary file is locked, so it stays.
    running = _aged(folder / ".other.backup.fedcba987654.tmp")
    held = os.open(running, os.O_RDONLY)
    fcntl.flock(held, fcntl.LOCK_EX)
    try:
        info = backup.backup(sqlite_seeded, folder / "forumdash.backup")
    finally:
        os.close(held)
    assert info.total > 0
    assert not stale.exists() and not journal.exists() and not orphan_journal.exists()
    assert all(path.exists() for path in others) and running.exists()
    # Made after this backup started (a backup starting now): not touched either.
    fresh = folder / ".new.backup.aaaaaaaaaaaa.tmp"
    fresh.write_bytes(b"")
    assert backup.remove_stale_temporaries(folder, older_than=time.time() - 60) == [running]
    assert fresh.exists()


KILL_MID_BACKUP = """
import os, signal, sys
from forumdash import backup
from forumdash.db import make_engine

written = 0
dumps = backup._dumps

def dumps_then_die(data):
    global written
    written += 1
    if written == 40:  # some rows are in the file: killed mid-way, as by the OOM killer
        os.kill(os.getpid(), signal.SIGKILL)
    return dumps(data)

backup._dumps = dumps_then_die
backup.backup(make_engine(sys.argv[1]), sys.argv[2], portable=True)
"""


def test_a_killed_backup_process_leaves_a_file_that_the_next_backup_removes(
    sqlite_seeded, tmp_path, monkeypatch, capsys
):
    target = tmp_path / "forumdash.fdb"
    url = sqlite_seeded.url.render_as_string(hide_password=False)
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2] / "src"))
    done = subprocess.run(
        [sys.executable, "-c", KILL_MID_BACKUP, url, str(target)],
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    left = [p for p in tmp_path.iterdir() if p.name.startswith(".forumdash.fdb.")]
    assert len(left) == 1  # left behind (half-written: gzip had not flushed yet), no target
    assert not target.exists()
    # Its mtime is from before the next backup starts (file times are coarse on some systems).
    old = time.time() - 5
    os.utime(left[0], (old, old))

    monkeypatch.setenv("FORUMDASH_DATABASE_URL", url)
    assert cli.main(["backup", str(target), "--portable"]) == 0, capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".forumdash")) == []
    with gzip.open(target, "rt", encoding="utf-8") as backup_file:
        assert json.loads(backup_file.readlines()[-1])["end"] is True
