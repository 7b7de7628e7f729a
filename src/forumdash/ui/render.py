"""Rendering helpers: user text always goes through escape_markdown (or, for long texts that may
carry Markdown or HTML from another system, through rich_text.to_markdown, which escapes every
piece of their text), links only if http(s)."""

import datetime as dt
import re
from collections.abc import Iterable

import streamlit as st

from forumdash import i18n
from forumdash import rich_text as rich
from forumdash.i18n import N_, _
from forumdash.models import SourceLink
from forumdash.rich_text import plain_excerpt
from forumdash.text import escape_markdown, safe_url
from forumdash.ui import lang, navigation

__all__ = [
    "escape_markdown",
    "link_markdown",
    "rich_text",
    "plain_excerpt",
    "sources",
    "text",
    "sample_badge",
]

SAMPLE_LABEL = N_("Sample content")
# What every "Open challenges" figure counts, said where it is shown (with _()).
OPEN_CHALLENGES_HELP = N_("Published challenges not yet resolved: open or being addressed.")


def sample_badge() -> str:
    """The badge of sample content, in the current language."""
    return f":orange-badge[{_(SAMPLE_LABEL)}]"


def text(value: str, *, prefix: str = "") -> None:
    """Show user-written text literally (no Markdown, no HTML)."""
    st.markdown(prefix + escape_markdown(value))


# A block of Markdown that is not a paragraph (a heading, list, quote, table, code or rule): a
# prefix cannot be put in front of it on the same line.
_NOT_A_PARAGRAPH = re.compile(r"^(#|[-*] |> ?|\||```|---$|\d+\. )")


def rich_text(value: str, *, prefix: str = "") -> None:
    """Show a long text that may carry Markdown or HTML from another system: its headings,
    lists, emphasis and http(s) links read as such, images as links, everything else inert.
    `prefix` is Markdown of ours put before its first paragraph (or above it)."""
    markdown = rich.to_markdown(value)
    if not markdown:
        return
    if prefix:
        joint = "\n\n" if _NOT_A_PARAGRAPH.match(markdown) else ""
        markdown = (prefix.rstrip() if joint else prefix) + joint + markdown
    st.markdown(markdown, anchors=False)


def link_markdown(label: str, url: str) -> str:
    """A Markdown link if the URL is http(s), else the label alone; both escaped."""
    target = safe_url(url)
    if target is None:
        return escape_markdown(label)
    return rich.markdown_link(escape_markdown(label), target)


def sources(items: Iterable[SourceLink]) -> None:
    """A bullet list of sources, linked where they have an http(s) URL."""
    lines = [
        f"- {link_markdown(s.title, s.url) if s.url else escape_markdown(s.title)}" for s in items
    ]
    if lines:
        st.markdown("\n".join(lines))


def chips(labels: list[str]) -> None:
    """Small labelled chips (themes, values); the labels are escaped."""
    if labels:
        st.markdown(chips_markdown(labels))


def practice_link(practice_id: int, title: str) -> None:
    """A practice's title as a link to its page (same tab)."""
    st.page_link(
        navigation.page("pages/practice.py"),
        label=f"**{escape_markdown(title)}**",
        query_params=lang.params({"id": str(practice_id)}),
        icon=":material/article:",
    )


def facts_line(facts: list[str], *, sample: bool = False) -> None:
    """A caption of short facts, with the sample badge first where it applies."""
    st.caption(facts_markdown(facts, sample=sample))


def facts_markdown(facts: list[str], *, sample: bool = False, small: bool = False) -> str:
    """Short facts joined by middle dots (escaped), in small type if `small` (a caption's, in
    a card's one Markdown element), the sample badge first where it applies."""
    joined = " · ".join(escape_markdown(fact) for fact in facts if fact)
    if small and joined:
        joined = small_markdown(joined)
    return (f"{sample_badge()} " if sample else "") + joined


def small_markdown(markdown: str) -> str:
    """Markdown (already escaped) in small type, on one line: a line break inside `:small[…]`,
    which a record's text may hold, would end the directive and show it literally."""
    return ":small[{}]".format(" ".join(markdown.split()))


def chips_markdown(labels: list[str]) -> str:
    """Small labelled chips (themes, values) as Markdown; the labels are escaped."""
    return " ".join(f":blue-badge[{escape_markdown(label)}]" for label in labels)


def card(*lines: str) -> None:
    """A card's text in one element (each of its elements costs a message, an id and a send):
    Markdown lines of ours, every piece of user text in them already escaped; empty ones left
    out."""
    shown = [line for line in lines if line]
    if shown:
        st.markdown("\n\n".join(shown))


def link_or_text(value: str) -> None:
    """A value that may be a web address: a link if it is http(s), else plain text."""
    if safe_url(value):
        st.markdown(link_markdown(value, value))
    else:
        text(value)


def moment(value: dt.datetime) -> str:
    """A moment as the reader's clock shows it (their browser's time zone; UTC when the browser
    does not say), to the minute, in their language: "7 Dec 2026, 14:32"."""
    try:
        zone = st.context.timezone
    except Exception:  # no browser behind this run (a script, a test): UTC
        zone = None
    return i18n.format_datetime(value, zone if isinstance(zone, str) else None)
