"""Memory soak of Streamlit's post-run garbage collection (`runner.postScriptGC`): many reruns
of the main pages from several sessions at once, with the collection after every run (`on`, the
framework's default), without it (`off`: Python's own generational collector only), or with it
after `gc.freeze()` (`freeze`: the objects alive after start-up moved out of the collector's
reach, so each full collection walks only what the sessions made since).

    PYTHONPATH=src python bench/gc_soak.py --mode off --reruns 2000
    PYTHONPATH=src python bench/gc_soak.py --mode on --reruns 2000

The sessions are AppTests (the scripts run in-process, as on the server) of the overview,
browse (a filter and a search), a practice, a challenge with its matches, the challenges list,
the display and the commitments, taken in turn (`--sessions` of them, each keeping its own
session state). AppTest does not run the post-run collection: `on` and `freeze` call
`gc.collect(2)` after every rerun as the server does. Every `--every` reruns it prints the
process's resident memory (VmRSS), the objects the collector tracks, the CPU per rerun over that
stretch and the CPU spent in collections (gc.callbacks). The database is a fresh seeded SQLite
file, or a copy of bench/generate.py's file with `--rows N`. The last line is one JSON object;
`rss_trend_mib_per_1000` is the slope of a least-squares line through the RSS samples of the
second half of the run (a leak shows as a steady positive slope).
"""

import argparse
import gc
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH)]

import rerun_cost  # noqa: E402  (its pages, database and shared script cache)


def rss_mib() -> float:
    """This process's resident memory (MiB), from /proc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


class GcClock:
    """CPU time spent in the collector (of the thread that ran it: a collection runs in the
    thread whose allocation triggered it) and the number of collections per generation."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.collections = [0, 0, 0]
        self._started = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.thread_time()
        else:
            self.seconds += time.thread_time() - self._started
            self.collections[info["generation"]] += 1


def slope(points: list[tuple[int, float]]) -> float:
    """Least-squares slope of (x, y) points, per 1,000 x."""
    n = len(points)
    if n < 2:
        return 0.0
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    var = sum((x - mx) ** 2 for x, _ in points)
    return 1000 * sum((x - mx) * (y - my) for x, y in points) / var if var else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["on", "off", "freeze"], required=True)
    parser.add_argument("--reruns", type=int, default=2000)
    parser.add_argument("--sessions", type=int, default=14)
    parser.add_argument("--every", type=int, default=100)
    parser.add_argument("--rows", type=int, default=0)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="gc-soak-"))
    try:
        url = rerun_cost.prepare_database(args.rows, folder)
        os.environ["FORUMDASH_DATABASE_URL"] = url
        pages = list(rerun_cost.pages(rerun_cost.first_ids(url)).values())
        sessions = []
        for number in range(args.sessions):
            script, params = pages[number % len(pages)]
            at = rerun_cost.open_app(script, params)
            at.run()  # start-up: every page's caches built once
            sessions.append(at)
        collect = args.mode in ("on", "freeze")
        if args.mode == "freeze":
            gc.collect(2)
            gc.freeze()
        clock = GcClock()
        start_rss = rss_mib()
        print(f"mode {args.mode}, {args.sessions} sessions, start RSS {start_rss:.1f} MiB")
        samples: list[tuple[int, float]] = []
        cpu_mark, gc_mark = time.process_time(), 0.0
        for rerun in range(1, args.reruns + 1):
            at = sessions[rerun % len(sessions)]
            at.run()
            if collect:
                gc.collect(2)
            if rerun % args.every == 0:
                now = rss_mib()
                samples.append((rerun, now))
                cpu = (time.process_time() - cpu_mark) * 1000 / args.every
                in_gc = (clock.seconds - gc_mark) * 1000 / args.every
                cpu_mark, gc_mark = time.process_time(), clock.seconds
                print(
                    f"rerun {rerun:>5}  RSS {now:7.1f} MiB  tracked {len(gc.get_objects()):>8}"
                    f"  CPU/rerun {cpu:6.1f} ms  in gc/rerun {in_gc:6.1f} ms"
                    f"  collections {clock.collections}",
                    flush=True,
                )
        half = samples[len(samples) // 2 :]
        print(
            json.dumps(
                {
                    "mode": args.mode,
                    "rows": args.rows,
                    "sessions": args.sessions,
                    "reruns": args.reruns,
                    "rss_start_mib": round(start_rss, 1),
                    "rss_end_mib": round(samples[-1][1], 1) if samples else None,
                    "rss_peak_mib": round(max(r for _, r in samples), 1) if samples else None,
                    "rss_trend_mib_per_1000": round(slope(half), 2),
                    "gc_seconds": round(clock.seconds, 2),
                    "collections": clock.collections,
                    "frozen": gc.get_freeze_count(),
                }
            )
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
