"""Folding: one lowercase, diacritic-free Latin form of any text of the region, the form search,
slugs and matching compare. A module of its own with no imports from the package, so that the
text helpers (slugs) and search can both use it without importing each other."""

import unicodedata

# Serbian and Macedonian Cyrillic to the Latin letters the folded form uses (after diacritics
# are stripped: č, ć -> c; š -> s; ž -> z; đ -> dj; dž -> dz).
_CYRILLIC = dict(
    pair.split("=", 1)  # "letter=latin"
    for pair in """
    а=a б=b в=v г=g д=d ђ=dj ѓ=gj е=e ж=z з=z ѕ=dz и=i ј=j к=k л=l љ=lj м=m н=n њ=nj о=o п=p
    р=r с=s т=t ћ=c ќ=kj у=u ф=f х=h ц=c ч=c џ=dz ш=s ѐ=e ѝ=i й=j ы=y э=e ю=ju я=ja ё=e ъ= ь=
    щ=sc є=je і=i ї=ji ґ=g
    """.split()
)
# Latin letters that Unicode does not decompose into a base letter and a mark.
_LATIN = {"đ": "dj", "ð": "d", "ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ı": "i"}
_FOLD = str.maketrans(_CYRILLIC | _LATIN)


def fold(text: str | None) -> str:
    """One lowercase, diacritic-free Latin form: 'Београд' and 'Beograd' both give 'beograd'."""
    if not text:
        return ""
    lowered = unicodedata.normalize("NFC", text).lower().translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
