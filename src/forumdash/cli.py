"""`python -m forumdash`: set up the database, print statistics, manage accounts."""

import argparse
import json
import sys
from collections.abc import Sequence

import sqlalchemy as sa

from forumdash import auth, repository
from forumdash import vocab as v
from forumdash.db import DatabaseError, make_engine, migrate, read_session, write_session
from forumdash.seed import SeedError
from forumdash.service import init_database
from forumdash.settings import get_settings


class CliError(Exception):
    """An error to print as one line, exiting non-zero."""


def _engine():  # type: ignore[no-untyped-def]
    return make_engine(get_settings().database_url)


def cmd_init(args: argparse.Namespace) -> int:
    """Create or migrate the database and load the seed content when it is empty."""
    engine = _engine()
    report = init_database(engine)
    if report is None:
        print("database is up to date; it already had content, so nothing was seeded")
    else:
        counts = ", ".join(f"{n} {kind}" for kind, n in report.inserted.items())
        print(f"database created and seeded: {counts}")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    """Print counts of every record kind, in total and by country."""
    engine = _engine()
    migrate(engine)
    with read_session(engine) as session:
        counts = repository.record_counts(session=session)
    if args.json:
        print(json.dumps(counts, ensure_ascii=False, sort_keys=False))
    else:
        print(f"countries: {', '.join(counts['countries'])}")
        for kind in ("practices", "challenges", "commitments", "milestones"):
            by_country = ", ".join(f"{c} {n}" for c, n in counts[kind]["by_country"].items())
            print(f"{kind}: {counts[kind]['total']} ({by_country or 'none'})")
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    """Create an account; the password is read from standard input."""
    if args.role not in v.Role.values():
        raise CliError(f"unknown role {args.role!r}: use one of {', '.join(v.Role.values())}")
    if args.role == v.Role.focal_point and not args.country:
        raise CliError("a focal point needs a country: add --country CODE")
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise CliError("no password on standard input")
    engine = _engine()
    migrate(engine)
    with write_session(engine) as session:
        user_id = auth.create_user(
            session=session,
            email=args.email,
            password=password,
            role=args.role,
            country=args.country,
            display_name=args.name or "",
        )
    print(f"account {user_id} created for {args.email.strip().lower()} ({args.role})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m forumdash",
        description="forumdash: the Western Balkans Regional Forum dashboard. "
        "The database is FORUMDASH_DATABASE_URL (default: an SQLite file under data/).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    init = commands.add_parser("init", help=cmd_init.__doc__)
    init.set_defaults(func=cmd_init)

    stats = commands.add_parser("stats", help=cmd_stats.__doc__)
    stats.add_argument("--json", action="store_true", help="print one JSON object")
    stats.set_defaults(func=cmd_stats)

    user = commands.add_parser("user", help="manage accounts")
    user_commands = user.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    add = user_commands.add_parser("add", help=cmd_user_add.__doc__)
    add.add_argument("--email", required=True)
    add.add_argument("--role", required=True, help="participant, focal_point or organiser")
    add.add_argument("--country", help="ISO code; required for a focal point")
    add.add_argument("--name", help="display name")
    add.set_defaults(func=cmd_user_add)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
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


if __name__ == "__main__":
    sys.exit(main())
