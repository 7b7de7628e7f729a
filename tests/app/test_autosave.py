"""AppTest: text typed into the submit page's forms and kept on the server comes back to its
owner only, says when it was typed, can be discarded, warns of a record saved since, and is
forgotten once the form is saved. (Sending the text as it is typed needs a browser:
tests/e2e/test_autosave.py.)"""

import datetime as dt

import pytest
from sqlmodel import select

from forumdash import auth, autosave
from forumdash.db import make_engine, read_session, write_session
from forumdash.models import FormDraft, Practice
from tests.app.test_contribute import PASSWORD, choose_facts, field, sign_in
from tests.app.test_pages import new_session

KEY = "0123456789abcdef0123456789abcdef"
FORM = f"submit.practice.{KEY}"
SUMMARY = "Summary * (two or three sentences)"


@pytest.fixture
def people(app_database):
    engine = make_engine(app_database)
    with write_session(engine) as session:
        for email, country in (("fp@xk.example", "XK"), ("fp2@xk.example", "XK")):
            auth.create_user(
                session=session,
                actor=auth.SYSTEM,
                email=email,
                password=PASSWORD,
                role="focal_point",
                country=country,
            )
        ids = {u.email: u.id for u in session.exec(select(auth.User)).all()}
    return engine, ids


def params_of(form):
    """The submit page's URL parameters that open this form."""
    kind, ref = form.split(".")[1:3]
    return {"kind": kind, "id" if ref.isdigit() else "draft": ref}


def keep(engine, owner, form=FORM, values=None, base=None, at=None):
    with write_session(engine) as session:
        autosave.save(
            session,
            form_key=form,
            owner=owner,
            values=values or {"title": "Water budget hearings", "summary": "Typed at night."},
            base=base or {"title": "", "summary": ""},
            page="pages/submit.py",
            params=params_of(form),
            now=at or dt.datetime.now(dt.UTC).replace(hour=14, minute=32),
        )


def open_form(email, **params):
    at = sign_in(new_session(), email)
    for name, value in params.items():
        at.query_params[name] = value
    return at.switch_page("pages/submit.py").run()


def test_typed_text_comes_back_to_its_owner_only_and_can_be_discarded(people):
    engine, ids = people
    keep(engine, autosave.user_owner(ids["fp@xk.example"]))
    other = open_form("fp2@xk.example", kind="practice", draft=KEY)
    assert not other.exception
    # The same form, the same country, another account: nothing of it shows.
    assert field(other.text_input, "Title *").value == ""
    assert not [i for i in other.info if "Restored" in i.value]
    assert "Water budget" not in " ".join(str(e.value) for e in other.markdown)

    at = open_form("fp@xk.example", kind="practice", draft=KEY)
    assert not at.exception
    assert field(at.text_input, "Title *").value == "Water budget hearings"
    assert field(at.text_area, SUMMARY).value == "Typed at night."
    notice = [i.value for i in at.info if "Restored" in i.value]
    assert notice and "Restored the text you typed at 14:32." in notice[0]
    assert not at.warning  # the form was empty when the typing began, and still is

    [b for b in at.button if b.label == "Discard the restored text"][0].click().run()
    assert not at.exception
    assert field(at.text_input, "Title *").value == ""
    assert not [i for i in at.info if "Restored" in i.value]
    with read_session(engine) as session:
        assert session.exec(select(FormDraft)).all() == []


def test_a_record_saved_since_is_said_and_the_text_still_given_back(people):
    engine, ids = people
    with read_session(engine) as session:
        practice = session.exec(select(Practice).where(Practice.country_code == "XK")).first()
    assert practice is not None
    form = f"submit.practice.{practice.id}"
    keep(
        engine,
        autosave.user_owner(ids["fp@xk.example"]),
        form=form,
        values={"title": "My better title"},
        base={"title": "The title as it was before someone saved it"},
    )
    at = open_form("fp@xk.example", kind="practice", id=str(practice.id))
    assert not at.exception
    assert field(at.text_input, "Title *").value == "My better title"
    assert "saved again after you typed this text" in at.warning[0].value


def test_saving_the_form_forgets_its_draft_and_lists_the_others(people):
    engine, ids = people
    owner = autosave.user_owner(ids["fp@xk.example"])
    keep(engine, owner)
    keep(engine, owner, form="submit.practice." + "f" * 32, values={"title": "Another one"})
    at = open_form("fp@xk.example", kind="practice", draft=KEY)
    # The other unsaved form is listed with a link to it; the one open here is not.
    assert at.query_params["draft"] == KEY
    links = [link.label for link in at.get("page_link")]
    assert any(label.startswith("New practice: Another one · typed today at") for label in links)
    assert not any("Water budget hearings ·" in label for label in links)
    field(at.multiselect, "Themes * (1 to 3)").select("open-budgets")
    field(at.text_area, "Sources * (one per line: title | https://..., or a citation)").input(
        "Minutes | https://example.org/minutes"
    )
    choose_facts(at)
    [b for b in at.button if b.label == "Save draft"][0].click().run()
    assert not at.exception
    with read_session(engine) as session:
        left = session.exec(select(FormDraft.form_key)).all()
        saved = session.exec(select(Practice).where(Practice.title == "Water budget hearings"))
        assert saved.one().summary == "Typed at night."
    assert left == ["submit.practice." + "f" * 32]


def test_challenge_and_translation_forms_get_their_text_back(people):
    engine, ids = people
    owner = autosave.user_owner(ids["fp@xk.example"])
    keep(
        engine,
        owner,
        form=f"submit.challenge.{KEY}",
        values={"title": "No budget data", "description": "The budget is published as scans."},
    )
    at = open_form("fp@xk.example", kind="challenge", draft=KEY)
    assert not at.exception
    assert field(at.text_area, "Description * (what blocks progress, where, since when)").value == (
        "The budget is published as scans."
    )

    with read_session(engine) as session:
        practice = session.exec(
            select(Practice).where(
                Practice.country_code == "XK", Practice.original_language == "en"
            )
        ).first()
    assert practice is not None
    language = "sq"  # the first the translation form offers an English record
    keep(
        engine,
        owner,
        form=f"translate.practice.{practice.id}.{language}",
        values={"title": "Buxheti i ujit", "summary": "Seanca publike."},
    )
    at = open_form("fp@xk.example", kind="practice", id=str(practice.id))
    assert not at.exception
    prefix = f"translate.practice.{practice.id}.{language}."
    titles = [w for w in at.text_input if w.key and w.key.startswith(prefix)]
    assert [w.value for w in titles] == ["Buxheti i ujit"]
    # The practice's own form is untouched: its draft is another form's.
    assert field(at.text_input, "Title *").value == practice.title
