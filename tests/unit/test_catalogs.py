"""The message catalogs: complete in every language, placeholders kept, plurals whole, the
template in step with the code, and Serbian Latin made from Cyrillic."""

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from forumdash import catalogs, i18n, transliteration


@pytest.fixture(scope="module")
def template() -> Catalog:
    return catalogs.extract()


def test_every_catalog_translates_every_message(template: Catalog) -> None:
    problems = catalogs.check(template)
    assert [str(problem) for problem in problems[:40]] == [], f"{len(problems)} problems"


def test_the_template_in_the_repository_is_the_code_s(template: Catalog) -> None:
    # `python -m forumdash.catalogs update` after changing a message keeps them in step.
    with catalogs.TEMPLATE.open("rb") as file:
        stored = read_po(file)
    assert {(m.id, m.context) for m in stored if m.id} == {
        (m.id, m.context) for m in template if m.id
    }


def test_every_message_with_a_placeholder_is_flagged_for_translators(template: Catalog) -> None:
    flagged = [m for m in template if m.id and "python-brace-format" in m.flags]
    assert flagged, "no message with a {placeholder}?"
    assert all("{" in (m.id if isinstance(m.id, str) else m.id[0]) for m in flagged)


def test_serbian_latin_is_the_cyrillic_catalog_transliterated() -> None:
    cyrillic = catalogs.read_catalog(i18n.get("sr"))
    latin = catalogs.read_catalog(i18n.get("sr-Latn"))
    assert len(latin) == len(cyrillic)
    for message in cyrillic:
        if not message.id:
            continue
        made = latin.get(message.id, context=message.context)
        assert made is not None, message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = tuple(transliteration.to_latin(s) for s in strings)
        got = made.string if isinstance(made.string, tuple) else (made.string,)
        assert got == expected


def test_every_catalog_has_the_plural_rule_of_its_language() -> None:
    plurals = {lang.tag: catalogs.read_catalog(lang).num_plurals for lang in i18n.LANGUAGES[1:]}
    assert plurals == {"sq": 2, "mk": 2, "sr": 3, "sr-Latn": 3, "bs": 3, "hr": 3, "cnr": 3}


def test_every_catalog_says_who_translated_it() -> None:
    for language in i18n.LANGUAGES[1:]:
        catalog = catalogs.read_catalog(language)
        assert "not yet reviewed by a native speaker" in (catalog.last_translator or ""), (
            language.tag
        )


def test_the_check_finds_each_kind_of_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = Catalog(domain=i18n.DOMAIN)
    template.add("Saved {title}")
    template.add("Sign in")
    template.add("Review")
    template.add("Search")
    template.add(("{n} practice", "{n} practices"))
    template.add("Missing here")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    serbian = catalogs.read_catalog(i18n.get("sr"))
    serbian.add("Saved {naslov}", "Сачувано {naslov}")  # not in the template: ignored
    serbian.add("Saved {title}", "Сачувано {naslov}")  # a placeholder renamed
    serbian.add("Sign in", "")  # untranslated
    serbian.add("Review", "Преглед", flags=("fuzzy",))  # not checked by a translator
    serbian.add("Search", "Претрага")  # fine
    serbian.add(("{n} practice", "{n} practices"), ("{n} пракса", "{n} праксе"))  # 2 of 3 forms
    catalogs.write_catalog(i18n.get("sr"), serbian)
    found = {(p.language, p.message, p.problem.split(" ")[0]) for p in catalogs.check(template)}
    assert ("sr", "Saved {title}", "placeholders") in found
    assert ("sr", "Sign in", "untranslated") in found
    assert ("sr", "Review", "fuzzy") in found
    assert ("sr", "{n} practice", "untranslated") in found  # Babel pads the third form empty
    assert ("sr", "Missing here", "missing") in found
    assert ("sq", "Search", "missing") in found  # no Albanian catalog at all
    assert not any(m == "Search" and lang == "sr" for lang, m, _p in found)
