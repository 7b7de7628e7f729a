"""Contributing and reviewing: who may do what (enforced in the domain), idempotent saves,
pending edits of published practices, corrections, and history."""

import pytest
from sqlmodel import select

from forumdash import auth, repository, workflow
from forumdash import vocab as v
from forumdash.db import read_session, write_session
from forumdash.filters import PracticeFilters
from forumdash.models import Correction, Practice, PracticeCreate, User
from tests.support import versions

FP_XK = auth.SessionUser(1, "fp@xk.example", v.Role.focal_point, "XK")
FP_AL = auth.SessionUser(2, "fp@al.example", v.Role.focal_point, "AL")
ORG = auth.SessionUser(3, "org@example.org", v.Role.organiser, None)
PARTICIPANT = auth.SessionUser(4, "p@example.org", v.Role.participant, None)


HASH = auth.hash_password("long enough password")  # hashed once: argon2 is slow on purpose


def add_accounts(seeded_engine):
    """The four accounts above, in the database (ids as in their SessionUser)."""
    with write_session(seeded_engine) as session:
        for user in (FP_XK, FP_AL, ORG, PARTICIPANT):
            session.add(
                User(
                    id=user.id,
                    email=user.email,
                    password_hash=HASH,
                    role=user.role,
                    country_code=user.country_code,
                )
            )
    return seeded_engine


@pytest.fixture
def engine(seeded_engine):
    return add_accounts(seeded_engine)


def record(country="XK", title="Municipal budget hearings online") -> PracticeCreate:
    return PracticeCreate(
        slug="ignored",
        title=title,
        country=country,
        summary="Hearings streamed and minuted.",
        level=v.GovLevel.local,
        actor_type=v.ActorType.government,
        themes=["open-budgets"],
        stage=v.Stage.implementing,
        sources=[{"title": "Minutes", "url": "https://example.org"}],
    )


def save(engine, user, rec, **kw):
    with write_session(engine) as session:
        if kw.get("practice_id") is not None and "expected_version" not in kw:
            # An edit from a form drawn just now (stale forms: tests/unit/test_versions.py).
            kw["expected_version"] = workflow.record_version(
                session=session, practice_id=kw["practice_id"]
            )
        return workflow.save_practice(session=session, user=user, practice_in=rec, **kw)


def public_ids(engine):
    with read_session(engine) as session:
        return {
            p.id for p in repository.matching_practices(session=session, filters=PracticeFilters())
        }


@pytest.mark.parametrize(
    ("user", "country", "allowed"),
    [
        (None, "XK", False),
        (PARTICIPANT, "XK", False),
        (FP_AL, "XK", False),
        (FP_XK, "XK", True),
        (FP_XK, "AL", False),
        (ORG, "XK", True),
        (ORG, "GE", True),
    ],
)
def test_who_may_create(engine, user, country, allowed):
    if allowed:
        assert save(engine, user, record(country)) > 0
    else:
        with pytest.raises(auth.PermissionDenied):
            save(engine, user, record(country))


def test_focal_point_cannot_edit_or_submit_another_countrys_practice(engine):
    with read_session(engine) as session:
        albanian = session.exec(select(Practice).where(Practice.country_code == "AL")).first()
    with pytest.raises(auth.PermissionDenied):
        save(engine, FP_XK, record("XK"), practice_id=albanian.id)
    with pytest.raises(auth.PermissionDenied), write_session(engine) as session:
        workflow.submit(session=session, user=FP_XK, practice_id=albanian.id)
    with read_session(engine) as session:
        assert session.get(Practice, albanian.id).title == albanian.title


@pytest.mark.parametrize("user", [None, PARTICIPANT, FP_XK, FP_AL])
def test_only_organisers_review(engine, user):
    practice_id = save(engine, FP_XK, record())
    with write_session(engine) as session:
        workflow.submit(session=session, user=FP_XK, practice_id=practice_id)
    for action in (
        lambda s: workflow.approve(
            session=s,
            user=user,
            practice_id=practice_id,
            expected_version=workflow.record_version(session=s, practice_id=practice_id),
        ),
        lambda s: workflow.reject(
            session=s,
            user=user,
            practice_id=practice_id,
            reason="no no no",
            expected_version=workflow.record_version(session=s, practice_id=practice_id),
        ),
        lambda s: workflow.review_queue(session=s, user=user),
    ):
        with pytest.raises(auth.PermissionDenied), write_session(engine) as session:
            action(session)


def test_same_form_key_never_makes_a_second_record(engine):
    first = save(engine, FP_XK, record(), client_key="form-123")
    again = save(engine, FP_XK, record(), client_key="form-123")  # a double click
    assert first == again
    # The same new form's other tab, with other text: refused, not put over the first unseen
    # (issue 14; the refusal carries the record to save over deliberately).
    with pytest.raises(workflow.StaleEdit) as refused:
        save(engine, FP_XK, record(title="Edited title"), client_key="form-123")
    assert refused.value.record_id == first
    with read_session(engine) as session:
        rows = session.exec(select(Practice).where(Practice.client_key == "form-123")).all()
    assert len(rows) == 1 and rows[0].title == record().title


def test_draft_submit_approve_publish(engine):
    practice_id = save(engine, FP_XK, record())
    assert practice_id not in public_ids(engine)
    with write_session(engine) as session:
        workflow.submit(session=session, user=FP_XK, practice_id=practice_id)
        assert [q.record_id for q in workflow.review_queue(session=session, user=ORG)] == [
            practice_id
        ]
    assert practice_id not in public_ids(engine)
    with write_session(engine) as session:
        workflow.approve(
            session=session,
            user=ORG,
            practice_id=practice_id,
            expected_version=workflow.record_version(session=session, practice_id=practice_id),
        )
    assert practice_id in public_ids(engine)


def test_reject_needs_a_reason_the_submitter_sees(engine):
    practice_id = save(engine, FP_XK, record())
    with write_session(engine) as session:
        workflow.submit(session=session, user=FP_XK, practice_id=practice_id)
    with pytest.raises(workflow.WorkflowError), write_session(engine) as session:
        workflow.reject(
            session=session,
            user=ORG,
            practice_id=practice_id,
            reason=" ",
            expected_version=workflow.record_version(session=session, practice_id=practice_id),
        )
    with write_session(engine) as session:
        workflow.reject(
            session=session,
            user=ORG,
            practice_id=practice_id,
            reason="Add a source",
            expected_version=workflow.record_version(session=session, practice_id=practice_id),
        )
    with read_session(engine) as session:
        mine = {m.practice_id: m for m in workflow.my_records(session=session, user=FP_XK)}
    assert mine[practice_id].workflow == v.Workflow.rejected
    assert mine[practice_id].rejection_reason == "Add a source"
    assert practice_id not in public_ids(engine)


def test_edit_of_a_published_practice_waits_for_review(engine):
    with read_session(engine) as session:
        published = session.exec(
            select(Practice).where(Practice.country_code == "XK", Practice.workflow == "published")
        ).first()
        original = workflow.record_of(session=session, practice_id=published.id)
    edited = original.model_copy(update={"summary": "A corrected summary of the practice."})
    save(engine, FP_XK, edited, practice_id=published.id)
    with read_session(engine) as session:
        live = repository.get_practice(session=session, practice_id=published.id)
    assert live.summary == original.summary  # still the published text
    with write_session(engine) as session:
        workflow.submit(session=session, user=FP_XK, practice_id=published.id)
        changes = workflow.review_diff(session=session, user=ORG, practice_id=published.id)
        assert [field for field, _, _ in changes] == ["summary"]
        workflow.approve(
            session=session,
            user=ORG,
            practice_id=published.id,
            expected_version=workflow.record_version(session=session, practice_id=published.id),
        )
    with read_session(engine) as session:
        live = repository.get_practice(session=session, practice_id=published.id)
        history = repository.practice_history(session=session, practice_id=published.id)
    assert live.summary == "A corrected summary of the practice."
    assert history[-1].action == "approve" and history[-1].after == {"summary": live.summary}


def test_correction_accepted_edits_the_record_and_credits_it(engine):
    with read_session(engine) as session:
        practice = session.exec(select(Practice).where(Practice.workflow == "published")).first()
        original = workflow.record_of(session=session, practice_id=practice.id)
    with write_session(engine) as session:
        correction_id = workflow.flag_correction(
            session=session,
            correction_in={
                "record_type": "practice",
                "record_id": practice.id,
                "what_is_wrong": "The summary has the wrong year.",
                "what_is_right": "It started in 2016.",
                "source": "https://example.org/a",
            },
        )
    fixed = original.model_copy(update={"summary": original.summary + " (Started 2016.)"})
    with write_session(engine) as session:
        workflow.accept_correction(
            session=session,
            user=ORG,
            correction_id=correction_id,
            practice_in=fixed,
            expected_version=versions.of_correction(session, correction_id),
        )
    with read_session(engine) as session:
        history = repository.practice_history(session=session, practice_id=practice.id)
        when = repository.last_correction_date(
            session=session, record_type=v.RecordType.practice, record_id=practice.id
        )
        status = session.get(Correction, correction_id).status
    assert history[-1].action == "correct" and history[-1].correction_id == correction_id
    assert when is not None and status == v.CorrectionStatus.accepted


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"what_is_wrong": ""}, "what is wrong"),
        ({"what_is_right": "x" * 6000}, "5,000"),
        ({"source": "javascript:alert(1)//"}, "http"),
        ({"record_id": 999999}, "does not exist"),
    ],
)
def test_bad_corrections_are_refused_and_store_nothing(engine, change, message):
    data = {
        "record_type": "practice",
        "record_id": 1,
        "what_is_wrong": "Wrong year.",
        "what_is_right": "It was 2016.",
    } | change
    with pytest.raises(workflow.WorkflowError, match=message), write_session(engine) as session:
        workflow.flag_correction(session=session, correction_in=data)
    with read_session(engine) as session:
        assert session.exec(select(Correction)).all() == []


def test_milestone_correction(engine):
    with read_session(engine) as session:
        milestone = repository.list_milestones(session=session, country="XK")[0]
    with write_session(engine) as session:
        correction_id = workflow.flag_correction(
            session=session,
            correction_in={
                "record_type": "milestone",
                "record_id": milestone.id,
                "what_is_wrong": "Title is unclear.",
                "what_is_right": "Say decision.",
            },
        )
        workflow.accept_correction(
            session=session,
            user=ORG,
            correction_id=correction_id,
            milestone_changes={"title": "Decision No. 08/139 to start OGP membership"},
            expected_version=versions.of_correction(session, correction_id),
        )
    with read_session(engine) as session:
        assert repository.list_milestones(session=session, country="XK")[0].title.startswith(
            "Decision No. 08/139"
        )


def test_unknown_account_gets_the_same_message(engine):
    with pytest.raises(auth.AuthError) as failed:
        auth.sign_in(engine, email="nobody@example.org", password="whatever")
    assert str(failed.value) == auth.FAILED


def test_a_correction_and_a_pending_edit_both_survive(engine):
    """A correction accepted while a focal point's edit waits is kept when the edit is approved
    later (the edit changes only what its author changed)."""
    with read_session(engine) as session:
        published = session.exec(
            select(Practice).where(Practice.country_code == "XK", Practice.workflow == "published")
        ).first()
        original = workflow.record_of(session=session, practice_id=published.id)
    save(
        engine,
        FP_XK,
        original.model_copy(update={"summary": "An edit in waiting."}),
        practice_id=published.id,
    )
    with write_session(engine) as session:
        correction_id = workflow.flag_correction(
            session=session,
            correction_in={
                "record_type": "practice",
                "record_id": published.id,
                "what_is_wrong": "Wrong title.",
                "what_is_right": "Say 2016.",
            },
        )
        workflow.accept_correction(
            session=session,
            user=ORG,
            correction_id=correction_id,
            changes={"title": original.title + " (2016)"},
            expected_version=versions.of_correction(session, correction_id),
        )
        workflow.submit(session=session, user=FP_XK, practice_id=published.id)
        changes = workflow.review_diff(session=session, user=ORG, practice_id=published.id)
        assert [c[0] for c in changes] == ["summary"]
        workflow.approve(
            session=session,
            user=ORG,
            practice_id=published.id,
            expected_version=workflow.record_version(session=session, practice_id=published.id),
        )
    with read_session(engine) as session:
        now = repository.get_practice(session=session, practice_id=published.id)
    assert now.title == original.title + " (2016)" and now.summary == "An edit in waiting."


def test_an_organisers_direct_edit_survives_approving_an_older_pending_edit(engine):
    with read_session(engine) as session:
        published = session.exec(
            select(Practice).where(Practice.country_code == "XK", Practice.workflow == "published")
        ).first()
        original = workflow.record_of(session=session, practice_id=published.id)
    save(
        engine,
        FP_XK,
        original.model_copy(update={"summary": "The focal point's summary."}),
        practice_id=published.id,
    )
    save(engine, ORG, original.model_copy(update={"partners": "ORG FIX"}), practice_id=published.id)
    with write_session(engine) as session:
        workflow.submit(session=session, user=FP_XK, practice_id=published.id)
        workflow.approve(
            session=session,
            user=ORG,
            practice_id=published.id,
            expected_version=workflow.record_version(session=session, practice_id=published.id),
        )
    with read_session(engine) as session:
        now = repository.get_practice(session=session, practice_id=published.id)
    assert now.partners == "ORG FIX" and now.summary == "The focal point's summary."


def test_bad_correction_fields_are_refused_and_change_nothing(engine):
    with read_session(engine) as session:
        published = session.exec(select(Practice).where(Practice.workflow == "published")).first()
        before = repository.practice_snapshot(session=session, practice_id=published.id)
    with write_session(engine) as session:
        correction_id = workflow.flag_correction(
            session=session,
            correction_in={
                "record_type": "practice",
                "record_id": published.id,
                "what_is_wrong": "Something.",
                "what_is_right": "Something else.",
            },
        )
    for changes in ({"title": ""}, {"workflow": "draft"}, {"no_such_field": "x"}):
        with pytest.raises(workflow.WorkflowError), write_session(engine) as session:
            workflow.accept_correction(
                session=session,
                user=ORG,
                correction_id=correction_id,
                changes=changes,
                expected_version=versions.of_correction(session, correction_id),
            )
    with read_session(engine) as session:
        assert repository.practice_snapshot(session=session, practice_id=published.id) == before


def test_public_history_starts_at_publication_and_hides_private_fields(engine):
    practice_id = save(engine, FP_XK, record(title="Secret draft title"))
    with write_session(engine) as session:
        workflow.submit(session=session, user=FP_XK, practice_id=practice_id)
        workflow.reject(
            session=session,
            user=ORG,
            practice_id=practice_id,
            reason="Internal: hold this for now",
            expected_version=workflow.record_version(session=session, practice_id=practice_id),
        )
    save(engine, FP_XK, record(title="Public title"), practice_id=practice_id)
    with write_session(engine) as session:
        workflow.submit(session=session, user=FP_XK, practice_id=practice_id)
        workflow.approve(
            session=session,
            user=ORG,
            practice_id=practice_id,
            expected_version=workflow.record_version(session=session, practice_id=practice_id),
        )
    with read_session(engine) as session:
        shown = repository.public_history(
            repository.practice_history(session=session, practice_id=practice_id)
        )
        names = repository.user_names(session=session)
    text = repr([(r.before, r.after) for r in shown])
    assert shown and shown[0].after["workflow"] == "published"
    assert "Secret draft title" not in text and "Internal" not in text
    assert all("@" not in name for name in names.values())


def test_submit_again_is_harmless(engine):
    practice_id = save(engine, FP_XK, record())
    for _ in range(2):
        with write_session(engine) as session:
            workflow.submit(session=session, user=FP_XK, practice_id=practice_id)
    with read_session(engine) as session:
        assert workflow.save_outcome(session=session, practice_id=practice_id).startswith(
            "Submitted"
        )


def test_login_sessions_expire_and_end(engine):
    import datetime as dt

    now = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
    with write_session(engine) as session:
        token = auth.start_login_session(session=session, user_id=FP_XK.id, now=now)
    with read_session(engine) as session:
        assert auth.resume_login_session(session=session, token=token, now=now).email == FP_XK.email
        later = now + dt.timedelta(hours=auth.SESSION_HOURS, seconds=1)
        assert auth.resume_login_session(session=session, token=token, now=later) is None
        for bad in (None, "", "x" * 43, token[:-1], token + "'; alert(1)//"):
            assert auth.resume_login_session(session=session, token=bad, now=now) is None
        stored = session.exec(select(auth.LoginSession)).one()
        assert token not in stored.token_hash  # only the hash is kept
    with write_session(engine) as session:
        auth.end_login_session(session=session, token=token)
    with read_session(engine) as session:
        assert auth.resume_login_session(session=session, token=token, now=now) is None


def test_a_stored_record_over_a_newer_limit_still_opens_and_its_edits_say_why(engine):
    """Limits added after a record was stored (a 2,000-character summary) must not make it
    impossible to open for editing, review or correction; saving it again names the limit."""
    practice_id = save(engine, FP_XK, record())
    with write_session(engine) as session:
        row = session.get(Practice, practice_id)
        row.summary = "Long summary. " * 200  # 2,800 characters, written below the schema
        session.add(row)
    with read_session(engine) as session:
        opened = workflow.editable_record(session=session, user=FP_XK, practice_id=practice_id)
    assert len(opened.summary) > 2000
    with pytest.raises(ValueError, match="at most 2,000 characters"):
        PracticeCreate.model_validate(opened.model_dump())
    with write_session(engine) as session:
        workflow.submit(session=session, user=FP_XK, practice_id=practice_id)
    with read_session(engine) as session:
        queue = workflow.review_queue(session=session, user=ORG)
        assert practice_id in {item.record_id for item in queue}


def test_public_history_does_not_show_a_pending_edits_state(engine):
    # PRIVATE_FIELDS still named the column by its name before migration 0007 (pending_status):
    # the renamed pending_workflow went into revisions, and the public history showed that an
    # edit was waiting or had been sent back.
    with read_session(engine) as session:
        published = session.exec(
            select(Practice).where(Practice.country_code == "XK", Practice.workflow == "published")
        ).first()
        original = workflow.record_of(session=session, practice_id=published.id)
    edited = original.model_copy(update={"summary": "An edit still waiting for review."})
    save(engine, FP_XK, edited, practice_id=published.id)
    with write_session(engine) as session:
        workflow.submit(session=session, user=FP_XK, practice_id=published.id)
        workflow.reject(
            session=session,
            user=ORG,
            practice_id=published.id,
            reason="Internal: not yet",
            expected_version=workflow.record_version(session=session, practice_id=published.id),
        )
    with read_session(engine) as session:
        shown = repository.public_history(
            repository.practice_history(session=session, practice_id=published.id)
        )
    text = repr([(r.before, r.after) for r in shown])
    assert "pending" not in text and "Internal" not in text
