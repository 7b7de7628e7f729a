"""OGP's commitment export (a wide CSV, one row per commitment) -> the commitment table, upserted
by `Commitment Unique Identifier` in one transaction.

Only the columns named below are read, whatever their case and spacing. Real exports are messy
(DOMAIN.md): ND, NR and NA stand in for missing values, dates come in many forms (ogp_dates),
numbers look like floats, subnational members are written `Tbilisi, Georgia`, North Macedonia may
still be `Macedonia`, and IRM's words change over the years (`Worsened`, `Worsens`).

Only a row that cannot be a commitment (no identifier, no country, no title) refuses the file. A
value the importer does not know, in a rating or any other optional column, is a warning: the row
is imported, the field left empty, and the value kept as written in `Commitment.as_written`.
"""

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine

from forumdash import repository
from forumdash import vocab as v
from forumdash.commitment_numbers import clean_commitment_number
from forumdash.db import read_session, write_session
from forumdash.i18n import _
from forumdash.importers import ogp_dates, store
from forumdash.importers.countries import match_locality
from forumdash.importers.progress import ProgressCallback
from forumdash.importers.report import ImportReport, Problem
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
SUPPORTING_INSTITUTIONS = "Supporting Institution(s)"
POTENTIAL_IMPACT = "Potential Impact"
POTENTIAL_FOR_RESULTS = "Potential For Results"
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
    SUPPORTING_INSTITUTIONS,
    *VALUE_COLUMNS,
    POTENTIAL_IMPACT,
    POTENTIAL_FOR_RESULTS,
    COMPLETION_MIDTERM,
    COMPLETION_END,
    OPENED_GOVERNMENT,
    STARRED,
    URL,
)

# Other names the same columns have had in OGP's exports and IRM's reports (compared folded).
COLUMN_ALIASES = {
    SUPPORTING_INSTITUTIONS: ("Supporting Institutions", "Supporting Institution"),
    POTENTIAL_FOR_RESULTS: (
        "Potential For Results (Action Plan Review)",
        "Potential For Results (AP Review)",
        "Potential Results",
        "Potential For Results (Overall)",
    ),
    OPENED_GOVERNMENT: ("Did It Open Government", "Did It Open Government?"),
    COMPLETION_END: ("Completion (Results Report)", "Completion (End of Term Report)"),
    COMPLETION_MIDTERM: ("Completion (Midterm)", "Completion (Mid-Term)"),
    STARRED: ("Starred (Current Formula) End Of Term Report",),
    FULL_TEXT: ("Commitment Text", "Full Commitment Text"),
    LEAD_INSTITUTION: ("Lead Institution(s)", "Lead Institutions"),
}

# OGP's policy areas: the only columns read as policy areas, each stored under the name written
# here. Built from the policy areas and tags of OGP's commitment data; a 0/1 column that is not
# here is not guessed to be one (it is named in the report, as ignored).
POLICY_AREAS = (
    "Access To Justice",
    "Aid",
    "Anti-Corruption",
    "Anti-Corruption and Integrity",
    "Asset Disclosure",
    "Audits and Controls",
    "Automated Decision-Making",
    "Beneficial Ownership",
    "Budget",
    "Capacity Building",
    "Citizen Budgets",
    "Citizenship & Immigration",
    "Civic Space",
    "Climate",
    "Conflicts of Interest",
    "Customs",
    "Defense",
    "Democratizing Decision-Making",
    "Digital Governance",
    "Digital Transformation",
    "Disinformation",
    "E-Government",
    "E-Petitions",
    "Education",
    "Elections",
    "Elections & Political Finance",
    "Environment & Climate",
    "Extractive Industries",
    "Fiscal Openness",
    "Fiscal Transparency",
    "Freedom of Assembly",
    "Freedom of Association",
    "Freedom of Expression",
    "Gender",
    "Gender & Sexuality",
    "Gender and Inclusion",
    "Health",
    "Health & Nutrition",
    "Human Rights",
    "Inclusion",
    "Infrastructure & Transport",
    "Judiciary",
    "Justice",
    "Labor",
    "Land & Spatial Planning",
    "Land Rights & Spatial Planning",
    "Law Enforcement & Justice",
    "Legislation & Regulation",
    "Legislative",
    "Lobbying",
    "Marginalized Communities",
    "Media & Telecommunications",
    "Media Freedom",
    "Natural Resources",
    "Nonprofits",
    "Open Contracting",
    "Open Data",
    "Open Parliaments",
    "Participatory Budgeting",
    "People With Disabilities",
    "Political Finance",
    "Private Sector",
    "Public Participation",
    "Public Procurement",
    "Public Service Delivery",
    "Publication of Budget/Fiscal Policy",
    "Records Management",
    "Regulatory Governance",
    "Right To Information",
    "Safety of Journalists",
    "Science & Technology",
    "Social Accountability",
    "Subnational",
    "Tax",
    "Water & Sanitation",
    "Welfare & Social Security",
    "Whistleblower Protection",
    "Whistleblower Protections",
    "Youth",
)

# IRM's bookkeeping: columns of 0/1 that are not policy areas, known and ignored without a word.
BOOKKEEPING_COLUMNS = (
    "Commitment Dummy",
    "Ambition Assessed",
    "IRM Assessed",
    "High Completion",
    "Midterm Only",
    "Star - Most Recently Assessed",
    "Carried Forward",
    "Cluster (AP Review)",
    "New Or Ongoing",
    "Relevance",
    "Specificity",
    "Verifiable",
    "Early Results",
    "Region",
    "National Or Local",
    "Theme",
    "Code",
    "Action Plan Start Year",
    "Action Plan Duration (Years)",
    "Potential Impact (Progress Report)",
    "Potential Impact (End Of Term)",
    "Starred (Old Formula)",
    "Starred (Current Formula) Progress Report",
)
# Names that mark a bookkeeping column or a rating, whatever follows: `Starred ...`, `IRM ...`,
# `Cluster ...`, `Completion (...)`.
_BOOKKEEPING_PREFIXES = (
    "star",
    "irm",
    "cluster",
    "commitment",
    "did it open",
    "ogp value",
    "potential",
    "completion",
    "early results",
    "action plan",
)

# What OGP writes for "no value": not defined, not reviewed, not applicable.
_MISSING = ogp_dates.MISSING

_IMPACT = {
    "none": v.PotentialImpact.none,
    "minor": v.PotentialImpact.minor,
    "moderate": v.PotentialImpact.moderate,
    "transformative": v.PotentialImpact.transformative,
}
_FOR_RESULTS = {
    "unclear": v.PotentialForResults.unclear,
    "modest": v.PotentialForResults.modest,
    "substantial": v.PotentialForResults.substantial,
}
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
    "worsened": v.OpenedGovernment.worsened,
    "worsens": v.OpenedGovernment.worsened,
    "did not change": v.OpenedGovernment.did_not_change,
    "didn't change": v.OpenedGovernment.did_not_change,
    "did not changed": v.OpenedGovernment.did_not_change,
    "marginal": v.OpenedGovernment.marginal,
    "major": v.OpenedGovernment.major,
    "outstanding": v.OpenedGovernment.outstanding,
    "no early results to report yet": v.OpenedGovernment.no_early_results,
    "no early results to report": v.OpenedGovernment.no_early_results,
    "no early results yet": v.OpenedGovernment.no_early_results,
    "no early results": v.OpenedGovernment.no_early_results,
}
_YES = {"1", "1.0", "yes", "y", "true", "x", "starred"}
_NO = {"0", "0.0", "no", "n", "false", "not starred"}

_LIMITS = {
    name: Commitment.__table__.c[name].type.length  # type: ignore[attr-defined]  # SQLAlchemy sets __table__; SQLModel does not declare it
    for name in (
        "identifier",
        "action_plan",
        "commitment_number",
        "title",
        "short_title",
        "lead_institution",
        "url",
    )
}


# --------------------------------------------------------------------------- cells


def blank(value: Any) -> str | None:
    """The cell's text, or None for an empty cell and OGP's ND, NR, NA and N/A."""
    text = clean_text(value)
    return None if " ".join(text.split()).casefold().rstrip(".") in _MISSING else text


def parse_number(value: Any) -> str:
    """A commitment or plan number as people write it (`8.3000000000000007` -> `8.3`)."""
    return clean_commitment_number(blank(value) or "")


def fold_value(text: str) -> str:
    """A value for comparison: case, spacing, hyphens, underscores and a final full stop do not
    matter; curly apostrophes are straight."""
    text = text.replace("\u2019", "'").replace("-", " ").replace("_", " ")
    return " ".join(text.split()).casefold().rstrip(".")


def fold_header(name: str) -> str:
    """A column name for comparison: only its letters and digits count, `&` reads `and`."""
    text = unicodedata.normalize("NFKC", name).casefold().replace("&", " and ")
    return re.sub(r"[\W_]+", "", text)


_POLICY_AREAS = {fold_header(name): name for name in POLICY_AREAS}
_BOOKKEEPING = {fold_header(name) for name in BOOKKEEPING_COLUMNS}


def is_policy_area(column: str) -> bool:
    """Whether a column of the export is one of OGP's policy areas."""
    return fold_header(column) in _POLICY_AREAS


def is_bookkeeping(column: str) -> bool:
    """Whether a column is IRM's or OGP's bookkeeping (a flag, a helper), never a policy area."""
    name = column.strip()
    folded = fold_header(name)
    return (
        name.startswith("_")
        or not folded
        or folded in _BOOKKEEPING
        or any(name.casefold().startswith(prefix) for prefix in _BOOKKEEPING_PREFIXES)
    )


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --------------------------------------------------------------------------- reading


@dataclass
class OgpFile:
    """The forum's commitments of an OGP export, the problems found, the rows of other
    countries, and notes about the file as a whole."""

    rows: list[tuple[int, str, dict[str, Any]]] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)


def _columns(header: list[str]) -> tuple[dict[str, int], dict[str, str]]:
    """Where each read column is (by its name here) and how the file writes it."""
    by_fold: dict[str, int] = {}
    for position, name in enumerate(header):
        by_fold.setdefault(fold_header(name), position)
    index: dict[str, int] = {}
    written: dict[str, str] = {}
    for name in READ_COLUMNS:
        for candidate in (name, *COLUMN_ALIASES.get(name, ())):
            if fold_header(candidate) in by_fold:
                index[name] = by_fold[fold_header(candidate)]
                written[name] = header[index[name]]
                break
        else:
            # `Potential for Results (...)`: IRM adds the report's name in brackets.
            if name == POTENTIAL_FOR_RESULTS:
                prefix = fold_header(name)
                for folded, position in by_fold.items():
                    if folded.startswith(prefix):
                        index[name], written[name] = position, header[position]
                        break
    return index, written


def read_ogp(data: bytes, *, progress: ProgressCallback | None = None) -> OgpFile:
    """The rows of OGP's commitment export that belong to the forum's countries, normalised, with
    every cell not read named in a warning."""
    table = read_csv(data, READ_COLUMNS, progress=progress)
    index, written = _columns(table.header)
    missing = [name for name in REQUIRED_COLUMNS if name not in index]
    if missing:
        raise InvalidFile(
            _("this is not OGP's commitment export: the first row lacks {columns}").format(
                columns=", ".join(missing)
            )
        )
    result = OgpFile()
    absent = [name for name in READ_COLUMNS if name not in index]
    if absent:
        result.notes.append(
            _("the file has no column(s) {columns}; left empty").format(columns=", ".join(absent))
        )

    used = set(index.values())
    policy_columns: list[tuple[str, int]] = []
    ignored_flags: list[str] = []
    for position, name in enumerate(table.header):
        if position in used or is_bookkeeping(name):
            continue
        if is_policy_area(name):
            policy_columns.append((_POLICY_AREAS[fold_header(name)], position))
        elif _is_flag_column([cells[position] for _number, cells in table.rows]):
            ignored_flags.append(name)
    if ignored_flags:
        result.notes.append(
            _(
                "columns of 0 and 1 that are not OGP policy areas this importer knows were "
                "ignored: {columns}"
            ).format(columns=", ".join(ignored_flags))
        )

    order = _date_order(table.rows, index, result)
    seen: dict[str, int] = {}
    localities: Counter[str] = Counter()
    for number, cells in table.rows:

        def cell(name: str, cells: list[Any] = cells) -> Any:
            return cells[index[name]] if name in index else None

        place = blank(cell(COUNTRY))
        # Stored in capitals, as OGP writes them: pages look identifiers up without case, so
        # `al0001` and `AL0001` are one commitment, not two.
        identifier = (blank(cell(IDENTIFIER)) or "").upper()
        if place is None:
            result.errors.append(
                Problem(number, _("empty"), identifier, written[COUNTRY], clean_text(cell(COUNTRY)))
            )
            continue
        match = match_locality(place)
        if match is None:
            result.skipped[place] += 1
            continue
        code, locality = match
        row = _Row(number, identifier, written, result)
        if not identifier:
            row.error(IDENTIFIER, _("empty"), clean_text(cell(IDENTIFIER)))
        elif len(identifier) > _LIMITS["identifier"] or "\n" in identifier:
            row.identifier = ""
            row.error(IDENTIFIER, _("not an identifier"), identifier)
        elif identifier in seen:
            row.error(IDENTIFIER, _("also in row {n}").format(n=seen[identifier]), identifier)
        else:
            seen[identifier] = number
        title = blank(cell(TITLE)) or blank(cell(SHORT_TITLE))
        if title is None:
            row.error(TITLE, "empty (and no short title)", clean_text(cell(TITLE)))
        if row.refused:
            continue
        assert title is not None
        if locality:
            localities[f"{locality} ({code})"] += 1
        values = row.values
        values |= {
            "country_code": code,
            "action_plan": _action_plan(code, locality, cell),
            "commitment_number": row.shortened(
                COMMITMENT_NUMBER, parse_number(cell(COMMITMENT_NUMBER)), "commitment_number"
            ),
            "title": row.shortened(TITLE, title, "title"),
            "short_title": row.shortened(
                SHORT_TITLE, blank(cell(SHORT_TITLE)) or "", "short_title"
            ),
            "text": blank(cell(FULL_TEXT)) or "",
            "lead_institution": row.shortened(
                LEAD_INSTITUTION, blank(cell(LEAD_INSTITUTION)) or "", "lead_institution"
            ),
            "supporting_institutions": blank(cell(SUPPORTING_INSTITUTIONS)) or "",
            "potential_impact": row.scale(POTENTIAL_IMPACT, _IMPACT, cell),
            "potential_for_results": row.scale(POTENTIAL_FOR_RESULTS, _FOR_RESULTS, cell),
            "completion_midterm": row.scale(COMPLETION_MIDTERM, _COMPLETION, cell),
            "completion_end": row.scale(COMPLETION_END, _COMPLETION, cell),
            "did_it_open_government": row.scale(OPENED_GOVERNMENT, _OPENED, cell),
            "starred": row.flag(STARRED, cell(STARRED)),
            "ogp_values": [
                member.value for name, member in VALUE_COLUMNS.items() if row.flag(name, cell(name))
            ],
            "policy_areas": list(
                dict.fromkeys(
                    area
                    for area, position in policy_columns
                    if row.flag(area, cells[position], written_as=table.header[position])
                )
            ),
            "url": row.url(cell(URL)),
        }
        row.dates(cell, order)
        values["as_written"] = dict(sorted(row.as_written.items()))
        result.rows.append((number, identifier, values))

    # A row's warnings in the order of the file's columns, as the organiser reads the row.
    positions = {name: position for position, name in reversed(list(enumerate(table.header)))}
    result.warnings.sort(key=lambda problem: (problem.row, positions.get(problem.column, 0)))
    if localities:
        which = ", ".join(f"{name} {n}" for name, n in sorted(localities.items()))
        result.notes.append(
            _("subnational rows imported under their country: {localities}").format(
                localities=which
            )
        )
    return result


def _words(mapping: dict[str, Any]) -> list[str]:
    """OGP's word for each member of a scale, not every spelling accepted."""
    first: dict[Any, str] = {}
    for word, member in mapping.items():
        first.setdefault(member, word.capitalize())
    return list(first.values())


def _is_flag_column(values: list[Any]) -> bool:
    """Whether a column holds 0/1 (Yes/No) flags: some, and nothing else."""
    texts = [fold_value(text) for text in map(blank, values) if text is not None]
    return bool(texts) and all(text in _YES | _NO for text in texts)


def _date_order(
    rows: list[tuple[int, list[Any]]], index: dict[str, int], result: OgpFile
) -> ogp_dates.SlashOrder | None:
    """The file's order of numeric day-month dates, from its unambiguous ones; said in a note."""
    texts = [
        clean_text(cells[index[name]])
        for _number, cells in rows
        for name in (START_DATE, END_DATE)
        if name in index
    ]
    order, proof = ogp_dates.slash_order(texts)
    if order is not None:
        if order is ogp_dates.SlashOrder.day_first:
            note = _("dates such as 1/6/2014 were read day first, as the file writes {proof}")
        else:
            note = _("dates such as 1/6/2014 were read month first, as the file writes {proof}")
        result.notes.append(note.format(proof=proof[order]))
    elif len(proof) == 2:
        day, month = proof[ogp_dates.SlashOrder.day_first], proof[ogp_dates.SlashOrder.month_first]
        result.notes.append(
            _(
                "the file writes dates both day first ({day}) and month first ({month}): "
                "dates that could be either were left empty"
            ).format(day=day, month=month)
        )
    return order


class _Row:
    """One row being read: its values, its problems, the cells kept as written."""

    def __init__(self, number: int, identifier: str, written: dict[str, str], file: OgpFile):
        self.number = number
        self.identifier = identifier
        self.written = written
        self.file = file
        self.values: dict[str, Any] = {}
        self.as_written: dict[str, str] = {}
        self.refused = False

    def _column(self, name: str) -> str:
        return self.written.get(name, name)

    def error(self, name: str, reason: str, value: str = "") -> None:
        self.refused = True
        problem = Problem(self.number, reason, self.identifier, self._column(name), value)
        self.file.errors.append(problem)

    def warn(
        self, name: str, reason: str, value: str, *, keep: bool = True, written_as: str = ""
    ) -> None:
        """A cell not read (or read in part): reported, and kept as written under `name`."""
        column = written_as or self._column(name)
        self.file.warnings.append(Problem(self.number, reason, self.identifier, column, value))
        if keep:
            self.as_written[name] = value

    def scale(self, name: str, mapping: dict[str, Any], cell: Callable[[str], Any]) -> Any:
        """A rating from OGP's word for it; None (and a warning) for a word not known."""
        text = blank(cell(name))
        if text is None:
            return None
        member = mapping.get(fold_value(text))
        if member is None:
            # OGP's word for each member, not every spelling accepted.
            words = ", ".join(_words(mapping))
            self.warn(
                name,
                _("not one of {words}; left empty, kept as written").format(words=words),
                text,
            )
        return member

    def flag(self, name: str, value: Any, *, written_as: str = "") -> bool | None:
        """True for 1/Yes, False for 0/No, None for a missing value or (warned) any other."""
        text = blank(value)
        if text is None:
            return None
        folded = fold_value(text)
        if folded in _YES:
            return True
        if folded in _NO:
            return False
        self.warn(
            name, _("not 1/Yes or 0/No; left empty, kept as written"), text, written_as=written_as
        )
        return None

    def shortened(self, name: str, text: str, field_name: str) -> str:
        """The text, cut to what the database holds; the full text kept as written."""
        limit = _LIMITS[field_name]
        if len(text) <= limit:
            return text
        self.warn(
            name,
            _("longer than {limit} characters; shortened, kept in full as written").format(
                limit=limit
            ),
            text,
        )
        return _shorten(text, limit)

    def url(self, value: Any) -> str:
        text = blank(value) or ""
        if text and (safe_url(text) is None or len(text) > _LIMITS["url"]):
            self.warn(URL, _("not a web link (http or https); left empty"), text, keep=False)
            return ""
        return text

    def dates(self, cell: Callable[[str], Any], order: ogp_dates.SlashOrder | None) -> None:
        """Start and end dates at their precision; a state (`Ongoing`) instead of an end date."""
        self.values["ongoing"] = None
        for name, key in ((START_DATE, "start"), (END_DATE, "end")):
            text = clean_text(cell(name))
            read = ogp_dates.read_date(text, order)
            self.values[f"{key}_date"] = read.date
            self.values[f"{key}_precision"] = read.precision
            if read.kind is ogp_dates.Kind.ongoing:
                if name == END_DATE:
                    self.values["ongoing"] = True
                else:
                    self.warn(name, _("a state, not a start date; kept as written"), text)
            elif read.kind is ogp_dates.Kind.approximate:
                self.warn(name, read.reason, text)
            elif read.kind in (ogp_dates.Kind.ambiguous, ogp_dates.Kind.unreadable):
                self.warn(
                    name,
                    _("{reason}; left empty, kept as written").format(reason=read.reason),
                    text,
                )


def _action_plan(code: str, locality: str | None, cell: Callable[[str], Any]) -> str:
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
    filename: str = "",
    progress: ProgressCallback | None = None,
) -> ImportReport:
    """Create or update (by identifier) the forum's commitments of an OGP export, all in one
    transaction or none; rows of other countries are counted and skipped."""
    parsed = read_ogp(data, progress=progress)
    report = ImportReport(kind="ogp", dry_run=dry_run, filename=filename, notes=parsed.notes)
    report.skipped_other_country = dict(parsed.skipped)
    report.errors.extend(parsed.errors)
    report.warnings.extend(parsed.warnings)
    with read_session(engine) as session:
        known = {country.code for country in repository.list_countries(session=session)}
    for number, identifier, values in parsed.rows:
        if values["country_code"] not in known:
            report.add_error(
                number,
                _("the database has no country {code} (run `python -m forumdash init`)").format(
                    code=values["country_code"]
                ),
                identifier=identifier,
                column=COUNTRY,
            )
    if not report.ok:
        return report
    try:
        with write_session(engine) as session:
            existing = store.commitments_by_identifier(
                session=session,
                identifiers=[identifier for _number, identifier, _values in parsed.rows],
            )
            for _number, identifier, values in parsed.rows:
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
