"""Import a big generated practices file (CSV and XLSX): time and peak memory, against a floor.

    python bench/import_bench.py [--rows 7563] [--section-chars 340] [--seed 1] [--keep DIR]

Generates a practices CSV of about 30 MB (7,563 practices, the size of a real case library of
27 MB, with long bodies in the region's languages, written with bench/generate.py's Writer and
bench/words.py) and the same rows as an XLSX, then runs each of these in a child process of its
own and reads that child's peak resident memory from the kernel (`os.wait4`, `ru_maxrss`):

- floor: `csv.reader` over the file into a list (what holding the rows costs at the least), and
  for the workbook openpyxl's read-only `iter_rows(values_only=True)` into a list;
- `python -m forumdash import practices FILE --dry-run` as the product runs it (`run_import`),
  into a fresh SQLite database (migrated and seeded first, outside the time measured);
- the same import for real.

Prints one line per run (wall time of the import, the child's CPU time, peak memory and its ratio
to the floor of the same file, measured in the same run), the time each stage took (reading,
checking, writing, from the importer's progress callback), and as its last line one JSON object
with every figure. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
# Every piece of work runs in a child; this process only starts them and stays small. It must:
# a child started by vfork+exec is charged the peak memory of the process that started it (Linux
# keeps the larger of the two in ru_maxrss). A floor child imports only csv (or openpyxl), so its
# peak is what holding the rows costs.


def _themes() -> list[str]:
    with (ROOT / "data" / "themes.csv").open(encoding="utf-8") as handle:
        return [row["slug"] for row in csv.DictReader(handle)]


def practice_rows(rows: int, section_chars: int, seed: int) -> list[dict[str, str]]:  # noqa: PLR0914
    """Template rows of synthetic practices: every body section filled, in the country's
    languages (Albanian, Serbian Latin and Cyrillic, Macedonian, Bosnian, English)."""
    import generate  # bench/ is on the path when run as a script
    import words as w

    from forumdash import vocab as v

    levels = [member.label for member in v.GovLevel]
    actors = [member.label for member in v.ActorType]
    stages = [member.label for member in v.Stage]
    rng = random.Random(seed)
    writers = {language: generate.Writer(language, rng) for language in w.LANGUAGES}
    themes = _themes()
    out = []
    for number in range(1, rows + 1):
        country = rng.choices(generate.COUNTRIES[0], cum_weights=generate.COUNTRIES[1])[0]
        keys, cum = generate.LANGUAGE_OF[country]
        language = rng.choices(keys, cum_weights=cum)[0]
        writer = writers[language]
        place = generate._place(rng, country, language)
        body = {
            heading: writer.paragraph(rng, section_chars // 2, section_chars * 3 // 2, [place])
            for _, heading in v.BODY_SECTIONS
        }
        out.append(
            {
                "Slug": f"{country.lower()}-bench-{number}",
                "Title": writer.title(rng, place, [])[:200],
                "Country code": country,
                "Summary": writer.paragraph(rng, 250, 400, [place]),
                **body,
                "Level of government": rng.choice(levels),
                "Lead institution": rng.choice(w.INSTITUTIONS[language]).format(place=place),
                "Partners": ", ".join(rng.sample(w.PARTNERS, rng.randint(0, 3))),
                "Actor type": rng.choice(actors),
                "Themes": "; ".join(rng.sample(themes, rng.randint(1, 3))),
                "Stage": rng.choice(stages),
                "Start year": str(rng.randint(2012, 2026)),
                "Sources": f"Case library <https://example.org/{country.lower()}/{number}>",
                "Original language": language.split("-")[0],
            }
        )
    return out


def write_files(folder: Path, rows: list[dict[str, str]]) -> tuple[Path, Path]:
    """The rows as the bulk-entry template's CSV (UTF-8) and XLSX (sheet Practices)."""
    from openpyxl import Workbook

    from forumdash.importers.practices import SHEET, TEMPLATE_HEADERS

    csv_path, xlsx_path = folder / "practices.csv", folder / "practices.xlsx"
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=TEMPLATE_HEADERS, restval="")
        writer.writeheader()
        writer.writerows(rows)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET)
    sheet.append(TEMPLATE_HEADERS)
    for row in rows:
        sheet.append([row.get(header, "") for header in TEMPLATE_HEADERS])
    book.save(xlsx_path)
    return csv_path, xlsx_path


# --------------------------------------------------------------------------- the children


def child(mode: str, path: Path, database: Path | None) -> dict[str, object]:
    """One measured run, in this (child) process; returns what it saw."""
    result: dict[str, object] = {}
    if mode == "floor-csv":
        started = time.perf_counter()
        with path.open(encoding="utf-8", newline="") as handle:
            csv.field_size_limit(100 * 1024 * 1024)
            rows = list(csv.reader(handle))
        result["rows"] = len(rows) - 1
    elif mode == "floor-xlsx":
        from openpyxl import load_workbook

        started = time.perf_counter()
        book = load_workbook(io.BytesIO(path.read_bytes()), read_only=True)
        rows = list(book["Practices"].iter_rows(values_only=True))
        book.close()
        result["rows"] = len(rows) - 1
    else:
        from forumdash.db import make_engine
        from forumdash.importers import run_import
        from forumdash.importers.progress import Progress
        from forumdash.service import init_database

        engine = make_engine(f"sqlite:///{database}")
        init_database(engine)
        stages: dict[str, float] = {}

        def heard(progress: Progress) -> None:
            stages.setdefault(progress.stage, time.perf_counter())

        started = time.perf_counter()
        report = run_import(
            engine,
            "practices",
            path.read_bytes(),
            path.name,
            dry_run=mode == "dry-run",
            progress=heard,
        )
        ended = time.perf_counter()
        engine.dispose()
        marks = [*stages.items(), ("end", ended)]
        result |= {
            "ok": report.ok,
            "created": report.created,
            "report": report.lines()[:3],
            "stages_s": {
                stage: round(marks[i + 1][1] - at, 2) for i, (stage, at) in enumerate(marks[:-1])
            },
        }
        result["seconds"] = round(ended - started, 2)
        return result
    result["seconds"] = round(time.perf_counter() - started, 2)
    return result


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(BENCH)])}


def measure(mode: str, path: Path, database: Path | None = None) -> dict[str, object]:
    """Run one mode in a child process; its own figures plus the kernel's peak memory and CPU."""
    args = [sys.executable, __file__, "--child", mode, str(path), str(database or "")]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, text=True, env=_env())
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{mode} on {path.name} failed with status {process.returncode}")
    result = json.loads(output.strip().splitlines()[-1])
    result["peak_mb"] = round(usage.ru_maxrss / 1024, 1)
    result["cpu_s"] = round(usage.ru_utime + usage.ru_stime, 2)
    return result


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--generate"]:
        folder, rows, section_chars, seed = Path(argv[1]), *map(int, argv[2:5])
        write_files(folder, practice_rows(rows, section_chars, seed))
        return 0
    if argv[:1] == ["--child"]:
        mode, path, database = argv[1], Path(argv[2]), Path(argv[3]) if argv[3] else None
        print(json.dumps(child(mode, path, database)))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=7563)
    parser.add_argument("--section-chars", type=int, default=340)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="write the generated files here and keep them")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as temporary:
        folder = args.keep or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--generate",
                str(folder),
                *map(str, (args.rows, args.section_chars, args.seed)),
            ],
            env=_env(),
            check=True,
        )
        csv_path, xlsx_path = folder / "practices.csv", folder / "practices.xlsx"
        print(
            f"generated {args.rows:,} practices in {time.perf_counter() - started:.0f} s: "
            f"CSV {csv_path.stat().st_size / 1e6:.1f} MB, "
            f"XLSX {xlsx_path.stat().st_size / 1e6:.1f} MB",
            flush=True,
        )
        figures: dict[str, dict[str, object]] = {}
        for path, floor in ((csv_path, "floor-csv"), (xlsx_path, "floor-xlsx")):
            fmt = path.suffix.lstrip(".")
            base = measure(floor, path)
            figures[f"{fmt} {floor}"] = base
            print(
                f"{fmt:4} {floor:11} {base['seconds']:7.1f} s wall {base['cpu_s']:7.1f} s cpu "
                f"{base['peak_mb']:7.1f} MB peak",
                flush=True,
            )
            for mode in ("dry-run", "import"):
                result = measure(mode, path, Path(temporary) / f"{fmt}-{mode}.sqlite")
                result["peak_over_floor"] = round(
                    float(result["peak_mb"]) / float(base["peak_mb"]),
                    2,  # type: ignore[arg-type]
                )
                figures[f"{fmt} {mode}"] = result
                print(
                    f"{fmt:4} {mode:11} {result['seconds']:7.1f} s wall {result['cpu_s']:7.1f} s "
                    f"cpu {result['peak_mb']:7.1f} MB peak ({result['peak_over_floor']}x the "
                    f"floor) ok={result['ok']} created={result['created']} "
                    f"stages={result['stages_s']}",
                    flush=True,
                )
        load = os.getloadavg()
        print(
            json.dumps(
                {
                    "rows": args.rows,
                    "csv_mb": round(csv_path.stat().st_size / 1e6, 1),
                    "xlsx_mb": round(xlsx_path.stat().st_size / 1e6, 1),
                    "figures": figures,
                    "load_average": [round(x, 1) for x in load],
                }
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
