"""`python -m forumdash ...`: the command line. It imports the domain; the domain never imports
it. Each module adds its commands to the parser; errors print one line and exit with 2."""

import argparse
import sys
from collections.abc import Sequence

import sqlalchemy as sa

from forumdash import auth
from forumdash.cli import backups, commands, imports
from forumdash.cli.commands import CliError
from forumdash.db import DatabaseError
from forumdash.seed import SeedError

__all__ = ["CliError", "build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command."""
    parser = argparse.ArgumentParser(
        prog="python -m forumdash",
        description="forumdash: the Western Balkans Regional Forum dashboard. "
        "The database is FORUMDASH_DATABASE_URL (default: an SQLite file under data/).",
    )
    subcommands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.register(subcommands)
    imports.register(subcommands)
    backups.register(subcommands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; print errors as one line and return 2."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (CliError, DatabaseError, SeedError, auth.AccountError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except sa.exc.OperationalError as exc:
        reason = str(exc.orig or exc).strip().splitlines()[0]
        print(f"error: database error: {reason}", file=sys.stderr)
        return 2
    except sa.exc.SQLAlchemyError as exc:
        print(f"error: database error: {type(exc).__name__}", file=sys.stderr)
        return 2
