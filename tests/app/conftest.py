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
