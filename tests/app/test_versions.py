"""AppTest (issue 14): a form older than its record is refused with what changed meanwhile and
the typed text kept; the person loads the current version or saves theirs over it knowingly;
a review of a submission changed meanwhile shows the new version instead of approving it."""

from sqlmodel import select

from forumdash import auth, autosave, repository, workflow
from forumdash import vocab as v
from forumdash.db import read_session, write_session
from forumdash.models import Practice, PracticeCreate, User
from tests.app.test_contribute import accounts, choose_facts, field, sign_in  # noqa: F401
from tests.app.test_pages import open_page

SUMMARY = "Summary * (two or three sentences)"
TYPED = "Typed in the first tab while the other tab saved."


def _organiser(engine):
    with read_session(engine) as session:
        user = session.exec(select(User).where(User.email == "org@example.org")).one()
    return auth.SessionUser(user.id, user.email, v.Role.organiser, None)


def _published(engine) -> Practice:
    with read_session(engine) as session:
        return session.exec(
            select(Practice).where(Practice.workflow == v.Workflow.published).order_by(Practice.id)
        ).first()


def _saved_elsewhere(engine, practice_id: int, **changes) -> None:
    """Another tab (or person) saves the practice, from a form drawn just now."""
    user = _organiser(engine)
    with write_session(engine) as session:
        shown = workflow.editable_record(session=session, user=user, practice_id=practice_id)
        workflow.save_practice(
            session=session,
            user=user,
            practice_in=shown.model_copy(update=changes),
            practice_id=practice_id,
            expected_version=workflow.record_version(session=session, practice_id=practice_id),
        )


def _edit_form(engine, practice_id: int):
    org = sign_in(open_page("app.py"), "org@example.org")
    org.switch_page("pages/submit.py").run()
    org.query_params.clear()
    org.query_params["id"] = str(practice_id)
    org.run()
    assert not org.exception
    return org


def _refused_save(engine):
    practice = _published(engine)
    org = _edit_form(engine, practice.id)
    field(org.text_area, SUMMARY).input(TYPED)
    _saved_elsewhere(engine, practice.id, title="Renamed in the other tab")
    [b for b in org.button if b.label == "Save draft"][0].click().run()
    assert not org.exception
    return org, practice


def test_a_save_from_an_older_form_is_refused_showing_what_changed(accounts):  # noqa: F811
    org, practice = _refused_save(accounts)
    assert any("saved again after you opened it" in e.value for e in org.error)
    shown = " ".join(m.value for m in org.markdown)
    assert "**Changed meanwhile**" in shown and "**Title**" in shown
    assert "Renamed in the other tab" in shown.replace("\\", "")
    # The typed text is still in the form; nothing of it was saved.
    assert field(org.text_area, SUMMARY).value == TYPED
    with read_session(accounts) as session:
        stored = session.get(Practice, practice.id)
    assert stored.title == "Renamed in the other tab" and stored.summary == practice.summary


def test_saving_over_it_is_a_choice_made_after_seeing_the_difference(accounts):  # noqa: F811
    org, practice = _refused_save(accounts)
    [b for b in org.button if b.label == "Save mine over it"][0].click().run()
    assert not org.exception and not org.error, [e.value for e in org.error]
    with read_session(accounts) as session:
        stored = session.get(Practice, practice.id)
    assert stored.summary == TYPED and stored.title == practice.title
    # The form now goes with the version just saved: saving it again is not refused.
    [b for b in org.button if b.label == "Save draft"][0].click().run()
    assert not org.error, [e.value for e in org.error]


def test_loading_the_current_version_keeps_the_typed_text_to_copy(accounts):  # noqa: F811
    org, practice = _refused_save(accounts)
    [b for b in org.button if b.label == "Load the current version"][0].click().run()
    assert not org.exception and not org.error
    assert field(org.text_input, "Title *").value == "Renamed in the other tab"
    assert field(org.text_area, SUMMARY).value == practice.summary
    assert any(TYPED in c.value for c in org.code)  # the person's text, to copy
    # Loaded: a save now starts from the current version.
    field(org.text_area, SUMMARY).input(TYPED)
    [b for b in org.button if b.label == "Save draft"][0].click().run()
    assert not org.error, [e.value for e in org.error]
    with read_session(accounts) as session:
        stored = session.get(Practice, practice.id)
    assert stored.summary == TYPED and stored.title == "Renamed in the other tab"


def test_a_typed_value_is_rendered_inert_in_the_refusal(accounts):  # noqa: F811
    practice = _published(accounts)
    org = _edit_form(accounts, practice.id)
    field(org.text_area, SUMMARY).input(TYPED)
    _saved_elsewhere(accounts, practice.id, title="<b>bold</b> **stars** [link](javascript:x)")
    [b for b in org.button if b.label == "Save draft"][0].click().run()
    shown = " ".join(m.value for m in org.markdown)
    assert "**stars**" not in shown and "\\*\\*stars\\*\\*" in shown
    assert "](javascript:x)" not in shown


def test_approving_a_submission_changed_since_it_was_opened_shows_the_new_version(accounts):  # noqa: F811
    fp = sign_in(open_page("app.py"), "fp@xk.example")
    fp.switch_page("pages/submit.py").run()
    field(fp.text_input, "Title *").input("Hearings reviewed twice")
    field(fp.text_area, SUMMARY).input("The first summary.")
    field(fp.multiselect, "Themes * (1 to 3)").select("open-budgets")
    field(fp.text_area, "Sources * (one per line: title | https://..., or a citation)").input(
        "Minutes | https://example.org/m"
    )
    choose_facts(fp)
    [b for b in fp.button if b.label == "Save and submit for review"][0].click().run()
    with read_session(accounts) as session:
        saved = session.exec(
            select(Practice).where(Practice.title == "Hearings reviewed twice")
        ).one()
    org = sign_in(open_page("app.py"), "org@example.org")
    org.switch_page("pages/review.py").run()
    # The focal point edits the submission while the organiser reads it.
    field(fp.text_area, SUMMARY).input("The second summary, after the organiser opened it.")
    [b for b in fp.button if b.label == "Save draft"][0].click().run()
    assert not fp.error, [e.value for e in fp.error]
    [b for b in org.button if b.label == "Approve and publish"][0].click().run()
    assert not org.exception
    with read_session(accounts) as session:
        assert session.get(Practice, saved.id).workflow == v.Workflow.submitted
    assert any("changed since you opened it" in e.value for e in org.error)
    assert any("this is the new version" in w.value for w in org.warning)
    assert "The second summary" in " ".join(t.value for t in [*org.text, *org.markdown])
    # Seen now: approving publishes it.
    [b for b in org.button if b.label == "Approve and publish"][0].click().run()
    with read_session(accounts) as session:
        assert session.get(Practice, saved.id).workflow == v.Workflow.published


def test_text_given_back_after_a_reload_carries_the_version_it_was_typed_against(accounts):  # noqa: F811
    """The autosaved text of an edit was typed against version N; the record is saved again
    (a choice changed, no text) before the text comes back: the form says so, and its save is
    refused rather than putting the text over the newer record unseen."""
    practice = _published(accounts)
    user = _organiser(accounts)
    with read_session(accounts) as session:
        seen = workflow.record_version(session=session, practice_id=practice.id)
        shown = workflow.editable_record(session=session, user=user, practice_id=practice.id)
    with write_session(accounts) as session:
        autosave.save(
            session,
            form_key=f"submit.practice.{practice.id}",
            owner=autosave.user_owner(user.id),
            values={"summary": TYPED},
            base={"summary": shown.summary},
            page="pages/submit.py",
            params={"kind": "practice", "id": str(practice.id)},
            version=seen,
        )
    other = next(s for s in v.Stage if s != shown.stage)
    _saved_elsewhere(accounts, practice.id, stage=other)
    org = _edit_form(accounts, practice.id)  # a new session: the text comes back
    assert field(org.text_area, SUMMARY).value == TYPED
    assert any("saved again after you typed this text" in w.value for w in org.warning)
    [b for b in org.button if b.label == "Save draft"][0].click().run()
    assert any("saved again after you opened it" in e.value for e in org.error)
    shown_now = " ".join(m.value for m in org.markdown)
    assert "**Where the saved version differs from your form**" in shown_now
    # The choices were drawn from the record as it is now (only text comes back): the summary.
    assert "**Summary**" in shown_now
    with read_session(accounts) as session:
        assert session.get(Practice, practice.id).summary == practice.summary


def test_accepting_a_correction_of_a_record_changed_since_it_was_opened_is_refused(accounts):  # noqa: F811
    practice = _published(accounts)
    with write_session(accounts) as session:
        correction_id = workflow.flag_correction(
            session=session,
            correction_in={
                "record_type": "practice",
                "record_id": practice.id,
                "what_is_wrong": "The summary is out of date.",
                "proposed": {"summary": "The reader's summary."},
            },
        )
    org = sign_in(open_page("app.py"), "org@example.org")
    org.switch_page("pages/review.py").run()
    # Someone edits the practice while the organiser reads the correction.
    _saved_elsewhere(accounts, practice.id, title="Renamed while the correction was open")
    [b for b in org.button if b.key == f"review.accept.{correction_id}"][0].click().run()
    assert not org.exception
    assert any("changed since you opened the correction" in e.value for e in org.error)
    with read_session(accounts) as session:
        assert session.get(Practice, practice.id).summary == practice.summary
    # Seen now (the page shows the record as it is): accepting applies the proposal.
    [b for b in org.button if b.key == f"review.accept.{correction_id}"][0].click().run()
    assert not org.error, [e.value for e in org.error]
    with read_session(accounts) as session:
        stored = session.get(Practice, practice.id)
    assert stored.summary == "The reader's summary."
    assert stored.title == "Renamed while the correction was open"


def test_two_organisers_approving_one_submission_publish_it_once(accounts):  # noqa: F811
    fp = sign_in(open_page("app.py"), "fp@xk.example")
    fp.switch_page("pages/submit.py").run()
    field(fp.text_input, "Title *").input("Hearings approved by two")
    field(fp.text_area, SUMMARY).input("A summary of the hearings.")
    field(fp.multiselect, "Themes * (1 to 3)").select("open-budgets")
    field(fp.text_area, "Sources * (one per line: title | https://..., or a citation)").input(
        "Minutes | https://example.org/m"
    )
    choose_facts(fp)
    [b for b in fp.button if b.label == "Save and submit for review"][0].click().run()
    with read_session(accounts) as session:
        saved = session.exec(
            select(Practice).where(Practice.title == "Hearings approved by two")
        ).one()
    one = sign_in(open_page("app.py"), "org@example.org").switch_page("pages/review.py").run()
    two = sign_in(open_page("app.py"), "org@example.org").switch_page("pages/review.py").run()
    [b for b in one.button if b.key == f"review.approve.practice.{saved.id}"][0].click().run()
    [b for b in two.button if b.key == f"review.approve.practice.{saved.id}"][0].click().run()
    assert not two.exception
    assert any("already approved" in e.value for e in two.error)
    with read_session(accounts) as session:
        history = repository.practice_history(session=session, practice_id=saved.id)
    assert [r.action for r in history].count("published") == 1


def test_a_submission_changed_while_the_queue_is_open_is_redrawn_with_a_note(accounts):  # noqa: F811
    """Any rerun of the review page (a reason typed, a choice made elsewhere on it) draws a
    submission changed meanwhile: it says so, rather than swapping what the organiser reads
    under their eyes and approving that at the next click."""
    with read_session(accounts) as session:
        found = session.exec(select(User).where(User.email == "fp@xk.example")).one()
    fp = auth.SessionUser(found.id, found.email, v.Role.focal_point, "XK")
    submitted = PracticeCreate.model_validate(
        {
            "slug": "draft",
            "title": "Hearings in the queue",
            "country": "XK",
            "summary": "A summary of the hearings.",
            "level": "local",
            "actor_type": "government",
            "stage": "implementing",
            "themes": ["open-budgets"],
            "sources": [{"title": "Minutes", "url": "https://example.org/m"}],
        }
    )
    with write_session(accounts) as session:
        practice_id = workflow.save_practice(session=session, user=fp, practice_in=submitted)
        workflow.submit(session=session, user=fp, practice_id=practice_id)
        seen = workflow.record_version(session=session, practice_id=practice_id)
    org = sign_in(open_page("app.py"), "org@example.org").switch_page("pages/review.py").run()
    note = "This submission changed after you opened it"
    assert not any(note in w.value for w in org.warning)
    with write_session(accounts) as session:
        workflow.save_practice(
            session=session,
            user=fp,
            practice_in=submitted.model_copy(update={"summary": "Rewritten while in review."}),
            practice_id=practice_id,
            expected_version=seen,
        )
    org.run()
    assert not org.exception
    assert any(note in w.value for w in org.warning)
