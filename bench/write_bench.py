"""The first request after a publication: server-side time of the pages that use the facet
index (browse) and the matching corpus (a challenge page, the challenges list, a practice page),
with a full rebuild (before issue 11) and with the incremental update (now), in the same run.

    PYTHONPATH=src python bench/write_bench.py [--rows 10000] [--no-matching] [--reps 3]

The practices come from bench/generate.py (cached under bench/.cache); the file is copied, so
the cache stays as generated. Each repetition publishes one new practice through the product's
repository (as the review page does) and times the next request: once bringing the caches up to
date incrementally, once after forgetting them (what every write cost before). Two made-up
challenges (TEST DATA) stand in for the challenge pages' records.
"""

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH)]

import generate  # noqa: E402

from forumdash import facet_index, matching, matchmaking, repository  # noqa: E402
from forumdash import vocab as v  # noqa: E402
from forumdash.db import make_engine, read_session, write_session  # noqa: E402
from forumdash.filters import PracticeFilters  # noqa: E402
from forumdash.models import PracticeCreate  # noqa: E402

CHALLENGES = [
    matching.ChallengeProfile(
        id=-1,
        country_code="AL",
        title="TEST DATA: municipal waste collection is not monitored",
        text="TEST DATA: municipal waste collection is not monitored; residents see no data.",
        themes=frozenset({"local-government"}),
        ogp_values=frozenset({"access_to_information"}),
        obstacle_type="data",
    ),
    matching.ChallengeProfile(
        id=-2,
        country_code="RS",
        title="TEST DATA: procurement contracts are published late",
        text="TEST DATA: procurement contracts and budget spending are published late.",
        themes=frozenset({"anti-corruption", "open-budgets"}),
        ogp_values=frozenset({"public_accountability"}),
        obstacle_type="capacity",
    ),
]


def _publish(engine: object, number: int) -> None:
    with write_session(engine) as session:  # type: ignore[arg-type]
        repository.create_practice(
            session=session,
            practice_in=PracticeCreate(
                slug=f"test-data-write-bench-{number}",
                title=f"TEST DATA {number}: an open register of municipal waste contracts",
                country="ME",
                summary="TEST DATA: a made-up practice published by the benchmark.",
                level=v.GovLevel.local,
                actor_type=v.ActorType.government,
                stage=v.Stage.implementing,
                themes=["open-data", "local-government"],
                sample=True,
                workflow=v.Workflow.published,
            ),
        )


def _browse(session: object) -> None:
    repository.browse(session=session, filters=PracticeFilters())  # type: ignore[arg-type]


def _challenge_page(session: object) -> None:
    # What the challenge page asks of matching (matchmaking.matches_for) for two challenges.
    pool = matchmaking._pool(session)  # type: ignore[arg-type]
    for challenge in CHALLENGES:
        pool.corpus.rank(challenge, limit=matchmaking.SUGGESTIONS)


def _challenges_list(session: object) -> None:
    # What the challenges list asks (matchmaking.suggestion_summary): a count and the best.
    pool = matchmaking._pool(session)  # type: ignore[arg-type]
    for challenge in CHALLENGES:
        pool.corpus.rank(challenge, limit=1)
        pool.corpus.count(challenge)


def _timed(engine: object, page: Callable[[object], None]) -> float:
    started = time.perf_counter()
    with read_session(engine) as session:  # type: ignore[arg-type]
        page(session)
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--no-matching", action="store_true")
    args = parser.parse_args()
    source, _ = generate.ensure(args.rows)
    pages: dict[str, Callable[[object], None]] = {"browse (facet index)": _browse}
    if not args.no_matching:
        pages["challenge page (matching corpus)"] = _challenge_page
        pages["challenges list (matching corpus)"] = _challenges_list
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        shutil.copy(source, path)
        engine = make_engine(f"sqlite:///{path}")
        for page in pages.values():
            _timed(engine, page)  # warm: the first load of all
        figures: dict[str, dict[str, list[float]]] = {n: {"full": [], "incr": []} for n in pages}
        number = 0
        for _ in range(args.reps):
            for name, page in pages.items():
                number += 1
                _publish(engine, number)
                figures[name]["incr"].append(_timed(engine, page))
                number += 1
                _publish(engine, number)
                facet_index._INDEXES.clear()
                matchmaking._POOLS.clear()
                figures[name]["full"].append(_timed(engine, page))
                for warm in pages.values():  # caches warm again for the next incremental step
                    _timed(engine, warm)
        engine.dispose()
    print(f"\nfirst request after a publication, {args.rows:,} practices (median of {args.reps}):")
    print(f"{'page':<36} {'full rebuild ms':>16} {'incremental ms':>15}")
    for name, by_way in figures.items():
        full, incr = statistics.median(by_way["full"]), statistics.median(by_way["incr"])
        print(f"{name:<36} {full:>16.0f} {incr:>15.0f}")


if __name__ == "__main__":
    main()
