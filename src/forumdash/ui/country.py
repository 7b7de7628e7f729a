"""Parts of the country profile; every value written by people goes through render."""

import streamlit as st

from forumdash.models import ChallengePublic, CountryPublic, PracticeSummary
from forumdash.ui import lang, render

Pair = tuple[PracticeSummary, PracticeSummary]


def summary(
    name: str, code: str, facets: dict[str, dict[str, int]], theme_names: dict[str, str]
) -> str:
    """One sentence on a country's published practices: how many, on what, how far they got.
    `facets` are the browse counts under a filter on this country."""
    total = facets.get("countries", {}).get(code, 0)
    if not total:
        return f"{name} has no published practice yet."
    themes = sorted(((n, slug) for slug, n in facets.get("themes", {}).items() if n), reverse=True)
    stages = {stage: n for stage, n in facets.get("stages", {}).items() if n}
    top = ", ".join(theme_names.get(slug, slug) for _, slug in themes[:3])
    later = sum(n for stage, n in stages.items() if stage in ("evaluating", "diffusing_lessons"))
    return (
        f"{name} shares {total} published practice{'s' if total != 1 else ''} on "
        f"{len(themes)} theme{'s' if len(themes) != 1 else ''}, most on {top}; "
        f"{later} of them {'has' if later == 1 else 'have'} reached evaluation or the diffusion "
        "of lessons."
    )


def exchanges(learned: list[Pair], taught: list[Pair]) -> None:
    """Practices this country adapted from others, and others' practices adapted from its own."""
    if not learned and not taught:
        st.caption(
            "No published practice says it was adapted from another country's practice, or "
            "inspired one elsewhere, yet."
        )
    for heading, pairs in (("Learned from other countries", learned), ("Taught", taught)):
        if not pairs:
            continue
        st.markdown(f"**{heading}**")
        for origin, adapted in pairs:
            with st.container(border=True):
                left, right = st.columns(2)
                for column, label, item in (
                    (left, "Original", origin),
                    (right, "Adapted", adapted),
                ):
                    with column:
                        st.caption(label)
                        render.practice_link(item.id, item.title)
                        render.facts_line([item.country_name], sample=item.is_sample)


def challenge_list(challenges: list[ChallengePublic], theme_names: dict[str, str]) -> None:
    if not challenges:
        st.info("No published challenges from this country yet.")
    for item in challenges:
        with st.container(border=True):
            st.page_link(
                "pages/challenges.py",
                label=f"**{render.escape_markdown(item.title)}**",
                query_params=lang.params({"id": str(item.id)}),
                icon=":material/handshake:",
            )
            render.facts_line(
                [
                    item.challenge_status.label,
                    f"{item.obstacle_type.label} obstacle",
                    ", ".join(theme_names.get(t, t) for t in item.themes),
                ],
                sample=item.is_sample,
            )


def country_index(countries: list[CountryPublic]) -> None:
    """/country without a code: every country, by region group, as links to its profile."""
    st.title("Countries")
    st.caption("The forum's six Western Balkan countries and its partners: open one's profile.")
    for group, label in (("western_balkans", "Western Balkans"), ("partner", "Partners")):
        st.subheader(label, anchor=False)
        members = [c for c in countries if c.region_group == group]
        columns = st.columns(3)
        for position, country in enumerate(members):
            columns[position % 3].page_link(
                "pages/country.py",
                label=f"{country.name_en} · {country.name_local}",
                query_params=lang.params({"code": country.code}),
                icon=":material/flag:",
            )
