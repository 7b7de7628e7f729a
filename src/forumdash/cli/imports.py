"""`python -m forumdash import practices|ogp FILE [--dry-run]`: the importers, from a shell."""

import argparse
import sys
from pathlib import Path

from forumdash import vocab as v
from forumdash.db import make_engine
from forumdash.importers.practices import IMPORT_WORKFLOWS
from forumdash.importers.run import run_import
from forumdash.importers.sniff import MAX_BYTES, InvalidFile
from forumdash.service import init_database
from forumdash.settings import get_settings


def _read(path: Path) -> bytes:
    """The file's bytes; one clear line when it cannot be read or is too large to import."""
    try:
        if path.is_dir():
            raise InvalidFile(f"cannot read {path}: it is a folder")
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InvalidFile(f"cannot read {path}: {exc.strerror or exc}") from exc
    if len(data) > MAX_BYTES:
        raise InvalidFile(f"{path.name} is larger than {MAX_BYTES // 1024 // 1024} MB")
    return data


def _run(kind: str, args: argparse.Namespace, workflow: v.Workflow = v.Workflow.draft) -> int:
    path = Path(args.file)
    try:
        data = _read(path)
        engine = make_engine(get_settings().database_url)
        try:
            init_database(engine)
            report = run_import(
                engine, kind, data, path.name, dry_run=args.dry_run, workflow=workflow
            )
        finally:
            engine.dispose()
    except InvalidFile as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not report.ok:
        # Errors, and the warnings with them, so that one round of fixes is enough.
        first, *rows = report.lines()
        print(f"error: {first.removeprefix(report.kind + ': ')}", file=sys.stderr)
        for line in rows:
            print(line, file=sys.stderr)
        return 2
    # Warnings do not stop an import: they are printed with the counts, and the exit is 0.
    for line in report.lines():
        print(line)
    return 0


def cmd_import_practices(args: argparse.Namespace) -> int:
    """Import practices from the template (CSV, XLSX or JSON), creating or updating by slug."""
    return _run("practices", args, workflow=v.Workflow(args.workflow))


def cmd_import_ogp(args: argparse.Namespace) -> int:
    """Import the forum countries' commitments from OGP's commitment export (CSV)."""
    return _run("ogp", args)


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add `import practices` and `import ogp` to a parser's subcommands."""
    importing = commands.add_parser(
        "import", help="import practices or OGP commitments from a file, all rows or none"
    )
    kinds = importing.add_subparsers(dest="import_kind", required=True, metavar="KIND")
    dry_run_help = "check everything and report what would change, but write nothing"

    practices = kinds.add_parser("practices", help=cmd_import_practices.__doc__)
    practices.add_argument("file", metavar="FILE", help="a .csv, .xlsx or .json file")
    practices.add_argument("--dry-run", action="store_true", help=dry_run_help)
    practices.add_argument(
        "--workflow",
        choices=[state.value for state in IMPORT_WORKFLOWS],
        default=v.Workflow.draft.value,
        help="workflow state of new practices (default: draft, for review); "
        "existing practices keep theirs",
    )
    practices.set_defaults(func=cmd_import_practices)

    ogp = kinds.add_parser("ogp", help=cmd_import_ogp.__doc__)
    ogp.add_argument("file", metavar="FILE", help="OGP's commitment export, a .csv file")
    ogp.add_argument("--dry-run", action="store_true", help=dry_run_help)
    ogp.set_defaults(func=cmd_import_ogp)
