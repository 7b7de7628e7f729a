"""Times the commitments list (forumdash.commitment_filters) on N synthetic commitments held in
memory: facets and a page without search, the first search (every text folded once) and a
second one. Prints figures; asserts nothing.

    python bench/commitments_bench.py --rows 3000 --words 1500
"""

import argparse
import random
import statistics
import time

from forumdash import commitment_filters as cf
from forumdash import vocab as v
from forumdash.models import Commitment

WORDS = (
    "open data budget contracts ministry public procurement transparency register civil society "
    "участие буџет отворени податоци Čačak Łódź Shqipëri „quoted“ e-Government"
).split()
COUNTRIES = ["AL", "BA", "XK", "ME", "MK", "RS", "HR", "GB", "GE", "PL"]
AREAS = ["Open Data", "Fiscal Openness", "Justice", "Public Procurement", "Right To Information"]


def make(rows: int, words: int, seed: int) -> list[Commitment]:
    """Synthetic commitments: `words` words of full text each, every rating drawn at random."""
    rng = random.Random(seed)
    return [
        Commitment(
            id=n,
            identifier=f"ZZ{n:05d}",
            country_code=rng.choice(COUNTRIES),
            action_plan=f"plan {2012 + n % 5 * 2}-{2014 + n % 5 * 2}",
            commitment_number=f"{n % 20}.{n % 7}",
            title=f"Synthetic commitment {n}",
            text=" ".join(rng.choice(WORDS) for _ in range(words)),
            policy_areas=rng.sample(AREAS, 2),
            potential_impact=rng.choice([None, *v.PotentialImpact]),
            completion_end=rng.choice([None, *v.Completion]),
            starred=rng.choice([None, True, False]),
        )
        for n in range(rows)
    ]


def timed(label: str, rows: list[Commitment], view: cf.CommitmentFilters, reps: int) -> None:
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        page = cf.browse(rows, view, COUNTRIES)
        times.append((time.perf_counter() - start) * 1000)
    print(f"{label:<40} {page.total:>6} found  median {statistics.median(times):8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--words", type=int, default=1500, help="words of full text each")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rows = make(args.rows, args.words, args.seed)
    size = sum(len(c.text) for c in rows)
    print(f"{args.rows} commitments, {size / 1e6:.1f} million characters of full text")
    timed("facets and a page, no search", rows, cf.CommitmentFilters(countries=("AL",)), args.reps)
    timed("first search (folds every text)", rows, cf.CommitmentFilters(q="budzet"), 1)
    timed("another search", rows, cf.CommitmentFilters(q="ministry -cacak"), args.reps)
    view = cf.CommitmentFilters(q="budget", areas=("Justice",), starred=("yes",))
    timed("search and two facets", rows, view, args.reps)


if __name__ == "__main__":
    main()
