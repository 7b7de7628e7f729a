"""Challenges from a table in the challenge template's columns (or mapped onto them), upserted by
slug. The practice importer's machinery does the work: its cell readers, its way of naming every
bad cell, and its all-or-nothing writer; only the columns and ChallengeCreate differ."""

from typing import Any

from pydantic import ValidationError
from sqlmodel import Session

from forumdash import repository
from forumdash import vocab as v
from forumdash.i18n import N_, _
from forumdash.importers import store
from forumdash.importers.practices import (
    Cells,
    Context,
    RecordFile,
    Records,
    RecordWriter,
    _one_per_row,
    _reasons,
    also_in,
    load_context,
    parse_bool,
    parse_date,
    parse_links,
    parse_slug,
    read_records,
)
from forumdash.models import ChallengeCreate
from forumdash.text import clean_text

# The challenge template: header -> the importer's key (ChallengeCreate's field, but for Country).
HEADER_KEYS = {
    N_("Slug"): "slug",
    N_("Title"): "title",
    N_("Country code"): "country",
    N_("Country"): "country_name",
    N_("Description"): "description",
    N_("Themes"): "themes",
    N_("OGP values"): "ogp_values",
    N_("Obstacle type"): "obstacle_type",
    N_("Severity"): "severity",
    N_("Status"): "challenge_status",
    N_("Support sought"): "support_sought",
    N_("Raised at event"): "raised_at_event",
    N_("Raised at date"): "raised_at_date",
    N_("Sources"): "sources",
    N_("Original language"): "original_language",
    N_("Sample"): "sample",
}
KEY_HEADERS = {key: header for header, key in HEADER_KEYS.items()}
TEMPLATE_HEADERS = list(HEADER_KEYS)
TEXT_KEYS = ["title", "description", "raised_at_event", "original_language"]
VOCABULARIES: dict[str, type[v.Vocab]] = {
    "obstacle_type": v.ObstacleType,
    "severity": v.Severity,
    "challenge_status": v.ChallengeStatus,
}
LIST_VOCABULARIES: dict[str, type[v.Vocab]] = {
    "ogp_values": v.OgpValue,
    "support_sought": v.SupportSought,
}
REQUIRED_KEYS = ["title", "country", "description", "themes", "obstacle_type", "severity"]

ChallengeFile = RecordFile[ChallengeCreate]

CHALLENGE_WRITER = RecordWriter[ChallengeCreate](
    kind="challenges",
    record_type=v.RecordType.challenge,
    ids_by_slug=lambda session, slugs: store.challenge_ids_by_slug(session=session, slugs=slugs),
    create=lambda session, record, user_id: repository.create_challenge(
        session=session, challenge_in=record, user_id=user_id
    ),
    update=lambda session, record_id, record, user_id: repository.update_challenge(
        session=session,
        challenge_id=record_id,
        challenge_in=record,
        user_id=user_id,
        action="import",
    ),
)


def load_challenge_context(session: Session) -> tuple[Context, set[str]]:
    """Countries and themes of the database, and the slugs of its challenges."""
    return load_context(session), store.challenge_slugs(session=session)


def read_challenge_row(
    values: dict[str, Any], context: Context, known: set[str], workflow: v.Workflow
) -> tuple[ChallengeCreate | None, dict[str, str]]:
    """One row as a ChallengeCreate, or every reason it is not one (by key; "" for the row)."""
    if "__error" in values:
        return None, {"": str(values["__error"])}
    cells = Cells.read_common(values, context, TEXT_KEYS, VOCABULARIES, LIST_VOCABULARIES)
    parsed, problems, read = cells.parsed, cells.problems, cells.read
    read("raised_at_date", parse_date)
    read("sample", parse_bool)
    read("sources", parse_links)
    read("slug", lambda x: parse_slug(x, known))
    for key in ("title", "description"):
        if key not in problems and not clean_text(parsed.get(key)):
            problems[key] = _("required")
    if not parsed.get("slug") and "slug" not in problems:
        problems["slug"] = _("required")
    if "sources" not in problems and not parsed.get("sources") and not parsed.get("sample"):
        problems["sources"] = _("at least one source (a link or a citation) is required")
    record = {key: value for key, value in parsed.items() if value is not None}
    if not record.get("original_language"):
        record.pop("original_language", None)  # not said: no language is assumed
    record["workflow"] = workflow
    try:
        challenge = ChallengeCreate.model_validate(record)
    except ValidationError as exc:
        for key, message in _reasons(exc):
            if key not in problems and not (key == "country" and "country_name" in problems):
                problems[key] = message
        return None, problems
    return (None, problems) if problems else (challenge, {})


def validate_challenge_records(
    records: Records,
    *,
    context: Context,
    known: set[str],
    workflow: v.Workflow = v.Workflow.draft,
) -> ChallengeFile:
    """Every row of `records` as a validated challenge, or why it is not one; a slug used by two
    rows is an error of the second."""
    result, shown = read_records(
        records,
        lambda values: read_challenge_row(values, context, known, workflow),
        KEY_HEADERS,
    )
    first_row: dict[str, int] = {}
    for number, challenge in result.rows:
        if challenge.slug in first_row:
            result.errors.append(
                (number, also_in(shown("slug"), challenge.slug, records.label, first_row))
            )
        first_row.setdefault(challenge.slug, number)
    result.errors = _one_per_row(result.errors)
    return result
