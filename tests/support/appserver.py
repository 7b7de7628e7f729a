"""Run the real app (`python -m forumdash serve`, the README's command) as a subprocess on a free
loopback port."""

import contextlib
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from tests.support.pgserver import free_port

ROOT = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def streamlit_server(database_url: str, log_path: Path, port: int | None = None) -> Iterator[str]:
    """Start the app against `database_url` (on `port`, else a free one: a restart on the same
    port keeps the pages' URLs); yield its base URL; stop it after."""
    port = port or free_port()
    env = os.environ | {"FORUMDASH_DATABASE_URL": database_url}
    command = [
        sys.executable,
        "-m",
        "forumdash",
        "serve",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the app exited early:\n{log_path.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                    if response.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the app did not start:\n{log_path.read_text()[-2000:]}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
