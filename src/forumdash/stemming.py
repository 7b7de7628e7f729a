"""Word stems in the region's languages, so that a search finds every form of a word.

Search folds text to lowercase Latin without diacritics (forumdash.folding.fold) and then stems
each word: English and Serbian/Croatian/Bosnian/Montenegrin with Snowball (PyStemmer, in C),
Albanian and Macedonian with the light suffix strippers below (Snowball has neither). A record is
stemmed in its own language; a query, which has no language, in every one of them.
"""

import functools
import threading
from collections import Counter
from collections.abc import Iterable
from typing import Protocol

import Stemmer  # type: ignore[import-not-found]  # PyStemmer ships no type hints

ENGLISH = "english"
SERBIAN = "serbian"
ALBANIAN = "albanian"
MACEDONIAN = "macedonian"
# Every stemmer, in the order a query's stems are listed.
STEMMERS = (ENGLISH, SERBIAN, ALBANIAN, MACEDONIAN)

# A record's original_language (its primary subtag: `sr-Latn` -> `sr`) -> its stemmer. Anything
# else, or no language at all, is stemmed as English: most of the forum's texts are in English.
_STEMMER_OF_LANGUAGE = {
    "en": ENGLISH,
    "sr": SERBIAN,
    "hr": SERBIAN,
    "bs": SERBIAN,
    "cnr": SERBIAN,
    "me": SERBIAN,
    "sh": SERBIAN,
    "sq": ALBANIAN,
    "mk": MACEDONIAN,
}


def stemmer_for(language: str | None) -> str:
    """The stemmer of a record's language code ('sr-Latn' -> serbian; unknown -> english)."""
    primary = (language or "").strip().lower().replace("_", "-").split("-")[0]
    return _STEMMER_OF_LANGUAGE.get(primary, ENGLISH)


# Common short words that only one of the languages uses (folded), to tell what language a text
# is written in: a record's original_language says where it comes from, and its text is often a
# translation (an import may give the country's language for a text written in English, as most
# OGP records are).
_FUNCTION_WORDS = {
    ENGLISH: "the and of to for with is are was were that this from by which their has have",
    SERBIAN: "u je su sa koji koja koje kao iz ali bi jer vec kroz prema izmedju ovaj ova",
    ALBANIAN: "dhe per qe nga nje jane eshte ose por te ne si mbi pas permes brenda",
    MACEDONIAN: "vo so kon preku spored megju kje koj koi ovaa bidejki ili gi go",
}
_LANGUAGE_OF_WORD = {
    word: stemmer for stemmer, words in _FUNCTION_WORDS.items() for word in words.split()
}
# The text's own language wins over the record's with this many of its words and at least twice
# as many as the record's language has.
_ENOUGH_EVIDENCE = 3


def text_stemmer(words: Iterable[str], stemmer: str) -> str:
    """The stemmer for a text (its folded words) of a record whose language has `stemmer`: the
    language the text is written in when its common words say so clearly, else the record's."""
    found = Counter(_LANGUAGE_OF_WORD[w] for w in words if w in _LANGUAGE_OF_WORD)
    if not found:
        return stemmer
    likeliest, count = max(found.items(), key=lambda item: (item[1], item[0] == stemmer))
    if count >= _ENOUGH_EVIDENCE and count >= 2 * found.get(stemmer, 0):
        return likeliest
    return stemmer


# Letters that say a word in an English text is not English: its stemmer is the language they
# belong to (a place or an institution named as written: "Opština Stari Grad", "Bashkia").
_SERBIAN_LATIN = set("čćšžđČĆŠŽĐ")
_ALBANIAN = set("ëçËÇ")
_MACEDONIAN_CYRILLIC = set("ѓќѕѐѝЃЌЅЀЍ")


def stemmer_of_word(word: str, stemmer: str) -> str:
    """The stemmer for a word as written in a text of the given stemmer's language: in an
    English text, words with Serbian/Croatian or Albanian letters, or in Cyrillic, take the
    stemmer of their own language."""
    if stemmer != ENGLISH or word.isascii():
        return stemmer
    if any(ch in _ALBANIAN for ch in word):
        return ALBANIAN
    if any(ch in _MACEDONIAN_CYRILLIC for ch in word):
        return MACEDONIAN
    if any(ch in _SERBIAN_LATIN or "\u0400" <= ch <= "\u04ff" for ch in word):
        return SERBIAN
    return stemmer


class _Snowball(Protocol):
    def stemWord(self, word: str) -> str: ...  # noqa: N802 - PyStemmer's name


# PyStemmer's stemmers are not thread-safe (Streamlit runs each session in its own thread).
_LOCAL = threading.local()


def _snowball(name: str) -> _Snowball:
    stemmers: dict[str, _Snowball] | None = getattr(_LOCAL, "stemmers", None)
    if stemmers is None:
        stemmers = _LOCAL.stemmers = {}
    if name not in stemmers:
        stemmers[name] = Stemmer.Stemmer(name)
    return stemmers[name]


# Light stemmers: strip the longest inflectional ending listed (keeping at least 3 letters),
# then a final vowel. Endings are written folded (ë -> e, Cyrillic -> Latin). They conflate the
# forms of a noun (and of most adjectives); derivations keep their own stem.
_ALBANIAN_ENDINGS = tuple(
    sorted(
        # genitive plural (-ave, -eve, -ve); definite singular by case (-it, -in; feminine -së,
        # -në, -ën); -ja/-je (qeverisja, qeverisje); the article or plural as a last vowel.
        # Left out on purpose: -et, -at, -es, -ut, -te, which end common stems (buxhet,
        # rezultat, proces, institut) as often as they inflect them.
        "ave eve ve it in se ne en ja je a e i u".split(),
        key=len,
        reverse=True,
    )
)
_MACEDONIAN_ENDINGS = tuple(
    sorted(
        # plural (-ovi, -evi) with its article (-ovite, -evite, -ite); the singular articles
        # (-ot, -ata, -oto); adjectives in -ski with theirs; the definite adjective (-iot)
        "ovite evite skiot skata skoto skite ovi evi ite ata oto ski ska sko iot ot".split(),
        key=len,
        reverse=True,
    )
)
_VOWELS = frozenset("aeiou")
_MIN_STEM = 3


def _strip(word: str, endings: tuple[str, ...]) -> str:
    for ending in endings:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            word = word[: -len(ending)]
            break
    if len(word) > _MIN_STEM and word[-1] in _VOWELS:
        word = word[:-1]
    return word


@functools.lru_cache(maxsize=65_536)
def albanian_stem(word: str) -> str:
    """A light stem of a folded Albanian word: bashkia, bashkisë, bashkive -> bashk."""
    return _strip(word, _ALBANIAN_ENDINGS)


@functools.lru_cache(maxsize=65_536)
def macedonian_stem(word: str) -> str:
    """A light stem of a folded Macedonian word: општина, општината, општините -> opstin."""
    return _strip(word, _MACEDONIAN_ENDINGS)


_REFOLD = str.maketrans({"đ": "dj", "č": "c", "ć": "c", "š": "s", "ž": "z"})


def stem(word: str, stemmer: str) -> str:
    """The stem of a folded word (lowercase Latin) under one stemmer."""
    if stemmer == ALBANIAN:
        return albanian_stem(word)
    if stemmer == MACEDONIAN:
        return macedonian_stem(word)
    stemmed = _snowball(stemmer).stemWord(word)
    # Snowball's Serbian writes `dj` back as `đ`: stems stay in the folded alphabet.
    return stemmed if stemmed.isascii() else stemmed.translate(_REFOLD)


def stems(word: str) -> tuple[str, ...]:
    """A folded word's distinct stems under every stemmer (how a query word is looked up)."""
    return tuple(dict.fromkeys(stem(word, name) for name in STEMMERS))
