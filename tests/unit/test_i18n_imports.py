"""The imports speak the visitor's language: report lines choose their plural form by the
language's CLDR rules and let a translation reorder their placeholders, numbers are grouped as
the language groups them, and a vocabulary label written in any of the app's languages imports.
The real catalogs are empty while the messages are written, so a small catalog is made here."""

import gettext
import io
from collections.abc import Iterator

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from forumdash import i18n
from forumdash import vocab as v
from forumdash.importers import practices
from forumdash.importers.progress import Progress
from forumdash.importers.report import ImportReport

# Serbian (Cyrillic) has three plural forms: 1 ред, 2 реда, 5 редова.
SERBIAN = {
    ("{n} invalid row; nothing was written", "{n} invalid rows; nothing was written"): (
        "{n} неисправан ред; ништа није уписано",
        "{n} неисправна реда; ништа није уписано",
        "{n} неисправних редова; ништа није уписано",
    ),
    "row {n} ({identifier})": "ред {n} ({identifier})",
    # The translation puts the column last: named placeholders let it.
    "{column} {value}: {reason}": "{reason} — {column} {value}",
    "Local": "Локални",
}


def _translations(tag: str, messages: dict[object, object]) -> gettext.GNUTranslations:
    catalog = Catalog(locale=i18n.get(tag).cldr, domain=i18n.DOMAIN)
    for msgid, msgstr in messages.items():
        catalog.add(msgid, msgstr)  # type: ignore[arg-type]
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@pytest.fixture
def serbian_catalog(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    serbian = _translations("sr", SERBIAN)
    real = i18n.translations
    monkeypatch.setattr(i18n, "translations", lambda tag: serbian if tag == "sr" else real(tag))
    practices.label_spellings.cache_clear()
    practices._spellings.cache_clear()
    yield
    practices.label_spellings.cache_clear()
    practices._spellings.cache_clear()


def _report(invalid_rows: int) -> ImportReport:
    report = ImportReport(kind="practices", filename="praksa.csv")
    for row in range(2, 2 + invalid_rows):
        report.add_error(row, "not a year", identifier="otvoreni-budzet", column="Godina")
    return report


def test_the_headline_takes_the_plural_form_of_the_language(serbian_catalog: None) -> None:
    assert _report(1).headline() == "practices: praksa.csv: 1 invalid row; nothing was written"
    with i18n.language("sr"):
        assert _report(1).headline().endswith("1 неисправан ред; ништа није уписано")
        assert _report(2).headline().endswith("2 неисправна реда; ништа није уписано")
        assert _report(5).headline().endswith("5 неисправних редова; ништа није уписано")
        assert _report(21).headline().endswith("21 неисправан ред; ништа није уписано")


def test_a_translation_reorders_the_placeholders_of_a_problem(serbian_catalog: None) -> None:
    report = ImportReport(kind="practices")
    report.add_error(4, "not a year", identifier="al-budget", column="Godina", value="2o19")
    assert report.error_lines() == ["row 4 (al-budget): Godina '2o19': not a year"]
    with i18n.language("sr"):
        assert report.error_lines() == ["ред 4 (al-budget): not a year — Godina '2o19'"]


def test_progress_groups_digits_as_the_language_does() -> None:
    reading = Progress("reading", done=9_500_000, total=27_000_000, rows=2400)
    writing = Progress("writing", done=1500, total=7563, rows=7563)
    assert reading.describe() == "Reading the file: 2,400 rows (35% of 25.7 MB)"
    assert writing.describe() == "Writing: 1,500 of 7,563 rows"
    with i18n.language("sr"):
        assert "2.400" in reading.describe() and "25,7" in reading.describe()
        assert "1.500" in writing.describe() and "7.563" in writing.describe()
    with i18n.language("sq"):  # Albanian groups thousands with a space
        assert "7\N{NO-BREAK SPACE}563" in writing.describe()


def test_one_row_is_not_called_rows() -> None:
    assert Progress("checking", done=1, total=1, rows=1).describe() == "Checking rows: 1 of 1 row"


def test_a_label_in_another_language_imports_in_any_language(serbian_catalog: None) -> None:
    # An export made by a Serbian reader writes the Serbian label; it re-imports in English.
    assert practices.parse_vocab(v.GovLevel, "Локални") is v.GovLevel.local
    assert practices.parse_vocab(v.GovLevel, "lokalni") is v.GovLevel.local  # folded script
    with i18n.language("sr"):
        assert practices.parse_vocab(v.GovLevel, "Local") is v.GovLevel.local
        assert practices.parse_vocab(v.GovLevel, "local") is v.GovLevel.local
        with pytest.raises(practices.CellError, match="Локални"):  # choices in Serbian
            practices.parse_vocab(v.GovLevel, "Planetary")


def test_label_spellings_are_keyed_on_the_language(serbian_catalog: None) -> None:
    english = practices.label_spellings(v.GovLevel, "en")
    serbian = practices.label_spellings(v.GovLevel, "sr")
    # Every language's labels are there either way; the visitor's own come right after English.
    assert {spelling for spelling, _member in english} == {s for s, _m in serbian}
    first_labels = [spelling for spelling, _member in serbian][len(v.GovLevel) * 2 :]
    assert first_labels[: len(v.GovLevel)] == [
        "Локални" if m is v.GovLevel.local else m.label for m in v.GovLevel
    ]
