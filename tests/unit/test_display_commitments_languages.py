"""The display's and the commitments' domain texts in the current language: phones' addresses
carry the display's language, the heatmap names countries by CLDR, IRM ratings and facets are
named in the visitor's language while the exports keep their English headers."""

import csv
import gettext
import io
from collections.abc import Iterator

import pytest

from forumdash import commitment_export, commitment_filters, display, i18n
from forumdash.commitment_ratings import RATING_BY_FIELD, RATINGS
from forumdash.db import read_session


class Marked(gettext.NullTranslations):
    """Every message 'translated' into ⟦message⟧: shows what went through gettext."""

    def gettext(self, message: str) -> str:
        return f"⟦{message}⟧"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return f"⟦{singular if n == 1 else plural}⟧"


@pytest.fixture
def marked_albanian(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    real = i18n.translations
    monkeypatch.setattr(i18n, "translations", lambda tag: Marked() if tag == "sq" else real(tag))
    with i18n.language("sq"):
        yield


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("en", "https://f.example/practice?id=12"),
        ("sq", "https://f.example/practice?id=12&lang=sq"),
        ("sr-Latn", "https://f.example/practice?id=12&lang=sr-Latn"),
    ],
)
def test_practice_addresses_carry_the_displays_language(tag: str, expected: str) -> None:
    with i18n.language(tag):
        assert display.practice_url("https://f.example/submit", 12) == expected


def test_the_submit_address_carries_the_displays_language() -> None:
    submit = display.submit_url(page_url="https://f.example/display", configured=None)
    assert submit == "https://f.example/submit"  # the address itself has no language
    with i18n.language("sq"):
        assert display.with_language(submit) == "https://f.example/submit?lang=sq"
        # Same language, same QR code; another language, another code.
        sq_code = display.qr_svg(display.with_language(submit))
    with i18n.language("mk"):
        assert display.qr_svg(display.with_language(submit)) != sq_code
    assert display.with_language(submit) == submit  # English: no lang


def test_the_heatmap_names_countries_in_the_current_language(readonly_engine) -> None:
    config = display.DisplayConfig(countries=("XK", "AL"))
    with read_session(readonly_engine) as session:
        english = display.heatmap_frame(session=session, config=config)
        with i18n.language("sr"):
            serbian = display.heatmap_frame(session=session, config=config)
        with i18n.language("sq"):
            albanian = display.heatmap_frame(session=session, config=config)
    assert set(english["country"]) == {"Kosovo", "Albania"}
    assert set(serbian["country"]) == {"Косово", "Албанија"}
    assert set(albanian["country"]) == {"Kosovë", "Shqipëri"}
    # Only the names change: the counts and the codes the links use stay.
    assert list(serbian["practices"]) == list(english["practices"])
    assert list(serbian["code"]) == list(english["code"])


def test_display_texts_go_through_gettext(marked_albanian: None) -> None:
    config = display.DisplayConfig.from_params(
        {"rotate": "abc", "slides": "nope"}, countries=[], themes=[]
    )
    assert config.notices[0].startswith("⟦Ignored rotate “abc”")
    assert any("⟦(slides: " in notice for notice in config.notices)
    clamped = display.DisplayConfig.from_params({"rotate": "2"}, countries=[], themes=[])
    assert clamped.notices == ("⟦rotate is between 5 and 300 seconds; using 5.⟧",)


def test_ratings_and_facets_are_named_in_the_current_language(marked_albanian: None) -> None:
    rating = RATING_BY_FIELD["potential_impact"]
    assert rating.label == "⟦Potential impact⟧"
    assert rating.meaning.startswith("⟦How much the commitment")
    assert rating.english_label == "Potential impact"
    facet = commitment_filters.FACET_BY_PARAM["starred"]
    assert facet.label == "⟦Starred⟧"
    assert facet.fixed_options() == {
        "yes": "⟦Starred⟧",
        "no": "⟦Not starred⟧",
        "unrated": "⟦No rating recorded⟧",
    }
    view = commitment_filters.from_params(
        {"per_page": "7", "page": "x"}, commitment_filters.KnownOptions()
    )
    assert "⟦Results per page can be 25, 50, 100.⟧" in view.notices
    assert "⟦Ignored a page number that is not a positive whole number.⟧" in view.notices
    described = commitment_filters.describe(
        commitment_filters.CommitmentFilters(starred=("yes",)), {}
    )
    assert described == (
        "⟦⟦⟦Starred⟧: ⟦Starred⟧⟧. Sorted by country, action plan and commitment number.⟧"
    )


def test_the_export_keeps_english_headers_in_any_language(marked_albanian: None) -> None:
    data = commitment_export.export_commitments([], "csv")
    headers = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert [rating.english_label for rating in RATINGS] == [
        h for h in headers if h in {r.english_label for r in RATINGS}
    ]
    assert not any("⟦" in header for header in headers)


def test_a_rating_in_words_speaks_the_current_language(marked_albanian: None) -> None:
    from forumdash.models import Commitment

    starred = Commitment(identifier="AL0001", country_code="AL", title="t", starred=True)
    assert RATING_BY_FIELD["starred"].words(starred) == "⟦Yes⟧"
    with i18n.language("en"):
        assert RATING_BY_FIELD["starred"].words(starred) == "Yes"
