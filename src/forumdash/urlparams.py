"""Reading URL parameters, the same way on every page: repeated or comma-separated values, known
values picked (case-folded, duplicates dropped), anything else named in a plain-text notice that
quotes the bad value safely. The page shows the notices (escaped); nothing here raises.

Used by the browse filters (forumdash.filters), the event display (forumdash.display), the compare
page (forumdash.compare) and the challenges list (forumdash.challenge_filters).
"""

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from forumdash.i18n import N_, _, ngettext
from forumdash.text import clean_text

MAX_NOTICES = 5
# Parameters every page takes, never a page's unknown one: the language (read by the frame,
# forumdash.ui.lang) and the event a participant came from (the display's QR codes carry it,
# so that what they send says which event it came from).
FRAME_PARAMS = frozenset({"lang", "event"})
# The notice about an unknown value, a whole sentence per noun `Reader.pick` is given (each
# language words its own; a noun is never glued into a sentence).
UNKNOWN_VALUE = {
    "country": N_("Ignored unknown country “{value}”."),
    "country code": N_("Ignored unknown country code “{value}”."),
    "theme": N_("Ignored unknown theme “{value}”."),
    "slide": N_("Ignored unknown slide “{value}”."),
    "obstacle type": N_("Ignored unknown obstacle type “{value}”."),
    "status": N_("Ignored unknown status “{value}”."),
    "ogp value": N_("Ignored unknown OGP value “{value}”."),
    "level of government": N_("Ignored unknown level of government “{value}”."),
    "actor type": N_("Ignored unknown actor type “{value}”."),
    "stage": N_("Ignored unknown stage “{value}”."),
    "completion": N_("Ignored unknown completion “{value}”."),
    "evidence level": N_("Ignored unknown evidence level “{value}”."),
    "action plan": N_("Ignored unknown action plan “{value}”."),
    "policy area": N_("Ignored unknown policy area “{value}”."),
    "potential impact": N_("Ignored unknown potential impact “{value}”."),
    "potential for results": N_("Ignored unknown potential for results “{value}”."),
    "completion at the end of term": N_("Ignored unknown completion at the end of term “{value}”."),
    "did it open government?": N_("Ignored unknown did it open government? “{value}”."),
    "starred": N_("Ignored unknown starred “{value}”."),
}


def values(raw: Any) -> list[str]:
    """A parameter's values, repeated or comma-separated alike: ['AL,RS', 'MK'] -> [AL, RS, MK];
    None and empty pieces give nothing."""
    if raw is None:
        return []
    items = [raw] if isinstance(raw, str) else [str(item) for item in raw]
    out: list[str] = []
    for item in items:
        out.extend(part.strip() for part in item.split(",") if part.strip())
    return out


def quoted(value: Any, limit: int = 30) -> str:
    """A piece of the URL as a notice may quote it: no control or bidi characters, one line,
    at most `limit` characters (it is still escaped where it is shown)."""
    visible = "".join(ch for ch in str(value) if unicodedata.category(ch) not in ("Cc", "Cf"))
    text = " ".join(clean_text(visible).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def whole_number(value: str, low: int, high: int) -> int | None:
    """`value` as a whole number between `low` and `high`, else None."""
    text = (value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 12:
        return None
    number = int(text)
    return number if low <= number <= high else None


def unknown_parameter(key: Any) -> str:
    """The notice about a parameter no page takes."""
    return _("Ignored unknown parameter “{name}”.").format(name=quoted(key))


def unknown_value(noun: str, value: Any, hint: str = "") -> str:
    """The notice about a value not known for `noun`, in the reader's language; a noun without
    a sentence of its own (none today) is worded in English."""
    message = UNKNOWN_VALUE.get(noun.lower())
    if message is None:
        return f"Ignored unknown {noun} “{quoted(value)}”{hint}."
    text = _(message).format(value=quoted(value))
    return text[:-1] + hint + text[-1:] if hint and text.endswith(".") else text + hint


@dataclass
class Reader:
    """Notices gathered while reading one URL; `pick` and the helpers add to them."""

    notices: list[str] = field(default_factory=list)

    def pick(
        self,
        raw: Any,
        known: Iterable[str],
        noun: str,
        *,
        normalise: Callable[[str], str] = str.lower,
        hint: str = "",
    ) -> list[str]:
        """The known values among the parameter's values, in order, without duplicates; each
        unknown one named in a notice ("Ignored unknown country “XX”.")."""
        allowed = set(known)
        picked: list[str] = []
        for value in values(raw):
            normal = normalise(value)
            if normal in allowed:
                if normal not in picked:
                    picked.append(normal)
            else:
                self.notices.append(unknown_value(noun, value, hint))
        return picked

    def unknown(self, key: Any) -> None:
        if str(key) not in FRAME_PARAMS:
            self.notices.append(unknown_parameter(key))

    def note(self, notice: str) -> None:
        self.notices.append(notice)

    def result(self, limit: int | None = None) -> tuple[str, ...]:
        """The notices, the first `limit` of them and a count of the rest."""
        if limit is not None and len(self.notices) > limit:
            extra = len(self.notices) - limit
            more = ngettext("… and {n} more ignored.", "… and {n} more ignored.", extra)
            return (*self.notices[:limit], more.format(n=extra))
        return tuple(self.notices)
