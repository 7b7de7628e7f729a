"""AppTest: /search?q= (one search over practices, challenges and commitments) and the menu's
search box that leads there from every page."""

import re

import pytest

from forumdash import site_search
from forumdash.db import make_engine, read_session
from forumdash.ui.frame import SEARCH_KEY
from forumdash.ui.search import PHONE_BOX_KEY
from tests.app.test_pages import open_page
from tests.unit.test_search import HOSTILE


def _search(q: str | None = None):
    return open_page("pages/search.py", **({"q": q} if q is not None else {}))


def _links(at) -> list[tuple[str, str, dict]]:
    """(label, page, query parameters) of every page link in the page's body."""
    return [
        (link.proto.label, link.proto.page, dict(link.proto.query_string and _qs(link.proto)))
        for link in at.main.get("page_link")
    ]


def _qs(proto) -> dict[str, str]:
    from urllib.parse import parse_qsl

    return dict(parse_qsl(proto.query_string))


def _expected(app_database: str, q: str) -> site_search.SiteResults:
    engine = make_engine(app_database)
    with read_session(engine) as session:
        found = site_search.search_site(session, q)
    engine.dispose()
    return found


def test_results_are_grouped_by_kind_with_counts_and_links(app_database):
    at = _search("open data")
    assert not at.exception
    expected = {k.kind.name: k for k in _expected(app_database, "open data").kinds}
    headings = [s.value for s in at.subheader]
    practices, challenges = expected["practices"], expected["challenges"]
    assert practices.total > site_search.SHOWN_PER_KIND and challenges.total
    assert headings == [
        f":material/article: {practices.total} practices",
        f":material/flag: {challenges.total} challenges",
        ":material/assignment: 0 OGP commitments",
    ]
    links = _links(at)
    record_links = [(page, params) for _, page, params in links if "id" in params]
    assert record_links[: len(practices.hits)] == [
        ("practice", {"id": hit.record_id}) for hit in practices.hits
    ]
    assert ("challenges", {"id": challenges.hits[0].record_id}) in record_links
    to_lists = {label: (page, params) for label, page, params in links if page != "search"}
    to_lists = {label: target for label, target in to_lists.items() if "id" not in target[1]}
    assert challenges.total <= site_search.SHOWN_PER_KIND  # all shown: the list to filter them
    assert to_lists == {
        f"**See all {practices.total} practices**": ("browse", {"q": "open data"}),
        "**Open in Challenges and matches**": ("challenges", {"q": "open data"}),
    }
    assert "No OGP commitments have been imported yet." in [c.value for c in at.caption]
    assert at.sidebar.text_input(key=SEARCH_KEY).value == "open data"  # the box shows the query
    assert at.query_params["q"] in ("open data", ["open data"])  # a link shares the search


def test_see_all_lists_give_the_same_counts(app_database):
    found = {k.kind.name: k.total for k in _expected(app_database, "municipal").kinds}
    browse = open_page("pages/browse.py", q="municipal")
    assert any(
        re.match(rf"\*\*{found['practices']}\*\* practices", m.value) for m in browse.markdown
    )
    challenges = open_page("pages/challenges.py", q="municipal")
    assert not challenges.exception
    assert f"{found['challenges']} challenges" in [s.value for s in challenges.subheader]
    assert challenges.text_input(key="challenges.q").value == "municipal"


def test_an_empty_search_explains_and_offers_examples(app_database):
    at = _search()
    assert not at.exception
    assert at.title[0].value == "Search the forum"
    assert any("One search over" in m.value for m in at.markdown)
    examples = [params.get("q") for _, page, params in _links(at) if page == "search"]
    assert examples == list(site_search.EXAMPLES)
    assert at.sidebar.text_input(key=SEARCH_KEY).value == ""


def test_nothing_found_says_so_and_suggests_fewer_words(app_database):
    at = _search("budget zzqxnothing")
    assert not at.exception
    assert "Nothing in the forum matches" in at.info[0].value
    suggestions = [params["q"] for _, page, params in _links(at) if page == "search"]
    assert suggestions == ["zzqxnothing", "budget"]


def test_punctuation_alone_says_it_holds_no_word(app_database):
    at = _search('"-"')
    assert not at.exception
    assert "holds no word to search for" in at.info[0].value


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_searches_render_inert(app_database, q):
    at = _search(q)
    assert not at.exception
    for element in [*at.markdown, *at.info, *at.caption]:
        assert "<script" not in element.value and "<img" not in element.value


def test_markup_in_a_search_is_shown_escaped(app_database):
    q = "<b>budget</b> **x** [a](javascript:alert(1))"
    at = _search(q)
    assert not at.exception
    shown = " ".join(e.value for e in [*at.markdown, *at.info])
    assert "<b>" not in shown and "](javascript" not in shown
    assert "\\<b\\>budget\\</b\\>" in shown or "\\<b>" in shown


def test_the_menu_box_opens_the_search_page_from_any_page(app_database):
    at = open_page("pages/browse.py")
    at.sidebar.text_input(key=SEARCH_KEY).input("open data").run()
    assert not at.exception
    assert at.title[0].value == "Search the forum"
    assert at.query_params["q"] in ("open data", ["open data"])
    assert any("practices" in s.value for s in at.subheader)


def test_the_page_box_changes_the_search_in_the_url(app_database):
    at = _search("open data")
    at.text_input(key=PHONE_BOX_KEY).input("  procurement  ").run()
    assert not at.exception
    assert at.query_params["q"] in ("procurement", ["procurement"])
    assert at.sidebar.text_input(key=SEARCH_KEY).value == "procurement"
    assert any(s.value.endswith("practices") for s in at.subheader)
    at.text_input(key=PHONE_BOX_KEY).input("").run()
    assert "q" not in at.query_params
    assert any("One search over" in m.value for m in at.markdown)
