"""What a person chose on the commitments list: a frozen value read from and written to URL
parameters the way the browse page's are (forumdash.urlparams), and applied to the commitments
in Python: facet counts under the other choices, folded search, natural order, pages.

OGP's export holds a few thousand commitments in all and the forum keeps those of its own
countries, so the list is filtered in memory; the same code then runs on SQLite and PostgreSQL.
Within a facet the choices are OR'ed; across facets AND'ed, as on /browse.
"""

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from forumdash import folded_search, search, urlparams
from forumdash import vocab as v
from forumdash.commitment_numbers import commitment_sort_key
from forumdash.commitment_ratings import RATING_BY_FIELD
from forumdash.i18n import N_, _
from forumdash.models import Commitment

PER_PAGE_CHOICES = (25, 50, 100)
# The option of a rating facet for a commitment the IRM has not rated on that scale (or rated
# with a value the importer did not recognise; the commitment's page shows it as written).
UNRATED = "unrated"
UNRATED_LABEL = N_("No rating recorded")
_STARRED_OPTIONS = {"yes": N_("Starred"), "no": N_("Not starred")}


@dataclass(frozen=True)
class CommitmentFacet:
    """A filter of the list: its URL parameter, its label, the values of one commitment."""

    name: str
    param: str
    english_label: str
    values_of: Callable[[Commitment], tuple[str, ...]]
    vocabulary: type[v.Vocab] | None = None  # None: options come from the commitments
    rated: bool = False  # a rating: commitments without one have the option UNRATED

    @property
    def label(self) -> str:
        """The facet's name in the current language."""
        return _(self.english_label)

    def fixed_options(self) -> dict[str, str] | None:
        """{value: label in the current language} of a facet whose options do not depend on the
        data, else None."""
        options: dict[str, str] | None = None
        if self.vocabulary is not None:
            options = {member.value: member.label for member in self.vocabulary}
        elif self.name == "starred":
            options = {value: _(label) for value, label in _STARRED_OPTIONS.items()}
        if options is not None and self.rated:
            options[UNRATED] = _(UNRATED_LABEL)
        return options


def _rating(field_name: str) -> Callable[[Commitment], tuple[str, ...]]:
    def values_of(commitment: Commitment) -> tuple[str, ...]:
        value = getattr(commitment, field_name)
        if value is None:
            return (UNRATED,)
        if isinstance(value, bool):
            return ("yes" if value else "no",)
        return (str(value.value if isinstance(value, v.Vocab) else value),)

    return values_of


def _rating_facet(field_name: str, param: str) -> CommitmentFacet:
    rating = RATING_BY_FIELD[field_name]
    return CommitmentFacet(
        field_name, param, rating.english_label, _rating(field_name), rating.vocabulary, rated=True
    )


FACETS: tuple[CommitmentFacet, ...] = (
    CommitmentFacet("countries", "country", N_("Country"), lambda c: (c.country_code,)),
    CommitmentFacet(
        "plans", "plan", N_("Action plan"), lambda c: (c.action_plan,) if c.action_plan else ()
    ),
    CommitmentFacet("areas", "area", N_("Policy area"), lambda c: tuple(c.policy_areas)),
    CommitmentFacet("values", "value", N_("OGP value"), lambda c: tuple(c.ogp_values), v.OgpValue),
    _rating_facet("potential_impact", "impact"),
    _rating_facet("potential_for_results", "results"),
    _rating_facet("completion_end", "completion"),
    _rating_facet("did_it_open_government", "opened"),
    _rating_facet("starred", "starred"),
)
FACET_BY_PARAM = {facet.param: facet for facet in FACETS}


@dataclass(frozen=True)
class CommitmentFilters:
    countries: tuple[str, ...] = ()
    plans: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    potential_impact: tuple[str, ...] = ()
    potential_for_results: tuple[str, ...] = ()
    completion_end: tuple[str, ...] = ()
    did_it_open_government: tuple[str, ...] = ()
    starred: tuple[str, ...] = ()
    q: str = ""
    page: int = 1
    per_page: int = 25
    notices: tuple[str, ...] = field(default=(), compare=False)

    def choices(self, facet: CommitmentFacet) -> tuple[str, ...]:
        """The values chosen in one facet."""
        return {
            "countries": self.countries,
            "plans": self.plans,
            "areas": self.areas,
            "values": self.values,
            "potential_impact": self.potential_impact,
            "potential_for_results": self.potential_for_results,
            "completion_end": self.completion_end,
            "did_it_open_government": self.did_it_open_government,
            "starred": self.starred,
        }[facet.name]

    @property
    def query(self) -> search.ParsedQuery:
        return search.parse_query(self.q)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    def with_changes(self, **changes: Any) -> "CommitmentFilters":
        """A copy with the given fields changed; any change of what matches goes to page 1."""
        if "page" not in changes and set(changes) - {"per_page"}:
            changes["page"] = 1
        return replace(self, notices=(), **changes)

    def is_filtered(self) -> bool:
        return any(self.choices(f) for f in FACETS) or bool(self.query)


@dataclass(frozen=True)
class KnownOptions:
    """The values of the data-driven facets, as stored: what a URL may name."""

    countries: Sequence[str] = ()
    plans: Sequence[str] = ()
    areas: Sequence[str] = ()

    def of(self, facet: CommitmentFacet) -> Sequence[str]:
        """The known values of a data-driven facet (none for a fixed vocabulary)."""
        known = {"countries": self.countries, "plans": self.plans, "areas": self.areas}
        return known.get(facet.name, ())


def known_options(commitments: Iterable[Commitment], countries: Iterable[str]) -> KnownOptions:
    """The plans and policy areas the commitments have, and the database's countries."""
    items = list(commitments)
    return KnownOptions(
        countries=[code.upper() for code in countries],
        plans=sorted({c.action_plan for c in items if c.action_plan}, key=commitment_sort_key),
        areas=sorted({area for c in items for area in c.policy_areas}, key=str.casefold),
    )


def from_params(params: Mapping[str, Any], known: KnownOptions) -> CommitmentFilters:
    """Filters from URL parameters; anything unknown or malformed is dropped with a notice."""
    reader = urlparams.Reader()
    chosen: dict[str, Any] = {}
    for key in params:
        facet = FACET_BY_PARAM.get(key)
        if facet is not None:
            fixed = facet.fixed_options()
            stored = list(fixed) if fixed is not None else list(known.of(facet))
            # Matched without case, given back as stored ("open data" names "Open Data").
            by_folded = {value.casefold(): value for value in stored}
            picked = reader.pick(
                params[key], by_folded, facet.label.lower(), normalise=str.casefold
            )
            chosen[facet.name] = tuple(by_folded[value] for value in picked)
        elif key == "q":
            text = params[key]
            words = [text] if isinstance(text, str) else [str(t) for t in text or []]
            chosen["q"] = " ".join(words)[: search.MAX_QUERY_CHARS]
        elif key == "page":
            first = (urlparams.values(params[key]) or [""])[0]
            page = urlparams.whole_number(first, 1, 1_000_000)
            if page is None:
                reader.note(_("Ignored a page number that is not a positive whole number."))
            chosen["page"] = page or 1
        elif key == "per_page":
            first = (urlparams.values(params[key]) or [""])[0]
            per_page = urlparams.whole_number(first, 1, 1000)
            if per_page not in PER_PAGE_CHOICES:
                choices = ", ".join(map(str, PER_PAGE_CHOICES))
                reader.note(_("Results per page can be {choices}.").format(choices=choices))
                per_page = 25
            chosen["per_page"] = per_page
        else:
            reader.unknown(key)
    return CommitmentFilters(**chosen, notices=reader.result(urlparams.MAX_NOTICES))


def to_params(filters: CommitmentFilters) -> dict[str, list[str]]:
    """The URL parameters of a view: only what differs from the defaults."""
    params: dict[str, list[str]] = {}
    for facet in FACETS:
        if filters.choices(facet):
            params[facet.param] = list(filters.choices(facet))
    if filters.q.strip():
        params["q"] = [filters.q.strip()]
    if filters.page != 1:
        params["page"] = [str(filters.page)]
    if filters.per_page != 25:
        params["per_page"] = [str(filters.per_page)]
    return params


def export_params(filters: CommitmentFilters) -> dict[str, list[str]]:
    """The URL parameters of the view without its page: an export holds every page."""
    params = to_params(filters)
    return {key: values for key, values in params.items() if key not in ("page", "per_page")}


# --------------------------------------------------------------------------- search


def searched_text(commitment: Commitment) -> str:
    """What search looks in: identifier, titles, full text and institutions."""
    return "\n".join(
        (
            commitment.identifier,
            commitment.title,
            commitment.short_title,
            commitment.text,
            commitment.lead_institution,
            commitment.supporting_institutions,
        )
    )


def matches_query(commitment: Commitment, query: search.ParsedQuery) -> bool:
    """Whether the commitment matches a parsed search (folded: case, accents and script)."""
    return folded_search.matches(searched_text(commitment), query)


# --------------------------------------------------------------------------- applying


def _matches_facets(
    commitment: Commitment, filters: CommitmentFilters, *, exclude: str | None = None
) -> bool:
    for facet in FACETS:
        chosen = filters.choices(facet)
        if chosen and facet.name != exclude:
            if not set(facet.values_of(commitment)) & set(chosen):
                return False
    return True


def sort_key(
    commitment: Commitment, country_order: Mapping[str, int]
) -> tuple[int, str, Any, Any, str]:
    """Country (in the forum's order), action plan, commitment number, both naturally (2.1 <
    10.1), then the identifier."""
    return (
        country_order.get(commitment.country_code, len(country_order)),
        commitment.country_code,
        commitment_sort_key(commitment.action_plan),
        commitment_sort_key(commitment.commitment_number),
        commitment.identifier,
    )


def matching(
    commitments: Iterable[Commitment],
    filters: CommitmentFilters,
    country_order: Sequence[str] = (),
) -> list[Commitment]:
    """The commitments that match every choice and the search, in natural order."""
    query = filters.query
    found = [c for c in commitments if _matches_facets(c, filters) and matches_query(c, query)]
    order = {code: position for position, code in enumerate(country_order)}
    return sorted(found, key=lambda c: sort_key(c, order))


def facet_counts(
    commitments: Iterable[Commitment], filters: CommitmentFilters
) -> dict[str, dict[str, int]]:
    """For each facet, how many commitments each option would give under the other choices."""
    query = filters.query
    searched = [c for c in commitments if matches_query(c, query)]
    counts: dict[str, dict[str, int]] = {}
    for facet in FACETS:
        counter: Counter[str] = Counter()
        for commitment in searched:
            if _matches_facets(commitment, filters, exclude=facet.name):
                counter.update(set(facet.values_of(commitment)))
        counts[facet.name] = dict(counter)
    return counts


def facet_options(
    facet: CommitmentFacet,
    counts: Mapping[str, int],
    chosen: Sequence[str],
    known: KnownOptions,
) -> list[str]:
    """A facet's options in the order offered: those with results (or chosen) first, in their
    own order, then those with none; never hidden."""
    fixed = facet.fixed_options()
    every = list(fixed) if fixed is not None else list(known.of(facet))
    present = [x for x in every if counts.get(x) or x in chosen]
    return present + [x for x in every if x not in present]


@dataclass(frozen=True)
class CommitmentPage:
    """One page of the list: the facet counts, the total, the rows shown."""

    counts: dict[str, dict[str, int]]
    total: int
    rows: list[Commitment]


def browse(
    commitments: Sequence[Commitment],
    filters: CommitmentFilters,
    country_order: Sequence[str] = (),
) -> CommitmentPage:
    """Everything the list shows for a view."""
    found = matching(commitments, filters, country_order)
    last_page = max(1, -(-len(found) // filters.per_page))
    offset = (min(filters.page, last_page) - 1) * filters.per_page  # a page past the end: the last
    rows = found[offset : offset + filters.per_page]
    return CommitmentPage(facet_counts(commitments, filters), len(found), rows)


def describe(filters: CommitmentFilters, names: Mapping[str, Mapping[str, str]]) -> str:
    """The filters in words (the current language), for the reader of an export."""
    parts: list[str] = []
    for facet in FACETS:
        chosen = filters.choices(facet)
        if chosen:
            labels = facet.fixed_options() or names.get(facet.name, {})
            parts.append(
                _("{facet}: {values}").format(
                    facet=facet.label, values=", ".join(labels.get(x, x) for x in chosen)
                )
            )
    if filters.q.strip():
        parts.append(_("Search: “{words}”").format(words=filters.q.strip()))
    if not parts:
        return _(
            "All imported commitments (no filter). Sorted by country, action plan and "
            "commitment number."
        )
    return _("{filters}. Sorted by country, action plan and commitment number.").format(
        filters="; ".join(parts)
    )
