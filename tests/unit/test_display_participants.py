"""The display's participant side: the event in its URL, QR addresses carrying event and
language, and the warning when phones cannot reach its public address (item 6)."""

import logging

import pytest

from forumdash import display, i18n
from forumdash.display import DisplayConfig


def _config(**params: str) -> DisplayConfig:
    return DisplayConfig.from_params(params, countries=["AL", "RS"], themes=["open-data"])


@pytest.mark.parametrize(
    ("raw", "event", "noticed"),
    [
        ("tirana-2026", "tirana-2026", False),
        (" Skopje-2027 ", "skopje-2027", False),
        ("a", "a", False),
        ("-bad", "", True),
        ("has space", "", True),
        ("x" * 41, "", True),
        ("<script>", "", True),
        ("tirana_2026", "", True),
    ],
)
def test_the_event_is_a_short_slug_or_ignored_with_a_notice(
    raw: str, event: str, noticed: bool
) -> None:
    config = _config(event=raw)
    assert config.event == event
    assert any("Ignored event" in n for n in config.notices) is noticed
    assert config.params().get("event", "") == event


@pytest.mark.parametrize(
    ("tag", "event", "expected"),
    [
        ("en", "", "https://f.example/share"),
        ("en", "tirana-2026", "https://f.example/share?event=tirana-2026"),
        ("sq", "tirana-2026", "https://f.example/share?event=tirana-2026&lang=sq"),
        ("sr-Latn", "", "https://f.example/share?lang=sr-Latn"),
    ],
)
def test_qr_addresses_carry_event_and_language(tag: str, event: str, expected: str) -> None:
    with i18n.language(tag):
        assert display.page_url("https://f.example/submit", "share", event=event) == expected
        practice = display.practice_url("https://f.example/submit", 12, event=event)
    assert practice == expected.replace("/share", "/practice?id=12").replace("12?", "12&")


def test_an_invalid_event_never_reaches_an_address() -> None:
    assert display.page_url("https://f.example/submit", "share", event="<x>") == (
        "https://f.example/share"
    )


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://localhost:8501/submit", "loopback"),
        ("http://LOCALHOST./submit", "loopback"),
        ("http://app.localhost/submit", "loopback"),
        ("http://127.0.0.1:8501/submit", "loopback"),
        ("http://127.3.4.5/submit", "loopback"),
        ("http://[::1]:8501/submit", "loopback"),
        ("http://0.0.0.0:8501/submit", "loopback"),
        ("http://[::ffff:127.0.0.1]/submit", "loopback"),
        ("http://10.1.2.3/submit", "private"),
        ("http://172.16.0.9/submit", "private"),
        ("http://172.31.255.1/submit", "private"),
        ("http://192.168.1.20:8501/submit", "private"),
        ("http://[fd12:3456::1]/submit", "private"),
        ("http://[fe80::1]/submit", "private"),
        ("http://forum-laptop.local:8501/submit", "private"),
        ("http://172.32.0.1/submit", None),
        ("http://8.8.8.8/submit", None),
        ("http://[2001:4860::8888]/submit", None),
        ("https://forum.example.org/submit", None),
        ("https://localhost.example.org/submit", None),
        (None, None),
        ("", None),
    ],
)
def test_loopback_and_private_addresses_are_told_apart(url: str | None, kind: str | None) -> None:
    assert display.unreachable_kind(url) == kind


def test_the_warning_says_how_to_fix_it_and_is_logged_once(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(display, "_warned", set())
    url = "http://127.0.0.1:8501/submit"
    with caplog.at_level(logging.WARNING, logger="forumdash"):
        first = display.address_warning(url)
        again = display.address_warning(url)
    assert first == again
    assert first is not None and "127.0.0.1:8501" in first and "FORUMDASH_PUBLIC_URL" in first
    logged = [r for r in caplog.records if "FORUMDASH_PUBLIC_URL" in r.getMessage()]
    assert len(logged) == 1 and "loopback" in logged[0].getMessage()
    assert display.address_warning("https://forum.example.org/submit") is None
    with i18n.language("sq"):
        # The screen's words follow the display's language; the variable's name stays.
        assert "FORUMDASH_PUBLIC_URL" in (display.address_warning(url) or "")
