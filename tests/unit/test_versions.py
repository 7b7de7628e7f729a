"""No edit lost (issue 14): every save of an existing record carries the version its form
started from, and one from an older form is refused with nothing written; an approval approves
the version the organiser saw; two organisers approving at once make one publication and one
history entry, on SQLite and on PostgreSQL under real concurrency."""

import dataclasses
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import select

from forumdash import repository, workflow
from forumdash import vocab as v
from forumdash.db import read_session, write_session
from forumdash.models import Challenge, Correction, Practice, Revision
from tests.unit.test_corrections import flag, published_practice
from tests.unit.test_workflow import FP_XK, ORG, add_accounts, record


@pytest.fixture
def engine(seeded_engine: Engine) -> Engine:
    return add_accounts(seeded_engine)


def version(engine: Engine, practice_id: int) -> int:
    with read_session(engine) as session:
        return workflow.record_version(session=session, practice_id=practice_id)


def new_draft(engine: Engine, title: str = "Municipal budget hearings online") -> int:
    with write_session(engine) as session:
        return workflow.save_practice(session=session, user=FP_XK, practice_in=record(title=title))


def edit(engine: Engine, practice_id: int, seen: int, user: Any = FP_XK, **changes: Any) -> int:
    with read_session(engine) as session:
        shown = workflow.editable_record(session=session, user=user, practice_id=practice_id)
    with write_session(engine) as session:
        return workflow.save_practice(
            session=session,
            user=user,
            practice_in=shown.model_copy(update=changes),
            practice_id=practice_id,
            expected_version=seen,
        )


def snapshot(engine: Engine, practice_id: int) -> dict[str, Any]:
    with read_session(engine) as session:
        row = session.get(Practice, practice_id)
        assert row is not None
        revisions = repository.practice_history(session=session, practice_id=practice_id)
        return row.model_dump() | {"revisions": len(revisions)}


def test_every_change_raises_the_version(engine: Engine) -> None:
    practice_id = new_draft(engine)
    assert version(engine, practice_id) == 1
    edit(engine, practice_id, 1, summary="Hearings streamed, minuted and archived.")
    assert version(engine, practice_id) == 2
    with write_session(engine) as session:
        workflow.submit(session=session, user=FP_XK, practice_id=practice_id)
    assert version(engine, practice_id) == 3  # a workflow move is a change too
    edit(engine, practice_id, 3, summary="The same summary, unchanged text after all.")
    assert version(engine, practice_id) == 4


def test_a_save_from_an_older_form_is_refused_and_changes_nothing(engine: Engine) -> None:
    practice_id = new_draft(engine)
    with read_session(engine) as session:
        started = workflow.editable_record(session=session, user=FP_XK, practice_id=practice_id)
    # The other tab saves first.
    edit(engine, practice_id, 1, title="Budget hearings streamed by the municipality")
    before = snapshot(engine, practice_id)
    with pytest.raises(workflow.StaleEdit) as refused, write_session(engine) as session:
        workflow.save_practice(
            session=session,
            user=FP_XK,
            practice_in=started.model_copy(update={"summary": "Typed in the first tab."}),
            practice_id=practice_id,
            expected_version=1,
        )
    assert snapshot(engine, practice_id) == before
    stale = refused.value
    assert "nothing was saved" in str(stale)
    assert stale.version == 2 and stale.record_id == practice_id
    assert stale.current.title == "Budget hearings streamed by the municipality"
    # What changed meanwhile: the title only (not what the refused form typed).
    assert stale.changes_since(started) == [
        ("title", started.title, "Budget hearings streamed by the municipality")
    ]
    # Having seen it, the person may save over it deliberately, at the version now stored.
    edit(engine, practice_id, stale.version, summary="Typed in the first tab.")
    assert version(engine, practice_id) == 3


def test_an_edit_of_an_existing_record_must_say_its_version(engine: Engine) -> None:
    practice_id = new_draft(engine)
    with pytest.raises(TypeError), write_session(engine) as session:
        workflow.save_practice(
            session=session, user=FP_XK, practice_in=record(), practice_id=practice_id
        )


def test_an_organisers_save_over_a_pending_edit_it_did_not_see_is_refused(engine: Engine) -> None:
    practice_id, _published = published_practice(engine)
    seen = version(engine, practice_id)
    with read_session(engine) as session:
        country = session.get(Practice, practice_id).country_code  # type: ignore[union-attr]
    focal_point = dataclasses.replace(FP_XK, country_code=country)
    edit(engine, practice_id, seen, user=focal_point, summary="A focal point's waiting edit.")
    with read_session(engine) as session:
        row = session.get(Practice, practice_id)
        assert row is not None and row.pending is not None  # waiting, the published text online
    assert version(engine, practice_id) == seen + 1
    with pytest.raises(workflow.StaleEdit), write_session(engine) as session:
        workflow.save_practice(
            session=session,
            user=ORG,
            practice_in=_published.model_copy(update={"title": "An organiser's fix"}),
            practice_id=practice_id,
            expected_version=seen,
        )


def test_a_new_forms_second_save_is_the_same_record_or_refused(engine: Engine) -> None:
    with write_session(engine) as session:
        first = workflow.save_practice(
            session=session, user=FP_XK, practice_in=record(), client_key="k" * 32
        )
    # A double click: the same text again is the same save.
    with write_session(engine) as session:
        again = workflow.save_practice(
            session=session, user=FP_XK, practice_in=record(), client_key="k" * 32
        )
    assert again == first and version(engine, first) == 1
    # The same new form's other tab, with other text: not put over the first unseen.
    with pytest.raises(workflow.StaleEdit) as refused, write_session(engine) as session:
        workflow.save_practice(
            session=session,
            user=FP_XK,
            practice_in=record(title="Typed in the other tab"),
            client_key="k" * 32,
        )
    assert refused.value.record_id == first
    assert refused.value.changes_since(record(title="Typed in the other tab"))[0][0] == "title"
    with read_session(engine) as session:
        assert session.get(Practice, first).title == record().title  # type: ignore[union-attr]


def test_a_challenges_stale_save_is_refused(engine: Engine) -> None:
    with read_session(engine) as session:
        row = session.exec(select(Challenge).order_by(Challenge.id)).first()
        assert row is not None and row.id is not None
        shown = workflow.editable_record(session=session, user=ORG, challenge_id=row.id)
        seen = row.version
    with write_session(engine) as session:
        workflow.save_challenge(
            session=session,
            user=ORG,
            challenge_in=shown.model_copy(update={"title": "Renamed in the other tab"}),
            challenge_id=row.id,
            expected_version=seen,
        )
    with pytest.raises(workflow.StaleEdit) as refused, write_session(engine) as session:
        workflow.save_challenge(
            session=session,
            user=ORG,
            challenge_in=shown.model_copy(update={"description": "Typed here."}),
            challenge_id=row.id,
            expected_version=seen,
        )
    assert refused.value.current.title == "Renamed in the other tab"
    with read_session(engine) as session:
        assert session.get(Challenge, row.id).description == shown.description  # type: ignore[union-attr]


def submitted_draft(engine: Engine) -> tuple[int, int]:
    practice_id = new_draft(engine)
    with write_session(engine) as session:
        workflow.submit(session=session, user=FP_XK, practice_id=practice_id)
    with read_session(engine) as session:
        (item,) = [
            i
            for i in workflow.review_queue(session=session, user=ORG)
            if i.ids == {"practice_id": practice_id}
        ]
    return practice_id, item.version


def publications(engine: Engine, practice_id: int) -> list[Revision]:
    with read_session(engine) as session:
        return [
            r
            for r in repository.practice_history(session=session, practice_id=practice_id)
            if r.action == "published"
        ]


def test_approving_a_version_the_organiser_did_not_see_is_refused(engine: Engine) -> None:
    practice_id, seen = submitted_draft(engine)
    # The focal point edits the submission after the organiser opened it.
    edit(engine, practice_id, seen, summary="Changed while the organiser was reading.")
    with pytest.raises(workflow.StaleEdit) as refused, write_session(engine) as session:
        workflow.approve(session=session, user=ORG, practice_id=practice_id, expected_version=seen)
    assert "changed since you opened it" in str(refused.value)
    assert refused.value.current.summary == "Changed while the organiser was reading."
    assert publications(engine, practice_id) == []
    with read_session(engine) as session:
        queue = workflow.review_queue(session=session, user=ORG)
    (item,) = [i for i in queue if i.ids == {"practice_id": practice_id}]  # still waiting
    assert item.version == refused.value.version
    with pytest.raises(workflow.StaleEdit), write_session(engine) as session:
        workflow.reject(
            session=session,
            user=ORG,
            practice_id=practice_id,
            reason="Too short.",
            expected_version=seen,
        )
    # Seen now: approved as shown.
    with write_session(engine) as session:
        workflow.approve(
            session=session, user=ORG, practice_id=practice_id, expected_version=item.version
        )
    assert len(publications(engine, practice_id)) == 1


def test_a_second_approval_finds_it_approved(engine: Engine) -> None:
    practice_id, seen = submitted_draft(engine)
    with write_session(engine) as session:
        workflow.approve(session=session, user=ORG, practice_id=practice_id, expected_version=seen)
    with pytest.raises(workflow.WorkflowError, match="already approved"):
        with write_session(engine) as session:
            workflow.approve(
                session=session, user=ORG, practice_id=practice_id, expected_version=seen
            )
    assert len(publications(engine, practice_id)) == 1


def _waiting_on_a_lock(engine: Engine) -> bool:
    """Whether another connection waits on a lock (PostgreSQL); SQLite cannot tell."""
    if engine.dialect.name != "postgresql":
        return True
    with engine.connect() as conn:
        waiting = conn.execute(
            sa.text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
        ).scalar_one()
    return bool(waiting)


def _in_thread(work: Callable[[], None], failures: list[BaseException]) -> threading.Thread:
    def run() -> None:
        try:
            work()
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            failures.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_two_organisers_approving_at_once_make_one_publication(engine: Engine) -> None:
    """The first approval holds its transaction open while the second starts on another
    connection (on PostgreSQL: until the second is seen waiting on the row's lock); then the
    first commits, and the second finds the submission approved."""
    practice_id, seen = submitted_draft(engine)
    first_in = threading.Event()
    let_first_commit = threading.Event()
    first_failures: list[BaseException] = []
    second_failures: list[BaseException] = []

    def first() -> None:
        with write_session(engine) as session:
            workflow.approve(
                session=session, user=ORG, practice_id=practice_id, expected_version=seen
            )
            first_in.set()
            assert let_first_commit.wait(60)

    def second() -> None:
        with write_session(engine) as session:
            workflow.approve(
                session=session, user=ORG, practice_id=practice_id, expected_version=seen
            )

    one = _in_thread(first, first_failures)
    assert first_in.wait(60)
    two = _in_thread(second, second_failures)
    for _attempt in range(600):  # until the second waits on the first's lock (PostgreSQL)
        if _waiting_on_a_lock(engine):
            break
        time.sleep(0.05)
    else:
        pytest.fail("the second approval never waited for the first")
    let_first_commit.set()
    one.join(60)
    two.join(60)
    assert first_failures == []
    assert len(second_failures) == 1
    assert isinstance(second_failures[0], workflow.WorkflowError)
    assert "already approved" in str(second_failures[0])
    assert len(publications(engine, practice_id)) == 1
    with read_session(engine) as session:
        row = session.get(Practice, practice_id)
        assert row is not None and row.workflow == v.Workflow.published


def test_two_focal_points_saving_at_once_lose_nothing(engine: Engine) -> None:
    """Two tabs save the same version at once: one is saved, the other refused."""
    practice_id = new_draft(engine)
    with read_session(engine) as session:
        shown = workflow.editable_record(session=session, user=FP_XK, practice_id=practice_id)
    first_in = threading.Event()
    let_first_commit = threading.Event()
    failures: list[BaseException] = []

    def save(summary: str, hold: bool) -> Callable[[], None]:
        def work() -> None:
            with write_session(engine) as session:
                workflow.save_practice(
                    session=session,
                    user=FP_XK,
                    practice_in=shown.model_copy(update={"summary": summary}),
                    practice_id=practice_id,
                    expected_version=1,
                )
                if hold:
                    first_in.set()
                    assert let_first_commit.wait(60)

        return work

    one = _in_thread(save("Saved by the first tab.", True), failures)
    assert first_in.wait(60)
    two = _in_thread(save("Saved by the second tab.", False), failures)
    for _attempt in range(600):
        if _waiting_on_a_lock(engine):
            break
        time.sleep(0.05)
    let_first_commit.set()
    one.join(60)
    two.join(60)
    assert len(failures) == 1 and isinstance(failures[0], workflow.StaleEdit)
    with read_session(engine) as session:
        assert session.get(Practice, practice_id).summary == "Saved by the first tab."  # type: ignore[union-attr]


def test_a_correction_of_a_record_changed_meanwhile_is_refused(engine: Engine) -> None:
    practice_id, published = published_practice(engine)
    correction_id = flag(engine, "practice", practice_id, {"summary": "The right summary."})
    seen = version(engine, practice_id)  # the organiser opens the correction
    edit(engine, practice_id, seen, user=ORG, title="Renamed meanwhile")
    with pytest.raises(workflow.StaleEdit, match="changed since you opened the correction"):
        with write_session(engine) as session:
            workflow.accept_correction(
                session=session, user=ORG, correction_id=correction_id, expected_version=seen
            )
    with read_session(engine) as session:
        correction = session.get(Correction, correction_id)
        row = session.get(Practice, practice_id)
        assert correction is not None and correction.status == v.CorrectionStatus.open
        assert row is not None and row.summary == published.summary
    with write_session(engine) as session:
        workflow.accept_correction(
            session=session,
            user=ORG,
            correction_id=correction_id,
            expected_version=workflow.record_version(session=session, practice_id=practice_id),
        )
    with read_session(engine) as session:
        assert session.get(Practice, practice_id).summary == "The right summary."  # type: ignore[union-attr]


def test_imports_raise_the_version_so_open_forms_are_refused(engine: Engine) -> None:
    """An import writes through the repository without a form's version (it replaces records
    wholesale after its own preview), but it raises the version: a form opened before it
    cannot put its older text over the import unseen."""
    practice_id = new_draft(engine)
    with write_session(engine) as session:
        stored = workflow.record_of(session=session, practice_id=practice_id)
        repository.update_practice(
            session=session,
            practice_id=practice_id,
            practice_in=stored.model_copy(update={"summary": "As imported."}),
        )
    assert version(engine, practice_id) == 2
    with pytest.raises(workflow.StaleEdit):
        edit(engine, practice_id, 1, summary="From a form opened before the import.")


# PostgreSQL only: SQLite's write transactions take the lock up front, so no write interleaves.
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_write_from_a_row_read_before_another_save_counts_a_version_of_its_own(
    engine: Engine,
) -> None:
    """A writer that read the row (unlocked, as an import does) before someone else's save was
    committed still makes a version of its own: counted from the stored version, not from the
    one it read, so a form drawn from that save is refused after the write lands over it."""
    assert engine.dialect.name == "postgresql"
    practice_id = new_draft(engine)
    start = version(engine, practice_id)
    with write_session(engine) as session:
        row = session.get(Practice, practice_id)  # read before the other save
        assert row is not None and row.version == start
        saved = edit(engine, practice_id, start, title="Saved by someone else meanwhile")
        assert saved == practice_id and version(engine, practice_id) == start + 1
        stored = workflow.record_of(session=session, practice_id=practice_id)
        repository.update_practice(
            session=session,
            practice_id=practice_id,
            practice_in=stored.model_copy(update={"summary": "Written by an import."}),
            action="import",
        )
    assert version(engine, practice_id) == start + 2
    with pytest.raises(workflow.StaleEdit):
        edit(engine, practice_id, start + 1, title="From the form drawn after that save")
