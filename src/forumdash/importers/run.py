"""One entry point for every import, shared by the command line and the app's uploader: the size
limit, the type check (on content) and the text encoding come first, then the import itself."""

from sqlalchemy.engine import Engine

from forumdash import vocab as v
from forumdash.importers import ogp, practices
from forumdash.importers.progress import ProgressCallback
from forumdash.importers.report import ImportReport
from forumdash.importers.sniff import inspect_file

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
    progress: ProgressCallback | None = None,
) -> ImportReport:
    """Check the file (size, type on content, encoding) and import it; raises InvalidFile for a
    file that cannot be imported at all. Bad rows are not raised: they are in the report, which
    also says which encoding a text file was read in. `progress` hears how far it has gone."""
    if kind == "practices":
        found = inspect_file(
            data,
            filename,
            allowed=ACCEPTED[kind],
            required_columns=[practices.KEY_HEADERS["title"]],
        )
        report = practices.import_practices(
            engine,
            data,
            found.format,
            dry_run=dry_run,
            user_id=user_id,
            workflow=workflow,
            progress=progress,
        )
        report.filename = filename
    elif kind == "ogp":
        found = inspect_file(
            data, filename, allowed=ACCEPTED[kind], required_columns=ogp.REQUIRED_COLUMNS
        )
        report = ogp.import_ogp(engine, data, dry_run=dry_run, filename=filename, progress=progress)
    else:
        raise ValueError(f"unknown import {kind!r}: use one of {', '.join(KINDS)}")
    report.notes[:0] = found.notes
    return report
