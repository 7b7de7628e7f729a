"""The event display's domain: URL configuration (hostile input included), rotation, the QR code,
and slide data that follows the filters and never shows an unpublished record."""

import re

import pytest
import segno

from forumdash import display, repository
from forumdash import vocab as v
from forumdash.db import read_session, write_session
from forumdash.display import DisplayConfig, Position
from forumdash.models import ChallengeCreate, PracticeCreate
from forumdash.settings import get_settings

COUNTRIES = ["AL", "BA", "XK", "ME", "MK", "RS", "HR", "GB", "GE", "PL"]
THEMES = ["open-data", "anti-corruption", "open-budgets", "public-services"]


def config(**params) -> DisplayConfig:
    return DisplayConfig.from_params(params, countries=COUNTRIES, themes=THEMES)


# --------------------------------------------------------------------------- configuration


def test_defaults_without_parameters():
    cfg = config()
    assert cfg.rotate == display.DEFAULT_ROTATE == 20
    assert cfg.countries == () and cfg.themes == ()
    assert cfg.slides == tuple(display.SLIDES)
    assert cfg.notices == ()
    assert cfg.params() == {}


def test_the_issue_example():
    cfg = config(rotate="20", countries="AL,RS", themes="open-data")
    assert (cfg.rotate, cfg.countries, cfg.themes) == (20, ("AL", "RS"), ("open-data",))
    assert cfg.notices == ()
    assert cfg.filters.countries == ("AL", "RS") and cfg.filters.themes == ("open-data",)
    assert cfg.params() == {"countries": "AL,RS", "themes": "open-data"}


def test_repeated_comma_separated_and_singular_parameters_merge():
    cfg = config(countries=["rs,al", "AL"], country="mk", theme=["Open-Data", "open-budgets"])
    assert cfg.countries == ("RS", "AL", "MK")
    assert cfg.themes == ("open-data", "open-budgets")
    assert cfg.notices == ()


@pytest.mark.parametrize(
    ("raw", "seconds", "notice"),
    [
        ("5", 5, None),
        ("300", 300, None),
        ("45s", 45, None),
        ("7.4", 7, None),
        ("1", 5, "between 5 and 300"),
        ("0", 5, "between 5 and 300"),
        ("-30", 5, "between 5 and 300"),
        ("100000", 300, "between 5 and 300"),
        ("abc", 20, "number of seconds"),
        ("", 20, "number of seconds"),
        ("nan", 20, "number of seconds"),
        ("1e400", 20, "number of seconds"),
        ("inf", 20, "number of seconds"),
        ("<script>alert(1)</script>", 20, "number of seconds"),
    ],
)
def test_rotate_is_clamped_or_defaulted_with_a_notice(raw, seconds, notice):
    cfg = config(rotate=raw)
    assert cfg.rotate == seconds
    if notice is None:
        assert cfg.notices == ()
    else:
        assert len(cfg.notices) == 1 and notice in cfg.notices[0]


def test_unknown_countries_themes_slides_and_parameters_are_dropped_with_notices():
    cfg = config(countries="AL,ZZ", themes="open-data,bogus", slides="qr,nope", colour="red")
    assert cfg.countries == ("AL",)
    assert cfg.themes == ("open-data",)
    assert cfg.slides == ("qr",)
    text = " ".join(cfg.notices)
    for word in ("“ZZ”", "“bogus”", "“nope”", "“colour”"):
        assert word in text


def test_slides_keep_their_order_and_no_valid_slide_means_all():
    assert config(slides="qr,counters,qr").slides == ("qr", "counters")
    fallback = config(slides="nothing")
    assert fallback.slides == tuple(display.SLIDES)
    assert len(fallback.notices) == 1


def test_hostile_parameters_never_raise_and_notices_stay_short():
    long_value = "A" * 100_000
    params = {
        "countries": [long_value, "\x00\u202e<b>", "AL"],
        "themes": "../../etc/passwd,open-data",
        "rotate": ["9" * 5000, "10"],
        "slides": "",
        "<img src=x onerror=alert(1)>": "1",
        **{f"p{i}": "x" for i in range(50)},
    }
    cfg = DisplayConfig.from_params(params, countries=COUNTRIES, themes=THEMES)
    assert cfg.countries == ("AL",)
    assert cfg.themes == ("open-data",)
    assert cfg.rotate == 20  # the first value counts: too large for a number, so the default
    assert cfg.slides == tuple(display.SLIDES)
    assert len(cfg.notices) == display.MAX_NOTICES + 1
    assert cfg.notices[-1].startswith("… and ")
    assert all(len(notice) < 200 for notice in cfg.notices)
    assert not any("\x00" in n or "\u202e" in n for n in cfg.notices)


def test_position_advances_and_counts_rounds():
    position = Position()
    seen = []
    for _ in range(7):
        seen.append((position.slide, position.round))
        position = position.advance(3)
    assert seen == [(0, 0), (1, 0), (2, 0), (0, 1), (1, 1), (2, 1), (0, 2)]
    assert Position(0, 0).advance(1) == Position(0, 1)
    assert Position(1, 0, 5.0).advance(3) == Position(2, 0, 5.0)
    assert Position(2, 0, 5.0).advance(3, started=9.0) == Position(0, 1, 9.0)


# --------------------------------------------------------------------------- timing


@pytest.mark.parametrize(
    ("rotate", "tick"),
    [(5, 5), (7, 7), (10, 10), (11, 5.5), (15, 7.5), (20, 10), (25, 25 / 3), (60, 10), (300, 10)],
)
def test_tick_is_at_most_ten_seconds_and_divides_the_rotation(rotate, tick):
    assert display.tick_seconds(rotate) == pytest.approx(tick)


def test_every_allowed_rotation_has_a_tick_of_five_to_ten_seconds():
    for rotate in range(display.MIN_ROTATE, display.MAX_ROTATE + 1):
        tick = display.tick_seconds(rotate)
        assert min(rotate, 5) <= tick <= min(rotate, display.MAX_TICK), rotate
        ticks_per_slide = rotate / tick
        assert ticks_per_slide == pytest.approx(round(ticks_per_slide)), rotate
        assert tick > display.TICK_SLACK  # an early tick is never taken for a whole one


def test_first_load_stays_on_the_first_slide():
    start = Position(started=1000.0)
    assert start.at(1000.0, rotate=20, slide_count=6) == start
    assert start.at(1010.0, rotate=20, slide_count=6) == start  # a tick re-reads, same slide


def test_a_tick_on_time_moves_on_by_one_slide():
    start = Position(0, 0, 1000.0)
    assert start.at(1020.0, rotate=20, slide_count=6) == Position(1, 0, 1020.0)
    # A tick a little early (timers are not in step to the millisecond) counts as on time...
    assert start.at(1019.4, rotate=20, slide_count=6) == Position(1, 0, 1020.0)
    # ...one more than the slack early does not.
    assert start.at(1018.9, rotate=20, slide_count=6) == start
    # The last slide goes back to the first, one round on.
    assert Position(5, 2, 0.0).at(20.0, rotate=20, slide_count=6) == Position(0, 3, 20.0)
    assert Position(0, 2, 0.0).at(20.0, rotate=20, slide_count=1) == Position(0, 3, 20.0)


def test_a_late_tick_keeps_the_pace():
    start = Position(0, 0, 1000.0)
    late = start.at(1027.0, rotate=20, slide_count=6)  # 7 s late
    assert late == Position(1, 0, 1020.0)  # the slide's time counts from when it was due
    assert late.at(1038.5, rotate=20, slide_count=6) == late  # hence 13 s more, not 20
    assert late.at(1040.0, rotate=20, slide_count=6) == Position(2, 0, 1040.0)
    # Late by almost a whole rotation: still one slide on, still on the grid.
    assert start.at(1038.0, rotate=20, slide_count=6) == Position(1, 0, 1020.0)


def test_a_very_late_tick_moves_on_by_one_and_restarts_the_clock():
    start = Position(2, 1, 1000.0)
    # An hour with no tick (a stalled server, a sleeping screen): one slide on, not 180.
    after = start.at(4600.0, rotate=20, slide_count=6)
    assert after == Position(3, 1, 4600.0)
    assert after.at(4610.0, rotate=20, slide_count=6) == after  # a full 20 s for that slide
    assert start.at(1039.5, rotate=20, slide_count=6) == Position(3, 1, 1039.5)


def test_a_clock_set_back_restarts_the_slide():
    start = Position(1, 0, 1000.0)
    assert start.at(900.0, rotate=20, slide_count=6) == Position(1, 0, 900.0)
    assert start.at(999.5, rotate=20, slide_count=6) == start  # within the slack: unchanged


@pytest.mark.parametrize("rotate", [5, 15, 20, 60, 300])
@pytest.mark.parametrize("delays", ["none", "jitter", "late"])
def test_an_hour_of_ticks_never_drifts_or_skips(rotate, delays):
    """Ticks every tick_seconds(rotate) (the browser's timer), each reaching the server after a
    delay; the slides must change every `rotate` seconds on average, one step at a time."""
    import random

    rng = random.Random(f"{rotate}-{delays}")
    tick = display.tick_seconds(rotate)
    hour = 3600.0
    position = Position(started=0.0)
    changes: list[float] = []
    for k in range(1, int(hour / tick) + 1):
        if delays == "none":
            delay = 0.05
        elif delays == "jitter":
            delay = rng.uniform(0.0, 0.9)
        else:  # now and then a slow server: up to 4 s late
            delay = rng.choice([0.05, 0.05, 0.05, 0.05, rng.uniform(0.1, 4.0)])
        now = k * tick + delay
        following = position.at(now, rotate=rotate, slide_count=6)
        if following != position:
            step = position.advance(6)  # one slide on, never two
            assert (following.slide, following.round) == (step.slide, step.round)
            assert following.started <= now + display.TICK_SLACK
            changes.append(now)
        position = following
    expected = hour / rotate
    assert abs(len(changes) - expected) <= 1, (len(changes), expected)
    # Every slide stays up between a tick less and a tick more than `rotate` (never 2 rotations).
    shown = [b - a for a, b in zip(changes, changes[1:], strict=False)]
    assert all(rotate - tick - 4.0 <= s <= rotate + tick + 4.0 for s in shown), shown[:20]
    if delays == "none":  # steady ticks: every slide exactly `rotate` seconds
        assert all(s == pytest.approx(rotate) for s in shown)


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Short title", 40, "Short title"),
        ("  spaced\n  out  ", 40, "spaced out"),
        ("Open data portal of the municipality of Tirana", 30, "Open data portal of the…"),
        ("Onewordthatisverylongindeed", 10, "Onewordth…"),
    ],
)
def test_shorten_cuts_at_a_word(text, limit, expected):
    assert display.shorten(text, limit) == expected
    assert len(display.shorten(text, limit)) <= limit


# --------------------------------------------------------------------------- the QR code


@pytest.mark.parametrize(
    ("page_url", "configured", "expected"),
    [
        ("http://127.0.0.1:8501/display", None, "http://127.0.0.1:8501/submit"),
        ("https://forum.example.org/display/", None, "https://forum.example.org/submit"),
        ("https://example.org/forum/display", None, "https://example.org/forum/submit"),
        (
            "http://localhost:8501/display",
            "https://forum.example.org/",
            ("https://forum.example.org/submit"),
        ),
        (
            "http://localhost:8501/display",
            "https://example.org/forum?x=1",
            ("https://example.org/forum/submit"),
        ),
        ("http://localhost:8501/display", "javascript:alert(1)", "http://localhost:8501/submit"),
        ("javascript:alert(1)", None, None),
        (None, None, None),
        ("", "", None),
    ],
)
def test_submit_url(page_url, configured, expected):
    assert display.submit_url(page_url=page_url, configured=configured) == expected


def test_public_url_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("FORUMDASH_PUBLIC_URL", " https://forum.example.org ")
    assert get_settings().public_url == "https://forum.example.org"
    monkeypatch.setenv("FORUMDASH_PUBLIC_URL", "ftp://nope")
    assert get_settings().public_url is None
    monkeypatch.delenv("FORUMDASH_PUBLIC_URL")
    assert get_settings().public_url is None


def test_qr_code_is_made_locally_and_deterministic():
    url = "https://forum.example.org/submit"

    def matrix_of(address: str) -> tuple[tuple[int, ...], ...]:
        return tuple(tuple(row) for row in display.qr_code(address).matrix)

    matrix = matrix_of(url)
    assert matrix == matrix_of(url)
    assert matrix != matrix_of("https://forum.example.org/browse")
    # A square symbol of 21 + 4k modules, the three finder patterns in their corners.
    size = len(matrix)
    assert (size - 21) % 4 == 0 and all(len(row) == size for row in matrix)
    finder = [1, 1, 1, 1, 1, 1, 1]
    assert list(matrix[0][:7]) == finder and list(matrix[0][-7:]) == finder
    assert list(matrix[-1][:7]) == finder
    # The same as the reference encoder's symbol for this URL, in byte mode.
    reference = segno.make(url, error="m", micro=False)
    assert matrix == tuple(tuple(row) for row in reference.matrix)
    assert reference.mode == "byte"


def test_qr_svg():
    url = "https://forum.example.org/submit"
    svg = display.qr_svg(url, size=520)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "forum.example.org" not in svg  # path data only, no text to escape
    assert svg == display.qr_svg(url, size=520)
    width = int(re.search(r'width="(\d+)"', svg).group(1))
    assert 400 <= width <= 520


def test_practice_url_sits_next_to_submit():
    assert display.practice_url("https://f.example/x/submit", 12) == (
        "https://f.example/x/practice?id=12"
    )


def test_challenge_pages():
    items = list(range(11))
    assert display.challenge_page(items, position=0, per_slide=4) == ([0, 1, 2, 3], 1, 3)
    assert display.challenge_page(items, position=2, per_slide=4) == ([8, 9, 10], 3, 3)
    assert display.challenge_page(items, position=3, per_slide=4) == ([0, 1, 2, 3], 1, 3)
    assert display.challenge_page([], position=5) == ([], 0, 0)


# --------------------------------------------------------------------------- slide data


def _practice(slug: str, country: str, status: v.Workflow, **changes) -> PracticeCreate:
    fields = {
        "slug": slug,
        "title": f"Display test practice {slug}",
        "country": country,
        "summary": "A practice made by the display tests.",
        "level": v.GovLevel.local,
        "actor_type": v.ActorType.government,
        "themes": ["open-data"],
        "stage": v.Stage.implementing,
        "sources": [{"title": "A source", "url": "https://example.org/source"}],
        "workflow": status,
    }
    return PracticeCreate(**(fields | changes))


def _challenge(slug: str, country: str, workflow: v.Workflow, status=v.ChallengeStatus.open):
    return ChallengeCreate(
        slug=slug,
        title=f"Display test challenge {slug}",
        country=country,
        description="A challenge made by the display tests.",
        themes=["open-data"],
        obstacle_type=v.ObstacleType.funding,
        severity=v.Severity.medium,
        challenge_status=status,
        support_sought=[v.SupportSought.peer_visit],
        sources=[{"title": "A source", "url": "https://example.org/source"}],
        workflow=workflow,
    )


def test_counters_without_filters_match_the_repository(seeded_engine):
    with read_session(seeded_engine) as session:
        figures = display.counters(session=session, config=config())
        by_country = repository.count_practices_by_country(session=session)
        assert figures.practices == sum(by_country.values()) > 0
        assert figures.countries == sum(1 for n in by_country.values() if n)
        assert figures.open_challenges == repository.count_open_challenges(session=session)
        assert figures.milestones == repository.count_milestones(session=session)


def test_slides_follow_countries_and_themes(seeded_engine):
    cfg = config(countries="AL,RS", themes="open-data")
    with read_session(seeded_engine) as session:
        figures = display.counters(session=session, config=cfg)
        newest = display.newest(session=session, config=cfg, limit=50)
        challenges = display.open_challenges(session=session, config=cfg)
        frame = display.heatmap_frame(session=session, config=cfg)
        milestones = repository.list_milestones(session=session)
        every = [
            repository.get_practice(session=session, practice_id=row.id)
            for row in repository.list_practices(session=session, limit=1000)
        ]
    expected = [p for p in every if p.country_code in ("AL", "RS") and "open-data" in p.themes]
    assert expected, "the seed has open-data practices in AL or RS"
    assert figures.practices == len(expected) == len(newest)
    assert {row.id for row in newest} == {p.id for p in expected}
    assert figures.countries == len({p.country_code for p in expected})
    assert figures.milestones == sum(1 for m in milestones if m.country_code in ("AL", "RS"))
    assert all(c.country_code in ("AL", "RS") and "open-data" in c.themes for c in challenges)
    assert all(c.challenge_status != v.ChallengeStatus.resolved for c in challenges)
    assert figures.open_challenges == len(challenges)
    assert set(frame["code"]) == {"AL", "RS"} and set(frame["slug"]) == {"open-data"}
    assert int(frame["practices"].sum()) == len(expected)


def test_featured_steps_through_every_published_practice(seeded_engine):
    cfg = config(countries="XK")
    with read_session(seeded_engine) as session:
        total = display.counters(session=session, config=cfg).practices
        seen = []
        for turn in range(total + 1):
            practice, number, count = display.featured(session=session, config=cfg, position=turn)
            assert practice is not None and practice.country_code == "XK"
            assert count == total and number == turn % total + 1
            seen.append(practice.id)
    assert len(set(seen[:total])) == total
    assert seen[total] == seen[0]


def test_nothing_unpublished_ever_shows(seeded_engine):
    with read_session(seeded_engine) as session:
        before = display.counters(session=session, config=config(countries="AL"))
    with write_session(seeded_engine) as session:
        for status in (v.Workflow.draft, v.Workflow.submitted, v.Workflow.rejected):
            repository.create_practice(
                session=session, practice_in=_practice(f"al-{status.value}", "AL", status)
            )
        repository.create_challenge(
            session=session, challenge_in=_challenge("al-draft", "AL", v.Workflow.draft)
        )
        repository.create_challenge(
            session=session,
            challenge_in=_challenge(
                "al-resolved", "AL", v.Workflow.published, v.ChallengeStatus.resolved
            ),
        )
    cfg = config(countries="AL")
    with read_session(seeded_engine) as session:
        after = display.counters(session=session, config=cfg)
        newest = display.newest(session=session, config=cfg, limit=100)
        challenges = display.open_challenges(session=session, config=cfg)
        featured = [
            display.featured(session=session, config=cfg, position=turn)[0]
            for turn in range(after.practices)
        ]
    assert after == before
    titles = [row.title for row in newest] + [p.title for p in featured if p]
    titles += [c.title for c in challenges]
    assert not any(title.startswith("Display test") for title in titles)


def test_a_new_publication_shows_at_once(seeded_engine):
    cfg = config(countries="ME")
    with read_session(seeded_engine) as session:
        before = display.counters(session=session, config=cfg)
    with write_session(seeded_engine) as session:
        new_id = repository.create_practice(
            session=session,
            practice_in=_practice("me-new", "ME", v.Workflow.published, sample=True),
        )
    with read_session(seeded_engine) as session:
        after = display.counters(session=session, config=cfg)
        newest = display.newest(session=session, config=cfg, limit=1)
        featured, number, _ = display.featured(session=session, config=cfg, position=0)
    assert after.practices == before.practices + 1
    assert newest[0].id == new_id and newest[0].is_sample
    assert featured is not None and featured.id == new_id and number == 1


def test_the_featured_case_stays_for_its_slide(seeded_engine):
    """A tick re-reads the featured case but keeps it while it is still published and covered."""
    cfg = config(countries="ME")
    with read_session(seeded_engine) as session:
        shown, number, total = display.featured(session=session, config=cfg, position=0)
    assert shown is not None and number == 1
    with write_session(seeded_engine) as session:
        new_id = repository.create_practice(
            session=session, practice_in=_practice("me-later", "ME", v.Workflow.published)
        )
        draft_id = repository.create_practice(
            session=session, practice_in=_practice("me-draft", "ME", v.Workflow.draft)
        )
    keep = (shown.id, number, total)
    with read_session(seeded_engine) as session:
        again = display.featured(session=session, config=cfg, position=0, keep=keep)
        fresh = display.featured(session=session, config=cfg, position=0)
        draft = display.featured(session=session, config=cfg, position=0, keep=(draft_id, 1, 9))
        other = display.featured(
            session=session, config=config(countries="AL"), position=0, keep=keep
        )
    assert (again[0].id, again[1], again[2]) == (shown.id, 1, total)  # the same case, same "n of m"
    assert (fresh[0].id, fresh[1], fresh[2]) == (new_id, 1, total + 1)  # the next turn: the new one
    assert draft[0].id == new_id  # an unpublished practice is never kept
    assert other[0].country_code == "AL"  # nor one outside the display's countries


def test_an_empty_database_gives_empty_slides(empty_engine):
    with read_session(empty_engine) as session:
        figures = display.counters(session=session, config=config())
        assert (figures.practices, figures.countries, figures.open_challenges) == (0, 0, 0)
        assert display.newest(session=session, config=config()) == []
        assert display.featured(session=session, config=config(), position=3) == (None, 0, 0)
        assert display.heatmap_frame(session=session, config=config()).empty
