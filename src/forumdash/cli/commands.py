"""`python -m forumdash init|stats|export|user add|deactivate|activate|role|sign-out|mail-digests`:
the database, statistics, exports, accounts, and the inbox's e-mail digests."""

import argparse
import datetime as dt
import json
import os
import secrets
import sys
from pathlib import Path

from sqlalchemy.engine import Engine

from forumdash import auth, commitment_export, commitment_filters, digests, export, repository
from forumdash import vocab as v
from forumdash.db import make_engine, migrate, read_session, write_session
from forumdash.filters import FACETS, SORTS, from_params
from forumdash.service import init_database
from forumdash.settings import get_settings


class CliError(Exception):
    """An error to print as one line, exiting non-zero."""


def _engine() -> Engine:
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


def cmd_export(args: argparse.Namespace) -> int:
    """Write the published practices (or the commitments) that match the filters to a CSV,
    XLSX or JSON file."""
    if args.kind == "commitments":
        return _export_commitments(args)
    # The same parameters as the browse page's URL, read by the same function.
    params: dict[str, list[str]] = {}
    for facet in FACETS:
        if getattr(args, facet.param):
            params[facet.param] = getattr(args, facet.param)
    for name in ("q", "year_from", "year_to", "sort"):
        if getattr(args, name) is not None:
            params[name] = [str(getattr(args, name))]
    output = Path(args.output)
    _check_writable(output)  # before any database work, so that a typo fails fast
    engine = _engine()
    migrate(engine)
    with read_session(engine) as session:
        filters = from_params(
            params,
            countries=[c.code for c in repository.list_countries(session=session)],
            themes=repository.theme_names(session=session),
        )
        if filters.notices:
            # What a web page would skip with a notice must stop a script.
            raise CliError(" ".join(n.removeprefix("Ignored ") for n in filters.notices))
        practices = repository.matching_practices(session=session, filters=filters)
    content = export.export(practices, args.format, filters)
    _write_atomically(output, content)
    print(f"exported {len(practices)} practices to {args.output}")
    return 0


# The practice filters that commitments do not have.
_PRACTICE_ONLY = [facet.param for facet in FACETS if facet.param != "country"] + [
    "year_from",
    "year_to",
    "sort",
]


def _export_commitments(args: argparse.Namespace) -> int:
    """Write the imported commitments (of the given countries, matching --q) with every field."""
    given = [name for name in _PRACTICE_ONLY if getattr(args, name)]
    if given:
        options = ", ".join("--" + name.replace("_", "-") for name in given)
        raise CliError(f"{options}: not a filter of commitments (use --country and --q)")
    params: dict[str, list[str]] = {}
    if args.country:
        params["country"] = args.country
    if args.q is not None:
        params["q"] = [args.q]
    output = Path(args.output)
    _check_writable(output)
    engine = _engine()
    migrate(engine)
    with read_session(engine) as session:
        countries = repository.list_countries(session=session)
        commitments = repository.all_commitments(session=session)
    names = {"countries": {c.code: c.name_en for c in countries}}
    known = commitment_filters.known_options(commitments, names["countries"])
    filters = commitment_filters.from_params(params, known)
    if filters.notices:
        raise CliError(" ".join(n.removeprefix("Ignored ") for n in filters.notices))
    chosen = commitment_filters.matching(commitments, filters, [c.code for c in countries])
    content = commitment_export.export_commitments(chosen, args.format, filters, names=names)
    _write_atomically(output, content)
    print(f"exported {len(chosen)} commitments to {args.output}")
    return 0


def _check_writable(path: Path) -> None:
    if path.is_dir():
        raise CliError(f"cannot write {path}: it is a folder")
    if not path.parent.is_dir():
        raise CliError(f"cannot write {path}: there is no folder {path.parent}")


def _write_atomically(path: Path, content: bytes) -> None:
    """Write the file whole or not at all: a temporary file beside it, then a rename."""
    _check_writable(path)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        # 0o666 less the umask, like a file made by open(); O_EXCL never follows a planted link.
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(content)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise CliError(f"cannot write {path}: {exc.strerror or exc}") from exc


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
    init_database(engine)  # a focal point's country must exist
    with write_session(engine) as session:
        user_id = auth.create_user(
            session=session,
            actor=auth.SYSTEM,  # whoever runs the command line operates the machine
            email=args.email,
            password=password,
            role=args.role,
            country=args.country,
            display_name=args.name or "",
        )
    print(f"account {user_id} created for {args.email.strip().lower()} ({args.role})")
    return 0


def cmd_user_deactivate(args: argparse.Namespace) -> int:
    """Deactivate an account: it can no longer sign in, and every session it has ends at once."""
    engine = _engine()
    migrate(engine)
    with write_session(engine) as session:
        auth.set_active(session=session, actor=auth.SYSTEM, email=args.email, active=False)
    print(f"account {args.email.strip().lower()} deactivated; its sessions have ended")
    return 0


def cmd_user_activate(args: argparse.Namespace) -> int:
    """Let a deactivated account sign in again."""
    engine = _engine()
    migrate(engine)
    with write_session(engine) as session:
        auth.set_active(session=session, actor=auth.SYSTEM, email=args.email, active=True)
    print(f"account {args.email.strip().lower()} activated")
    return 0


def cmd_user_role(args: argparse.Namespace) -> int:
    """Give an account another role (and country); its open sessions take it at their next
    action."""
    engine = _engine()
    migrate(engine)
    with write_session(engine) as session:
        auth.set_role(
            session=session,
            actor=auth.SYSTEM,
            email=args.email,
            role=args.role,
            country=args.country,
        )
    print(f"account {args.email.strip().lower()} is now {args.role}")
    return 0


def cmd_user_sign_out(args: argparse.Namespace) -> int:
    """End every session of an account (every browser and tab), e.g. after a lost phone."""
    engine = _engine()
    migrate(engine)
    with write_session(engine) as session:
        user_id = auth.account_id(session=session, email=args.email)
        ended = auth.end_all_login_sessions(session=session, user_id=user_id)
    print(f"sessions ended for {args.email.strip().lower()}: {ended}")
    return 0


def cmd_mail_digests(args: argparse.Namespace) -> int:
    """Mail the inbox's digests that are due now (what the app's processes also do every few
    minutes); safe to run while they do, e.g. from cron."""
    engine = _engine()
    migrate(engine)
    report = digests.send_due_digests(engine, dt.datetime.now(dt.UTC))
    if report.skipped:
        raise CliError(f"no digests sent: {report.skipped}")
    print(
        f"digests sent: {report.sent} (notices in them: {report.notices}); failed: {report.failed}"
        + (" (retried at the next run)" if report.failed else "")
    )
    return 1 if report.failed else 0


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add init, stats, export, user (add, deactivate, activate, role, sign-out) and mail-digests
    to the parser's subcommands."""
    init = commands.add_parser("init", help=cmd_init.__doc__)
    init.set_defaults(func=cmd_init)

    stats = commands.add_parser("stats", help=cmd_stats.__doc__)
    stats.add_argument("--json", action="store_true", help="print one JSON object")
    stats.set_defaults(func=cmd_stats)

    exporting = commands.add_parser("export", help=cmd_export.__doc__)
    exporting.add_argument(
        "--kind",
        choices=["practices", "commitments"],
        default="practices",
        help="what to export (default: practices); commitments take --country and --q",
    )
    exporting.add_argument("--format", required=True, choices=list(export.FORMATS))
    exporting.add_argument("-o", "--output", required=True, metavar="FILE", help="file to write")
    for facet in FACETS:
        exporting.add_argument(
            f"--{facet.param}",
            action="append",
            metavar=facet.param.upper(),
            help=f"{facet.label.lower()}; repeat for any of several",
        )
    exporting.add_argument("--q", metavar="TEXT", help="search words, as in the search box")
    exporting.add_argument("--year-from", type=int, metavar="YEAR", help="started in or after")
    exporting.add_argument("--year-to", type=int, metavar="YEAR", help="started in or before")
    exporting.add_argument(
        "--sort",
        choices=list(SORTS),
        help="row order (default: relevance when searching, else newest)",
    )
    exporting.set_defaults(func=cmd_export)

    user = commands.add_parser("user", help="manage accounts")
    user_commands = user.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    add = user_commands.add_parser("add", help=cmd_user_add.__doc__)
    add.add_argument("--email", required=True)
    add.add_argument("--role", required=True, help="participant, focal_point or organiser")
    add.add_argument("--country", help="ISO code; required for a focal point")
    add.add_argument("--name", help="display name")
    add.set_defaults(func=cmd_user_add)

    deactivate = user_commands.add_parser("deactivate", help=cmd_user_deactivate.__doc__)
    deactivate.add_argument("--email", required=True)
    deactivate.set_defaults(func=cmd_user_deactivate)
    activate = user_commands.add_parser("activate", help=cmd_user_activate.__doc__)
    activate.add_argument("--email", required=True)
    activate.set_defaults(func=cmd_user_activate)
    role = user_commands.add_parser("role", help=cmd_user_role.__doc__)
    role.add_argument("--email", required=True)
    role.add_argument("--role", required=True, help="participant, focal_point or organiser")
    role.add_argument("--country", help="ISO code; required for a focal point")
    role.set_defaults(func=cmd_user_role)
    sign_out = user_commands.add_parser("sign-out", help=cmd_user_sign_out.__doc__)
    sign_out.add_argument("--email", required=True)
    sign_out.set_defaults(func=cmd_user_sign_out)

    mail = commands.add_parser("mail-digests", help=cmd_mail_digests.__doc__)
    mail.set_defaults(func=cmd_mail_digests)
