"""Exports of the commitments as CSV, XLSX and JSON, with every stored field, through the file
builders of forumdash.export (formula-safe cells, UTF-8 with a byte-order mark, write-only XLSX).

Dates are written as precisely as OGP gave them: ISO 8601 cut to their precision (`2014-06-01`,
`2014-06`, `2013`; quarters and seasons in ISO 8601-2's form, `2021-33`, `2015-21`), beside a
precision column and the date in words (`Q1 2021`).
"""

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from forumdash import export, partial_dates
from forumdash import vocab as v
from forumdash.commitment_filters import CommitmentFilters, describe, export_params
from forumdash.commitment_ratings import RATINGS
from forumdash.export import CellValue
from forumdash.models import Commitment
from forumdash.settings import get_settings

SOURCE_NOTE = (
    "OGP action-plan commitments and the ratings of OGP's Independent Reporting Mechanism "
    "(IRM), as imported from OGP's public commitment export into the Western Balkans Regional "
    "Forum dashboard (forumdash); the OGP page column links to each commitment on OGP's site. "
    "Dates are written as precisely as OGP gives them (ISO 8601 at their precision). The "
    "'As written' column keeps values the importer did not recognise, as OGP wrote them. "
    "Text cells that began with =, +, -, @, a tab or a carriage return start with an added ' so "
    "that spreadsheet programs show them as text. In XLSX a cell holds at most 32,767 "
    "characters (Excel's limit): a longer full text is cut there; CSV and JSON hold it whole."
)


def commitment_path(identifier: str) -> str:
    """The commitment's page: a full address when FORUMDASH_PUBLIC_URL says where the site is,
    else the path."""
    path = f"/commitment?{urlencode({'id': identifier})}"
    base = get_settings().public_url
    return base.rstrip("/") + path if base else path


def _iso(date: dt.date | None, precision: v.DatePrecision | None) -> str | None:
    return partial_dates.iso_at_precision(date, precision) if date else None


def _words(date: dt.date | None, precision: v.DatePrecision | None) -> str:
    return partial_dates.format_date(date, precision) if date else ""


def _raw(value: v.Vocab | None) -> str | None:
    return value.value if value is not None else None


def _flag(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def _value_label(value: str) -> str:
    return v.OgpValue(value).label if value in v.OgpValue.values() else value


def _as_written(values: Mapping[str, str]) -> str:
    return "; ".join(f"{column}: {value}" for column, value in values.items())


Getter = Callable[[Commitment], CellValue]


def _columns(country_names: Mapping[str, str]) -> list[tuple[str, Getter]]:
    ratings: list[tuple[str, Getter]] = [(rating.english_label, rating.words) for rating in RATINGS]
    return [
        ("Identifier", lambda c: c.identifier),
        ("Link", lambda c: commitment_path(c.identifier)),
        ("Country code", lambda c: c.country_code),
        ("Country", lambda c: country_names.get(c.country_code, c.country_code)),
        ("Action plan", lambda c: c.action_plan),
        ("Commitment number", lambda c: c.commitment_number),
        ("Title", lambda c: c.title),
        ("Short title", lambda c: c.short_title),
        ("Full text", lambda c: c.text),
        ("Lead institution", lambda c: c.lead_institution),
        ("Supporting institutions", lambda c: c.supporting_institutions),
        ("Start date", lambda c: _iso(c.start_date, c.start_precision)),
        ("Start precision", lambda c: _raw(c.start_precision)),
        ("Start", lambda c: _words(c.start_date, c.start_precision)),
        ("End date", lambda c: _iso(c.end_date, c.end_precision)),
        ("End precision", lambda c: _raw(c.end_precision)),
        ("End", lambda c: _words(c.end_date, c.end_precision)),
        ("Ongoing", lambda c: _flag(c.ongoing)),
        ("OGP values", lambda c: "; ".join(_value_label(x) for x in c.ogp_values)),
        ("Policy areas", lambda c: "; ".join(c.policy_areas)),
        *ratings,
        ("OGP page", lambda c: c.url),
        ("As written (not recognised)", lambda c: _as_written(c.as_written)),
    ]


_WIDE = {"Title", "Short title", "Full text", "Lead institution", "Supporting institutions"}
_NARROW = {"Identifier": 12, "Country code": 10, "Commitment number": 12, "Ongoing": 9}


def _width(header: str) -> int:
    return _NARROW.get(header, 60 if header in _WIDE else 20)


def record(commitment: Commitment, country_names: Mapping[str, str]) -> dict[str, Any]:
    """One commitment for JSON: every stored field under keys that are always present, stored
    values (not labels), dates at their precision with the precision beside them."""
    return {
        "identifier": commitment.identifier,
        "page": commitment_path(commitment.identifier),
        "country_code": commitment.country_code,
        "country_name": country_names.get(commitment.country_code, commitment.country_code),
        "action_plan": commitment.action_plan,
        "commitment_number": commitment.commitment_number,
        "title": commitment.title,
        "short_title": commitment.short_title,
        "text": commitment.text,
        "lead_institution": commitment.lead_institution,
        "supporting_institutions": commitment.supporting_institutions,
        "start_date": _iso(commitment.start_date, commitment.start_precision),
        "start_precision": _raw(commitment.start_precision),
        "end_date": _iso(commitment.end_date, commitment.end_precision),
        "end_precision": _raw(commitment.end_precision),
        "ongoing": commitment.ongoing,
        "ogp_values": list(commitment.ogp_values),
        "policy_areas": list(commitment.policy_areas),
        "potential_impact": _raw(commitment.potential_impact),
        "potential_for_results": _raw(commitment.potential_for_results),
        "completion_midterm": _raw(commitment.completion_midterm),
        "completion_end": _raw(commitment.completion_end),
        "did_it_open_government": _raw(commitment.did_it_open_government),
        "starred": commitment.starred,
        "url": commitment.url,
        "as_written": dict(commitment.as_written),
    }


def filename(countries: Sequence[str], fmt: str, *, today: dt.date | None = None) -> str:
    """A download name like forumdash-commitments-al-2026-12-06.json (up to three countries)."""
    today = today or dt.datetime.now(dt.UTC).date()
    codes = [c.lower() for c in countries if re.fullmatch(r"[A-Za-z]{2}", c)]
    middle = "".join(f"-{c}" for c in codes) if 0 < len(codes) <= 3 else ""
    return f"forumdash-commitments{middle}-{today.isoformat()}{export.FORMATS[fmt][1]}"


def export_commitments(
    commitments: Iterable[Commitment],
    fmt: str,
    filters: CommitmentFilters | None = None,
    *,
    names: Mapping[str, Mapping[str, str]] | None = None,
    now: dt.datetime | None = None,
) -> bytes:
    """The commitments in one of export.FORMATS; `names` gives the labels of data-driven facet
    values ({"countries": {code: name}}) for the file's description of the filters."""
    chosen = filters or CommitmentFilters()
    labels = names or {}
    country_names = labels.get("countries", {})
    if fmt == "json":
        records = [record(commitment, country_names) for commitment in commitments]
        return export.write_json(
            {
                "exported_at": export.now_utc(now).isoformat() + "Z",
                "filters": export_params(chosen),
                "count": len(records),
                "commitments": records,
            }
        )
    columns = _columns(country_names)
    headers = [header for header, _ in columns]
    rows = ([getter(c) for _, getter in columns] for c in commitments)
    if fmt == "csv":
        return export.write_csv(headers, rows)
    if fmt == "xlsx":

        def about(count: int) -> list[tuple[str, CellValue]]:
            return [
                ("Exported at (UTC)", export.now_utc(now)),
                ("Commitments", count),
                ("Filters", describe(chosen, labels)),
                ("URL parameters", urlencode(export_params(chosen), doseq=True) or "(none)"),
                ("Source", SOURCE_NOTE),
            ]

        return export.write_xlsx("Commitments", headers, rows, widths=_width, about=about)
    raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(export.FORMATS)}")
