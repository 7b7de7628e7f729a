"""No default asserts a fact: a practice's level, actor type, stage and whether it goes on, and a
challenge's obstacle and severity, are stated by whoever writes the record (a form's choice, an
import's cell), never filled in; nor is the language a record was written in."""

from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy.engine import Engine

from forumdash import vocab as v
from forumdash.importers.practices import import_practices
from forumdash.models import ChallengeCreate, PracticeCreate
from forumdash.ui.forms import validate
from tests.unit.test_import_practices import _csv, _row, _state

PRACTICE: dict[str, Any] = {
    "slug": "new",
    "title": "Hearings",
    "country": "XK",
    "summary": "Hearings, minuted.",
    "themes": ["open-budgets"],
    "sources": [{"title": "Minutes", "url": "https://example.org/minutes"}],
}


@pytest.mark.parametrize("missing", ["level", "actor_type", "stage"])
def test_a_practice_record_without_its_facts_is_refused(missing: str) -> None:
    facts = {"level": "local", "actor_type": "government", "stage": "implementing"}
    with pytest.raises(ValidationError, match=missing):
        PracticeCreate.model_validate(PRACTICE | {k: x for k, x in facts.items() if k != missing})


@pytest.mark.parametrize("missing", ["obstacle_type", "severity"])
def test_a_challenge_record_without_its_obstacle_and_severity_is_refused(missing: str) -> None:
    record = {
        "slug": "new",
        "title": "Hearings are empty",
        "country": "XK",
        "description": "Nobody comes.",
        "themes": ["open-budgets"],
        "obstacle_type": "political_will",
        "severity": "high",
        "sources": [{"title": "Survey"}],
    }
    with pytest.raises(ValidationError, match=missing):
        ChallengeCreate.model_validate({k: x for k, x in record.items() if k != missing})


def test_a_practice_states_no_language_and_is_not_said_to_go_on_unless_told() -> None:
    practice = PracticeCreate.model_validate(
        PRACTICE | {"level": "local", "actor_type": "government", "stage": "implementing"}
    )
    assert practice.original_language == "" and practice.ongoing is False


@pytest.mark.parametrize(
    ("answers", "problems"),
    [
        (
            {"level": None, "actor_type": None, "stage": None, "ongoing": None},
            [
                "Level of government: choose one",
                "Actor type: choose one",
                "Stage: choose one",
                "Ongoing or ended: choose one",
            ],
        ),
        ({"ongoing": "ended"}, ["End date: required for a practice that has ended"]),
        (
            {"ongoing": "unknown", "end_date": "2024-01-31"},
            ["Ongoing or ended: an end date is given; choose Ended, or remove the end date"],
        ),
    ],
)
def test_the_forms_name_every_choice_not_made(answers: dict[str, Any], problems: list[str]) -> None:
    raw = PRACTICE | {
        "level": "local",
        "actor_type": "government",
        "stage": "implementing",
        "ongoing": "ongoing",
    }
    record, said = validate(raw | answers)
    assert record is None and said == problems


@pytest.mark.parametrize(
    ("state", "end_date", "ongoing"),
    [("ongoing", None, True), ("ended", "2024-01-31", False), ("unknown", None, False)],
)
def test_the_forms_answer_becomes_the_records_yes_or_no(
    state: str, end_date: str | None, ongoing: bool
) -> None:
    raw = PRACTICE | {
        "level": "local",
        "actor_type": "government",
        "stage": "implementing",
        "ongoing": state,
        "end_date": end_date,
    }
    record, problems = validate(raw)
    assert problems == [] and record.ongoing is ongoing


def test_a_challenge_forms_unchosen_obstacle_and_severity_are_named() -> None:
    raw = {
        "slug": "new",
        "title": "Hearings are empty",
        "country": "XK",
        "description": "Nobody comes.",
        "themes": ["open-budgets"],
        "obstacle_type": None,
        "severity": None,
        "challenge_status": v.ChallengeStatus.open.value,
        "sources": [{"title": "Survey"}],
    }
    record, problems = validate(raw, ChallengeCreate)
    assert record is None
    assert problems == ["Main obstacle: choose one", "Severity: choose one"]


@pytest.mark.parametrize("column", ["Level of government", "Actor type", "Stage"])
def test_an_import_row_with_an_empty_fact_is_refused_naming_the_column(
    seeded_engine: Engine, column: str
) -> None:
    before = _state(seeded_engine)
    report = import_practices(seeded_engine, _csv(_row("no-fact", {column: ""})), "csv")
    assert not report.ok
    assert f"{column}: required" in report.lines()[1]
    assert _state(seeded_engine) == before
