"""The deployment recipe in a real Chromium: two app processes behind Debian's nginx with the
recipe's sticky routing (deploy/nginx/), on one PostgreSQL, started by deploy/run_local.py.

A browser's page, websocket, upload and download all reach one process; a practice published
through one process (an organiser's import, uploaded through nginx) shows on the other's pages
and in its export, downloaded through nginx."""

import csv
import io
import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from deploy.run_local import Deployment, find_nginx, local_deployment
from tests.conftest import Templates, skip_or_fail
from tests.e2e.conftest import ARTIFACTS, wait_for_app
from tests.e2e.test_contribute import PASSWORD
from tests.support import pgserver

pytestmark = pytest.mark.e2e

ROUTE_COOKIE = "forumdash_route"
TITLE = "Otvoreni budžet opštine Replikagrad"  # a made-up place
# The card's summary is drawn with the page; its title link comes a moment later (a component
# Streamlit loads on demand), so the polling looks for the summary.
SUMMARY = "Replikagrad objavljuje budžet svakog meseca u otvorenom formatu."
# North Macedonia's practices, newest first: the imported one comes first.
READER_PAGE = "/browse?country=MK"
# The headers of test_import_mapping's file (the mapping proposes every column), one valid row.
FILE = (
    "Наслов;Држава;Opis;Tema/Teme;Izvor;Nivo;Tip aktera;Faza\n"
    f"{TITLE};Северна Македонија;"
    f'"{SUMMARY}";'
    '"open-budgets, Open data";https://example.org/replikagrad;Local;Government;Implementing\n'
).encode()
LOG_LINE = re.compile(r'^\S+ (\d+) "(\S+) (\S+) [^"]*" upstream=(\S+) route=(\S+)$')


@pytest.fixture(scope="module")
def deployment(
    pg_admin_url: str, templates: Templates, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    """nginx and two app processes on one PostgreSQL database, on free ports. The database is a
    copy of the session's seeded template: the recipe's own migrate-and-seed step finds it done
    (seeding it there cost tens of seconds; processes starting at once on an empty database
    are tests/unit/test_concurrent_start.py's)."""
    if find_nginx() is None:
        skip_or_fail("nginx not found (Debian package 'nginx')")
    url = pgserver.create_database(
        pg_admin_url, "replicas", template=templates.template("postgresql", True)
    )
    ports = [pgserver.free_port() for _ in range(3)]
    try:
        with local_deployment(
            port=ports[0],
            database_url=url,
            workdir=tmp_path_factory.mktemp("deployment"),
            app_ports=ports[1:],
        ) as running:
            yield running
    finally:
        pgserver.drop_database(pg_admin_url, "replicas")


def _requests(deployment: Deployment) -> list[tuple[str, str, str, str]]:
    """nginx's access log so far: (method, path, app process's port, route) per request."""
    found = []
    for line in deployment.access_log.read_text().splitlines():
        match = LOG_LINE.match(line)
        if match:
            _status, method, path, upstream, route = match.groups()
            found.append((method, path, upstream.rsplit(":", 1)[-1], route))
    return found


def _wait_for_log(deployment: Deployment, route: str, path_start: str) -> None:
    """nginx logs a websocket when it closes: wait for the line (the event, not a delay)."""
    deadline = time.monotonic() + 30
    while not any(
        r == route and path.startswith(path_start) for _m, path, _p, r in _requests(deployment)
    ):
        assert time.monotonic() < deadline, f"no {path_start} request with route {route} logged"
        time.sleep(0.2)


def _route_to(deployment: Deployment, app_url: str) -> str:
    """A route cookie value that nginx's hash sends to the app process at `app_url`."""
    port = app_url.rsplit(":", 1)[-1]
    for number in range(200):
        route = f"test-route-{number}"
        request = urllib.request.Request(
            f"{deployment.url}/_stcore/health", headers={"Cookie": f"{ROUTE_COOKIE}={route}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
        _wait_for_log(deployment, route, "/_stcore/health")
        if any(r == route and p == port for _m, _path, p, r in _requests(deployment)):
            return route
    raise AssertionError(f"no route to {app_url} among 200 tries")


def _practices_shown(page: Page) -> int:
    """The count the browse page's run shows ("7 practices · showing 1–7"), once it shows it."""
    caption = page.get_by_text(re.compile(r"^\d+ practices? · showing"))
    expect(caption).to_be_visible()
    return int(caption.inner_text().split()[0])


def _pinned(browser: Browser, deployment: Deployment, route: str) -> BrowserContext:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_cookies([{"name": ROUTE_COOKIE, "value": route, "url": deployment.url}])
    return context


def _add_organiser(deployment: Deployment, email: str) -> None:
    env = os.environ | {"FORUMDASH_DATABASE_URL": deployment.database_url}
    done = subprocess.run(
        [sys.executable, "-m", "forumdash", "user", "add", "--email", email, "--role", "organiser"],
        input=PASSWORD + "\n",
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


def test_a_browser_session_stays_on_one_process(browser: Browser, deployment: Deployment) -> None:
    # New visitors are spread over both processes (a fresh random route each).
    for _ in range(20):
        with urllib.request.urlopen(f"{deployment.url}/_stcore/health", timeout=10) as response:
            assert response.read().strip() == b"ok"
    health = {p for _m, path, p, _r in _requests(deployment) if path == "/_stcore/health"}
    assert len(health) == 2, health

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{deployment.url}/browse")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Browse practices")).to_be_visible()
    (cookie,) = [c for c in context.cookies() if c["name"] == ROUTE_COOKIE]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    context.close()

    _wait_for_log(deployment, cookie["value"], "/_stcore/stream")
    served = [(m, path, p) for m, path, p, r in _requests(deployment) if r == cookie["value"]]
    # The page itself (its first request, before the browser had the cookie, routed by the same
    # value nginx then gave it), its scripts, and its websocket: all on one process.
    assert any(path == "/browse" for _m, path, _p in served), served
    assert any(path.startswith("/_stcore/stream") for _m, path, _p in served), served
    assert len({p for _m, _path, p in served}) == 1, served


def test_an_upload_through_one_process_publishes_on_the_other_and_downloads(
    browser: Browser, deployment: Deployment, tmp_path: Path
) -> None:
    app_a, app_b = deployment.app_urls
    route_a, route_b = _route_to(deployment, app_a), _route_to(deployment, app_b)
    port_a, port_b = app_a.rsplit(":", 1)[-1], app_b.rsplit(":", 1)[-1]

    # A reader on process B browses first: B has run (and cached) the page without the
    # practice before it exists.
    reader: Page = _pinned(browser, deployment, route_b).new_page()
    reader.goto(deployment.url + READER_PAGE)
    wait_for_app(reader)
    before = _practices_shown(reader)
    expect(reader.get_by_text(SUMMARY)).to_have_count(0)

    # An organiser on process A imports a file, uploaded through nginx, as published.
    _add_organiser(deployment, "replicas@example.org")
    organiser: Page = _pinned(browser, deployment, route_a).new_page()
    organiser.goto(f"{deployment.url}/login")
    wait_for_app(organiser)
    organiser.get_by_label("Email").fill("replicas@example.org")
    organiser.get_by_role("textbox", name="Password").fill(PASSWORD)
    organiser.get_by_role("button", name="Sign in").click()
    expect(organiser).to_have_url(re.compile(r"/review"))
    wait_for_app(organiser)
    organiser.get_by_role("tab", name="Import own columns").click()
    wait_for_app(organiser)
    path = tmp_path / "replikagrad.csv"
    path.write_bytes(FILE)
    panel = organiser.get_by_role("tabpanel", name="Import own columns")
    panel.locator("input[type='file']").set_input_files(str(path))
    wait_for_app(organiser)
    expect(panel.get_by_role("combobox", name="Title (required)")).to_have_value("Наслов")
    panel.get_by_text("Published", exact=True).click()
    wait_for_app(organiser)
    panel.get_by_role("button", name="Dry run").click()
    wait_for_app(organiser)
    expect(panel.get_by_text("1 created", exact=False)).to_be_visible()
    panel.get_by_role("button", name="Import now").click()
    expect(panel.get_by_text("Imported from replikagrad.csv", exact=False)).to_be_visible()
    imported = time.monotonic()

    # Process B shows it at its next run: polled by reloading, never by waiting a set time.
    deadline = imported + 30
    loads = 0
    while True:
        reader.reload()
        loads += 1
        if _practices_shown(reader) == before + 1:
            expect(reader.get_by_text(SUMMARY)).to_be_visible()
            break
        if time.monotonic() > deadline:
            ARTIFACTS.mkdir(exist_ok=True)
            reader.screenshot(path=str(ARTIFACTS / "replicas-reader.png"), full_page=True)
            raise AssertionError("process B never showed the practice")
    seen = time.monotonic() - imported
    print(f"\npublished through process A, shown by process B after {seen:.2f} s ({loads} loads)")
    expect(reader.get_by_role("link", name=TITLE)).to_be_visible()

    # B's export of the page, downloaded through nginx, holds it.
    with reader.expect_download() as download:
        reader.get_by_role("button", name=re.compile("CSV")).click()
    with open(download.value.path(), "rb") as handle:
        rows = list(csv.reader(io.StringIO(handle.read().decode("utf-8-sig"))))
    assert [row for row in rows[1:] if TITLE in row], rows
    reader.context.close()
    organiser.context.close()

    # Every request went where its route said: the upload to A, the download to B.
    _wait_for_log(deployment, route_a, "/_stcore/stream")
    _wait_for_log(deployment, route_b, "/_stcore/stream")
    log = _requests(deployment)
    assert {p for _m, _path, p, r in log if r == route_a} == {port_a}
    assert {p for _m, _path, p, r in log if r == route_b} == {port_b}
    assert any(
        r == route_a and path.startswith("/_stcore/upload_file") for _m, path, _p, r in log
    ), log
    assert any(r == route_b and path.startswith("/media/") for _m, path, _p, r in log), log
