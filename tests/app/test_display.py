"""AppTest of /display: every slide renders, no menu, URL notices escaped, figures filtered; a
tick re-reads the slide on screen and moves on only when the slide's time is up."""

from typing import Any

import pytest
import streamlit as st
from sqlalchemy.exc import OperationalError
from streamlit.testing.v1 import AppTest

from forumdash import display, repository
from forumdash.db import make_engine, read_session, write_session
from forumdash.models import ExchangeRequest
from forumdash.ui import display as display_ui
from tests.app.test_pages import open_page
from tests.support.records import publish_sample_practice

PAGE = "pages/display.py"


def _text(at) -> str:
    """Everything written as Markdown and captions, with Markdown's escapes taken out."""
    parts = [e.value for kind in ("markdown", "caption") for e in at.get(kind)]
    return "\n".join(parts).replace("\\", "")


def _raw(at) -> str:
    return "\n".join(e.value for kind in ("markdown", "caption") for e in at.get(kind))


def test_display_renders_the_first_slide_without_the_menu(app_database):
    at = open_page(PAGE)
    assert not at.exception
    assert not at.sidebar.children  # menu=False: nothing in the sidebar
    text = _text(at)
    assert "# Featured practice" in text
    assert "Slide 1 of 8" in text
    assert display.FORUM_NAME in text
    assert "Ignored" not in text
    # The session keeps two small values, whatever the number of rotations.
    assert at.session_state["display.position"] == (0, 0)
    assert isinstance(at.session_state["display.started"], float)


@pytest.mark.parametrize("slide", list(display.SLIDES))
def test_every_slide_renders(app_database, slide):
    at = open_page(PAGE, slides=slide)
    assert not at.exception
    text = _text(at)
    assert f"# {display.SLIDES[slide]}" in text
    assert "Slide 1 of 1" in text
    assert "No published practice" not in text


def test_the_asked_slide_counts_requests_without_names(app_database):
    engine = make_engine(app_database)
    with write_session(engine) as session:
        practice = repository.list_practices(session=session)[0]
        for n in range(3):
            session.add(
                ExchangeRequest(
                    practice_id=practice.id,
                    to_country=practice.country_code,
                    name="Secret Person",
                    contact="secret@example.org",
                    device_hash=str(n) * 64,
                )
            )
    at = open_page(PAGE, slides="asked")
    assert not at.exception
    text = _text(at)
    assert "3 requests to learn" in text
    assert "Secret Person" not in text and "secret@example.org" not in text
    assert {m.label: int(m.value) for m in at.metric}["Requests today"] == 3


def test_bad_rotate_gets_a_notice(app_database):
    at = open_page(PAGE, rotate="abc")
    assert not at.exception
    assert "Ignored rotate “abc”" in _text(at)
    assert "every 20 s" in _text(at)


def test_unknown_country_is_dropped(app_database):
    at = open_page(PAGE, countries="ZZ,AL", slides="counters")
    assert not at.exception
    text = _text(at)
    assert "Ignored unknown country “ZZ”" in text
    assert "Albania" in text  # what the display covers, in the top band
    with read_session(make_engine(app_database)) as session:
        albania = repository.count_practices_by_country(session=session)["AL"]
    metrics = {m.label: int(m.value) for m in at.metric}
    assert metrics["Published practices"] == albania
    assert metrics["Countries"] == 1


def test_hostile_parameters_are_shown_escaped(app_database):
    at = open_page(PAGE, **{"<img src=x onerror=alert(1)>": "1", "themes": "**bold**"})
    assert not at.exception
    raw = _raw(at)
    assert "\\<img src\\=x onerror\\=alert\\(1\\)\\>" in raw
    assert "\\*\\*bold\\*\\*" in raw
    assert "<img" not in raw.replace("\\<img", "")


def test_qr_slide_says_what_participants_can_do_and_carries_event_and_language(
    app_database, monkeypatch
):
    monkeypatch.setenv("FORUMDASH_PUBLIC_URL", "https://forum.example.org")
    at = open_page(PAGE, slides="qr", event="Tirana-2026")
    assert not at.exception
    text = _text(at)
    assert "## Learn from a practice" in text and "## Share a practice or a challenge" in text
    assert "forum.example.org/share?event=tirana-2026" in text
    assert "forum.example.org/browse?event=tirana-2026" in text
    assert "Sign in" not in text and "submit a case study" not in text
    images = [img for element in at.get("image") for img in element.proto.imgs]
    assert len(images) == 2, "two QR codes"
    assert [img.alt for img in images] == [
        "QR code: opens the list of practices at forum.example.org/browse?event=tirana-2026",
        "QR code: opens the form to share a practice or a challenge at "
        "forum.example.org/share?event=tirana-2026",
    ]
    assert "Phones cannot" not in text  # a public address: no warning


def test_a_bad_event_is_ignored_with_an_escaped_notice(app_database, monkeypatch):
    monkeypatch.setenv("FORUMDASH_PUBLIC_URL", "https://forum.example.org")
    at = open_page(PAGE, slides="qr", event="<b>x</b> party")
    assert not at.exception
    assert "Ignored event" in _text(at)
    assert "<b>" not in _raw(at).replace("\\<b", "")
    assert "event=" not in _text(at)


@pytest.mark.parametrize(
    ("address", "warned"),
    [
        ("http://localhost:8501", "it is this computer's own address"),
        ("http://192.168.1.20:8501", "private network address"),
        ("http://[::1]:8501", "it is this computer's own address"),
        ("https://forum.example.org", None),
    ],
)
def test_the_display_warns_when_phones_cannot_reach_its_address(
    app_database, monkeypatch, address, warned
):
    monkeypatch.setenv("FORUMDASH_PUBLIC_URL", address)
    at = open_page(PAGE, slides="counters")
    assert not at.exception
    text = _text(at)
    if warned:
        assert warned in text and "FORUMDASH_PUBLIC_URL" in text
    else:
        assert "Phones" not in text


def test_qr_slide_without_an_address_says_what_to_set(app_database, monkeypatch):
    monkeypatch.delenv("FORUMDASH_PUBLIC_URL", raising=False)
    at = open_page(PAGE, slides="qr")  # AppTest has no browser URL
    assert not at.exception
    assert "FORUMDASH_PUBLIC_URL" in _text(at)


def test_a_database_error_shows_a_calm_message_not_a_traceback(app_database, monkeypatch):
    def broken(**_):
        raise OperationalError("SELECT 1", {}, Exception("database is locked"))

    monkeypatch.setattr(display, "counters", broken)
    at = open_page(PAGE, slides="counters,qr")
    assert not at.exception
    text = _text(at)
    assert "out of reach for a moment" in text
    assert "database is locked" not in text


# --------------------------------------------------------------------------- ticks


class Clock:
    """The rotation's clock, set by the test."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock(1000.0)
    monkeypatch.setattr(display_ui, "_clock", clock)
    return clock


def _tick_script() -> None:
    """The display's fragment run on its own, as a tick runs it (no full run in between)."""
    from forumdash.display import DisplayConfig
    from forumdash.ui import display as display_ui
    from forumdash.ui.frame import get_engine

    config = DisplayConfig(rotate=20, slides=("counters", "newest"))
    display_ui._rotation(get_engine(), config, "", {}, None)


def _featured_script() -> None:
    """The fragment alone, on the featured slide, then the counters."""
    from forumdash.display import DisplayConfig
    from forumdash.ui import display as display_ui
    from forumdash.ui.frame import get_engine

    config = DisplayConfig(rotate=20, slides=("featured", "counters"))
    display_ui._rotation(get_engine(), config, "", {}, None)


def _h2(at) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("## ")).replace("\\", "")


def _line(at, prefix: str) -> str:
    return next(m.value for m in at.markdown if m.value.startswith(prefix))


def _metric(at, label: str) -> int:
    return next(int(m.value) for m in at.metric if m.label == label)


def _publish(database_url: str, title: str = "Published between two ticks") -> None:
    publish_sample_practice(
        database_url,
        prefix="apptest-display",
        title=title,
        summary="A practice published while the display shows the counters.",
    )


def test_ticks_reread_the_slide_and_move_on_when_its_time_is_up(app_database, clock):
    at = AppTest.from_function(_tick_script, default_timeout=30)
    at.session_state["display.position"] = (0, 0)
    at.session_state["display.started"] = 1000.0
    at.run()
    assert not at.exception
    assert "# The forum in numbers" in _text(at) and "Slide 1 of 2" in _text(at)
    before = _metric(at, "Published practices")

    # A practice is published; the next tick, 10 s on, shows it on the same slide.
    _publish(app_database)
    clock.now = 1010.0
    at.run()
    assert "# The forum in numbers" in _text(at) and "Slide 1 of 2" in _text(at)
    assert _metric(at, "Published practices") == before + 1
    assert "Published between two ticks" in _text(at)  # the newest practice, read afresh
    assert at.session_state["display.position"] == (0, 0)
    assert at.session_state["display.started"] == 1000.0

    # 20 s after the slide came on (the tick 0.3 s late): the next slide, due at 1020.
    clock.now = 1020.3
    at.run()
    assert "# Newest publications" in _text(at) and "Slide 2 of 2" in _text(at)
    assert at.session_state["display.position"] == (1, 0)
    assert at.session_state["display.started"] == 1020.0

    # A tick long overdue (the screen slept): one slide on, its clock started anew.
    clock.now = 5000.0
    at.run()
    assert "Slide 1 of 2" in _text(at)
    assert at.session_state["display.position"] == (0, 1)
    assert at.session_state["display.started"] == 5000.0
    assert not at.exception


def test_a_tick_keeps_the_featured_case_until_the_next_turn(app_database, clock):
    at = AppTest.from_function(_featured_script, default_timeout=30)
    at.session_state["display.position"] = (0, 0)
    at.session_state["display.started"] = 1000.0
    at.run()
    assert "# Featured practice" in _text(at)
    case = _h2(at)
    counted = _line(at, "Practice 1 of ")

    _publish(app_database, "Published while a case is featured")
    clock.now = 1010.0
    at.run()  # the same slide: the same case, the same count, read again
    assert (_h2(at), _line(at, "Practice 1 of ")) == (case, counted)

    clock.now = 1020.0
    at.run()  # the counters (the new practice is counted)...
    assert "# The forum in numbers" in _text(at)
    clock.now = 1040.0
    at.run()  # ...and the next turn steps on, among one more
    total = int(counted.removeprefix("Practice 1 of "))
    assert _line(at, "Practice 2 of ") == f"Practice 2 of {total + 1}"
    assert not at.exception


def test_a_full_run_starts_at_the_first_slide_with_its_clock(app_database, clock):
    at = open_page(PAGE, slides="counters,newest")
    assert at.session_state["display.started"] == 1000.0
    at.session_state["display.position"] = (1, 4)  # as if it had rotated for a while
    clock.now = 1500.0
    at.run()  # a reload
    assert "Slide 1 of 2" in _text(at)
    assert at.session_state["display.position"] == (0, 0)
    assert at.session_state["display.started"] == 1500.0


@pytest.mark.parametrize(("rotate", "tick"), [("5", 5.0), ("20", 10.0), ("15", 7.5), ("300", 10.0)])
def test_the_fragment_ticks_at_most_every_ten_seconds(app_database, monkeypatch, rotate, tick):
    seen: list[dict] = []
    real = st.fragment

    def recording(*args: Any, **kwargs: Any) -> Any:
        seen.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(st, "fragment", recording)
    at = open_page(PAGE, rotate=rotate, slides="counters")
    assert not at.exception
    assert [k.get("run_every") for k in seen if k.get("key") == "display_rotation"] == [tick]
    assert f"a new slide every {rotate} s" in _text(at)
