"""Queries of the repository, on SQLite and PostgreSQL."""

from sqlmodel import Session, select

from forumdash import repository
from forumdash import vocab as v
from forumdash.db import read_session, write_session
from forumdash.models import Practice, PracticeCreate

WESTERN_BALKANS = ["AL", "BA", "XK", "ME", "MK", "RS"]  # DOMAIN.md


def _draft(slug: str = "al-draft", country: str = "AL") -> PracticeCreate:
    return PracticeCreate(
        slug=slug,
        title="An unpublished draft",
        country=country,
        summary="Not for the public yet.",
        level=v.GovLevel.local,
        actor_type=v.ActorType.cso,
        themes=["open-data", "anti-corruption"],
        ogp_values=[v.OgpValue.civic_participation, v.OgpValue.access_to_information],
        stage=v.Stage.implementing,
        sources=[{"title": "A source", "url": "https://example.org"}],
        workflow=v.Workflow.draft,
    )


def test_create_and_get_practice(empty_engine):
    with write_session(empty_engine) as session:
        from forumdash.seed import _insert_missing_countries, _insert_missing_themes, read_seed
        from forumdash.service import SEED_DIR

        seed = read_seed(SEED_DIR)
        _insert_missing_countries(session, seed["countries"])
        _insert_missing_themes(session, seed["themes"])
        practice_id = repository.create_practice(session=session, practice_in=_draft())
    with read_session(empty_engine) as session:
        assert repository.get_practice(session=session, practice_id=practice_id) is None
        practice = repository.get_practice(
            session=session, practice_id=practice_id, published_only=False
        )
        assert practice is not None
        assert practice.country_name == "Albania"
        assert practice.themes == ["open-data", "anti-corruption"]  # vocabulary order
        assert practice.ogp_values == [
            v.OgpValue.access_to_information,
            v.OgpValue.civic_participation,
        ]
        assert (
            repository.count_revisions(
                session=session, record_type=v.RecordType.practice, record_id=practice_id
            )
            == 1
        )


def test_drafts_stay_out_of_public_lists_and_counts(seeded_engine):
    with read_session(seeded_engine) as session:
        before = repository.count_practices_by_country(session=session)
        listed_before = len(repository.list_practices(session=session, country="AL", limit=500))
    with write_session(seeded_engine) as session:
        repository.create_practice(session=session, practice_in=_draft())
    with read_session(seeded_engine) as session:
        assert repository.count_practices_by_country(session=session) == before
        listed = repository.list_practices(session=session, country="AL", limit=500)
        assert len(listed) == listed_before
        assert "An unpublished draft" not in [p.title for p in listed]
        counts = repository.record_counts(session=session)
        assert counts["practices"]["by_country"]["AL"] == before["AL"] + 1


def test_counts_agree_with_rows(seeded_engine):
    with Session(seeded_engine) as session:
        published = session.exec(
            select(Practice.country_code).where(Practice.workflow == v.Workflow.published)
        ).all()
        by_country = repository.count_practices_by_country(session=session)
        assert sum(by_country.values()) == len(published)
        by_theme = repository.count_practices_by_theme(session=session)
        assert sum(by_theme.values()) >= len(published)
        cells = repository.count_practices_by_country_theme(session=session)
        assert sum(n for _, _, n in cells) == sum(by_theme.values())


def test_list_practices_pages_without_overlap(seeded_engine):
    with read_session(seeded_engine) as session:
        first = repository.list_practices(session=session, limit=10)
        second = repository.list_practices(session=session, limit=10, offset=10)
    assert len(first) == 10
    assert not {p.id for p in first} & {p.id for p in second}


def test_milestones_of_kosovo_in_date_order(seeded_engine):
    with read_session(seeded_engine) as session:
        kosovo = repository.list_milestones(session=session, country="xk")
        with_regional = repository.list_milestones(
            session=session, country="XK", include_regional=True
        )
    dates = [m.date for m in kosovo]
    assert dates == sorted(dates)
    assert dates[0].isoformat() == "2013-07-09"
    assert len(with_regional) > len(kosovo)
    assert any(m.country_code is None for m in with_regional)


def test_record_counts_shape(seeded_engine):
    with read_session(seeded_engine) as session:
        counts = repository.record_counts(session=session)
    assert counts["countries"][:6] == WESTERN_BALKANS
    for kind in ("practices", "challenges", "commitments", "milestones"):
        assert set(counts[kind]) == {"total", "by_country"}
        assert sum(counts[kind]["by_country"].values()) <= counts[kind]["total"]
    assert counts["milestones"]["by_country"]["XK"] >= 4


def test_unknown_country_is_none(seeded_engine):
    with read_session(seeded_engine) as session:
        assert repository.get_country(session=session, code="ZZ") is None
        assert repository.get_country(session=session, code="xk").name_en == "Kosovo"
