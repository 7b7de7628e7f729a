"""Load generator: simulated participants driving forumdash over Streamlit's own websocket
protocol (bench/streamlit_client.py), with the server's memory and CPU, and the same load on a
trivial Streamlit page (the framework's floor) measured in the same run.

    python bench/load.py --url http://127.0.0.1:8611 --sessions 50 --think 5,15 --duration 120
    python bench/load.py --url http://127.0.0.1:8611 --sessions 250 --think 10,20 \\
        --duration 300 --ramp 10 --floor
    python bench/load.py --url http://127.0.0.1:8611 --idle --sessions 250   # memory per session

Each participant opens one session (a browser tab) on the overview, then repeatedly picks a
journey (overview, browse with a filter click and a search, a practice page, a challenge with
its matches, "I want to learn from this" on a practice, the event display), acting and then
waiting a think time drawn uniformly in [A, B] s before each next action. A step's time runs
from sending its BackMsg to the `script_finished` of that run. On the display the session sends
the auto-reruns its fragment asks for while the participant looks (step `display.tick`).

It prints per step: count, p50, p95, max (ms), errors (Exception elements, compile errors),
error alerts (st.error boxes: the app's own "database not reachable" and the like), and
disconnects; the server's RSS and CPU seconds before, at the peak during, and after; and with
--floor the same for a trivial page (bench/trivial_app.py, started here on --floor-port) with
the ratios forumdash / floor. The last line is one JSON object.

--idle measures memory per idle session instead: N sessions load a page and stay, the server's
RSS before and after gives MB per session; then they leave and the RSS is sampled every
--interval s for --watch s, to see whether it comes back within 10% of the start.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import time
import urllib.request
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402
from streamlit_client import Disconnected, Run, StreamlitSession  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TICKS = os.sysconf("SC_CLK_TCK")
SEARCH_WORDS = ["budget", "open data", "transparency", "participation", "procurement", "zvrkgrad"]
FILTER_LABELS = ["Country", "Theme", "Stage"]
JOURNEYS = ["overview", "browse", "practice", "learn", "challenge", "display"]


# -- the server's process ----------------------------------------------------------------------


def listening_pid(port: int) -> int | None:
    """The process listening on a TCP port, from /proc (no lsof needed)."""
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                inodes.add(f"socket:[{inode}]")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            for fd in (entry / "fd").iterdir():
                if os.readlink(fd) in inodes:
                    return int(entry.name)
        except OSError:
            continue
    return None


def process_sample(pid: int) -> tuple[float, float]:
    """(RSS in MiB, CPU seconds user+system) of a process, from /proc."""
    rss_kib = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss_kib = int(line.split()[1])
    stat = Path(f"/proc/{pid}/stat").read_text()
    after_name = stat.rsplit(")", 1)[1].split()
    cpu = (int(after_name[11]) + int(after_name[12])) / TICKS  # utime, stime
    return rss_kib / 1024, cpu


class ServerWatch:
    """The server's RSS and CPU: before, the peak RSS while running, after."""

    def __init__(self, pid: int | None) -> None:
        self.pid = pid
        self.before: tuple[float, float] | None = None
        self.after: tuple[float, float] | None = None
        self.peak_rss = 0.0
        self.peak_cpu = 0.0  # cores busy, the most over a 5 s window
        self._task: asyncio.Task[None] | None = None

    def sample(self) -> tuple[float, float] | None:
        if self.pid is None:
            return None
        try:
            return process_sample(self.pid)
        except OSError:
            return None

    async def _poll(self) -> None:
        window: list[tuple[float, float]] = []  # (time, CPU seconds) over the last 5 s
        while True:
            now = self.sample()
            if now:
                self.peak_rss = max(self.peak_rss, now[0])
                window.append((time.monotonic(), now[1]))
                while window[-1][0] - window[0][0] > 5:
                    window.pop(0)
                span = window[-1][0] - window[0][0]
                if span >= 2:
                    rate = (window[-1][1] - window[0][1]) / span
                    self.peak_cpu = max(self.peak_cpu, rate)
            await asyncio.sleep(0.5)

    def start(self) -> None:
        self.before = self.sample()
        self.peak_rss = self.before[0] if self.before else 0.0
        self._task = asyncio.create_task(self._poll())

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
        self.after = self.sample()
        if self.after:
            self.peak_rss = max(self.peak_rss, self.after[0])

    def as_dict(self) -> dict[str, float | None]:
        b, a = self.before, self.after
        return {
            "pid": self.pid,
            "rss_before_mib": round(b[0], 1) if b else None,
            "rss_peak_mib": round(self.peak_rss, 1) if b else None,
            "rss_after_mib": round(a[0], 1) if a else None,
            "cpu_s": round(a[1] - b[1], 2) if a and b else None,
            "cpu_peak_cores": round(self.peak_cpu, 2) if b else None,
        }


# -- the participants --------------------------------------------------------------------------


@dataclass
class Stats:
    """Every step's times, errors and disconnects, by step name."""

    times: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    error_alerts: dict[str, int] = field(default_factory=dict)
    disconnects: dict[str, int] = field(default_factory=dict)
    samples: list[str] = field(default_factory=list)  # the first error messages, for the log

    def record(self, name: str, run: Run) -> None:
        self.times.setdefault(name, []).append(run.seconds)
        if run.errors:
            self.errors[name] = self.errors.get(name, 0) + len(run.errors)
            self.samples.extend(f"{name}: {e}" for e in run.errors[: 3 - len(self.samples)])
        if run.error_alerts:
            self.error_alerts[name] = self.error_alerts.get(name, 0) + len(run.error_alerts)
            self.samples.extend(
                f"{name} (st.error): {e}" for e in run.error_alerts[: 3 - len(self.samples)]
            )

    def disconnected(self, name: str, why: str) -> None:
        self.disconnects[name] = self.disconnects.get(name, 0) + 1
        if len(self.samples) < 6:
            self.samples.append(f"{name} disconnected: {why[:200]}")


class Finished(Exception):
    """The run's duration is over for this participant."""


@dataclass
class Pools:
    """Links the participants have seen, shared (what a person could tap next)."""

    practices: set[str] = field(default_factory=set)
    challenges: set[str] = field(default_factory=set)

    def harvest(self, session: StreamlitSession) -> None:
        self.practices.update(q for q in session.links("practice") if "id=" in q)
        self.challenges.update(q for q in session.links("challenges") if "id=" in q)


class Participant:
    """One simulated person with one tab."""

    def __init__(
        self,
        url: str,
        think: tuple[float, float],
        deadline: float,
        stats: Stats,
        pools: Pools,
        rng: random.Random,
        timeout: float,
    ) -> None:
        self.url = url
        self.think_range = think
        self.deadline = deadline
        self.stats = stats
        self.pools = pools
        self.rng = rng
        self.timeout = timeout
        self.session: StreamlitSession | None = None

    async def step(self, name: str, action: Callable[[StreamlitSession], Awaitable[Run]]) -> bool:
        """Run one timed action; False when the tab was lost (it is opened again next step)."""
        if time.monotonic() >= self.deadline:
            raise Finished
        session = self.session
        if session is None:
            return False
        try:
            run = await action(session)
        except Disconnected as exc:
            self.stats.disconnected(name, str(exc))
            await session.close()
            self.session = None
            return False
        self.stats.record(name, run)
        self.pools.harvest(session)
        return True

    async def go(self, name: str, path: str, query: str = "") -> bool:
        """Open a page: by following a link when the tab is open, else as a new tab."""
        if self.session is None:
            if time.monotonic() >= self.deadline:
                raise Finished
            self.session = StreamlitSession(self.url, timeout=self.timeout)
            return await self.step(f"{name} (new tab)", lambda s: s.open(path, query))
        return await self.step(name, lambda s: s.navigate(path, query))

    async def think(self) -> None:
        """Wait a think time; a page with a fragment's run_every (the display) keeps
        rerunning it meanwhile, as the browser does."""
        until = min(time.monotonic() + self.rng.uniform(*self.think_range), self.deadline)
        while True:
            left = until - time.monotonic()
            session = self.session
            if session is None or not session.auto_reruns:
                if left > 0:
                    await asyncio.sleep(left)
                return
            fragment, interval = next(iter(session.auto_reruns.items()))
            if interval > left:
                await asyncio.sleep(max(left, 0))
                return
            await asyncio.sleep(interval)
            await self.step("display.tick", lambda s, f=fragment: s.rerun_fragment(f))

    # The journeys: each a few steps with think times between.

    async def overview(self) -> None:
        await self.go("overview", "")

    async def browse(self) -> None:
        if not await self.go("browse", "browse"):
            return
        await self.think()
        label = self.rng.choice(FILTER_LABELS)
        await self.step("browse.filter", lambda s: self._pick_filter(s, label))
        await self.think()
        word = self.rng.choice(SEARCH_WORDS)
        await self.step("browse.search", lambda s: self._search(s, word))

    async def _pick_filter(self, session: StreamlitSession, label: str) -> Run:
        widget = session.find("button_group", label)
        options = [o.content for o in session.element(widget).button_group.options]
        state = WidgetState()
        state.string_array_value.data.append(self.rng.choice(options))
        return await session.set_widget(widget.widget_id, state)

    async def _search(self, session: StreamlitSession, word: str) -> Run:
        widget = session.find("text_input", "Search practices")
        return await session.set_widget(widget.widget_id, WidgetState(string_value=word))

    async def practice(self) -> None:
        if not self.pools.practices:
            await self.browse()
            return
        await self.go("practice", "practice", self.rng.choice(sorted(self.pools.practices)))

    async def learn(self) -> None:
        if not self.pools.practices:
            await self.browse()
            return
        if not await self.go("practice", "practice", self.rng.choice(sorted(self.pools.practices))):
            return
        await self.think()

        async def press(session: StreamlitSession) -> Run:
            return await session.click(
                session.find("button", "I want to learn from this").widget_id
            )

        await self.step("practice.learn", press)

    async def challenge(self) -> None:
        if not await self.go("challenges", "challenges"):
            return
        if not self.pools.challenges:
            return
        await self.think()
        await self.go("challenge", "challenges", self.rng.choice(sorted(self.pools.challenges)))

    async def display(self) -> None:
        await self.go("display", "display")

    async def live(self, journeys: list[str], start_delay: float) -> None:
        """Arrive (after the ramp's delay) on the overview, then act until the deadline."""
        await asyncio.sleep(start_delay)
        try:
            await self.go("overview", "")
            while True:
                await self.think()
                journey = self.rng.choice(journeys)
                try:
                    await getattr(self, journey)()
                except LookupError as exc:  # a widget or link the journey needs was not drawn
                    name = f"{journey} (missing)"
                    self.stats.errors[name] = self.stats.errors.get(name, 0) + 1
                    if len(self.stats.samples) < 6:
                        self.stats.samples.append(f"{journey}: {exc}")
        except Finished:
            pass
        finally:
            if self.session is not None:
                await self.session.close()


async def trivial_live(
    url: str,
    think: tuple[float, float],
    deadline: float,
    stats: Stats,
    rng: random.Random,
    timeout: float,
    start_delay: float,
) -> None:
    """The floor's participant: opens the trivial page, then reruns it after every think."""
    await asyncio.sleep(start_delay)
    session: StreamlitSession | None = None
    try:
        while time.monotonic() < deadline:
            try:
                if session is None:
                    session = StreamlitSession(url, timeout=timeout)
                    stats.record("trivial (new tab)", await session.open("/"))
                else:
                    stats.record("trivial", await session.rerun())
            except Disconnected as exc:
                stats.disconnected("trivial", str(exc))
                session = None
            await asyncio.sleep(min(rng.uniform(*think), max(deadline - time.monotonic(), 0)))
    finally:
        if session is not None:
            await session.close()


async def event_loop_lag(samples: list[float]) -> None:
    """How late the client's own loop wakes up: a busy client would inflate step times."""
    while True:
        start = time.perf_counter()
        await asyncio.sleep(0.1)
        samples.append(time.perf_counter() - start - 0.1)


async def warm_up(url: str, timeout: float) -> dict[str, float]:
    """One participant walks every journey once, unmeasured, so that the run does not time
    the server's first requests after its start (imports, caches: reported apart)."""
    stats = Stats()
    person = Participant(
        url, (0.0, 0.0), time.monotonic() + 3600, stats, Pools(), random.Random(0), timeout
    )
    try:
        await person.go("overview", "")
        for journey in JOURNEYS:
            await getattr(person, journey)()
    finally:
        if person.session is not None:
            await person.session.close()
    return {name: round(times[0] * 1000) for name, times in stats.times.items()}


@dataclass
class Result:
    label: str
    stats: Stats
    server: dict[str, float | None]
    wall_s: float
    lag: list[float]


async def drive(
    label: str,
    url: str,
    sessions: int,
    think: tuple[float, float],
    duration: float,
    ramp: float,
    journeys: list[str] | None,
    pid: int | None,
    seed: int,
    timeout: float,
) -> Result:
    """Run N participants for `duration` s against one server and collect the figures."""
    stats, pools = Stats(), Pools()
    watch = ServerWatch(pid)
    lag: list[float] = []
    lag_task = asyncio.create_task(event_loop_lag(lag))
    watch.start()
    started = time.monotonic()
    deadline = started + ramp + duration
    tasks = []
    for i in range(sessions):
        rng = random.Random(seed * 100_003 + i)
        delay = ramp * i / sessions if sessions else 0.0
        if journeys is None:
            coro = trivial_live(url, think, deadline, stats, rng, timeout, delay)
        else:
            person = Participant(url, think, deadline, stats, pools, rng, timeout)
            coro = person.live(journeys, delay)
        tasks.append(asyncio.create_task(coro))
    await asyncio.gather(*tasks)
    wall = time.monotonic() - started
    await asyncio.sleep(2)  # the server finishes the sessions' disconnects
    await watch.stop()
    lag_task.cancel()
    return Result(label, stats, watch.as_dict(), wall, lag)


# -- reporting ---------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolated percentile (q in 0..100)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    if len(ordered) == 1:
        return ordered[0]
    k = (len(ordered) - 1) * q / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def summary(result: Result) -> dict[str, object]:
    """The figures of one run as a dict (also printed as a table)."""
    stats = result.stats
    steps: dict[str, dict[str, float | int]] = {}
    everything: list[float] = []
    for name in sorted(stats.times):
        times = stats.times[name]
        everything.extend(times)
        steps[name] = {
            "count": len(times),
            "p50_ms": round(percentile(times, 50) * 1000, 1),
            "p95_ms": round(percentile(times, 95) * 1000, 1),
            "max_ms": round(max(times) * 1000, 1),
            "errors": stats.errors.get(name, 0),
            "error_alerts": stats.error_alerts.get(name, 0),
            "disconnects": stats.disconnects.get(name, 0),
        }
    for name in set(stats.disconnects) | set(stats.errors):
        if name not in steps:
            steps[name] = {
                "count": 0,
                "errors": stats.errors.get(name, 0),
                "disconnects": stats.disconnects.get(name, 0),
            }
    total = len(everything)
    cpu = result.server.get("cpu_s")
    return {
        "label": result.label,
        "steps": steps,
        "all": {
            "count": total,
            "p50_ms": round(percentile(everything, 50) * 1000, 1) if total else None,
            "p95_ms": round(percentile(everything, 95) * 1000, 1) if total else None,
            "max_ms": round(max(everything) * 1000, 1) if total else None,
            "errors": sum(stats.errors.values()),
            "error_alerts": sum(stats.error_alerts.values()),
            "disconnects": sum(stats.disconnects.values()),
            "steps_per_s": round(total / result.wall_s, 2) if result.wall_s else None,
            "cpu_ms_per_step": round(cpu * 1000 / total, 1) if cpu is not None and total else None,
        },
        "server": result.server,
        "client_loop_lag_ms": {
            "p95": round(percentile(result.lag, 95) * 1000, 1) if result.lag else None,
            "max": round(max(result.lag) * 1000, 1) if result.lag else None,
        },
        "first_errors": stats.samples[:6],
    }


def print_table(figures: dict[str, object]) -> None:
    print(f"\n== {figures['label']}")
    print(
        f"{'step':28} {'count':>6} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9} {'err':>4} "
        f"{'alert':>5} {'disc':>4}"
    )
    rows = dict(figures["steps"])  # type: ignore[call-overload]
    rows["ALL"] = figures["all"]
    for name, row in rows.items():
        print(
            f"{name:28} {row.get('count', 0):>6} {row.get('p50_ms', float('nan')):>9} "
            f"{row.get('p95_ms', float('nan')):>9} {row.get('max_ms', float('nan')):>9} "
            f"{row.get('errors', 0):>4} {row.get('error_alerts', 0):>5} "
            f"{row.get('disconnects', 0):>4}"
        )
    allrow = figures["all"]
    server = figures["server"]
    print(
        f"steps/s {allrow['steps_per_s']}; server pid {server['pid']}: RSS before "  # type: ignore[index]
        f"{server['rss_before_mib']} MiB, peak {server['rss_peak_mib']}, after "  # type: ignore[index]
        f"{server['rss_after_mib']}; CPU {server['cpu_s']} s (peak "  # type: ignore[index]
        f"{server['cpu_peak_cores']} cores busy) = "  # type: ignore[index]
        f"{allrow['cpu_ms_per_step']} ms per step; client loop lag p95/max "  # type: ignore[index]
        f"{figures['client_loop_lag_ms']}"
    )
    for line in figures["first_errors"]:  # type: ignore[attr-defined]
        print("  !", line)


# -- the floor's server ------------------------------------------------------------------------


def start_streamlit(
    script: str, port: int, log: Path, database_url: str | None = None
) -> subprocess.Popen[bytes]:
    """Start a Streamlit script of this checkout (app.py, or bench/trivial_app.py for the floor)
    as the browser tests do, this checkout's src/ first on the path; wait until it answers."""
    # The app as its README starts it (python -m forumdash serve); the floor as a plain script.
    run = ["forumdash", "serve"] if script == "app.py" else ["streamlit", "run", script]
    command = [
        sys.executable, "-m", *run,
        "--server.headless", "true", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    path = os.pathsep.join(p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH")) if p)
    env = os.environ | {"PYTHONPATH": path}
    if database_url:
        env["FORUMDASH_DATABASE_URL"] = database_url
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{script} exited:\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"{script} did not start")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


# -- idle sessions' memory ---------------------------------------------------------------------


async def idle_memory(
    url: str,
    sessions: int,
    page: str,
    pid: int,
    settle: float,
    watch: float,
    interval: float,
    timeout: float,
    ramp: float,
) -> dict[str, object]:
    """RSS per idle session, and its return after they leave."""
    path, _, query = page.partition("?")
    for _ in range(2):  # warm-up: imports, caches, the first run's one-off costs
        warm = StreamlitSession(url, timeout=timeout)
        await warm.open(path, query)
        await warm.close()
    await asyncio.sleep(settle)
    start_rss = process_sample(pid)[0]
    print(f"RSS at start (after a warm-up): {start_rss:.1f} MiB", flush=True)
    tabs = [StreamlitSession(url, timeout=timeout) for _ in range(sessions)]

    async def arrive(index: int, tab: StreamlitSession) -> Run:
        await asyncio.sleep(ramp * index / sessions)
        return await tab.open(path, query)

    outcome = await asyncio.gather(
        *(arrive(i, t) for i, t in enumerate(tabs)), return_exceptions=True
    )
    right_after = process_sample(pid)[0]
    failed = [o for o in outcome if isinstance(o, BaseException)]
    opened = sessions - len(failed)
    await asyncio.sleep(settle)
    loaded_rss = process_sample(pid)[0]
    per_session = (loaded_rss - start_rss) / opened if opened else float("nan")
    print(
        f"{opened} sessions open ({len(failed)} failed): RSS {loaded_rss:.1f} MiB, "
        f"{per_session:.2f} MiB per session",
        flush=True,
    )
    await asyncio.gather(*(t.close() for t in tabs))
    left_at = time.monotonic()
    series = [(0.0, process_sample(pid)[0])]
    print(f"closed: RSS {series[0][1]:.1f} MiB", flush=True)
    while time.monotonic() - left_at < watch:
        await asyncio.sleep(interval)
        series.append((time.monotonic() - left_at, process_sample(pid)[0]))
        print(f"  +{series[-1][0]:.0f} s: RSS {series[-1][1]:.1f} MiB", flush=True)
    end_rss = series[-1][1]
    growth = (end_rss - start_rss) / start_rss * 100
    return {
        "mode": "idle",
        "sessions": sessions,
        "opened": opened,
        "page": page,
        "rss_start_mib": round(start_rss, 1),
        "rss_loaded_mib": round(loaded_rss, 1),
        "rss_right_after_loading_mib": round(right_after, 1),
        "mib_per_session": round(per_session, 3),
        "rss_after_leave_mib": [[round(t), round(r, 1)] for t, r in series],
        "rss_end_growth_pct": round(growth, 1),
        "within_10pct": abs(growth) < 10,
        "failures": [repr(f)[:200] for f in failed[:3]],
    }


# -- command line ------------------------------------------------------------------------------


def parse_think(text: str) -> tuple[float, float]:
    low, _, high = text.partition(",")
    a, b = float(low), float(high or low)
    if a < 0 or b < a:
        raise argparse.ArgumentTypeError("--think A,B with 0 <= A <= B (seconds)")
    return a, b


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="the app, e.g. http://127.0.0.1:8501")
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--think", type=parse_think, default=(5.0, 15.0), help="A,B seconds")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load after ramp")
    parser.add_argument("--journey", action="append", choices=JOURNEYS, help="repeatable")
    parser.add_argument("--ramp", type=float, default=0, help="seconds over which tabs arrive")
    parser.add_argument("--floor", action="store_true", help="also measure bench/trivial_app.py")
    parser.add_argument("--floor-port", type=int, default=8619)
    parser.add_argument("--server-pid", type=int, help="default: the process on --url's port")
    parser.add_argument(
        "--start-app",
        metavar="DATABASE_URL",
        help="start app.py on --url's port against this database first, and stop it after",
    )
    parser.add_argument(
        "--warmup",
        action=argparse.BooleanOptionalAction,
        help="walk every journey once before measuring (default: with --start-app only)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=300, help="a step longer is a disconnect")
    parser.add_argument("--idle", action="store_true", help="measure memory per idle session")
    parser.add_argument("--idle-page", default="/", help="the page idle sessions load")
    parser.add_argument("--settle", type=float, default=10, help="idle: seconds before sampling")
    parser.add_argument("--watch", type=float, default=300, help="idle: seconds after they leave")
    parser.add_argument("--interval", type=float, default=30, help="idle: sampling interval")
    args = parser.parse_args(argv)

    url = args.url.rstrip("/")
    port = int(url.rsplit(":", 1)[1].split("/")[0]) if url.count(":") == 2 else 80
    tmp = Path(os.environ.get("TMPDIR", "/tmp"))
    app = None
    if args.start_app:
        app = start_streamlit("app.py", port, tmp / f"forumdash-{port}.log", args.start_app)
    try:
        return run(args, url, port)
    finally:
        if app is not None:
            stop(app)


def run(args: argparse.Namespace, url: str, port: int) -> int:
    """The measurement the options ask for, against a running server."""
    pid = args.server_pid or listening_pid(port)
    if pid is None:
        print(
            f"no process found listening on port {port}: RSS and CPU will be missing "
            "(pass --server-pid)",
            file=sys.stderr,
        )
    load_before = os.getloadavg()

    if args.idle:
        if pid is None:
            print("--idle needs the server's process (--server-pid)", file=sys.stderr)
            return 2
        figures = asyncio.run(
            idle_memory(url, args.sessions, args.idle_page, pid, args.settle, args.watch,
                        args.interval, args.timeout, args.ramp)
        )  # fmt: skip
        figures["load_average"] = [load_before, os.getloadavg()]
        print(json.dumps(figures))
        return 0

    journeys = args.journey or JOURNEYS
    report: dict[str, object] = {}
    if args.warmup or (args.warmup is None and args.start_app):
        first = asyncio.run(warm_up(url, args.timeout))
        print(f"warm-up (first requests, ms): {first}", flush=True)
        report["warmup_ms"] = first
    print(
        f"{args.sessions} sessions, think {args.think[0]:g}-{args.think[1]:g} s, "
        f"{args.duration:g} s (+{args.ramp:g} s ramp), journeys {','.join(journeys)}; "
        f"load average {load_before[0]:.2f}",
        flush=True,
    )
    app = summary(
        asyncio.run(
            drive("forumdash", url, args.sessions, args.think, args.duration, args.ramp,
                  journeys, pid, args.seed, args.timeout)
        )
    )  # fmt: skip
    print_table(app)
    report |= {"forumdash": app, "sessions": args.sessions, "think": args.think,
               "duration": args.duration}  # fmt: skip
    if args.floor:
        log = Path(os.environ.get("TMPDIR", "/tmp")) / f"trivial-{args.floor_port}.log"
        process = start_streamlit("bench/trivial_app.py", args.floor_port, log)
        try:
            floor_url = f"http://127.0.0.1:{args.floor_port}"
            floor = summary(
                asyncio.run(
                    drive("floor (bench/trivial_app.py)", floor_url, args.sessions, args.think,
                          args.duration, args.ramp, None, process.pid, args.seed, args.timeout)
                )
            )  # fmt: skip
        finally:
            stop(process)
        print_table(floor)
        ratios = {}
        for key in ("p50_ms", "p95_ms", "cpu_ms_per_step"):
            mine, base = app["all"].get(key), floor["all"].get(key)  # type: ignore[attr-defined]
            ratios[key] = round(mine / base, 2) if mine and base else None
        print(f"\nforumdash / floor: p50 x{ratios['p50_ms']}, p95 x{ratios['p95_ms']}, "
              f"CPU per step x{ratios['cpu_ms_per_step']}")  # fmt: skip
        report["floor"] = floor
        report["ratio_over_floor"] = ratios
    report["load_average"] = [load_before, os.getloadavg()]
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
