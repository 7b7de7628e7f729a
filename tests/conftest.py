"""Shared fixtures: fresh databases on SQLite and on a real PostgreSQL server, AppTest setup."""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from forumdash.db import make_engine, migrate
from forumdash.service import init_database
from tests.support import pgserver

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


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty database of each kind in turn."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'forumdash.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def empty_engine(database_url: str) -> Iterator[Engine]:
    """A database at the latest schema, with no rows."""
    engine = make_engine(database_url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def seeded_engine(database_url: str) -> Iterator[Engine]:
    """A database at the latest schema, holding the seed content of data/."""
    engine = make_engine(database_url)
    init_database(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def app_database(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> Iterator[str]:
    """Point the app at a fresh SQLite file; clear Streamlit's process-wide caches around it."""
    import streamlit as st

    monkeypatch.setenv("FORUMDASH_DATABASE_URL", sqlite_url)
    monkeypatch.chdir(ROOT)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield sqlite_url
    st.cache_resource.clear()
    st.cache_data.clear()
