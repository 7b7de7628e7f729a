"""The inbox: the workflow tells the right people (never the one who acted), notices are worded
in the reader's language with a link, counted, read one by one or all at once, and nobody reads
another person's notices."""

import datetime as dt

import pytest
from sqlmodel import select

from forumdash import auth, i18n, notifications, repository, workflow
from forumdash import vocab as v
from forumdash.db import read_session, write_session
from forumdash.models import (
    ExchangeRequest,
    Notification,
    Practice,
    PracticeCreate,
    Suggestion,
    User,
)

FP_XK = auth.SessionUser(1, "fp@xk.example", v.Role.focal_point, "XK")
FP_XK2 = auth.SessionUser(2, "fp2@xk.example", v.Role.focal_point, "XK")
FP_AL = auth.SessionUser(3, "fp@al.example", v.Role.focal_point, "AL")
ORG = auth.SessionUser(4, "org@example.org", v.Role.organiser, None)
ORG2 = auth.SessionUser(5, "org2@example.org", v.Role.organiser, None)
EVERYONE = (FP_XK, FP_XK2, FP_AL, ORG, ORG2)
HASH = auth.hash_password("long enough password")


@pytest.fixture
def engine(seeded_engine):
    with write_session(seeded_engine) as session:
        for user in EVERYONE:
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


def record(country: str = "XK", title: str = "Municipal budget hearings online") -> PracticeCreate:
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


def told(engine) -> dict[int, list[tuple[str, str, int | None]]]:
    """Every notice, by recipient: (kind, record type, record id)."""
    with read_session(engine) as session:
        rows = session.exec(select(Notification).order_by(Notification.id)).all()
    out: dict[int, list[tuple[str, str, int | None]]] = {}
    for row in rows:
        out.setdefault(row.user_id, []).append((row.kind.value, row.record_type, row.record_id))
    return out


def clear(engine) -> None:
    with write_session(engine) as session:
        for row in session.exec(select(Notification)).all():
            session.delete(row)


def submitted_draft(engine, user=FP_XK, country="XK") -> int:
    with write_session(engine) as session:
        practice_id = workflow.save_practice(
            session=session, user=user, practice_in=record(country)
        )
        workflow.submit(session=session, user=user, practice_id=practice_id)
    return practice_id


def test_a_submission_tells_the_organisers_not_the_submitter(engine):
    practice_id = submitted_draft(engine)
    assert told(engine) == {
        ORG.id: [("submission", "practice", practice_id)],
        ORG2.id: [("submission", "practice", practice_id)],
    }
    clear(engine)
    # An organiser's own submission tells the other organiser only.
    submitted_draft(engine, user=ORG)
    assert set(told(engine)) == {ORG2.id}
    clear(engine)
    # Submitting again what waits already tells nobody twice.
    with write_session(engine) as session:
        workflow.submit(session=session, user=FP_XK, practice_id=practice_id)
    assert told(engine) == {}


def test_sent_back_and_published_tell_the_author_and_the_countrys_focal_points(engine):
    practice_id = submitted_draft(engine)
    clear(engine)
    with write_session(engine) as session:
        workflow.reject(
            session=session,
            user=ORG,
            practice_id=practice_id,
            reason="Add a source",
            expected_version=workflow.record_version(session=session, practice_id=practice_id),
        )
    notices = told(engine)
    assert set(notices) == {FP_XK.id, FP_XK2.id}  # not the organiser who acted, not AL
    assert notices[FP_XK.id] == [("sent_back", "practice", practice_id)]
    with read_session(engine) as session:
        shown, total = notifications.notices(session, FP_XK)
    assert total == 1
    assert shown[0].title == "The practice “Municipal budget hearings online” was sent back"
    assert shown[0].detail == "Reason: Add a source"
    assert (shown[0].page, shown[0].params) == (
        "pages/submit.py",
        {"kind": "practice", "id": str(practice_id)},
    )
    clear(engine)
    with write_session(engine) as session:
        workflow.submit(session=session, user=FP_XK, practice_id=practice_id)
        workflow.approve(
            session=session,
            user=ORG2,
            practice_id=practice_id,
            expected_version=workflow.record_version(session=session, practice_id=practice_id),
        )
    notices = told(engine)
    assert notices[FP_XK.id] == [("published", "practice", practice_id)]
    assert notices[FP_XK2.id] == [("published", "practice", practice_id)]
    assert notices[ORG.id] == [("submission", "practice", practice_id)]  # resubmitted
    # The one who approved: told of the resubmission, not of their own approval.
    assert notices[ORG2.id] == [("submission", "practice", practice_id)]
    with read_session(engine) as session:
        shown, _total = notifications.notices(session, FP_XK2)
    assert shown[0].title == "The practice “Municipal budget hearings online” is published"
    assert (shown[0].page, shown[0].path) == ("pages/practice.py", "/practice")


def test_an_organisers_record_tells_its_author_when_another_organiser_reviews_it(engine):
    practice_id = submitted_draft(engine, user=ORG, country="GE")  # Georgia: no focal point here
    clear(engine)
    with write_session(engine) as session:
        workflow.approve(
            session=session,
            user=ORG2,
            practice_id=practice_id,
            expected_version=workflow.record_version(session=session, practice_id=practice_id),
        )
    assert told(engine) == {ORG.id: [("published", "practice", practice_id)]}


def test_a_submitted_edit_of_a_published_record_and_its_review(engine):
    with read_session(engine) as session:
        published = session.exec(
            select(Practice).where(Practice.country_code == "XK", Practice.workflow == "published")
        ).first()
        original = workflow.record_of(session=session, practice_id=published.id)
    edited = original.model_copy(update={"title": "A clearer title for the practice"})
    with write_session(engine) as session:
        workflow.save_practice(
            session=session,
            user=FP_XK2,
            practice_in=edited,
            practice_id=published.id,
            expected_version=workflow.record_version(session=session, practice_id=published.id),
        )
        workflow.submit(session=session, user=FP_XK2, practice_id=published.id)
    assert set(told(engine)) == {ORG.id, ORG2.id}
    with read_session(engine) as session:
        shown, _total = notifications.notices(session, ORG)
    assert (
        shown[0].title == "Edit to review: the practice “A clearer title for the practice” (Kosovo)"
    )
    assert shown[0].page == "pages/review.py"
    clear(engine)
    with write_session(engine) as session:
        workflow.reject(
            session=session,
            user=ORG,
            practice_id=published.id,
            reason="Keep the title",
            expected_version=workflow.record_version(session=session, practice_id=published.id),
        )
    assert set(told(engine)) == {FP_XK.id, FP_XK2.id}  # the editor, and the other focal point
    with read_session(engine) as session:
        shown, _total = notifications.notices(session, FP_XK2)
    assert shown[0].title.startswith("The edit of the practice “A clearer title")
    assert shown[0].detail == "Reason: Keep the title"


def test_a_correction_tells_the_organisers_and_the_countrys_focal_points(engine):
    with read_session(engine) as session:
        published = session.exec(
            select(Practice).where(Practice.country_code == "XK", Practice.workflow == "published")
        ).first()
        milestone = repository.list_milestones(session=session, country="AL")[0]
    with write_session(engine) as session:
        workflow.flag_correction(
            session=session,
            correction_in={
                "record_type": "practice",
                "record_id": published.id,
                "what_is_wrong": "The year is wrong.",
                "what_is_right": "It started in 2019.",
            },
        )
    notices = told(engine)
    assert set(notices) == {FP_XK.id, FP_XK2.id, ORG.id, ORG2.id}  # not AL's focal point
    with read_session(engine) as session:
        fp_notice = notifications.notices(session, FP_XK)[0][0]
        org_notice = notifications.notices(session, ORG)[0][0]
    assert fp_notice.title == f"A reader sent a correction to the practice “{published.title}”"
    assert (fp_notice.page, fp_notice.params) == ("pages/practice.py", {"id": str(published.id)})
    assert org_notice.page == "pages/review.py"  # organisers resolve corrections
    clear(engine)
    with write_session(engine) as session:
        workflow.flag_correction(
            session=session,
            correction_in={
                "record_type": "milestone",
                "record_id": milestone.id,
                "what_is_wrong": "Title is unclear.",
                "what_is_right": "Say decision.",
            },
        )
    assert set(told(engine)) == {FP_AL.id, ORG.id, ORG2.id}


def test_unread_count_open_one_and_mark_all(engine):
    first = submitted_draft(engine)
    second = submitted_draft(engine)
    with read_session(engine) as session:
        assert notifications.unread_count(session, ORG.id) == 2
        shown, total = notifications.notices(session, ORG)
    assert total == 2 and [n.read for n in shown] == [False, False]
    assert {int(n.params.get("id", 0)) for n in shown} == {0}  # the review page takes none
    assert shown[0].id > shown[1].id  # newest first
    del first, second
    with write_session(engine) as session:
        opened = notifications.open_notice(session, ORG, shown[1].id)
    assert opened.read and opened.page == "pages/review.py"
    with read_session(engine) as session:
        assert notifications.unread_count(session, ORG.id) == 1
        assert notifications.unread_count(session, ORG2.id) == 2  # each person's own
    with write_session(engine) as session:
        assert notifications.mark_all_read(session, ORG) == 1
        assert notifications.mark_all_read(session, ORG) == 0
    with read_session(engine) as session:
        assert notifications.unread_count(session, ORG.id) == 0
        assert [n.read for n in notifications.notices(session, ORG)[0]] == [True, True]


def test_nobody_reads_another_persons_notice(engine):
    submitted_draft(engine)
    with read_session(engine) as session:
        theirs = notifications.notices(session, ORG)[0][0]
    with pytest.raises(notifications.NoticeNotFound), write_session(engine) as session:
        notifications.open_notice(session, ORG2, theirs.id)
    with pytest.raises(notifications.NoticeNotFound), write_session(engine) as session:
        notifications.open_notice(session, ORG2, 10**9)
    with pytest.raises(auth.PermissionDenied), read_session(engine) as session:
        notifications.notices(session, None)
    with read_session(engine) as session:
        assert notifications.unread_count(session, ORG.id) == 1  # still unread
        assert notifications.notices(session, FP_AL) == ([], 0)


def test_paging_newest_first(engine):
    with write_session(engine) as session:
        for number in range(5):
            session.add(
                Notification(
                    user_id=ORG.id,
                    kind=v.NotificationKind.submission,
                    record_type="practice",
                    record_id=None,
                    params={"title": f"T{number}"},
                    created_at=dt.datetime(2026, 1, 1 + number, tzinfo=dt.UTC),
                )
            )
    with read_session(engine) as session:
        first, total = notifications.notices(session, ORG, page=1, per_page=2)
        third, _total = notifications.notices(session, ORG, page=3, per_page=2)
    assert total == 5
    assert [n.title for n in first] == [
        "New practice to review: “T4”",
        "New practice to review: “T3”",
    ]
    assert [n.title for n in third] == ["New practice to review: “T0”"]


def test_participants_notices_are_worded_from_their_records(engine):
    with write_session(engine) as session:
        practice = session.exec(
            select(Practice).where(Practice.country_code == "AL", Practice.workflow == "published")
        ).first()
        request = ExchangeRequest(
            practice_id=practice.id,
            to_country="AL",
            name="Ana",
            from_country="ME",
            message="We would like to visit.\n" + "x" * 400,
            device_hash="d" * 64,
        )
        anonymous = ExchangeRequest(
            practice_id=practice.id, to_country="AL", from_country="RS", device_hash="e" * 64
        )
        suggestion = Suggestion(
            record_type=v.RecordType.challenge,
            title="Local councils do not publish minutes",
            country_code="XK",
            description="Minutes are on paper only.",
            device_hash="f" * 64,
        )
        session.add_all([request, anonymous, suggestion])
        session.flush()
        for kind, record_type, record_id in [
            (v.NotificationKind.exchange_request, "exchange_request", request.id),
            (v.NotificationKind.exchange_request, "exchange_request", anonymous.id),
            (v.NotificationKind.exchange_update, "exchange_request", request.id),
            (v.NotificationKind.suggestion, "suggestion", suggestion.id),
            (v.NotificationKind.suggestion, "suggestion", 10**8),  # gone
            (v.NotificationKind.exchange_request, "exchange_request", 10**8),  # gone
        ]:
            notifications.notify(
                session,
                kind=kind,
                recipients=[FP_AL.id],
                record_type=record_type,
                record_id=record_id,
                params={},
            )
    with read_session(engine) as session:
        shown = {n.id: n for n in notifications.notices(session, FP_AL)[0]}
    titles = [shown[k].title for k in sorted(shown)]
    assert titles == [
        f"Ana wants to learn from “{practice.title}”",
        f"Someone from Serbia wants to learn from “{practice.title}”",
        f"Request to learn from “{practice.title}”: Requested",
        "Suggested challenge for Kosovo: “Local councils do not publish minutes”",
        "A suggestion, since removed",
        "A request to learn from a practice, since removed",
    ]
    first = shown[min(shown)]
    assert first.detail.startswith("We would like to visit. xxx") and len(first.detail) <= 240
    assert (first.page, first.params) == ("pages/exchange.py", {"request": str(request.id)})
    with i18n.language("sq"), read_session(engine) as session:
        albanian = {n.id: n for n in notifications.notices(session, FP_AL)[0]}
    # Country names come from CLDR in the reader's language (the sentences are translated
    # by the catalogs once the translators have them).
    assert "Kosovë" in albanian[sorted(albanian)[3]].title
