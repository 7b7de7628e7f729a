"""Soak test of the event display: /display rotating for many slides in a headless Chromium,
with the app server's memory (and the browser's JS heap) at the start and the end.

    python bench/soak_display.py --rotations 60

It starts the app (`python -m forumdash serve`, as the browser tests do) on a fresh seeded SQLite
file (or --database-url), opens /display?rotate=N at 1920x1080 in Debian's Chromium, lets it
rotate through --warmup slides (so every slide, chart and cache has been built once), samples
memory, lets it rotate through --rotations more slides, samples again and prints the growth.
With --publish-every K a new (sample) practice is published every K rotations into that
database while it runs, as at an event. The last line is one JSON object. Exit status 1 when
the server's RSS or the page's JS heap grew by --max-growth percent (default 10) or more, 2 when
the display stopped rotating.

The display re-reads its slide on a tick (every `display.tick_seconds(rotate)` s: 5 s at the
default rotate=5, where every tick changes slide; 10 s at rotate=20, so every other tick redraws
the same slide): the script counts the ticks the browser receives (bursts of websocket messages)
and reports them beside the rotations.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(1, str(ROOT))  # tests.support: the helper the display tests use too

from forumdash import display  # noqa: E402
from forumdash import vocab as v  # noqa: E402
from forumdash.db import make_engine  # noqa: E402
from forumdash.service import init_database  # noqa: E402
from tests.support.records import publish_sample_practice  # noqa: E402

if TYPE_CHECKING:  # playwright is imported where the browser starts
    from playwright.sync_api import CDPSession

PROGRESS = ".st-key-display-progress p"
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
    # A hidden or headless tab must keep its timers: the display runs unattended.
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_kib(pid: int) -> int:
    """Resident memory of a process (KiB), from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def start_app(database_url: str, port: int, log: Path) -> subprocess.Popen:
    # The server runs this checkout's code, whatever forumdash the environment has installed.
    path = os.pathsep.join(p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH")) if p)
    env = os.environ | {"FORUMDASH_DATABASE_URL": database_url, "PYTHONPATH": path}
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
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited early:\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return process
        except OSError:
            pass
        if time.monotonic() > deadline:
            process.terminate()
            raise RuntimeError(f"the app did not start:\n{log.read_text()[-2000:]}")
        time.sleep(0.2)


def publish(database_url: str, n: int) -> None:
    """One new published sample practice, as an organiser would publish during the event."""
    publish_sample_practice(
        database_url,
        prefix=f"soak-{n}",
        title=f"Soak test practice {n}",
        summary="Published by bench/soak_display.py while the display runs.",
        country=["AL", "RS", "MK", "XK", "ME", "BA"][n % 6],
        level=v.GovLevel.local,
        actor_type=v.ActorType.cso,
    )


def browser_memory(cdp: "CDPSession") -> dict[str, float]:
    """The page's JS heap after a full garbage collection, and its DOM size."""
    cdp.send("HeapProfiler.collectGarbage")
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return {
        "js_heap_mib": metrics["JSHeapUsedSize"] / 2**20,
        "dom_nodes": metrics["Nodes"],
        "listeners": metrics["JSEventListeners"],
    }


def growth(start: float, end: float) -> float:
    return (end - start) / start * 100 if start else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rotations", type=int, default=60, help="measured rotations (60)")
    parser.add_argument("--warmup", type=int, default=30, help="rotations before the start (30)")
    parser.add_argument("--rotate", type=int, default=5, help="seconds per slide (5, the least)")
    parser.add_argument("--publish-every", type=int, default=0, help="publish every K rotations")
    parser.add_argument("--max-growth", type=float, default=10.0, help="percent (10)")
    parser.add_argument("--database-url", help="default: a fresh seeded SQLite file")
    parser.add_argument("--screenshots", type=Path, help="keep a screenshot of each slide here")
    parser.add_argument("--slides", help="the display's ?slides= (default: all six)")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("Chromium not found (Debian package 'chromium')", file=sys.stderr)
        return 2
    folder = Path(tempfile.mkdtemp(prefix="soak-display-"))
    database_url = args.database_url or f"sqlite:///{folder / 'forumdash.db'}"
    if not args.database_url:
        init_database(make_engine(database_url))
    port = free_port()
    server = start_app(database_url, port, folder / "app.log")
    url = f"http://127.0.0.1:{port}/display?rotate={args.rotate}"
    if args.slides:
        url += f"&slides={args.slides}"
    print(f"app pid {server.pid} on {url} (log {folder / 'app.log'})", flush=True)
    samples: list[tuple[int, int]] = []
    published = 0
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            # A tick is a burst of websocket messages (one fragment run) after a quiet spell.
            tick = display.tick_seconds(args.rotate)
            ticks = {"count": 0, "last": 0.0}

            def on_frame(_payload: object) -> None:
                now = time.monotonic()
                if now - ticks["last"] > tick / 2:
                    ticks["count"] += 1
                ticks["last"] = now

            page.on("websocket", lambda ws: ws.on("framereceived", on_frame))
            cdp = page.context.new_cdp_session(page)
            cdp.send("Performance.enable")
            page.goto(url)
            page.wait_for_selector(PROGRESS, timeout=60_000)
            shown = page.inner_text(PROGRESS)
            started = time.monotonic()

            def next_slide(previous: str) -> str:
                page.wait_for_function(
                    "([sel, old]) => { const t = document.querySelector(sel)?.innerText;"
                    " return !!t && t !== old; }",
                    arg=[PROGRESS, previous],
                    timeout=(args.rotate * 3 + 10) * 1000,
                )
                return page.inner_text(PROGRESS)

            for _ in range(args.warmup):
                shown = next_slide(shown)
            time.sleep(1)
            rss_start = rss_kib(server.pid)
            heap_start = browser_memory(cdp)
            ticks_start = ticks["count"]
            print(
                f"start (after {args.warmup} warm-up rotations, {time.monotonic() - started:.0f}"
                f" s): server RSS {rss_start / 1024:.1f} MiB, JS heap "
                f"{heap_start['js_heap_mib']:.1f} MiB, {heap_start['dom_nodes']:.0f} DOM nodes",
                flush=True,
            )
            for rotation in range(1, args.rotations + 1):
                shown = next_slide(shown)
                if args.publish_every and rotation % args.publish_every == 0:
                    published += 1
                    publish(database_url, published)
                if args.screenshots and rotation <= 6:
                    args.screenshots.mkdir(parents=True, exist_ok=True)
                    page.wait_for_timeout(800)
                    page.screenshot(path=str(args.screenshots / f"soak-{rotation}.png"))
                samples.append((rotation, rss_kib(server.pid)))
                if rotation % 10 == 0 or rotation == args.rotations:
                    time.sleep(1)  # the slide settled, as for the start and end samples
                    heap = browser_memory(cdp)
                    print(
                        f"rotation {rotation:4d} ({shown}): server RSS "
                        f"{samples[-1][1] / 1024:.1f} MiB, JS heap {heap['js_heap_mib']:.1f} MiB,"
                        f" {heap['dom_nodes']:.0f} DOM nodes",
                        flush=True,
                    )
            time.sleep(1)
            rss_end = rss_kib(server.pid)
            heap_end = browser_memory(cdp)
            ticks_seen = ticks["count"] - ticks_start
            errors = page.locator("[data-testid='stException']").count()
            browser.close()
    except Exception as exc:  # a stalled display: report it rather than a bare traceback
        print(f"the display stopped rotating: {exc}", file=sys.stderr)
        return 2
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()

    peak = max(kib for _, kib in samples)
    result = {
        "rotations": args.rotations,
        "warmup": args.warmup,
        "rotate_s": args.rotate,
        "published_during_run": published,
        "tick_s": round(tick, 2),
        "ticks": ticks_seen,
        "ticks_expected": round(args.rotations * args.rotate / tick),
        "server_rss_mib": {
            "start": round(rss_start / 1024, 1),
            "end": round(rss_end / 1024, 1),
            "peak": round(peak / 1024, 1),
        },
        "server_rss_growth_pct": round(growth(rss_start, rss_end), 2),
        "js_heap_mib": {
            "start": round(heap_start["js_heap_mib"], 1),
            "end": round(heap_end["js_heap_mib"], 1),
        },
        "js_heap_growth_pct": round(growth(heap_start["js_heap_mib"], heap_end["js_heap_mib"]), 2),
        "dom_nodes": {"start": heap_start["dom_nodes"], "end": heap_end["dom_nodes"]},
        "exceptions_on_page": errors,
        "max_growth_pct": args.max_growth,
    }
    ok = (
        result["server_rss_growth_pct"] < args.max_growth
        and result["js_heap_growth_pct"] < args.max_growth
        and not errors
    )
    result["ok"] = ok
    print(
        f"server RSS {result['server_rss_mib']['start']} -> {result['server_rss_mib']['end']} MiB "
        f"({result['server_rss_growth_pct']:+.2f}%, peak {result['server_rss_mib']['peak']}); "
        f"JS heap {result['js_heap_mib']['start']} -> {result['js_heap_mib']['end']} MiB "
        f"({result['js_heap_growth_pct']:+.2f}%); DOM nodes {heap_start['dom_nodes']:.0f} -> "
        f"{heap_end['dom_nodes']:.0f}; {ticks_seen} ticks (one every {tick:g} s, "
        f"~{result['ticks_expected']} expected); target under {args.max_growth}%: "
        + ("PASS" if ok else "FAIL")
    )
    print(json.dumps(result))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
