"""AppTest of /review's mapped import in another language: the choices a word can be mapped to
name the countries as CLDR names them in the visitor's language (no catalog needed)."""

import pytest

from tests.app.test_contribute import sign_in
from tests.app.test_import_mapping import FILE, organiser  # noqa: F401 - the fixture
from tests.app.test_pages import open_page

pytestmark = pytest.mark.usefixtures("organiser")


def _word_choices(tag: str) -> list[str]:
    at = open_page("pages/login.py", lang=tag)
    sign_in(at, "org@example.org")
    at.switch_page("pages/review.py").run()
    at.file_uploader(key="review.map.file").upload("praksa.csv", FILE, "text/csv").run()
    assert not at.exception, at.exception
    word = next(s for s in at.selectbox if "Federation of Bosnia" in s.label)
    return list(word.options)


@pytest.mark.parametrize(
    ("tag", "kosovo", "north_macedonia"),
    [
        ("en", "XK — Kosovo", "MK — North Macedonia"),
        ("sq", "XK — Kosovë", "MK — Maqedonia e Veriut"),
        ("sr", "XK — Косово", "MK — Северна Македонија"),
    ],
)
def test_countries_to_map_a_word_to_are_named_in_the_language(
    tag: str, kosovo: str, north_macedonia: str
) -> None:
    choices = _word_choices(tag)
    assert kosovo in choices and north_macedonia in choices
