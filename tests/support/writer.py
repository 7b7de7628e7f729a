"""Create practices in a loop, each in its own write transaction, printing a line after each
commit: `committed <n> <id> <slug>`. The reliability tests kill it with SIGKILL mid-loop.

    python tests/support/writer.py [DATABASE_URL] [--prefix P] [--count N]

The URL defaults to FORUMDASH_DATABASE_URL. The database must hold the seed's countries and
themes (practice_in below uses MK, RS and two seed themes).
"""

import argparse
import sys
from collections.abc import Sequence

from forumdash import repository
from forumdash import vocab as v
from forumdash.db import make_engine, write_session
from forumdash.models import PracticeCreate
from forumdash.settings import get_settings


def practice_in(slug: str, n: int = 0) -> PracticeCreate:
    """A complete submitted practice: two themes, values, outcome areas, a source, a body."""
    return PracticeCreate(
        slug=slug,
        title=f"Load test practice {slug}",
        country="MK" if n % 2 else "RS",
        summary=f"A practice written by the reliability tests ({slug}) about open budgets.",
        body={"methods": "Workshops and an open data portal. " * 4, "lessons": "Start small."},
        level=v.GovLevel.local,
        actor_type=v.ActorType.cso,
        themes=["open-data", "open-budgets"],
        ogp_values=[v.OgpValue.civic_participation, v.OgpValue.access_to_information],
        outcome_areas=[v.OutcomeArea.restored_public_trust],
        stage=v.Stage.implementing,
        start_year=2020 + n % 5,
        sources=[{"title": "Test source", "url": "https://example.org/source"}],
        workflow=v.Workflow.submitted,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", nargs="?", help="database URL (default: FORUMDASH_DATABASE_URL)")
    parser.add_argument("--prefix", default="writer", help="slug prefix of the new practices")
    parser.add_argument("--count", type=int, default=0, help="practices to write (0: no limit)")
    args = parser.parse_args(argv)
    engine = make_engine(args.url or get_settings().database_url)
    print("ready", flush=True)
    n = 0
    while not args.count or n < args.count:
        n += 1
        slug = f"{args.prefix}-{n}"
        with write_session(engine) as session:
            practice_id = repository.create_practice(
                session=session, practice_in=practice_in(slug, n)
            )
        print(f"committed {n} {practice_id} {slug}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
