"""Peak memory of reading practice files, each in a process of its own.

`python -m tests.support.import_memory FILE...` reads each file as the importer does (type and
encoding checked, every row read and validated as a practice: all an import does before it
writes) in a child process, one after the other, and prints one JSON line per file: what was
read, and `maxrss_kb`, this process's RUSAGE_CHILDREN peak once that child ended. That peak is
the largest of the children so far, so list the baseline file first: a later file that needs
more shows its own peak, one that needs less shows the baseline's.
"""

import json
import resource
import subprocess
import sys
from pathlib import Path


def _read_one(path: Path) -> dict[str, object]:
    from forumdash.importers import InvalidFile
    from forumdash.importers.practices import read_practice_file
    from forumdash.importers.sniff import inspect_file

    data = path.read_bytes()
    try:
        found = inspect_file(data, path.name, required_columns=["Title"])
        result = read_practice_file(data, found.format)
    except InvalidFile as exc:
        return {"ok": False, "refused": str(exc)}
    return {
        "ok": not result.errors,
        "rows": len(result.rows),
        "errors": result.errors[:3],
        "notes": found.notes + result.notes,
    }


def main(argv: list[str]) -> int:
    if argv[:1] == ["--one"]:
        print(json.dumps(_read_one(Path(argv[1]))))
        return 0
    for name in argv:
        done = subprocess.run(
            [sys.executable, "-m", "tests.support.import_memory", "--one", name],
            capture_output=True,
            text=True,
            check=False,
        )
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        result = json.loads(done.stdout) if done.returncode == 0 else {"error": done.stderr[-2000:]}
        print(json.dumps({"file": name, "maxrss_kb": peak, **result}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
