"""Parts of the country profile; every value written by people goes through render."""

import streamlit as st
from sqlmodel import Session

from forumdash import charts, i18n, stats
from forumdash.i18n import N_, _, ngettext
from forumdash.models import ChallengePublic, CountryPublic, PracticeSummary
from forumdash.translations import shown_text
from forumdash.ui import charts as chart_ui
from forumdash.ui import lang, narrow, navigation, render
from forumdash.versioned_cache import ViewCache

Pair = tuple[PracticeSummary, PracticeSummary]
Timeline = tuple[chart_ui.PreparedChart, chart_ui.PreparedChart] | None


def _build_timeline(session: Session, code: str, language: str) -> Timeline:
    with i18n.language(language):
        frame = stats.milestone_frame(session=session, country=code)
        if frame.empty:
            return None
        return (
            chart_ui.built(charts.milestone_timeline_chart, frame),
            chart_ui.built(charts.milestone_timeline_narrow_chart, frame),
        )


# Altair's build and validation of the two charts was half of a rerun of the page.
_TIMELINES: ViewCache[Timeline] = ViewCache(_build_timeline, max_entries=64)


def timeline(session: Session, code: str) -> Timeline:
    """The country's milestone timeline, wide and narrow, or None without milestones; built
    once per data version and language."""
    return _TIMELINES.get(session, code, i18n.current().tag)


def show_timeline(
    timeline: tuple[chart_ui.PreparedChart, chart_ui.PreparedChart], code: str
) -> None:
    """The timeline wide, or narrow on a phone (the browser shows the one that fits)."""
    wide, narrow_view = narrow.wide_and_narrow("country.timeline")
    with wide:
        chart_ui.show(timeline[0], key="country.timeline", filename=f"timeline-{code}")
    with narrow_view:
        chart_ui.show(timeline[1], key="country.timeline_narrow", filename=f"timeline-{code}")


def summary(
    name: str, code: str, facets: dict[str, dict[str, int]], theme_names: dict[str, str]
) -> str:
    """One sentence on a country's published practices: how many, on what, how far they got.
    `facets` are the browse counts under a filter on this country."""
    total = facets.get("countries", {}).get(code, 0)
    if not total:
        return _("{country} has no published practice yet.").format(country=name)
    themes = sorted(((n, slug) for slug, n in facets.get("themes", {}).items() if n), reverse=True)
    stages = {stage: n for stage, n in facets.get("stages", {}).items() if n}
    top = ", ".join(i18n.data_label(theme_names.get(slug, slug)) for _n, slug in themes[:3])
    later = sum(n for stage, n in stages.items() if stage in ("evaluating", "diffusing_lessons"))
    # Three counts, three plural choices: one sentence made of three whole clauses, each
    # translated with its own count (a translator words each; the separators are ours).
    shares = ngettext(
        "{country} shares {n} published practice", "{country} shares {n} published practices", total
    ).format(country=name, n=total)
    on_themes = ngettext(
        "on {n} theme, most on {themes}", "on {n} themes, most on {themes}", len(themes)
    ).format(n=len(themes), themes=top)
    reached = ngettext(
        "{n} of them has reached evaluation or the diffusion of lessons.",
        "{n} of them have reached evaluation or the diffusion of lessons.",
        later,
    ).format(n=later)
    return _("{shares} {on_themes}; {reached}").format(
        shares=shares, on_themes=on_themes, reached=reached
    )


LEARNED = N_("Learned from other countries")
TAUGHT = N_("Taught")


def exchanges(learned: list[Pair], taught: list[Pair]) -> None:
    """Practices this country adapted from others, and others' practices adapted from its own."""
    if not learned and not taught:
        st.caption(
            _(
                "No published practice says it was adapted from another country's practice, or "
                "inspired one elsewhere, yet."
            )
        )
    for heading, pairs in ((LEARNED, learned), (TAUGHT, taught)):
        if not pairs:
            continue
        st.markdown(f"**{_(heading)}**")
        for origin, adapted in pairs:
            with st.container(border=True):
                left, right = st.columns(2)
                for column, label, item in (
                    (left, _("Original"), origin),
                    (right, _("Adapted"), adapted),
                ):
                    with column:
                        st.caption(label)
                        render.practice_link(item.id, shown_text(item).title)
                        render.facts_line(
                            [i18n.country_name(item.country_code, item.country_name)],
                            sample=item.is_sample,
                        )


def challenge_list(challenges: list[ChallengePublic], theme_names: dict[str, str]) -> None:
    if not challenges:
        st.info(_("No published challenges from this country yet."))
    for item in challenges:
        with st.container(border=True):
            st.page_link(
                navigation.page("pages/challenges.py"),
                label=f"**{render.escape_markdown(shown_text(item).title)}**",
                query_params=lang.params({"id": str(item.id)}),
                icon=":material/handshake:",
            )
            render.facts_line(
                [
                    item.challenge_status.label,
                    _("{obstacle} obstacle").format(obstacle=item.obstacle_type.label),
                    ", ".join(i18n.data_label(theme_names.get(t, t)) for t in item.themes),
                ],
                sample=item.is_sample,
            )


def country_index(countries: list[CountryPublic]) -> None:
    """/country without a code: every country, by region group, as links to its profile."""
    st.title(_("Countries"))
    st.caption(_("The forum's six Western Balkan countries and its partners: open one's profile."))
    for group, label in (("western_balkans", _("Western Balkans")), ("partner", _("Partners"))):
        st.subheader(label, anchor=False)
        members = [c for c in countries if c.region_group == group]
        columns = st.columns(3)
        for position, country in enumerate(members):
            columns[position % 3].page_link(
                navigation.page("pages/country.py"),
                label=render.escape_markdown(
                    f"{i18n.country_name(country.code, country.name_en)} · {country.name_local}"
                ),
                query_params=lang.params({"code": country.code}),
                icon=":material/flag:",
            )
