"""Search: folding of case, diacritics and script; hostile input; ranking; both databases."""

import pytest

from forumdash import repository, search
from forumdash import vocab as v
from forumdash.db import read_session, write_session
from forumdash.filters import PracticeFilters
from forumdash.models import PracticeCreate


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Београд", "beograd"),
        ("BEOGRAD", "beograd"),
        ("отворени подаци", "otvoreni podaci"),
        ("Đurđevdan", "djurdjevdan"),
        ("Ђорђевић", "djordjevic"),
        ("čćšžđ", "ccszdj"),
        ("Shqipëria çka", "shqiperia cka"),
        ("Македонија ќе ѓубре ѕвезда", "makedonija kje gjubre dzvezda"),
        ("џеп Џемал", "dzep dzemal"),
        ("Łódź", "lodz"),
    ],
)
def test_fold(text, folded):
    assert search.fold(text) == folded


HOSTILE = [
    '"',
    '""',
    "'",
    "*",
    "-",
    "--",
    "OR",
    "AND",
    "NOT",
    "NEAR",
    "(",
    ")",
    "((a",
    "a))",
    "a OR",
    "OR b",
    "-a",
    '-"a b"',
    "a -",
    "^",
    "col:value",
    "practice_fts:x",
    "title:x",
    "x" * 10_000,
    "🙂🚀",
    "a 🙂 b",
    "'; DROP TABLE practice; --",
    "1=1 OR 1=1",
    "%",
    "_",
    "\\",
    "\x00",
    "NEAR(a b, 2)",
    "{a b}",
    "a AND OR NOT b",
    "\u202egnp.exe",
    "  ",
]


# The same hostility around words that stem (forms, scripts, hyphens, hosts).
HOSTILE_FORMS = [
    '"municipalities',
    'municipalities"',
    "opštine OR",
    "OR општине",
    "-budgeting",
    '-"open municipalities"',
    "e-municipality))",
    "((e-",
    "-e-",
    "sarajevo.ba:x",
    "www.sarajevo.ba/'; DROP TABLE practice_search_term; --",
    "bicycles*",
    "bashkisë^",
    "општините NEAR(a b, 2)",
    "opštinama -opštinama",
    "municipalities " * 200,
    "\\municipalities%",
    "_opštine_",
    "municipalit\x00ies",
    "Opština‮",
    "e‐municipality",  # a Unicode hyphen
]


@pytest.mark.parametrize("query", HOSTILE + HOSTILE_FORMS)
def test_no_query_raises(readonly_engine, query):
    with read_session(readonly_engine) as session:
        view = PracticeFilters(q=query)
        total, rows = repository.search_practices(session=session, filters=view)
        counts = repository.facet_counts(session=session, filters=view)
        # The index's answer is the database's (the SQL reference path) for the same query.
        assert total == repository.count_matching(session=session, filters=view)
    assert len(rows) == min(total, 25)
    assert sum(counts["countries"].values()) == total


def _record(slug, title, summary, country="AL", **fields):
    return PracticeCreate(
        slug=slug,
        title=title,
        country=country,
        summary=summary,
        level=v.GovLevel.local,
        actor_type=v.ActorType.government,
        themes=["open-data"],
        stage=v.Stage.implementing,
        sources=[{"title": "t", "url": "https://example.org"}],
        **{"workflow": v.Workflow.published, **fields},
    )


def _add(engine, slug, title, summary, country="AL", **fields):
    with write_session(engine) as session:
        return repository.create_practice(
            session=session, practice_in=_record(slug, title, summary, country, **fields)
        )


def _ids(engine, query):
    with read_session(engine) as session:
        view = PracticeFilters(q=query, per_page=100)
        total, rows = repository.search_practices(session=session, filters=view)
    assert total == len(rows)
    return [r.id for r in rows]


def test_script_and_diacritics_insensitive(seeded_engine):
    latin = _add(seeded_engine, "t-latin", "Budžet grada Beograda", "Otvoreni podaci o trošenju")
    cyrillic = _add(seeded_engine, "t-cyr", "Буџет града Ниша", "Отворени подаци о трошењу", "RS")
    albanian = _add(seeded_engine, "t-sq", "Transparenca në Shqipëri", "Çdo shpenzim publik")
    assert latin in _ids(seeded_engine, "Београд")
    assert cyrillic in _ids(seeded_engine, "otvoreni podaci")
    assert latin in _ids(seeded_engine, "отворени подаци")
    assert {latin, cyrillic} <= set(_ids(seeded_engine, "budzet"))
    assert {latin, cyrillic} <= set(_ids(seeded_engine, "БУЏЕТ"))
    assert albanian in _ids(seeded_engine, "shqiperi cdo")
    assert albanian in _ids(seeded_engine, "SHQIPËRI")


def test_operators(seeded_engine):
    a = _add(seeded_engine, "t-a", "Zebrafish registry", "alpha omega")
    b = _add(seeded_engine, "t-b", "Zebrafish ledger", "alpha beta")
    c = _add(seeded_engine, "t-c", "Quokka ledger", "omega alpha")
    assert set(_ids(seeded_engine, "zebrafish")) == {a, b}
    assert set(_ids(seeded_engine, "zebrafish -ledger")) == {a}
    assert set(_ids(seeded_engine, "zebrafish OR quokka")) == {a, b, c}
    assert set(_ids(seeded_engine, '"alpha omega"')) == {a}
    assert set(_ids(seeded_engine, "zebra")) == {a, b}  # a word is also a prefix


def test_title_matches_rank_first(seeded_engine):
    in_text = _add(seeded_engine, "t-text", "A registry", "mentions the word xylograph once")
    in_title = _add(seeded_engine, "t-title", "Xylograph archive", "an archive")
    assert _ids(seeded_engine, "xylograph")[:2] == [in_title, in_text]


def test_search_covers_body_and_institutions(seeded_engine):
    with read_session(seeded_engine) as session:
        practice = repository.get_practice(session=session, practice_id=1)
    word = practice.lead_institution.split()[0]
    assert practice.id in _ids(seeded_engine, word)


def test_the_search_box_examples_find_something_in_the_seed(readonly_engine):
    from forumdash.ui.browse import SEARCH_EXAMPLES

    with read_session(readonly_engine) as session:
        for query in SEARCH_EXAMPLES:
            total, _ = repository.search_practices(
                session=session, filters=PracticeFilters(q=query, per_page=1)
            )
            assert total >= 1, query


# --------------------------------------------------------------------------- words and forms


def test_words_cut_links_hosts_mail_and_hyphens_into_parts():
    text = (
        "See https://www.Sarajevo.ba/e-uprava, info@moja-opstina.mk and e-Municipality/e-services"
    )
    assert search.words(text) == [
        "see",
        "https",
        "www",
        "sarajevo",
        "ba",
        "e",
        "uprava",
        "info",
        "moja",
        "opstina",
        "mk",
        "and",
        "e",
        "municipality",
        "e",
        "services",
    ]


def test_an_indexed_text_keeps_words_in_order_and_counts_stems():
    indexed = search.index_text(
        "E-Municipality portals",
        ("Portal of the municipalities.", "Opština Stari Grad"),
        "en",
    )
    assert indexed.title_words == " e municipality portals "
    # Parts are kept apart: no phrase runs from one into the next.
    assert indexed.body_words == " portal of the municipalities . opstina stari grad "
    t = search.TITLE_WEIGHT
    assert indexed.terms["municip"] == t + 1  # once in the title, once in the body
    assert indexed.terms["portal"] == t + 1
    assert indexed.terms["emunicip"] == t  # the hyphenated word, whole
    assert indexed.terms["opstin"] == 1  # a Serbian word in an English text: Serbian stem
    assert indexed.length == t * 3 + 4 + 3


def test_a_hyphenated_query_word_is_a_phrase_or_one_word():
    query = search.parse_query('e-municipality "e-municipality" -e-uprava')
    first, quoted, excluded = query.clauses
    assert first.alternatives == (("e", "municipality"), ("emunicipality",))
    assert quoted.alternatives == (("e", "municipality"),)  # quotes: exactly these words
    assert excluded.negated and excluded.alternatives == (("e", "uprava"), ("euprava",))
    assert search.parse_query("sarajevo.ba").clauses[0].alternatives == (("sarajevo", "ba"),)


def test_clauses_remember_how_they_were_typed():
    query = search.parse_query('Opštine "open data" budget OR budžet -waste')
    assert [c.text for c in query.clauses] == [
        "Opštine",
        "“open data”",
        "budget OR budžet",
        "waste",
    ]


def test_word_forms_find_each_other(seeded_engine):
    e_municipality = _add(
        seeded_engine, "t-emun", "E-Municipality one-stop shop", "Online permits for citizens"
    )
    municipalities = _add(
        seeded_engine, "t-muns", "Budgets of municipalities", "Every municipality publishes"
    )
    bicycles = _add(seeded_engine, "t-bike", "Bicycles for commuters", "A bicycle lane plan")
    serbian = _add(
        seeded_engine,
        "t-sr",
        "Budžet opštine na internetu",
        "Građani prate budžete opštinama",
        "RS",
        original_language="sr",
    )
    english = _add(
        seeded_engine,
        "t-en-sr",
        "Participatory budget in Belgrade",
        "The Opština Stari Grad asked residents",
        "RS",
        original_language="en",
    )
    albanian = _add(
        seeded_engine,
        "t-sq2",
        "Bashkia publikon buxhetin",
        "Qytetarët e bashkisë",
        original_language="sq",
    )
    macedonian = _add(
        seeded_engine,
        "t-mk",
        "Општината го објавува буџетот",
        "Граѓаните на општините",
        "MK",
        original_language="mk",
    )
    translated = _add(
        seeded_engine,
        "t-tr",
        "Open budgets of the municipality",
        "The municipality and its citizens publish the budget for the year",
        original_language="sq",  # an Albanian record, written in English: stemmed as English
    )
    for query in ("municipality", "municipalities", "Municipalities"):
        expected = {e_municipality, municipalities, translated}
        assert expected <= set(_ids(seeded_engine, query)), query
    for query in ("bicycle", "bicycles"):
        assert bicycles in _ids(seeded_engine, query)
    for query in ("opština", "opštine", "opštinama", "ОПШТИНЕ", "opstini"):
        assert {serbian, english, macedonian} <= set(_ids(seeded_engine, query)), query
    for query in ("bashkia", "bashkive", "bashkisë"):
        assert albanian in _ids(seeded_engine, query), query
    for query in ("општина", "opstinata"):
        assert macedonian in _ids(seeded_engine, query), query
    assert e_municipality in _ids(seeded_engine, "eMunicipality")
    assert e_municipality in _ids(seeded_engine, "e-municipality")
    assert municipalities not in _ids(seeded_engine, "e-municipality")


def test_hosts_and_addresses_are_found_by_their_parts_and_whole(seeded_engine):
    found = _add(
        seeded_engine,
        "t-host",
        "City portal",
        "Published at https://www.sarajevo.ba/budzet; write to info@moja-opstina.mk",
        "BA",
    )
    for query in ("sarajevo", "sarajevo.ba", "www.sarajevo.ba", "moja-opstina.mk", "info@moja"):
        assert found in _ids(seeded_engine, query), query
    assert found not in _ids(seeded_engine, "sarajevo.mk")


def test_phrases_match_the_words_exactly_in_order(seeded_engine):
    exact = _add(seeded_engine, "t-ph1", "Quokka open municipality registers", "x")
    other_form = _add(seeded_engine, "t-ph2", "Quokka open municipalities", "x")
    reversed_ = _add(seeded_engine, "t-ph3", "Quokka municipality open", "x")
    split = _add(seeded_engine, "t-ph4", "Quokka open", "municipality")
    assert set(_ids(seeded_engine, "quokka open municipality")) == {
        exact,
        other_form,
        reversed_,
        split,
    }
    assert _ids(seeded_engine, 'quokka "open municipality"') == [exact]
    assert _ids(seeded_engine, 'quokka "open municipalities"') == [other_form]
    excluded = set(_ids(seeded_engine, 'quokka -"open municipality"'))
    assert excluded == {other_form, reversed_, split}


def test_more_mentions_rank_higher(seeded_engine):
    once = _add(seeded_engine, "t-r1", "Garden registry", "A wombat was seen near the garden.")
    often = _add(
        seeded_engine, "t-r2", "Garden registry", "A wombat, another wombat, three wombats."
    )
    in_title = _add(seeded_engine, "t-r3", "Wombat registry", "Seen near the garden.")
    assert _ids(seeded_engine, "wombat") == [in_title, often, once]


def test_an_edit_replaces_the_index_terms(seeded_engine):
    practice_id = _add(seeded_engine, "t-edit", "Numbat registry", "about numbats")
    assert _ids(seeded_engine, "numbat") == [practice_id]
    with write_session(seeded_engine) as session:
        repository.update_practice(
            session=session,
            practice_id=practice_id,
            practice_in=_record("t-edit", "Dugong registry", "about dugongs"),
        )
    assert _ids(seeded_engine, "numbat") == []
    assert _ids(seeded_engine, "dugongs") == [practice_id]


def test_only_published_practices_are_found(seeded_engine):
    draft = _add(seeded_engine, "t-draft", "Axolotl registry", "x", workflow=v.Workflow.draft)
    assert _ids(seeded_engine, "axolotl") == []
    with write_session(seeded_engine) as session:
        repository.set_practice_workflow(
            session=session, practice_id=draft, workflow=v.Workflow.published
        )
    assert _ids(seeded_engine, "axolotl") == [draft]
