import pytest

from forumdash.text import clean_text, escape_markdown, safe_url, strip_invisible


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://e-albania.al", "https://e-albania.al"),
        ("http://example.org/a?b=c", "http://example.org/a?b=c"),
        ("javascript:alert(1)", None),
        ("JAVASCRIPT:alert(1)", None),
        ("data:text/html,<script>", None),
        ("//evil.example", None),
        ("https://", None),
        ("https://exa mple.org", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_url(url, expected):
    assert safe_url(url) == expected


@pytest.mark.parametrize(
    "hostile",
    [
        "![x](https://evil.example/p.png)",
        "[click](javascript:alert(1))",
        "<script>alert(1)</script>",
        "**bold** _it_ `code` # heading",
        "$x^2$ :red[text] ~~s~~",
    ],
)
def test_escape_markdown_leaves_no_live_syntax(hostile):
    escaped = escape_markdown(hostile)
    for char in "[]()<>*_`#$~:":
        assert char not in escaped.replace("\\" + char, "")


def test_clean_text_removes_controls_and_keeps_letters():
    assert clean_text(" Shqipëria\x00 Србија\r\nčćšžđ ") == "Shqipëria Србија\nčćšžđ"
    assert clean_text(None) == ""


def test_escape_markdown_drops_bidi_overrides():
    assert escape_markdown("abc\u202eexe.txt") == "abcexe\\.txt"


def test_strip_invisible_drops_zero_width_characters_that_do_nothing():
    assert strip_invisible("pass\u200bword\u2060 \ufeffx\u180e") == "password x"
    assert strip_invisible("a\u200db a\u200cb") == "ab ab"  # between Latin letters: nothing
    technologist = "\U0001f469\u200d\U0001f4bb"  # one picture: the joiner is kept
    flame_heart = "\u2764\ufe0f\u200d\U0001f525"
    assert strip_invisible(technologist + flame_heart) == technologist + flame_heart
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # the non-joiner spells it
    assert strip_invisible(persian) == persian
    assert strip_invisible("\u200e\u200f") == "\u200e\u200f"  # direction marks: as the pages
