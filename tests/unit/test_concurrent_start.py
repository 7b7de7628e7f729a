"""Several app processes started at once on one empty database: exactly one migrates and seeds
it, the others wait for it (forumdash.db.schema_lock) and then find it ready."""

import os
import subprocess
import sys

import sqlalchemy as sa

from forumdash.db import current_revision, head_revision, make_engine
from forumdash.seed import read_seed
from forumdash.service import SEED_DIR
from tests.conftest import ROOT

# Each process imports everything first, says "ready", and starts only on "go": the imports take
# seconds of CPU, so without the barrier one process could finish before the other begins.
STARTER = """
import sys
from forumdash.service import open_database
print("ready", flush=True)
sys.stdin.readline()
open_database(sys.argv[1]).dispose()
print("done", flush=True)
"""


def test_two_processes_migrate_and_seed_an_empty_database_at_once(database_url: str) -> None:
    env = os.environ | {"PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}"}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", STARTER, database_url],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for process in processes:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready", process.stderr
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    results = [process.communicate(timeout=180) for process in processes]
    for process, (out, err) in zip(processes, results, strict=True):
        assert process.returncode == 0, err[-3000:]
        assert out.strip().endswith("done")

    engine = make_engine(database_url)
    try:
        assert current_revision(engine) == head_revision()
        with engine.connect() as conn:
            countries = conn.execute(sa.text("SELECT count(*) FROM country")).scalar_one()
            themes = conn.execute(sa.text("SELECT count(*) FROM theme")).scalar_one()
    finally:
        engine.dispose()
    seed = read_seed(SEED_DIR)
    # Seeded once, not twice, and not half.
    assert countries == len(seed["countries"])
    assert themes == len(seed["themes"])
