"""The overview's figures and charts, built once per data version and language and shared by
every visitor (each rerun only draws them), and its heatmap of published practices by country
and theme in the form that fits: ten countries side by side on a wide page, one country a row on
a phone (where ten names side by side printed over each other)."""

from dataclasses import dataclass

import pandas as pd
import streamlit as st
from sqlalchemy import Engine
from sqlmodel import Session

from forumdash import charts, i18n, repository, stats
from forumdash.db import read_session
from forumdash.i18n import _
from forumdash.models import PracticeSummary
from forumdash.ui import charts as chart_ui
from forumdash.ui import lang, narrow, navigation, render
from forumdash.versioned_cache import ViewCache

KEY = "overview.heatmap"
CountryRow = tuple[str, str, list[tuple[str, str, int]]]
# A country of the phone's list as drawn: (code, its name as Markdown, [(a theme's link label,
# the link's filters)]), built with the overview so that a run only draws it.
PhoneRow = tuple[str, str, list[tuple[str, dict[str, str | list[str]]]]]


@dataclass(frozen=True)
class Overview:
    """Everything the overview shows, in one language at one data version (read-only)."""

    figures: dict[str, int]
    heatmap: chart_ui.PreparedChart
    heatmap_rows: list[PhoneRow]
    by_stage: chart_ui.PreparedChart
    by_year: chart_ui.PreparedChart | None  # None: no practice records its start year
    practices_with_year: int
    challenges: chart_ui.PreparedChart
    spread: chart_ui.PreparedChart
    adaptations: list[tuple[PracticeSummary, PracticeSummary]]
    latest: list[PracticeSummary]


def _build(session: Session, language: str) -> Overview:
    with i18n.language(language):
        heatmap = stats.country_theme_frame(session=session)
        by_year = stats.practices_by_year_frame(session=session)
        return Overview(
            figures=stats.overview_figures(session=session),
            heatmap=chart_ui.built(charts.country_theme_heatmap, heatmap),
            heatmap_rows=phone_rows(country_rows(heatmap)),
            by_stage=chart_ui.built(
                charts.practices_by_stage_chart, stats.practices_by_stage_frame(session=session)
            ),
            by_year=None
            if by_year.empty
            else chart_ui.built(charts.practices_by_year_chart, by_year),
            practices_with_year=int(by_year["practices"].sum()),
            challenges=chart_ui.built(
                charts.open_challenges_by_theme_chart,
                stats.open_challenges_by_theme_frame(session=session),
            ),
            spread=chart_ui.built(
                charts.adaptation_chart, stats.adaptation_flows_frame(session=session)
            ),
            adaptations=repository.list_adaptation_pairs(session=session, limit=4),
            latest=repository.list_practices(session=session, limit=6),
        )


# A few languages at one data version; an older version ages out as the new one is used.
# The default language's is built by the warm-up at start (at 100,000 practices the aggregates
# take seconds). Where building it is that slow, the version before's is shown for at most
# STALE_FOR seconds after a write while the warm-up builds the new one (ViewCache).
STALE_FOR = 30.0
_OVERVIEWS: ViewCache[Overview] = ViewCache(
    _build, max_entries=24, warm=[(i18n.DEFAULT,)], stale_for=STALE_FOR
)


def load(engine: Engine) -> Overview:
    """The overview in the visitor's language at the database's current data version."""
    with read_session(engine) as session:
        return _OVERVIEWS.get(session, i18n.current().tag)


def country_rows(frame: pd.DataFrame) -> list[CountryRow]:
    """The heatmap's cells as rows, one for each country in the frame's order: (code, name,
    [(theme slug, theme name, practices)]), its themes with practices only, most first (ties in
    the themes' order)."""
    rows = []
    for code, cells in frame.groupby("code", sort=False):
        present = cells[cells["practices"] > 0]
        ordered = present.assign(order=range(len(present))).sort_values(
            ["practices", "order"], ascending=[False, True]
        )
        themes = [
            (str(slug), str(theme), int(n))
            for slug, theme, n in zip(
                ordered["slug"], ordered["theme"], ordered["practices"], strict=True
            )
        ]
        rows.append((str(code), str(cells["country"].iloc[0]), themes))
    return rows


def phone_rows(rows: list[CountryRow]) -> list[PhoneRow]:
    """The phone list's rows in the current language: each country's name as Markdown, each of
    its themes a link label ("Open data · **4**") and the Browse filters it opens."""
    return [
        (
            code,
            f"**{render.escape_markdown(name)}**",
            [
                (
                    _("{theme} · **{n}**").format(
                        theme=render.escape_markdown(theme), n=i18n.format_number(n)
                    ),
                    {"country": code, "theme": slug},
                )
                for slug, theme, n in themes
            ],
        )
        for code, name, themes in rows
    ]


def heatmap(chart: chart_ui.PreparedChart, rows: list[PhoneRow]) -> None:
    """The chart where ten countries fit side by side; elsewhere a list, a country a row
    (`phone_rows` of the chart's frame) that opens on its themes, each a link to its practices
    on Browse as the chart's cells are.

    A country's themes are drawn only while it is open (the expander reruns the page when it
    opens or closes): the whole list is about 85 links and 10 headings, sent on every run of
    the overview to every visitor, a phone or not (the browser, not the server, knows the
    width), and each element costs the server about 0.3 ms outside the script (bench/README.md,
    "Fewer elements on the overview")."""
    wide, narrow_view = narrow.wide_and_narrow(KEY)
    with wide:
        chart_ui.show(chart, key=KEY, filename="practices-by-country-and-theme")
    with narrow_view:
        st.markdown("**{title}**".format(title=_("Published practices by country and theme")))
        st.caption(_("Open a country to see its themes; tap a theme to browse its practices."))
        language = lang.params()  # the visitor's language, kept by every link
        for code, name, links in rows:
            country = st.expander(name, key=f"{KEY}.country.{code}", on_change="rerun")
            if not country.open:
                continue
            with country:
                if not links:
                    st.caption(_("No published practices from this country yet."))
                    continue
                with st.container(horizontal=True, gap="small", key=f"{KEY}.themes.{code}"):
                    for label, filters in links:
                        st.page_link(
                            navigation.page("pages/browse.py"),
                            label=label,
                            query_params=filters | language,
                        )
