"""The contributing side speaks the visitor's language: the forms' problems, the workflow's and
the accounts' refusals, dates and numbers in them, and the review page's cached dry run."""

import datetime as dt
import gettext
import io
from collections.abc import Iterator

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from forumdash import auth, i18n, workflow
from forumdash.ui import forms, review

# A few messages of the forms and the workflow, translated the way a translator would (the real
# catalogs are filled later): Serbian with its three plural forms, Albanian with two.
SERBIAN = {
    ("at most {n} character", "at most {n} characters"): (
        "највише {n} знак",
        "највише {n} знака",
        "највише {n} знакова",
    ),
    "Sources": "Извори",
    "line {n}": "ред {n}",
    "{field}: {problem}": "{field} — {problem}",
}
ALBANIAN = {
    "Wrong email or password.": "Email ose fjalëkalim i gabuar.",
    "Only organisers review submissions.": "Vetëm organizatorët shqyrtojnë dërgesat.",
}


def _compiled(locale: str, messages: dict[object, object]) -> gettext.GNUTranslations:
    catalog = Catalog(locale=locale)
    for msgid, msgstr in messages.items():
        catalog.add(msgid, msgstr)  # type: ignore[arg-type]
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@pytest.fixture
def catalogs(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Small in-test catalogs for sr and sq in place of the (still empty) real ones."""
    made = {"sr": _compiled("sr", SERBIAN), "sq": _compiled("sq", ALBANIAN)}
    monkeypatch.setattr(i18n, "translations", lambda tag: made.get(tag, gettext.NullTranslations()))
    yield


def _practice(**changes: object) -> dict[str, object]:
    raw: dict[str, object] = {
        "slug": "new",
        "title": "Open budget hearings",
        "country": "XK",
        "summary": "Hearings on the budget.",
        "body": {},
        "level": "local",
        "lead_institution": "",
        "partners": "",
        "actor_type": "government",
        "themes": ["open-budgets"],
        "ogp_values": [],
        "outcome_areas": [],
        "stage": "implementing",
        "start_date": dt.date(2013, 7, 9),
        "start_year": None,
        "end_date": None,
        "ongoing": "ongoing",
        "action_plan": "",
        "commitment_ref": "",
        "assessment": {"evidence_links": []},
        "transferability": "",
        "transfer_conditions": "",
        "adapted_from": None,
        "contact": "",
        "sources": [{"title": "Minutes", "url": ""}],
        "original_language": "sq",
        "sample": False,
    }
    return raw | changes


def test_an_end_before_the_start_is_told_with_the_languages_dates() -> None:
    raw = _practice(ongoing="ended", end_date=dt.date(2013, 7, 1))
    _record, english = forms.validate(raw)
    assert english == ["End date: 1 Jul 2013 is before the start date (9 Jul 2013)"]
    with i18n.language("sq"):
        _record, albanian = forms.validate(raw)
    assert "9 korrik 2013" in albanian[0] and "1 korrik 2013" in albanian[0]
    with i18n.language("sr"):
        _record, serbian = forms.validate(raw)
    assert "9. јул 2013." in serbian[0]


def test_a_limit_counts_with_the_languages_plural_and_digit_grouping(catalogs: None) -> None:
    with i18n.language("sr"):
        assert workflow._at_most_message(254) == "највише 254 знака"  # 2-4: the second form
        assert workflow._at_most_message(1000) == "највише 1.000 знакова"  # the third form
        assert workflow._at_most_message(21) == "највише 21 знак"  # ends in 1: the first
    assert workflow._at_most_message(1000) == "at most 1,000 characters"


def test_a_problems_place_is_named_in_the_forms_words(catalogs: None) -> None:
    raw = _practice(sources=[{"title": "Minutes", "url": "javascript:alert(1)"}])
    with i18n.language("sr"):
        _record, problems = forms.validate(raw)
    assert len(problems) == 1
    assert problems[0].startswith("Извори, ред 1 — only http:// and https:// links")
    _record, problems = forms.validate(raw)
    assert problems[0].startswith("Sources, line 1: only http:// and https:// links")


def test_refusals_and_a_failed_sign_in_speak_the_visitors_language(catalogs: None) -> None:
    with i18n.language("sq"):
        with pytest.raises(auth.PermissionDenied) as refused:
            workflow.approve(session=None, user=None, practice_id=1, expected_version=1)  # type: ignore[arg-type]
        failed = auth._failed()
    assert str(refused.value) == "Vetëm organizatorët shqyrtojnë dërgesat."
    assert str(failed) == "Email ose fjalëkalim i gabuar."
    # English (the CLI, another visitor) is unchanged.
    assert str(auth._failed()) == auth.FAILED


def test_the_dry_runs_report_is_kept_per_language() -> None:
    # The report is worded when it is made: a rerun in another language makes its own.
    with i18n.language("sq"):
        albanian = review._report_key("practices", "file-1")
    english = review._report_key("practices", "file-1")
    assert albanian != english
    assert albanian.endswith(".sq") and english.endswith(".en")


def test_a_buttons_callback_speaks_the_language_it_was_drawn_in() -> None:
    heard: list[str] = []
    with i18n.language("mk"):
        callback = review._speaking(lambda: heard.append(i18n.current().tag))
    callback()  # as Streamlit runs it: before the next run's frame chooses a language
    assert heard == ["mk"] and i18n.current().tag == "en"
