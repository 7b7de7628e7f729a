"""What a person chose on the challenges list (country, theme, obstacle, status, search words),
read from and written to URL parameters the same way as the browse page's (forumdash.urlparams)."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from forumdash import repository, search, urlparams
from forumdash import vocab as v
from forumdash.i18n import N_


@dataclass(frozen=True)
class ChallengeFilter:
    """One filter: its URL parameter, its label (English, marked with N_ and shown with _), its
    name in repository.list_challenges."""

    param: str
    label: str
    name: str


FILTERS = (
    ChallengeFilter("country", N_("Country"), "countries"),
    ChallengeFilter("theme", N_("Theme"), "themes"),
    ChallengeFilter("obstacle", N_("Obstacle type"), "obstacle_types"),
    ChallengeFilter("status", N_("Status"), "challenge_statuses"),
)
# The search words' URL parameter (and their name in repository.list_challenges), as on /browse.
SEARCH = "q"


def options(session: Session) -> dict[str, dict[str, str]]:
    """Each filter's options, {value: label}, in the order they are offered."""
    names = repository.reference_names(session=session)  # shared: read-only
    return {
        "country": names.countries,
        "theme": names.themes,
        "obstacle": {o.value: o.label for o in v.ObstacleType},
        "status": {s.value: s.label for s in v.ChallengeStatus},
    }


def from_params(
    params: Mapping[str, Any], known: Mapping[str, Mapping[str, str]]
) -> tuple[dict[str, list[str]], tuple[str, ...]]:
    """The choices the URL names, filter by filter (known values only, in order, no duplicates),
    and notices naming the values that are not known here; the search words under "q" as one
    string (or none). Other parameters (the challenge's id) are the page's own and are left
    alone."""
    reader = urlparams.Reader()
    chosen: dict[str, list[str]] = {}
    for item in FILTERS:
        normalise = str.upper if item.param == "country" else str.lower
        noun = item.label.lower()
        chosen[item.param] = reader.pick(
            params.get(item.param), known[item.param], noun, normalise=normalise
        )
    chosen[SEARCH] = _search_words(params.get(SEARCH))
    return chosen, reader.result(urlparams.MAX_NOTICES)


def _search_words(raw: Any) -> list[str]:
    """The search words of the URL as one string in a list (empty when there are none)."""
    texts = [raw] if isinstance(raw, str) else [str(t) for t in raw or []]
    text = " ".join(" ".join(texts).split())[: search.MAX_QUERY_CHARS]
    return [text] if text else []


def to_params(chosen: Mapping[str, list[str]]) -> dict[str, str]:
    """The URL parameters of the choices: one comma-separated value per filter that has any,
    and the search words as written."""
    params = {
        item.param: ",".join(chosen[item.param]) for item in FILTERS if chosen.get(item.param)
    }
    words = " ".join(chosen.get(SEARCH, [])).strip()
    if words:
        params[SEARCH] = words
    return params


def query(chosen: Mapping[str, list[str]]) -> dict[str, Any]:
    """The choices as repository.list_challenges and challenge_facet_counts take them."""
    taken: dict[str, Any] = {item.name: list(chosen.get(item.param, [])) for item in FILTERS}
    taken[SEARCH] = " ".join(chosen.get(SEARCH, [])).strip()
    return taken
