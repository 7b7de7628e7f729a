"""The search page's parts (/search?q=): each kind of record with its count, its first results
and a link into its own list filtered by the same words. The words and every record's text go
through render's escaping: a search is shown, never run, as Markdown or HTML."""

import streamlit as st

from forumdash import site_search
from forumdash.site_search import Kind, KindResults, SiteResults
from forumdash.ui import lang, render

ICONS = {
    site_search.PRACTICES.name: ":material/article:",
    site_search.CHALLENGES.name: ":material/flag:",
    site_search.COMMITMENTS.name: ":material/assignment:",
}
HOW_WORDS_WORK = (
    "Every word must match (a word also finds longer words that start with it); case, accents "
    'and script do not matter, so `opstina` finds `општина`. Put `"a phrase"` in quotes, '
    "join alternatives with `OR`, and leave a word out with `-word`."
)


# The page's own box, for phones: there the menu (and its box) is folded away behind a button,
# so the words stay in view to change. On a wider screen the menu's box is in view and this one
# is hidden. Streamlit names a keyed element's container st-key-<key>. No user text here.
PHONE_BOX_KEY = "search_page_q"
PHONE_BOX_STYLE = f"""
<style>
.st-key-{PHONE_BOX_KEY} {{ display: none; }}
@media (max-width: 767.98px) {{ .st-key-{PHONE_BOX_KEY} {{ display: block; }} }}
</style>
"""


def _on_phone_box() -> None:
    words = site_search.search_words(st.session_state.get(PHONE_BOX_KEY))
    if words:
        lang.set_url({"q": words})
    else:
        lang.set_url()


def phone_box(q: str) -> None:
    """The words searched in a box of the page itself, shown only on narrow screens."""
    st.html(PHONE_BOX_STYLE)  # the constant CSS above: no user text
    st.session_state[PHONE_BOX_KEY] = q
    st.text_input(
        "Search practices, challenges and commitments",
        key=PHONE_BOX_KEY,
        on_change=_on_phone_box,
        placeholder="Search the forum",
        icon=":material/search:",
        label_visibility="collapsed",
    )


def _script(path: str) -> str:
    return f"pages/{path}.py"


def _quoted(q: str) -> str:
    return f"“{render.escape_markdown(q)}”"


def explain(q: str = "") -> None:
    """What the box searches, how words work, and searches to start from; `q`: words given
    that hold nothing to search for (only punctuation)."""
    if q:
        st.info(f"{_quoted(q)} holds no word to search for.", icon=":material/info:")
    st.markdown(
        "One search over the forum's published **practices**, the **challenges** countries "
        "reported, and the **OGP commitments** imported from OGP. Type words in the search box, "
        "or start from one of these:"
    )
    for example in site_search.EXAMPLES:
        st.page_link(
            "pages/search.py",
            label=render.escape_markdown(example),
            query_params=lang.params({"q": example}),
            icon=":material/search:",
        )
    st.caption(HOW_WORDS_WORK)


def summary(found: SiteResults) -> None:
    """One line: what was found of each kind (of those there are to search), for which words."""
    parts = [k.kind.counted(k.total) for k in found.kinds if not k.none_stored]
    listed = f"{', '.join(parts[:-1])} and {parts[-1]}" if len(parts) > 1 else parts[0]
    verb = "matches" if len(parts) == 1 and found.total == 1 else "match"
    st.markdown(f"{listed} {verb} {_quoted(found.q)}.")
    st.caption(HOW_WORDS_WORK)


def kind_results(found: KindResults, q: str) -> None:
    """A kind's count, its first results linked to their pages, and "See all" into its list."""
    kind = found.kind
    with st.container(border=True):
        st.subheader(f"{ICONS[kind.name]} {kind.counted(found.total)}", anchor=False)
        if found.none_stored:
            st.caption(f"No {kind.plural} have been imported yet.")
        elif not found.total:
            st.caption(f"No {kind.singular} matches all of these words.")
        for hit in found.hits:
            _hit(kind, hit)
        if found.total:
            # "See all" when there are more; else the list, to filter these further.
            more = found.total > len(found.hits)
            st.page_link(
                _script(kind.list_path),
                label=f"**See all {kind.counted(found.total)}**"
                if more
                else f"**Open in {kind.list_name}**",
                query_params=lang.params({"q": q}),
                icon=":material/arrow_forward:",
            )


def _hit(kind: Kind, hit: site_search.Hit) -> None:
    st.page_link(
        _script(kind.record_path),
        label=f"**{render.escape_markdown(hit.title)}**",
        query_params=lang.params({"id": hit.record_id}),
    )
    line = " · ".join(part for part in (hit.country, hit.excerpt) if part)
    if line:
        st.caption(render.escape_markdown(line))


def nothing_found(q: str) -> None:
    """Nothing of any kind: say so and offer the same search with a word fewer."""
    st.info(f"Nothing in the forum matches {_quoted(q)}.", icon=":material/search_off:")
    if not _fewer_words(q, "Every word must match. Try removing a word:"):
        st.markdown("Try another word, or a shorter form of it (`budget` also finds `budgeting`).")


def few_found(found: SiteResults) -> None:
    """Below a search of several words that found little: the same search with a word fewer."""
    if found.total < 10:
        _fewer_words(found.q, "Few results, and every word must match. With a word fewer:")


def _fewer_words(q: str, lead: str) -> bool:
    fewer = site_search.fewer_words(q)
    if fewer:
        st.markdown(lead)
        for word, rest in fewer:
            st.page_link(
                "pages/search.py",
                label=f"{render.escape_markdown(rest)} (without {_quoted(word)})",
                query_params=lang.params({"q": rest}),
                icon=":material/search:",
            )
    return bool(fewer)
