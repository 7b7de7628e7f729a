"""The first request of each main page after a start and after a write, at 100,000 practices:
the issue's target is none over 2 s (what is slow is built in the background, forumdash.warmup).

    PYTHONPATH=src python bench/first_request.py --rows 100000

A copy of bench/generate.py's file (cached under bench/.cache; 100,000 practices take about
20 minutes to generate on 2 shared cores; 4 minutes on a quiet machine) with the seed's records
added. One fresh process is the "start": it first does what `python -m forumdash serve` does
before its server listens (imports, migration, the first views: timed apart, no visitor waits for
it), then opens, one after the other, a challenge's page, a practice's page, the overview and
browse (a filter and a search) as new visitors (AppTest, the script in-process as on the
server), timing each; then waits for the warm-up to have
built every slow cache and prints how long that took from the start; then opens each page again
as a new visitor; then publishes a practice (as the review page does) and opens each page as a
new visitor at once (the first requests after a write). Wall time and the process's CPU time.
The last line is one JSON object.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH)]

import rerun_cost  # noqa: E402  (its database, pages and shared script cache)

PAGES = ["/challenges?id", "/practice", "/", "/browse"]


def visit(pages: dict, name: str) -> dict[str, float | str]:
    script, params = pages[name]
    at = rerun_cost.open_app(script, params)
    cpu, wall = time.process_time(), time.perf_counter()
    at.run()
    figures: dict[str, float | str] = {
        "wall_ms": round((time.perf_counter() - wall) * 1000),
        "cpu_ms": round((time.process_time() - cpu) * 1000),
    }
    if at.exception:
        figures["error"] = at.exception[0].value
    prepared = [i.value for i in at.info if "being prepared" in str(i.value)]
    prepared += [c.value for c in at.caption if "being prepared" in str(c.value)]
    if prepared:
        figures["without"] = "matches (being prepared)"
    return figures


def round_of(pages: dict, label: str) -> dict[str, dict[str, float | str]]:
    results = {}
    for name in PAGES:
        results[name] = visit(pages, name)
        extra = f"  ({results[name]['without']})" if "without" in results[name] else ""
        error = f"  ERROR {results[name]['error']}" if "error" in results[name] else ""
        print(
            f"{label:<22}{name:<16}{results[name]['wall_ms']:>8} ms wall"
            f"{results[name]['cpu_ms']:>8} ms CPU{extra}{error}",
            flush=True,
        )
    return results


def publish(url: str) -> None:
    from forumdash import repository
    from forumdash import vocab as v
    from forumdash.db import make_engine, write_session
    from forumdash.models import PracticeCreate

    engine = make_engine(url)
    with write_session(engine) as session:
        repository.create_practice(
            session=session,
            practice_in=PracticeCreate(
                slug=f"bench-{uuid.uuid4().hex[:8]}",
                title="TEST DATA: open budget hearings in a made-up municipality",
                country="MK",
                summary="TEST DATA: published by bench/first_request.py to time the next visit.",
                level=v.GovLevel.local,
                actor_type=v.ActorType.government,
                themes=["open-budgets"],
                stage=v.Stage.implementing,
                sample=True,
                workflow=v.Workflow.published,
            ),
        )
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--wait", type=float, default=900, help="seconds to wait for the warm-up")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="first-request-"))
    try:
        prepare = time.perf_counter()
        url = rerun_cost.prepare_database(args.rows, folder)
        print(f"database ready in {time.perf_counter() - prepare:.0f} s: {args.rows} practices")
        os.environ["FORUMDASH_DATABASE_URL"] = url
        pages = rerun_cost.pages(rerun_cost.first_ids(url))
        pages["/browse"] = ("pages/browse.py", {"country": ["MK", "RS"], "q": "budget"})

        from forumdash import warmup
        from forumdash.db import make_engine, read_session
        from forumdash.versioned_cache import data_version

        started = time.perf_counter()
        # What `python -m forumdash serve` does before the server listens (forumdash.ui.serve):
        # no visitor waits for it.
        cpu = time.process_time()
        from forumdash.ui import serve

        serve.prepare()
        prepared_s = time.perf_counter() - started
        print(
            f"prepared before the server listens: {prepared_s:.1f} s wall, "
            f"{time.process_time() - cpu:.1f} s CPU",
            flush=True,
        )
        after_start = round_of(pages, "after a start")
        engine = make_engine(url)
        with read_session(engine) as session:
            current = data_version(session)
        while warmup.warmed(engine) != current and time.perf_counter() - started < args.wait:
            time.sleep(0.2)
        warm_s = time.perf_counter() - started
        done = "done" if warmup.warmed(engine) == current else "NOT done (--wait reached)"
        print(f"warm-up {done} {warm_s:.1f} s after the first request")
        warm = round_of(pages, "warm, new visitors")
        publish(url)
        after_write = round_of(pages, "after a write")
        time.sleep(3)
        settled = round_of(pages, "3 s after the write")
        worst = max(
            float(r["wall_ms"]) for results in (after_start, after_write) for r in results.values()
        )
        print(
            json.dumps(
                {
                    "rows": args.rows,
                    "after_start": after_start,
                    "prepared_before_listening_s": round(prepared_s, 1),
                    "warm_up_s": round(warm_s, 1),
                    "warm": warm,
                    "after_write": after_write,
                    "settled": settled,
                    "worst_wall_ms": worst,
                    "load_average": round(os.getloadavg()[0], 2),
                }
            )
        )
        engine.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
