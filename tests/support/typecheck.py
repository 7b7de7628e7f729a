"""mypy over src/forumdash (the [tool.mypy] settings of pyproject.toml), run in the background.

A cold run (no .mypy_cache, as in CI's fresh clone) takes about 25 s of CPU and 650 MB; a warm
one a second or two. So the pytest process that leads the session (the xdist controller, or
the only process without xdist) starts mypy as soon as it knows the mypy test is to run, and
mypy works while the tests do; the test, in whichever worker runs it, only collects the result.
They meet in a folder named by an environment variable that the leading process sets before
xdist starts its workers (they inherit it): `started` is written before mypy starts, `output`
holds what mypy prints (a file, not a pipe, which would stall mypy once full), and `code` its
exit status, written (renamed into place) when it ends. A test that finds no `started` (a run
where the test was not foreseen) runs mypy itself.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The cache stays in the checkout (.mypy_cache is in .gitignore): later runs are warm.
COMMAND = [sys.executable, "-m", "mypy", "--cache-dir", str(ROOT / ".mypy_cache")]
FOLDER_VARIABLE = "FORUMDASH_MYPY_RUN"

_process: subprocess.Popen[bytes] | None = None


def _folder() -> Path | None:
    value = os.environ.get(FOLDER_VARIABLE)
    return Path(value) if value else None


def leads_session() -> bool:
    """Whether this process leads the session (not an xdist worker)."""
    return "PYTEST_XDIST_WORKER" not in os.environ


def prepare() -> None:
    """In the leading process, before any worker starts: the folder where the run will meet."""
    if leads_session():
        os.environ[FOLDER_VARIABLE] = tempfile.mkdtemp(prefix="forumdash-mypy-")


def start() -> None:
    """Start mypy in the background (once), from the leading process."""
    global _process
    folder = _folder()
    if _process is not None or folder is None or not leads_session():
        return
    (folder / "started").touch()
    with open(folder / "output", "wb") as output:
        _process = subprocess.Popen(COMMAND, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
    threading.Thread(target=_record_exit, args=(_process, folder), daemon=True).start()


def _record_exit(process: subprocess.Popen[bytes], folder: Path) -> None:
    code = process.wait()
    (folder / "code.part").write_text(str(code))
    (folder / "code.part").rename(folder / "code")


def result(timeout: float = 900) -> tuple[int, str]:
    """mypy's exit code and output: the background run's, or a run of its own."""
    folder = _folder()
    if folder is None or not (folder / "started").exists():
        done = subprocess.run(COMMAND, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
        return done.returncode, done.stdout + done.stderr
    deadline = time.monotonic() + timeout
    while not (folder / "code").exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"mypy did not finish within {timeout:.0f} s")
        time.sleep(0.2)
    code = int((folder / "code").read_text())
    return code, (folder / "output").read_text(encoding="utf-8", errors="replace")


def stop() -> None:
    """At the end of the session, in the leading process: end mypy if still running, tidy up."""
    global _process
    if not leads_session():
        return
    if _process is not None and _process.poll() is None:
        _process.kill()
        _process.wait()
    _process = None
    folder = _folder()
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
        del os.environ[FOLDER_VARIABLE]
