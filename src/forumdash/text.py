"""Plain-text hygiene shared by validation, rendering and exports."""

import functools
import hashlib
import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit

from forumdash.folding import fold

# C0/C1 control characters except tab and newline; NUL can neither be stored in PostgreSQL text
# nor shown, so it never reaches a table.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


# Half of a UTF-16 surrogate pair: JSON can carry one ("\ud800"), UTF-8 cannot store it.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def has_lone_surrogate(text: str) -> bool:
    """Whether the text holds half of a UTF-16 surrogate pair, which no database or file
    encoding can store (JSON's "\ud800" decodes to one; a valid pair decodes to one character)."""
    return _LONE_SURROGATE.search(text) is not None


def clean_text(value: Any) -> str:
    """Trimmed text with unified newlines and no control characters; None becomes ''. A lone
    surrogate (never typed: only a file can carry one) becomes U+FFFD, so the text can be saved.
    """
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    text = _LONE_SURROGATE.sub("\ufffd", text)
    return unicodedata.normalize("NFC", text).strip()


def safe_url(value: str | None) -> str | None:
    """The link if it is an absolute http(s) URL with a host, else None."""
    if not value:
        return None
    url = value.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        return None
    return url


# Every character that Markdown (as Streamlit renders it) could read as syntax.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$&=@])")


# Bidirectional controls can make shown text read differently from what is stored.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def escape_markdown(value: Any) -> str:
    """Text that Markdown shows literally: no links, images, HTML, emphasis, LaTeX, bidi tricks."""
    if type(value) is str and len(value) <= _CACHED_UP_TO:
        return _escaped(value)
    return escape_inline(clean_text(value))


# The same titles, names and facts are escaped on every run of every page: remembered, five
# regular-expression passes each otherwise. Short texts only, and a bounded number of them
# (4,096 x 200 characters, at most ~3.5 MB even in 4-byte characters escaped): text from a URL
# or a form reaches it too.
_CACHED_UP_TO = 200


@functools.lru_cache(maxsize=4096)
def _escaped(value: str) -> str:
    return escape_inline(clean_text(value))


def escape_inline(text: str) -> str:
    """A piece of text escaped as escape_markdown does, but not trimmed (a run inside a line)."""
    return _MD_SPECIAL.sub(r"\\\1", strip_invisible(text))


# Zero-width characters hide inside words (a name that reads the same but differs, a word that
# escapes search): zero-width space, word joiner, the byte-order mark as a zero-width no-break
# space, the Mongolian vowel separator, always; the zero-width non-joiner and joiner only where
# they do nothing: the joiner is kept inside an emoji sequence (👩‍💻 is one picture), the non-joiner
# between two letters of a script that joins (Arabic, Persian, the Indic scripts).
_PICTOGRAPH = "\u2600-\u27bf\U0001f000-\U0001faff"
_JOINING = "\u0600-\u08ff\u0900-\u0dff\ufb50-\ufdff\ufe70-\ufefc"
_ZERO_WIDTH = re.compile(
    "[\u200b\u2060\ufeff\u180e]"
    f"|(?<![{_PICTOGRAPH}\ufe0f])\u200d|\u200d(?![{_PICTOGRAPH}])"
    f"|(?<![{_JOINING}])\u200c|\u200c(?![{_JOINING}])"
)


def strip_invisible(text: str) -> str:
    """The text without control characters, bidirectional overrides and zero-width characters
    (not trimmed): what every page shows of stored text, and what every export writes."""
    return _ZERO_WIDTH.sub("", _BIDI.sub("", _CONTROL.sub("", text)))


def paragraphs(value: Any) -> list[str]:
    """The paragraphs of a text: its blank-line-separated blocks, or its lines where it has no
    blank line (OGP's full texts break paragraphs either way); runs of spaces kept as written."""
    text = clean_text(value)
    if not text:
        return []
    blocks = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
    return [block.strip() for block in blocks if block.strip()]


SLUG_WORDS = 8
SLUG_CHARS = 100  # the column takes 120: room for the "-2" of a slug already taken
_SLUG_WORD = re.compile(r"[a-z0-9]+")


def slug_for(title: str, prefix: str = "") -> str:
    """A record's identifier from its title, after a prefix (a country code): up to 8 words folded
    as search folds them (Cyrillic to Latin, diacritics off), so 'Отворени подаци за буџет' of
    MK gives 'mk-otvoreni-podaci-za-budzet'. A title with nothing to keep (only emoji, Chinese)
    gets a suffix made from its text instead: never empty, never the prefix alone, and the same
    title always gives the same slug."""
    words = _SLUG_WORD.findall(fold(clean_text(title)))[:SLUG_WORDS]
    if not words:
        words = [hashlib.sha256(clean_text(title).encode()).hexdigest()[:10]]
    slug = _SLUG_WORD.findall(prefix.lower())
    for word in words:
        if len("-".join([*slug, word])) > SLUG_CHARS:
            break
        slug.append(word)
    if len(slug) == len(_SLUG_WORD.findall(prefix.lower())):  # one word longer than the limit
        slug.append(words[0][: SLUG_CHARS - len(prefix) - 1])
    return "-".join(slug)
