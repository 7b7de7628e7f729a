"""What a person chose on the browse page: a frozen value that reads and writes URL parameters
and turns into SQL conditions. Within a facet the choices are OR'ed; across facets AND'ed."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col, select

from forumdash import search, urlparams
from forumdash import vocab as v
from forumdash.i18n import N_, _
from forumdash.models import Practice, PracticeTheme, PracticeValue

PER_PAGE_CHOICES = (25, 50, 100)
SORTS = {
    "relevance": N_("Relevance"),
    "newest": N_("Newest"),
    "title": N_("Title"),
    "country": N_("Country"),
    "year": N_("Year (latest first)"),
}


@dataclass(frozen=True)
class Facet:
    """A filter over a vocabulary: its URL parameter, its label (English, marked with N_ and
    shown with _), where its values live."""

    name: str
    param: str
    label: str
    column: Any = None  # a Practice column (single-valued)
    link: Any = None  # (link table, value column) for multi-valued facets
    vocabulary: type[v.Vocab] | None = None  # None: values come from the database


FACETS: tuple[Facet, ...] = (
    Facet("countries", "country", N_("Country"), column=Practice.country_code),
    Facet("themes", "theme", N_("Theme"), link=(PracticeTheme, PracticeTheme.theme_slug)),
    Facet(
        "values",
        "value",
        N_("OGP value"),
        link=(PracticeValue, PracticeValue.value),
        vocabulary=v.OgpValue,
    ),
    Facet(
        "levels", "level", N_("Level of government"), column=Practice.level, vocabulary=v.GovLevel
    ),
    Facet(
        "actor_types", "actor", N_("Actor type"), column=Practice.actor_type, vocabulary=v.ActorType
    ),
    Facet("stages", "stage", N_("Stage"), column=Practice.stage, vocabulary=v.Stage),
    Facet(
        "completions",
        "completion",
        N_("Completion"),
        column=Practice.completion,
        vocabulary=v.Completion,
    ),
    Facet(
        "evidence_levels",
        "evidence",
        N_("Evidence level"),
        column=Practice.evidence_level,
        vocabulary=v.EvidenceLevel,
    ),
)
FACET_BY_PARAM = {facet.param: facet for facet in FACETS}


@dataclass(frozen=True)
class PracticeFilters:
    countries: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    actor_types: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    completions: tuple[str, ...] = ()
    evidence_levels: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    q: str = ""
    sort: str = ""  # '' means relevance when searching, else newest
    page: int = 1
    per_page: int = 25
    notices: tuple[str, ...] = field(default=(), compare=False)

    def choices(self, facet: Facet) -> tuple[str, ...]:
        chosen: tuple[str, ...] = getattr(self, facet.name)
        return chosen

    @property
    def query(self) -> search.ParsedQuery:
        return search.parse_query(self.q)

    @property
    def effective_sort(self) -> str:
        if self.sort in SORTS and (self.sort != "relevance" or self.query):
            return self.sort
        return "relevance" if self.query else "newest"

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    def with_changes(self, **changes: Any) -> "PracticeFilters":
        """A copy with the given fields changed; any change of what matches goes to page 1."""
        if "page" not in changes and set(changes) - {"per_page", "sort"}:
            changes["page"] = 1
        return replace(self, notices=(), **changes)

    def is_filtered(self) -> bool:
        return any(self.choices(f) for f in FACETS) or bool(
            self.year_from or self.year_to or self.query
        )


def from_params(
    params: Mapping[str, Any], *, countries: Iterable[str], themes: Iterable[str]
) -> PracticeFilters:
    """Filters from URL parameters; anything unknown or malformed is dropped with a notice."""
    known = {"countries": {c.upper() for c in countries}, "themes": set(themes)}
    reader = urlparams.Reader()
    chosen: dict[str, Any] = {}
    for key in params:
        raw = urlparams.values(params[key])
        first = raw[0] if raw else ""
        facet = FACET_BY_PARAM.get(key)
        if facet is not None:
            allowed = set(facet.vocabulary.values()) if facet.vocabulary else known[facet.name]
            upper = facet.name == "countries"
            chosen[facet.name] = tuple(
                reader.pick(
                    raw, allowed, facet.label.lower(), normalise=str.upper if upper else str.lower
                )
            )
        elif key == "q":
            text = params[key]
            words = [text] if isinstance(text, str) else [str(t) for t in text or []]
            chosen["q"] = " ".join(words)[: search.MAX_QUERY_CHARS]
        elif key in ("year_from", "year_to"):
            year = urlparams.whole_number(first, 1900, 2100)
            if year is None:
                shown = urlparams.quoted(first, 20)
                if key == "year_from":
                    reader.note(_("Ignored year_from “{value}”: not a year.").format(value=shown))
                else:
                    reader.note(_("Ignored year_to “{value}”: not a year.").format(value=shown))
            chosen[key] = year
        elif key == "sort":
            if first not in SORTS:
                reader.note(
                    _("Ignored unknown sort order “{value}”.").format(
                        value=urlparams.quoted(first, 20)
                    )
                )
            chosen["sort"] = first if first in SORTS else ""
        elif key == "page":
            page = urlparams.whole_number(first, 1, 1_000_000)
            if page is None:
                reader.note(_("Ignored a page number that is not a positive whole number."))
            chosen["page"] = page or 1
        elif key == "per_page":
            per_page = urlparams.whole_number(first, 1, 1000)
            if per_page not in PER_PAGE_CHOICES:
                choices = ", ".join(map(str, PER_PAGE_CHOICES))
                reader.note(_("Results per page can be {choices}.").format(choices=choices))
                per_page = 25
            chosen["per_page"] = per_page
        else:
            reader.unknown(key)
    if (
        chosen.get("year_from")
        and chosen.get("year_to")
        and chosen["year_from"] > chosen["year_to"]
    ):
        chosen["year_from"], chosen["year_to"] = chosen["year_to"], chosen["year_from"]
    return PracticeFilters(**chosen, notices=reader.result())


def to_params(filters: PracticeFilters) -> dict[str, list[str]]:
    """The URL parameters of a view: only what differs from the defaults."""
    params: dict[str, list[str]] = {}
    for facet in FACETS:
        if filters.choices(facet):
            params[facet.param] = list(filters.choices(facet))
    if filters.q.strip():
        params["q"] = [filters.q.strip()]
    for name in ("year_from", "year_to"):
        if getattr(filters, name) is not None:
            params[name] = [str(getattr(filters, name))]
    if filters.sort:
        params["sort"] = [filters.sort]
    if filters.page != 1:
        params["page"] = [str(filters.page)]
    if filters.per_page != 25:
        params["per_page"] = [str(filters.per_page)]
    return params


def facet_condition(facet: Facet, chosen: tuple[str, ...]) -> ColumnElement[bool]:
    """practice matches any of the chosen values of one facet."""
    if facet.column is not None:
        return col(facet.column).in_(chosen)
    table, value_column = facet.link
    return col(Practice.id).in_(select(table.practice_id).where(col(value_column).in_(chosen)))


def conditions(
    filters: PracticeFilters, dialect: str, *, exclude: str | None = None
) -> list[ColumnElement[bool]]:
    """WHERE conditions for the published practices matching the filters, leaving out one facet
    (`exclude`) so that its options can be counted under all the other choices."""
    where: list[ColumnElement[bool]] = [col(Practice.workflow) == v.Workflow.published]
    for facet in FACETS:
        chosen = filters.choices(facet)
        if chosen and facet.name != exclude:
            where.append(facet_condition(facet, chosen))
    if exclude != "years":
        if filters.year_from is not None:
            where.append(col(Practice.start_year) >= filters.year_from)
        if filters.year_to is not None:
            where.append(col(Practice.start_year) <= filters.year_to)
    query = filters.query
    if query:
        where.append(search.match_condition(query, col(Practice.id)))
    return where


__all__ = ["FACETS", "PracticeFilters", "conditions", "from_params", "to_params", "sa"]
