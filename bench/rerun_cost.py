"""Server CPU of one rerun of each main page, beside a trivial `st.write` page measured in the
same run, with the ratio (the issue's target: at most 3x the trivial page).

    PYTHONPATH=src python bench/rerun_cost.py                  # the seed data
    PYTHONPATH=src python bench/rerun_cost.py --rows 10000     # + 10,000 generated practices
    PYTHONPATH=src python bench/rerun_cost.py --profile /challenges  # py-spy over that page

Each page is opened in Streamlit's AppTest (the script runs in-process, as on the server, and
its elements are built and serialised the same way), run a few times untimed, then rerun
`--reps` times; the figure is the process's CPU time (every thread) per rerun, with the number
of SQL statements a rerun sends (SQLAlchemy's before_cursor_execute; the facet index's and the
search's reads on the driver's cursor are not counted). The server's
post-run garbage collection (`runner.postScriptGC`) is not part of AppTest: `--gc` adds a
`gc.collect(2)` after each rerun, as the server does when that option is on, so its cost shows
too. With `--rows N` the database is a copy of bench/generate.py's file (cached under
bench/.cache) with the seed's records (challenges, commitments, milestones) added.
The last line is one JSON object with every figure.
"""

import argparse
import collections
import gc
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
sys.path[:0] = [str(ROOT / "src"), str(BENCH)]

import streamlit.testing.v1.app_test as app_test_module  # noqa: E402
import streamlit.testing.v1.local_script_runner as local_runner_module  # noqa: E402
from streamlit.runtime.scriptrunner.script_cache import ScriptCache  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

# AppTest compiles the scripts afresh on every run (a new ScriptCache each time); the server
# keeps one for the process. One shared cache here, so that compiling is not counted as a rerun.
SCRIPT_CACHE = ScriptCache()
app_test_module.ScriptCache = lambda: SCRIPT_CACHE  # type: ignore[assignment,misc]
local_runner_module.ScriptCache = lambda: SCRIPT_CACHE  # type: ignore[assignment,misc]

QUERIES = [0]  # statements sent to the database (SQLAlchemy's before_cursor_execute)


def _count_query(*_args: object, **_kwargs: object) -> None:
    QUERIES[0] += 1


TRIVIAL = 'import streamlit as st\n\nst.write("Hello, forum")\n'


def prepare_database(rows: int, folder: Path) -> str:
    """A database URL: the seed alone (rows 0) or a copy of the generated file plus the seed."""
    from forumdash.db import make_engine
    from forumdash.seed import load_seed
    from forumdash.service import init_database
    from forumdash.settings import get_settings

    path = folder / "bench.db"
    url = f"sqlite:///{path}"
    if rows:
        import generate

        shutil.copy(generate.ensure(rows, 1)[0], path)
    engine = make_engine(url)
    init_database(engine)
    if rows:  # the generated file has practices only: the seed's challenges come too
        load_seed(engine, get_settings().data_dir)
    engine.dispose()
    return url


def warm_up(url: str) -> None:
    """Start the app's warm-up thread (forumdash.warmup, where it exists) and wait until it has
    built the slow caches: its CPU is a start's, not a rerun's (process_time counts every
    thread)."""
    try:
        from forumdash import warmup
    except ImportError:  # a checkout from before the warm-up
        return
    from forumdash.db import make_engine, read_session
    from forumdash.versioned_cache import data_version

    engine = make_engine(url)
    warmup.start(engine)
    with read_session(engine) as session:
        current = data_version(session)
    while warmup.warmed(engine) != current:
        time.sleep(0.2)


def first_ids(url: str) -> dict[str, str]:
    """A published practice, challenge and commitment to open (the seed's first, by id)."""
    import sqlalchemy as sa

    from forumdash.db import make_engine

    engine = make_engine(url)
    with engine.connect() as conn:
        practice = conn.execute(
            sa.text("SELECT min(id) FROM practice WHERE workflow = 'published'")
        ).scalar()
        challenge = conn.execute(
            sa.text("SELECT min(id) FROM challenge WHERE workflow = 'published'")
        ).scalar()
    engine.dispose()
    return {"practice": str(practice), "challenge": str(challenge)}


def pages(ids: dict[str, str]) -> dict[str, tuple[str, dict[str, str | list[str]]]]:
    """The main pages: name -> (script, query parameters)."""
    return {
        "/": ("app.py", {}),
        "/browse": ("pages/browse.py", {"country": ["MK", "RS"], "q": "budget"}),
        "/practice": ("pages/practice.py", {"id": ids["practice"]}),
        "/challenges?id": ("pages/challenges.py", {"id": ids["challenge"]}),
        "/challenges": ("pages/challenges.py", {}),
        "/display": ("pages/display.py", {}),
        "/commitments": ("pages/commitments.py", {}),
        "/country": ("pages/country.py", {"code": "MK"}),
        "/compare": ("pages/compare.py", {"countries": "AL,RS,XK"}),
    }


def open_app(script: str | None, params: dict[str, str | list[str]]) -> AppTest:
    if script is None:
        at = AppTest.from_string(TRIVIAL, default_timeout=120)
    else:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        for key, value in params.items():
            at.query_params[key] = value
        if script != "app.py":
            at.switch_page(script)
    return at


def measure(at: AppTest, reps: int, warmup: int, collect: bool) -> dict[str, float]:
    """CPU and wall ms of the first run, then per rerun (median and mean) after `warmup`."""
    cpu0, wall0 = time.process_time(), time.perf_counter()
    at.run()
    if collect:
        gc.collect(2)
    first = ((time.process_time() - cpu0) * 1000, (time.perf_counter() - wall0) * 1000)
    if at.exception:
        raise RuntimeError(f"the page failed: {at.exception[0].value}")
    for _ in range(warmup):
        at.run()
        if collect:
            gc.collect(2)
    cpu: list[float] = []
    wall: list[float] = []
    queries = QUERIES[0]
    for _ in range(reps):
        c, w = time.process_time(), time.perf_counter()
        at.run()
        if collect:
            gc.collect(2)
        cpu.append((time.process_time() - c) * 1000)
        wall.append((time.perf_counter() - w) * 1000)
    return {
        "first_cpu_ms": round(first[0], 1),
        "first_wall_ms": round(first[1], 1),
        "cpu_ms": round(statistics.median(cpu), 2),
        "cpu_mean_ms": round(statistics.fmean(cpu), 2),
        "wall_ms": round(statistics.median(wall), 2),
        "queries": round((QUERIES[0] - queries) / max(reps, 1), 1),
    }


def profile(at: AppTest, reps: int, warmup: int, collect: bool, folder: Path) -> None:
    """py-spy (the script runs in a thread of its own, out of cProfile's sight) over `reps`
    reruns: the functions with the largest share of the samples, inclusive and their own."""
    at.run()
    for _ in range(warmup):
        at.run()
    out = folder / "profile.txt"
    spy = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "py-spy"),
            "record",
            "--pid",
            str(os.getpid()),
            "--rate",
            "250",
            "--format",
            "raw",
            "--output",
            str(out),
            "--nonblocking",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1.5)  # py-spy attaches
    for _ in range(reps):
        at.run()
        if collect:
            gc.collect(2)
    spy.send_signal(signal.SIGINT)
    spy.wait(timeout=60)
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    total = 0
    for line in out.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        if not any("run_script" in f or "gc_collect" in f or "collect" == f for f in frames):
            continue  # idle threads and the driver's own waiting
        n = int(count)
        total += n
        for frame in set(frames):
            inclusive[frame] += n
        own[frames[-1]] += n
    print(f"{total} samples in the script's thread")
    print("inclusive:")
    for frame, n in inclusive.most_common(60):
        print(f"{100 * n / total:6.1f}%  {frame}")
    print("own:")
    for frame, n in own.most_common(25):
        print(f"{100 * n / total:6.1f}%  {frame}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=0, help="generated practices (0: seed only)")
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--gc", action="store_true", help="gc.collect(2) after every run")
    parser.add_argument("--pages", default="", help="comma-separated page names to run")
    parser.add_argument("--profile", default="", help="cProfile the reruns of this page")
    args = parser.parse_args()

    import sqlalchemy as sa

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", _count_query)
    folder = Path(tempfile.mkdtemp(prefix="rerun-cost-"))
    try:
        url = prepare_database(args.rows, folder)
        os.environ["FORUMDASH_DATABASE_URL"] = url
        warm_up(url)
        ids = first_ids(url)
        chosen = pages(ids)
        if args.pages:
            chosen = {name: chosen[name] for name in args.pages.split(",")}
        if args.profile:
            script, params = chosen[args.profile]
            profile(open_app(script, params), args.reps, args.warmup, args.gc, folder)
            return
        load = os.getloadavg()[0]
        trivial = measure(open_app(None, {}), args.reps, args.warmup, args.gc)
        results: dict[str, dict[str, float]] = {"trivial": trivial}
        print(f"rows {args.rows or 'seed'}, postScriptGC {'on' if args.gc else 'off'}")
        print(
            f"{'page':<16}{'first ms':>10}{'CPU/rerun ms':>14}{'wall ms':>10}{'x trivial':>11}"
            f"{'queries':>9}"
        )
        print(
            f"{'trivial':<16}{trivial['first_cpu_ms']:>10.0f}{trivial['cpu_ms']:>14.1f}"
            f"{trivial['wall_ms']:>10.1f}{1:>11.1f}{trivial['queries']:>9.0f}"
        )
        for name, (script, params) in chosen.items():
            figures = measure(open_app(script, params), args.reps, args.warmup, args.gc)
            figures["ratio"] = round(figures["cpu_ms"] / trivial["cpu_ms"], 1)
            results[name] = figures
            print(
                f"{name:<16}{figures['first_cpu_ms']:>10.0f}{figures['cpu_ms']:>14.1f}"
                f"{figures['wall_ms']:>10.1f}{figures['ratio']:>11.1f}{figures['queries']:>9.0f}",
                flush=True,
            )
        print(
            json.dumps(
                {
                    "rows": args.rows,
                    "gc": args.gc,
                    "reps": args.reps,
                    "load_average": [round(load, 2), round(os.getloadavg()[0], 2)],
                    "pages": results,
                }
            )
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
