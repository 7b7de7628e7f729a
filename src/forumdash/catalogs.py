"""The message catalogs: extracted from the code with Babel, kept up to date, checked.

    python -m forumdash.catalogs extract    # write locales/forumdash.pot from the sources
    python -m forumdash.catalogs update     # merge the template into every language's .po
    python -m forumdash.catalogs check      # every message translated, placeholders kept

`update` also writes the Serbian Latin catalog from the Cyrillic one (forumdash.transliteration):
translate `sr`, never `sr_Latn`. The messages are those inside `_()`, `gettext()`, `N_()`,
`ngettext()` and `pgettext()` in app.py, pages/ and src/forumdash/.
"""

import argparse
import csv
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from forumdash import i18n, transliteration

ROOT = Path(__file__).resolve().parents[2]  # the checkout: app.py, pages/, src/
TEMPLATE = i18n.LOCALE_DIR / f"{i18n.DOMAIN}.pot"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "N_": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
}
_SOURCES = (("app.py", ROOT), ("pages", ROOT / "pages"), ("src/forumdash", ROOT / "src/forumdash"))
_PLACEHOLDER = re.compile(r"\{[a-zA-Z_][a-zA-Z0-9_]*\}")


def extract() -> Catalog:
    """The messages of the sources, with where each one is used."""
    template = Catalog(
        domain=i18n.DOMAIN,
        project="forumdash",
        version="1",
        copyright_holder="the forumdash developers",
        msgid_bugs_address="the forum's issue tracker (README: Languages)",
        fuzzy=False,
    )
    app = ROOT / "app.py"
    found: list[tuple[str, int, str | tuple[str, ...], list[str], str | None]] = []
    for lineno, message, comments, context in _extract_file(app):
        found.append(("app.py", lineno, message, comments, context))
    for prefix, directory in _SOURCES[1:]:
        for filename, lineno, message, comments, context in extract_from_dir(
            directory,
            method_map=[("**.py", "python")],
            keywords=KEYWORDS,
            comment_tags=("Translators:",),
            strip_comment_tags=True,
        ):
            found.append((f"{prefix}/{filename}", lineno, message, comments, context))
    # The shipped vocabulary that lives in data files: theme names (shown with i18n.data_label).
    with (ROOT / "data" / "themes.csv").open(encoding="utf-8") as file:
        for lineno, row in enumerate(csv.DictReader(file), start=2):
            found.append(("data/themes.csv", lineno, row["name"], ["A theme of the forum."], None))
    for location, lineno, message, comments, context in sorted(found, key=lambda f: f[:2]):
        template.add(
            message,
            locations=[(location, lineno)],
            auto_comments=comments,
            context=context,
            flags=("python-brace-format",) if _uses_braces(message) else (),
        )
    return template


def _extract_file(path: Path) -> Iterator[tuple[int, str | tuple[str, ...], list[str], str | None]]:
    from babel.messages.extract import extract

    with path.open("rb") as file:
        yield from extract(
            "python", file, keywords=KEYWORDS, comment_tags=("Translators:",),
            strip_comment_tags=True,
        )  # fmt: skip


def _uses_braces(message: str | tuple[str, ...]) -> bool:
    texts = (message,) if isinstance(message, str) else message
    return any(_PLACEHOLDER.search(text) for text in texts)


def write_template(template: Catalog) -> None:
    TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    with TEMPLATE.open("wb") as file:
        write_po(file, template, width=100, omit_header=False, sort_output=False)


# Who made the translations, said in every catalog's header (and in the README's Languages).
TRANSLATOR = (
    "Draft by the forumdash developers with an AI model (Claude); "
    "not yet reviewed by a native speaker"
)


def read_catalog(language: i18n.Language) -> Catalog:
    path = i18n.catalog_path(language)
    if not path.exists():
        return Catalog(
            locale=language.cldr,
            domain=i18n.DOMAIN,
            project="forumdash",
            version="1",
            copyright_holder="the forumdash developers",
            msgid_bugs_address="the forum's issue tracker (README: Languages)",
            last_translator=TRANSLATOR,
            language_team=f"{language.english} ({language.tag})",
            header_comment=(
                f"# {language.english} messages of forumdash ({language.tag}).\n# {TRANSLATOR}.\n#"
            ),
            fuzzy=False,
        )
    with path.open("rb") as file:
        return read_po(file, locale=language.cldr, domain=i18n.DOMAIN)


def write_catalog(language: i18n.Language, catalog: Catalog) -> None:
    path = i18n.catalog_path(language)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        # No source locations: they change with every edit of the code (the template has them).
        write_po(file, catalog, width=100, ignore_obsolete=True, no_location=True)


def update(template: Catalog) -> None:
    """Merge the template into every catalog (new messages empty, gone ones dropped; Babel's
    guesses at near matches are not kept: a translator decides), then write sr_Latn from sr."""
    for language in i18n.LANGUAGES:
        if language.tag in (i18n.DEFAULT, "sr-Latn"):
            continue
        catalog = read_catalog(language)
        catalog.update(template, no_fuzzy_matching=True)
        write_catalog(language, catalog)
    write_catalog(i18n.get("sr-Latn"), serbian_latin(read_catalog(i18n.get("sr"))))


def serbian_latin(cyrillic: Catalog) -> Catalog:
    """The Serbian Latin catalog, transliterated from the Cyrillic one message by message."""
    latin = Catalog(locale="sr_Latn", domain=i18n.DOMAIN, fuzzy=False)
    latin.project, latin.version = "forumdash", "1"
    latin.msgid_bugs_address = cyrillic.msgid_bugs_address
    latin.last_translator = transliteration.to_latin(cyrillic.last_translator or "")
    latin.language_team = "Serbian (Latin) (sr-Latn), transliterated from the Cyrillic catalog"
    latin.header_comment = (
        "# Serbian (Latin script) messages of forumdash (sr-Latn): GENERATED from sr by\n"
        "# `python -m forumdash.catalogs update` (forumdash.transliteration). Do not edit;\n"
        "# correct the Cyrillic catalog.\n#"
    )
    latin.revision_date = cyrillic.revision_date
    latin.creation_date = cyrillic.creation_date
    for message in cyrillic:
        if not message.id:
            continue
        if isinstance(message.string, str) or message.string is None:
            string: str | tuple[str, ...] = transliteration.to_latin(message.string or "")
        else:
            string = tuple(map(transliteration.to_latin, message.string))
        latin.add(
            message.id,
            string,
            locations=message.locations,
            flags=message.flags,
            auto_comments=message.auto_comments,
            context=message.context,
        )
    return latin


@dataclass(frozen=True)
class Problem:
    language: str
    message: str
    problem: str

    def __str__(self) -> str:
        return f"{self.language}: {self.problem}: {self.message!r}"


def check(template: Catalog | None = None) -> list[Problem]:
    """What is wrong with the catalogs: a message of the template missing, untranslated, fuzzy,
    with a placeholder lost or added, or a plural form left empty."""
    template = template if template is not None else extract()
    problems: list[Problem] = []
    for language in i18n.LANGUAGES:
        if language.tag == i18n.DEFAULT:
            continue
        catalog = read_catalog(language)
        for wanted in template:
            if not wanted.id:
                continue
            message = catalog.get(wanted.id, context=wanted.context)
            problems.extend(_problems(language, wanted, message, catalog.num_plurals))
    return problems


def _problems(
    language: i18n.Language, wanted: Message, message: Message | None, plurals: int
) -> Iterator[Problem]:
    name = wanted.id if isinstance(wanted.id, str) else wanted.id[0]

    def problem(text: str) -> Problem:
        return Problem(language.tag, name, text)

    if message is None:
        yield problem("missing")
        return
    if message.fuzzy:
        yield problem("fuzzy (not yet checked by a translator)")
    ids = (wanted.id,) if isinstance(wanted.id, str) else tuple(wanted.id)
    strings = (
        (message.string or "",) if not isinstance(message.string, list | tuple) else message.string
    )
    if not isinstance(wanted.id, str) and len(strings) != plurals:
        yield problem(f"{len(strings)} plural forms, the language has {plurals}")
    if not all(strings):
        yield problem("untranslated")
        return
    expected = set().union(*(set(_PLACEHOLDER.findall(text)) for text in ids))
    for string in strings:
        found = set(_PLACEHOLDER.findall(string))
        # A plural form may leave out the number ("одна пракса"), never add an unknown one.
        allowed_missing = {"{n}", "{count}"} if not isinstance(wanted.id, str) else set()
        if found - expected or (expected - found) - allowed_missing:
            yield problem(f"placeholders {sorted(found)} instead of {sorted(expected)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m forumdash.catalogs", description=__doc__)
    parser.add_argument("action", choices=["extract", "update", "check"])
    args = parser.parse_args(argv)
    template = extract()
    if args.action in ("extract", "update"):
        write_template(template)
        print(f"{TEMPLATE.relative_to(ROOT)}: {len(template)} messages")
    if args.action == "update":
        update(template)
        print("catalogs updated; sr_Latn written from sr")
    if args.action == "check":
        problems = check(template)
        for item in problems[:200]:
            print(item)
        print(f"{len(problems)} problems in {len(i18n.LANGUAGES) - 1} catalogs")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
