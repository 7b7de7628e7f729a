"""Corrections that propose values field by field: checked when sent, applied exactly as
proposed to the record as it is when accepted, never overwriting a field someone else changed
meanwhile unasked, and credited in the history; corrections told in words still work."""

import datetime as dt
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from forumdash import repository, workflow
from forumdash import vocab as v
from forumdash.db import read_session, write_session
from forumdash.models import Challenge, ChallengeCreate, Correction, Practice, PracticeCreate
from tests.support import versions
from tests.unit.test_workflow import ORG, PARTICIPANT, add_accounts


@pytest.fixture
def engine(seeded_engine: Engine) -> Engine:
    return add_accounts(seeded_engine)


def published_practice(engine: Engine) -> tuple[int, PracticeCreate]:
    with read_session(engine) as session:
        row = session.exec(
            select(Practice).where(Practice.workflow == "published").order_by(Practice.id)
        ).first()
        assert row is not None and row.id is not None
        return row.id, workflow.record_of(session=session, practice_id=row.id)


def published_challenge(engine: Engine) -> tuple[int, ChallengeCreate]:
    with read_session(engine) as session:
        row = session.exec(
            select(Challenge).where(Challenge.workflow == "published").order_by(Challenge.id)
        ).first()
        assert row is not None and row.id is not None
        return row.id, workflow.challenge_record_of(session=session, challenge_id=row.id)


def flag(engine: Engine, record_type: str, record_id: int, proposed: dict[str, Any]) -> int:
    with write_session(engine) as session:
        return workflow.flag_correction(
            session=session,
            correction_in={
                "record_type": record_type,
                "record_id": record_id,
                "what_is_wrong": "The record is out of date.",
                "source": "https://example.org/report",
                "proposed": proposed,
            },
        )


def accept(engine: Engine, correction_id: int, **kw: Any) -> None:
    with write_session(engine) as session:
        kw.setdefault("expected_version", versions.of_correction(session, correction_id))
        workflow.accept_correction(session=session, user=ORG, correction_id=correction_id, **kw)


def other_theme(record: PracticeCreate | ChallengeCreate) -> str:
    return next(
        t for t in ("open-data", "open-budgets", "anti-corruption") if t not in record.themes
    )


def test_accepting_applies_exactly_the_proposal_and_credits_it(engine: Engine) -> None:
    practice_id, original = published_practice(engine)
    themes = [*original.themes[:1], other_theme(original)]
    corrected = original.model_copy(
        update={
            "themes": themes,
            "start_date": dt.date(2016, 3, 1),
            "body": original.body | {"lessons": "Publish the minutes the same week."},
            "assessment": original.assessment.model_copy(
                update={"completion": v.Completion.substantial}
            ),
        }
    )
    proposed = workflow.proposal(original, corrected)
    # Only what changed, in the Create schema's shape (a story or an assessment by its parts).
    assert proposed["themes"] == themes and proposed["start_date"] == "2016-03-01"
    assert proposed["body"] == {"lessons": "Publish the minutes the same week."}
    assert proposed["assessment"] == {"completion": "substantial"}
    assert "title" not in proposed and "slug" not in proposed
    correction_id = flag(engine, "practice", practice_id, proposed)
    with read_session(engine) as session:
        stored = session.get(Correction, correction_id)
        assert stored is not None and stored.proposed is not None
        assert stored.proposed["themes"] == themes and stored.what_is_right == ""
        changes = workflow.proposed_changes(session=session, user=ORG, correction_id=correction_id)
    assert {c.field for c in changes} >= {"themes", "start_date", "lessons", "completion"}
    assert not any(c.conflict for c in changes)
    accept(engine, correction_id)
    with read_session(engine) as session:
        after = workflow.record_of(session=session, practice_id=practice_id)
        history = repository.practice_history(session=session, practice_id=practice_id)
        status = session.get(Correction, correction_id).status  # type: ignore[union-attr]  # it exists
    assert sorted(after.themes) == sorted(themes) and after.start_date == dt.date(2016, 3, 1)
    assert after.body["lessons"] == "Publish the minutes the same week."
    assert after.assessment.completion == v.Completion.substantial
    assert after.title == original.title and after.summary == original.summary
    assert history[-1].action == "correct" and history[-1].correction_id == correction_id
    assert status == v.CorrectionStatus.accepted


def test_a_field_changed_meanwhile_by_someone_else_stays_as_it_is_now(engine: Engine) -> None:
    practice_id, original = published_practice(engine)
    correction_id = flag(
        engine,
        "practice",
        practice_id,
        workflow.proposal(original, original.model_copy(update={"partners": "The city council"})),
    )
    with write_session(engine) as session:
        workflow.save_practice(
            session=session,
            user=ORG,
            practice_in=original.model_copy(update={"summary": "An organiser's newer summary."}),
            practice_id=practice_id,
            expected_version=workflow.record_version(session=session, practice_id=practice_id),
        )
    accept(engine, correction_id)
    with read_session(engine) as session:
        after = workflow.record_of(session=session, practice_id=practice_id)
    assert after.partners == "The city council"
    assert after.summary == "An organiser's newer summary."


def test_the_same_field_changed_meanwhile_is_a_conflict_the_organiser_decides(
    engine: Engine,
) -> None:
    practice_id, original = published_practice(engine)
    correction_id = flag(
        engine,
        "practice",
        practice_id,
        workflow.proposal(original, original.model_copy(update={"title": "The reader's title"})),
    )
    with write_session(engine) as session:
        workflow.save_practice(
            session=session,
            user=ORG,
            practice_in=original.model_copy(update={"title": "An organiser's title"}),
            practice_id=practice_id,
            expected_version=workflow.record_version(session=session, practice_id=practice_id),
        )
    with read_session(engine) as session:
        (change,) = workflow.proposed_changes(
            session=session, user=ORG, correction_id=correction_id
        )
    assert change.conflict and change.was == original.title
    assert (change.now, change.proposed) == ("An organiser's title", "The reader's title")
    # Not silently overwritten: accepting without a choice is refused and changes nothing.
    with pytest.raises(workflow.WorkflowError, match="Changed since the reader wrote: title"):
        accept(engine, correction_id)
    accept(engine, correction_id, choices={"title": workflow.TAKE_PROPOSED})
    with read_session(engine) as session:
        assert workflow.record_of(session=session, practice_id=practice_id).title == (
            "The reader's title"
        )


def test_keeping_the_current_value_of_a_conflict_still_applies_the_rest(engine: Engine) -> None:
    practice_id, original = published_practice(engine)
    correction_id = flag(
        engine,
        "practice",
        practice_id,
        workflow.proposal(
            original,
            original.model_copy(update={"title": "The reader's title", "contact": "City hall"}),
        ),
    )
    with write_session(engine) as session:
        workflow.save_practice(
            session=session,
            user=ORG,
            practice_in=original.model_copy(update={"title": "An organiser's title"}),
            practice_id=practice_id,
            expected_version=workflow.record_version(session=session, practice_id=practice_id),
        )
    accept(engine, correction_id, choices={"title": workflow.KEEP_CURRENT})
    with read_session(engine) as session:
        after = workflow.record_of(session=session, practice_id=practice_id)
    assert after.title == "An organiser's title" and after.contact == "City hall"


@pytest.mark.parametrize(
    ("proposed", "message"),
    [
        ({"themes": []}, "choose 1 to 3 themes"),
        ({"end_date": "1991-01-01"}, "before the start date"),
        ({"sources": [{"title": "Bad", "url": "javascript:alert(1)"}]}, "http"),
        ({"slug": "another"}, "no field 'slug'"),
        ({"no_such_field": "x"}, "no field"),
    ],
)
def test_a_proposal_that_would_make_an_invalid_record_is_refused(
    engine: Engine, proposed: dict[str, Any], message: str
) -> None:
    practice_id, original = published_practice(engine)
    if "end_date" in proposed:
        proposed = proposed | {"start_date": "1995-01-01"}
    with pytest.raises(workflow.WorkflowError, match=message):
        flag(engine, "practice", practice_id, proposed)
    with read_session(engine) as session:
        assert session.exec(select(Correction)).all() == []


def test_a_proposal_that_changes_nothing_needs_words(engine: Engine) -> None:
    practice_id, original = published_practice(engine)
    with pytest.raises(workflow.WorkflowError, match="what is right"):
        flag(engine, "practice", practice_id, {"title": original.title})
    with read_session(engine) as session:
        assert session.exec(select(Correction)).all() == []


def test_a_challenges_severity_is_proposed_and_accepted(engine: Engine) -> None:
    challenge_id, original = published_challenge(engine)
    new = next(s for s in v.Severity if s != original.severity)
    correction_id = flag(
        engine,
        "challenge",
        challenge_id,
        workflow.proposal(original, original.model_copy(update={"severity": new})),
    )
    accept(engine, correction_id)
    with read_session(engine) as session:
        after = workflow.challenge_record_of(session=session, challenge_id=challenge_id)
        history = repository.record_history(
            session=session, record_type=v.RecordType.challenge, record_id=challenge_id
        )
    assert after.severity == new and after.title == original.title
    assert history[-1].correction_id == correction_id and history[-1].after == {
        "severity": new.value
    }


def test_a_correction_told_in_words_still_works(engine: Engine) -> None:
    practice_id, original = published_practice(engine)
    with write_session(engine) as session:
        correction_id = workflow.flag_correction(
            session=session,
            correction_in={
                "record_type": "practice",
                "record_id": practice_id,
                "what_is_wrong": "The title misses the year.",
                "what_is_right": "Add 2016 to it.",
            },
        )
        assert (
            workflow.proposed_changes(session=session, user=ORG, correction_id=correction_id) == []
        )
    accept(engine, correction_id, changes={"title": original.title + " (2016)"})
    with read_session(engine) as session:
        assert session.get(Correction, correction_id).proposed is None  # type: ignore[union-attr]  # it exists
        after = workflow.record_of(session=session, practice_id=practice_id)
    assert after.title == original.title + " (2016)"


def test_only_organisers_see_and_accept_proposals(engine: Engine) -> None:
    practice_id, original = published_practice(engine)
    correction_id = flag(
        engine,
        "practice",
        practice_id,
        workflow.proposal(original, original.model_copy(update={"partners": "Someone"})),
    )
    with pytest.raises(workflow.PermissionDenied), read_session(engine) as session:
        workflow.proposed_changes(session=session, user=PARTICIPANT, correction_id=correction_id)
    with pytest.raises(workflow.PermissionDenied), write_session(engine) as session:
        workflow.accept_correction(
            session=session,
            user=PARTICIPANT,
            correction_id=correction_id,
            expected_version=versions.of_correction(session, correction_id),
        )


def _milestone_correction(engine: Engine) -> tuple[int, int, str]:
    with write_session(engine) as session:
        milestone = repository.list_milestones(session=session)[0]
        assert milestone.id is not None
        correction_id = workflow.flag_correction(
            session=session,
            correction_in={
                "record_type": "milestone",
                "record_id": milestone.id,
                "what_is_wrong": "The title names the wrong decision.",
                "what_is_right": "It was decision 08/139.",
            },
        )
        return correction_id, milestone.id, milestone.title


@pytest.mark.parametrize(
    "changes",
    [{"title": ""}, {"title": "   "}, {"title": "x" * 201}],
    ids=["empty", "blank", "too-long"],
)
def test_a_milestone_correction_that_breaks_its_limits_is_refused(
    engine: Engine, changes: dict[str, str]
) -> None:
    # The title column holds 200 characters: PostgreSQL refused a longer one with a DataError
    # (a traceback on /review), SQLite stored it; an empty title left a milestone with no name.
    correction_id, milestone_id, title = _milestone_correction(engine)
    with pytest.raises(workflow.WorkflowError):
        accept(engine, correction_id, milestone_changes=changes)
    with read_session(engine) as session:
        milestones = {m.id: m for m in repository.list_milestones(session=session)}
        assert milestones[milestone_id].title == title
        still_open = {c.id for c in workflow.open_corrections(session=session, user=ORG)}
        assert correction_id in still_open


def test_a_milestone_correction_is_stored_clean(engine: Engine) -> None:
    correction_id, milestone_id, _ = _milestone_correction(engine)
    accept(engine, correction_id, milestone_changes={"title": "  Decision\x00 08/139  "})
    with read_session(engine) as session:
        milestones = {m.id: m for m in repository.list_milestones(session=session)}
        assert milestones[milestone_id].title == "Decision 08/139"
