"""Shared fixtures: fresh databases on SQLite and on a real PostgreSQL server, AppTest setup."""

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from forumdash.db import make_engine, migrate
from forumdash.service import init_database
from tests.support import pgserver, typecheck

ROOT = Path(__file__).resolve().parents[1]


def skip_or_fail(reason: str) -> None:
    """Skip where a tool is missing, but fail in CI, where every test must run."""
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail(f"{reason} (CI must run this test: install it in .ci/run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    """A PostgreSQL server started for this test session (skips without one, fails in CI)."""
    if pgserver.find_bindir() is None:
        skip_or_fail("PostgreSQL server binaries not found (Debian package 'postgresql')")
    with pgserver.postgres_server() as url:
        yield url


@pytest.fixture
def pg_url(pg_admin_url: str) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped after the test."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    url = pgserver.create_database(pg_admin_url, name)
    yield url
    pgserver.drop_database(pg_admin_url, name)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'forumdash.db'}"


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)]


class Templates:
    """Databases built once per test session (migrated; migrated and seeded), cloned per test:
    a file copy for SQLite, CREATE DATABASE ... TEMPLATE for PostgreSQL."""

    def __init__(self, request: pytest.FixtureRequest, folder: Path) -> None:
        self.request = request
        self.folder = folder
        self.built: dict[tuple[str, bool], str] = {}

    def _build(self, url: str, seeded: bool) -> None:
        engine = make_engine(url)
        init_database(engine) if seeded else migrate(engine)
        if engine.dialect.name == "sqlite":
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()

    def template(self, backend: str, seeded: bool) -> str:
        key = (backend, seeded)
        if key not in self.built:
            name = f"template_{'seeded' if seeded else 'empty'}"
            if backend == "sqlite":
                path = self.folder / f"{name}.db"
                self._build(f"sqlite:///{path}", seeded)
                self.built[key] = str(path)
            else:
                admin = self.request.getfixturevalue("pg_admin_url")
                self._build(pgserver.create_database(admin, name), seeded)
                self.built[key] = name
        return self.built[key]

    def clone(self, backend: str, seeded: bool, tmp_path: Path) -> tuple[str, Callable[[], None]]:
        """A new database copied from the template; returns its URL and a function to drop it."""
        template = self.template(backend, seeded)
        if backend == "sqlite":
            path = tmp_path / "forumdash.db"
            shutil.copyfile(template, path)
            return f"sqlite:///{path}", lambda: None
        admin = self.request.getfixturevalue("pg_admin_url")
        name = f"t_{uuid.uuid4().hex[:12]}"
        url = pgserver.create_database(admin, name, template=template)
        return url, lambda: pgserver.drop_database(admin, name)


@pytest.fixture(scope="session")
def templates(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Templates:
    return Templates(request, tmp_path_factory.mktemp("templates"))


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def database_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A new, empty database (no schema) of each kind in turn."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'forumdash.db'}"
    else:
        yield request.getfixturevalue("pg_url")


def _engine_from(
    templates: Templates, backend: str, seeded: bool, tmp_path: Path
) -> Iterator[Engine]:
    url, drop = templates.clone(backend, seeded, tmp_path)
    engine = make_engine(url)
    yield engine
    engine.dispose()
    drop()


@pytest.fixture
def empty_engine(templates: Templates, backend: str, tmp_path: Path) -> Iterator[Engine]:
    """A database at the latest schema, with no rows."""
    yield from _engine_from(templates, backend, False, tmp_path)


@pytest.fixture
def seeded_engine(templates: Templates, backend: str, tmp_path: Path) -> Iterator[Engine]:
    """A database at the latest schema, holding the seed content of data/ (a private copy)."""
    yield from _engine_from(templates, backend, True, tmp_path)


@pytest.fixture(scope="session", params=BACKENDS)
def readonly_engine(
    request: pytest.FixtureRequest, templates: Templates, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """One seeded database per kind shared by the tests that only read."""
    yield from _engine_from(templates, request.param, True, tmp_path_factory.mktemp("readonly"))


@pytest.fixture
def app_database(
    monkeypatch: pytest.MonkeyPatch, templates: Templates, sqlite_url: str, tmp_path: Path
) -> Iterator[str]:
    """Point the app at a fresh, seeded SQLite file; clear Streamlit's process-wide caches."""
    import streamlit as st

    # A copy of the session's seeded template (migrating and seeding anew took ~1 s of CPU per
    # test), at the very file `sqlite_url` names, so a test asking for both gets one database.
    url, _ = templates.clone("sqlite", True, tmp_path)
    assert url == sqlite_url, (url, sqlite_url)
    monkeypatch.setenv("FORUMDASH_DATABASE_URL", sqlite_url)
    monkeypatch.chdir(ROOT)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield sqlite_url
    st.cache_resource.clear()
    st.cache_data.clear()


# mypy cold takes tens of seconds: the process leading the session (xdist's controller, or the
# only one) starts it once it knows the mypy test is to run, and the test collects the result
# (tests/support/typecheck.py says how).
MYPY_TEST = "tests/test_quality.py::test_mypy_strict_passes"


def use_cheap_password_hashes() -> None:
    """Hash passwords with argon2id at its cheapest in the test processes: production's
    parameters (64 MiB, 3 passes, 4 lanes) cost 0.4 s of CPU per hash and check, and the page
    tests create and sign in accounts by the dozen. A hash carries its own parameters, so the
    checks and the rehash on sign-in work as in production; the app server the browser tests
    start keeps production's parameters (production code is not touched)."""
    from argon2 import PasswordHasher

    from forumdash import auth

    # Loud if auth's hasher moves: the patch would otherwise do nothing, and the suite slow down.
    assert hasattr(auth, "_hasher") and hasattr(auth, "_DUMMY_HASH"), "auth's hasher moved"
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    auth._hasher = cheap
    auth._DUMMY_HASH = cheap.hash("forumdash-no-such-account")


def pytest_configure(config: pytest.Config) -> None:
    typecheck.prepare()
    use_cheap_password_hashes()


def pytest_collection_finish(session: pytest.Session) -> None:
    if any(item.nodeid == MYPY_TEST for item in session.items):
        typecheck.start()


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node: object, ids: list[str]) -> None:
    """xdist's controller: a worker has collected (the controller collects nothing itself)."""
    if MYPY_TEST in ids:
        typecheck.start()


def pytest_sessionfinish(session: pytest.Session) -> None:
    typecheck.stop()
