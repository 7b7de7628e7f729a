"""The challenge-to-practice matching score (forumdash.matching): pure functions, no database,
except the last test, which matches the shipped seed."""

import csv
import dataclasses
import pickle
import random
import re

import pytest

from forumdash import matching, repository
from forumdash import vocab as v
from forumdash.db import read_session
from forumdash.folding import fold
from tests.conftest import ROOT

THEME_NAMES = {
    "open-data": "Open data",
    "public-services": "Public services",
    "digital-government": "Digital government",
    "civic-participation": "Civic participation",
    "local-government": "Local government",
    "anti-corruption": "Anti-corruption",
}
THEMES = sorted(THEME_NAMES)
COUNTRIES = ["AL", "BA", "XK", "ME", "MK", "RS", "HR", "GB"]
WORDS = (
    "procurement portal municipal budget consultation petition register court dataset "
    "transparency hearing residents monitoring coordinator services licence archive"
).split()


def challenge(**changes) -> matching.ChallengeProfile:
    fields = {
        "id": 1,
        "country_code": "AL",
        "title": "Municipal procurement data is hard to reuse",
        "text": "Municipal procurement data is hard to reuse: the portal publishes scanned files.",
        "themes": frozenset({"open-data", "anti-corruption"}),
        "ogp_values": frozenset({"access_to_information"}),
        "obstacle_type": "data",
    }
    return matching.ChallengeProfile(**(fields | changes))


def practice(**changes) -> matching.PracticeProfile:
    fields = {
        "id": 10,
        "country_code": "RS",
        "title": "Open procurement portal",
        "text": "A procurement portal publishes every municipal contract as open data.",
        "themes": frozenset({"open-data", "anti-corruption"}),
        "ogp_values": frozenset({"access_to_information"}),
        "stage": "implementing",
        "completion": None,
        "early_results": None,
        "actor_type": "government",
        "outcome_areas": frozenset(),
        "evidence_level": None,
    }
    return matching.PracticeProfile(**(fields | changes))


def random_practice(rnd: random.Random, practice_id: int) -> matching.PracticeProfile:
    return practice(
        id=practice_id,
        country_code=rnd.choice(COUNTRIES),
        title=f"Practice {practice_id}",
        text=" ".join(rnd.choices(WORDS, k=rnd.randint(0, 25))),
        themes=frozenset(rnd.sample(THEMES, rnd.randint(1, 3))),
        ogp_values=frozenset(rnd.sample(v.OgpValue.values(), rnd.randint(0, 3))),
        stage=rnd.choice(v.Stage.values()),
        completion=rnd.choice([None, *v.Completion.values()]),
        early_results=rnd.choice([None, *v.EarlyResults.values()]),
        actor_type=rnd.choice(v.ActorType.values()),
        outcome_areas=frozenset(rnd.sample(v.OutcomeArea.values(), rnd.randint(0, 2))),
        evidence_level=rnd.choice([None, *v.EvidenceLevel.values()]),
    )


def random_challenge(rnd: random.Random, challenge_id: int) -> matching.ChallengeProfile:
    return challenge(
        id=challenge_id,
        country_code=rnd.choice(COUNTRIES),
        title=f"Challenge {challenge_id}",
        text=" ".join(rnd.choices(WORDS, k=rnd.randint(0, 15))),
        themes=frozenset(rnd.sample(THEMES, rnd.randint(1, 3))),
        ogp_values=frozenset(rnd.sample(v.OgpValue.values(), rnd.randint(0, 2))),
        obstacle_type=rnd.choice(v.ObstacleType.values()),
    )


def reason(result: matching.MatchResult | None, start: str) -> str:
    """The reason that starts with `start`."""
    assert result is not None
    return next(r for r in result.reasons if r.startswith(start))


# --------------------------------------------------------------------------- never the same country


def test_never_matches_a_country_with_itself():
    rnd = random.Random(20150910)
    practices = [random_practice(rnd, i) for i in range(1, 301)]
    corpus = matching.Corpus(practices)
    country_of = {p.id: p.country_code for p in practices}
    matched = 0
    for challenge_id in range(1, 61):
        c = random_challenge(rnd, challenge_id)
        results = corpus.rank(c, limit=None, min_score=0)
        matched += len(results)
        assert all(country_of[r.practice_id] != c.country_code for r in results)
        for p in practices:
            if p.country_code == c.country_code:
                assert matching.score(c, p) is None
                assert corpus.score(c, p) is None
    assert matched > 1000  # the generated profiles do match across countries


def test_a_prepared_corpus_ranks_every_obstacle_without_working_out_a_fit(monkeypatch):
    """The warm-up prepares the corpus (at 100,000 practices each type of obstacle's fit took
    7-9 s on a challenge's first request): a challenge of any type then works out no fit, and
    ranks as an unprepared corpus does; a corpus brought up to date works out only the changed
    practice's fits."""
    rnd = random.Random(20261207)
    practices = [random_practice(rnd, i) for i in range(1, 201)]
    challenges = [
        dataclasses.replace(random_challenge(rnd, i), obstacle_type=obstacle)
        for i, obstacle in enumerate(v.ObstacleType, start=1)
    ]
    expected = [matching.Corpus(practices).rank(c, limit=5) for c in challenges]
    prepared = matching.Corpus(practices)
    prepared.prepare()
    worked_out = []
    fit = matching._Candidate.fit

    def counting(candidate, obstacle):
        if obstacle not in candidate._fits:
            worked_out.append((candidate.profile.id, obstacle))
        return fit(candidate, obstacle)

    monkeypatch.setattr(matching._Candidate, "fit", counting)
    assert [prepared.rank(c, limit=5) for c in challenges] == expected
    assert any(expected)
    assert worked_out == []
    changed = dataclasses.replace(practices[0], title="Budget hearings in every municipality")
    updated = prepared.updated([changed])
    updated.prepare()
    assert {pid for pid, _obstacle in worked_out} == {changed.id}
    assert len(worked_out) == len(v.ObstacleType)


def test_same_country_is_recognised_whatever_the_case_or_spaces():
    c = challenge(country_code="AL")
    assert matching.score(c, practice(country_code=" al ")) is None
    results = matching.rank(c, [practice(id=10, country_code="al"), practice(id=11)])
    assert [r.practice_id for r in results] == [11]


def test_a_challenge_with_only_own_country_practices_gets_nothing():
    c = challenge()
    assert matching.rank(c, [practice(id=i, country_code="AL") for i in range(5)]) == []


# --------------------------------------------------------------------------- deterministic order


def test_ties_are_broken_by_ascending_practice_id():
    ids = [9, 3, 7, 1, 5]
    results = matching.rank(challenge(), [practice(id=i) for i in ids])
    assert [r.practice_id for r in results] == sorted(ids)
    assert len({r.score for r in results}) == 1
    assert len({r.reasons for r in results}) == 1


def test_shuffled_input_gives_identical_output():
    rnd = random.Random(7)
    practices = [random_practice(rnd, i) for i in range(1, 201)]
    challenges = [random_challenge(rnd, i) for i in range(1, 21)]
    expected = matching.rank_all(challenges, practices, limit=15, min_score=0)
    for _ in range(3):
        shuffled = practices[:]
        rnd.shuffle(shuffled)
        assert matching.rank_all(challenges, shuffled, limit=15, min_score=0) == expected
    for results in expected.values():
        keys = [(-r.score, r.practice_id) for r in results]
        assert keys == sorted(keys)


def test_a_repeated_practice_is_listed_once():
    results = matching.rank(challenge(), [practice(id=4), practice(id=4), practice(id=2)])
    assert [r.practice_id for r in results] == [2, 4]


def test_rank_agrees_with_scoring_every_pair():
    """The numpy shortlist may only skip practices that could not make the list."""
    rnd = random.Random(11)
    practices = [random_practice(rnd, i) for i in range(1, 401)]
    corpus = matching.Corpus(practices)
    for challenge_id in range(1, 41):
        c = random_challenge(rnd, challenge_id)
        every = [r for p in practices if (r := corpus.score(c, p)) is not None]
        every.sort(key=lambda r: (-r.score, r.practice_id))
        for limit, min_score in [(10, 20.0), (3, 0.0), (None, 35.0), (25, 50.0)]:
            expected = [r for r in every if r.score >= min_score][:limit]
            assert corpus.rank(c, limit=limit, min_score=min_score) == expected


def test_results_and_profiles_survive_pickling():
    """Streamlit's st.cache_data pickles what it caches."""
    results = matching.rank(challenge(), [practice(id=3), practice(id=4)])
    assert results and pickle.loads(pickle.dumps(results)) == results
    profile = pickle.loads(pickle.dumps(practice()))
    assert profile == practice() and profile.words == practice().words


def test_limit_and_min_score():
    practices = [practice(id=i, stage=rnd_stage) for i, rnd_stage in enumerate(v.Stage.values())]
    assert len(matching.rank(challenge(), practices, limit=None, min_score=0)) == 6
    assert len(matching.rank(challenge(), practices, limit=2)) == 2
    assert matching.rank(challenge(), practices, limit=0) == []
    assert matching.rank(challenge(), practices, min_score=101) == []
    assert matching.rank(challenge(), []) == []


# --------------------------------------------------------------------------- the score


def test_score_grows_with_shared_themes():
    c = challenge(themes=frozenset({"open-data", "anti-corruption", "local-government"}))
    others = ["digital-government", "public-services", "civic-participation"]
    scores = []
    for shared in range(4):
        themes = sorted(c.themes)[:shared] + others[: 3 - shared]
        result = matching.score(c, practice(themes=frozenset(themes)))
        assert result is not None  # the wording alone is similar enough
        scores.append(result.score)
        assert result.parts["themes"] == pytest.approx(
            matching.WEIGHT_THEMES * shared / 3, abs=0.05
        )
    assert scores == sorted(scores) and len(set(scores)) == 4


def test_later_stages_and_better_results_score_higher():
    c = challenge()
    by_stage = [matching.score(c, practice(stage=stage)).score for stage in v.Stage.values()]
    assert by_stage == sorted(by_stage) and len(set(by_stage)) == len(by_stage)
    plain = matching.score(c, practice()).score
    rated = matching.score(c, practice(early_results="major", evidence_level="formal_evaluation"))
    assert rated.score > plain
    assert "Reached stage: Implementing; early results: Major; evidence: Formal evaluation" in (
        rated.reasons
    )


def test_parts_add_up_to_the_score_within_bounds():
    rnd = random.Random(3)
    practices = [random_practice(rnd, i) for i in range(1, 301)]
    for challenge_id in range(1, 31):
        for r in matching.rank(random_challenge(rnd, challenge_id), practices, limit=None):
            assert 0 <= r.score <= 100
            assert r.score == round(r.score, 1)
            assert set(r.parts) == set(matching.WEIGHTS)
            for name, points in r.parts.items():
                assert 0 <= points <= matching.WEIGHTS[name]
            assert r.score == pytest.approx(sum(r.parts.values()), abs=0.051)


def test_a_perfect_match_scores_100():
    c = challenge(obstacle_type="data")
    p = practice(
        text=c.text,
        stage="diffusing_lessons",
        early_results="outstanding",
        evidence_level="formal_evaluation",
    )
    assert matching.score(c, p).score == 100.0


def test_no_shared_theme_and_different_wording_is_not_a_match():
    c = challenge()
    unrelated = practice(
        themes=frozenset({"civic-participation"}), text="Residents vote on park benches."
    )
    assert matching.score(c, unrelated) is None
    # The same practice, worded like the challenge, is suggested for its wording alone.
    worded = dataclasses.replace(unrelated, text=c.text)
    result = matching.score(c, worded)
    assert result is not None and result.parts["themes"] == 0
    assert any(reason.startswith("Similar wording: ") for reason in result.reasons)


def test_wording_ignores_case_diacritics_and_script():
    c = challenge(
        themes=frozenset({"justice"}), text="Судске одлуке у Београду нису доступне на порталу."
    )
    p = practice(themes=frozenset({"civic-participation"}), text="SUDSKE ODLUKE: Beograd, portal.")
    result = matching.score(c, p)
    assert result is not None
    wording = next(r for r in result.reasons if r.startswith("Similar wording: "))
    # Shown as the practice writes them; the city is a place, never shared wording.
    assert "'SUDSKE'" in wording and "'ODLUKE'" in wording
    assert "beograd" not in wording.lower()


def test_common_words_count_less_when_ranking():
    # 'portal' is in every practice, 'licence' in one: sharing 'licence' is worth more.
    c = challenge(themes=frozenset({"justice"}), text="portal licence")
    plain = [practice(id=i, text="portal archive", themes=frozenset({"justice"})) for i in range(9)]
    rare = practice(id=99, text="portal licence", themes=frozenset({"justice"}))
    results = matching.rank(c, [*plain, rare], limit=None, min_score=0)
    assert results[0].practice_id == 99
    assert "'licence'" in next(r for r in results[0].reasons if r.startswith("Similar wording"))


# --------------------------------------------------------------------------- reasons


def test_reasons_name_the_shared_themes_and_values():
    c = challenge(ogp_values=frozenset({"access_to_information", "technology_innovation"}))
    p = practice(ogp_values=frozenset(v.OgpValue.values()))
    result = matching.score(c, p, theme_names=THEME_NAMES)
    assert reason(result, "Shares ") == "Shares 2 themes: Open data, Anti-corruption"
    assert reason(result, "Same OGP") == (
        "Same OGP values: Access to information, Technology and innovation"
    )
    # Without names, the slugs stand in.
    plain = matching.score(c, p)
    assert reason(plain, "Shares ") == "Shares 2 themes: anti-corruption, open-data"
    one = matching.score(
        challenge(themes=frozenset({"open-data"})), practice(), theme_names=THEME_NAMES
    )
    assert reason(one, "Shares ") == "Shares 1 theme: Open data"
    assert reason(one, "Same OGP") == "Same OGP value: Access to information"


def test_rank_words_the_reasons_with_theme_names():
    results = matching.rank(challenge(), [practice()], theme_names=THEME_NAMES)
    assert reason(results[0], "Shares ") == "Shares 2 themes: Open data, Anti-corruption"
    corpus = matching.Corpus([practice()], theme_names=THEME_NAMES)
    assert corpus.rank(challenge())[0].reasons == results[0].reasons


def test_obstacle_fit_says_what_answers_the_obstacle():
    c = challenge(obstacle_type="cso_engagement", themes=frozenset({"civic-participation"}))
    p = practice(
        themes=frozenset({"civic-participation"}),
        ogp_values=frozenset({"civic_participation"}),
        actor_type="cso",
    )
    result = matching.score(c, p)
    assert result.parts["obstacle"] == matching.WEIGHT_OBSTACLE
    assert (
        "Addresses a CSO engagement obstacle: led by civil society or jointly with it; "
        "works on civic participation; built for civic participation"
    ) in result.reasons
    no_fit = matching.score(
        c, dataclasses.replace(p, actor_type="government", ogp_values=frozenset())
    )
    assert no_fit.parts["obstacle"] == pytest.approx(matching.WEIGHT_OBSTACLE / 2)
    capacity = matching.score(
        challenge(obstacle_type="capacity"), practice(text="Guidelines and training for staff.")
    )
    assert (
        "Addresses a capacity obstacle: mentions training, guidance or standards ('guidelines')"
        in (capacity.reasons)
    )


def test_every_part_that_scores_has_a_reason():
    rnd = random.Random(5)
    practices = [random_practice(rnd, i) for i in range(1, 201)]
    starts = {
        "themes": "Shares ",
        "values": "Same OGP ",
        "obstacle": "Addresses a ",
        "progress": "Reached stage: ",
        "text": "Similar wording: ",
    }
    for challenge_id in range(1, 21):
        for r in matching.rank(random_challenge(rnd, challenge_id), practices, limit=None):
            for name, points in r.parts.items():
                said = any(reason.startswith(starts[name]) for reason in r.reasons)
                assert said == (points > 0), (name, r)


def test_obstacle_cues_use_the_real_vocabularies():
    with open(ROOT / "data" / "themes.csv", encoding="utf-8") as f:
        theme_slugs = {row["slug"] for row in csv.DictReader(f)}
    known = {
        "theme": theme_slugs,
        "value": set(v.OgpValue.values()),
        "outcome": set(v.OutcomeArea.values()),
        "actor": set(v.ActorType.values()),
        "evidence": set(v.EvidenceLevel.values()),
        "stage": set(v.Stage.values()),
    }
    assert set(matching.OBSTACLE_CUES) == set(v.ObstacleType.values())
    for cues in matching.OBSTACLE_CUES.values():
        assert len(cues) >= matching.CUES_FOR_FULL_FIT
        for cue in cues:
            if cue.kind == "word":
                assert all(re.fullmatch(r"[a-z]+", prefix) for prefix in cue.values)
            else:
                assert cue.values <= known[cue.kind], cue
    with pytest.raises(ValueError, match="unknown cue kind"):
        matching.Cue("colour", frozenset({"red"}), "is red")


# --------------------------------------------------------------------------- awkward input


def test_empty_texts_do_not_crash():
    c = challenge(title="", text="")
    p = practice(title="", text="")
    result = matching.score(c, p)
    assert result is not None and result.parts["text"] == 0
    assert matching.score(challenge(text=""), practice(themes=frozenset({"justice"}))) is None
    assert [r.practice_id for r in matching.rank(c, [p, practice(id=11, text="")])] == [10, 11]
    assert matching.rank(challenge(themes=frozenset(), text=""), [p]) == []


def test_hostile_text_does_not_crash():
    hostile = (
        "\x00null\u202eevil\u202c <script>alert(1)</script> [x](javascript:alert(1)) "
        '=HYPERLINK("http://x") ' + "procurement\u200b " * 8000 + "ü" * 20_000
    )
    assert len(hostile) > 100_000
    c = challenge(text=hostile)
    p = practice(text=hostile + "\x00", title="\u202e")
    result = matching.score(c, p)
    assert result is not None and 0 <= result.score <= 100
    results = matching.rank(c, [p, practice(id=11, text=hostile[::-1])], limit=None, min_score=0)
    assert {r.practice_id for r in results} == {10, 11}
    for r in results:
        for reason in r.reasons:
            assert reason.isprintable()
            assert not set(reason) & set("<>[]\x00\u202e\u202c")


def test_unknown_vocabulary_values_do_not_crash():
    c = challenge(obstacle_type="weather", ogp_values=frozenset({"mystery"}))
    p = practice(
        stage="unheard_of",
        early_results="odd",
        completion="??",
        evidence_level="rumour",
        ogp_values=frozenset({"mystery"}),
    )
    result = matching.score(c, p)
    assert result.parts["obstacle"] == 0 and result.parts["progress"] == 0
    assert "Same OGP value: Mystery" in result.reasons


# --------------------------------------------------------------------------- the page's words


def test_how_it_works_mentions_every_weight():
    text = matching.HOW_IT_WORKS
    for name, weight in matching.WEIGHTS.items():
        assert f"up to {weight} points" in text, name
    points = {k: f"{matching.WEIGHT_PROGRESS * x:g}" for k, x in matching.PROGRESS_SHARES.items()}
    assert f"{points['stage']} for the stage reached" in text
    assert f"{points['results']} for early results" in text
    assert f"{points['evidence']} for the level of evidence" in text
    assert f"under {matching.DEFAULT_MIN_SCORE:g} points" in text
    assert "other countries" in text
    for obstacle in v.ObstacleType:
        assert f"*{obstacle.label}*" in text
    assert sum(matching.WEIGHTS.values()) == 100


def test_how_it_works_follows_the_weights(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(matching, "WEIGHT_THEMES", 37)
    assert "up to 37 points" in matching._how_it_works()


# --------------------------------------------------------------------------- the shipped seed


def test_every_seeded_challenge_gets_a_match_from_another_country(readonly_engine):
    with read_session(readonly_engine) as session:
        names = repository.theme_names(session=session)
        challenges = repository.list_challenges(session=session)
        rows = repository.list_practices(session=session, limit=10_000)
        practices = [repository.get_practice(session=session, practice_id=r.id) for r in rows]
    assert challenges and practices
    challenge_profiles = [matching.ChallengeProfile.of(c) for c in challenges]
    practice_profiles = [matching.PracticeProfile.of(p) for p in practices]
    country_of = {p.id: p.country_code for p in practices}

    first = practices[0]
    profile = practice_profiles[0]
    assert first.title in profile.text and first.summary in profile.text
    assert profile.stage == first.stage.value and profile.themes == frozenset(first.themes)

    by_challenge = matching.rank_all(challenge_profiles, practice_profiles, theme_names=names)
    for c in challenges:
        results = by_challenge[c.id]
        assert results, f"no match for challenge {c.slug}"
        assert all(country_of[r.practice_id] != c.country_code for r in results)
        assert all(r.reasons for r in results)
        best = results[0]
        assert best.score >= 40, (c.slug, best)
        assert any(reason.startswith("Shares ") for reason in best.reasons)
        theme_reason = next(r for r in best.reasons if r.startswith("Shares "))
        assert set(theme_reason.split(": ", 1)[1].split(", ")) <= set(names.values())


def test_count_agrees_with_ranking_everything():
    rnd = random.Random(5)
    practices = [random_practice(rnd, i) for i in range(300)]
    corpus = matching.Corpus(practices)
    for number in range(30):
        c = random_challenge(rnd, number)
        for min_score in (0.0, matching.DEFAULT_MIN_SCORE, 45.0):
            everything = corpus.rank(c, limit=None, min_score=min_score)
            assert corpus.count(c, min_score=min_score) == len(everything)


def test_word_forms_and_synonyms_count_as_one_word():
    same = [
        ("municipality", "municipalities", "opština", "opštine", "komuna", "општина"),
        ("waste", "otpad", "otpada", "mbeturina", "отпад", "landfills"),
        ("procurement", "nabavke", "prokurim"),
        ("budget", "budžet", "buxhet", "буџет"),
        ("bicycle", "bicycles"),
    ]
    for words in same:
        assert len({matching.term(fold(w)) for w in words}) == 1, words
    assert matching.term("waste") != matching.term("budget")
    # What the page says about word forms is true.
    for words in matching.SYNONYM_EXAMPLES:
        assert "/".join(words) in matching.HOW_IT_WORKS
    assert "'municipalities' is 'municipality', 'opštine' is 'opština'" in matching.HOW_IT_WORKS


def test_places_never_count_as_wording():
    text = "Albania Albanian Shqipëria Тирана Beograd serbian Kosova Sarajevo Crna Gora Skopje"
    assert matching.wording(text).counts == {}
    kept = matching.wording("CRTA publishes the budget of Podgorica")
    assert kept.written == {"crt": "CRTA", "~budget": "budget", "publish": "publishes"}
