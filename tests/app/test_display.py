"""AppTest of /display: every slide renders, no menu, URL notices escaped, figures filtered."""

import pytest
from sqlalchemy.exc import OperationalError

from forumdash import display, repository
from forumdash.db import make_engine, read_session
from tests.app.test_pages import open_page

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
    assert "Slide 1 of 6" in text
    assert display.FORUM_NAME in text
    assert "Ignored" not in text
    # The session keeps two small values, whatever the number of rotations.
    assert at.session_state["display.position"] == (0, 0)
    assert at.session_state["display.fresh"] is False  # the fragment has drawn the first slide


@pytest.mark.parametrize("slide", list(display.SLIDES))
def test_every_slide_renders(app_database, slide):
    at = open_page(PAGE, slides=slide)
    assert not at.exception
    text = _text(at)
    assert f"# {display.SLIDES[slide]}" in text
    assert "Slide 1 of 1" in text
    assert "No published practice" not in text


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


def test_qr_slide_links_to_submit(app_database, monkeypatch):
    monkeypatch.setenv(display.PUBLIC_URL_ENV, "https://forum.example.org")
    at = open_page(PAGE, slides="qr")
    assert not at.exception
    assert "https://forum.example.org/submit" in _text(at)
    assert at.get("image"), "the QR code is shown as an image"


def test_qr_slide_without_an_address_says_what_to_set(app_database, monkeypatch):
    monkeypatch.delenv(display.PUBLIC_URL_ENV, raising=False)
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
