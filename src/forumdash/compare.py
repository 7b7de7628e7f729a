"""Side-by-side comparisons for the /compare page: two or three countries theme by theme, or two
or three practices field by field. Pure over a session; only published practices and challenges
are counted or shown. URL parameters are read here too, into values and plain-text notices
(the page escapes them)."""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import pandas as pd
from sqlmodel import Session

from forumdash import i18n, repository, rich_text, stats, urlparams
from forumdash import vocab as v
from forumdash.i18n import N_, _
from forumdash.models import Commitment, CountryPublic, PracticePublic
from forumdash.translations import shown_text

MIN_ITEMS = 2
MAX_ITEMS = 3
NOT_RATED = N_("Not rated")
MISSING = "—"


def country_name(country: CountryPublic) -> str:
    """A country's name as the comparison shows it, in the current language."""
    return i18n.country_name(country.code, country.name_en)


# --------------------------------------------------------------------------- URL parameters


Item = TypeVar("Item")  # a country code or a practice id


@dataclass(frozen=True)
class Selection(Generic[Item]):
    """What the URL asks to compare (cleaned), and notices about what was dropped."""

    values: tuple[Item, ...] = ()
    notices: tuple[str, ...] = ()

    @property
    def enough(self) -> bool:
        return len(self.values) >= MIN_ITEMS


# What is said when the URL asks for too many, by what is compared.
TOO_MANY = {
    "countries": N_("At most {n} countries can be compared: showing the first {n}."),
    "practices": N_("At most {n} practices can be compared: showing the first {n}."),
}


def _capped(picked: list[Item], reader: urlparams.Reader, noun: str) -> Selection[Item]:
    if len(picked) > MAX_ITEMS:
        reader.note(_(TOO_MANY[noun]).format(n=MAX_ITEMS))
        picked = picked[:MAX_ITEMS]
    return Selection(tuple(picked), reader.result())


def parse_countries(raw: Iterable[str] | str | None, known: Iterable[str]) -> Selection[str]:
    """Country codes from ?countries=AL,RS,XK (any case, repeated or comma-separated): unknown
    codes are dropped with a notice, duplicates silently, more than three cut to three."""
    reader = urlparams.Reader()
    allowed = {code.upper() for code in known}
    picked = reader.pick(raw, allowed, "country code", normalise=str.upper)
    return _capped(picked, reader, "countries")


def parse_practice_ids(raw: Iterable[str] | str | None) -> Selection[int]:
    """Practice ids from ?practices=12,40: anything that is not a whole number is dropped with a
    notice (whether an id exists and is published is checked by practice_comparison)."""
    reader = urlparams.Reader()
    picked: list[int] = []
    for value in urlparams.values(raw):
        number = urlparams.whole_number(value, 1, 999_999_999)
        if number is None:
            shown = urlparams.quoted(value, 40)
            reader.note(
                _("“{value}” is not a practice id (ids are whole numbers).").format(value=shown)
            )
        elif number not in picked:
            picked.append(number)
    return _capped(picked, reader, "practices")


# --------------------------------------------------------------------------- countries


@dataclass(frozen=True)
class CountryComparison:
    """Countries side by side. Every frame is long (one row per country and item) with the
    columns `code` and `country`; `wide()` turns one into a table with a column per country."""

    countries: tuple[CountryPublic, ...]
    headline: pd.DataFrame  # code, country, practices, open_challenges, commitments, milestones
    themes: pd.DataFrame  # slug, theme, code, country, practices, open_challenges
    stages: pd.DataFrame  # value, label, order, code, country, practices
    completion: pd.DataFrame  # the same, with value "" for practices not rated
    early_results: pd.DataFrame  # the same
    commitments: pd.DataFrame  # group, value, label, order, code, country, commitments
    milestones: pd.DataFrame  # code, country, date, when, title, is_sample
    theme_names: dict[str, str] = field(default_factory=dict)

    @property
    def codes(self) -> list[str]:
        return [c.code for c in self.countries]

    def figure(self, code: str, name: str) -> int:
        """One headline figure of one country."""
        row = self.headline.loc[self.headline["code"] == code]
        return int(row[name].iloc[0]) if not row.empty else 0

    def has_commitments(self) -> bool:
        return bool(self.headline["commitments"].sum())

    def wide(self, frame: pd.DataFrame, index: list[str], value: str) -> pd.DataFrame:
        """`frame` with one column per country (by code, in the chosen order), zero filled."""
        # Plain dicts: these frames have tens of rows, and pivot_table costs ~15 ms a call.
        cells: dict[tuple[Any, ...], dict[str, int]] = {}
        for record in frame.to_dict("records"):
            key = tuple(record[name] for name in index)
            row = cells.setdefault(key, dict.fromkeys(self.codes, 0))
            if record["code"] in row:
                row[record["code"]] += int(record[value])
        rows = [dict(zip(index, key, strict=True)) | counts for key, counts in cells.items()]
        return pd.DataFrame(rows, columns=[*index, *self.codes])


def _distribution(
    counts: dict[tuple[str, str | None], int],
    vocabulary: type[v.Vocab],
    countries: list[CountryPublic],
    *,
    with_not_rated: bool,
) -> pd.DataFrame:
    levels: list[tuple[str, str]] = [(m.value, m.label) for m in vocabulary]
    if with_not_rated:
        levels.append(("", _(NOT_RATED)))
    rows = [
        {
            "value": value,
            "label": label,
            "order": order,
            "code": c.code,
            "country": country_name(c),
            "practices": counts.get((c.code, value or None), 0),
        }
        for c in countries
        for order, (value, label) in enumerate(levels)
    ]
    return pd.DataFrame(
        rows, columns=["value", "label", "order", "code", "country", "practices"]
    ).astype({"practices": int, "order": int})


def _commitment_rows(country: CountryPublic, commitments: list[Commitment]) -> list[dict[str, Any]]:
    def row(group: str, value: str, label: str, order: int, n: int) -> dict[str, Any]:
        return {
            "group": group,
            "value": value,
            "label": label,
            "order": order,
            "code": country.code,
            "country": country_name(country),
            "commitments": n,
        }

    # `group` is a key (English, marked for translation: the page shows _(group)); `label`
    # is shown as it is.
    rows = [
        row(N_("Commitments"), "total", _("Commitments"), 0, len(commitments)),
        row(
            N_("Commitments"), "starred", _("Starred"), 1, sum(1 for c in commitments if c.starred)
        ),
    ]
    ratings: list[tuple[str, type[v.Vocab], Callable[[Commitment], v.Vocab | None]]] = [
        (N_("Potential impact"), v.PotentialImpact, lambda c: c.potential_impact),
        (N_("Completion"), v.Completion, lambda c: c.completion_end or c.completion_midterm),
        (N_("Did it open government"), v.EarlyResults, lambda c: c.did_it_open_government),
    ]
    for group, vocabulary, rating in ratings:
        values = [rating(c) for c in commitments]
        for order, member in enumerate(vocabulary):
            rows.append(row(group, member.value, member.label, order, values.count(member)))
        rows.append(row(group, "", _(NOT_RATED), len(vocabulary), values.count(None)))
    return rows


def country_comparison(session: Session, codes: Iterable[str]) -> CountryComparison:
    """The published records of the given countries (known codes, in this order) side by side."""
    by_code = {c.code: c for c in repository.list_countries(session=session)}
    countries = [by_code[code.upper()] for code in dict.fromkeys(codes) if code.upper() in by_code]
    chosen = [c.code for c in countries]
    names = {
        slug: i18n.data_label(name)
        for slug, name in repository.theme_names(session=session).items()
    }

    practices = repository.count_practices_by_country(session=session)
    open_challenges = repository.count_open_challenges_by_country(session=session, countries=chosen)
    cells = {
        (code, slug): n
        for code, slug, n in repository.count_practices_by_country_theme(session=session)
        if code in chosen
    }
    challenge_cells = repository.count_open_challenges_by_country_theme(
        session=session, countries=chosen
    )
    commitments = {
        c.code: repository.list_commitments(session=session, country=c.code) for c in countries
    }
    milestones = {
        c.code: repository.list_milestones(session=session, country=c.code) for c in countries
    }

    headline = pd.DataFrame(
        [
            {
                "code": c.code,
                "country": country_name(c),
                "practices": practices.get(c.code, 0),
                "open_challenges": open_challenges.get(c.code, 0),
                "commitments": len(commitments[c.code]),
                "milestones": len(milestones[c.code]),
            }
            for c in countries
        ],
        columns=["code", "country", "practices", "open_challenges", "commitments", "milestones"],
    )
    themes = pd.DataFrame(
        [
            {
                "slug": slug,
                "theme": name,
                "code": c.code,
                "country": country_name(c),
                "practices": cells.get((c.code, slug), 0),
                "open_challenges": challenge_cells.get((c.code, slug), 0),
            }
            for slug, name in names.items()
            for c in countries
        ],
        columns=["slug", "theme", "code", "country", "practices", "open_challenges"],
    )

    def distribution(name: str, vocabulary: type[v.Vocab], with_not_rated: bool) -> pd.DataFrame:
        counts = repository.count_published_by_country_field(
            session=session, countries=chosen, field=name
        )
        return _distribution(counts, vocabulary, countries, with_not_rated=with_not_rated)

    commitment_frame = pd.DataFrame(
        [row for c in countries for row in _commitment_rows(c, commitments[c.code])],
        columns=["group", "value", "label", "order", "code", "country", "commitments"],
    )
    milestone_frame = pd.DataFrame(
        [
            {
                "code": c.code,
                "country": country_name(c),
                "date": m.date,
                "when": stats.format_milestone_date(m.date, m.date_precision),
                "title": m.title,
                "is_sample": m.is_sample,
            }
            for c in countries
            for m in milestones[c.code]
        ],
        columns=["code", "country", "date", "when", "title", "is_sample"],
    )
    return CountryComparison(
        countries=tuple(countries),
        headline=headline,
        themes=themes,
        stages=distribution("stage", v.Stage, False),
        completion=distribution("completion", v.Completion, True),
        early_results=distribution("early_results", v.EarlyResults, True),
        commitments=commitment_frame,
        milestones=milestone_frame,
        theme_names=names,
    )


# --------------------------------------------------------------------------- practices


def _label(value: v.Vocab | None) -> str:
    return value.label if value is not None else MISSING


def _day(date: dt.date) -> str:
    return stats.format_milestone_date(date, v.DatePrecision.day)


def _period(practice: PracticePublic) -> str:
    start = _day(practice.start_date) if practice.start_date else str(practice.start_year or "")
    if not start:
        return MISSING
    if practice.end_date:
        return _("{start} – {end}").format(start=start, end=_day(practice.end_date))
    if practice.ongoing:
        return _("since {start} (ongoing)").format(start=start)
    return _("since {start}").format(start=start)


def _joined(items: Iterable[str], sep: str = ", ") -> str:
    return sep.join(items) or MISSING


def _transferability(practice: PracticePublic) -> str:
    shown = shown_text(practice)
    conditions = rich_text.to_plain_text(shown.get("transfer_conditions"))
    parts = (
        rich_text.to_plain_text(shown.get("transferability")),
        _("Conditions: {conditions}").format(conditions=conditions) if conditions else "",
    )
    return _joined((x for x in parts if x), " ")


# (key, label, value of a practice as text). The page may show some keys richer (sources). Long
# texts are compared and shown as they read (Markdown and HTML from another system reduced to
# their text: a table cell holds one paragraph).
def practice_fields(
    theme_names: dict[str, str],
) -> list[tuple[str, str, Callable[[PracticePublic], object]]]:
    # Texts in the reader's language where a published translation exists (shown_text), and
    # a row that says which language each column is in.
    return [
        ("title", N_("Title"), lambda p: shown_text(p).title),
        ("language", N_("Language"), lambda p: shown_text(p).notice() or MISSING),
        (
            "country",
            N_("Country"),
            lambda p: i18n.country_name(p.country_code, p.country_name),
        ),
        (
            "themes",
            N_("Themes"),
            lambda p: _joined(i18n.data_label(theme_names.get(t, t)) for t in p.themes),
        ),
        ("ogp_values", N_("OGP values"), lambda p: _joined(x.label for x in p.ogp_values)),
        ("level", N_("Level of government"), lambda p: p.level.label),
        ("actor_type", N_("Actor type"), lambda p: p.actor_type.label),
        ("lead_institution", N_("Lead institution"), lambda p: p.lead_institution or MISSING),
        ("stage", N_("Stage"), lambda p: p.stage.label),
        ("dates", N_("Dates"), _period),
        ("completion", N_("Completion"), lambda p: _label(p.completion)),
        ("potential_impact", N_("Potential impact"), lambda p: _label(p.potential_impact)),
        ("early_results", N_("Early results"), lambda p: _label(p.early_results)),
        ("rated_by", N_("Rated by"), lambda p: _label(p.rated_by)),
        ("evidence_level", N_("Evidence level"), lambda p: _label(p.evidence_level)),
        ("outcome_areas", N_("Outcome areas"), lambda p: _joined(x.label for x in p.outcome_areas)),
        (
            "action_plan",
            N_("OGP action plan"),
            lambda p: _joined((x for x in (p.action_plan, p.commitment_ref) if x), " · "),
        ),
        (
            "summary",
            N_("Summary"),
            lambda p: rich_text.to_plain_text(shown_text(p).summary) or MISSING,
        ),
        ("transferability", N_("Transferability"), _transferability),
        ("sources", N_("Sources"), lambda p: _joined((s.title for s in p.sources), "; ")),
    ]


@dataclass(frozen=True)
class PracticeComparison:
    """Published practices side by side: `frame` has a row per field (`key`, `field`), a column
    per practice (its id as text) and `differs` (the values are not all the same)."""

    practices: tuple[PracticePublic, ...]
    missing: tuple[int, ...]  # asked for, but unknown or not published (never told apart)
    frame: pd.DataFrame

    @property
    def columns(self) -> list[str]:
        return [str(p.id) for p in self.practices]


def practice_comparison(session: Session, ids: Iterable[int]) -> PracticeComparison:
    """The published practices among `ids`, in that order, field by field."""
    found: list[PracticePublic] = []
    missing: list[int] = []
    for practice_id in dict.fromkeys(ids):
        practice = repository.get_practice(session=session, practice_id=practice_id)
        if practice is None:
            missing.append(practice_id)
        else:
            found.append(practice)
    fields = practice_fields(repository.theme_names(session=session))
    rows = []
    for key, label, value_of in fields:
        values = [str(value_of(p)) for p in found]
        row: dict[str, str | bool] = {"key": key, "field": _(label)}
        row.update({str(p.id): value for p, value in zip(found, values, strict=True)})
        row["differs"] = len(set(values)) > 1
        rows.append(row)
    frame = pd.DataFrame(rows, columns=["key", "field", *(str(p.id) for p in found), "differs"])
    return PracticeComparison(practices=tuple(found), missing=tuple(missing), frame=frame)
