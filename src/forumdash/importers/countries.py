"""Country names as OGP and spreadsheets write them -> the forum's ten ISO codes: English names
old and new, and the names people write in the region's languages and scripts."""

from forumdash.folding import fold

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

# The same countries as people in the region write them, in Latin and Cyrillic script (folded
# like search: `Северна Македонија` -> `severna makedonija`, `Shqipëria` -> `shqiperia`).
_LOCAL_NAMES = {
    "AL": ["Shqipëria", "Shqipëri", "Shqiperia", "Republika e Shqipërisë", "Albanija", "Албанија"],
    "BA": [
        "Bosna i Hercegovina",
        "Босна и Херцеговина",
        "BiH",
        "БиХ",
        "Bosna",
        "Bosnja dhe Hercegovina",
        "Bosna e Hercegovina",
    ],
    "XK": ["Kosova", "Kosovë", "Republika e Kosovës", "Косово", "Republika Kosovo"],
    "ME": ["Crna Gora", "Црна Гора", "Mali i Zi", "Republika Crna Gora"],
    "MK": [
        "Северна Македонија",
        "Македонија",
        "Република Северна Македонија",
        "Severna Makedonija",
        "Makedonija",
        "Maqedonia e Veriut",
        "Maqedonia",
        "Sjeverna Makedonija",
    ],
    "RS": ["Srbija", "Србија", "Republika Srbija", "Република Србија", "Serbija"],
    "HR": ["Hrvatska", "Хрватска", "Republika Hrvatska", "Kroacia"],
    "GB": ["Great Britain", "Britain", "Ujedinjeno Kraljevstvo", "Велика Британија"],
    "GE": ["Sakartvelo", "საქართველო", "Gruzija", "Грузија", "Gjeorgjia"],
    "PL": ["Polska", "Poljska", "Полска", "Пољска", "Polonia"],
}

FORUM_CODES = ("AL", "BA", "XK", "ME", "MK", "RS", "HR", "GB", "GE", "PL")


def _fold(name: str) -> str:
    """Lower case, Latin script without accents (search's folding), '&' as 'and', no
    punctuation but commas, single spaces."""
    text = fold(name).replace("&", " and ")
    text = "".join(ch if ch.isalnum() or ch in ", " else " " for ch in text)
    return " ".join(text.split())


_BY_NAME = _NAMES | {_fold(name): code for code, names in _LOCAL_NAMES.items() for name in names}


def country_code(name: str) -> str | None:
    """The code of a forum country from its name or code (`Macedonia` -> MK), else None."""
    text = (name or "").strip()
    if text.upper() in FORUM_CODES:
        return text.upper()
    folded = _fold(text)
    return _BY_NAME.get(folded) or _BY_NAME.get(folded.replace(",", ""))


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


# Words of the names above that are not themselves place names.
_GENERIC_NAME_WORDS = frozenset(
    "and of the i e dhe republic republika republike republikes republica former yugoslav "
    "united great northern north severna sjeverna veriut kingdom fyr uk mali velika ujedinjeno "
    "zi".split()
)


def country_name_words() -> set[str]:
    """Every folded word of the forum's countries' names in every language ('albania',
    'shqiperia', 'makedonija', 'crna', 'gora'...), without words like 'republic' or 'north'."""
    names = [*_NAMES, *(name for names in _LOCAL_NAMES.values() for name in names)]
    words = {word for name in names for word in _fold(name).replace(",", " ").split()}
    return words - _GENERIC_NAME_WORDS
