"""The facet index and the matching corpus follow writes by taking in only what changed, and
end up exactly as a full rebuild would: same facets, same matches (SQLite and PostgreSQL)."""

import random

import numpy as np
import pytest
import sqlalchemy as sa
from sqlmodel import Session

from forumdash import facet_index, matching, matchmaking, repository, workflow
from forumdash import vocab as v
from forumdash.db import read_session, write_session
from forumdash.filters import PracticeFilters
from forumdash.models import PracticeCreate
from forumdash.versioned_cache import data_version

TOPICS = [
    "municipal waste collection and recycling",
    "public procurement contracts and tenders",
    "local budget spending",
    "court judgments published online",
    "e-petitions to parliament",
]
THEMES = ["open-data", "anti-corruption", "open-budgets", "local-government", "other", "justice"]


def _record(rnd: random.Random, number: int, workflow_state: v.Workflow) -> PracticeCreate:
    topic = rnd.choice(TOPICS)
    return PracticeCreate(
        slug=f"test-incremental-{number}",
        title=f"TEST DATA {number}: {topic}",
        country=rnd.choice(["AL", "BA", "XK", "ME", "MK", "RS"]),
        summary=f"TEST DATA. A made-up practice on {topic}; it names no real institution.",
        level=rnd.choice(v.GovLevel.values()),
        actor_type=rnd.choice(v.ActorType.values()),
        stage=rnd.choice(v.Stage.values()),
        start_year=rnd.choice([None, 2015, 2020]),
        themes=rnd.sample(THEMES, rnd.randint(1, 3)),
        ogp_values=rnd.sample(v.OgpValue.values(), rnd.randint(0, 2)),
        sample=True,
        workflow=workflow_state,
    )


def _published_ids(session: Session) -> list[int]:
    rows = session.execute(sa.text("SELECT id FROM practice WHERE workflow = 'published'"))
    return sorted(int(r[0]) for r in rows)


def _write(session: Session, rnd: random.Random, step: int) -> str:
    """One random write of the kinds the product makes; returns its kind."""
    kind = rnd.choice(["create", "create draft", "edit", "publish", "unpublish", "delete"])
    published = _published_ids(session)
    drafts = [
        int(r[0])
        for r in session.execute(sa.text("SELECT id FROM practice WHERE workflow <> 'published'"))
    ]
    made = [
        int(r[0])
        for r in session.execute(
            sa.text("SELECT id FROM practice WHERE slug LIKE 'test-incremental-%'")
        )
    ]
    if kind == "create":
        repository.create_practice(
            session=session, practice_in=_record(rnd, step, v.Workflow.published)
        )
    elif kind == "create draft":
        repository.create_practice(
            session=session, practice_in=_record(rnd, step, v.Workflow.draft)
        )
    elif kind == "edit" and published:
        target = rnd.choice(published)
        record = workflow.record_of(session=session, practice_id=target)
        changed = record.model_copy(
            update={
                "title": f"{record.title[:150]} and {rnd.choice(TOPICS)}",
                "themes": rnd.sample(THEMES, rnd.randint(1, 3)),
                "stage": v.Stage(rnd.choice(v.Stage.values())),
            }
        )
        repository.update_practice(session=session, practice_id=target, practice_in=changed)
    elif kind == "publish" and drafts:
        repository.set_practice_workflow(
            session=session, practice_id=rnd.choice(drafts), workflow=v.Workflow.published
        )
    elif kind == "unpublish" and published:
        repository.set_practice_workflow(
            session=session,
            practice_id=rnd.choice(published),
            workflow=rnd.choice([v.Workflow.rejected, v.Workflow.draft]),
            reason="TEST DATA: taken down",
        )
    elif kind == "delete" and made:
        # Only practices this test made: nothing else refers to them.
        target = rnd.choice(made)
        for table in ("practice_theme", "practice_value", "practice_outcome"):
            session.execute(sa.text(f"DELETE FROM {table} WHERE practice_id = :id"), {"id": target})
        session.execute(sa.text("DELETE FROM practice WHERE id = :id"), {"id": target})
    else:
        return "nothing"
    return kind


def _same_index(incremental: facet_index.FacetIndex, full: facet_index.FacetIndex) -> None:
    assert incremental.options == full.options
    assert np.array_equal(incremental.ids, full.ids)
    assert np.array_equal(incremental.start_year, full.start_year)
    for name in full.codes:
        assert np.array_equal(incremental.codes[name], full.codes[name]), name
    for name in full.bits:
        assert np.array_equal(incremental.bits[name], full.bits[name]), name
    assert incremental.snapshot is not None and full.snapshot is not None
    assert np.array_equal(incremental.snapshot.published, full.snapshot.published)


def _matches(session: Session, corpus: matching.Corpus) -> dict[int, list[tuple[int, float]]]:
    challenges = repository.list_challenges(session=session)
    profiles = [matching.ChallengeProfile.of(c) for c in challenges]
    extra = matching.ChallengeProfile(
        id=-1,
        country_code="GB",
        title="Municipal waste and procurement",
        text="TEST DATA: municipal waste, procurement tenders, budget, court judgments, petitions",
        themes=frozenset({"other"}),
        ogp_values=frozenset(),
        obstacle_type="data",
    )
    return {
        c.id: [(r.practice_id, r.score) for r in corpus.rank(c, limit=None, min_score=0)]
        for c in [*profiles, extra]
    }


@pytest.mark.parametrize("seed", [1, 2])
def test_incremental_equals_full_rebuild_after_random_writes(
    seeded_engine, monkeypatch: pytest.MonkeyPatch, seed: int
):
    full_builds = {"index": 0, "pool": 0}

    def counting(name: str, build):  # type: ignore[no-untyped-def]
        def counted(session, key):  # type: ignore[no-untyped-def]
            full_builds[name] += 1
            return build(session, key)

        return counted

    monkeypatch.setattr(facet_index._INDEXES, "_build", counting("index", facet_index._load))
    monkeypatch.setattr(matchmaking._POOLS, "_build", counting("pool", matchmaking._build_pool))
    monkeypatch.setattr(facet_index._INDEXES, "_values", {})
    monkeypatch.setattr(matchmaking._POOLS, "_values", {})
    rnd = random.Random(seed)
    with read_session(seeded_engine) as session:
        facet_index.get(session)
        matchmaking._pool(session)
    assert full_builds == {"index": 1, "pool": 1}

    kinds = set()
    writes = 0
    for _step in range(12):
        with write_session(seeded_engine) as session:
            for _ in range(rnd.randint(1, 3)):
                writes += 1
                kinds.add(_write(session, rnd, writes))
        with read_session(seeded_engine) as session:
            key = data_version(session)
            incremental = facet_index.get(session)
            _same_index(incremental, facet_index._load(session, key))
            assert repository.facet_counts(
                session=session, filters=PracticeFilters()
            ) == repository.facet_counts_sql(session=session, filters=PracticeFilters())
            pool = matchmaking._pool(session)
            rebuilt = matchmaking._build_pool(session, key)
            assert pool.summaries == rebuilt.summaries
            assert [p.id for p in pool.corpus.practices] == _published_ids(session)
            assert _matches(session, pool.corpus) == _matches(session, rebuilt.corpus)
    # Every write was taken in without building from scratch.
    assert full_builds == {"index": 1, "pool": 1}
    assert {"create", "edit", "unpublish"} <= kinds


def test_a_renamed_theme_or_many_changes_rebuild_in_full(seeded_engine, monkeypatch):
    monkeypatch.setattr(facet_index._INDEXES, "_values", {})
    monkeypatch.setattr(matchmaking._POOLS, "_values", {})
    with read_session(seeded_engine) as session:
        first = matchmaking._pool(session)
    with write_session(seeded_engine) as session:
        session.execute(
            sa.text("UPDATE theme SET name = 'Open data (renamed)' WHERE slug = 'open-data'")
        )
        repository.create_practice(
            session=session, practice_in=_record(random.Random(3), 1, v.Workflow.published)
        )
    with read_session(seeded_engine) as session:
        pool = matchmaking._pool(session)
    assert pool is not first
    assert pool.corpus.theme_names["open-data"] == "Open data (renamed)"
    # Many changes: more than the share worth applying one by one.
    with read_session(seeded_engine) as session:
        index = facet_index.get(session)
    with write_session(seeded_engine) as session:
        rnd = random.Random(4)
        for number in range(60):
            repository.create_practice(
                session=session, practice_in=_record(rnd, 100 + number, v.Workflow.published)
            )
    with read_session(seeded_engine) as session:
        assert facet_index._update(session, data_version(session), index) is None
        assert facet_index.get(session).size == index.size + 60
