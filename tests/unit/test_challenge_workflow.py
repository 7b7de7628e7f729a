"""Challenges go through the same workflow as practices: drafts by the country's focal point,
review, pending edits of published ones, corrections, history; and their matches move along."""

import random

import pytest
from sqlmodel import select

from forumdash import auth, matchmaking, repository, workflow
from forumdash import vocab as v
from forumdash.db import read_session, write_session
from forumdash.models import Challenge, ChallengeCreate, Match, User
from tests.support import versions
from tests.unit.test_workflow import FP_AL, FP_XK, HASH, ORG, PARTICIPANT, add_accounts


@pytest.fixture
def engine(seeded_engine):
    return add_accounts(seeded_engine)


def challenge(country="XK", title="Municipal budget hearings are poorly attended"):
    return ChallengeCreate(
        slug="ignored",
        title=title,
        country=country,
        description="Few residents attend; minutes are not published.",
        themes=["open-budgets", "local-government"],
        ogp_values=["civic_participation"],
        obstacle_type=v.ObstacleType.cso_engagement,
        severity=v.Severity.medium,
        sources=[{"title": "Minutes", "url": "https://example.org/minutes"}],
    )


def save(engine, user, rec, **kw):
    with write_session(engine) as session:
        if kw.get("challenge_id") is not None and "expected_version" not in kw:
            # An edit from a form drawn just now (stale forms: tests/unit/test_versions.py).
            kw["expected_version"] = workflow.record_version(
                session=session, challenge_id=kw["challenge_id"]
            )
        return workflow.save_challenge(session=session, user=user, challenge_in=rec, **kw)


def public_ids(engine):
    with read_session(engine) as session:
        return {c.id for c in repository.list_challenges(session=session)}


@pytest.mark.parametrize(
    ("user", "country", "allowed"),
    [
        (None, "XK", False),
        (PARTICIPANT, "XK", False),
        (FP_AL, "XK", False),
        (FP_XK, "XK", True),
        (ORG, "GE", True),
    ],
)
def test_who_may_create_a_challenge(engine, user, country, allowed):
    if allowed:
        assert save(engine, user, challenge(country)) > 0
    else:
        with pytest.raises(auth.PermissionDenied):
            save(engine, user, challenge(country))


def test_draft_submit_approve_publish(engine):
    key = "k" * 32
    first = save(engine, FP_XK, challenge(), client_key=key)
    assert save(engine, FP_XK, challenge(), client_key=key) == first  # a second click
    with pytest.raises(workflow.StaleEdit):  # the form's other tab, with other text (issue 14)
        save(engine, FP_XK, challenge(title="Second click"), client_key=key)
    save(engine, FP_XK, challenge(title="Second click"), challenge_id=first)
    assert first not in public_ids(engine)
    with write_session(engine) as session:
        workflow.submit(session=session, user=FP_XK, challenge_id=first)
        queue = workflow.review_queue(session=session, user=ORG)
        assert (v.RecordType.challenge, first) in {(q.record_type, q.record_id) for q in queue}
        changes = workflow.review_diff(session=session, user=ORG, challenge_id=first)
        assert ("title", None, "Second click") in changes
        with pytest.raises(auth.PermissionDenied):
            workflow.approve(
                session=session,
                user=FP_XK,
                challenge_id=first,
                expected_version=workflow.record_version(session=session, challenge_id=first),
            )
        workflow.approve(
            session=session,
            user=ORG,
            challenge_id=first,
            expected_version=workflow.record_version(session=session, challenge_id=first),
        )
    assert first in public_ids(engine)
    with read_session(engine) as session:
        row = session.get(Challenge, first)
        assert row.title == "Second click" and row.workflow == v.Workflow.published
        assert row.published_at is not None


def test_rejection_reason_reaches_the_submitter_and_stays_private(engine):
    made = save(engine, FP_XK, challenge())
    with write_session(engine) as session:
        workflow.submit(session=session, user=FP_XK, challenge_id=made)
        with pytest.raises(workflow.WorkflowError):
            workflow.reject(
                session=session,
                user=ORG,
                challenge_id=made,
                reason="no",
                expected_version=workflow.record_version(session=session, challenge_id=made),
            )
        workflow.reject(
            session=session,
            user=ORG,
            challenge_id=made,
            reason="Add a source.",
            expected_version=workflow.record_version(session=session, challenge_id=made),
        )
    with read_session(engine) as session:
        mine = workflow.my_records(session=session, user=FP_XK, record_type=v.RecordType.challenge)
        item = next(m for m in mine if m.record_id == made)
        assert item.workflow == v.Workflow.rejected and item.rejection_reason == "Add a source."
        assert all(
            m.record_id != made
            for m in workflow.my_records(
                session=session, user=FP_AL, record_type=v.RecordType.challenge
            )
        )
        history = repository.record_history(
            session=session, record_type=v.RecordType.challenge, record_id=made
        )
        assert all("rejection_reason" not in r.after for r in history)
    assert made not in public_ids(engine)


def test_edit_of_a_published_challenge_waits_for_review(engine):
    with read_session(engine) as session:
        published = session.exec(
            select(Challenge).where(
                Challenge.country_code == "XK", Challenge.workflow == v.Workflow.published
            )
        ).first()
        original = workflow.challenge_record_of(session=session, challenge_id=published.id)
    edited = original.model_copy(update={"title": "A clearer title for the same challenge"})
    save(engine, FP_XK, edited, challenge_id=published.id)
    with read_session(engine) as session:
        shown = repository.get_challenge(session=session, challenge_id=published.id)
        assert shown.title == original.title  # the published version stays online
    with write_session(engine) as session:
        workflow.submit(session=session, user=FP_XK, challenge_id=published.id)
        changes = workflow.review_diff(session=session, user=ORG, challenge_id=published.id)
        assert [c[0] for c in changes] == ["title"]
        workflow.approve(
            session=session,
            user=ORG,
            challenge_id=published.id,
            expected_version=workflow.record_version(session=session, challenge_id=published.id),
        )
    with read_session(engine) as session:
        shown = repository.get_challenge(session=session, challenge_id=published.id)
        assert shown.title == "A clearer title for the same challenge"
        assert session.get(Challenge, published.id).pending is None


def test_focal_point_cannot_touch_another_countrys_challenge(engine):
    with read_session(engine) as session:
        albanian = session.exec(select(Challenge).where(Challenge.country_code == "AL")).first()
        record = workflow.challenge_record_of(session=session, challenge_id=albanian.id)
    with pytest.raises(auth.PermissionDenied):
        save(engine, FP_XK, record.model_copy(update={"country": "XK"}), challenge_id=albanian.id)
    with pytest.raises(auth.PermissionDenied), write_session(engine) as session:
        workflow.submit(session=session, user=FP_XK, challenge_id=albanian.id)
    with pytest.raises(auth.PermissionDenied), read_session(engine) as session:
        workflow.editable_record(session=session, user=FP_XK, challenge_id=albanian.id)


def test_correction_of_a_challenge_is_credited_in_its_history(engine):
    with read_session(engine) as session:
        target = repository.list_challenges(session=session, countries=["RS"])[0]
    with write_session(engine) as session:
        correction_id = workflow.flag_correction(
            session=session,
            correction_in={
                "record_type": "challenge",
                "record_id": target.id,
                "what_is_wrong": "The year is wrong.",
                "what_is_right": "It happened in 2018.",
            },
        )
        fixed = workflow.challenge_record_of(session=session, challenge_id=target.id)
        fixed = fixed.model_copy(update={"description": fixed.description + " (2018)"})
        workflow.accept_correction(
            session=session,
            user=ORG,
            correction_id=correction_id,
            challenge_in=fixed,
            expected_version=versions.of_correction(session, correction_id),
        )
    with read_session(engine) as session:
        history = repository.record_history(
            session=session, record_type=v.RecordType.challenge, record_id=target.id
        )
        assert history[-1].action == "correct" and history[-1].correction_id == correction_id
        assert history[-1].after["description"].endswith("(2018)")
        assert repository.last_correction_date(
            session=session, record_type=v.RecordType.challenge, record_id=target.id
        )


def test_corrections_of_unpublished_challenges_are_refused(engine):
    made = save(engine, FP_XK, challenge())
    with pytest.raises(workflow.WorkflowError), write_session(engine) as session:
        workflow.flag_correction(
            session=session,
            correction_in={
                "record_type": "challenge",
                "record_id": made,
                "what_is_wrong": "Something.",
                "what_is_right": "Something else.",
            },
        )


def test_unpublished_challenges_are_invisible(engine):
    made = save(engine, FP_XK, challenge())
    with read_session(engine) as session:
        assert repository.get_challenge(session=session, challenge_id=made) is None
        assert made not in {c.id for c in repository.list_challenges(session=session)}
        assert repository.get_challenge(
            session=session, challenge_id=made, published_only=False
        ).title.startswith("Municipal")


def test_replay_rebuilds_a_challenge_after_random_edits(engine):
    rng = random.Random(7)
    made = save(engine, ORG, challenge())
    for step in range(25):
        with write_session(engine) as session:
            current = workflow.challenge_record_of(session=session, challenge_id=made)
            change = rng.choice(["title", "description", "severity", "themes", "challenge_status"])
            update = {
                "title": {"title": f"Title {step}"},
                "description": {"description": f"Description {rng.random()}"},
                "severity": {"severity": rng.choice(list(v.Severity))},
                "themes": {"themes": rng.sample(["open-data", "open-budgets", "justice"], 2)},
                "challenge_status": {"challenge_status": rng.choice(list(v.ChallengeStatus))},
            }[change]
            workflow.save_challenge(
                session=session,
                user=ORG,
                challenge_in=current.model_copy(update=update),
                challenge_id=made,
                expected_version=workflow.record_version(session=session, challenge_id=made),
            )
    with read_session(engine) as session:
        history = repository.record_history(
            session=session, record_type=v.RecordType.challenge, record_id=made
        )
        assert len(history) > 5
        assert repository.replay(history) == repository.challenge_snapshot(
            session=session, challenge_id=made
        )


# --------------------------------------------------------------------------- matches


def _pair(engine, country="RS"):
    with read_session(engine) as session:
        target = repository.list_challenges(session=session, countries=[country])[0]
        found = matchmaking.matches_for(session=session, challenge=target)
    return target, found


def test_matches_never_come_from_the_challenges_own_country(engine):
    with read_session(engine) as session:
        for target in repository.list_challenges(session=session):
            found = matchmaking.matches_for(session=session, challenge=target)
            assert found, target.title
            assert all(m.practice.country_code != target.country_code for m in found)
            assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)


@pytest.mark.parametrize(
    ("user", "allowed"), [(None, False), (PARTICIPANT, False), (FP_AL, None), (ORG, True)]
)
def test_who_may_move_a_match(engine, user, allowed):
    target, found = _pair(engine)
    best = found[0]
    if allowed is None:  # a focal point: only when one of the two countries is theirs
        allowed = user.country_code in (target.country_code, best.practice.country_code)
    if allowed:
        with write_session(engine) as session:
            matchmaking.set_state(
                session=session,
                user=user,
                challenge_id=target.id,
                practice_id=best.practice.id,
                state="accepted",
            )
        _, again = _pair(engine)
        moved = next(m for m in again if m.practice.id == best.practice.id)
        assert moved.state == v.MatchState.accepted and moved.updated_at is not None
    else:
        with pytest.raises(auth.PermissionDenied), write_session(engine) as session:
            matchmaking.set_state(
                session=session,
                user=user,
                challenge_id=target.id,
                practice_id=best.practice.id,
                state="accepted",
            )


def test_a_match_moves_through_its_states_and_stays_one_row(engine):
    target, found = _pair(engine)
    practice_id = found[-1].practice.id
    for state in ("accepted", "contacted", "adopted"):
        with write_session(engine) as session:
            matchmaking.set_state(
                session=session,
                user=ORG,
                challenge_id=target.id,
                practice_id=practice_id,
                state=state,
            )
    with read_session(engine) as session:
        rows = session.exec(select(Match).where(Match.challenge_id == target.id)).all()
        assert [(r.practice_id, r.state) for r in rows] == [(practice_id, v.MatchState.adopted)]
        assert repository.count_match_states(session=session) == {"adopted": 1}


def test_bad_matches_are_refused_with_a_message(engine):
    target, found = _pair(engine)
    with read_session(engine) as session:
        own = repository.list_practices(session=session, country=target.country_code)[0]
    for practice_id, state in (
        (own.id, "accepted"),
        (found[0].practice.id, "married"),
        (999_999, "accepted"),
    ):
        with pytest.raises(workflow.WorkflowError), write_session(engine) as session:
            matchmaking.set_state(
                session=session,
                user=ORG,
                challenge_id=target.id,
                practice_id=practice_id,
                state=state,
            )
    with read_session(engine) as session:
        assert session.exec(select(Match)).all() == []


def test_a_status_only_edit_shows_in_the_review_diff(engine):
    with read_session(engine) as session:
        target = repository.list_challenges(session=session, countries=["XK"])[0]
        original = workflow.challenge_record_of(session=session, challenge_id=target.id)
    save(
        engine,
        FP_XK,
        original.model_copy(update={"challenge_status": v.ChallengeStatus.resolved}),
        challenge_id=target.id,
    )
    with write_session(engine) as session:
        workflow.submit(session=session, user=FP_XK, challenge_id=target.id)
        changes = workflow.review_diff(session=session, user=ORG, challenge_id=target.id)
    assert changes == [("challenge_status", original.challenge_status.value, "resolved")]


def test_long_titles_get_a_slug_that_fits(engine):
    made = save(engine, FP_XK, challenge(title="Transparency" * 16))
    with read_session(engine) as session:
        assert len(session.get(Challenge, made).slug) <= 100


def test_only_the_challenges_country_records_an_adoption(engine):
    target, found = _pair(engine)
    other = next(m for m in found if m.practice.country_code != "XK")
    country = other.practice.country_code
    focal = auth.SessionUser(10, "fp@other.example", v.Role.focal_point, country)
    with write_session(engine) as session:
        # An explicit id, as the other test accounts (PostgreSQL's sequence is not moved).
        session.add(
            User(
                id=10, email=focal.email, password_hash=HASH, role=focal.role, country_code=country
            )
        )
    with write_session(engine) as session:
        matchmaking.set_state(
            session=session,
            user=focal,
            challenge_id=target.id,
            practice_id=other.practice.id,
            state="contacted",
        )
    with pytest.raises(auth.PermissionDenied), write_session(engine) as session:
        matchmaking.set_state(
            session=session,
            user=focal,
            challenge_id=target.id,
            practice_id=other.practice.id,
            state="adopted",
        )


def test_a_practice_lists_the_challenges_it_could_help_with(engine):
    with read_session(engine) as session:
        for practice in repository.published_practices(session=session)[:12]:
            helped = matchmaking.challenges_helped(session=session, practice=practice)
            assert all(c.country_code != practice.country_code for c, _ in helped)
            assert [r.score for _, r in helped] == sorted(
                (r.score for _, r in helped), reverse=True
            )
            for challenge, result in helped:
                shown = matchmaking.matches_for(session=session, challenge=challenge, limit=50)
                same = [m.score for m in shown if m.practice.id == practice.id]
                assert same == [result.score]  # the same score on both pages
