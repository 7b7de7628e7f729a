"""Records in several languages: what a reader sees of a practice or a challenge.

A record keeps the language it is written in (`original_language`, a tag of i18n.TAGS, or ""
when nobody said) and may carry published translations of its text (models.PRACTICE_TRANSLATED,
CHALLENGE_TRANSLATED) into other languages. Every place that shows a record's text to a reader
(its page, cards, compare, the event display) asks `shown_text` which text to show: the
translation into the reader's language when a published one exists, said to be one ("Translated
from Albanian"), else the original with its language named ("Written in Albanian"). Exports
carry the original and every translation (forumdash.export).

Translations are written by people: no machine translation is made or shown
(forumdash.machine_translation says why, and where one would plug in).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from forumdash import i18n, transliteration
from forumdash.i18n import _
from forumdash.models import (
    BODY_KEYS,
    CHALLENGE_TRANSLATED,
    PRACTICE_TRANSLATED,
    ChallengeTranslationIn,
    PracticeTranslationIn,
)

CYRILLIC, LATIN = "sr", "sr-Latn"  # Serbian's two scripts

# Every text field a record of any kind may have translated, in the order they are shown.
TRANSLATED_FIELDS = tuple(dict.fromkeys((*PRACTICE_TRANSLATED, *CHALLENGE_TRANSLATED)))


@dataclass(frozen=True)
class ShownText:
    """A record's text as one reader sees it: each text field (a practice's body sections by
    their own keys) in the language shown, and what to say about that language."""

    fields: Mapping[str, str]
    reader: str  # the tag of the reader's language
    language: str  # the tag of the language shown; "" when the original's is not recorded
    original_language: str  # "" when nobody recorded it
    translated: bool  # a translation is shown (else the original)
    # Fields the translation leaves out, shown in the original language instead.
    untranslated: tuple[str, ...] = ()
    # The languages the record can be read in besides the one shown (original first).
    also_in: tuple[str, ...] = ()

    def get(self, field: str) -> str:
        """The shown text of one field ("" when the record has none)."""
        return self.fields.get(field, "")

    @property
    def title(self) -> str:
        return self.get("title")

    @property
    def summary(self) -> str:
        return self.get("summary")

    @property
    def description(self) -> str:
        return self.get("description")

    @property
    def body(self) -> dict[str, str]:
        """A practice's story sections that have text, in their order."""
        return {key: self.fields[key] for key in BODY_KEYS if self.fields.get(key)}

    def notice(self) -> str:
        """'Translated from Albanian', 'Written in Albanian', or "" (the reader's own language,
        or a language nobody recorded)."""
        if self.translated:
            if not self.original_language:
                return _("Translated")
            return _("Translated from {language}").format(
                language=i18n.language_name(self.original_language)
            )
        if self.original_language and self.original_language != self.reader:
            return _("Written in {language}").format(
                language=i18n.language_name(self.original_language)
            )
        return ""


def _original_fields(record: Any) -> dict[str, str]:
    """The text fields a record has, as written (a practice's body by section)."""
    body = getattr(record, "body", None)
    fields: dict[str, str] = {}
    for name in TRANSLATED_FIELDS:
        if name in BODY_KEYS:
            if isinstance(body, Mapping):
                fields[name] = body.get(name, "") or ""
        elif hasattr(record, name):
            fields[name] = getattr(record, name) or ""
    return fields


def changed_translations(
    before: Mapping[str, Mapping[str, str]] | None, after: Mapping[str, Mapping[str, str]] | None
) -> list[tuple[str, str, str, str]]:
    """What a revision changed in a record's translations ({tag: {field: text}} before and
    after): (language, field, text before, text after), "" where there was or is none."""
    before, after = before or {}, after or {}
    changes = []
    for tag in dict.fromkeys([*before, *after]):
        old, new = before.get(tag, {}), after.get(tag, {})
        for field in TRANSLATED_FIELDS:
            if old.get(field, "") != new.get(field, ""):
                changes.append((tag, field, old.get(field, ""), new.get(field, "")))
    return changes


def translation_fields(
    translation: PracticeTranslationIn | ChallengeTranslationIn | Mapping[str, str],
) -> dict[str, str]:
    """A translation's text by field, whether a schema or the plain {field: text} of a list
    row."""
    if isinstance(translation, PracticeTranslationIn | ChallengeTranslationIn):
        return translation.fields()
    return {name: text for name, text in translation.items() if text}


def shown_text(record: Any, reader: str | None = None, *, original: bool = False) -> ShownText:
    """The text of a practice, a challenge or a list row for a reader of the language `reader`
    (default: the current one): its published translation into that language when there is
    one, else (or when the reader asked for the `original`) the text as written."""
    reader = i18n.get(reader).tag if reader else i18n.current().tag
    own = getattr(record, "original_language", "") or ""
    translations: Mapping[str, Any] = getattr(record, "translations", None) or {}
    written = _original_fields(record)
    languages = [tag for tag in (own, *translations) if tag]
    translation: Any = translations.get(reader) if reader != own else None
    if translation is None and reader == LATIN and own != LATIN and CYRILLIC in translations:
        # Serbian in Latin script is made from Cyrillic letter for letter, never the reverse.
        texts = translation_fields(translations[CYRILLIC])
        translation = {name: transliteration.to_latin(text) for name, text in texts.items()}
    if translation is None or original:
        shown = own or ""
        return ShownText(
            reader=reader,
            fields=written,
            language=shown,
            original_language=own,
            translated=False,
            also_in=tuple(tag for tag in languages if tag != shown),
        )
    texts = translation_fields(translation)
    fields = {name: texts.get(name) or text for name, text in written.items()}
    untranslated = tuple(name for name, text in written.items() if text and not texts.get(name))
    return ShownText(
        reader=reader,
        fields=fields,
        language=reader,
        original_language=own,
        translated=True,
        untranslated=untranslated,
        also_in=tuple(tag for tag in languages if tag != reader),
    )
