"""The pages' views cached per data version (forumdash.versioned_cache.ViewCache): shared while
nothing changes, rebuilt after any write that changes what they show, kept apart per language."""

import threading
import time
import uuid

from forumdash import matchmaking, repository, versioned_cache, warmup
from forumdash import vocab as v
from forumdash.db import read_session, write_session
from forumdash.models import ChallengeCreate, PracticeCreate
from forumdash.ui import overview
from forumdash.ui import practice as practice_ui
from forumdash.versioned_cache import ViewCache, data_version, records_version, refresh_views


def _overview(engine, language="en"):
    with read_session(engine) as session:
        return overview._OVERVIEWS.get(session, language)


def _stage_total(chart) -> int:
    """Practices counted in the by-stage chart's data (what the browser receives)."""
    (rows,) = chart.spec["datasets"].values()
    return sum(row["practices"] for row in rows)


def _publish(engine, country="ME") -> int:
    with write_session(engine) as session:
        return repository.create_practice(
            session=session,
            practice_in=PracticeCreate(
                slug=f"cache-test-{uuid.uuid4().hex[:8]}",
                title="TEST DATA: a practice published during the test",
                country=country,
                summary="TEST DATA: published to see the overview follow.",
                level=v.GovLevel.national,
                actor_type=v.ActorType.government,
                themes=["open-data"],
                stage=v.Stage.implementing,
                sample=True,
                workflow=v.Workflow.published,
            ),
        )


def _challenge(engine) -> int:
    with write_session(engine) as session:
        return repository.create_challenge(
            session=session,
            challenge_in=ChallengeCreate(
                slug=f"cache-test-{uuid.uuid4().hex[:8]}",
                title="TEST DATA: budget hearings are poorly attended",
                country="XK",
                description="TEST DATA: few residents attend; minutes are not published.",
                themes=["open-budgets"],
                ogp_values=["civic_participation"],
                obstacle_type=v.ObstacleType.cso_engagement,
                severity=v.Severity.medium,
                sources=[{"title": "TEST DATA minutes", "url": "https://example.org/minutes"}],
                workflow=v.Workflow.published,
            ),
        )


def test_overview_is_shared_until_a_practice_is_saved(seeded_engine):
    overview._OVERVIEWS.clear()
    first = _overview(seeded_engine)
    assert _overview(seeded_engine) is first  # a rerun builds nothing
    assert _stage_total(first.by_stage) == first.figures["practices"]
    _publish(seeded_engine)
    after = _overview(seeded_engine)
    assert after is not first
    assert after.figures["practices"] == first.figures["practices"] + 1
    assert _stage_total(after.by_stage) == _stage_total(first.by_stage) + 1
    # The chart's data for the screen (Arrow) is built from the same rows.
    assert isinstance(next(iter(after.by_stage.screen["datasets"].values())), bytes)


def test_overview_is_kept_per_language(seeded_engine):
    overview._OVERVIEWS.clear()
    english = _overview(seeded_engine, "en")
    albanian = _overview(seeded_engine, "sq")
    assert albanian is not english
    assert english.by_stage.spec != albanian.by_stage.spec  # titles and labels in its language
    assert _overview(seeded_engine, "en") is english
    assert _overview(seeded_engine, "sq") is albanian


def test_a_challenge_moves_the_records_version_and_the_overview(seeded_engine):
    overview._OVERVIEWS.clear()
    with read_session(seeded_engine) as session:
        before = records_version(session)
    first = _overview(seeded_engine)
    _challenge(seeded_engine)
    with read_session(seeded_engine) as session:
        after = records_version(session)
    assert after[1] == before[1]  # the practice caches (facet index, corpus) are not disturbed
    assert after[2] > before[2]
    assert _overview(seeded_engine).figures["open_challenges"] == (
        first.figures["open_challenges"] + 1
    )


def test_practice_page_follows_a_new_challenge_it_could_help(seeded_engine):
    practice_ui._VIEWS.clear()
    practice_id = _publish(seeded_engine, country="ME")
    with read_session(seeded_engine) as session:
        first = practice_ui.view(session, practice_id)
        assert practice_ui.view(session, practice_id) is first
    assert first is not None
    challenge_id = _challenge(seeded_engine)
    with read_session(seeded_engine) as session:
        after = practice_ui.view(session, practice_id)
        helped = matchmaking.challenges_helped(
            session=session,
            practice=repository.get_practice(session=session, practice_id=practice_id),
        )
    assert after is not first
    assert [c.id for c, _ in after.helped] == [c.id for c, _ in helped]
    assert challenge_id not in [c.id for c, _ in first.helped]


def test_view_cache_drops_the_least_recently_used(seeded_engine):
    built: list[int] = []

    def build(session, number: int) -> int:
        built.append(number)
        return number * 10

    cache: ViewCache[int] = ViewCache(build, max_entries=2)
    with read_session(seeded_engine) as session:
        assert [cache.get(session, n) for n in (1, 2, 1, 3, 1, 2)] == [10, 20, 10, 30, 10, 20]
    assert built == [1, 2, 3, 2]  # 2 was the least recently used when 3 came


def _wait_until(condition, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_warm_up_builds_the_corpus_and_follows_a_write(seeded_engine):
    """The warm-up thread builds the matching corpus at start and again after a write, so a
    request never builds it (forumdash.warmup)."""
    matchmaking._POOLS.clear()
    warmup.start(seeded_engine)
    try:
        with read_session(seeded_engine) as session:
            first = data_version(session)
        assert _wait_until(lambda: warmup.warmed(seeded_engine) == first)
        with read_session(seeded_engine) as session:
            assert matchmaking.ready(session, wait=0)
        _publish(seeded_engine)
        with read_session(seeded_engine) as session:
            after = data_version(session)
        assert after != first
        assert _wait_until(lambda: warmup.warmed(seeded_engine) == after)
        with read_session(seeded_engine) as session:
            assert matchmaking._POOLS.ready(session)
    finally:
        warmup.stop(seeded_engine)


def test_refresh_builds_the_recent_views_again_after_a_write(seeded_engine, monkeypatch):
    overview._OVERVIEWS.clear()
    first = _overview(seeded_engine, "sq")
    _publish(seeded_engine)
    with read_session(seeded_engine) as session:
        refresh_views(session)  # what the warm-up thread does after a write

    def no_build(*_args):
        raise AssertionError("a visitor's request built the overview")

    monkeypatch.setattr(overview._OVERVIEWS, "_build", no_build)
    after = _overview(seeded_engine, "sq")
    assert after.figures["practices"] == first.figures["practices"] + 1


def test_the_warm_up_builds_the_default_overview_before_anyone_asks(seeded_engine, monkeypatch):
    overview._OVERVIEWS.clear()
    with read_session(seeded_engine) as session:
        refresh_views(session)  # at start-up: no one has opened the overview yet

    def no_build(*_args):
        raise AssertionError("the first visitor built the overview")

    monkeypatch.setattr(overview._OVERVIEWS, "_build", no_build)
    assert _overview(seeded_engine, "en").figures["practices"] > 0


def test_a_view_being_built_is_waited_for_not_built_twice(seeded_engine):
    """The warm-up building the overview after a start, and a visitor asking for it at that
    moment: the visitor waits for that build (at 100,000 practices two builds side by side took
    twice as long each)."""
    entered, release, waiting = threading.Event(), threading.Event(), threading.Event()
    built: list[int] = []

    def build(_session, number: int) -> int:
        built.append(number)
        entered.set()
        assert release.wait(60)
        return number * 10

    class Watched(dict):
        def get(self, key, default=None):
            found = super().get(key, default)
            if found is not None:
                waiting.set()  # a second asker found the build in progress
            return found

    cache: ViewCache[int] = ViewCache(build)
    cache._building = Watched()
    results: list[int] = []

    def ask() -> None:
        with read_session(seeded_engine) as session:
            results.append(cache.get(session, 7))

    first = threading.Thread(target=ask)
    first.start()
    assert entered.wait(60)
    second = threading.Thread(target=ask)
    second.start()
    assert waiting.wait(60)
    release.set()
    first.join(60)
    second.join(60)
    assert results == [70, 70]
    assert built == [7]


def test_a_slow_view_shows_the_version_before_while_the_warm_up_builds(seeded_engine, monkeypatch):
    """Only a cache made with `stale_for`, only past STALE_AFTER_PRACTICES published practices
    and while a warm-up thread runs, and only for `stale_for` seconds: then the visitor builds
    it."""
    built: list[int] = []

    def build(session, name: str) -> int:
        if name == "a":
            built.append(records_version(session)[2])
        return records_version(session)[2]

    stale: ViewCache[int] = ViewCache(build, stale_for=30.0)
    fresh: ViewCache[int] = ViewCache(build)
    with read_session(seeded_engine) as session:  # the seed is small: always built
        url = versioned_cache._url(session)
        stale.get(session, "small")
    _challenge(seeded_engine)
    versioned_cache.set_warming(url, True)
    try:
        with read_session(seeded_engine) as session:
            assert stale.get(session, "small") == records_version(session)[2]
    finally:
        versioned_cache.set_warming(url, False)
    monkeypatch.setattr(versioned_cache, "STALE_AFTER_PRACTICES", 0)
    with read_session(seeded_engine) as session:
        url = versioned_cache._url(session)
        before = stale.get(session, "a")
        assert fresh.get(session, "a") == before
    _challenge(seeded_engine)  # moves the records version
    with read_session(seeded_engine) as session:
        now = records_version(session)[2]
        assert now > before
        assert stale.get(session, "a") == now  # no warm-up thread: built in the request
    _challenge(seeded_engine)
    built.clear()
    versioned_cache.set_warming(url, True)
    try:
        with read_session(seeded_engine) as session:
            newer = records_version(session)[2]
            assert stale.get(session, "a") == now  # the version before's
            assert fresh.get(session, "a") == newer  # a cache without stale_for builds
            assert built == [newer]
            stale.refresh(session, limit=8)  # the warm-up's work
            assert built == [newer, newer]
            assert stale.get(session, "a") == newer
        _challenge(seeded_engine)
        with read_session(seeded_engine) as session:
            key = (url, records_version(session), ("a",))
            assert stale.get(session, "a") == newer
            stale._missed[key] -= 31  # shown for longer than stale_for: now built
            assert stale.get(session, "a") == records_version(session)[2]
    finally:
        versioned_cache.set_warming(url, False)


def test_the_warm_up_rebuilds_the_views_after_a_challenge_alone(seeded_engine):
    """A challenge moves only the records version (the practice caches stay): the warm-up
    still builds the overview again, which shows open challenges, before anyone asks."""
    overview._OVERVIEWS.clear()
    warmup.start(seeded_engine)
    try:
        with read_session(seeded_engine) as session:
            first = data_version(session)
        assert _wait_until(lambda: warmup.warmed(seeded_engine) == first)
        _overview(seeded_engine, "en")
        _challenge(seeded_engine)
        with read_session(seeded_engine) as session:
            after = records_version(session)
            assert data_version(session) == first

        def built() -> bool:
            return any(key[1] == after for key in list(overview._OVERVIEWS._values))

        assert _wait_until(built)
    finally:
        warmup.stop(seeded_engine)


def test_a_build_that_asks_for_its_own_key_does_not_wait_for_itself(seeded_engine):
    calls: list[int] = []

    def build(session, number: int) -> int:
        calls.append(number)
        if len(calls) == 1:
            return cache.get(session, number) + 1
        if len(calls) == 2:  # the build in place may use the cache too (its lock is free)
            return cache.get(session, number + 1) - 1
        return number

    cache: ViewCache[int] = ViewCache(build)
    results: list[int] = []

    def ask() -> None:
        with read_session(seeded_engine) as session:
            results.append(cache.get(session, 5))

    thread = threading.Thread(target=ask, daemon=True)
    thread.start()
    thread.join(60)  # a deadlock guard, not a timing: the build finishes in milliseconds
    assert not thread.is_alive(), "the build waited for itself"
    assert results == [6]
    assert calls == [5, 5, 6]
