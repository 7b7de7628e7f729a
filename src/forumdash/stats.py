"""Aggregates of the published records, as DataFrames ready for tables and charts.

The names in them are for people, in the current language: countries by
forumdash.i18n.country_name, themes by i18n.data_label, vocabulary labels by Vocab.label; codes,
slugs and stored values stay as they are for links and filters."""

import datetime as dt
from collections.abc import Sequence
from urllib.parse import urlencode

import pandas as pd
from sqlmodel import Session

from forumdash import commitment_filters, i18n, partial_dates, repository
from forumdash import vocab as v
from forumdash.charts import lang_query
from forumdash.i18n import N_, _
from forumdash.models import Commitment
from forumdash.text import safe_url


def overview_figures(*, session: Session) -> dict[str, int]:
    """Headline numbers of the published records."""
    by_country = repository.count_practices_by_country(session=session)
    by_theme = repository.count_practices_by_theme(session=session)
    open_challenges = repository.count_open_challenges(session=session)
    return {
        "practices": sum(by_country.values()),
        "countries": sum(1 for n in by_country.values() if n),
        "themes": sum(1 for n in by_theme.values() if n),
        "open_challenges": open_challenges,
        "milestones": repository.count_milestones(session=session),
    }


def milestone_frame(*, session: Session, country: str) -> pd.DataFrame:
    """A country's milestones and the regional ones, in date order, with a display date."""
    milestones = repository.list_milestones(session=session, country=country, include_regional=True)
    names = {
        c.code: i18n.country_name(c.code, c.name_en)
        for c in repository.list_countries(session=session)
    }
    rows = [
        {
            "date": pd.Timestamp(m.date),
            "when": format_milestone_date(m.date, m.date_precision),
            "title": m.title,
            "scope": _("Regional") if m.country_code is None else names[m.country_code],
        }
        for m in milestones
    ]
    return pd.DataFrame(rows, columns=["date", "when", "title", "scope"])


def format_milestone_date(date: dt.date, precision: v.DatePrecision) -> str:
    """A milestone's date as precisely as it is known: 2013-07-09 (a timeline sorts and reads
    best by ISO days), June 2014, Q1 2021, Spring 2015 or 2011 in English; in another language
    as it writes them: 9 korrik 2013, qershor 2014 (ISO days are the English forum's habit)."""
    if precision == v.DatePrecision.day and i18n.current().tag == i18n.DEFAULT:
        return date.isoformat()
    return partial_dates.format_date(date, precision)


# The commitment table's columns as its headers name them on screen (with _()); `page` and
# `link` are link columns the page labels itself.
COMMITMENT_COLUMN_LABELS = {
    "identifier": N_("identifier"),
    "action plan": N_("action plan"),
    "number": N_("number"),
    "title": N_("title"),
    "potential impact": N_("potential impact"),
    "completion": N_("completion"),
    "opened government": N_("opened government"),
    "starred": N_("starred"),
}


def commitment_frame(commitments: Sequence[Commitment]) -> pd.DataFrame:
    """A country's commitments with their IRM ratings, as shown on its profile, in the
    commitments list's natural order (2.1 before 10.1); `page` opens the commitment's page (in
    the current language)."""

    def label(value: v.Vocab | None) -> str:
        return value.label if value is not None else "—"

    ordered = sorted(commitments, key=lambda c: commitment_filters.sort_key(c, {}))
    return pd.DataFrame(
        [
            {
                "page": f"/commitment?{urlencode({'id': c.identifier})}{lang_query()}",
                "identifier": c.identifier,
                "action plan": c.action_plan,
                "number": c.commitment_number,
                "title": c.title,
                "potential impact": label(c.potential_impact),
                "completion": label(c.completion_end or c.completion_midterm),
                "opened government": label(c.did_it_open_government),
                "starred": _("yes") if c.starred else "",
                "link": safe_url(c.url),
            }
            for c in ordered
        ],
        columns=[
            "page",
            "identifier",
            "action plan",
            "number",
            "title",
            "potential impact",
            "completion",
            "opened government",
            "starred",
            "link",
        ],
    )


# --------------------------------------------------------------------------- overview aggregates

COUNTRY_THEME_COLUMNS = ["code", "country", "slug", "theme", "practices"]


def country_theme_frame(
    *, session: Session, countries: Sequence[str] = (), themes: Sequence[str] = ()
) -> pd.DataFrame:
    """Published practices per (country, theme), one row for every pair (zeros included):
    code, country, slug, theme, practices. Countries and themes in their vocabulary order;
    `countries` (ISO codes) and `themes` (slugs) restrict the pairs when given."""
    wanted_countries = {c.upper() for c in countries}
    wanted_themes = set(themes)
    country_list = [
        c
        for c in repository.list_countries(session=session)
        if not wanted_countries or c.code in wanted_countries
    ]
    theme_list = [
        (slug, name)
        for slug, name in repository.theme_names(session=session).items()
        if not wanted_themes or slug in wanted_themes
    ]
    counts = {
        (code, slug): n
        for code, slug, n in repository.count_practices_by_country_theme(session=session)
    }
    rows = [
        {
            "code": country.code,
            "country": i18n.country_name(country.code, country.name_en),
            "slug": slug,
            "theme": i18n.data_label(name),
            "practices": counts.get((country.code, slug), 0),
        }
        for country in country_list
        for slug, name in theme_list
    ]
    frame = pd.DataFrame(rows, columns=COUNTRY_THEME_COLUMNS)
    return frame.astype({"practices": "int64"})


def practices_by_stage_frame(*, session: Session) -> pd.DataFrame:
    """Published practices per stage, every stage in the vocabulary's order (zeros included):
    stage (the stored value), label, practices."""
    counts = repository.count_practices_by_stage(session=session)
    rows = [
        {"stage": stage.value, "label": stage.label, "practices": counts.get(stage.value, 0)}
        for stage in v.Stage
    ]
    return pd.DataFrame(rows, columns=["stage", "label", "practices"]).astype(
        {"practices": "int64"}
    )


def practices_by_year_frame(*, session: Session) -> pd.DataFrame:
    """Published practices per start year, every year from the first to the last (zeros
    included): year, practices. Practices without a start year are not counted here."""
    counts = repository.count_practices_by_start_year(session=session)
    years = [year for year in counts if year is not None]
    rows = (
        [{"year": y, "practices": counts.get(y, 0)} for y in range(min(years), max(years) + 1)]
        if years
        else []
    )
    return pd.DataFrame(rows, columns=["year", "practices"]).astype(
        {"year": "int64", "practices": "int64"}
    )


def open_challenges_by_theme_frame(*, session: Session) -> pd.DataFrame:
    """Published, unresolved challenges per theme, every theme in the vocabulary's order (zeros
    included): slug, theme, challenges. A challenge with several themes counts in each."""
    counts = repository.count_open_challenges_by_theme(session=session)
    rows = [
        {"slug": slug, "theme": i18n.data_label(name), "challenges": counts.get(slug, 0)}
        for slug, name in repository.theme_names(session=session).items()
    ]
    return pd.DataFrame(rows, columns=["slug", "theme", "challenges"]).astype(
        {"challenges": "int64"}
    )


ADAPTATION_COLUMNS = ["from_code", "from_country", "to_code", "to_country", "practices"]


def adaptation_flows_frame(*, session: Session) -> pd.DataFrame:
    """How practices spread: for each pair of countries, how many published practices of the
    second were adapted from a published practice of the first. Columns: from_code,
    from_country, to_code, to_country, practices; most practices first, then in the countries'
    order."""
    countries = repository.list_countries(session=session)
    names = {c.code: i18n.country_name(c.code, c.name_en) for c in countries}
    order = {c.code: i for i, c in enumerate(countries)}
    flows = sorted(
        repository.count_adaptations_by_country(session=session),
        key=lambda row: (-row[2], order.get(row[0], 99), order.get(row[1], 99)),
    )
    rows = [
        {
            "from_code": src,
            "from_country": names.get(src, src),
            "to_code": dst,
            "to_country": names.get(dst, dst),
            "practices": n,
        }
        for src, dst, n in flows
    ]
    return pd.DataFrame(rows, columns=ADAPTATION_COLUMNS).astype({"practices": "int64"})
