"""AppTest setup shared by every page test."""

import functools
from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session", autouse=True)
def scan_for_components_once() -> Iterator[None]:
    """Every new AppTest scans all installed distributions for Streamlit components (their
    metadata parsed one by one: a second of CPU, most of a short page test's time, seen in a
    profile). The installed packages do not change during a session, so the first scan's
    answer serves every AppTest; a real server scans once at startup too."""
    try:
        from streamlit.components.v2 import manifest_scanner
    except ImportError:  # a Streamlit without components v2 has nothing to scan
        yield
        return
    scan = manifest_scanner.scan_component_manifests
    # AppTest imports the function from its module on each run, so replacing it there suffices.
    manifest_scanner.scan_component_manifests = functools.cache(scan)
    yield
    manifest_scanner.scan_component_manifests = scan


@pytest.fixture(autouse=True)
def no_warmup_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    """A page opened in an AppTest does not start the warm-up thread (forumdash.warmup) of its
    database. Every page test has a database of its own, so each would leave a thread polling
    it every second and building its caches beside the tests (2 GB and one core of a worker in
    a full run). Without the thread a page builds what it needs on its own request, as it does
    on any database of up to matchmaking.BUILD_IN_REQUEST practices; the warm-up itself is
    tested in tests/unit/test_view_caches.py and runs in the browser tests' server. Per test
    (not per session): a session fixture would stay in force for the unit tests the same
    worker runs afterwards, the warm-up's own tests among them."""
    from forumdash import warmup

    monkeypatch.setattr(warmup, "start", lambda engine: None)
