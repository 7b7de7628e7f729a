"""`python -m forumdash`: init, stats --json, user add|role|deactivate|activate|sign-out, and
its one-line errors."""

import io
import json
import subprocess
import sys

import pytest
from sqlmodel import Session, select

from forumdash.cli import main
from forumdash.db import make_engine
from forumdash.models import User
from forumdash.seed import read_seed
from forumdash.service import SEED_DIR


@pytest.fixture
def empty_cli_db(monkeypatch, database_url):
    """A new, empty database (no schema): what `init` migrates and seeds."""
    monkeypatch.setenv("FORUMDASH_DATABASE_URL", database_url)
    return database_url


@pytest.fixture
def cli_db(monkeypatch, templates, backend, tmp_path):
    """A database as `init` leaves it (migrated and seeded: a copy of the session's template, of
    each kind in turn). Every command opens its database through `init`'s own step, which finds
    this one done; seeding an empty one took most of each test's time (up to 100 s on a loaded
    machine), and test_init_then_stats_json checks that step on an empty database."""
    url, drop = templates.clone(backend, True, tmp_path)
    monkeypatch.setenv("FORUMDASH_DATABASE_URL", url)
    yield url
    drop()


def run(monkeypatch, capsys, *args, stdin=""):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_then_stats_json(empty_cli_db, monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "init")
    assert code == 0 and "seeded" in out
    code, out, _ = run(monkeypatch, capsys, "init")
    assert code == 0 and "nothing was seeded" in out
    code, out, _ = run(monkeypatch, capsys, "stats", "--json")
    assert code == 0
    stats = json.loads(out)
    seed = read_seed(SEED_DIR)
    assert stats["countries"] == [row["code"] for row in seed["countries"]]
    assert stats["practices"]["total"] == len(seed["practices"])
    assert stats["challenges"]["total"] == len(seed["challenges"])
    assert stats["milestones"]["total"] == len(seed["milestones"])
    assert stats["commitments"] == {"total": 0, "by_country": {}}
    assert sum(stats["practices"]["by_country"].values()) == stats["practices"]["total"]


def test_user_add_hashes_with_argon2id(cli_db, monkeypatch, capsys):
    code, out, err = run(
        monkeypatch,
        capsys,
        "user",
        "add",
        "--email",
        "FP@Example.org",
        "--role",
        "focal_point",
        "--country",
        "xk",
        stdin="correct horse battery\n",
    )
    assert code == 0, err
    with Session(make_engine(cli_db)) as session:
        user = session.exec(select(User)).one()
    assert user.email == "fp@example.org"
    assert user.country_code == "XK"
    assert user.password_hash.startswith("$argon2id$")
    assert "correct horse" not in user.password_hash


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["--role", "boss"], "long enough password", "unknown role 'boss'"),
        (["--role", "focal_point"], "long enough password", "a focal point needs a country"),
        (["--role", "focal_point", "--country", "ZZ"], "long enough password", "unknown country"),
        (["--role", "organiser"], "short", "at least 10 characters"),
        (["--role", "organiser"], "password1234", "Choose a stronger password: "),
        (["--role", "organiser"], "x@example.org 2026", "Choose a stronger password: "),
        (["--role", "organiser"], "", "no password"),
    ],
)
def test_user_add_errors(cli_db, monkeypatch, capsys, args, stdin, message):
    assert run(monkeypatch, capsys, "init")[0] == 0
    code, out, err = run(
        monkeypatch, capsys, "user", "add", "--email", "x@example.org", *args, stdin=stdin
    )
    assert code != 0
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    with Session(make_engine(cli_db)) as session:
        assert session.exec(select(User)).all() == []


def test_user_deactivate_role_and_sign_out(cli_db, monkeypatch, capsys):
    """The operator's account commands: each ends or changes what the account's sessions may do."""
    from forumdash import auth
    from forumdash.db import read_session, write_session

    add = ("user", "add", "--email", "fp@example.org", "--role", "focal_point", "--country", "XK")
    assert run(monkeypatch, capsys, "init")[0] == 0
    assert run(monkeypatch, capsys, *add, stdin="gentle ferry maple quartz")[0] == 0
    engine = make_engine(cli_db)

    def token() -> str:
        with write_session(engine) as session:
            user_id = auth.account_id(session=session, email="fp@example.org")
            return auth.start_login_session(session=session, user_id=user_id)

    def resumed(kept: str) -> auth.SessionUser | None:
        with read_session(engine) as session:
            return auth.resume_login_session(session=session, token=kept)

    kept = token()
    code, out, _ = run(
        monkeypatch, capsys, "user", "role", "--email", "FP@example.org", "--role", "organiser"
    )
    assert code == 0 and "is now organiser" in out
    assert resumed(kept).role == "organiser"  # the open session takes the new role

    code, out, _ = run(monkeypatch, capsys, "user", "sign-out", "--email", "fp@example.org")
    assert code == 0 and "sessions ended for fp@example.org: 1" in out
    assert resumed(kept) is None

    kept = token()
    code, out, _ = run(monkeypatch, capsys, "user", "deactivate", "--email", "fp@example.org")
    assert code == 0 and resumed(kept) is None
    with pytest.raises(auth.AuthError):
        auth.sign_in(engine, email="fp@example.org", password="gentle ferry maple quartz")
    assert run(monkeypatch, capsys, "user", "activate", "--email", "fp@example.org")[0] == 0
    assert auth.sign_in(engine, email="fp@example.org", password="gentle ferry maple quartz")

    code, _, err = run(monkeypatch, capsys, "user", "deactivate", "--email", "ghost@example.org")
    assert code == 2 and err.strip() == "error: no account for 'ghost@example.org'"
    code, _, err = run(
        monkeypatch, capsys, "user", "role", "--email", "fp@example.org", "--role", "focal_point"
    )
    assert code == 2 and "a focal point needs a country" in err


def test_duplicate_account_refused(cli_db, monkeypatch, capsys):
    args = ("user", "add", "--email", "o@example.org", "--role", "organiser")
    assert run(monkeypatch, capsys, *args, stdin="long enough password")[0] == 0
    code, _, err = run(monkeypatch, capsys, *args, stdin="another password!")
    assert code == 2 and "exists already" in err


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not-a-url", "not a database URL"),
        ("mysql://u@localhost/x", "unsupported database"),
        ("postgresql+psycopg://nobody@127.0.0.1:1/none", "cannot reach the database"),
    ],
)
def test_database_errors_are_one_line(monkeypatch, capsys, url, message):
    monkeypatch.setenv("FORUMDASH_DATABASE_URL", url)
    code, _, err = run(monkeypatch, capsys, "stats", "--json")
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_module_entry_point_prints_json(database_url):
    """The real command line, in a subprocess, against SQLite and PostgreSQL, from an empty
    database: a fresh process finds the migrations and the seed files from the package."""
    env = {"FORUMDASH_DATABASE_URL": database_url, "PATH": "/usr/bin:/bin"}
    init = subprocess.run(
        [sys.executable, "-m", "forumdash", "init"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    assert "seeded" in init.stdout and "nothing was seeded" not in init.stdout
    done = subprocess.run(
        [sys.executable, "-m", "forumdash", "stats", "--json"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    stats = json.loads(done.stdout)
    seed = read_seed(SEED_DIR)
    assert stats["practices"]["total"] == len(seed["practices"])
    kosovo = [m for m in seed["milestones"] if m.country == "XK"]
    assert stats["milestones"]["by_country"]["XK"] == len(kosovo) > 0
