"""mypy over src/forumdash (the [tool.mypy] settings of pyproject.toml), run in the background.

A cold run (no .mypy_cache, as in CI's fresh clone) takes about 20 s of CPU and 650 MB; a warm
one a few seconds. tests/conftest.py starts it as soon as the session's tests are collected, if
the mypy test is among them, so it runs on the second core while the other tests run on the
first; the test then only collects the result. Under pytest-xdist (a worker runs any test) the
test simply runs mypy itself. The output goes to a temporary file, not a pipe: mypy would stall
once a pipe's buffer filled with nobody reading it yet.
"""

import subprocess
import sys
import tempfile
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[2]
# The cache stays in the checkout (.mypy_cache is in .gitignore): later runs are warm.
COMMAND = [sys.executable, "-m", "mypy", "--cache-dir", str(ROOT / ".mypy_cache")]

_running: tuple[subprocess.Popen[bytes], IO[bytes]] | None = None


def start() -> None:
    """Start mypy in the background (once)."""
    global _running
    if _running is None:
        output = tempfile.TemporaryFile()
        process = subprocess.Popen(COMMAND, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
        _running = (process, output)


def result(timeout: float = 900) -> tuple[int, str]:
    """mypy's exit code and output, starting it now if the session did not."""
    start()
    assert _running is not None
    process, output = _running
    try:
        code = process.wait(timeout=timeout)
        output.seek(0)
        text = output.read().decode("utf-8", errors="replace")
    finally:
        stop()
    return code, text


def stop() -> None:
    """End the run (killed if nobody collected it: a session that stopped early)."""
    global _running
    if _running is not None:
        process, output = _running
        if process.poll() is None:
            process.kill()
            process.wait()
        output.close()
        _running = None
