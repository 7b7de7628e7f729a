"""Every change to a practice is a revision; replaying them rebuilds the current state."""

import random

from forumdash import repository
from forumdash import vocab as v
from forumdash.db import read_session, write_session
from forumdash.models import PracticeCreate

THEMES = ["open-data", "anti-corruption", "open-budgets", "justice", "civic-participation"]


def _record(rng: random.Random, slug: str) -> PracticeCreate:
    return PracticeCreate(
        slug=slug,
        title=f"Practice {rng.randint(1, 10_000)} Shqipëri / Србија",
        country=rng.choice(["AL", "RS", "XK"]),
        summary=rng.choice(["A summary.", "Another summary.", "Отворени подаци."]),
        body={"methods": rng.choice(["", "Workshops.", "Hearings and surveys."])},
        level=rng.choice(list(v.GovLevel)),
        actor_type=rng.choice(list(v.ActorType)),
        themes=rng.sample(THEMES, rng.randint(1, 3)),
        ogp_values=rng.sample(list(v.OgpValue), rng.randint(0, 3)),
        outcome_areas=rng.sample(list(v.OutcomeArea), rng.randint(0, 2)),
        stage=rng.choice(list(v.Stage)),
        start_year=rng.choice([None, 2014, 2019]),
        sources=[{"title": "Source", "url": f"https://example.org/{rng.randint(1, 9)}"}],
        workflow=v.Workflow.draft,
    )


def test_replay_rebuilds_the_current_state_after_random_edits(seeded_engine):
    rng = random.Random(20261127)
    with write_session(seeded_engine) as session:
        practice_id = repository.create_practice(
            session=session, practice_in=_record(rng, "zz-history"), user_id=None
        )
    changes = 1
    for step in range(40):
        with write_session(seeded_engine) as session:
            if step % 7 == 3:
                status = rng.choice(
                    [v.Workflow.submitted, v.Workflow.published, v.Workflow.rejected]
                )
                repository.set_practice_workflow(
                    session=session, practice_id=practice_id, workflow=status, reason="because"
                )
                changes += 1
            elif repository.update_practice(
                session=session, practice_id=practice_id, practice_in=_record(rng, "zz-history")
            ):
                changes += 1
    with read_session(seeded_engine) as session:
        history = repository.practice_history(session=session, practice_id=practice_id)
        current = repository.practice_snapshot(session=session, practice_id=practice_id)
    assert len(history) == changes
    assert history[0].action == "create"
    assert repository.replay(history) == current
    # Each revision holds only what changed, before and after.
    for revision in history[1:]:
        assert set(revision.before) == set(revision.after)
        assert all(revision.before[k] != revision.after[k] for k in revision.after)


def test_an_unchanged_save_records_nothing(seeded_engine):
    rng = random.Random(1)
    record = _record(rng, "zz-same")
    with write_session(seeded_engine) as session:
        practice_id = repository.create_practice(session=session, practice_in=record)
    with write_session(seeded_engine) as session:
        assert not repository.update_practice(
            session=session, practice_id=practice_id, practice_in=record
        )
    with read_session(seeded_engine) as session:
        assert len(repository.practice_history(session=session, practice_id=practice_id)) == 1
