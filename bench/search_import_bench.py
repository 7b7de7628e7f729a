"""Time of an import: the seed's practices exported to JSON (the product's own export), copied
`--copies` times under new slugs, imported into a fresh seeded SQLite file with the product's
importer (`forumdash.importers.run.run_import`, what `python -m forumdash import practices` runs).

    python bench/search_import_bench.py --copies 20 [--reps 3]

Run it with one checkout's `src` and then another's on PYTHONPATH to compare them (e.g. before
and after a change to what is computed on write); it prints the best time of `--reps` imports
and, as its last line, one JSON object.
"""

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from forumdash import export, repository
from forumdash.db import make_engine, read_session
from forumdash.filters import PracticeFilters
from forumdash.importers.run import run_import
from forumdash.service import init_database


def export_file(copies: int) -> bytes:
    """The seed's published practices as an export, `copies` times under new slugs."""
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'seed.db'}")
        init_database(engine)
        with read_session(engine) as session:
            practices = repository.matching_practices(session=session, filters=PracticeFilters())
        engine.dispose()
    records = json.loads(export.export(practices, "json"))
    rows = records["practices"] if isinstance(records, dict) else records
    copied = []
    for copy in range(copies):
        for row in rows:
            copied.append({**row, "slug": f"{row['slug']}-copy-{copy}"})
    body = {**records, "practices": copied} if isinstance(records, dict) else copied
    return json.dumps(body).encode()


def timed_import(data: bytes) -> tuple[float, int]:
    """Seconds to import the file into a fresh seeded database, and how many it created."""
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'target.db'}")
        init_database(engine)
        started = time.perf_counter()
        report = run_import(engine, "practices", data, "practices.json")
        seconds = time.perf_counter() - started
        engine.dispose()
    return seconds, report.created


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args(argv)
    data = export_file(args.copies)
    results = [timed_import(data) for _ in range(args.reps)]
    best = min(seconds for seconds, _ in results)
    created = results[0][1]
    print(
        f"imported {created} practices ({len(data) / 1e6:.1f} MB): best of {args.reps} {best:.2f} s"
    )
    print(
        json.dumps(
            {
                "created": created,
                "best_s": round(best, 3),
                "runs_s": [round(s, 3) for s, _ in results],
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
