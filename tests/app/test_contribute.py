"""AppTest: sign in, submit a practice, review it, flag and accept a correction, by role."""

import datetime as dt

import pytest
from sqlmodel import select

from forumdash import auth, repository
from forumdash import vocab as v
from forumdash.db import make_engine, read_session, write_session
from forumdash.models import Correction, Practice
from tests.app.test_pages import new_session, open_correction, open_page

PASSWORD = "a long enough password"


@pytest.fixture
def accounts(app_database):
    engine = make_engine(app_database)
    with write_session(engine) as session:
        auth.create_user(
            session=session,
            actor=auth.SYSTEM,
            email="fp@xk.example",
            password=PASSWORD,
            role="focal_point",
            country="XK",
        )
        auth.create_user(
            session=session,
            actor=auth.SYSTEM,
            email="org@example.org",
            password=PASSWORD,
            role="organiser",
        )
    return engine


def field(widgets, label):
    """The form's widget with this label (the form's keys are per record)."""
    return next(w for w in widgets if w.label == label)


def choose_facts(at, level="local", actor="government", stage="implementing", ongoing="ongoing"):
    """The practice form's choices that start empty: they must be made to save."""
    field(at.selectbox, "Level of government *").set_value(level)
    field(at.selectbox, "Actor type *").set_value(actor)
    field(at.selectbox, "Stage *").set_value(stage)
    field(at.radio, "Ongoing or ended *").set_value(ongoing)


def sign_in(at, email):
    at.switch_page("pages/login.py").run()
    at.text_input(key="login.email").input(email)
    at.text_input(key="login.password").input(PASSWORD)
    [b for b in at.button if b.label == "Sign in"][0].click().run()
    return at


def test_wrong_password_is_refused_with_a_message(accounts):
    at = open_page("pages/login.py")
    at.text_input(key="login.email").input("fp@xk.example")
    at.text_input(key="login.password").input("wrong password!")
    [b for b in at.button if b.label == "Sign in"][0].click().run()
    assert not at.exception
    assert "Wrong email or password" in at.error[0].value


@pytest.mark.parametrize("page", ["pages/submit.py", "pages/review.py"])
def test_pages_opened_by_url_without_signing_in_show_nothing_private(accounts, page):
    at = open_page(page)
    assert not at.exception
    assert "sign in" in at.info[0].value.lower() or "organisers" in at.info[0].value.lower()
    assert not at.get("form")


def test_focal_point_submits_and_organiser_publishes(accounts):
    at = sign_in(new_session(), "fp@xk.example")
    assert not at.exception
    at.switch_page("pages/submit.py").run()
    field(at.text_input, "Title *").input("Village water budget hearings")
    field(at.text_area, "Summary * (two or three sentences)").input(
        "Hearings on the water budget, streamed and minuted."
    )
    field(at.multiselect, "Themes * (1 to 3)").select("open-budgets")
    field(at.text_area, "Sources * (one per line: title | https://..., or a citation)").input(
        "Minutes | https://example.org/minutes"
    )
    field(at.text_area, "Problem and purpose").input("Residents could not follow the budget.")
    choose_facts(at)
    [b for b in at.button if b.label == "Save and submit for review"][0].click().run()
    assert not at.exception
    assert "Submitted for review" in at.success[0].value
    assert "Submitted for review" in at.toast[0].value  # seen wherever the page is scrolled
    with read_session(accounts) as session:
        saved = session.exec(select(Practice).where(Practice.title.startswith("Village"))).one()
    assert saved.workflow == v.Workflow.submitted and saved.country_code == "XK"
    # A second click on the same form (same draft key) does not create a second record.
    at2 = sign_in(new_session(), "org@example.org")
    at2.switch_page("pages/review.py").run()
    assert not at2.exception
    # The reviewer reads the form's words and names, not column names and codes.
    shown = " ".join(m.value for m in at2.markdown) + " ".join(t.value for t in at2.text)
    assert "**Level of government**" in shown and "Kosovo" in shown
    assert "Problem and purpose: Residents" in shown.replace("\\", "")
    assert "problem purpose" not in shown and "**Level**" not in shown
    [b for b in at2.button if b.label == "Approve and publish"][0].click().run()
    assert not at2.exception
    assert "Published: Village water budget hearings" in at2.toast[0].value.replace("\\", "")
    with read_session(accounts) as session:
        assert session.get(Practice, saved.id).workflow == v.Workflow.published


def test_invalid_form_saves_nothing(accounts):
    at = sign_in(new_session(), "fp@xk.example")
    at.switch_page("pages/submit.py").run()
    with read_session(accounts) as session:
        before = len(session.exec(select(Practice)).all())
    field(at.text_input, "Title *").input("No themes and no sources")
    field(at.text_area, "Sources * (one per line: title | https://..., or a citation)").input(
        "Bad | javascript:alert(1)"
    )
    field(at.date_input, "Start date").set_value(dt.date(2021, 5, 1))
    field(at.date_input, "End date").set_value(dt.date(2020, 1, 1))
    [b for b in at.button if b.label == "Save draft"][0].click().run()
    assert not at.exception
    message = at.error[0].value.replace("\\", "")  # shown with Markdown escaped
    assert "Nothing was saved" in message
    # Every problem at once, each under the name the form gives its field.
    assert "Summary: required" in message
    assert "Themes: choose 1 to 3 themes" in message
    assert "Sources, line 1: only http:// and https:// links" in message
    assert "End date: 1 Jan 2020 is before the start date (1 May 2021)" in message
    assert "›" not in message and "end_date" not in message
    with read_session(accounts) as session:
        assert len(session.exec(select(Practice)).all()) == before


def test_a_pasted_title_that_is_too_long_is_kept_and_explained(accounts):
    """A text box with a browser limit silently drops a paste that is too long; the form takes
    it and says how long it is instead, and nothing is saved."""
    at = sign_in(new_session(), "fp@xk.example")
    at.switch_page("pages/submit.py").run()
    with read_session(accounts) as session:
        before = len(session.exec(select(Practice)).all())
    title = field(at.text_input, "Title *")
    assert not title.max_chars  # no browser limit: it would drop the paste
    # Nothing says what language a new practice is written in until its author does (a Kosovo
    # focal point may write in Albanian, Serbian or English).
    assert field(at.selectbox, "Original language").value is None
    title.input("Long title " * 30)
    field(at.text_input, "OGP action plan (e.g. AL 2014-2016)").input("x" * 41)
    [b for b in at.button if b.label == "Save draft"][0].click().run()
    message = at.error[0].value.replace("\\", "")
    assert "Title: at most 200 characters; this one has 329" in message
    assert "OGP action plan: at most 40 characters; this one has 41" in message
    assert field(at.text_input, "Title *").value.startswith("Long title Long title")
    with read_session(accounts) as session:
        assert len(session.exec(select(Practice)).all()) == before


def test_anyone_flags_a_correction_and_organiser_accepts(accounts):
    with read_session(accounts) as session:
        first = repository.list_practices(session=session, limit=1)[0]
    at = open_page("pages/practice.py", id=str(first.id))
    key = f"correction.practice.{first.id}"
    open_correction(at, key)
    at.text_area(key=key + ".wrong").input("The summary gives the wrong year.")
    at.text_area(key=key + ".right").input("The portal opened in 2016.")
    [b for b in at.button if b.label == "Send the correction"][0].click().run()
    assert not at.exception
    assert "Thank you" in at.success[0].value
    with read_session(accounts) as session:
        correction = session.exec(select(Correction)).one()
    org = sign_in(new_session(), "org@example.org")
    org.switch_page("pages/review.py").run()
    org.text_area(key=f"review.text.{correction.id}.title").input("A corrected title")
    [b for b in org.button if b.label == "Accept and apply"][0].click().run()
    assert not org.exception
    page = open_page("pages/practice.py", id=str(first.id))
    assert page.title[0].value == "A corrected title"
    assert any("Corrected on" in c.value for c in page.caption)


def test_a_correction_can_fix_a_choice_such_as_a_challenges_severity(accounts):
    """Not only text: the organiser picks the field (in the form's words) and its right value
    from the vocabulary; only that field changes, and the history credits the correction."""
    from forumdash import workflow
    from forumdash.models import Challenge, Revision

    with read_session(accounts) as session:
        challenge = repository.list_challenges(session=session)[0]
    new = next(s for s in v.Severity if s != challenge.severity)
    with write_session(accounts) as session:
        correction_id = workflow.flag_correction(
            session=session,
            correction_in={
                "record_type": "challenge",
                "record_id": challenge.id,
                "what_is_wrong": "The severity is understated.",
                "what_is_right": f"It is {new.label}.",
            },
        )
    org = sign_in(new_session(), "org@example.org")
    org.switch_page("pages/review.py").run()
    chooser = org.selectbox(key=f"review.field.{correction_id}")
    assert "Severity" in chooser.options and "Description" in chooser.options
    chooser.set_value("severity").run()
    org.selectbox(key=f"review.text.{correction_id}.severity").set_value(new.value).run()
    [b for b in org.button if b.label == "Accept and apply"][0].click().run()
    assert not org.exception
    with read_session(accounts) as session:
        row = session.get(Challenge, challenge.id)
        assert row.severity == new and row.title == challenge.title
        revision = session.exec(
            select(Revision).where(Revision.correction_id == correction_id)
        ).one()
        assert revision.action == "correct"
    # The history reads in the form's words and the vocabulary's labels, not columns and codes.
    page = open_page("pages/challenges.py", id=str(challenge.id))
    lines = [m.value.replace("\\", "") for m in page.markdown]
    assert any(f"Severity: {challenge.severity.label} → {new.label}" in line for line in lines)


def test_honeypot_stores_nothing(accounts):
    with read_session(accounts) as session:
        first = repository.list_practices(session=session, limit=1)[0]
    at = open_page("pages/practice.py", id=str(first.id))
    key = f"correction.practice.{first.id}"
    open_correction(at, key)
    at.text_area(key=key + ".wrong").input("Buy cheap things here now.")
    at.text_area(key=key + ".right").input("Buy cheap things here now.")
    at.text_input(key=key + ".website").input("http://spam.example")
    [b for b in at.button if b.label == "Send the correction"][0].click().run()
    with read_session(accounts) as session:
        assert session.exec(select(Correction)).all() == []


def test_organiser_imports_ogp_commitments_after_a_dry_run(accounts):
    from pathlib import Path

    from forumdash.models import Commitment

    data = (Path(__file__).parents[1] / "fixtures" / "ogp_sample.csv").read_bytes()
    at = sign_in(new_session(), "org@example.org")
    at.switch_page("pages/review.py").run()
    kind = next(b for b in at.get("button_group") if b.key == "review.import.kind")
    kind.set_value("ogp").run()
    uploader = at.get("file_uploader")[0]
    uploader.set_value(("export.csv", data, "text/csv")).run()
    assert not at.exception
    assert "dry run" in " ".join(c.value for c in at.caption)
    with read_session(accounts) as session:
        assert session.exec(select(Commitment)).all() == []  # nothing written yet
    [b for b in at.button if b.label == "Import now"][0].click().run()
    assert not at.exception
    with read_session(accounts) as session:
        assert len(session.exec(select(Commitment)).all()) > 0


def test_a_file_that_is_not_what_it_says_is_refused(accounts):
    at = sign_in(new_session(), "org@example.org")
    at.switch_page("pages/review.py").run()
    at.get("file_uploader")[0].set_value(
        ("export.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "text/csv")
    ).run()
    assert not at.exception
    assert "cannot be imported" in at.error[0].value


def test_template_downloads_on_the_submit_page(accounts):
    at = sign_in(new_session(), "fp@xk.example")
    at.switch_page("pages/submit.py").run()
    labels = [b.label for b in at.get("download_button")]
    assert "Template CSV" in labels and "Template XLSX" in labels


def test_imported_commitments_show_on_the_country_and_linked_practice(accounts):
    from pathlib import Path

    from forumdash import importers, workflow

    data = (Path(__file__).parents[1] / "fixtures" / "ogp_sample.csv").read_bytes()
    assert importers.run_import(accounts, "ogp", data, "ogp.csv").ok
    at = open_page("pages/country.py", code="AL")
    assert not at.exception
    table = next(d for d in at.dataframe if "identifier" in d.value.columns)
    assert "AL9001" in set(table.value["identifier"])
    # A practice that names the commitment shows it with its ratings.
    with read_session(accounts) as session:
        first = repository.list_practices(session=session, country="AL", limit=1)[0]
        record = workflow.record_of(session=session, practice_id=first.id)
    with write_session(accounts) as session:
        repository.update_practice(
            session=session,
            practice_id=first.id,
            practice_in=record.model_copy(update={"commitment_ref": "AL9001"}),
        )
    page = open_page("pages/practice.py", id=str(first.id))
    assert any(m.value.startswith("**OGP commitment AL9001") for m in page.markdown)


def test_milestone_correction_from_the_country_page(accounts):
    with read_session(accounts) as session:
        milestone = repository.list_milestones(session=session, country="XK")[0]
    at = open_page("pages/country.py", code="XK")
    key = f"correction.milestone.{milestone.id}"
    open_correction(at, key)
    at.text_area(key=key + ".wrong").input("The title leaves out who decided.")
    at.text_area(key=key + ".right").input("It was the Government of Kosovo.")
    [b for b in at.button if b.label == "Send the correction"][0].click().run()
    assert "Thank you" in at.success[0].value
    with read_session(accounts) as session:
        correction = session.exec(select(Correction)).one()
    org = sign_in(new_session(), "org@example.org")
    org.switch_page("pages/review.py").run()
    org.text_input(key=f"review.mtitle.{correction.id}").input(
        "Government of Kosovo decision No. 08/139 to start OGP membership procedures"
    )
    [b for b in org.button if b.label == "Accept and apply"][0].click().run()
    assert not org.exception
    page = open_page("pages/country.py", code="XK")
    assert any(e.label.startswith("2013-07-09 · Government of Kosovo") for e in page.expander)
    assert any("Corrected on" in c.value for c in page.caption)


def test_saving_an_unchanged_form_changes_nothing(accounts):
    with read_session(accounts) as session:
        sample = session.exec(select(Practice).where(Practice.is_sample)).first()
        dated = session.exec(
            select(Practice).where(Practice.start_year.is_not(None), Practice.start_date.is_(None))
        ).first()
    org = sign_in(new_session(), "org@example.org")
    for practice in (sample, dated):
        with read_session(accounts) as session:
            before = len(repository.practice_history(session=session, practice_id=practice.id))
        org.switch_page("pages/submit.py").run()
        org.query_params.clear()
        org.query_params["id"] = str(practice.id)
        org.run()
        assert any(s.value.startswith("Edit:") for s in org.subheader)
        [b for b in org.button if b.label == "Save draft"][0].click().run()
        assert not org.exception and not org.error, [e.value for e in org.error]
        with read_session(accounts) as session:
            after = session.get(Practice, practice.id)
            assert (
                len(repository.practice_history(session=session, practice_id=practice.id)) == before
            )
        assert after.is_sample == practice.is_sample and after.start_year == practice.start_year


def test_organiser_sends_a_submission_back_with_a_reason(accounts):
    at = sign_in(new_session(), "fp@xk.example")
    at.switch_page("pages/submit.py").run()
    field(at.text_input, "Title *").input("Hearings to send back")
    field(at.text_area, "Summary * (two or three sentences)").input("A summary of the hearings.")
    field(at.multiselect, "Themes * (1 to 3)").select("open-budgets")
    field(at.text_area, "Sources * (one per line: title | https://..., or a citation)").input(
        "Minutes | https://example.org/m"
    )
    choose_facts(at, ongoing="unknown")
    [b for b in at.button if b.label == "Save and submit for review"][0].click().run()
    with read_session(accounts) as session:
        saved = session.exec(
            select(Practice).where(Practice.title == "Hearings to send back")
        ).one()
    org = sign_in(new_session(), "org@example.org")
    org.switch_page("pages/review.py").run()
    org.text_input(key=f"review.reject.practice.{saved.id}.reason").input(
        "Please add the 2024 minutes."
    )
    [b for b in org.button if b.label == "Send back"][0].click().run()
    assert not org.exception
    with read_session(accounts) as session:
        after = session.get(Practice, saved.id)
    assert after.workflow == v.Workflow.rejected
    assert after.rejection_reason == "Please add the 2024 minutes."


def test_an_id_python_calls_a_digit_but_not_a_number_is_refused(accounts):  # noqa: F811
    """`?id=²`: str.isdigit() says yes, int() raises; the form reads it as no id."""
    at = sign_in(new_session(), "fp@xk.example")
    at.query_params["kind"] = "practice"
    at.query_params["id"] = "²"
    at.switch_page("pages/submit.py").run()
    assert not at.exception
