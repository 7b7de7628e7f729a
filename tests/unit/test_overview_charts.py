"""The overview's aggregates (published records only) and its charts, through their specs."""

import datetime as dt
import types
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from forumdash import charts, filters, palette, repository, stats
from forumdash import vocab as v
from forumdash.db import read_session, write_session
from forumdash.models import ChallengeCreate, PracticeCreate
from forumdash.ui import charts as chart_ui

# The seed's practices that record where they came from (data/practices.yaml, adapted_from).
SEED_FLOWS = {("MK", "AL"), ("PL", "BA"), ("RS", "XK")}


def _practice(
    slug: str, *, workflow: v.Workflow, adapted_from: str | None = None
) -> PracticeCreate:
    return PracticeCreate(
        slug=slug,
        title=f"Practice {slug}",
        country="ME",
        summary="A test practice.",
        level=v.GovLevel.local,
        actor_type=v.ActorType.cso,
        themes=["justice", "open-data"],
        stage=v.Stage.diffusing_lessons,
        start_year=1999,
        adapted_from=adapted_from,
        sources=[{"title": "A source", "url": "https://example.org"}],
        workflow=workflow,
    )


def _aggregates(engine) -> dict[str, object]:
    with read_session(engine) as session:
        return {
            "heatmap": stats.country_theme_frame(session=session),
            "stages": stats.practices_by_stage_frame(session=session),
            "years": stats.practices_by_year_frame(session=session),
            "challenges": stats.open_challenges_by_theme_frame(session=session),
            "flows": stats.adaptation_flows_frame(session=session),
        }


def _rows(spec: dict) -> list[dict]:
    """The rows of a spec's (single) inline dataset."""
    (values,) = spec["datasets"].values()
    return values


def _encoding(spec: dict) -> dict:
    """The encoding of a layered chart's first layer (Altair copies the shared one into each)."""
    return spec["layer"][0]["encoding"]


def _layer_with(spec: dict, mark: str) -> list[dict]:
    return [layer for layer in spec["layer"] if layer["mark"]["type"] == mark]


# --------------------------------------------------------------------------- aggregates


def test_heatmap_frame_has_every_pair_and_agrees_with_the_counts(readonly_engine):
    with read_session(readonly_engine) as session:
        frame = stats.country_theme_frame(session=session)
        by_country = repository.count_practices_by_country(session=session)
        by_theme = repository.count_practices_by_theme(session=session)
        countries = [c.code for c in repository.list_countries(session=session)]
        themes = list(repository.theme_names(session=session))
    assert list(frame.columns) == ["code", "country", "slug", "theme", "practices"]
    assert len(frame) == len(countries) * len(themes) == 140
    assert list(dict.fromkeys(frame["code"])) == countries
    assert list(dict.fromkeys(frame["slug"])) == themes
    per_country = frame.groupby("code")["practices"].sum().to_dict()
    # A practice has one to three themes: the heatmap counts it once per theme.
    for code in countries:
        assert per_country[code] >= by_country.get(code, 0)
    assert frame.groupby("slug")["practices"].sum().to_dict() == {
        slug: by_theme.get(slug, 0) for slug in themes
    }
    assert (frame["practices"] == 0).any()  # zero cells are rows too


def test_heatmap_frame_matches_browse_counts_cell_by_cell(readonly_engine):
    """Each cell's number is what /browse?country=..&theme=.. shows."""
    with read_session(readonly_engine) as session:
        frame = stats.country_theme_frame(session=session, countries=["AL", "MK"])
        for row in frame.itertuples():
            chosen = filters.PracticeFilters(countries=(row.code,), themes=(row.slug,))
            assert repository.count_matching(session=session, filters=chosen) == row.practices


def test_heatmap_frame_restricted_to_countries_and_themes(readonly_engine):
    with read_session(readonly_engine) as session:
        frame = stats.country_theme_frame(
            session=session, countries=["xk", "AL"], themes=["open-data", "justice"]
        )
        full = stats.country_theme_frame(session=session)
    assert list(frame["code"]) == ["AL", "AL", "XK", "XK"]  # the vocabulary's order
    assert list(frame["slug"]) == ["open-data", "justice"] * 2
    expected = full.set_index(["code", "slug"])["practices"]
    assert all(expected[(r.code, r.slug)] == r.practices for r in frame.itertuples())


def test_stage_year_and_challenge_frames_on_the_seed(readonly_engine):
    with read_session(readonly_engine) as session:
        stages = stats.practices_by_stage_frame(session=session)
        years = stats.practices_by_year_frame(session=session)
        challenges = stats.open_challenges_by_theme_frame(session=session)
        total = sum(repository.count_practices_by_country(session=session).values())
        by_year = repository.count_practices_by_start_year(session=session)
        open_by_theme = repository.count_open_challenges_by_theme(session=session)
    assert list(stages["stage"]) == v.Stage.values()
    assert list(stages["label"]) == [s.label for s in v.Stage]
    assert stages["practices"].sum() == total
    assert list(years["year"]) == list(range(years["year"].min(), years["year"].max() + 1))
    assert years["practices"].sum() + by_year.get(None, 0) == total
    assert by_year.get(None, 0) > 0  # the seed has practices without a start year
    assert len(challenges) == 14
    assert challenges.set_index("slug")["challenges"].to_dict() == {
        slug: open_by_theme.get(slug, 0) for slug in challenges["slug"]
    }


def test_adaptation_flows_of_the_seed(readonly_engine):
    with read_session(readonly_engine) as session:
        flows = stats.adaptation_flows_frame(session=session)
    assert list(flows.columns) == stats.ADAPTATION_COLUMNS
    assert set(zip(flows["from_code"], flows["to_code"], strict=True)) == SEED_FLOWS
    assert flows.set_index("to_code")["from_country"].to_dict()["AL"] == "North Macedonia"
    assert (flows["practices"] == 1).all()


def test_unpublished_records_change_no_aggregate(seeded_engine):
    before = _aggregates(seeded_engine)
    with write_session(seeded_engine) as session:
        draft = repository.create_practice(
            session=session, practice_in=_practice("me-draft", workflow=v.Workflow.draft)
        )
        repository.create_practice(
            session=session,
            practice_in=_practice("me-waiting", workflow=v.Workflow.submitted),
        )
        repository.create_challenge(
            session=session,
            challenge_in=ChallengeCreate(
                slug="me-draft-challenge",
                title="A draft challenge",
                country="ME",
                description="Not public.",
                themes=["justice"],
                obstacle_type=v.ObstacleType.capacity,
                severity=v.Severity.high,
                sources=[{"title": "A source", "url": "https://example.org"}],
                workflow=v.Workflow.draft,
            ),
        )
    after = _aggregates(seeded_engine)
    for name, frame in before.items():
        pd.testing.assert_frame_equal(after[name], frame, obj=name)

    # Once published, the same practice counts everywhere (so the test above can fail).
    with write_session(seeded_engine) as session:
        repository.set_practice_workflow(
            session=session, practice_id=draft, workflow=v.Workflow.published
        )
    published = _aggregates(seeded_engine)
    cells = published["heatmap"].set_index(["code", "slug"])["practices"]
    old_cells = before["heatmap"].set_index(["code", "slug"])["practices"]
    assert cells[("ME", "justice")] == old_cells[("ME", "justice")] + 1
    assert cells[("ME", "open-data")] == old_cells[("ME", "open-data")] + 1
    stages = published["stages"].set_index("stage")["practices"]
    old_stages = before["stages"].set_index("stage")["practices"]
    assert stages["diffusing_lessons"] == old_stages["diffusing_lessons"] + 1
    assert published["years"]["year"].min() == 1999


def test_a_flow_needs_both_practices_published(seeded_engine):
    with write_session(seeded_engine) as session:
        origin = repository.create_practice(
            session=session, practice_in=_practice("me-origin", workflow=v.Workflow.draft)
        )
        adapted = _practice("me-adapted", workflow=v.Workflow.published, adapted_from="me-origin")
        repository.create_practice(
            session=session, practice_in=adapted.model_copy(update={"country": "GE"})
        )
    with read_session(seeded_engine) as session:
        flows = stats.adaptation_flows_frame(session=session)
        assert len(repository.list_adaptation_pairs(session=session)) == len(SEED_FLOWS)
    assert set(zip(flows["from_code"], flows["to_code"], strict=True)) == SEED_FLOWS
    with write_session(seeded_engine) as session:
        repository.set_practice_workflow(
            session=session, practice_id=origin, workflow=v.Workflow.published
        )
    with read_session(seeded_engine) as session:
        flows = stats.adaptation_flows_frame(session=session)
    assert set(zip(flows["from_code"], flows["to_code"], strict=True)) == SEED_FLOWS | {
        ("ME", "GE")
    }


def test_flow_between_two_published_practices_is_counted(seeded_engine):
    with write_session(seeded_engine) as session:
        repository.create_practice(
            session=session,
            practice_in=_practice(
                "me-from-open-finance",
                workflow=v.Workflow.published,
                adapted_from="mk-open-finance",
            ),
        )
    with read_session(seeded_engine) as session:
        flows = stats.adaptation_flows_frame(session=session)
        pairs = repository.list_adaptation_pairs(session=session, limit=10)
    assert set(zip(flows["from_code"], flows["to_code"], strict=True)) == SEED_FLOWS | {
        ("MK", "ME")
    }
    assert pairs[0][0].title == "Practice me-from-open-finance"  # newest first
    assert pairs[0][1].country_code == "MK"
    assert len(pairs) == 4


def test_empty_database_gives_empty_frames(empty_engine):
    aggregates = _aggregates(empty_engine)
    for name in ("heatmap", "years", "flows", "challenges"):
        assert aggregates[name].empty, name
    assert list(aggregates["stages"]["practices"]) == [0] * 6
    spec = charts.adaptation_chart(aggregates["flows"]).to_dict()
    assert _rows(spec) == [{"text": charts.NO_ADAPTATIONS}]


# --------------------------------------------------------------------------- chart specs


@pytest.fixture(scope="module")
def seed_frames(readonly_engine) -> dict[str, pd.DataFrame]:
    return _aggregates(readonly_engine)


def test_heatmap_spec_links_cells_to_browse(seed_frames):
    frame = seed_frames["heatmap"]
    spec = charts.country_theme_heatmap(frame).to_dict()
    empty, filled = _layer_with(spec, "rect")
    (text,) = _layer_with(spec, "text")
    assert "href" not in empty.get("encoding", {})  # an empty cell goes nowhere
    for layer in (filled, text):
        assert layer["encoding"]["href"]["field"] == "url"
        assert layer["transform"] == [{"filter": "(datum.practices > 0)"}]
    assert text["encoding"]["text"]["field"] == "practices"
    assert _encoding(spec)["x"]["sort"] == list(dict.fromkeys(frame["country"]))
    assert _encoding(spec)["y"]["sort"] == list(dict.fromkeys(frame["theme"]))
    assert empty["mark"]["color"] == charts.HEAT_EMPTY
    rows = _rows(spec)
    albania = next(r for r in rows if r["code"] == "AL" and r["slug"] == "open-data")
    assert albania["url"] == "/browse?country=AL&theme=open-data"
    # The link is one the browse page reads back as exactly that filter.
    parsed = filters.from_params(
        parse_qs(urlsplit(albania["url"]).query),
        countries=frame["code"],
        themes=frame["slug"],
    )
    assert parsed == filters.PracticeFilters(countries=("AL",), themes=("open-data",))
    assert not parsed.notices
    assert spec["usermeta"]["embedOptions"]["renderer"] == "svg"


def test_heatmap_colours_and_text_contrast(seed_frames):
    spec = charts.country_theme_heatmap(seed_frames["heatmap"]).to_dict()
    _, filled = _layer_with(spec, "rect")
    (text,) = _layer_with(spec, "text")
    peak = int(seed_frames["heatmap"]["practices"].max())
    # Each cell's colour and its number's are in its row (worked out in Python, checked here).
    assert filled["encoding"]["color"] == {
        "field": "fill",
        "type": "nominal",
        "scale": None,
        "legend": None,
    }
    assert text["encoding"]["color"] == {"field": "ink", "type": "nominal", "scale": None}
    rows = [r for r in _rows(spec) if r["practices"] > 0]
    assert {r["fill"] for r in rows if r["practices"] == 1} == {palette.COUNT_RAMP[0]}
    assert {r["fill"] for r in rows if r["practices"] == peak} == {palette.COUNT_RAMP[-1]}
    for row in rows:
        assert palette.contrast(row["fill"], palette.BACKGROUND) >= 3
        assert palette.contrast(row["ink"], row["fill"]) >= 4.5
    # Darker for more.
    by_count = {r["practices"]: palette.luminance(r["fill"]) for r in rows}
    assert [by_count[n] for n in sorted(by_count)] == sorted(by_count.values(), reverse=True)


def test_heatmap_large_is_readable_on_a_1920_display(seed_frames):
    normal = charts.country_theme_heatmap(seed_frames["heatmap"]).to_dict()
    large = charts.country_theme_heatmap(seed_frames["heatmap"], large=True).to_dict()
    for axis in ("x", "y"):
        assert _encoding(large)[axis]["axis"]["labelFontSize"] >= 22
        assert _encoding(normal)[axis]["axis"]["labelFontSize"] < 22
    (text,) = _layer_with(large, "text")
    assert text["mark"]["fontSize"] >= 22
    assert large["title"]["fontSize"] >= 30
    assert large["height"]["step"] > normal["height"]["step"]


def test_long_country_names_wrap_onto_two_lines():
    assert charts.two_lines("Bosnia and Herzegovina") == ["Bosnia and", "Herzegovina"]
    assert charts.two_lines("North Macedonia") == ["North", "Macedonia"]
    assert charts.two_lines("Kosovo") == ["", "Kosovo"]
    expr = charts.wrapped_label_expr(["Kosovo", "United Kingdom"])
    assert '"United Kingdom": ["United", "Kingdom"]' in expr


def test_stage_chart_in_vocabulary_order_with_links(seed_frames):
    spec = charts.practices_by_stage_chart(seed_frames["stages"]).to_dict()
    assert _encoding(spec)["y"]["sort"] == [s.label for s in v.Stage]
    assert _encoding(spec)["href"]["field"] == "url"
    urls = {r["stage"]: r["url"] for r in _rows(spec)}
    assert urls["implementing"] == "/browse?stage=implementing"
    assert set(urls) == set(v.Stage.values())


def test_year_chart_links_to_a_one_year_range(seed_frames):
    spec = charts.practices_by_year_chart(seed_frames["years"]).to_dict()
    assert _encoding(spec)["x"]["field"] == "year"
    assert _encoding(spec)["x"]["type"] == "ordinal"
    row = next(r for r in _rows(spec) if r["year"] == 2015)
    assert row["url"] == "/browse?year_from=2015&year_to=2015"
    parsed = filters.from_params(parse_qs(urlsplit(row["url"]).query), countries=[], themes=[])
    assert (parsed.year_from, parsed.year_to) == (2015, 2015)


def test_open_challenges_chart_most_first_linking_to_challenges(seed_frames):
    frame = seed_frames["challenges"]
    spec = charts.open_challenges_by_theme_chart(frame).to_dict()
    order = _encoding(spec)["y"]["sort"]
    counts = frame.set_index("theme")["challenges"]
    assert [counts[t] for t in order] == sorted(counts, reverse=True)
    assert set(order) == set(frame["theme"])
    row = next(r for r in _rows(spec) if r["slug"] == "open-data")
    assert row["url"] == "/challenges?theme=open-data"
    (bars,) = _layer_with(spec, "bar")
    assert bars["mark"]["color"] == charts.CHALLENGE_COLOR


def test_adaptation_chart_draws_one_line_per_pair(seed_frames):
    flows = seed_frames["flows"]
    spec = charts.adaptation_chart(flows).to_dict()
    lines = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "line")
    assert lines["encoding"]["detail"]["field"] == "flow"
    ends = spec["datasets"][lines["data"]["name"]]
    assert len(ends) == 2 * len(flows)
    labels = {row["label"] for row in ends}
    assert "North Macedonia → Albania" in labels
    texts = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    names = {
        row.get("country") for layer in texts for row in spec["datasets"][layer["data"]["name"]]
    }
    assert {"North Macedonia", "Albania", "Poland", "Bosnia and Herzegovina"} <= names


def test_adaptation_chart_says_when_there_is_none():
    empty = pd.DataFrame(columns=stats.ADAPTATION_COLUMNS)
    spec = charts.adaptation_chart(empty).to_dict()
    assert _rows(spec) == [{"text": charts.NO_ADAPTATIONS}]


# --------------------------------------------------------------------------- downloads


def test_png_and_svg_files_of_every_overview_chart(seed_frames):
    built = [
        charts.country_theme_heatmap(seed_frames["heatmap"]),
        charts.practices_by_stage_chart(seed_frames["stages"]),
        charts.practices_by_year_chart(seed_frames["years"]),
        charts.open_challenges_by_theme_chart(seed_frames["challenges"]),
        charts.adaptation_chart(seed_frames["flows"]),
    ]
    for chart in built:
        png = chart_ui.chart_bytes(chart, "png")
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        svg = chart_ui.chart_bytes(chart.to_dict(), "svg")  # a spec dict works too
        assert svg.lstrip().startswith(b"<svg")
    assert b"Albania" in chart_ui.chart_bytes(built[0], "svg")


def test_export_gives_a_page_wide_chart_a_width_of_its_own(seed_frames):
    import json

    stage = charts.practices_by_stage_chart(seed_frames["stages"])
    assert "width" not in stage.to_dict()
    assert json.loads(chart_ui.export_spec(stage))["width"] == chart_ui.EXPORT_WIDTH
    heat = charts.country_theme_heatmap(seed_frames["heatmap"])
    assert json.loads(chart_ui.export_spec(heat))["width"] == {"step": 72}


def test_a_broken_chart_raises_a_clear_error():
    broken = {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "mark": "nonsense"}
    with pytest.raises(chart_ui.ChartExportError, match="could not be drawn as PNG"):
        chart_ui.chart_bytes(broken, "png")
    with pytest.raises(chart_ui.ChartExportError, match="unknown image format"):
        chart_ui.chart_bytes(broken, "pdf")  # type: ignore[arg-type]  # a wrong format on purpose


def test_safe_file_names():
    assert chart_ui.safe_filename("practices by country/theme") == "practices-by-country-theme"
    assert chart_ui.safe_filename("../..") == "chart"


def test_adaptation_pairs_newest_first_ties_by_id_undated_last(monkeypatch):
    """The order in Python (the pairs are read in two steps, repository.published_adaptations):
    SQLite's naive UTC and PostgreSQL's aware times compare as the same instants."""
    from forumdash.repository import aggregates
    from forumdash.repository.practices import Adaptation

    utc = dt.UTC
    found = [
        Adaptation(1, 101, "AL", "MK", dt.datetime(2026, 3, 29, 2, 30)),  # naive UTC
        Adaptation(2, 102, "AL", "MK", None),
        Adaptation(3, 103, "AL", "MK", dt.datetime(2026, 3, 29, 2, 30, tzinfo=utc)),
        Adaptation(4, 104, "AL", "MK", dt.datetime(2026, 3, 29, 3, 10, tzinfo=utc)),
        Adaptation(5, 105, "AL", "MK", None),
        Adaptation(
            6,
            106,
            "AL",
            "MK",
            dt.datetime(2026, 3, 29, 4, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        ),
    ]
    monkeypatch.setattr(aggregates, "published_adaptations", lambda _session: found)
    monkeypatch.setattr(
        aggregates,
        "summaries_by_id",
        lambda _session, ids: [types.SimpleNamespace(id=i) for i in ids],
    )
    pairs = aggregates.list_adaptation_pairs(session=None, limit=10)
    # 6 is 02:00 UTC; 3 and 1 are the same instant (the higher id first); undated last.
    assert [adapted.id for adapted, _origin in pairs] == [4, 3, 1, 6, 5, 2]
    assert [origin.id for _adapted, origin in pairs][:2] == [104, 103]
    assert len(aggregates.list_adaptation_pairs(session=None, limit=2)) == 2
