"""Where the PostgreSQL server programs are: the one rule the tests and .ci/run share.

`python3 tests/support/pgfind.py` prints the folder and exits 0, or exits 1 when there is none
(standard library only, so .ci/run can ask before anything is installed).
"""

import shutil
import sys
from pathlib import Path


def find_bindir() -> Path | None:
    """The directory holding initdb and pg_ctl (Debian's newest, else on PATH), or None."""
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
            return candidate
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).parent
    return None


if __name__ == "__main__":
    bindir = find_bindir()
    if bindir is None:
        sys.exit(1)
    print(bindir)
