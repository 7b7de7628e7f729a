"""The commitments pages and the event display in other languages: CLDR's dates and country
names where no catalog is needed yet, every message through gettext (a marking catalog shows
which texts went through it), and the display's QR addresses in the display's language."""

import gettext

import pytest

from forumdash import i18n
from forumdash.db import make_engine
from tests.app.test_pages import open_page
from tests.support.records import add_sample_commitments


@pytest.fixture
def with_commitments(app_database):
    engine = make_engine(app_database)
    add_sample_commitments(engine)
    engine.dispose()
    return app_database


class Marked(gettext.NullTranslations):
    """A catalog that 'translates' every message into ⟦message⟧: what reaches the screen
    unmarked did not go through gettext."""

    def gettext(self, message: str) -> str:
        return f"⟦{message}⟧"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return f"⟦{singular if n == 1 else plural}⟧"


@pytest.fixture
def marked_albanian(monkeypatch):
    """Albanian speaks through the marking catalog (AppTest runs the page in this process)."""
    real = i18n.translations

    def translations(tag: str) -> gettext.NullTranslations:
        return Marked() if tag == "sq" else real(tag)

    monkeypatch.setattr(i18n, "translations", translations)


def _texts(at) -> str:
    parts = [*at.markdown, *at.caption, *at.info, *at.warning, *at.title, *at.subheader]
    return "\n".join(str(part.value) for part in parts)


def _display_text(at) -> str:
    parts = [e.value for kind in ("markdown", "caption") for e in at.get(kind)]
    return "\n".join(parts).replace("\\", "")


# --------------------------------------------------------------------------- commitments


def test_the_commitment_page_in_albanian_and_serbian(with_commitments):
    at = open_page("pages/commitment.py", id="AL8002", lang="sq")
    assert not at.exception
    text = _texts(at)
    assert "9 korrik 2013 – qershor 2014" in text  # CLDR's Albanian dates
    assert "9 July 2013" not in text
    assert "Shqipëri" in text  # the country as Albanians write it
    links = {link.label: link.proto.query_string for link in at.get("page_link")}
    assert any("Shqipëri" in label and "lang=sq" in query for label, query in links.items())

    at = open_page("pages/commitment.py", id="AL8002", lang="sr")
    assert not at.exception
    text = _texts(at).replace("\\", "")  # Markdown escapes the dots
    assert "9. јул 2013. – јун 2014." in text and "Албанија" in text


def test_the_commitments_list_names_countries_in_serbian_cyrillic(with_commitments):
    at = open_page("pages/commitments.py", lang="sr")
    assert not at.exception
    pills = {b.key: b for b in at.get("button_group")}
    assert pills["commitments.countries"].value == []
    captions = [c.value for c in at.caption if c.value.startswith("AL8002 ·")]
    assert captions and "Албанија" in captions[0] and "Albania" not in captions[0]


def test_every_text_of_the_commitment_page_goes_through_gettext(with_commitments, marked_albanian):
    at = open_page("pages/commitment.py", id="AL8002", lang="sq")
    assert not at.exception
    assert [s.value for s in at.subheader] == [
        "⟦Full text⟧",
        "⟦IRM ratings⟧",
        "⟦Practices linked to this commitment⟧",
    ]
    text = _texts(at)
    # The IRM's scales: their names and meanings in the visitor's language.
    assert "⟦Potential impact⟧" in text and "⟦Did it open government?⟧" in text
    assert "⟦How much the commitment could change government practice" in text
    assert "⟦**Dates**⟧" in text and "⟦Start: " in text
    more = [e for e in at.expander if e.label.startswith("⟦Show the full text (39 more")]
    assert len(more) == 1


def test_every_text_of_the_list_goes_through_gettext(with_commitments, marked_albanian):
    at = open_page("pages/commitments.py", lang="sq", country="AL", plan="AL 2016-2018")
    assert not at.exception
    assert at.title[0].value == "⟦OGP commitments⟧"
    counts = [m.value for m in at.markdown if m.value.startswith("⟦**")]
    assert counts and "commitment" in counts[0]
    chips = [m.value for m in at.markdown if "gray-badge" in m.value]
    assert chips and "⟦Completion at the end of term⟧" in chips[0]
    facets = [e.label for e in at.expander]
    assert "⟦Country⟧ (1)" in facets and "⟦Potential impact⟧" in facets
    buttons = [b.label for b in at.get("download_button")]
    assert buttons and all(label.startswith("⟦Download ") for label in buttons)


# --------------------------------------------------------------------------- the display


def test_a_display_in_albanian_gives_phones_albanian_addresses(app_database, monkeypatch):
    monkeypatch.setenv("FORUMDASH_PUBLIC_URL", "https://forum.example.org")
    at = open_page("pages/display.py", slides="qr", lang="sq")
    assert not at.exception
    text = _display_text(at)
    # What the QR codes encode, as the screen spells it out, and the footer.
    assert "forum.example.org/browse?lang=sq" in text
    assert "forum.example.org/share?lang=sq" in text
    with i18n.language("sq"):
        footer = i18n.gettext("Share yours: {address}")
    assert footer.format(address="forum.example.org/share?lang=sq") in text  # the footer
    assert at.get("image"), "the QR code is shown"

    at = open_page("pages/display.py", slides="qr")  # English: no lang in the address
    text = _display_text(at)
    assert "forum.example.org/share" in text and "lang=" not in text


def test_the_featured_case_links_to_the_practice_in_the_displays_language(
    app_database, monkeypatch
):
    from forumdash import display

    encoded: list[str] = []
    real = display.qr_svg

    def spy(url: str, **options) -> str:
        encoded.append(url)
        return real(url, **options)

    monkeypatch.setattr(display, "qr_svg", spy)
    monkeypatch.setenv("FORUMDASH_PUBLIC_URL", "https://forum.example.org")
    at = open_page("pages/display.py", slides="featured", lang="sr-Latn")
    assert not at.exception
    assert encoded and encoded[-1].startswith("https://forum.example.org/practice?id=")
    assert encoded[-1].endswith("&lang=sr-Latn")


def test_the_display_names_its_countries_in_its_language(app_database):
    at = open_page("pages/display.py", slides="counters", countries="XK,AL", lang="sr")
    assert not at.exception
    text = _display_text(at)
    assert "Косово, Албанија" in text  # the top band: what the display covers
    at = open_page("pages/display.py", slides="counters", countries="XK", lang="sq")
    assert "Kosovë" in _display_text(at)


def test_every_slide_speaks_through_gettext(app_database, marked_albanian, monkeypatch):
    monkeypatch.setenv("FORUMDASH_PUBLIC_URL", "https://forum.example.org")
    at = open_page("pages/display.py", lang="sq", rotate="abc")
    assert not at.exception
    text = _display_text(at)
    assert "# ⟦Featured practice⟧" in text
    assert "⟦Slide 1 of 8⟧" in text  # the map slide is the eighth
    assert "⟦Western Balkans Regional Forum⟧" in text
    assert "⟦Ignored rotate “abc”" in text  # the URL's notice too
    assert "⟦Live: new publications appear on their own" in text
    for slide, words in (
        ("counters", "⟦Published practices⟧"),
        ("newest", "# ⟦Newest publications⟧"),
        ("challenges", "# ⟦Open challenges looking for help⟧"),
        ("qr", "⟦Take part from your phone⟧"),
        ("asked", "⟦Requests today⟧"),
    ):
        at = open_page("pages/display.py", lang="sq", slides=slide)
        assert not at.exception
        shown = _display_text(at) + "\n".join(m.label for m in at.metric)
        assert words in shown, slide
