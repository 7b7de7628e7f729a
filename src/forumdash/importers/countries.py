"""Country names as OGP and spreadsheets write them -> the forum's ten ISO codes."""

import unicodedata

# The forum's countries under the names found in OGP data, old and new (keys are folded).
_NAMES = {
    "albania": "AL",
    "bosnia and herzegovina": "BA",
    "bosnia herzegovina": "BA",
    "bosnia": "BA",
    "kosovo": "XK",
    "republic of kosovo": "XK",
    "montenegro": "ME",
    "north macedonia": "MK",
    "republic of north macedonia": "MK",
    "macedonia": "MK",
    "macedonia fyr": "MK",
    "fyr macedonia": "MK",
    "fyrom": "MK",
    "former yugoslav republic of macedonia": "MK",
    "the former yugoslav republic of macedonia": "MK",
    "serbia": "RS",
    "republic of serbia": "RS",
    "croatia": "HR",
    "united kingdom": "GB",
    "uk": "GB",
    "great britain": "GB",
    "united kingdom of great britain and northern ireland": "GB",
    "georgia": "GE",
    "poland": "PL",
}

FORUM_CODES = ("AL", "BA", "XK", "ME", "MK", "RS", "HR", "GB", "GE", "PL")


def _fold(name: str) -> str:
    """Lower case, no accents, '&' as 'and', no punctuation but commas, single spaces."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("&", " and ")
    text = "".join(ch if ch.isalnum() or ch in ", " else " " for ch in text)
    return " ".join(text.split())


def country_code(name: str) -> str | None:
    """The code of a forum country from its name or code (`Macedonia` -> MK), else None."""
    text = (name or "").strip()
    if text.upper() in FORUM_CODES:
        return text.upper()
    folded = _fold(text)
    return _NAMES.get(folded) or _NAMES.get(folded.replace(",", ""))


def match_locality(name: str) -> tuple[str, str | None] | None:
    """(code, locality) for `Country/Locality`: `Serbia` -> (RS, None); a subnational member
    `Tbilisi, Georgia` -> (GE, "Tbilisi"); None for a country outside the forum."""
    text = " ".join((name or "").split())
    code = country_code(text)
    if code is not None:
        return code, None
    if "," in text:
        locality, _, country = text.rpartition(",")
        code = country_code(country)
        if code is not None and locality.strip():
            return code, locality.strip()
    return None
