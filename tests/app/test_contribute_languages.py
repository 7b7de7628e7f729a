"""AppTest: the submit and review pages speak the visitor's language where CLDR answers without
catalogs: country names in the form and the review's diff, a correction's date."""

import datetime as dt

from sqlmodel import select

from forumdash import workflow
from forumdash.db import write_session
from forumdash.models import Correction, Practice
from tests.app.test_contribute import accounts, field, sign_in  # noqa: F401
from tests.app.test_pages import new_session


def _signed_in(page: str, email: str, tag: str):
    at = sign_in(new_session(), email)  # the sign-in page in English, then the language
    at.query_params["lang"] = tag
    at.switch_page(page).run()
    assert not at.exception
    return at


def test_the_forms_countries_are_named_in_the_visitors_language(accounts):  # noqa: F811
    albanian = _signed_in("pages/submit.py", "org@example.org", "sq")
    options = [o for box in albanian.selectbox for o in box.options]
    assert "Kosovë" in options and "Maqedonia e Veriut" in options
    serbian = _signed_in("pages/submit.py", "org@example.org", "sr")
    assert "Косово" in [o for box in serbian.selectbox for o in box.options]
    english = _signed_in("pages/submit.py", "org@example.org", "en")
    assert "Kosovo" in field(english.selectbox, "Country *").options


def test_a_correction_is_dated_and_a_submission_placed_in_the_visitors_language(
    accounts,  # noqa: F811
):
    with write_session(accounts) as session:
        practice = session.exec(
            select(Practice).where(Practice.country_code == "XK", Practice.workflow == "published")
        ).first()
        assert practice is not None and practice.id is not None
        correction_id = workflow.flag_correction(
            session=session,
            correction_in={
                "record_type": "practice",
                "record_id": practice.id,
                "what_is_wrong": "The title leaves out who decided.",
                "what_is_right": "It was the municipal assembly.",
            },
        )
        correction = session.get(Correction, correction_id)
        assert correction is not None
        correction.created_at = dt.datetime(2013, 7, 9, 10, 30)
        session.add(correction)
    albanian = _signed_in("pages/review.py", "org@example.org", "sq")
    labels = [expander.label for expander in albanian.expander]
    assert any("· 9 korrik 2013 (" in label for label in labels), labels
    english = _signed_in("pages/review.py", "org@example.org", "en")
    assert any("· 9 July 2013 (" in e.label for e in english.expander)


def test_the_review_diff_names_the_country_in_the_visitors_language(accounts):  # noqa: F811
    # The focal point writes in English; the organiser reviews in Serbian.
    focal = _signed_in("pages/submit.py", "fp@xk.example", "en")
    field(focal.text_input, "Title *").input("Јавне расправе о буџету")
    field(focal.text_area, "Summary * (two or three sentences)").input("Расправе, записник.")
    field(focal.multiselect, "Themes * (1 to 3)").select("open-budgets")
    field(focal.selectbox, "Level of government *").set_value("local")
    field(focal.selectbox, "Actor type *").set_value("government")
    field(focal.selectbox, "Stage *").set_value("implementing")
    field(focal.radio, "Ongoing or ended *").set_value("ongoing")
    field(focal.text_area, "Sources * (one per line: title | https://..., or a citation)").input(
        "Записник | https://example.org/minutes"
    )
    [b for b in focal.button if b.label == "Save and submit for review"][0].click().run()
    assert not focal.exception and not focal.error
    serbian = _signed_in("pages/review.py", "org@example.org", "sr")
    shown = [m.value for m in serbian.markdown]
    assert "Косово" in shown
    assert "Kosovo" not in shown
