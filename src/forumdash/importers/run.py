"""One entry point for every import, shared by the command line and the app's uploader: the size
limit and the type check (on content) come first, then the import itself."""

from sqlalchemy.engine import Engine

from forumdash import vocab as v
from forumdash.importers import ogp, practices
from forumdash.importers.report import ImportReport
from forumdash.importers.sniff import detect_format

KINDS = ("practices", "ogp")
# What each kind of import reads; the uploader's `type=` list can come from here too.
ACCEPTED = {"practices": ("csv", "xlsx", "json"), "ogp": ("csv",)}


def run_import(
    engine: Engine,
    kind: str,
    data: bytes,
    filename: str,
    *,
    dry_run: bool = False,
    user_id: int | None = None,
    workflow: v.Workflow | str = v.Workflow.draft,
) -> ImportReport:
    """Check the file (size, type on content) and import it; raises InvalidFile for a file that
    cannot be imported at all. Bad rows are not raised: they are in the report."""
    if kind == "practices":
        fmt = detect_format(
            data,
            filename,
            allowed=ACCEPTED[kind],
            required_columns=[practices.KEY_HEADERS["title"]],
        )
        report = practices.import_practices(
            engine, data, fmt, dry_run=dry_run, user_id=user_id, workflow=workflow
        )
        report.filename = filename
        return report
    if kind == "ogp":
        detect_format(data, filename, allowed=ACCEPTED[kind], required_columns=ogp.REQUIRED_COLUMNS)
        return ogp.import_ogp(engine, data, dry_run=dry_run, filename=filename)
    raise ValueError(f"unknown import {kind!r}: use one of {', '.join(KINDS)}")
