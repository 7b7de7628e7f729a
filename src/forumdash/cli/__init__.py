"""`python -m forumdash ...`: the command line. It imports the domain; the domain never imports
it. Each module adds its commands to the parser; errors print one line and exit with 2."""

import argparse
import os
import sqlite3
import sys
import tempfile
import traceback
from collections.abc import Sequence

import sqlalchemy as sa

from forumdash import auth
from forumdash.cli import backups, commands, imports
from forumdash.cli.commands import CliError
from forumdash.db import DatabaseError, disk_full, out_of_reach
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
    subcommands.add_parser(
        "serve",
        help="run the app's server (`streamlit run app.py` with the options that follow, "
        "e.g. --server.port 8501), once the pages' modules, the database and the views the "
        "first visitors read are ready",
    )
    commands.register(subcommands)
    imports.register(subcommands)
    backups.register(subcommands)
    return parser


def _first_line(exc: BaseException) -> str:
    lines = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; print errors as one line and return 2 (the traceback of an unexpected
    one goes to a file whose path the line gives, never to the screen)."""
    given = list(sys.argv[1:] if argv is None else argv)
    serving = given[:1] == ["serve"]
    args = None if serving else build_parser().parse_args(given)
    try:
        if args is None:
            # Everything after `serve` is Streamlit's (its --server.* options): not parsed here.
            from forumdash.ui import serve  # Streamlit only for this command

            return serve.main(given[1:])
        return int(args.func(args))
    except (CliError, DatabaseError, SeedError, auth.AccountError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (sa.exc.SQLAlchemyError, sqlite3.Error) as exc:
        if disk_full(exc):
            print(f"error: the database's disk is full: {_first_line(exc)}", file=sys.stderr)
        elif out_of_reach(exc):
            print(f"error: the database is not reachable: {_first_line(exc)}", file=sys.stderr)
        elif isinstance(exc, sa.exc.OperationalError | sqlite3.OperationalError):
            print(f"error: database error: {_first_line(exc)}", file=sys.stderr)
        else:
            print(f"error: database error: {type(exc).__name__}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - the last resort: one line, the details logged
        where = _log_unexpected(exc)
        print(
            f"error: unexpected {type(exc).__name__}: {_first_line(exc)} ({where})",
            file=sys.stderr,
        )
        return 2


def _log_unexpected(exc: Exception) -> str:
    """Write the traceback to a new file in the temporary folder; its path, or why not."""
    try:
        fd, path = tempfile.mkstemp(prefix="forumdash-error-", suffix=".log")
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as out:
            out.write(f"python -m forumdash {' '.join(sys.argv[1:])}\n")
            out.write("".join(traceback.format_exception(exc)))
    except OSError as error:
        return f"the details could not be written ({error.strerror or error})"
    return f"details in {path}"
