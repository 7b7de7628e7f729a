"""OGP's commitment export (a wide CSV, one row per commitment) -> the commitment table, upserted
by `Commitment Unique Identifier` in one transaction.

Only the columns named below are read. Real exports are messy (DOMAIN.md): ND, NR and NA stand in
for missing values, dates come in several forms, numbers look like floats, subnational members are
written `Tbilisi, Georgia`, and North Macedonia may still be `Macedonia`.
"""

import calendar
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine

from forumdash import repository
from forumdash import vocab as v
from forumdash.db import read_session, write_session
from forumdash.importers import store
from forumdash.importers.countries import match_locality
from forumdash.importers.progress import ProgressCallback
from forumdash.importers.report import ImportReport
from forumdash.importers.sniff import InvalidFile
from forumdash.importers.tables import read_csv
from forumdash.models import Commitment
from forumdash.text import clean_text, safe_url

IDENTIFIER = "Commitment Unique Identifier"
COUNTRY = "Country/Locality"
ACTION_PLAN_NUMBER = "Action Plan Number"
COMMITMENT_NUMBER = "Commitment Number"
YEAR_OF_SUBMISSION = "Year Of Submission"
END_YEAR = "Action Plan End Year"
TITLE = "Commitment Title"
SHORT_TITLE = "Short Title"
FULL_TEXT = "Full Text"
START_DATE = "Start Date"
END_DATE = "End Date"
LEAD_INSTITUTION = "Lead Institution"
POTENTIAL_IMPACT = "Potential Impact"
COMPLETION_MIDTERM = "Completion (Progress Report)"
COMPLETION_END = "Completion (End Of Term)"
OPENED_GOVERNMENT = "Did It Open Government (Overall)"
STARRED = "Starred (Current Formula) End of Term"
URL = "URL"

VALUE_COLUMNS = {
    "OGP Value Access To Information": v.OgpValue.access_to_information,
    "OGP Value Civic Participation": v.OgpValue.civic_participation,
    "OGP Value Public Accountability": v.OgpValue.public_accountability,
    "OGP Value Technology": v.OgpValue.technology_innovation,
}
REQUIRED_COLUMNS = (IDENTIFIER, COUNTRY, TITLE)
READ_COLUMNS = (
    IDENTIFIER,
    COUNTRY,
    ACTION_PLAN_NUMBER,
    COMMITMENT_NUMBER,
    YEAR_OF_SUBMISSION,
    END_YEAR,
    TITLE,
    SHORT_TITLE,
    FULL_TEXT,
    START_DATE,
    END_DATE,
    LEAD_INSTITUTION,
    *VALUE_COLUMNS,
    POTENTIAL_IMPACT,
    COMPLETION_MIDTERM,
    COMPLETION_END,
    OPENED_GOVERNMENT,
    STARRED,
    URL,
)
# Columns of OGP's export that are not policy areas, even where they hold only 0 and 1.
NOT_POLICY_AREAS = {
    *READ_COLUMNS,
    "Region",
    "National Or Local",
    "Theme",
    "Supporting Institution(s)",
    "New Or Ongoing",
    "Relevance",
    "Specificity",
    "Verifiable",
    "Starred (Old Formula)",
    "Starred (Current Formula) Progress Report",
    "Potential Impact (Progress Report)",
    "Potential Impact (End Of Term)",
    "Early Results",
    "Action Plan Start Year",
}

# What OGP writes for "no value": not defined, not reviewed, not applicable.
_MISSING = {"", "nd", "nr", "na", "n/a", "#n/a", "n.a.", "not applicable", "null"}

_IMPACT = {m.value: m for m in v.PotentialImpact}
_COMPLETION = {
    "no evidence": v.Completion.no_evidence,
    "no evidence available": v.Completion.no_evidence,
    "not started": v.Completion.not_started,
    "limited": v.Completion.limited,
    "substantial": v.Completion.substantial,
    "complete": v.Completion.complete,
    "completed": v.Completion.complete,
}
_OPENED = {
    "worsened": v.EarlyResults.worsened,
    "did not change": v.EarlyResults.did_not_change,
    "marginal": v.EarlyResults.marginal,
    "major": v.EarlyResults.major,
    "outstanding": v.EarlyResults.outstanding,
}
_YES = {"1", "1.0", "yes", "y", "true", "x"}
_NO = {"0", "0.0", "no", "n", "false"}

_MONTHS = {name.casefold(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.casefold(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9

_LIMITS = {
    name: Commitment.__table__.c[name].type.length  # type: ignore[attr-defined]
    for name in ("identifier", "action_plan", "commitment_number", "title", "lead_institution")
}


class CellError(ValueError):
    """A cell whose value is not one OGP uses; the message says why."""


# --------------------------------------------------------------------------- cells


def blank(value: Any) -> str | None:
    """The cell's text, or None for an empty cell and OGP's ND, NR, NA and N/A."""
    text = clean_text(value)
    return None if text.casefold() in _MISSING else text


def parse_date(value: Any) -> dt.date | None:
    """`1/1/2024` (month first, unless the first number is over 12), `2014-07-01`, `July 2014`
    and `2014` (the first of the month or year); None for anything else."""
    text = blank(value)
    if text is None:
        return None
    text = text.strip().rstrip(".")
    try:
        if match := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?:\s.*)?", text):
            first, second, year = (int(part) for part in match.groups())
            year += 2000 if year < 100 else 0
            month, day = (second, first) if first > 12 else (first, second)
            return _sane(dt.date(year, month, day))
        if match := re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?:[ T].*)?", text):
            year, month, day = match.groups()
            return _sane(dt.date(int(year), int(month), int(day or 1)))
        if match := re.fullmatch(r"([A-Za-z]+)\.?,?\s+(\d{4})", text):
            month = _MONTHS.get(match.group(1).casefold())
            return _sane(dt.date(int(match.group(2)), month, 1)) if month else None
        if match := re.fullmatch(r"(\d{4})(?:\.0+)?", text):
            return _sane(dt.date(int(match.group(1)), 1, 1))
    except ValueError:
        return None
    return None


def _sane(day: dt.date) -> dt.date | None:
    return day if 1990 <= day.year <= 2100 else None


def parse_number(value: Any) -> str:
    """A number as people write it: `8.3000000000000007` -> `8.3`, `5.0` -> `5`; `1.10` and
    other text stay as they are."""
    text = blank(value) or ""
    if re.fullmatch(r"-?\d+\.\d{7,}", text) or re.fullmatch(r"-?\d+(?:\.\d+)?[eE][-+]?\d+", text):
        text = f"{float(text):.10g}"
    if re.fullmatch(r"-?\d+\.0+", text):
        text = text.split(".")[0]
    return text


def _fold(text: str) -> str:
    return " ".join(text.replace("-", " ").replace("_", " ").split()).casefold().rstrip(".")


def parse_scale(mapping: dict[str, Any], value: Any, column: str) -> Any:
    """A vocabulary member from OGP's word for it; None for a missing value."""
    text = blank(value)
    if text is None:
        return None
    member = mapping.get(_fold(text))
    if member is None:
        words = ", ".join(dict.fromkeys(word.capitalize() for word in mapping))
        raise CellError(f"{column}: {text!r} is not one of {words}")
    return member


def parse_flag(value: Any, column: str) -> bool | None:
    """True for 1/Yes, False for 0/No, None for a missing value."""
    text = blank(value)
    if text is None:
        return None
    folded = text.casefold()
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    raise CellError(f"{column}: {text!r} is not 1/Yes or 0/No")


def _is_flag(value: Any) -> bool:
    text = blank(value)
    return text is None or text.casefold() in _YES | _NO


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --------------------------------------------------------------------------- reading


@dataclass
class OgpFile:
    """The forum's commitments of an OGP export, the bad rows, the rows of other countries."""

    rows: list[tuple[int, str, dict[str, Any]]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)


def _rows_text(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:10])
    return shown + (f" and {len(numbers) - 10} more" if len(numbers) > 10 else "")


def read_ogp(data: bytes, *, progress: ProgressCallback | None = None) -> OgpFile:
    """The rows of OGP's commitment export that belong to the forum's countries, normalised."""
    table = read_csv(data, READ_COLUMNS, progress=progress)
    index: dict[str, int] = {}
    for position, name in enumerate(table.header):
        index.setdefault(name.strip(), position)
    missing = [name for name in REQUIRED_COLUMNS if name not in index]
    if missing:
        raise InvalidFile(
            f"this is not OGP's commitment export: the first row lacks {', '.join(missing)}"
        )
    result = OgpFile()
    absent = [name for name in READ_COLUMNS if name not in index]
    if absent:
        result.notes.append(f"the file has no column(s) {', '.join(absent)}; left empty")
    policy_columns = [
        name
        for name, position in index.items()
        if name
        and not name.startswith("_")
        and name not in NOT_POLICY_AREAS
        and all(_is_flag(cells[position]) for _, cells in table.rows)
    ]

    seen: dict[str, int] = {}
    localities: Counter[str] = Counter()
    undated: list[int] = []
    shortened: list[int] = []
    bad_urls: list[int] = []
    for number, cells in table.rows:

        def cell(name: str, cells: list[Any] = cells) -> Any:
            return cells[index[name]] if name in index else None

        place = blank(cell(COUNTRY))
        if place is None:
            result.errors.append((number, f"{COUNTRY}: empty"))
            continue
        match = match_locality(place)
        if match is None:
            result.skipped[place] += 1
            continue
        code, locality = match
        reasons: list[str] = []
        identifier = blank(cell(IDENTIFIER))
        if identifier is None:
            reasons.append(f"{IDENTIFIER}: empty")
        elif len(identifier) > _LIMITS["identifier"] or "\n" in identifier:
            reasons.append(f"{IDENTIFIER}: {identifier[:60]!r} is not an identifier")
        elif identifier in seen:
            reasons.append(f"{IDENTIFIER}: {identifier!r} is also in row {seen[identifier]}")
        else:
            seen[identifier] = number
        title = blank(cell(TITLE)) or blank(cell(SHORT_TITLE))
        if title is None:
            reasons.append(f"{TITLE}: empty")
        values: dict[str, Any] = {}
        for name, key, mapping in (
            (POTENTIAL_IMPACT, "potential_impact", _IMPACT),
            (COMPLETION_MIDTERM, "completion_midterm", _COMPLETION),
            (COMPLETION_END, "completion_end", _COMPLETION),
            (OPENED_GOVERNMENT, "did_it_open_government", _OPENED),
        ):
            try:
                values[key] = parse_scale(mapping, cell(name), name)
            except CellError as exc:
                reasons.append(str(exc))
        ogp_values = []
        for name, member in VALUE_COLUMNS.items():
            try:
                if parse_flag(cell(name), name):
                    ogp_values.append(member.value)
            except CellError as exc:
                reasons.append(str(exc))
        try:
            values["starred"] = parse_flag(cell(STARRED), STARRED)
        except CellError as exc:
            reasons.append(str(exc))
        if reasons:
            result.errors.append((number, "; ".join(reasons)))
            continue
        assert identifier is not None and title is not None

        for name in (START_DATE, END_DATE):
            if blank(cell(name)) is not None and parse_date(cell(name)) is None:
                undated.append(number)
        if len(title) > _LIMITS["title"]:
            shortened.append(number)
        url = blank(cell(URL)) or ""
        if url and (safe_url(url) is None or len(url) > 500):
            bad_urls.append(number)
            url = ""
        if locality:
            localities[f"{locality} ({code})"] += 1
        values |= {
            "country_code": code,
            "action_plan": _action_plan(code, locality, cell),
            "commitment_number": _shorten(
                parse_number(cell(COMMITMENT_NUMBER)), _LIMITS["commitment_number"]
            ),
            "title": _shorten(title, _LIMITS["title"]),
            "text": clean_text(blank(cell(FULL_TEXT))),
            "lead_institution": _shorten(
                blank(cell(LEAD_INSTITUTION)) or "", _LIMITS["lead_institution"]
            ),
            "start_date": parse_date(cell(START_DATE)),
            "end_date": parse_date(cell(END_DATE)),
            "ogp_values": ogp_values,
            "policy_areas": [name for name in policy_columns if parse_flag(cell(name), name)],
            "url": url,
        }
        result.rows.append((number, identifier, values))

    if localities:
        which = ", ".join(f"{name} {n}" for name, n in sorted(localities.items()))
        result.notes.append(f"subnational rows imported under their country: {which}")
    if undated:
        result.notes.append(
            f"dates that could not be read were left empty: rows {_rows_text(undated)}"
        )
    if shortened:
        result.notes.append(
            f"titles shortened to {_LIMITS['title']} characters: rows {_rows_text(shortened)}"
        )
    if bad_urls:
        result.notes.append(
            f"URLs that are not web links were left empty: rows {_rows_text(bad_urls)}"
        )
    return result


def _action_plan(code: str, locality: str | None, cell: Any) -> str:
    """`AL 2014-2016` from the plan's years (with the locality of a subnational member), else
    `AL plan 3`, else empty."""
    first, last = parse_number(cell(YEAR_OF_SUBMISSION)), parse_number(cell(END_YEAR))
    number = parse_number(cell(ACTION_PLAN_NUMBER))
    prefix = f"{code} {locality}" if locality else code
    if re.fullmatch(r"\d{4}", first) and re.fullmatch(r"\d{4}", last):
        plan = f"{prefix} {first}-{last}"
    elif number:
        plan = f"{prefix} plan {number}"
    else:
        return ""
    return _shorten(plan, _LIMITS["action_plan"])


# --------------------------------------------------------------------------- writing


class _Rollback(Exception):
    """Raised inside the transaction to undo it after a dry run."""


def import_ogp(
    engine: Engine,
    data: bytes,
    *,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
) -> ImportReport:
    """Create or update (by identifier) the forum's commitments of an OGP export, all in one
    transaction or none; rows of other countries are counted and skipped."""
    parsed = read_ogp(data, progress=progress)
    report = ImportReport(kind="ogp", dry_run=dry_run, notes=parsed.notes)
    report.skipped_other_country = dict(parsed.skipped)
    report.errors.extend(parsed.errors)
    with read_session(engine) as session:
        known = {country.code for country in repository.list_countries(session=session)}
    for number, _, values in parsed.rows:
        if values["country_code"] not in known:
            report.add_error(
                number,
                f"{COUNTRY}: the database has no country {values['country_code']} "
                "(run `python -m forumdash init`)",
            )
    if not report.ok:
        return report
    try:
        with write_session(engine) as session:
            existing = store.commitments_by_identifier(
                session=session, identifiers=[identifier for _, identifier, _ in parsed.rows]
            )
            for _, identifier, values in parsed.rows:
                outcome, fields = store.upsert_commitment(
                    session=session,
                    identifier=identifier,
                    values=values,
                    existing=existing.get(identifier),
                )
                setattr(report, outcome, getattr(report, outcome) + 1)
                if fields:
                    report.changes.append((identifier, fields))
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return report
