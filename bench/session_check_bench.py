"""What checking a signed-in session against the database costs on every run (issue 14, item 6),
against the cost of a run itself, in the same process.

    python bench/session_check_bench.py [--checks 2000] [--runs 10] [--database-url URL]

On a fresh seeded database (an SQLite file, or the PostgreSQL database given, which must be
empty): signs an organiser in, then times `auth.resume_login_session` (a read session opened
and closed each time, as each run does: one indexed query joining login_session and user by the
token's hash) and, through Streamlit's AppTest, reruns of the overview signed in as that
organiser. Prints the median and p95 of each and the check's share of a run.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def _quantiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--checks", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    from streamlit.testing.v1 import AppTest

    from forumdash import auth
    from forumdash.db import make_engine, read_session, write_session
    from forumdash.service import init_database
    from forumdash.ui import session as signed_in

    url = args.database_url or (
        f"sqlite:///{tempfile.mkdtemp(prefix='forumdash-session-bench-')}/forum.db"
    )
    engine = make_engine(url)
    init_database(engine)
    with write_session(engine) as session:
        user_id = auth.create_user(
            session=session,
            actor=auth.SYSTEM,
            email="bench@example.org",
            password="gentle ferry maple quartz",
            role="organiser",
        )
        # Other people's sessions, so that the index is not trivially small.
        for _n in range(500):
            auth.start_login_session(session=session, user_id=user_id)
        token = auth.start_login_session(session=session, user_id=user_id)

    checks = []
    for _n in range(args.checks):
        started = time.perf_counter()
        with read_session(engine) as session:
            found = auth.resume_login_session(session=session, token=token)
        checks.append((time.perf_counter() - started) * 1000)
        assert found is not None and found.id == user_id

    os.environ["FORUMDASH_DATABASE_URL"] = url
    os.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state[signed_in.TOKEN] = token
    at.session_state[signed_in.KEY] = found
    at.run()  # the first run fills the caches: not counted
    runs = []
    for _n in range(args.runs):
        started = time.perf_counter()
        at.run()
        runs.append((time.perf_counter() - started) * 1000)
    assert not at.exception and "Review" in {link.label for link in at.get("page_link")}

    check_median, check_p95 = _quantiles(checks)
    run_median, run_p95 = _quantiles(runs)
    backend = engine.dialect.name
    print(f"database: {backend}; {args.checks} checks, {args.runs} runs of the overview")
    print(f"session check: median {check_median:.3f} ms, p95 {check_p95:.3f} ms")
    print(f"overview run (signed in): median {run_median:.1f} ms, p95 {run_p95:.1f} ms")
    print(f"check / run (medians): {check_median / run_median:.2%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
