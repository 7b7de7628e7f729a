"""A real Chromium (Debian's, never a downloaded one) against the app running as a server."""

import shutil
from collections.abc import Generator, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pluggy
import pytest
from playwright.sync_api import Browser, Page

from tests.conftest import ROOT, Templates, skip_or_fail
from tests.support.appserver import streamlit_server

ARTIFACTS = ROOT / "test-artifacts"

# CI machines run the browser tests next to other work: a Streamlit rerun that takes 2 s on a
# quiet machine can take more than Playwright's default 5 s there (seen once, on the correction
# form after an approval rebuilt the matching corpus). Waiting longer costs nothing when it passes.
try:
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)
except ImportError:  # the browser fixture says so and skips (or fails in CI)
    pass
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = _chromium()
    if executable is None:
        skip_or_fail("Chromium not found (Debian package 'chromium')")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("the Python package 'playwright' is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


_APP_DATABASE: list[str] = []


def app_database_url() -> str:
    """The database URL of the running app."""
    return _APP_DATABASE[0]


@pytest.fixture(scope="session")
def app_url(
    tmp_path_factory: pytest.TempPathFactory, browser: Browser, templates: Templates
) -> Iterator[str]:
    """The app, started once per session (per xdist worker) on a fresh copy of the session's
    seeded SQLite template (the app finds it migrated and seeded, as it would after its own first
    view; seeding it there took up to 29 s of CPU under load, and the worker has usually built
    the template already). Its first page view is made here, with time for a loaded machine, so
    no test's own first view waits for the app's start."""
    folder = tmp_path_factory.mktemp("app")
    database, _ = templates.clone("sqlite", True, folder)
    _APP_DATABASE[:] = [database]
    with streamlit_server(_APP_DATABASE[0], folder / "app.log") as url:
        first = browser.new_page()
        try:
            first.goto(url + "/", timeout=120_000)
            wait_for_app(first, timeout=120_000)
        finally:
            first.close()
        yield url


@pytest.fixture
def page(browser, request: pytest.FixtureRequest) -> Iterator[object]:
    """A new browser page; on failure its screenshot is kept under test-artifacts/."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pluggy.Result[pytest.TestReport], None]:
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call = report


def wait_for_app(page: Page, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished running the script: no running indicator and no stale
    element left. While a rerun streams in, the previous run's elements stay on the page
    (data-stale), and a click on one of them goes to a widget the new run no longer draws: on a
    loaded CI machine a test once pressed the previous form's button and nothing was saved."""
    page.wait_for_selector("[data-testid='stApp']")
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && document.querySelector('[data-testid=\"stSidebar\"]')"
        " && !document.querySelector('[data-stale=\"true\"]')",
        timeout=timeout,
    )


def watch_for_escapes(page: Page) -> tuple[list[str], list[str]]:
    """Record every dialog (dismissed) and every request to another host than the app's; the
    lists fill while the test drives the page, and hostile text must leave both empty."""
    dialogs: list[str] = []
    foreign: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on(
        "request",
        lambda r: (
            None
            if urlsplit(r.url).hostname in ("127.0.0.1", "localhost") or r.url.startswith("data:")
            else foreign.append(r.url)
        ),
    )
    return dialogs, foreign


__all__ = ["ARTIFACTS", "Path", "wait_for_app", "watch_for_escapes"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """All browser tests run on one xdist worker (pyproject's --dist loadgroup): one Chromium and
    one app server at a time, so a Streamlit rerun is not starved by a second browser. (Split
    over both workers, one group per module, a fresh clone's run was slower on 2 cores, not
    faster: two Chromiums and two app servers starved each other and the unit tests.)"""
    for item in items:
        if "tests/e2e/" in item.nodeid:
            item.add_marker(pytest.mark.xdist_group("e2e"))
