"""OGP commitment numbers as people read them: cleaned of spreadsheet float noise, and sorted
naturally (2.1 before 10.1, 3 before 3a before 3b) wherever commitments are listed."""

import re

# Digit runs and letter runs; anything else (`.`, `-`, `/`, spaces) only separates them.
_TOKENS = re.compile(r"\d+|[^\W\d_]+")


def clean_commitment_number(text: str) -> str:
    """A number as OGP meant it: `8.3000000000000007` -> `8.3`, `5.0` -> `5`, `1e1` -> `10`;
    `1.10`, `3a` and other text stay as written."""
    text = text.strip()
    if re.fullmatch(r"-?\d+\.\d{7,}", text) or re.fullmatch(r"-?\d+(?:\.\d+)?[eE][-+]?\d+", text):
        text = f"{float(text):.10g}"
    if re.fullmatch(r"-?\d+\.0+", text):
        text = text.split(".")[0]
    return text


def commitment_sort_key(number: str) -> tuple[int, tuple[tuple[int, int, str], ...]]:
    """A key that sorts commitment numbers naturally: numeric parts as numbers (2.1 < 10.1,
    1.2 < 1.10), a number before a letter at the same place (3.1 < 3a), letters without case,
    and an empty number last."""
    tokens = _TOKENS.findall(number.casefold())
    parts = tuple((0, int(token), "") if token.isdigit() else (1, 0, token) for token in tokens)
    return (0 if parts else 1, parts)
