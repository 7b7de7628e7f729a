"""The /compare page's domain (forumdash.compare) and charts, on SQLite and PostgreSQL: URL
parameters, counts that agree with the browse facets, only published records, field diffs."""

from pathlib import Path

import pytest
from sqlmodel import select

from forumdash import charts, compare, repository
from forumdash import vocab as v
from forumdash.db import read_session, write_session
from forumdash.filters import PracticeFilters
from forumdash.importers.ogp import import_ogp
from forumdash.models import ChallengeCreate, Practice, PracticeCreate

CODES = ["AL", "RS", "XK"]
OGP_SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "ogp_sample.csv"


def _draft_practice(country: str = "AL") -> PracticeCreate:
    return PracticeCreate(
        slug=f"compare-draft-{country.lower()}",
        title="A compare draft nobody may see",
        country=country,
        summary="Not published.",
        level=v.GovLevel.local,
        actor_type=v.ActorType.cso,
        themes=["open-data", "justice"],
        stage=v.Stage.diffusing_lessons,
        assessment={"completion": "complete", "early_results": "outstanding"},
        sources=[{"title": "A source", "url": "https://example.org"}],
        workflow=v.Workflow.draft,
    )


def _challenge(slug: str, workflow: v.Workflow, status: v.ChallengeStatus) -> ChallengeCreate:
    return ChallengeCreate(
        slug=slug,
        title=f"Challenge {slug}",
        country="AL",
        description="A test challenge.",
        themes=["justice"],
        obstacle_type=v.ObstacleType.capacity,
        severity=v.Severity.low,
        challenge_status=status,
        sources=[{"title": "A source"}],
        workflow=workflow,
    )


# --------------------------------------------------------------------------- URL parameters


def test_countries_from_the_url_any_case_repeated_or_comma_separated():
    known = ["AL", "BA", "XK", "ME", "MK", "RS"]
    assert compare.parse_countries("AL,RS,XK", known).values == ("AL", "RS", "XK")
    assert compare.parse_countries(["al", "rs, xk"], known).values == ("AL", "RS", "XK")
    picked = compare.parse_countries(["AL", "al", "RS"], known)
    assert picked.values == ("AL", "RS") and picked.notices == () and picked.enough


def test_unknown_codes_are_dropped_with_a_notice():
    picked = compare.parse_countries(["ZZ,<b>x</b>", "AL"], ["AL", "RS"])
    assert picked.values == ("AL",)
    assert not picked.enough
    assert picked.notices == (
        "Ignored unknown country code “ZZ”.",
        "Ignored unknown country code “<b>x</b>”.",
    )
    long = compare.parse_countries("A" * 500, ["AL"]).notices[0]
    assert len(long) < 80  # a long value is cut in the notice


def test_more_than_three_countries_keep_the_first_three():
    picked = compare.parse_countries("AL,RS,XK,ME,MK", ["AL", "RS", "XK", "ME", "MK"])
    assert picked.values == ("AL", "RS", "XK")
    assert picked.notices == ("At most 3 countries can be compared: showing the first 3.",)


@pytest.mark.parametrize(
    ("raw", "values", "bad"),
    [
        ("12,40", (12, 40), 0),
        (["12", "40,7"], (12, 40, 7), 0),
        ("abc", (), 1),
        ("12,-3,1.5,0,١٢", (12,), 4),  # negative, decimal, zero, non-ASCII digits
        ("12,12,40", (12, 40), 0),
        ("9999999999", (), 1),  # longer than any id
        (None, (), 0),
    ],
)
def test_practice_ids_from_the_url(raw, values, bad):
    picked = compare.parse_practice_ids(raw)
    assert picked.values == values
    assert sum("is not a practice id" in n for n in picked.notices) == bad


def test_more_than_three_practices_keep_the_first_three():
    picked = compare.parse_practice_ids("1,2,3,4")
    assert picked.values == (1, 2, 3)
    assert "At most 3 practices" in picked.notices[0]


# --------------------------------------------------------------------------- countries


def _facets(session, code: str) -> dict[str, dict[str, int]]:
    return repository.facet_counts(session=session, filters=PracticeFilters(countries=(code,)))


def test_country_counts_agree_with_the_browse_facets(seeded_engine):
    with read_session(seeded_engine) as session:
        data = compare.country_comparison(session, CODES)
        facets = {code: _facets(session, code) for code in CODES}
    assert data.codes == CODES
    assert [c.name_en for c in data.countries] == ["Albania", "Serbia", "Kosovo"]
    for code in CODES:
        total = facets[code]["countries"][code]
        assert total > 0
        assert data.figure(code, "practices") == total
        themes = data.themes[data.themes["code"] == code].set_index("slug")["practices"]
        assert {s: n for s, n in themes.items() if n} == facets[code]["themes"]
        stages = data.stages[data.stages["code"] == code].set_index("value")["practices"]
        assert {s: n for s, n in stages.items() if n} == facets[code]["stages"]
        assert stages.sum() == total
        completion = data.completion[data.completion["code"] == code].set_index("value")
        rated = {s: n for s, n in completion["practices"].items() if n and s}
        assert rated == facets[code]["completions"]
        assert completion.loc["", "practices"] == total - sum(rated.values())
        early = data.early_results[data.early_results["code"] == code]
        assert early["practices"].sum() == total


def test_wide_tables_have_a_column_per_country_in_the_chosen_order(seeded_engine):
    with read_session(seeded_engine) as session:
        data = compare.country_comparison(session, ["XK", "AL"])
        by_country_theme = repository.count_practices_by_country_theme(session=session)
    wide = data.wide(data.themes, ["slug", "theme"], "practices")
    assert list(wide.columns) == ["slug", "theme", "XK", "AL"]
    assert len(wide) == 14  # every theme of the vocabulary, zero included
    expected = {(c, s): n for c, s, n in by_country_theme if c in ("XK", "AL")}
    for _, row in wide.iterrows():
        for code in ("XK", "AL"):
            assert row[code] == expected.get((code, row["slug"]), 0)


def test_open_challenges_per_country_and_theme(seeded_engine):
    with read_session(seeded_engine) as session:
        open_by_country = {
            code: sum(
                1
                for c in repository.list_challenges(session=session, countries=[code])
                if c.challenge_status != v.ChallengeStatus.resolved
            )
            for code in CODES
        }
        data = compare.country_comparison(session, CODES)
    for code in CODES:
        assert data.figure(code, "open_challenges") == open_by_country[code]
    assert data.figure("AL", "open_challenges") > 0
    cell = data.themes.set_index(["code", "slug"]).loc[("AL", "justice"), "open_challenges"]
    assert cell >= 1  # the seed's Albanian justice challenge


def test_unpublished_records_are_not_counted(seeded_engine):
    with read_session(seeded_engine) as session:
        before = compare.country_comparison(session, CODES)
    with write_session(seeded_engine) as session:
        repository.create_practice(session=session, practice_in=_draft_practice())
        for slug, workflow, status in [
            ("cmp-draft", v.Workflow.draft, v.ChallengeStatus.open),
            ("cmp-submitted", v.Workflow.submitted, v.ChallengeStatus.open),
            ("cmp-resolved", v.Workflow.published, v.ChallengeStatus.resolved),
        ]:
            repository.create_challenge(
                session=session, challenge_in=_challenge(slug, workflow, status)
            )
    with read_session(seeded_engine) as session:
        after = compare.country_comparison(session, CODES)
    assert after.headline.equals(before.headline)
    assert after.themes.equals(before.themes)
    assert after.stages.equals(before.stages)
    assert after.completion.equals(before.completion)
    assert after.early_results.equals(before.early_results)
    # ... while a published, open one is counted (so the comparison above can fail).
    with write_session(seeded_engine) as session:
        repository.create_challenge(
            session=session,
            challenge_in=_challenge("cmp-open", v.Workflow.published, v.ChallengeStatus.open),
        )
    with read_session(seeded_engine) as session:
        counted = compare.country_comparison(session, CODES)
    assert counted.figure("AL", "open_challenges") == before.figure("AL", "open_challenges") + 1


def test_commitments_summarised_with_their_irm_ratings(seeded_engine):
    with read_session(seeded_engine) as session:
        empty = compare.country_comparison(session, ["AL", "ME"])
    assert not empty.has_commitments()
    assert empty.figure("AL", "commitments") == 0
    assert import_ogp(seeded_engine, OGP_SAMPLE.read_bytes()).ok
    with read_session(seeded_engine) as session:
        data = compare.country_comparison(session, ["AL", "ME"])
    assert data.has_commitments()
    assert data.figure("AL", "commitments") == 2 and data.figure("ME", "commitments") == 1
    table = data.wide(data.commitments, ["group", "value"], "commitments").set_index(
        ["group", "value"]
    )
    assert table.loc[("Commitments", "starred"), "ME"] == 1  # ME9001 is starred
    assert table.loc[("Commitments", "starred"), "AL"] == 0
    # AL9001: moderate, substantial at the end of term; AL9002: all ND / NA.
    assert table.loc[("Potential impact", "moderate"), "AL"] == 1
    assert table.loc[("Potential impact", ""), "AL"] == 1
    assert table.loc[("Completion", "substantial"), "AL"] == 1
    assert table.loc[("Did it open government", "marginal"), "AL"] == 1
    for group in ("Potential impact", "Completion", "Did it open government"):
        assert table.loc[group, "AL"].sum() == 2


def test_milestones_per_country_in_date_order(seeded_engine):
    with read_session(seeded_engine) as session:
        data = compare.country_comparison(session, ["XK", "AL"])
        kosovo = repository.list_milestones(session=session, country="XK")
    rows = data.milestones[data.milestones["code"] == "XK"]
    assert list(rows["title"]) == [m.title for m in kosovo]
    assert rows.iloc[0]["when"] == "2013-07-09"
    assert data.figure("XK", "milestones") == len(kosovo) >= 5
    assert "June 2014" in set(rows["when"])  # shown only as precisely as known


def test_unknown_codes_are_left_out(seeded_engine):
    with read_session(seeded_engine) as session:
        data = compare.country_comparison(session, ["al", "ZZ", "RS"])
    assert data.codes == ["AL", "RS"]
    assert set(data.themes["code"]) == {"AL", "RS"}


# --------------------------------------------------------------------------- practices


def _two_published(session) -> list[int]:
    rows = repository.list_practices(session=session, limit=500)
    first = rows[0]
    second = next(r for r in rows if r.country_code != first.country_code)
    return [first.id, second.id]


def test_practices_side_by_side_field_by_field(seeded_engine):
    with read_session(seeded_engine) as session:
        ids = _two_published(session)
        result = compare.practice_comparison(session, ids)
        practices = [repository.get_practice(session=session, practice_id=i) for i in ids]
    assert [p.id for p in result.practices] == ids and result.missing == ()
    assert result.columns == [str(i) for i in ids]
    frame = result.frame.set_index("key")
    assert list(result.frame.columns) == ["key", "field", *map(str, ids), "differs"]
    assert frame.loc["title", str(ids[0])] == practices[0].title
    assert frame.loc["country", str(ids[1])] == practices[1].country_name
    differs = result.frame.set_index("key")["differs"]
    assert differs["country"]  # two countries
    assert frame.loc["stage", str(ids[0])] == practices[0].stage.label
    same_stage = practices[0].stage == practices[1].stage
    assert differs["stage"] == (not same_stage)
    for key in ("themes", "dates", "completion", "evidence_level", "summary", "sources"):
        assert key in frame.index
    assert frame.loc["sources", str(ids[0])] == "; ".join(s.title for s in practices[0].sources)


def test_transfer_conditions_are_labelled_as_on_the_practice_page(seeded_engine):
    with read_session(seeded_engine) as session:
        rows = repository.list_practices(session=session, limit=500)
        full = [repository.get_practice(session=session, practice_id=r.id) for r in rows]
        with_conditions = [p for p in full if p.transfer_conditions][:2]
        assert with_conditions, "the seed has practices with transfer conditions"
        result = compare.practice_comparison(session, [p.id for p in with_conditions])
    frame = result.frame.set_index("key")
    for practice in with_conditions:
        cell = frame.loc["transferability", str(practice.id)]
        assert f"Conditions: {practice.transfer_conditions}" in cell


def test_same_practice_twice_is_one_column(seeded_engine):
    with read_session(seeded_engine) as session:
        first = _two_published(session)[0]
        result = compare.practice_comparison(session, [first, first])
    assert len(result.practices) == 1
    assert not result.frame["differs"].any()


def test_unpublished_and_unknown_practices_are_refused(seeded_engine):
    with write_session(seeded_engine) as session:
        draft_id = repository.create_practice(session=session, practice_in=_draft_practice())
    with read_session(seeded_engine) as session:
        published = _two_published(session)[0]
        highest = max(session.exec(select(Practice.id)).all())
        result = compare.practice_comparison(session, [published, draft_id, highest + 100])
    assert [p.id for p in result.practices] == [published]
    assert result.missing == (draft_id, highest + 100)
    assert str(draft_id) not in result.frame.columns
    assert "A compare draft nobody may see" not in result.frame.to_string()


def test_missing_values_are_shown_as_a_dash(seeded_engine):
    with read_session(seeded_engine) as session:
        unrated = session.exec(
            select(Practice.id).where(
                Practice.workflow == v.Workflow.published, Practice.completion.is_(None)
            )
        ).first()
        result = compare.practice_comparison(session, [unrated])
    assert result.frame.set_index("key").loc["completion", str(unrated)] == compare.MISSING


# --------------------------------------------------------------------------- charts


def test_theme_chart_groups_bars_by_country_and_links_to_browse(seeded_engine):
    with read_session(seeded_engine) as session:
        data = compare.country_comparison(session, CODES)
    spec = charts.compare_themes_chart(data.themes, data.codes).to_dict()
    bars, tags = spec["layer"]
    assert bars["mark"]["type"] == "bar" and tags["mark"]["type"] == "text"
    assert bars["encoding"]["yOffset"]["field"] == "country"
    assert bars["encoding"]["color"]["scale"]["domain"] == ["Albania", "Serbia", "Kosovo"]
    assert bars["encoding"]["href"]["field"] == "url"
    # Each bar says its country by its code too, not by its colour alone.
    assert tags["encoding"]["text"]["field"] == "tag"
    rows = next(iter(spec["datasets"].values()))
    assert {r["tag"] for r in rows if r["slug"] == "open-data"} == {"AL 2", "RS 1", "XK 1"}
    themes_with_practices = set(data.themes.loc[data.themes["practices"] > 0, "slug"])
    assert {r["slug"] for r in rows} == themes_with_practices  # empty themes left out
    row = next(r for r in rows if r["code"] == "XK" and r["slug"] == "open-data")
    assert row["url"] == "/browse?country=XK&theme=open-data"


def test_distribution_chart_orders_levels_and_leaves_not_rated_empty(seeded_engine):
    with read_session(seeded_engine) as session:
        data = compare.country_comparison(session, CODES)
    spec = charts.compare_distribution_chart(
        data.completion, ["Albania", "Serbia", "Kosovo"], title="Completion"
    ).to_dict()
    scale = spec["encoding"]["color"]["scale"]
    assert scale["domain"] == [m.label for m in v.Completion] + ["Not rated"]
    assert scale["range"][-1] == charts.NOT_RATED_COLOR
    assert len(set(scale["range"])) == len(scale["range"])
    assert spec["encoding"]["y"]["sort"] == ["Albania", "Serbia", "Kosovo"]
    rows = next(iter(spec["datasets"].values()))
    assert all(r["practices"] > 0 for r in rows)
    stages = charts.compare_distribution_chart(data.stages, ["Albania"], title="Stage").to_dict()
    assert "Not rated" not in stages["encoding"]["color"]["scale"]["domain"]
