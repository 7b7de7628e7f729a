"""Stemming tables: the forms of a word in each language of the region share one stem, and
words that differ in meaning keep different stems."""

import pytest

from forumdash import search, stemming


def _stems(words: str, stemmer: str) -> set[str]:
    """The stems of words as written (folded first, as search does)."""
    return {stemming.stem(w, stemmer) for word in words.split() for w in search.words(word)}


@pytest.mark.parametrize(
    ("stemmer", "forms"),
    [
        # English (Snowball)
        (stemming.ENGLISH, "municipality municipalities Municipality"),
        (stemming.ENGLISH, "bicycle bicycles"),
        (stemming.ENGLISH, "budget budgets budgeting"),
        (stemming.ENGLISH, "citizen citizens"),
        (stemming.ENGLISH, "consultation consultations"),
        # Serbian, Croatian, Bosnian, Montenegrin (Snowball's Serbian, after folding; either script)
        (stemming.SERBIAN, "opština opštine opštinama opštini opštinu"),
        (stemming.SERBIAN, "општина општине општинама opstina"),
        (stemming.SERBIAN, "općina općine općinama"),
        (stemming.SERBIAN, "budžet budžeta budžetu budžetom буџет"),
        (stemming.SERBIAN, "otpad otpada otpadom"),
        (stemming.SERBIAN, "građani građana građanima gradjana"),
        # Albanian (light stemmer): "municipality" in its cases and numbers
        (stemming.ALBANIAN, "bashki bashkia bashkisë bashkive bashkinë"),
        # "city": indefinite, definite, genitive, accusative, plural, genitive plural
        (stemming.ALBANIAN, "qytet qyteti qytetit qytetin qytete qyteteve"),
        (stemming.ALBANIAN, "buxhet buxheti buxhetit buxhetin"),
        (stemming.ALBANIAN, "qeveri qeveria qeverisë qeverive"),
        (stemming.ALBANIAN, "transparenca transparencë transparencën"),
        # Macedonian (light stemmer, after folding Cyrillic): articles and plurals
        (stemming.MACEDONIAN, "општина општината општини општините општински"),
        (stemming.MACEDONIAN, "град градот градови градовите"),
        (stemming.MACEDONIAN, "буџет буџетот буџети буџетите"),
        (stemming.MACEDONIAN, "влада владата влади владите"),
        (stemming.MACEDONIAN, "отворен отворена отворено отворени"),
    ],
)
def test_the_forms_of_a_word_share_a_stem(stemmer, forms):
    assert len(_stems(forms, stemmer)) == 1, _stems(forms, stemmer)


@pytest.mark.parametrize(
    ("stemmer", "first", "second"),
    [
        (stemming.ENGLISH, "police", "policy"),
        (stemming.ENGLISH, "data", "date"),
        (stemming.ALBANIAN, "qytet", "qytetar"),  # city, citizen
        # Common stems that end like an inflection stay whole (the ending list leaves them out).
        (stemming.ALBANIAN, "buxhet", "buxh"),
        (stemming.ALBANIAN, "rezultat", "rezult"),
        (stemming.ALBANIAN, "proces", "proc"),
        (stemming.MACEDONIAN, "општина", "опис"),
    ],
)
def test_different_words_keep_different_stems(stemmer, first, second):
    assert _stems(first, stemmer) != _stems(second, stemmer)


def test_light_stemmers_keep_at_least_three_letters():
    assert stemming.albanian_stem("ujit") == "ujit"  # 'uj' + 'it' would leave two letters
    assert stemming.macedonian_stem("ота") == "ота"
    assert stemming.albanian_stem("a") == "a"
    assert stemming.macedonian_stem("") == ""


@pytest.mark.parametrize(
    ("language", "stemmer"),
    [
        ("en", stemming.ENGLISH),
        ("EN", stemming.ENGLISH),
        ("", stemming.ENGLISH),
        (None, stemming.ENGLISH),
        ("de", stemming.ENGLISH),
        ("xx-yy", stemming.ENGLISH),
        ("sr", stemming.SERBIAN),
        ("sr-Latn", stemming.SERBIAN),
        ("sr-Cyrl", stemming.SERBIAN),
        ("sr_Latn", stemming.SERBIAN),
        ("hr", stemming.SERBIAN),
        ("bs", stemming.SERBIAN),
        ("cnr", stemming.SERBIAN),
        ("me", stemming.SERBIAN),
        ("sq", stemming.ALBANIAN),
        ("SQ", stemming.ALBANIAN),
        ("mk", stemming.MACEDONIAN),
    ],
)
def test_the_record_language_names_the_stemmer(language, stemmer):
    assert stemming.stemmer_for(language) == stemmer


@pytest.mark.parametrize(
    ("word", "in_text_of", "stemmer"),
    [
        ("municipality", stemming.ENGLISH, stemming.ENGLISH),
        ("Opština", stemming.ENGLISH, stemming.SERBIAN),
        ("Općina", stemming.ENGLISH, stemming.SERBIAN),
        ("Општина", stemming.ENGLISH, stemming.SERBIAN),
        ("Ѓорче", stemming.ENGLISH, stemming.MACEDONIAN),
        ("Shqipërisë", stemming.ENGLISH, stemming.ALBANIAN),
        ("Łódź", stemming.ENGLISH, stemming.ENGLISH),  # not a language stemmed here
        # Only English texts borrow: a Serbian or Albanian text stems all its words its way.
        ("Shqipërisë", stemming.SERBIAN, stemming.SERBIAN),
        ("Opština", stemming.ALBANIAN, stemming.ALBANIAN),
    ],
)
def test_a_word_in_another_alphabet_takes_its_own_stemmer(word, in_text_of, stemmer):
    assert stemming.stemmer_of_word(word, in_text_of) == stemmer


def test_stems_are_in_the_folded_alphabet():
    # Snowball's Serbian writes 'dj' as 'đ'; search keeps one form.
    assert stemming.stem("gradjani", stemming.SERBIAN) == "gradjan"
    assert all(s.isascii() for s in stemming.stems("gradjanima"))


def test_a_query_word_has_a_stem_under_every_stemmer():
    assert set(stemming.stems("opstine")) >= {"opstin"}
    assert stemming.stems("municipalities")[0] == "municip"
    assert len(stemming.stems("zvrkgrad")) == 1  # nothing to strip in any language


@pytest.mark.parametrize(
    ("text", "record_language", "stemmer"),
    [
        # The seed's and OGP's translated records: the original was Albanian, the text English.
        ("The municipality and the citizens of Tirana publish the budget", "sq", "english"),
        ("Građani i opština: budžet je objavljen u aprilu na sajtu koji prate", "", "serbian"),
        ("Граѓаните во општината го следат буџетот преку порталот", "en", "macedonian"),
        ("Bashkia dhe qytetarët: buxheti për vitin është publikuar nga bashkia", "en", "albanian"),
        ("Bashkia dhe qytetarët: buxheti për vitin është publikuar", "sq", "albanian"),
        # Too few common words to overrule the record's language.
        ("Open data portal", "sr", "serbian"),
        ("Zvrkgrad", "mk", "macedonian"),
        ("", "sq", "albanian"),
    ],
)
def test_a_text_is_stemmed_in_the_language_it_is_written_in(text, record_language, stemmer):
    found = stemming.text_stemmer(search.words(text), stemming.stemmer_for(record_language))
    assert found == stemmer
