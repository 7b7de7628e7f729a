"""A throwaway PostgreSQL server for the test session (initdb + pg_ctl, as postgres when root)."""

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa

from tests.support.pgfind import find_bindir


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Where a test server keeps its files: in memory (/dev/shm) when the machine has room there. On
# these machines' ext4 (mounted with `discard`) every CREATE and DROP DATABASE creates and
# unlinks about 600 files, 0.12-0.29 s a test database; on tmpfs 0.03-0.04 s (measured with 10
# create-and-drop rounds of the seeded template each way). The servers are throwaway and run
# with fsync off, so memory loses nothing a disk would have kept.
MEMORY_FOLDER = Path("/dev/shm")
MEMORY_NEEDED = 2 * 1024**3


def _server_folder() -> str | None:
    """The parent folder for a server's files: /dev/shm with 2 GiB free, else the default.
    What a killed test run left there is removed first (memory is not given back otherwise)."""
    _remove_abandoned(MEMORY_FOLDER)
    try:
        usage = shutil.disk_usage(MEMORY_FOLDER)
    except OSError:
        return None
    writable = os.access(MEMORY_FOLDER, os.W_OK | os.X_OK)
    return str(MEMORY_FOLDER) if writable and usage.free >= MEMORY_NEEDED else None


OWNER_FILE = "owner"  # the host that made a server folder: only its own are ever removed


def _remove_abandoned(parent: Path, older_than: float = 600.0) -> None:
    """Remove the folders of this host's servers that no longer run (no live postmaster), unless
    recent: a folder a moment old may be another worker's server still being made. A folder of
    another host (a /dev/shm shared between containers, whose process ids are not ours to look
    up) is never touched."""
    now = time.time()
    for folder in parent.glob("forumdash-pg-*"):
        try:
            if (folder / OWNER_FILE).read_text() != socket.gethostname():
                continue
            if now - folder.stat().st_mtime < older_than:
                continue
            pid_file = folder / "data" / "postmaster.pid"
            if pid_file.exists():
                pid = int(pid_file.read_text().split()[0])
                try:
                    os.kill(pid, 0)
                    continue  # running
                except ProcessLookupError:
                    pass
            shutil.rmtree(folder, ignore_errors=True)
        except (OSError, ValueError, IndexError):
            continue


def _as_postgres(args: list[str]) -> list[str]:
    # initdb and pg_ctl refuse to run as root.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


class Server:
    """A throwaway server (initdb'd in a temporary folder) that can be stopped and started again
    on the same port, as a database server goes down and comes back."""

    def __init__(self) -> None:
        bindir = find_bindir()
        if bindir is None:
            raise FileNotFoundError("PostgreSQL server binaries (initdb, pg_ctl) not found")
        self.bindir = bindir
        self.workdir = Path(tempfile.mkdtemp(prefix="forumdash-pg-", dir=_server_folder()))
        (self.workdir / OWNER_FILE).write_text(socket.gethostname())
        if os.geteuid() == 0:
            shutil.chown(self.workdir, "postgres", "postgres")
        os.chmod(self.workdir, 0o700)
        self.port = free_port()
        self.data, self.log = self.workdir / "data", self.workdir / "log"
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}"
        subprocess.run(
            _as_postgres(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(self.data),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--no-sync",
                    "--locale=C.UTF-8",
                ]
            ),
            check=True,
            capture_output=True,
            cwd=self.workdir,
        )

    def _pg_ctl(self, *args: str, check: bool = True) -> None:
        subprocess.run(
            _as_postgres([str(self.bindir / "pg_ctl"), "-D", str(self.data), *args]),
            check=check,
            capture_output=True,
            cwd=self.workdir,
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.workdir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._pg_ctl("-l", str(self.log), "-w", "-o", options, "start")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server, its clients cut off (`fast`; `immediate` is a crash, and with
        this server's fsync and synchronous_commit off it may lose the last commits)."""
        self._pg_ctl("-m", mode, "-w", "stop", check=False)

    def remove(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.workdir, ignore_errors=True)


@contextlib.contextmanager
def stoppable_server() -> Iterator[Server]:
    """A started server that the test may stop and start; stopped and deleted after."""
    server = Server()
    try:
        server.start()
        yield server
    finally:
        server.remove()


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """Start a server on a free loopback port; yield its admin URL; stop and delete it after."""
    with stoppable_server() as server:
        yield server.url


def create_database(admin_url: str, name: str, template: str | None = None) -> str:
    engine = sa.create_engine(f"{admin_url}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        suffix = f' TEMPLATE "{template}"' if template else ""
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"{suffix}')
    engine.dispose()
    return f"{admin_url}/{name}"


def drop_database(admin_url: str, name: str) -> None:
    engine = sa.create_engine(f"{admin_url}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    engine.dispose()
