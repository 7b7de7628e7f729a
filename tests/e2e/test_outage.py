"""The database server stopped under a real Chromium session: the page says so in one message,
shows no exception, and comes back by itself (the message's own check, every few seconds) once
the server is started again; nobody clicks anything."""

import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from forumdash.db import make_engine
from forumdash.service import init_database
from forumdash.ui import outage
from tests.conftest import skip_or_fail
from tests.e2e.conftest import ARTIFACTS, wait_for_app
from tests.support import pgserver
from tests.support.appserver import streamlit_server

pytestmark = [pytest.mark.e2e, pytest.mark.pg]

MESSAGE = "The database is not reachable; trying again."


@pytest.fixture
def app_on_own_server(tmp_path) -> Iterator[tuple[str, pgserver.Server]]:
    """The app on a seeded database of a PostgreSQL server of its own, which the test stops."""
    if pgserver.find_bindir() is None:
        skip_or_fail("PostgreSQL server binaries not found (Debian package 'postgresql')")
    with pgserver.stoppable_server() as server:
        url = pgserver.create_database(server.url, f"t_{uuid.uuid4().hex[:12]}")
        engine = make_engine(url)
        init_database(engine)
        engine.dispose()
        with streamlit_server(url, tmp_path / "app.log") as base:
            yield base, server


def test_page_comes_back_by_itself_after_postgresql_restarts(page, app_on_own_server):
    base, server = app_on_own_server
    page.goto(base + "/browse")
    wait_for_app(page)
    main = page.locator("[data-testid='stMain']")
    heading = main.locator("h1", has_text="Browse practices")
    expect(heading).to_be_visible()

    server.stop()
    page.reload()  # the next run of the page, now with the server down
    expect(main.get_by_text(MESSAGE)).to_be_visible(timeout=60_000)
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "outage-message.png"), full_page=True)

    server.start()
    # Several of the message's checks (every outage.RETRY_EVERY_S seconds), then the page.
    expect(main.get_by_text(MESSAGE)).to_have_count(0, timeout=outage.RETRY_EVERY_S * 10_000)
    expect(heading).to_be_visible()
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
