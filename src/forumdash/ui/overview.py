"""The overview's heatmap of published practices by country and theme, in the form that fits:
ten countries side by side on a wide page, one country a row on a phone (where ten names side by
side printed over each other)."""

import pandas as pd
import streamlit as st

from forumdash import charts, i18n
from forumdash.i18n import _
from forumdash.ui import charts as chart_ui
from forumdash.ui import lang, narrow, render

KEY = "overview.heatmap"


def country_rows(frame: pd.DataFrame) -> list[tuple[str, str, list[tuple[str, str, int]]]]:
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


def heatmap(frame: pd.DataFrame) -> None:
    """The chart where ten countries fit side by side; elsewhere a list, a country a row, each
    theme a link to its practices on Browse as the chart's cells are."""
    wide, narrow_view = narrow.wide_and_narrow(KEY)
    with wide:
        chart_ui.show(
            chart_ui.spec(charts.country_theme_heatmap, frame),
            key=KEY,
            filename="practices-by-country-and-theme",
        )
    with narrow_view:
        st.markdown("**{title}**".format(title=_("Published practices by country and theme")))
        st.caption(_("Tap a theme to browse its practices"))
        for code, name, themes in country_rows(frame):
            st.markdown(f"**{render.escape_markdown(name)}**")
            if not themes:
                st.caption(_("No published practices from this country yet."))
                continue
            with st.container(horizontal=True, gap="small", key=f"{KEY}.themes.{code}"):
                for slug, theme, n in themes:
                    st.page_link(
                        "pages/browse.py",
                        label=_("{theme} · **{n}**").format(
                            theme=render.escape_markdown(theme), n=i18n.format_number(n)
                        ),
                        query_params=lang.params({"country": code, "theme": slug}),
                    )
