"""The one search box (forumdash.site_search): each kind's count is the count its own list gives
for the same words, only published records are found, any input runs, on both backends."""

import pytest

from forumdash import challenge_filters, commitment_filters, filters, repository, site_search
from forumdash import vocab as v
from forumdash.db import read_session, write_session
from forumdash.models import ChallengeCreate, PracticeCreate
from tests.support.records import add_sample_commitments
from tests.unit.test_search import HOSTILE

# Words that find records of every kind once the test commitments are in, words that find some
# kinds, words in another script, operators, and words that find nothing.
QUERIES = [
    "open data",
    "budget",
    "буџет",
    "otvoreni podaci",
    "municipal",
    "procurement OR petitions",
    '"open data" -portal',
    "consultation",
    "TEST DATA",
    "zzqx nothing",
]


def lists_count(session, q: str) -> dict[str, int]:
    """What each kind's own list (/browse, /challenges, /commitments) counts for ?q=…"""
    names = {c.code: c.name_en for c in repository.list_countries(session=session)}
    themes = repository.theme_names(session=session)
    view = filters.from_params({"q": [q]}, countries=names, themes=themes)
    _, practices, _ = repository.browse(session=session, filters=view)
    chosen, _ = challenge_filters.from_params({"q": q}, challenge_filters.options(session))
    challenges = repository.list_challenges(session=session, **challenge_filters.query(chosen))
    every = repository.all_commitments(session=session)
    known = commitment_filters.known_options(every, names)
    page = commitment_filters.browse(every, commitment_filters.from_params({"q": q}, known))
    return {"practices": practices, "challenges": len(challenges), "commitments": page.total}


def counts(found: site_search.SiteResults) -> dict[str, int]:
    return {kind.kind.name: kind.total for kind in found.kinds}


def test_each_kind_counts_what_its_own_list_counts(seeded_engine):
    add_sample_commitments(seeded_engine)
    with read_session(seeded_engine) as session:
        for q in QUERIES:
            found = site_search.search_site(session, q)
            assert counts(found) == lists_count(session, q), q
            for kind in found.kinds:
                assert len(kind.hits) == min(kind.total, site_search.SHOWN_PER_KIND)
        every_kind = counts(site_search.search_site(session, "budget"))
    assert all(every_kind.values()), every_kind  # the comparison is not all zeros


def test_hits_carry_title_country_excerpt_and_links(seeded_engine):
    ids = add_sample_commitments(seeded_engine)
    with read_session(seeded_engine) as session:
        found = site_search.search_site(session, "budget")
        practice = repository.search_practices(
            session=session, filters=filters.PracticeFilters(q="budget")
        )[1][0]
        cyrillic = site_search.search_site(session, "буџет")
    by_kind = {kind.kind.name: kind for kind in found.kinds}
    first = by_kind["practices"].hits[0]
    assert first.record_id == str(practice.id) and first.title == practice.title
    assert first.country == practice.country_name and first.excerpt
    assert "\n" not in first.excerpt and len(first.excerpt) <= site_search.EXCERPT_CHARS
    assert site_search.PRACTICES.record_path == "practice"  # /practice?id=…
    commitment = cyrillic.kinds[2].hits[0]
    assert commitment.record_id in ids and commitment.country == "Serbia"
    assert commitment.title.endswith("Отворени подаци за буџет")
    assert commitment.record_id == "RS8001"  # /commitment?id=RS8001
    paths = [(kind.record_path, kind.list_path) for kind in site_search.KINDS]
    assert paths == [
        ("practice", "browse"),
        ("challenges", "challenges"),
        ("commitment", "commitments"),
    ]


def test_titles_that_hold_the_words_come_first(seeded_engine):
    with read_session(seeded_engine) as session:
        found = site_search.search_site(session, "portal", shown=100)
        listed = repository.list_challenges(session=session, q="portal")
    challenges = next(k for k in found.kinds if k.kind is site_search.CHALLENGES)
    assert sorted(hit.record_id for hit in challenges.hits) == sorted(str(c.id) for c in listed)
    in_title = ["portal" in hit.title.lower() for hit in challenges.hits]
    assert in_title == sorted(in_title, reverse=True) and in_title[0] and not in_title[-1]


def _draft_practice(status: v.Workflow) -> PracticeCreate:
    return PracticeCreate(
        slug=f"zz-unpublished-{status.value}",
        title=f"Quokkagram register ({status.value})",
        country="RS",
        summary="Quokkagram: a word only unpublished records hold.",
        contact="wombatmail@example.org",
        level=v.GovLevel.local,
        actor_type=v.ActorType.government,
        themes=["open-data"],
        stage=v.Stage.implementing,
        sources=[{"title": "t", "url": "https://example.org"}],
        workflow=status,
    )


def _draft_challenge(status: v.Workflow) -> ChallengeCreate:
    return ChallengeCreate(
        slug=f"zz-unpublished-challenge-{status.value}",
        title="Quokkagram backlog",
        country="RS",
        description="Quokkagram is not reviewed yet.",
        themes=["open-data"],
        obstacle_type=v.ObstacleType.funding,
        severity=v.Severity.low,
        challenge_status=v.ChallengeStatus.open,
        sources=[{"title": "Notes", "url": "https://example.org/notes"}],
        workflow=status,
    )


def test_unpublished_records_and_contacts_are_never_found(seeded_engine):
    with write_session(seeded_engine) as session:
        for status in (v.Workflow.draft, v.Workflow.submitted):
            repository.create_practice(session=session, practice_in=_draft_practice(status))
            repository.create_challenge(session=session, challenge_in=_draft_challenge(status))
        published = _draft_practice(v.Workflow.published).model_copy(
            update={"title": "Wallaby register", "summary": "Published, with a contact."}
        )
        repository.create_practice(session=session, practice_in=published)
    with read_session(seeded_engine) as session:
        for q in ("quokkagram", "Quokkagram backlog", "wombatmail@example.org", "wombatmail"):
            assert site_search.search_site(session, q).total == 0, q
        published = site_search.search_site(session, "wallaby")
    assert published.total == 1  # found once published, but never by its contact


def test_the_empty_page_examples_find_something_in_the_seed(readonly_engine):
    with read_session(readonly_engine) as session:
        for example in site_search.EXAMPLES:
            found = site_search.search_site(session, example)
            assert found.kinds and found.total >= 1, example


@pytest.mark.parametrize("q", ["", "   ", '"', "-", "OR", "\x00", "🙂🚀"])
def test_words_that_search_for_nothing_give_no_kinds(readonly_engine, q):
    with read_session(readonly_engine) as session:
        found = site_search.search_site(session, q)
    assert found.kinds == () and found.total == 0


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_queries_run_and_agree_with_the_lists(readonly_engine, q):
    with read_session(readonly_engine) as session:
        found = site_search.search_site(session, q)
        if found.kinds:
            assert counts(found) == lists_count(session, q)
    assert len(found.q) <= site_search.MAX_QUERY_CHARS


def test_search_words_collapse_spaces_and_keep_the_length_any_search_reads():
    assert site_search.search_words("  open \t data\n") == "open data"
    assert site_search.search_words(None) == ""
    assert len(site_search.search_words("x" * 5000)) == site_search.MAX_QUERY_CHARS


def test_fewer_words_offers_each_word_left_out_and_keeps_phrases_whole():
    assert site_search.fewer_words('open "public data" budget') == [
        ("open", '"public data" budget'),
        ('"public data"', "open budget"),
        ("budget", 'open "public data"'),
    ]
    assert site_search.fewer_words("budget") == []
    assert site_search.fewer_words("a b c d e f g") == []  # too many to list
    assert [word for word, _ in site_search.fewer_words("waste OR garbage")] == ["waste", "garbage"]


def test_counted_nouns():
    assert site_search.PRACTICES.counted(1) == "1 practice"
    assert site_search.PRACTICES.counted(1204) == "1,204 practices"
    assert site_search.COMMITMENTS.counted(0) == "0 OGP commitments"
