"""A quality gate: matching finds the practices judged relevant on the evaluation set
(tests/support/match_eval.py; bench/match_eval.py prints the figures beside the old scoring's)."""

from forumdash import matching, repository
from forumdash.db import read_session
from tests.support import match_eval as ev

SYNTHETIC_IDS = 1_000_000  # above any seed id


def test_matching_finds_the_relevant_practices(readonly_engine):
    practices, challenges = ev.evaluation_set()
    with read_session(readonly_engine) as session:
        seed = repository.published_practices(session=session)
    profiles = [matching.PracticeProfile.of(p) for p in seed]
    key_of = {p.id: p.slug for p in seed}
    for number, practice in enumerate(practices, start=SYNTHETIC_IDS):
        profiles.append(matching.PracticeProfile(**ev.practice_fields(practice, number)))
        key_of[number] = practice.key
    seed_countries = {p.slug: p.country_code for p in seed}
    corpus = matching.Corpus(profiles)

    def ranked(challenge: ev.EvalChallenge) -> list[str]:
        profile = matching.ChallengeProfile(**ev.challenge_fields(challenge))
        return [key_of[r.practice_id] for r in corpus.rank(profile, limit=10)]

    def relevant(challenge: ev.EvalChallenge) -> set[str]:
        return ev.relevant_keys(challenge, practices, seed_countries)

    assert len(challenges) >= 30 and len(practices) >= 300
    assert all(relevant(c) for c in challenges)
    precision, gain = ev.mean_scores(challenges, ranked, relevant)
    assert precision >= 0.6, precision
    assert gain >= 0.6, gain


def test_the_metrics():
    relevant = {"a", "b"}
    assert ev.precision_at(["a", "x", "b", "y", "z"], relevant) == 0.4
    assert ev.precision_at(["a"], relevant) == 0.2  # an empty place is not relevant
    assert ev.ndcg_at(["a", "b", "x"], relevant) == 1.0
    assert 0 < ev.ndcg_at(["x", "a", "b"], relevant) < 1.0
    assert ev.ndcg_at(["x"], set()) == 0.0


def test_a_waste_challenge_meets_waste_practices_whatever_their_theme():
    challenge = matching.ChallengeProfile(
        id=1,
        country_code="AL",
        title="Municipal waste collection is not monitored in Albania",
        text="Municipal waste collection is not monitored in Albania. Tirana residents complain.",
        themes=frozenset({"local-government"}),
        ogp_values=frozenset({"access_to_information"}),
        obstacle_type="data",
    )
    common = {"ogp_values": frozenset({"access_to_information"}), "stage": "implementing"}
    waste = matching.PracticeProfile(
        id=2,
        country_code="RS",
        title="Otpad pod kontrolom",
        text="Otpad pod kontrolom: opštine objavljuju podatke o deponijama (CRTA).",
        themes=frozenset({"other"}),
        **common,
    )
    themed = [
        matching.PracticeProfile(
            id=10 + n,
            country_code="ME",
            title=f"Local government services {n}",
            text="Local government services for residents in Albania, online.",
            themes=frozenset({"local-government"}),
            **common,
        )
        for n in range(5)
    ]
    results = matching.rank(challenge, [waste, *themed], limit=3)
    assert results[0].practice_id == 2
    wording = next(r for r in results[0].reasons if r.startswith("Similar wording: "))
    # The practice's own words, as it writes them; the country never counts.
    assert "'Otpad'" in wording and "'opštine'" in wording
    assert all("albania" not in r.lower() for result in results for r in result.reasons)
