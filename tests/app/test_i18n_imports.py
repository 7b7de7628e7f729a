"""AppTest of /review's mapped import in another language: the choices a word can be mapped to
name the countries as CLDR names them in the visitor's language (no catalog needed)."""

import pytest

from forumdash import i18n
from tests.app.test_contribute import sign_in
from tests.app.test_import_mapping import FILE, organiser  # noqa: F401 - the fixture
from tests.app.test_pages import new_session

pytestmark = pytest.mark.usefixtures("organiser")


def _word_choices(tag: str) -> list[str]:
    at = new_session()  # signed in in English, then the language
    sign_in(at, "org@example.org")
    at.query_params["lang"] = tag
    at.run()  # the session takes the language before it moves on
    # AppTest formats a chooser's value with its format_func in the test's thread: that thread
    # speaks the page's language too, or the translated options would not match.
    with i18n.language(tag):
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


def test_a_dry_run_is_kept_per_language() -> None:
    # Its report is worded in the language it ran in: after a switch, it is run again.
    at = new_session()
    sign_in(at, "org@example.org")
    at.switch_page("pages/review.py").run()
    at.file_uploader(key="review.map.file").upload("praksa.csv", FILE, "text/csv").run()
    [b for b in at.button if b.label == "Dry run"][0].click().run()
    assert "practices: praksa.csv: 1 invalid row" in at.code[-1].value
    at.query_params["lang"] = "sq"
    at.run()  # the English page's choices are sent back in English, then the page is Albanian
    with i18n.language("sq"):  # the test's thread speaks the page's language (see above)
        assert not at.exception, at.exception
        assert not [c for c in at.code if "praksa.csv" in c.value]  # the English report is gone
        dry_run = i18n.gettext("Dry run")
        [b for b in at.button if b.label == dry_run][0].click().run()
        assert "praksa.csv" in at.code[-1].value
    dry_runs = [str(key) for key in at.session_state.keys() if ".dry." in str(key)]
    assert sorted(key.rsplit(".", 1)[1] for key in dry_runs) == ["en", "sq"]
