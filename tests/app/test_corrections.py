"""AppTest: the practice form asserts nothing by default; a reader corrects any field in the
record's own form on its page, and an organiser accepts the proposal on /review in one click."""

import datetime as dt

from sqlmodel import select

from forumdash import auth, repository, workflow
from forumdash import vocab as v
from forumdash.db import read_session, write_session
from forumdash.models import Challenge, Correction, Practice, Revision, User
from forumdash.ui.corrections import OPEN
from tests.app.test_contribute import accounts, choose_facts, field, sign_in  # noqa: F401
from tests.app.test_pages import new_session, open_correction, open_page

SOURCES = "Sources * (one per line: title | https://..., or a citation)"


def _save_draft(at):
    [b for b in at.button if b.label == "Save draft"][0].click().run()
    assert not at.exception
    return at.error[0].value.replace("\\", "") if at.error else ""


def test_a_new_practice_states_no_fact_until_chosen(accounts):  # noqa: F811
    at = sign_in(new_session(), "fp@xk.example")
    at.switch_page("pages/submit.py").run()
    for label in ("Level of government *", "Actor type *", "Stage *"):
        assert field(at.selectbox, label).value is None
    assert field(at.radio, "Ongoing or ended *").value is None
    field(at.text_input, "Title *").input("Hearings with unchosen facts")
    field(at.text_area, "Summary * (two or three sentences)").input("Hearings, minuted.")
    field(at.multiselect, "Themes * (1 to 3)").select("open-budgets")
    field(at.text_area, SOURCES).input("Minutes | https://example.org/minutes")
    message = _save_draft(at)
    # Listed with the form's other problems, in the form's words.
    assert "Nothing was saved" in message
    for line in (
        "Level of government: choose one",
        "Actor type: choose one",
        "Stage: choose one",
        "Ongoing or ended: choose one",
    ):
        assert line in message
    assert "Field required" not in message and "level" not in message
    with read_session(accounts) as session:
        assert not session.exec(select(Practice).where(Practice.title.startswith("Hearings"))).all()
    # Ended needs its end date.
    choose_facts(at, ongoing="ended")
    assert "End date: required for a practice that has ended" in _save_draft(at)
    field(at.date_input, "End date").set_value(dt.date(2024, 6, 30))
    assert _save_draft(at) == ""
    with read_session(accounts) as session:
        saved = session.exec(select(Practice).where(Practice.title.startswith("Hearings"))).one()
    assert (saved.level, saved.actor_type, saved.stage) == ("local", "government", "implementing")
    assert saved.ongoing is False and saved.end_date == dt.date(2024, 6, 30)
    # Editing shows the stored values, the end date's "Ended" among them.
    assert field(at.selectbox, "Level of government *").value == "local"
    assert field(at.radio, "Ongoing or ended *").value == "ended"


def test_a_reader_corrects_themes_and_a_date_and_the_organiser_accepts(accounts):  # noqa: F811
    with read_session(accounts) as session:
        practice = session.exec(
            select(Practice).where(Practice.workflow == "published").order_by(Practice.id)
        ).first()
        before = workflow.record_of(session=session, practice_id=practice.id)
    new_theme = next(t for t in ("open-data", "anti-corruption") if t not in before.themes)
    themes = [*before.themes[:1], new_theme]
    at = open_page("pages/practice.py", id=str(practice.id))
    key = f"correction.practice.{practice.id}"
    open_correction(at, key)
    # Every field, in its own widget, starting at what the record says now.
    assert at.multiselect(key=key + ".field.themes").value == before.themes
    assert at.selectbox(key=key + ".field.stage").value == before.stage.value
    assert at.text_area(key=key + ".field.body.lessons").value == before.body.get("lessons", "")
    at.multiselect(key=key + ".field.themes").set_value(themes)
    at.date_input(key=key + ".field.start").set_value(dt.date(2016, 3, 1))
    at.text_area(key=key + ".wrong").input("The portal opened in March 2016, on open data.")
    at.text_input(key=key + ".source").input("https://example.org/launch")
    [b for b in at.button if b.label == "Send the correction"][0].click().run()
    assert not at.exception
    assert "Thank you" in at.success[0].value
    # Sent: the form starts again from the record.
    assert at.multiselect(key=key + ".field.themes").value == before.themes
    assert at.text_area(key=key + ".wrong").value == ""
    with read_session(accounts) as session:
        correction = session.exec(select(Correction)).one()
    assert correction.proposed["start_date"] == "2016-03-01"
    assert sorted(correction.proposed["themes"]) == sorted(themes)
    assert set(correction.proposed) == {"themes", "start_date", "start_year", "_base"}

    org = sign_in(new_session(), "org@example.org")
    org.switch_page("pages/review.py").run()
    assert not org.exception
    shown = " ".join(m.value for m in org.markdown) + " ".join(c.value for c in org.caption)
    assert "**Themes**" in shown and "**Start date**" in shown and "Proposed by the reader" in shown
    texts = [m.value.replace("\\", "") for m in org.markdown]
    assert "2016-03-01" in texts  # the proposed value, shown as written, not retyped
    [b for b in org.button if b.key == f"review.accept.{correction.id}"][0].click().run()
    assert not org.exception
    assert "Correction applied" in org.toast[0].value

    with read_session(accounts) as session:
        after = workflow.record_of(session=session, practice_id=practice.id)
    assert after.start_date == dt.date(2016, 3, 1) and sorted(after.themes) == sorted(themes)
    assert after.title == before.title and after.summary == before.summary
    page = open_page("pages/practice.py", id=str(practice.id))
    lines = [m.value.replace("\\", "") for m in page.markdown]
    assert any("Corrected" in line and "from a reader's correction" in line for line in lines)
    assert any("Start date:" in line and "→ 2016-03-01" in line for line in lines)


def test_a_reader_corrects_a_challenges_severity_and_the_organiser_accepts(accounts):  # noqa: F811
    with read_session(accounts) as session:
        challenge = repository.list_challenges(session=session)[0]
    new = next(s for s in v.Severity if s != challenge.severity)
    at = open_page("pages/challenges.py", id=str(challenge.id))
    key = f"correction.challenge.{challenge.id}"
    open_correction(at, key)
    assert at.selectbox(key=key + ".field.severity").value == challenge.severity.value
    at.selectbox(key=key + ".field.severity").set_value(new.value)
    at.text_area(key=key + ".wrong").input("The severity is understated in the report.")
    [b for b in at.button if b.label == "Send the correction"][0].click().run()
    assert "Thank you" in at.success[0].value
    with read_session(accounts) as session:
        correction = session.exec(select(Correction)).one()
    assert {k: x for k, x in correction.proposed.items() if k != "_base"} == {"severity": new.value}
    org = sign_in(new_session(), "org@example.org")
    org.switch_page("pages/review.py").run()
    assert new.label in [m.value for m in org.markdown]  # the vocabulary's label, not its code
    [b for b in org.button if b.key == f"review.accept.{correction.id}"][0].click().run()
    assert not org.exception
    with read_session(accounts) as session:
        row = session.get(Challenge, challenge.id)
        revision = session.exec(
            select(Revision).where(Revision.correction_id == correction.id)
        ).one()
    assert row.severity == new and row.title == challenge.title
    assert revision.action == "correct" and revision.after == {"severity": new.value}
    page = open_page("pages/challenges.py", id=str(challenge.id))
    lines = [m.value.replace("\\", "") for m in page.markdown]
    assert any(f"Severity: {challenge.severity.label} → {new.label}" in line for line in lines)


def test_a_proposal_that_would_make_an_invalid_record_is_refused_in_the_forms_words(accounts):  # noqa: F811
    with read_session(accounts) as session:
        practice = repository.list_practices(session=session, limit=1)[0]
    at = open_page("pages/practice.py", id=str(practice.id))
    key = f"correction.practice.{practice.id}"
    open_correction(at, key)
    at.multiselect(key=key + ".field.themes").set_value([])
    at.date_input(key=key + ".field.start").set_value(dt.date(2030, 1, 1))
    at.date_input(key=key + ".field.end").set_value(dt.date(2020, 1, 1))
    at.text_area(key=key + ".wrong").input("Neither theme fits this practice.")
    [b for b in at.button if b.label == "Send the correction"][0].click().run()
    assert not at.exception
    message = at.error[0].value.replace("\\", "")
    assert "Not sent" in message and "Themes: choose 1 to 3 themes" in message
    assert "End date: 1 Jan 2020 is before the start date (1 Jan 2030)" in message
    assert at.text_area(key=key + ".wrong").value == "Neither theme fits this practice."
    with read_session(accounts) as session:
        assert session.exec(select(Correction)).all() == []


def test_a_field_changed_since_the_reader_wrote_is_the_organisers_choice(accounts):  # noqa: F811
    with read_session(accounts) as session:
        practice = repository.list_practices(session=session, limit=1)[0]
        before = workflow.record_of(session=session, practice_id=practice.id)
    with write_session(accounts) as session:
        correction_id = workflow.flag_correction(
            session=session,
            correction_in={
                "record_type": "practice",
                "record_id": practice.id,
                "what_is_wrong": "The partners are missing.",
                "proposed": {"partners": "The reader's partners"},
            },
        )
    with write_session(accounts) as session:
        account = session.exec(select(User).where(User.email == "org@example.org")).one()
        workflow.save_practice(
            session=session,
            user=auth.SessionUser(account.id, account.email, v.Role.organiser, None),
            practice_in=before.model_copy(update={"partners": "An organiser's partners"}),
            practice_id=practice.id,
            expected_version=workflow.record_version(session=session, practice_id=practice.id),
        )
    org = sign_in(new_session(), "org@example.org")
    org.switch_page("pages/review.py").run()
    assert any("changed by someone else" in w.value for w in org.warning)
    texts = [m.value.replace("\\", "") for m in org.markdown]
    assert "The reader's partners" in texts and "An organiser's partners" in texts
    accept = [b for b in org.button if b.key == f"review.accept.{correction_id}"][0]
    accept.click().run()
    assert "Choose which value stays for: Partners" in org.error[0].value.replace("\\", "")
    with read_session(accounts) as session:
        assert session.get(Practice, practice.id).partners == "An organiser's partners"
    org.radio(key=f"review.choice.{correction_id}.partners").set_value(workflow.TAKE_PROPOSED)
    [b for b in org.button if b.key == f"review.accept.{correction_id}"][0].click().run()
    assert not org.exception
    with read_session(accounts) as session:
        assert session.get(Practice, practice.id).partners == "The reader's partners"


def test_a_milestone_fix_keeps_a_description_changed_while_the_form_was_open(accounts):  # noqa: F811
    # The form sent its title and description as drawn: a description edited meanwhile by
    # someone else was silently put back. Only what the organiser changed is applied.
    with write_session(accounts) as session:
        milestone = repository.list_milestones(session=session, country="XK")[0]
        correction_id = workflow.flag_correction(
            session=session,
            correction_in={
                "record_type": "milestone",
                "record_id": milestone.id,
                "what_is_wrong": "The title is vague.",
                "what_is_right": "Name the decision.",
            },
        )
    org = sign_in(new_session(), "org@example.org")
    org.switch_page("pages/review.py").run()
    assert not org.exception
    with write_session(accounts) as session:
        repository.update_milestone(
            session=session,
            milestone_id=milestone.id,
            changes={"description": "Edited meanwhile by another organiser."},
        )
    org.text_input(key=f"review.mtitle.{correction_id}").input("Decision 08/139").run()
    [b for b in org.button if b.key == f"review.accept.{correction_id}"][0].click().run()
    assert not org.exception
    with read_session(accounts) as session:
        after = {m.id: m for m in repository.list_milestones(session=session)}[milestone.id]
    assert after.title == "Decision 08/139"
    assert after.description == "Edited meanwhile by another organiser."


def test_the_correction_form_is_drawn_only_once_opened_and_stays_while_closed(accounts):  # noqa: F811
    with read_session(accounts) as session:
        practice = repository.list_practices(session=session, limit=1)[0]
    at = open_page("pages/practice.py", id=str(practice.id))
    key = f"correction.practice.{practice.id}"
    # A reader who never opens it costs the server no form (some twenty widgets).
    assert [e.label for e in at.expander if "correction" in e.label.lower()]
    assert not [w for w in at.text_area if str(w.key).startswith(key)]
    assert not [b for b in at.button if b.label == "Send the correction"]
    open_correction(at, key)
    assert at.text_area(key=key + ".wrong").value == ""
    # Closed again (by mistake): the form stays drawn, so the browser keeps what was typed in it
    # (a form's values reach the server only when it is sent).
    at.session_state[key + OPEN] = False
    at.run()
    assert not at.exception
    assert at.text_area(key=key + ".wrong") is not None
    assert [b for b in at.button if b.label == "Send the correction"]
