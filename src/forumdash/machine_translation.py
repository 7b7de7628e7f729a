"""Where a machine translator would plug in: off, and nothing plugged in.

No machine translation runs here: no offline model ships its weights in a package this product
can install (argostranslate and the like download models at run time, which an offline server
cannot; TOOLCHAIN.md), and an online service would send unpublished records to a third party. A
record's translations are therefore written by people (forumdash.translations), and nothing
here makes or shows a translation of its own: no fake one, not even a marked "draft".

To add one later: implement `MachineTranslator`, register a factory under a name in
`TRANSLATORS`, and set FORUMDASH_MACHINE_TRANSLATION to that name. What it writes must then go
where a person's translation goes (workflow.save_translation, as a draft a focal point reviews),
said to be machine-made; the setting stays off by default.
"""

from collections.abc import Callable
from typing import Protocol

from forumdash.settings import get_settings


class MachineTranslator(Protocol):
    """Translates plain text between two of the forum's languages (tags of i18n.TAGS)."""

    def translate(self, text: str, *, source: str, target: str) -> str: ...


class MachineTranslationUnavailable(LookupError):
    """The setting names a translator that is not registered."""


# Name -> a factory of the translator. Empty on purpose (see the module's docstring).
TRANSLATORS: dict[str, Callable[[], MachineTranslator]] = {}


def machine_translator() -> MachineTranslator | None:
    """The translator the setting names, or None when machine translation is off (the
    default). Raises MachineTranslationUnavailable for a name nothing is registered under."""
    name = get_settings().machine_translation
    if not name:
        return None
    factory = TRANSLATORS.get(name)
    if factory is None:
        raise MachineTranslationUnavailable(
            f"FORUMDASH_MACHINE_TRANSLATION names {name!r}, but no machine translator is "
            f"registered under that name (registered: {', '.join(TRANSLATORS) or 'none'})"
        )
    return factory()
