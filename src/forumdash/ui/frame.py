"""The frame every page starts with: page config, the database, the sidebar menu with the
forum's search box."""

import importlib
import threading
from pathlib import Path
from typing import Literal

import streamlit as st
from sqlalchemy.engine import Engine

from forumdash import activity, auth, site_search, warmup
from forumdash.db import DatabaseError, reachable
from forumdash.i18n import N_, _
from forumdash.seed import SeedError
from forumdash.service import open_database
from forumdash.settings import get_settings
from forumdash.ui import inbox, lang, narrow, navigation, outage, participant, render, session

ICON = Path(__file__).parent / "static" / "icon.png"
# The name Streamlit gives the thread that runs a session's script: alive while a page runs.
SCRIPT_THREAD = "ScriptRunner.scriptThread"


def pages_running() -> set[int]:
    """The threads running a visitor's page now (forumdash.activity: the warm-up gives way)."""
    return {t.ident for t in threading.enumerate() if t.name == SCRIPT_THREAD and t.ident}


WARMED_VIEWS = ("forumdash.ui.overview", "forumdash.ui.corrections")

# (script, label, icon): the pages that exist. A page joins this list when its feature is built.
NAVIGATION = [
    ("app.py", N_("Overview"), ":material/dashboard:"),
    ("pages/browse.py", N_("Browse practices"), ":material/search:"),
    ("pages/challenges.py", N_("Challenges and matches"), ":material/handshake:"),
    ("pages/compare.py", N_("Compare"), ":material/compare_arrows:"),
    ("pages/country.py", N_("Countries"), ":material/flag:"),
    ("pages/commitments.py", N_("OGP commitments"), ":material/assignment:"),
    ("pages/display.py", N_("Event display"), ":material/tv:"),
    ("pages/share.py", N_("Share a practice or a challenge"), ":material/add_comment:"),
]
# Pages in the menu only for those who may use them: (script, label, icon, who).
ROLE_PAGES = [
    ("pages/submit.py", N_("Submit"), ":material/edit_note:", auth.can_submit),
    ("pages/review.py", N_("Review"), ":material/fact_check:", auth.can_review),
    (
        "pages/exchange.py",
        N_("Peer exchange"),
        ":material/connect_without_contact:",
        auth.can_submit,
    ),
    # Labelled with the unread count ("Inbox · 3") when drawn.
    (inbox.INBOX, N_("Inbox"), ":material/inbox:", auth.is_signed_in),
]


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    engine = open_database(url)
    # The view caches with values to build ahead of any visitor (the overview in the default
    # language, the correction forms' choices) exist once their modules are imported.
    for module in WARMED_VIEWS:
        importlib.import_module(module)
    warmup.start(engine)  # the slow caches built in the background, not on a request
    return engine


def get_engine() -> Engine:
    """The engine of the configured database, migrated and seeded on first use."""
    return _engine(get_settings().database_url)


def _database_answers() -> bool:
    return reachable(get_engine())


def page(
    title: str,
    *,
    layout: Literal["centered", "wide"] = "wide",
    menu: bool = True,
    search_page: bool = False,
) -> Engine:
    """Set up a page (config, database, menu) and return the engine; stop with a message on error.

    Every page calls this first, so that a page opened cold by its URL has the whole frame.
    `menu=False` leaves the sidebar out (the event display). `search_page=True`: the menu's search
    box shows the words of the URL (the search page's results are for them). `title` is the
    English title, marked with N_() by the page: it is shown in the visitor's language.
    """
    activity.set_probe(pages_running)
    lang.choose()  # first: everything after speaks the visitor's language
    # A database out of reach anywhere in this run: a short message, and back by itself.
    outage.install(_database_answers)
    # A local icon: a Material icon as page_icon makes every browser fetch it from Google.
    st.set_page_config(page_title=f"{_(title)} · forumdash", page_icon=str(ICON), layout=layout)
    outage.show_failed_callback(_database_answers)
    try:
        engine = get_engine()
    except (DatabaseError, SeedError) as exc:
        # Not migrated or seeded yet, or not reachable: nothing of the page can be drawn.
        outage.show(exc, _database_answers)
        st.stop()
    session.restore(engine)
    session.notice()
    # A display's QR code names its event (?event=) on the page it opens: remembered for the
    # session, so that a request sent after browsing on still says where it came from.
    participant.event()
    inbox.start_mailer(engine)
    if menu:
        st.html(FOCUS_STYLE + STYLE + CONTRAST_STYLE + narrow_style())  # constants: no user text
        _sidebar(engine, searched_words() if search_page else "")
        _go_to_search()
    else:
        st.html(FOCUS_STYLE)
        lang.write_browser_state()
    outage.not_saved_notice()
    return engine


# Text that Streamlit cuts to one line with "…" wraps instead: links to records in the page's
# body (a practice's title is what a reader chooses by) and the sidebar's filter pills.
STYLE = """
<style>
[data-testid="stMain"] [data-testid="stPageLink-NavLink"] { align-items: flex-start; }
[data-testid="stMain"] [data-testid="stPageLink-NavLink"] span,
[data-testid="stMain"] [data-testid="stPageLink-NavLink"] [data-testid="stMarkdownContainer"],
[data-testid="stMain"] [data-testid="stPageLink-NavLink"] p {
  white-space: normal; overflow: visible; text-overflow: clip; word-break: normal;
  overflow-wrap: anywhere; min-width: 0;  /* only a word longer than the line is broken */
}
[data-testid="stMain"] [data-testid="stPageLink-NavLink"] p { line-height: 1.45; }
/* Filter pills wrap a long option ("Political commitment and EU accession · 2") rather than
   hide its count behind an ellipsis. */
[data-testid="stSidebar"] [data-testid="stButtonGroup"] button { height: auto; text-align: left; }
[data-testid="stSidebar"] [data-testid="stButtonGroup"] button *,
[data-testid="stSidebar"] [data-testid="stButtonGroup"] button {
  white-space: normal; overflow: visible; text-overflow: clip;
}
</style>
"""

# Text at least 4.5:1 against its background (WCAG 1.4.3; axe's color-contrast in
# tests/e2e/test_accessibility.py). Streamlit fades a caption and a quotation (a participant's
# message on /exchange) to 60% opacity: the theme's text colour then gives #767c83 on white
# (4.21:1), less on the menu's grey, and fades everything in them too (a badge's text, code).
# Their colour is set instead, the text colour at 75% on white (6.9:1 on white, 6.3:1 on the
# menu's #f2f5f9), and the badges and code in them keep their own. A widget's label is faded to
# 40% when the widget is disabled (2.4:1): the focal point's own country on /submit is such a
# widget and still worth reading, so its label and value take the caption's colour: lighter
# than an active label, yet readable.
CONTRAST_STYLE = """
<style>
[data-testid="stCaptionContainer"],
[data-testid="stMarkdownContainer"] blockquote { opacity: 1; color: #545b64; }
[data-testid="stWidgetLabel"][disabled],
[data-testid="stWidgetLabel"][disabled] :is(p, span, div) { color: #545b64; }
.react-aria-ComboBox[data-disabled="true"] input:disabled {
  color: #545b64; -webkit-text-fill-color: #545b64;
}
</style>
"""


# Keyboard focus (issue 15, WCAG 2.4.7 and 2.4.11/2.4.13): whatever has the keyboard's focus
# gets a 3px ring in the theme's primary colour (#1f5f99: 6.7:1 on white, 6.1:1 on the menu's
# #f2f5f9), 2px off the element so it also shows around a filled primary button. Streamlit's
# own focus marks are a half-transparent shadow (about 2.3:1) on buttons, a 1px border on
# fields, and on a menu link only the hover shade, the same fill as the current page: here the
# current page keeps its fill and no ring, and the focused link has the ring.
# :focus-visible, so a mouse click draws no ring on a button; a field shows it whenever the
# caret is in it (browsers treat a focused field as focus-visible, whatever focused it).
FOCUS_STYLE = """
<style>
:is(
  a, button, summary, [role="tab"], [role="button"], [role="spinbutton"], [tabindex]
):focus-visible {
  outline: 3px solid #1f5f99 !important; outline-offset: 2px !important;
}
/* A field's ring goes round its box, not round the bare input inside it. */
:is(
  [data-testid="stTextInputRootElement"], [data-testid="stTextAreaRootElement"],
  [data-testid="stNumberInputContainer"], .react-aria-ComboBox > [role="group"]
):has(:is(input, textarea):focus-visible),
[data-testid="stDateInputField"]:has([role="spinbutton"]:focus-visible) {
  outline: 3px solid #1f5f99; outline-offset: 2px;
}
:is(input, textarea):focus-visible,
[data-testid="stDateInputField"] [role="spinbutton"]:focus-visible {
  outline: none !important;
}
/* A radio button or a checkbox: the input is drawn invisible, its label shows the ring. */
label:has(> input:is([type="radio"], [type="checkbox"]):focus-visible) {
  outline: 3px solid #1f5f99; outline-offset: 2px; border-radius: 4px;
}
/* A slider's thumb (its range input is drawn invisible inside it). */
[data-testid="stSlider"] :has(> * > input[type="range"]:focus-visible) {
  outline: 3px solid #1f5f99; outline-offset: 2px;
}
/* The main area takes the focus from "Skip to main content": a ring inside its edge. */
#stMain:focus-visible { outline: 3px solid #1f5f99 !important; outline-offset: -3px !important; }
/* A folded-away menu (on a phone, or folded by its button) is out of the Tab order too:
   otherwise its thirty links and filters take the focus off screen, where nobody sees it.
   Hidden once it has slid away, shown at once when it opens. */
[data-testid="stSidebar"][data-collapsed="true"] {
  visibility: hidden;
  transition: transform 0.3s, min-width 0.3s, max-width 0.3s, visibility 0s linear 0.3s;
}
</style>
"""


def narrow_style() -> str:
    """The CSS that makes the public pages read on a phone (issue 13): nothing wider than the
    screen, tap targets of at least 24x24 px (WCAG 2.5.8), figures two to a row, and of the
    views forumdash.ui.narrow draws twice, the one that fits. Class names come from keys
    (narrow.FILTERS_BUTTON and the others); no user text."""
    return (
        NARROW_STYLE.replace("FILTERS_BUTTON", narrow.FILTERS_BUTTON)
        .replace("ADAPTIVE_VIEW", narrow.ADAPTIVE_VIEW)
        .replace("WIDE_VIEW", narrow.WIDE_VIEW)
        .replace("NARROW_VIEW", narrow.NARROW_VIEW)
        .replace("SIDEBAR_SHOWS_FROM", str(narrow.SIDEBAR_FOLDS_AT + 1))
        .replace("NARROW_BELOW", str(narrow.NARROW_BELOW))
    )


NARROW_STYLE = """
<style>
/* A link to a record is a line of its own: at least 24 px tall to tap. */
[data-testid="stPageLink-NavLink"] { min-height: 24px; }
[data-testid="stMain"] [data-testid="stPageLink-NavLink"] { padding-top: 2px; padding-bottom: 2px; }
/* Small icons that act (a heading's link, a help "?", a chip's "x", a field's chevron, "show
   password", a date's calendar): 24 px to tap, the icon drawn as before in the middle. */
[data-testid="stHeaderActionElements"] a,
[data-testid="stTooltipHoverTarget"] button,
[data-testid="stMultiSelectTagsContainer"] button[aria-label],
.react-aria-ComboBox button[aria-label],
[data-testid="stTextInputRootElement"] button,
[data-testid="stDateInputCalendarButton"] {
  min-width: 24px; min-height: 24px; display: inline-flex; align-items: center;
  justify-content: center;
}
/* A multiselect's typing field beside chips that fill the row: 24 px wide at least (a long
   chip squeezed it to 12 px on a phone); the chip ends in "…" a little sooner to leave it room. */
[data-testid="stMultiSelectTagsContainer"] input { min-width: 24px; }
[data-testid="stMultiSelectTagsContainer"] [data-tag] { max-width: calc(100% - 2.5rem); }
/* The overview's themes of a country, on a phone: chips to tap. */
[class*="NARROW_VIEW"] [data-testid="stPageLink-NavLink"] {
  border: 1px solid #c6dbef; background: #f2f6fb; border-radius: 999px; padding: 2px 10px;
}
/* A count in a table (compare) opens its practices: 24 px wide at least. */
[data-testid="stMarkdownContainer"] td a {
  display: inline-block; min-width: 24px; min-height: 24px;
}
/* The Filters button is for screens where the sidebar is folded away. */
@media (min-width: SIDEBAR_SHOWS_FROMpx) { [class*="FILTERS_BUTTON"] { display: none; } }
/* A view drawn twice shows the form that fits its width. */
[class*="ADAPTIVE_VIEW"] { container-type: inline-size; }
@container (width < NARROW_BELOWpx) { [class*="WIDE_VIEW"] { display: none; } }
@container (width >= NARROW_BELOWpx) { [class*="NARROW_VIEW"] { display: none; } }
@media (max-width: 640px) {
  /* Figures two to a row rather than one card a screenful. */
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] > [data-testid="stVerticalBlock"]
    > [data-testid="stElementContainer"] > [data-testid="stMetric"])
    > [data-testid="stColumn"] { min-width: calc(50% - 0.5rem); }
  /* Tables (compare) take the screen's width and wrap their words instead of running past. */
  [data-testid="stMain"] [data-testid="stMarkdownContainer"] table {
    width: 100%; table-layout: fixed; font-size: 0.875rem;
  }
  [data-testid="stMain"] [data-testid="stMarkdownContainer"] :is(th, td) {
    overflow-wrap: break-word; hyphens: auto; padding: 0.3rem;
  }
  [data-testid="stMain"] [data-testid="stMarkdownContainer"] th { font-size: 0.8rem; }
  [data-testid="stMain"] [data-testid="stMarkdownContainer"] :is(th, td) .stMarkdownBadge {
    white-space: normal; font-size: 0.75rem;
  }
  [data-testid="stMain"] [data-testid="stMarkdownContainer"] table :is(th, td):first-child {
    width: 26%;
  }
  /* A metric's label wraps rather than ending in "…". */
  [data-testid="stMetricLabel"] :is(div, p) {
    white-space: normal; overflow: visible; text-overflow: clip;
  }
  /* Compare: the countries side by side, each card narrower and its figures one a row. */
  .st-key-compare-heads > [data-testid="stHorizontalBlock"] > [data-testid="stColumn"],
  .st-key-compare-heads > div > [data-testid="stHorizontalBlock"] > [data-testid="stColumn"] {
    min-width: 0;
  }
  .st-key-compare-heads > div > [data-testid="stHorizontalBlock"],
  .st-key-compare-heads > [data-testid="stHorizontalBlock"] { flex-wrap: nowrap; gap: 0.5rem; }
  .st-key-compare-heads [data-testid="stColumn"] [data-testid="stHorizontalBlock"]
    > [data-testid="stColumn"] { min-width: 100% !important; }
  .st-key-compare-heads [class*="st-key-compare-head-"] { padding: 0.6rem 0.5rem; }
  .st-key-compare-heads h3 { font-size: 0.9rem; }
  .st-key-compare-heads h3 a { display: inline-block; min-height: 24px; }
  .st-key-compare-heads [data-testid="stMetricValue"] { font-size: 1.5rem; }
  .st-key-compare-heads [data-testid="stMetricLabel"] p { font-size: 0.75rem; }
  .st-key-compare-heads [data-testid="stCaptionContainer"] { font-size: 0.75rem; }
  /* A record's title as the page's heading: four lines, not six. */
  [data-testid="stMain"] h1 { font-size: 2rem; }
  /* Long words (Serbian, Macedonian) break rather than push the page wider. */
  [data-testid="stMain"] :is(h1, h2, h3, p, li) { overflow-wrap: anywhere; hyphens: auto; }
}
</style>
"""


SEARCH_KEY = "frame.search"
# Short enough to show whole in the menu's width.
SEARCH_PLACEHOLDER = N_("Search the forum")
_SEARCH_GO = "frame.search_go"  # the words to open /search with, set when the box changes


def searched_words() -> str:
    """The words of the URL's `q`, as the search page searches them."""
    return site_search.search_words(st.query_params.get("q"))


def _on_search() -> None:
    # A callback cannot change page; the frame does it on the run that follows.
    st.session_state[_SEARCH_GO] = site_search.search_words(st.session_state.get(SEARCH_KEY))


def _go_to_search() -> None:
    words = st.session_state.pop(_SEARCH_GO, None)
    if words is not None:
        st.switch_page(
            navigation.page("pages/search.py"),
            query_params=lang.params({"q": words} if words else None),
        )


def _search_box(searched: str) -> None:
    """One box for practices, challenges and commitments; Enter opens /search?q=…"""
    st.session_state[SEARCH_KEY] = searched
    st.text_input(
        _("Search practices, challenges and commitments"),
        key=SEARCH_KEY,
        on_change=_on_search,
        placeholder=_(SEARCH_PLACEHOLDER),
        icon=":material/search:",
        label_visibility="collapsed",
    )


def _sidebar(engine: Engine, searched: str) -> None:
    user = session.current_user()
    with st.sidebar:
        st.markdown("### forumdash")
        st.caption(_("Western Balkans Regional Forum · open government"))
        _search_box(searched)
        links = lang.params()
        for script, label, icon in NAVIGATION:
            st.page_link(navigation.page(script), label=_(label), icon=icon, query_params=links)
        for script, label, icon, allowed in ROLE_PAGES:
            if not allowed(user):
                continue
            if script == inbox.INBOX and user is not None:
                label, tooltip = inbox.menu_label(engine, user)
                st.page_link(
                    navigation.page(script),
                    label=label,
                    icon=icon,
                    query_params=links,
                    help=tooltip,
                )
            else:
                st.page_link(navigation.page(script), label=_(label), icon=icon, query_params=links)
        if user is None:
            st.page_link(
                navigation.page("pages/login.py"),
                label=_("Sign in"),
                icon=":material/login:",
                query_params=links,
            )
        else:
            st.caption(_("Signed in as {name}").format(name=render.escape_markdown(user.label)))
            st.button(
                _("Sign out"),
                key="frame.sign_out",
                on_click=outage.guarded(session.sign_out),
                args=(engine,),
                icon=":material/logout:",
            )
            st.button(
                _("Sign out everywhere"),
                key="frame.sign_out_everywhere",
                on_click=outage.guarded(session.sign_out_everywhere),
                args=(engine,),
                icon=":material/devices:",
                help=_("Ends this account's sessions in every browser and tab."),
                type="tertiary",
            )
        lang.menu()
        session.write_cookie()
        lang.write_browser_state()
