"""Serbian Cyrillic to Latin script, letter for letter (the standard Serbian Latin alphabet).

One way only: Latin to Cyrillic is ambiguous (`nj` is `њ` in `njiva` but `нј` in `injekcija`), so
Serbian Latin text is always made from Cyrillic, never the reverse. The digraphs Љ, Њ, Џ are
written `Lj`, `Nj`, `Dž` at the start of a word and `LJ`, `NJ`, `DŽ` inside an all-capital one
(`ЉУБАВ` -> `LJUBAV`, `Љубав` -> `Ljubav`). Anything not Serbian Cyrillic (Latin letters,
`{placeholders}`, markup, digits) is left as it is.
"""

_LOWER = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "đ", "е": "e", "ж": "ž", "з": "z",
    "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n", "њ": "nj", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "ć", "у": "u", "ф": "f", "х": "h", "ц": "c",
    "ч": "č", "џ": "dž", "ш": "š",
}  # fmt: skip
_UPPER = {cyr.upper(): lat.upper() for cyr, lat in _LOWER.items()}
_DIGRAPHS = {"Љ": "Lj", "Њ": "Nj", "Џ": "Dž"}


def to_latin(text: str) -> str:
    """Serbian Cyrillic `text` in Latin script."""
    out: list[str] = []
    for index, char in enumerate(text):
        if char in _DIGRAPHS:
            out.append(_UPPER[char] if _in_capitals(text, index) else _DIGRAPHS[char])
        else:
            out.append(_LOWER.get(char) or _UPPER.get(char) or char)
    return "".join(out)


def _in_capitals(text: str, index: int) -> bool:
    """Whether the letter at `index` stands in an all-capital word: its next letter is a
    capital, or it ends a word whose previous letter is one (`ПЉ` -> `PLJ`, `Љ` alone -> `Lj`)."""
    after = text[index + 1] if index + 1 < len(text) else ""
    if after.isalpha():
        return after.isupper()
    before = text[index - 1] if index > 0 else ""
    return before.isalpha() and before.isupper()
