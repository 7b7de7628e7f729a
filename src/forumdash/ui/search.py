"""The search page's parts (/search?q=): each kind of record with its count, its first results
and a link into its own list filtered by the same words. The words and every record's text go
through render's escaping: a search is shown, never run, as Markdown or HTML."""

import streamlit as st
from babel.lists import format_list

from forumdash import i18n, site_search
from forumdash.i18n import N_, _
from forumdash.site_search import Kind, KindResults, SiteResults
from forumdash.ui import lang, navigation, render

ICONS = {
    site_search.PRACTICES.name: ":material/article:",
    site_search.CHALLENGES.name: ":material/flag:",
    site_search.COMMITMENTS.name: ":material/assignment:",
}
HOW_WORDS_WORK = N_(
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
        _("Search practices, challenges and commitments"),
        key=PHONE_BOX_KEY,
        on_change=_on_phone_box,
        placeholder=_("Search the forum"),
        icon=":material/search:",
        label_visibility="collapsed",
    )


def _script(path: str) -> str:
    return f"pages/{path}.py"


def _quoted(q: str) -> str:
    # Translators: the searched words in the language's quotation marks („…“, «…», “…”).
    return _("“{words}”").format(words=render.escape_markdown(q))


def explain(q: str = "") -> None:
    """What the box searches, how words work, and searches to start from; `q`: words given
    that hold nothing to search for (only punctuation)."""
    if q:
        st.info(
            _("{words} holds no word to search for.").format(words=_quoted(q)),
            icon=":material/info:",
        )
    st.markdown(
        _(
            "One search over the forum's published **practices**, the **challenges** countries "
            "reported, and the **OGP commitments** imported from OGP. Type words in the search "
            "box, or start from one of these:"
        )
    )
    for example in site_search.EXAMPLES:
        st.page_link(
            navigation.page("pages/search.py"),
            label=render.escape_markdown(example),
            query_params=lang.params({"q": example}),
            icon=":material/search:",
        )
    st.caption(_(HOW_WORDS_WORK))


def _listed(parts: list[str]) -> str:
    """'a', 'a and b', 'a, b and c' as the forum's English writes it; other languages by CLDR."""
    if len(parts) == 1:
        return parts[0]
    language = i18n.current()
    if language.tag == i18n.DEFAULT:
        return f"{', '.join(parts[:-1])} and {parts[-1]}"
    return format_list(parts, locale=language.cldr)


def summary(found: SiteResults) -> None:
    """One line: what was found of each kind (of those there are to search), for which words."""
    parts = [k.kind.counted(k.total) for k in found.kinds if not k.none_stored]
    listed = _listed(parts)
    if len(parts) == 1 and found.total == 1:
        line = _("{things} matches {words}.")
    else:
        line = _("{things} match {words}.")
    st.markdown(line.format(things=listed, words=_quoted(found.q)))
    st.caption(_(HOW_WORDS_WORK))


def kind_results(found: KindResults, q: str) -> None:
    """A kind's count, its first results linked to their pages, and "See all" into its list."""
    kind = found.kind
    with st.container(border=True):
        st.subheader(f"{ICONS[kind.name]} {kind.counted(found.total)}", anchor=False)
        if found.none_stored:
            st.caption(kind.none_imported())
        elif not found.total:
            st.caption(kind.none_match())
        for hit in found.hits:
            _hit(kind, hit)
        if found.total:
            # "See all" when there are more; else the list, to filter these further.
            more = found.total > len(found.hits)
            st.page_link(
                navigation.page(_script(kind.list_path)),
                label=_("**See all {things}**").format(things=kind.counted(found.total))
                if more
                else _("**Open in {list}**").format(list=_(kind.list_name)),
                query_params=lang.params({"q": q}),
                icon=":material/arrow_forward:",
            )


def _hit(kind: Kind, hit: site_search.Hit) -> None:
    st.page_link(
        navigation.page(_script(kind.record_path)),
        label=f"**{render.escape_markdown(hit.title)}**",
        query_params=lang.params({"id": hit.record_id}),
    )
    line = " · ".join(part for part in (hit.country, hit.language_notice, hit.excerpt) if part)
    if line:
        st.caption(render.escape_markdown(line))


def nothing_found(q: str) -> None:
    """Nothing of any kind: say so and offer the same search with a word fewer."""
    st.info(
        _("Nothing in the forum matches {words}.").format(words=_quoted(q)),
        icon=":material/search_off:",
    )
    if not _fewer_words(q, _("Every word must match. Try removing a word:")):
        st.markdown(
            _("Try another word, or a shorter form of it (`budget` also finds `budgeting`).")
        )


def few_found(found: SiteResults) -> None:
    """Below a search of several words that found little: the same search with a word fewer."""
    if found.total < 10:
        _fewer_words(found.q, _("Few results, and every word must match. With a word fewer:"))


def _fewer_words(q: str, lead: str) -> bool:
    fewer = site_search.fewer_words(q)
    if fewer:
        st.markdown(lead)
        for word, rest in fewer:
            st.page_link(
                navigation.page("pages/search.py"),
                label=_("{words} (without {word})").format(
                    words=render.escape_markdown(rest), word=_quoted(word)
                ),
                query_params=lang.params({"q": rest}),
                icon=":material/search:",
            )
    return bool(fewer)
