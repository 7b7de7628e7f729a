"""The seed content of data/: its rules, and loading it (idempotent) on SQLite and PostgreSQL."""

from collections import Counter

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from forumdash import vocab as v
from forumdash.db import current_revision, head_revision
from forumdash.models import Challenge, Milestone, Practice, PracticeTheme, Revision
from forumdash.seed import SeedError, load_seed, read_seed
from forumdash.service import SEED_DIR, init_database

WESTERN_BALKANS = ["AL", "BA", "XK", "ME", "MK", "RS"]  # DOMAIN.md


@pytest.fixture(scope="module")
def seed():
    return read_seed(SEED_DIR)


def test_ten_countries_with_local_names(seed):
    codes = [row["code"] for row in seed["countries"]]
    assert codes == ["AL", "BA", "XK", "ME", "MK", "RS", "HR", "GB", "GE", "PL"]
    assert all(row["name_local"] for row in seed["countries"])
    groups = {row["code"]: row["region_group"] for row in seed["countries"]}
    assert {c for c, g in groups.items() if g == "western_balkans"} == set(WESTERN_BALKANS)


def test_theme_vocabulary_is_complete(seed):
    assert len(seed["themes"]) == 14
    assert {row["grand_challenge"] for row in seed["themes"]} <= set(v.GrandChallenge.values())


def test_enough_practices_per_country_and_theme(seed):
    practices = seed["practices"]
    assert len(practices) >= 36
    per_country = Counter(p.country for p in practices)
    for code in WESTERN_BALKANS:
        assert per_country[code] >= 4, code
    assert len({t for p in practices for t in p.themes}) >= 8


def test_enough_challenges(seed):
    assert len(seed["challenges"]) >= 12


def test_every_real_record_has_a_source(seed):
    for record in seed["practices"] + seed["challenges"] + seed["milestones"]:
        if not record.sample:
            assert record.sources, record.slug
    for practice in seed["practices"]:
        if not practice.sample:
            assert any(s.url.startswith(("https://", "http://")) for s in practice.sources), (
                practice.slug
            )


def test_slugs_are_unique(seed):
    for kind in ("practices", "challenges", "milestones"):
        slugs = [r.slug for r in seed[kind]]
        assert len(slugs) == len(set(slugs)), kind


def test_kosovo_milestones_from_the_correction(seed):
    kosovo = {m.date.isoformat(): m for m in seed["milestones"] if m.country == "XK"}
    assert {"2013-07-09", "2013-07-19", "2013-10-25", "2014-04-29"} <= set(kosovo)
    assert "08/139" in kosovo["2013-07-09"].title
    assert "06/186" in kosovo["2014-04-29"].title


def test_invalid_seed_lists_every_bad_record(tmp_path):
    for name in ("countries.csv", "themes.csv"):
        (tmp_path / name).write_text((SEED_DIR / name).read_text(encoding="utf-8"), "utf-8")
    (tmp_path / "practices.yaml").write_text(
        "- {slug: a, title: A, country: AL, summary: s, level: moon, actor_type: cso,"
        " themes: [open-data], stage: implementing, sample: true}\n"
        "- {slug: b, title: B, country: AL, summary: s, level: local, actor_type: cso,"
        " themes: [], stage: implementing, sample: true}\n",
        encoding="utf-8",
    )
    with pytest.raises(SeedError) as error:
        read_seed(tmp_path)
    assert "record 1 (a)" in str(error.value)
    assert "record 2 (b)" in str(error.value)


def test_migrates_from_empty_to_head(empty_engine):
    assert current_revision(empty_engine) == head_revision()


def _snapshot(engine):
    with Session(engine) as session:
        return {
            "practices": session.exec(
                select(Practice.slug, Practice.title, Practice.updated_at).order_by(Practice.slug)
            ).all(),
            "links": session.exec(
                select(PracticeTheme.practice_id, PracticeTheme.theme_slug).order_by(
                    PracticeTheme.practice_id, PracticeTheme.theme_slug
                )
            ).all(),
            "challenges": session.exec(select(Challenge.slug).order_by(Challenge.slug)).all(),
            "milestones": session.exec(select(Milestone.slug).order_by(Milestone.slug)).all(),
            "revisions": session.exec(select(sa.func.count()).select_from(Revision)).one(),
        }


def test_seed_loads_everything(seeded_engine, seed):
    snapshot = _snapshot(seeded_engine)
    assert len(snapshot["practices"]) == len(seed["practices"])
    assert len(snapshot["challenges"]) == len(seed["challenges"])
    assert len(snapshot["milestones"]) == len(seed["milestones"])
    total = len(seed["practices"]) + len(seed["challenges"]) + len(seed["milestones"])
    assert snapshot["revisions"] == total


def test_second_load_changes_nothing(seeded_engine):
    before = _snapshot(seeded_engine)
    report = load_seed(seeded_engine, SEED_DIR)
    assert report.total == 0
    assert init_database(seeded_engine) is None
    assert _snapshot(seeded_engine) == before


def test_adapted_from_links_resolve(seeded_engine, seed):
    expected = {p.slug: p.adapted_from for p in seed["practices"] if p.adapted_from}
    with Session(seeded_engine) as session:
        rows = session.exec(select(Practice.id, Practice.slug, Practice.adapted_from_id)).all()
    slug_of = {pid: slug for pid, slug, _ in rows}
    actual = {slug: slug_of[parent] for _, slug, parent in rows if parent is not None}
    assert actual == expected


def test_data_readme_lists_every_record_with_its_kind(seed):
    readme = (SEED_DIR / "README.md").read_text(encoding="utf-8")
    for record in seed["practices"] + seed["challenges"]:
        kind = "sample" if record.sample else "real"
        assert f"| `{record.slug}` | {record.country} | {kind} |" in readme, record.slug
