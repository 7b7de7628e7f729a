"""`python -m forumdash backup FILE [--portable]` and `restore FILE`."""

import argparse
from pathlib import Path

from sqlalchemy.engine import make_url

from forumdash import backup
from forumdash.db import make_engine
from forumdash.settings import get_settings


def cmd_backup(args: argparse.Namespace) -> int:
    """Write a consistent backup of the database to FILE, even while the app is writing."""
    url = make_url(get_settings().database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        if not Path(url.database).is_file():
            raise backup.BackupError(f"there is no database at {url.database}")
    engine = make_engine(get_settings().database_url)
    try:
        info = backup.backup(engine, args.file, portable=args.portable)
    finally:
        engine.dispose()
    print(info.summary())
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Restore a backup FILE into the database, which must be new or hold no records."""
    engine = make_engine(get_settings().database_url)
    try:
        info = backup.restore(engine, args.file)
    finally:
        engine.dispose()
    print(info.summary())
    return 0


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the `backup` and `restore` commands to an argparse subparsers object."""
    backing_up = commands.add_parser("backup", help=cmd_backup.__doc__)
    backing_up.add_argument("file", metavar="FILE", help="file to write (replaced whole)")
    backing_up.add_argument(
        "--portable",
        action="store_true",
        help="write a portable dump (gzip'd JSON Lines) that SQLite or PostgreSQL can restore; "
        "always so on PostgreSQL",
    )
    backing_up.set_defaults(func=cmd_backup)
    restoring = commands.add_parser("restore", help=cmd_restore.__doc__)
    restoring.add_argument("file", metavar="FILE", help="a backup made by `backup`")
    restoring.set_defaults(func=cmd_restore)
