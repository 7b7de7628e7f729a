"""DataFrames to Altair charts: pure functions, tested through chart.to_dict()."""

import altair as alt
import pandas as pd

REGION_COLORS = {"Western Balkans": "#1f5f99", "Partner": "#8aa9c7"}
ACCENT = "#1f5f99"
LABELS = alt.Axis(labelLimit=240, labelFontSize=12)


def practices_by_country_chart(frame: pd.DataFrame) -> alt.Chart:
    """Horizontal bars of practices per country, coloured by region group, with links."""
    data = frame.assign(url="/country?code=" + frame["code"])
    return (
        alt.Chart(data, title="Published practices by country")
        .mark_bar(cornerRadiusEnd=3)
        .encode(
            y=alt.Y("country:N", sort=list(frame["country"]), title=None, axis=LABELS),
            x=alt.X("practices:Q", title="Practices", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "region:N",
                scale=alt.Scale(domain=list(REGION_COLORS), range=list(REGION_COLORS.values())),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
            href="url:N",
            tooltip=[alt.Tooltip("country:N"), alt.Tooltip("practices:Q")],
        )
        .properties(height=alt.Step(24))
    )


def practices_by_theme_chart(frame: pd.DataFrame) -> alt.Chart:
    """Horizontal bars of practices per theme, largest first."""
    ordered = frame.sort_values(["practices", "theme"], ascending=[False, True])
    return (
        alt.Chart(ordered, title="Published practices by theme")
        .mark_bar(color=ACCENT, cornerRadiusEnd=3)
        .encode(
            y=alt.Y("theme:N", sort=list(ordered["theme"]), title=None, axis=LABELS),
            x=alt.X("practices:Q", title="Practices", axis=alt.Axis(tickMinStep=1)),
            tooltip=[alt.Tooltip("theme:N"), alt.Tooltip("practices:Q")],
        )
        .properties(height=alt.Step(22))
    )


def milestone_timeline_chart(frame: pd.DataFrame) -> alt.HConcatChart:
    """Milestones in date order, one row each: its label on the left, its time on the right."""
    data = frame.reset_index(drop=True).assign(row=lambda f: f.index.astype(int))
    data["label"] = data["when"] + "   " + data["title"]
    y = alt.Y("row:O", axis=None)
    tooltip = [alt.Tooltip("when:N", title="Date"), alt.Tooltip("title:N", title="Milestone")]
    labels = (
        alt.Chart(data)
        .mark_text(align="left", baseline="middle", fontSize=12, limit=590)
        .encode(y=y, x=alt.value(0), text="label:N", tooltip=tooltip)
        .properties(width=600, height=alt.Step(28))
    )
    points = (
        alt.Chart(data)
        .mark_point(filled=True, size=110, opacity=1)
        .encode(
            y=y,
            x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y", tickCount="year")),
            color=alt.Color(
                "scope:N",
                scale=alt.Scale(range=[ACCENT, "#d9822b", "#5a8f29", "#7a4f9a"]),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
            tooltip=tooltip,
        )
        .properties(width=260, height=alt.Step(28))
    )
    return (
        alt.hconcat(labels, points, spacing=8).resolve_scale(y="shared").configure_view(stroke=None)
    )
