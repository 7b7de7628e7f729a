"""The deployment recipe, run locally: a PostgreSQL server, N forumdash processes, and Debian's
nginx in front of them with the recipe's own sticky routing, each in a temporary folder.

    python deploy/run_local.py [--processes 2] [--port 8631] [--database-url URL]

It prints the address to open (or to point bench/load.py at), and stops everything on Ctrl-C.
The same setup with --processes 1 and 2 gives a fair comparison: one nginx, one database, only
the number of app processes changes. Without --database-url it starts its own PostgreSQL (as the
tests do, tests/support/pgserver.py) and seeds it; with one it migrates that database and seeds
it only when empty. Run it from the checkout, with the project's virtual environment:
`.venv/bin/python deploy/run_local.py`. tests/e2e/test_replicas.py drives it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: tests.support lives at the checkout's root
    sys.path.insert(0, str(ROOT))
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from forumdash.db import make_engine  # noqa: E402
from forumdash.service import init_database  # noqa: E402
from tests.support import pgserver  # noqa: E402

NGINX_DIR = ROOT / "deploy" / "nginx"
ENV_FILE = ROOT / "deploy" / "forumdash.env"
DEFAULT_PORT = 8631  # nginx; the app processes take the ports after it
STARTUP_SECONDS = 120  # one app process's start, on a loaded 2-core machine

# The access log says which process served each request, and for which route cookie: the test
# reads it to check that a browser's requests and websocket all went to one process.
LOG_FORMAT = (
    'log_format forumdash \'$msec $status "$request" upstream=$upstream_addr '
    "route=$forumdash_route';"
)


class DeploymentError(Exception):
    """Something of the local setup did not start; the message says what and where its log is."""


@dataclass(frozen=True)
class Deployment:
    """A running local setup: nginx's address, the app processes' own, the shared database."""

    url: str
    app_urls: tuple[str, ...]
    app_pids: tuple[
        int, ...
    ]  # for a load generator's RSS and CPU figures (nginx's port is not theirs)
    database_url: str
    workdir: Path

    @property
    def access_log(self) -> Path:
        return self.workdir / "nginx" / "access.log"


def find_nginx() -> str | None:
    """nginx's program (Debian puts it in /usr/sbin, off a normal user's PATH), or None."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")


def streamlit_settings() -> dict[str, str]:
    """The STREAMLIT_ settings of the recipe's environment file, its cookie secret made up: the
    local processes run with the settings the real ones do."""
    settings: dict[str, str] = {}
    for line in ENV_FILE.read_text(encoding="utf-8").splitlines():
        name, sep, value = line.partition("=")
        if sep and name.startswith("STREAMLIT_"):
            settings[name] = value
    settings["STREAMLIT_SERVER_COOKIE_SECRET"] = secrets.token_hex(32)
    return settings


def nginx_config(workdir: Path, port: int, app_ports: list[int]) -> str:
    """nginx's whole configuration: the recipe's two snippets around a local upstream, every
    path (pid, logs, temporary files) in `workdir`, on a loopback port."""
    # As in forumdash.conf, and for the reasons it gives there.
    servers = "\n".join(
        f"        server 127.0.0.1:{app_port} max_fails=0;" for app_port in app_ports
    )
    temp = "\n".join(
        f"    {kind}_temp_path {workdir / (kind + '_temp')};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""# Written by deploy/run_local.py for one local run.
worker_processes 1;
pid {workdir / "nginx.pid"};
error_log {workdir / "error.log"} warn;
daemon off;
events {{
    worker_connections 4096;
}}
http {{
{temp}
    include {NGINX_DIR / "forumdash-http.conf"};
    {LOG_FORMAT}
    access_log {workdir / "access.log"} forumdash;
    upstream forumdash {{
        hash $forumdash_route consistent;
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            include {NGINX_DIR / "forumdash-proxy.conf"};
        }}
    }}
}}
"""


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path, what: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        if process.poll() is not None:
            raise DeploymentError(f"{what} exited early (log: {log}):\n{_tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise DeploymentError(f"{what} did not start (log: {log}):\n{_tail(log)}")
        time.sleep(0.2)


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-2000:] if log.exists() else ""


def _stop_all(processes: list[subprocess.Popen[bytes]]) -> None:
    """Ask every process to stop at once, then wait: they shut down in parallel."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _start(command: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


@contextlib.contextmanager
def _database(database_url: str | None) -> Iterator[str]:
    """The given database, or a PostgreSQL server of our own with a database `forumdash`."""
    if database_url:
        yield database_url
        return
    with pgserver.postgres_server() as admin_url:
        yield pgserver.create_database(admin_url, "forumdash")


@contextlib.contextmanager
def local_deployment(
    processes: int = 2,
    port: int = DEFAULT_PORT,
    database_url: str | None = None,
    workdir: Path | None = None,
    app_ports: list[int] | None = None,
) -> Iterator[Deployment]:
    """Start the database, `processes` app processes (on `app_ports`, else the ports after
    `port`), and nginx on `port`; yield when all answer; stop them all after (and delete what
    they wrote, unless `workdir` was given)."""
    nginx = find_nginx()
    if nginx is None:
        raise DeploymentError("nginx not found (Debian package 'nginx')")
    own_workdir = workdir is None
    folder = workdir or Path(tempfile.mkdtemp(prefix="forumdash-deploy-"))
    (folder / "nginx").mkdir(parents=True, exist_ok=True)
    app_ports = app_ports or [port + 1 + index for index in range(processes)]
    try:
        with _database(database_url) as url:
            # Migrated and seeded once, before the processes start, so that each one's first
            # page finds it ready (they would also do it themselves, one at a time).
            engine = make_engine(url)
            init_database(engine)
            engine.dispose()
            env = (
                os.environ
                | streamlit_settings()
                | {
                    "FORUMDASH_DATABASE_URL": url,
                    "FORUMDASH_TRUSTED_PROXIES": "1",
                    "PYTHONPATH": os.pathsep.join(
                        [str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
                    ),
                }
            )
            started: list[subprocess.Popen[bytes]] = []
            try:
                for app_port in app_ports:
                    command = [
                        sys.executable,
                        "-m",
                        "forumdash",
                        "serve",
                        "--server.port",
                        str(app_port),
                        "--server.address",
                        "127.0.0.1",
                    ]
                    started.append(_start(command, folder / f"app-{app_port}.log", env))
                # Started together, waited for together: the processes start in parallel.
                for process, app_port in zip(started, app_ports, strict=True):
                    _wait_until_up(
                        f"http://127.0.0.1:{app_port}/_stcore/health",
                        process,
                        folder / f"app-{app_port}.log",
                        f"app process on port {app_port}",
                    )
                config = folder / "nginx" / "nginx.conf"
                config.write_text(nginx_config(folder / "nginx", port, app_ports), encoding="utf-8")
                command = [nginx, "-p", str(folder / "nginx"), "-c", str(config), "-e", "stderr"]
                checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
                if checked.returncode != 0:
                    raise DeploymentError(f"nginx refused its configuration:\n{checked.stderr}")
                nginx_log = folder / "nginx" / "nginx.out"
                front = _start(command, nginx_log, dict(os.environ))
                started.append(front)
                base = f"http://127.0.0.1:{port}"
                _wait_until_up(f"{base}/_stcore/health", front, nginx_log, "nginx")
                yield Deployment(
                    url=base,
                    app_urls=tuple(f"http://127.0.0.1:{app_port}" for app_port in app_ports),
                    app_pids=tuple(process.pid for process in started[: len(app_ports)]),
                    database_url=url,
                    workdir=folder,
                )
            finally:
                _stop_all(started)
    finally:
        if own_workdir:
            shutil.rmtree(folder, ignore_errors=True)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Start the local setup, print its address, and stop it on Ctrl-C (or SIGTERM)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", type=int, default=2, help="app processes (default 2)")
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"nginx's port; the app processes take the next ones (default {DEFAULT_PORT})",
    )
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL database to use (default: a server of our own, seeded)",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.processes <= 16:
        parser.error("--processes: 1 to 16")
    # SIGTERM stops as Ctrl-C does: every process started here is stopped on the way out.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        with local_deployment(args.processes, args.port, args.database_url) as deployment:
            print(f"forumdash: {deployment.url}", flush=True)
            apps = zip(deployment.app_urls, deployment.app_pids, strict=True)
            listed = ", ".join(f"{url} (pid {pid})" for url, pid in apps)
            print(f"  {args.processes} app process(es): {listed}", flush=True)
            print(f"  database: {deployment.database_url}", flush=True)
            print(f"  logs: {deployment.workdir}  (Ctrl-C stops everything)", flush=True)
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        print("stopped", flush=True)
        return 0
    except (DeploymentError, FileNotFoundError, subprocess.CalledProcessError) as exc:
        print(f"run_local: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
