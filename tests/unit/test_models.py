import datetime as dt

import pytest
import sqlalchemy as sa
from pydantic import ValidationError
from sqlmodel import Session

from forumdash import vocab as v
from forumdash.models import Practice, PracticeCreate, SourceLink, User

VALID = {
    "slug": "xx-test",
    "title": "A practice",
    "country": "AL",
    "summary": "What it is.",
    "level": "national",
    "actor_type": "government",
    "themes": ["open-data"],
    "stage": "implementing",
    "sources": [{"title": "Its site", "url": "https://example.org"}],
}


def test_practice_create_accepts_a_valid_record():
    practice = PracticeCreate.model_validate(VALID)
    assert practice.level == v.GovLevel.national
    assert practice.workflow == v.Workflow.draft  # never published unasked


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"themes": []}, "1 to 3 themes"),
        ({"themes": ["a", "b", "c", "d"]}, "1 to 3 themes"),
        ({"stage": "finished"}, "stage"),
        ({"level": "galactic"}, "level"),
        ({"title": "   "}, r"title\n.*required"),
        ({"title": "x" * 201}, "at most 200"),
        ({"sources": []}, "at least one source"),
        ({"sources": [{"title": "x", "url": "javascript:alert(1)"}]}, "http"),
        ({"start_date": "2020-05-01", "end_date": "2019-01-01"}, "before the start date"),
        ({"body": {"nonsense": "x"}}, "unknown body sections"),
    ],
)
def test_practice_create_rejects(change, message):
    with pytest.raises(ValidationError, match=message):
        PracticeCreate.model_validate(VALID | change)


def test_every_problem_of_a_record_is_reported_at_once():
    """A form hears about a missing title, a missing source and dates in the wrong order in one
    go, each under its field, not one round at a time."""
    bad = VALID | {
        "title": " ",
        "summary": "",
        "sources": [],
        "themes": [],
        "start_date": "2020-05-01",
        "end_date": "2019-01-01",
    }
    with pytest.raises(ValidationError) as caught:
        PracticeCreate.model_validate(bad)
    where = {err["loc"][0] for err in caught.value.errors()}
    assert where == {"title", "summary", "sources", "themes", "end_date"}


def test_a_record_that_leaves_sources_out_is_refused_like_one_with_none():
    without = {key: value for key, value in VALID.items() if key != "sources"}
    with pytest.raises(ValidationError, match="at least one source"):
        PracticeCreate.model_validate(without)
    assert PracticeCreate.model_validate(without | {"sample": True}).sources == []


def test_practice_create_cleans_text():
    practice = PracticeCreate.model_validate(VALID | {"title": "  A\x00 title\r\n "})
    assert practice.title == "A title"


def test_start_year_follows_start_date():
    practice = PracticeCreate.model_validate(VALID | {"start_date": dt.date(2016, 3, 1)})
    assert practice.start_year == 2016


def test_sample_records_may_lack_sources():
    assert PracticeCreate.model_validate(VALID | {"sources": [], "sample": True}).sample


def test_source_without_url_is_a_citation():
    assert SourceLink(title="Decision No. 06/186").url == ""


def test_database_rejects_a_value_outside_the_vocabulary(seeded_engine):
    with Session(seeded_engine) as session, pytest.raises(sa.exc.IntegrityError):
        session.execute(
            sa.text(
                "INSERT INTO theme (slug, name, grand_challenge, sort_order)"
                " VALUES ('x', 'X', 'world_peace', 99)"
            )
        )


def test_database_stores_enum_values_not_names(seeded_engine):
    with Session(seeded_engine) as session:
        stored = session.execute(sa.text("SELECT DISTINCT rated_by FROM practice")).scalars().all()
        assert "self_assessed" not in stored
        row = session.execute(sa.select(Practice).limit(1)).scalar_one()
        assert isinstance(row.stage, v.Stage)


def test_focal_point_needs_a_country_in_the_database(seeded_engine):
    with Session(seeded_engine) as session, pytest.raises(sa.exc.IntegrityError):
        session.add(User(email="f@example.org", password_hash="x", role=v.Role.focal_point))
        session.commit()


def test_vocab_labels_read_well():
    assert v.OgpValue.technology_innovation.label == "Technology and innovation"
    assert v.Stage.identifying_problems.label == "Identifying problems"
    assert v.RatedBy.self_assessed.value == "self"


def test_a_list_row_says_when_a_practice_ran():
    from forumdash.models import PracticeSummary

    row = PracticeSummary(
        id=1,
        title="T",
        summary="S",
        country_code="AL",
        country_name="Albania",
        themes=[],
        stage=v.Stage.implementing,
        start_year=2016,
        is_sample=False,
    )
    assert row.period == "since 2016"
    assert row.model_copy(update={"end_year": 2019}).period == "2016–2019"
    assert row.model_copy(update={"start_year": None, "end_year": 2019}).period == "ended 2019"
