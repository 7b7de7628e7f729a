"""Counts of the challenges list's filters: each option counts the published challenges it would
give under the other filters' choices, exactly what list_challenges returns, on both backends."""

from collections import Counter

from forumdash import challenge_filters, repository
from forumdash import vocab as v
from forumdash.db import read_session, write_session
from forumdash.models import ChallengeCreate

FACETS = ("countries", "themes", "obstacle_types", "challenge_statuses")

VIEWS = [
    {},
    {"countries": ["RS"]},
    {"countries": ["rs", "MK"]},  # lower case, as the list accepts it
    {"themes": ["open-data"]},
    {"themes": ["open-data", "local-government"], "countries": ["ME", "XK", "AL"]},
    {"obstacle_types": ["capacity", "coordination"], "challenge_statuses": ["open"]},
    {"challenge_statuses": ["being_addressed"], "themes": ["digital-government"]},
    {"countries": ["AL"], "obstacle_types": ["technology"], "themes": ["justice"]},
    {"challenge_statuses": ["resolved"]},  # no challenge is resolved in the seed
    {"countries": ["ZZ"]},  # unknown country
    {"themes": ["no-such-theme"], "obstacle_types": ["data"]},
    {"q": "open data"},  # search words narrow every count
    {"q": "municipal", "countries": ["RS", "MK"]},
    {"q": "отворени подаци"},  # folded: Cyrillic finds Latin
    {"q": "'; DROP TABLE challenge; --"},
]


def by_hand(session, view: dict[str, list[str]]) -> dict[str, Counter]:
    """Count from list_challenges itself: for each filter, list under the OTHER filters and
    count what each challenge carries."""
    counts = {}
    for facet in FACETS:
        others = {name: values for name, values in view.items() if name != facet}
        found = repository.list_challenges(session=session, **others)
        counts[facet] = Counter(
            value
            for c in found
            for value in {
                "countries": [c.country_code],
                "themes": c.themes,
                "obstacle_types": [c.obstacle_type.value],
                "challenge_statuses": [c.challenge_status.value],
            }[facet]
        )
    return counts


def unpublished(country: str, theme: str) -> ChallengeCreate:
    return ChallengeCreate(
        slug=f"zz-draft-{country.lower()}",
        title="A draft nobody may count yet",
        country=country,
        description="Not reviewed yet.",
        themes=[theme],
        obstacle_type=v.ObstacleType.funding,
        severity=v.Severity.low,
        challenge_status=v.ChallengeStatus.resolved,
        sources=[{"title": "Notes", "url": "https://example.org/notes"}],
        workflow=v.Workflow.draft,
    )


def test_counts_agree_with_the_list_under_every_combination(seeded_engine):
    with write_session(seeded_engine) as session:  # drafts must never be counted
        repository.create_challenge(session=session, challenge_in=unpublished("GE", "other"))
        repository.create_challenge(session=session, challenge_in=unpublished("RS", "open-data"))
    with read_session(seeded_engine) as session:
        for view in VIEWS:
            counts = repository.challenge_facet_counts(session=session, **view)
            expected = by_hand(session, view)
            assert set(counts) == set(FACETS)
            for facet in FACETS:
                nonzero = {value: n for value, n in counts[facet].items() if n}
                assert nonzero == dict(expected[facet]), (view, facet)


def test_every_known_option_is_listed_and_zero_ones_say_zero(seeded_engine):
    with write_session(seeded_engine) as session:
        repository.create_challenge(session=session, challenge_in=unpublished("GE", "other"))
    with read_session(seeded_engine) as session:
        counts = repository.challenge_facet_counts(session=session)
        countries = {c.code for c in repository.list_countries(session=session)}
        themes = set(repository.theme_names(session=session))
    assert set(counts["countries"]) == countries
    assert set(counts["themes"]) == themes
    assert list(counts["obstacle_types"]) == v.ObstacleType.values()
    assert list(counts["challenge_statuses"]) == v.ChallengeStatus.values()
    # The seed: 16 published challenges, 3 from Serbia, none from Georgia but a draft.
    assert sum(counts["countries"].values()) == 16
    assert counts["countries"]["RS"] == 3 and counts["countries"]["GE"] == 0
    assert counts["themes"]["other"] == 0  # only the draft has it
    assert counts["themes"]["political-commitment-eu-accession"] == 0
    assert counts["obstacle_types"]["funding"] == 0
    assert counts["challenge_statuses"] == {"open": 13, "being_addressed": 3, "resolved": 0}
    assert all(isinstance(n, int) for facet in counts.values() for n in facet.values())


def test_a_facet_ignores_its_own_choice_but_obeys_the_others(seeded_engine):
    with read_session(seeded_engine) as session:
        counts = repository.challenge_facet_counts(
            session=session, countries=["RS"], challenge_statuses=["open"]
        )
        unknown = repository.challenge_facet_counts(session=session, countries=["ZZ"])
    # Serbia stays 3 and the other countries still count (OR within a facet) ...
    assert counts["countries"]["RS"] == 3 and counts["countries"]["MK"] == 3
    assert counts["countries"]["XK"] == 1  # only its open one, not the one being addressed
    # ... while themes count Serbia's open challenges only (AND across facets).
    assert counts["themes"]["civic-participation"] == 2
    assert counts["themes"]["open-data"] == 0
    assert counts["challenge_statuses"] == {"open": 3, "being_addressed": 0, "resolved": 0}
    # An unknown value gives nothing anywhere else; its own facet is unaffected.
    assert not any(unknown[f][x] for f in FACETS if f != "countries" for x in unknown[f])
    assert unknown["countries"]["RS"] == 3 and "ZZ" not in unknown["countries"]


def test_search_words_find_challenges_folded(seeded_engine):
    with read_session(seeded_engine) as session:
        latin = repository.list_challenges(session=session, q="otvoreni OR open data")
        open_data = repository.list_challenges(session=session, q="open data")
        cyrillic = repository.list_challenges(session=session, q="ОПЕН дата")
        phrase = repository.list_challenges(session=session, q='"open data" -portal')
        every = repository.list_challenges(session=session)
    assert open_data and len(open_data) < len(every)
    assert [c.id for c in cyrillic] == [c.id for c in open_data]  # script and case folded
    assert all("open data" in f"{c.title} {c.description}".lower() for c in open_data)
    assert {c.id for c in phrase} < {c.id for c in open_data}
    assert {c.id for c in latin} >= {c.id for c in open_data}


def test_search_words_never_find_a_draft(seeded_engine):
    with write_session(seeded_engine) as session:
        repository.create_challenge(session=session, challenge_in=unpublished("RS", "open-data"))
    with read_session(seeded_engine) as session:
        assert repository.list_challenges(session=session, q="draft nobody") == []
        counts = repository.challenge_facet_counts(session=session, q="draft nobody")
        drafts = repository.list_challenges(session=session, q="draft nobody", published_only=False)
    assert sum(counts["countries"].values()) == 0
    assert len(drafts) == 1


def test_search_words_go_to_the_url_and_back():
    options = {"country": {"RS": "Serbia"}, "theme": {}, "obstacle": {}, "status": {}}
    chosen, notices = challenge_filters.from_params(
        {"q": ["  open   data  "], "country": "rs"}, options
    )
    assert chosen["q"] == ["open data"] and not notices
    params = challenge_filters.to_params(chosen)
    assert params == {"country": "RS", "q": "open data"}
    assert challenge_filters.from_params(params, options)[0] == chosen
    assert challenge_filters.query(chosen)["q"] == "open data"
    nothing, _ = challenge_filters.from_params({"q": "   "}, options)
    assert nothing["q"] == [] and "q" not in challenge_filters.to_params(nothing)
    long, _ = challenge_filters.from_params({"q": "x" * 5000}, options)
    assert len(long["q"][0]) == 1000
