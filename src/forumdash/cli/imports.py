"""`python -m forumdash import practices|challenges|ogp FILE [--dry-run]`: the importers, from a
shell; practices and challenges in a spreadsheet's own columns with --map, --set and --value."""

import argparse
import sys
from pathlib import Path

from forumdash import vocab as v
from forumdash.db import make_engine
from forumdash.importers import mapping
from forumdash.importers.practices import IMPORT_WORKFLOWS
from forumdash.importers.report import ImportReport
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


def _mapping_given(args: argparse.Namespace) -> bool:
    return bool(args.map or args.set or args.value)


def _run(kind: str, args: argparse.Namespace, workflow: v.Workflow = v.Workflow.draft) -> int:
    path = Path(args.file)
    mapped: mapping.MappedImport | None = None
    try:
        if kind in mapping.KINDS:  # refuse bad arguments before reading anything
            mapping.build_mapping(
                mapping.TEMPLATES[kind], maps=args.map, sets=args.set, values=args.value
            )
        data = _read(path)
        engine = make_engine(get_settings().database_url)
        try:
            init_database(engine)
            if kind == "challenges" or (kind == "practices" and _mapping_given(args)):
                mapped = mapping.import_mapped(
                    engine,
                    kind,
                    data,
                    path.name,
                    maps=args.map,
                    sets=args.set,
                    values=args.value,
                    dry_run=args.dry_run,
                    workflow=workflow,
                )
                report: ImportReport = mapped.report
            else:
                report = run_import(
                    engine, kind, data, path.name, dry_run=args.dry_run, workflow=workflow
                )
        finally:
            engine.dispose()
    except InvalidFile as exc:
        message = str(exc)
        if isinstance(exc, mapping.MappingError) and path.name not in message:
            message = f"{path.name}: {message}"
        if kind == "practices" and not _mapping_given(args) and "lacks the column" in message:
            message += (
                " (a spreadsheet in its own columns imports with --map FIELD=COLUMN; add "
                "--dry-run to see the mapping proposed for the rest)"
            )
        print(f"error: {message}", file=sys.stderr)
        return 2
    if not report.ok:
        # Errors, and the warnings with them, so that one round of fixes is enough.
        first, *rows = report.lines()
        print(f"error: {first.removeprefix(report.kind + ': ')}", file=sys.stderr)
        for line in mapped.unmatched_lines() if mapped else []:
            print(line, file=sys.stderr)
        for line in rows:
            print(line, file=sys.stderr)
        return 2
    # Warnings do not stop an import: they are printed with the counts, and the exit is 0.
    for line in report.lines():
        print(line)
    if mapped is not None:
        print("mapping used:")
        for line in mapped.mapping.lines():
            print(f"  {line}")
    return 0


def cmd_import_practices(args: argparse.Namespace) -> int:
    """Import practices from the template (CSV, XLSX or JSON), creating or updating by slug."""
    return _run("practices", args, workflow=v.Workflow(args.workflow))


def cmd_import_challenges(args: argparse.Namespace) -> int:
    """Import challenges from a CSV or XLSX file (the template's columns, or mapped onto them)."""
    return _run("challenges", args, workflow=v.Workflow(args.workflow))


def cmd_import_ogp(args: argparse.Namespace) -> int:
    """Import the forum countries' commitments from OGP's commitment export (CSV)."""
    return _run("ogp", args)


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add `import practices`, `import challenges` and `import ogp` to a parser's subcommands."""
    importing = commands.add_parser(
        "import",
        help="import practices, challenges or OGP commitments from a file, all rows or none",
    )
    kinds = importing.add_subparsers(dest="import_kind", required=True, metavar="KIND")
    dry_run_help = "check everything and report what would change, but write nothing"

    workflow_help = (
        "workflow state of new records (default: draft, for review); existing ones keep theirs"
    )
    for kind, command, what in (
        ("practices", cmd_import_practices, "a .csv, .xlsx or .json file"),
        ("challenges", cmd_import_challenges, "a .csv or .xlsx file"),
    ):
        parser = kinds.add_parser(kind, help=command.__doc__)
        parser.add_argument("file", metavar="FILE", help=what)
        parser.add_argument("--dry-run", action="store_true", help=dry_run_help)
        parser.add_argument(
            "--workflow",
            choices=[state.value for state in IMPORT_WORKFLOWS],
            default=v.Workflow.draft.value,
            help=workflow_help,
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=COLUMN",
            help="the file's COLUMN feeds the template's FIELD (repeat; a column may feed "
            "several fields; FIELD= unmaps a field). Fields not given are proposed from the "
            "headers and contents",
        )
        parser.add_argument(
            "--set",
            action="append",
            default=[],
            metavar="FIELD=VALUE",
            help="every row gets VALUE for FIELD (where its column, if any, is blank)",
        )
        parser.add_argument(
            "--value",
            action="append",
            default=[],
            metavar="FIELD:WORD=MEANING",
            help="the file's WORD in FIELD means MEANING (a code, value or label; empty to "
            "leave the word out)",
        )
        parser.set_defaults(func=command)

    ogp = kinds.add_parser("ogp", help=cmd_import_ogp.__doc__)
    ogp.add_argument("file", metavar="FILE", help="OGP's commitment export, a .csv file")
    ogp.add_argument("--dry-run", action="store_true", help=dry_run_help)
    ogp.set_defaults(func=cmd_import_ogp)
