"""Rendering helpers: user text always goes through escape_markdown, links only if http(s)."""

from collections.abc import Iterable

import streamlit as st

from forumdash.models import SourceLink
from forumdash.text import escape_markdown, safe_url

__all__ = ["escape_markdown", "link_markdown", "sources", "text", "SAMPLE_BADGE"]

SAMPLE_BADGE = ":orange-badge[Sample content]"
# What every "Open challenges" figure counts, said where it is shown.
OPEN_CHALLENGES_HELP = "Published challenges not yet resolved: open or being addressed."


def text(value: str, *, prefix: str = "") -> None:
    """Show user-written text literally (no Markdown, no HTML)."""
    st.markdown(prefix + escape_markdown(value))


def link_markdown(label: str, url: str) -> str:
    """A Markdown link if the URL is http(s), else the label alone; both escaped."""
    target = safe_url(url)
    if target is None:
        return escape_markdown(label)
    # Parentheses and spaces in the target are percent-encoded so the link cannot break out.
    encoded = target.replace("(", "%28").replace(")", "%29").replace(" ", "%20")
    return f"[{escape_markdown(label)}]({encoded})"


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
        st.markdown(" ".join(f":blue-badge[{escape_markdown(label)}]" for label in labels))


def practice_link(practice_id: int, title: str) -> None:
    """A practice's title as a link to its page (same tab)."""
    st.page_link(
        "pages/practice.py",
        label=f"**{escape_markdown(title)}**",
        query_params={"id": str(practice_id)},
        icon=":material/article:",
    )


def facts_line(facts: list[str], *, sample: bool = False) -> None:
    """A caption of short facts, with the sample badge first where it applies."""
    parts = [escape_markdown(fact) for fact in facts if fact]
    st.caption((f"{SAMPLE_BADGE} " if sample else "") + " · ".join(parts))


def link_or_text(value: str) -> None:
    """A value that may be a web address: a link if it is http(s), else plain text."""
    if safe_url(value):
        st.markdown(link_markdown(value, value))
    else:
        text(value)
