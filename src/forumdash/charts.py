"""DataFrames to Altair charts: pure functions, tested through chart.to_dict().

Every chart says in words what it shows and carries its numbers as a table: its specification's
`description` is its text alternative (what a screen reader announces; forumdash.ui.charts passes
it as Streamlit's `alt`), and `usermeta["table"]` the rows and the columns, named in the reader's
language, that "Show as table" lists under it (`table_of`). A new builder ends with
`described(chart, words, table(columns, rows))` and is shown by forumdash.ui.charts.show; its
colours come from forumdash.palette (tests/unit/test_charts_accessible.py checks all three).
"""

import json
from collections.abc import Iterable
from typing import Any, Literal, TypeVar, cast
from urllib.parse import urlencode

import altair as alt
import pandas as pd

from forumdash import i18n, palette
from forumdash.i18n import N_, _, ngettext

ACCENT = palette.PRACTICES
LABELS = alt.Axis(labelLimit=240, labelFontSize=12)
TABLE = "table"  # the key of a chart's table in its usermeta
ColumnKind = Literal["text", "number", "link"]
Column = tuple[str, ColumnKind]
Built = TypeVar("Built", bound=alt.TopLevelMixin)


def table(
    columns: list[Column], rows: Iterable[Iterable[Any]], link_text: str = ""
) -> dict[str, Any]:
    """A chart's numbers as a table: its columns as (title, kind), a "link" column's cells are
    addresses shown as `link_text`; cells are made plain JSON values (numbers stay numbers)."""

    def plain(value: Any) -> Any:
        if hasattr(value, "item"):  # a numpy scalar
            value = value.item()
        return value if isinstance(value, int | float | str) or value is None else str(value)

    return {
        "columns": [{"title": title, "kind": kind} for title, kind in columns],
        "rows": [[plain(cell) for cell in row] for row in rows],
        "link_text": link_text,
    }


def table_of(spec: dict[str, Any]) -> dict[str, Any] | None:
    """The table a chart's specification carries (see `table`), or None."""
    usermeta = spec.get("usermeta")
    found = usermeta.get(TABLE) if isinstance(usermeta, dict) else None
    return found if isinstance(found, dict) else None


def described(chart: Built, description: str, numbers: dict[str, Any]) -> Built:
    """The chart with its text alternative and its table (`table`), and its text in colours
    that keep 4.5:1 on the page (Streamlit's theme greys axis labels to 3.8:1)."""
    usermeta = getattr(chart, "usermeta", None)
    usermeta = usermeta if isinstance(usermeta, dict) else {}
    title = getattr(chart, "title", None)
    text = getattr(title, "text", title)
    if isinstance(text, str) and text:
        numbers = {**numbers, "title": text}  # the table's name (the chart's title)
    inked: Built = (
        cast(Any, chart)
        .properties(description=description, usermeta={**usermeta, TABLE: numbers})
        .configure_axis(labelColor=palette.INK, titleColor=palette.INK)
        .configure_legend(labelColor=palette.INK, titleColor=palette.INK)
        .configure_title(color=palette.INK, subtitleColor=palette.MUTED_INK)
    )
    return inked


def _number(n: int | float) -> str:
    return i18n.format_number(int(n))


def _listed(items: Iterable[tuple[str, int | float]]) -> str:
    """'Implementing: 39; Evaluating: 5' in the reader's language."""
    return "; ".join(_("{label}: {n}").format(label=label, n=_number(n)) for label, n in items)


def _at_most(frame: pd.DataFrame, value: str) -> tuple[int, pd.DataFrame]:
    """The highest value and the rows that have it."""
    peak = int(frame[value].max()) if len(frame) else 0
    return peak, frame.loc[frame[value] == peak]


def lang_query() -> str:
    """What a chart's link adds to its query so that the page it opens speaks the current
    language: '&lang=sq', nothing in English (every chart link already has a query)."""
    tag = i18n.current().tag
    return "" if tag == i18n.DEFAULT else "&" + urlencode({"lang": tag})


def milestone_timeline_chart(frame: pd.DataFrame) -> alt.HConcatChart:
    """Milestones in date order, one row each: its label on the left, its time on the right."""
    data = frame.reset_index(drop=True).assign(row=lambda f: f.index.astype(int))
    data["label"] = data["when"] + "   " + data["title"]
    y = alt.Y("row:O", axis=None)
    tooltip = _timeline_tooltip()
    labels = (
        alt.Chart(data)
        .mark_text(align="left", baseline="middle", fontSize=12, limit=590, color=palette.INK)
        .encode(y=y, x=alt.value(0), text="label:N", tooltip=tooltip)
        .properties(width=600, height=alt.Step(28))
    )
    points = (
        alt.Chart(data)
        .mark_point(filled=True, size=110, opacity=1)
        .encode(y=y, x=alt.X("date:T", title=None, **_year_axis(data["date"])), **_scopes(data))
        .properties(width=260, height=alt.Step(28))
    )
    chart: alt.HConcatChart = alt.hconcat(labels, points, spacing=8).resolve_scale(y="shared")
    framed: alt.HConcatChart = described(chart, *_timeline_words(frame)).configure_view(stroke=None)
    return framed


def _timeline_tooltip() -> list[alt.Tooltip]:
    return [
        alt.Tooltip("when:N", title=_("Date")),
        alt.Tooltip("title:N", title=_("Milestone")),
        alt.Tooltip("scope:N", title=_("Country or region")),
    ]


SHAPES = ["circle", "square", "diamond", "triangle-up"]


def _scopes(data: pd.DataFrame) -> dict[str, Any]:
    """A milestone's country or region by colour and by shape too (never by colour alone), both
    in the legend and the tooltip."""
    scopes = list(dict.fromkeys(data["scope"]))
    legend = alt.Legend(title=None, orient="bottom")
    return {
        "color": alt.Color(
            "scope:N", sort=scopes, scale=alt.Scale(range=list(palette.CATEGORIES)), legend=legend
        ),
        "shape": alt.Shape("scope:N", sort=scopes, scale=alt.Scale(range=SHAPES), legend=legend),
        "tooltip": _timeline_tooltip(),
    }


def _timeline_words(frame: pd.DataFrame) -> tuple[str, dict[str, Any]]:
    n = len(frame)
    first, last = (frame["when"].iloc[0], frame["when"].iloc[-1]) if n else ("", "")
    description = ngettext(
        "Timeline of {n} milestone, on {first}.",
        "Timeline of {n} milestones, from {first} to {last}.",
        n,
    ).format(n=_number(n), first=first, last=last)
    numbers = table(
        [(_("Date"), "text"), (_("Milestone"), "text"), (_("Country or region"), "text")],
        zip(frame["when"], frame["title"], frame["scope"], strict=True),
    )
    return description, numbers


def milestone_timeline_narrow_chart(frame: pd.DataFrame) -> alt.LayerChart | alt.FacetChart:
    """The timeline for a narrow screen (a phone): one row a milestone, its label above its
    point on a time axis as wide as the screen, instead of labels and axis side by side."""
    data = frame.reset_index(drop=True).assign(row=lambda f: f.index.astype(int))
    data["label"] = data["when"] + "  " + data["title"]
    y = alt.Y("row:O", axis=None, scale=alt.Scale(paddingInner=0))
    labels = (
        alt.Chart(data)
        .mark_text(
            align="left",
            baseline="bottom",
            dy=-4,
            fontSize=12,
            color=palette.INK,
            limit=alt.ExprRef(expr="width"),  # the label is cut at the chart's edge, never past
        )
        .encode(y=y, x=alt.value(0), text="label:N", tooltip=_timeline_tooltip())
    )
    points = (
        alt.Chart(data)
        .mark_point(filled=True, size=90, opacity=1, yOffset=8)
        .encode(y=y, x=alt.X("date:T", title=None, **_year_axis(data["date"])), **_scopes(data))
    )
    chart = alt.layer(labels, points).properties(
        height=alt.Step(46),
        view=alt.ViewBackground(stroke=None),
        autosize=FIT_WIDTH,
    )
    return described(chart, *_timeline_words(frame))


def _year_axis(dates: pd.Series) -> dict[str, Any]:
    """From 1 January of the first year to 1 January after the last, a tick on each year (every
    other year past eight): Vega's own ticks started at 2014 for milestones from July 2013."""
    years = pd.to_datetime(dates).dt.year
    if years.empty:
        return {"axis": alt.Axis(format="%Y")}
    first, last = int(years.min()), int(years.max()) + 1
    step = 1 if last - first <= 8 else 2
    jan = [alt.DateTime(year=year, month=1, date=1) for year in range(first, last + 1, step)]
    return {
        "scale": alt.Scale(domain=[jan[0], alt.DateTime(year=last, month=1, date=1)]),
        "axis": alt.Axis(format="%Y", values=jan, grid=True),
    }


# --------------------------------------------------------------------------- overview charts

# Heights are the plot's own; only the width follows the page (Streamlit's theme would otherwise
# fit the whole chart, titles and labels included, into the given height).
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")
HEAT_EMPTY = palette.EMPTY_CELL  # a cell without practices: visibly empty
HEAT_BORDER = palette.CELL_BORDER


def shaded(frame: pd.DataFrame, value: str) -> pd.DataFrame:
    """The frame with each cell's colour (`fill`: viridis, darker for more; empty cells pale)
    and the colour of the count written on it (`ink`: white or black, whichever reads best),
    worked out here rather than by Vega, so that a test can check every pair's contrast."""
    counts = frame[value].astype(int)
    peak = int(counts.max()) if len(counts) else 0
    fill = [palette.count_colour(n, peak) if n > 0 else HEAT_EMPTY for n in counts]
    return frame.assign(fill=fill, ink=[palette.text_on(colour) for colour in fill])


def two_lines(name: str, width: int = 11) -> list[str]:
    """A label on two lines, the first empty when it fits on one: long names wrap at the space
    (or after the hyphen: Bosnjë-Hercegovinë) nearest their middle instead of being cut or
    slanted."""
    cuts = [(i, i + 1) for i, char in enumerate(name) if char == " "]
    cuts += [(i + 1, i + 1) for i, char in enumerate(name[:-1]) if char in "-\u2011" and i]
    if len(name) <= width or not cuts:
        return ["", name]
    end, start = min(cuts, key=lambda cut: abs(cut[0] - len(name) / 2))
    return [name[:end], name[start:]]


def wrapped_label_expr(names: list[str]) -> str:
    """A Vega labelExpr that shows each name on two lines, bottom-aligned (see two_lines)."""
    lookup = json.dumps({name: two_lines(name) for name in names}, ensure_ascii=False)
    return f"({lookup})[datum.label] || datum.label"


def _sizes(large: bool) -> dict[str, int]:
    """Font sizes and cell sizes for a screen page, or for a 1920x1080 display (large)."""
    if large:
        return {
            "label": 24,
            "text": 28,
            "title": 34,
            "subtitle": 22,
            "step": 52,
            "column": 150,
            "limit": 520,
        }
    return {
        "label": 12,
        "text": 13,
        "title": 16,
        "subtitle": 12,
        "step": 30,
        "column": 72,
        "limit": 260,
    }


def country_theme_heatmap(
    frame: pd.DataFrame, *, large: bool = False
) -> alt.LayerChart | alt.FacetChart:
    """Practices per country (columns) and theme (rows) as coloured cells with their count;
    a cell with practices links to /browse filtered to its country and theme, an empty cell
    stays pale and unlinked. `large` sizes it for a 1920x1080 display."""
    size = _sizes(large)
    data = shaded(frame, "practices").assign(
        url="/browse?country="
        + frame["code"].astype(str)
        + "&theme="
        + frame["slug"].astype(str)
        + lang_query()
    )
    tooltip = [
        alt.Tooltip("country:N", title=_("Country")),
        alt.Tooltip("theme:N", title=_("Theme")),
        alt.Tooltip("practices:Q", title=_("Published practices")),
    ]
    title = alt.Title(
        _("Published practices by country and theme"),
        subtitle="" if large else _("Click a cell to browse its practices"),
        fontSize=size["title"],
        subtitleFontSize=size["subtitle"],
        subtitleColor=palette.MUTED_INK,
        anchor="start",
    )
    base = alt.Chart(data).encode(
        x=alt.X(
            "country:N",
            sort=list(dict.fromkeys(frame["country"])),
            title=None,
            axis=alt.Axis(
                orient="top",
                labelAngle=0,
                labelExpr=wrapped_label_expr(list(frame["country"].unique())),
                labelFontSize=size["label"],
                labelLimit=size["limit"],
                # Vega grows a multi-line label downwards from its first line: lift it a line.
                labelPadding=round(size["label"] * 1.25) + 4,
                labelBaseline="bottom",
                labelOverlap=False,  # every country is named, even on a narrow screen
                labelFlush=False,
                domain=False,
                ticks=False,
            ),
        ),
        y=alt.Y(
            "theme:N",
            sort=list(dict.fromkeys(frame["theme"])),
            title=None,
            axis=alt.Axis(
                labelFontSize=size["label"],
                labelLimit=size["limit"],
                domain=False,
                ticks=False,
            ),
        ),
        tooltip=tooltip,
    )
    empty = base.mark_rect(color=HEAT_EMPTY, stroke=HEAT_BORDER, strokeWidth=2)
    filled = (
        base.transform_filter(alt.datum.practices > 0)
        .mark_rect(stroke=HEAT_BORDER, strokeWidth=2, cursor="pointer")
        .encode(color=alt.Color("fill:N", scale=None, legend=None), href="url:N")
    )
    counts = (
        base.transform_filter(alt.datum.practices > 0)
        .mark_text(fontSize=size["text"], fontWeight="bold", cursor="pointer")
        .encode(text="practices:Q", color=alt.Color("ink:N", scale=None), href="url:N")
    )
    chart = alt.layer(empty, filled, counts).properties(
        title=title,
        width=alt.Step(size["column"]),
        height=alt.Step(size["step"]),
        view=alt.ViewBackground(stroke=None),
        autosize=FIT_WIDTH,
        # SVG: crisp text on a big screen, and each cell is an element with a readable label.
        usermeta={"embedOptions": {"renderer": "svg"}},
    )
    numbers = _grid(frame, _("Theme"), "theme", "country", "practices")
    return described(chart, _heatmap_words(frame), numbers)


def _heatmap_words(frame: pd.DataFrame) -> str:
    total = frame.loc[frame["practices"] > 0]
    peak, top = _at_most(total, "practices")
    description = _(
        "Heatmap of published practices by country (columns) and theme (rows), each cell "
        "darker for more practices and showing its number."
    )
    if peak:
        cells = ", ".join(
            _("{country} in {theme}").format(country=c, theme=t)
            for c, t in zip(top["country"][:3], top["theme"][:3], strict=True)
        )
        description += " " + _("The most in one cell: {n} ({cells}).").format(
            n=_number(peak), cells=cells
        )
    return description


def _grid(frame: pd.DataFrame, title: str, rows: str, columns: str, value: str) -> dict[str, Any]:
    """A long frame's numbers as a table: a row for each of its `rows` (the first column, named
    `title`), a column for each of its `columns`, in the frame's order (a missing pair is 0)."""
    row_names = list(dict.fromkeys(frame[rows]))
    column_names = list(dict.fromkeys(frame[columns]))
    counts = {
        (r, c): int(n) for r, c, n in zip(frame[rows], frame[columns], frame[value], strict=True)
    }
    return table(
        [(title, "text"), *((str(name), "number") for name in column_names)],
        ([r, *(counts.get((r, c), 0) for c in column_names)] for r in row_names),
    )


# --- compare (the /compare page)

# Countries side by side: never vermillion, which stands for open challenges (orange badges on
# the same page).
COMPARE_COLORS = list(palette.COMPARED)
NOT_RATED_COLOR = palette.BACKGROUND  # an empty, outlined segment: nothing rated


# Theme names take at most 42% of a narrow chart's width (all of 240 px pushed the legend, which
# starts where the bars do, past a phone's edge); in a file, without a container, 240 px.
THEME_LABELS = alt.ExprRef(
    expr="containerSize()[0] > 0 ? min(240, containerSize()[0] * 0.42) : 240"
)


def compare_themes_chart(frame: pd.DataFrame, codes: list[str]) -> alt.LayerChart | alt.FacetChart:
    """Grouped horizontal bars: published practices per theme, one bar per country (in the
    chosen order), themes with none in any of the countries left out; bars link to /browse."""
    totals = frame.groupby("slug", sort=False)["practices"].transform("sum")
    data = frame.loc[totals > 0].copy()
    data["url"] = "/browse?country=" + data["code"] + "&theme=" + data["slug"] + lang_query()
    by_code = dict(zip(frame["code"], frame["country"], strict=False))
    countries = list(dict.fromkeys(by_code[code] for code in codes if code in by_code))
    themes = list(dict.fromkeys(data["theme"]))
    # Each bar names its country by its code too (never by colour alone).
    data["tag"] = data["code"] + " " + data["practices"].map(_number)
    peak = int(data["practices"].max()) if len(data) else 0
    base = alt.Chart(data).encode(
        y=alt.Y("theme:N", sort=themes, title=None, axis=alt.Axis(labelLimit=THEME_LABELS)),
        yOffset=alt.YOffset("country:N", sort=countries),
        # Room after the longest bar for its tag.
        x=alt.X(
            "practices:Q",
            title=_("Practices"),
            axis=alt.Axis(tickMinStep=1),
            scale=alt.Scale(domainMax=peak + max(1, round(peak * 0.25)), nice=False),
        ),
        tooltip=[
            alt.Tooltip("country:N", title=_("Country")),
            alt.Tooltip("theme:N", title=_("Theme")),
            alt.Tooltip("practices:Q", title=_("Practices")),
        ],
    )
    bars = base.mark_bar(cornerRadiusEnd=2, cursor="pointer").encode(
        color=alt.Color(
            "country:N",
            sort=countries,
            scale=alt.Scale(domain=countries, range=COMPARE_COLORS[: len(countries)]),
            # One per line under the chart: side by side, "North Macedonia" pushed the
            # third country's name out of a half-width column.
            legend=alt.Legend(title=None, orient="bottom", columns=1, labelLimit=0),
        ),
        href="url:N",
    )
    tags = (
        base.transform_filter(alt.datum.practices > 0)
        .mark_text(align="left", baseline="middle", dx=3, fontSize=10, color=palette.INK)
        .encode(text="tag:N")
    )
    chart = alt.layer(bars, tags).properties(
        title=_("Published practices by theme"),
        # The whole chart, its axis labels included, within the page's width (on a phone its
        # last tick label ran 15 px past the screen's edge).
        height=alt.Step(12 if len(countries) == 3 else 14),
        autosize=FIT_WIDTH,
    )
    return described(chart, _compare_words(data, countries), _compare_table(frame, codes))


def _compare_words(data: pd.DataFrame, countries: list[str]) -> str:
    description = _(
        "Grouped bar chart of published practices by theme, one bar for each of {countries}."
    ).format(countries=", ".join(countries))
    most = []
    for country in countries:
        peak, top = _at_most(data.loc[data["country"] == country], "practices")
        if peak:
            most.append(
                _("{country}: {themes} ({n})").format(
                    country=country, themes=", ".join(top["theme"]), n=_number(peak)
                )
            )
    if most:
        description += " " + _("Most practices under one theme: {list}.").format(
            list="; ".join(most)
        )
    return description


def _compare_table(frame: pd.DataFrame, codes: list[str]) -> dict[str, Any]:
    chosen = frame.loc[frame["code"].isin(codes)]
    order = {code: i for i, code in enumerate(codes)}
    chosen = chosen.sort_values("code", key=lambda c: c.map(order), kind="stable")
    themes = chosen.loc[chosen.groupby("slug", sort=False)["practices"].transform("sum") > 0]
    return _grid(themes, _("Theme"), "theme", "country", "practices")


# The measure a distribution counts, as its axis and tooltip name it.
MEASURES = {"practices": N_("Practices"), "commitments": N_("Commitments")}


def compare_distribution_chart(
    frame: pd.DataFrame, countries: list[str], *, title: str, value: str = "practices"
) -> alt.Chart:
    """One stacked bar per country (in the given order) across an ordered vocabulary (`label`,
    `order`), a darker shade of cividis for a higher level and an empty segment for 'Not rated'
    (in the current language, as forumdash.compare labels it), every segment outlined; the
    levels are named in the legend and the tooltip."""
    labels = list(dict.fromkeys(frame.sort_values("order")["label"]))
    not_rated = _("Not rated")
    rated = [label for label in labels if label != not_rated]
    colors = palette.levels(len(rated)) + ([NOT_RATED_COLOR] if len(rated) < len(labels) else [])
    data = frame.loc[frame[value] > 0]
    measure = _(MEASURES[value]) if value in MEASURES else value.capitalize()
    chart: alt.Chart = (
        alt.Chart(data, title=title)
        .mark_bar(stroke=palette.OUTLINE, strokeWidth=1)
        .encode(
            y=alt.Y("country:N", sort=countries, title=None, axis=LABELS),
            x=alt.X(f"{value}:Q", title=measure, axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "label:N",
                sort=labels,
                scale=alt.Scale(domain=labels, range=colors),
                # Under the bars, one per line: on the right it left the bars a third.
                legend=alt.Legend(
                    title=None,
                    orient="bottom",
                    columns=1,
                    labelLimit=0,
                    symbolStrokeColor=palette.OUTLINE,
                    symbolStrokeWidth=1,
                ),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("country:N", title=_("Country")),
                alt.Tooltip("label:N", title=_("Level")),
                alt.Tooltip(f"{value}:Q", title=measure),
            ],
        )
        .properties(height=alt.Step(26), autosize=FIT_WIDTH)
    )
    return described(
        chart,
        _distribution_words(data, countries, title, value),
        _grid(frame.sort_values("order", kind="stable"), title, "label", "country", value),
    )


def _distribution_words(data: pd.DataFrame, countries: list[str], title: str, value: str) -> str:
    parts = []
    for country in countries:
        rows = data.loc[data["country"] == country].sort_values("order")
        listed = _listed(zip(rows["label"], rows[value], strict=True)) or _number(0)
        parts.append(_("{country} ({list})").format(country=country, list=listed))
    return _("Stacked bar chart “{title}”, one bar for each country: {list}.").format(
        title=title, list=", ".join(parts)
    )


CHALLENGE_COLOR = palette.CHALLENGES  # open challenges: set apart from the practices' blue
COUNT_TEXT = palette.INK


def _bar_title(text: str, subtitle: str = "") -> alt.Title:
    return alt.Title(text, subtitle=subtitle, anchor="start", subtitleColor=palette.MUTED_INK)


def _linked(
    columns: list[Column], rows: Iterable[tuple[Any, ...]], urls: Iterable[str]
) -> dict[str, Any]:
    """A table whose last column opens, as the chart's bars do, the list each row counts."""
    return table(
        [*columns, (_("List"), "link")],
        ([*row, url] for row, url in zip(rows, urls, strict=True)),
        link_text=_("Open the list"),
    )


def practices_by_stage_chart(frame: pd.DataFrame) -> alt.LayerChart | alt.FacetChart:
    """Horizontal bars of practices per stage, in the stages' own order, each bar linking to
    /browse filtered to its stage; the count is written at the end of the bar."""
    data = frame.assign(url="/browse?stage=" + frame["stage"].astype(str) + lang_query())
    base = alt.Chart(data).encode(
        y=alt.Y("label:N", sort=list(frame["label"]), title=None, axis=LABELS),
        x=alt.X("practices:Q", title=_("Practices"), axis=alt.Axis(tickMinStep=1, grid=False)),
        tooltip=[
            alt.Tooltip("label:N", title=_("Stage")),
            alt.Tooltip("practices:Q", title=_("Practices")),
        ],
        href="url:N",
    )
    bars = base.mark_bar(color=ACCENT, cornerRadiusEnd=3, cursor="pointer")
    counts = (
        base.transform_filter(alt.datum.practices > 0)
        .mark_text(align="left", dx=4, fontSize=12, color=COUNT_TEXT)
        .encode(text="practices:Q")
    )
    chart = alt.layer(bars, counts).properties(
        title=_bar_title(_("Published practices by stage"), _("Click a bar to browse them")),
        height=alt.Step(30),
        autosize=FIT_WIDTH,
    )
    pairs = list(zip(frame["label"], frame["practices"], strict=True))
    return described(
        chart,
        _("Bar chart of published practices by stage: {list}.").format(list=_listed(pairs)),
        _linked([(_("Stage"), "text"), (_("Published practices"), "number")], pairs, data["url"]),
    )


def practices_by_year_chart(frame: pd.DataFrame) -> alt.LayerChart | alt.FacetChart:
    """Columns of practices per start year, each linking to /browse filtered to that year."""
    data = frame.assign(
        url="/browse?year_from="
        + frame["year"].astype(str)
        + "&year_to="
        + frame["year"].astype(str)
        + lang_query()
    )
    base = alt.Chart(data).encode(
        x=alt.X(
            "year:O",
            sort="ascending",
            title=None,
            axis=alt.Axis(labelAngle=0, labelOverlap="parity", labelFontSize=12),
        ),
        y=alt.Y("practices:Q", title=_("Practices"), axis=alt.Axis(tickMinStep=1)),
        tooltip=[
            alt.Tooltip("year:O", title=_("Start year")),
            alt.Tooltip("practices:Q", title=_("Practices")),
        ],
        href="url:N",
    )
    bars = base.mark_bar(color=ACCENT, cornerRadiusEnd=2, cursor="pointer")
    counts = (
        base.transform_filter(alt.datum.practices > 0)
        .mark_text(baseline="bottom", dy=-3, fontSize=11, color=COUNT_TEXT)
        .encode(text="practices:Q")
    )
    chart = alt.layer(bars, counts).properties(
        title=_bar_title(_("Published practices by start year"), _("Click a bar to browse them")),
        height=180,
        width=alt.Step(26),
        autosize=FIT_WIDTH,
    )
    ordered = data.sort_values("year", kind="stable")
    years = [str(int(y)) for y in ordered["year"]]
    pairs = list(zip(years, ordered["practices"], strict=True))
    return described(
        chart,
        _year_words(ordered),
        _linked(
            [(_("Start year"), "text"), (_("Published practices"), "number")],
            pairs,
            ordered["url"],
        ),
    )


def _year_words(ordered: pd.DataFrame) -> str:
    if ordered.empty:
        return _("Column chart of published practices by start year: none records one yet.")
    peak, top = _at_most(ordered, "practices")
    return _(
        "Column chart of published practices by the year they started, from {first} to "
        "{last}; the most started in {years} ({n})."
    ).format(
        first=int(ordered["year"].iloc[0]),
        last=int(ordered["year"].iloc[-1]),
        years=", ".join(str(int(y)) for y in top["year"]),
        n=_number(peak),
    )


def open_challenges_by_theme_chart(frame: pd.DataFrame) -> alt.LayerChart | alt.FacetChart:
    """Horizontal bars of open challenges per theme, most first, each linking to
    /challenges filtered to its theme."""
    ordered = frame.sort_values("challenges", ascending=False, kind="stable")
    data = ordered.assign(url="/challenges?theme=" + ordered["slug"].astype(str) + lang_query())
    base = alt.Chart(data).encode(
        y=alt.Y("theme:N", sort=list(ordered["theme"]), title=None, axis=LABELS),
        x=alt.X(
            "challenges:Q", title=_("Open challenges"), axis=alt.Axis(tickMinStep=1, grid=False)
        ),
        tooltip=[
            alt.Tooltip("theme:N", title=_("Theme")),
            alt.Tooltip("challenges:Q", title=_("Open challenges")),
        ],
        href="url:N",
    )
    bars = base.mark_bar(color=CHALLENGE_COLOR, cornerRadiusEnd=3, cursor="pointer")
    counts = (
        base.transform_filter(alt.datum.challenges > 0)
        .mark_text(align="left", dx=4, fontSize=12, color=COUNT_TEXT)
        .encode(text="challenges:Q")
    )
    chart = alt.layer(bars, counts).properties(
        title=_bar_title(_("Open challenges by theme"), _("Published challenges not yet resolved")),
        height=alt.Step(22),
        autosize=FIT_WIDTH,
    )
    pairs = list(zip(ordered["theme"], ordered["challenges"], strict=True))
    some = [(theme, n) for theme, n in pairs if n > 0]
    description = (
        _("Bar chart of open challenges by theme, most first: {list}.").format(list=_listed(some))
        if some
        else _("Bar chart of open challenges by theme: there are none.")
    )
    columns: list[Column] = [(_("Theme"), "text"), (_("Open challenges"), "number")]
    return described(chart, description, _linked(columns, pairs, data["url"]))


SPREAD_OPACITY = 0.8  # overlapping lines show through, each still 3.6:1 on white
NO_ADAPTATIONS = N_("No published practice records yet that it was adapted from another.")


def adaptation_chart(
    frame: pd.DataFrame, *, large: bool = False
) -> alt.LayerChart | alt.FacetChart:
    """How practices spread: the countries practices were learned from on the left, the
    countries that adapted them on the right, a line for each pair (thicker for more
    practices). Says so plainly when no practice records where it came from."""
    font = 24 if large else 13
    title = alt.Title(
        _("How practices spread across the region"),
        subtitle=_(
            "Each line joins the country a practice came from to the country that adapted it"
        ),
        anchor="start",
        subtitleColor=palette.MUTED_INK,
        fontSize=34 if large else 16,
        subtitleFontSize=22 if large else 12,
    )
    numbers = table(
        [(_("Learned from"), "text"), (_("Adapted in"), "text"), (_("Practices"), "number")],
        zip(frame["from_country"], frame["to_country"], frame["practices"], strict=True),
    )
    if frame.empty:
        message = pd.DataFrame({"text": [_(NO_ADAPTATIONS)]})
        empty = alt.layer(
            alt.Chart(message)
            .mark_text(fontSize=font, color=palette.MUTED_INK, align="left", x=0, y=20)
            .encode(text="text:N")
        ).properties(
            title=title,
            height=40,
            width=560,
            view=alt.ViewBackground(stroke=None),
            autosize=FIT_WIDTH,
        )
        return described(empty, _(NO_ADAPTATIONS), numbers)
    sources = list(dict.fromkeys(frame["from_country"]))
    targets = list(dict.fromkeys(frame["to_country"]))
    rows = max(len(sources), len(targets))

    def position(side: list[str], country: str) -> float:
        return side.index(country) + (rows - len(side)) / 2

    flows = frame.reset_index(drop=True)
    flows = flows.assign(
        flow=flows.index.astype(str),
        label=flows["from_country"] + " → " + flows["to_country"],
        count=flows["practices"].map(
            lambda n: ngettext("{n} practice", "{n} practices", int(n)).format(
                n=i18n.format_number(int(n))
            )
        ),
    )
    ends = pd.concat(
        [
            flows.assign(x=0.0, y=[position(sources, c) for c in flows["from_country"]]),
            flows.assign(x=1.0, y=[position(targets, c) for c in flows["to_country"]]),
        ],
        ignore_index=True,
    )
    nodes = pd.DataFrame(
        [{"x": 0.0, "y": position(sources, c), "country": c, "align": "right"} for c in sources]
        + [{"x": 1.0, "y": position(targets, c), "country": c, "align": "left"} for c in targets]
    )
    # A long name on two lines on a page (on a phone "Bosnia and Herzegovina" ran past the
    # edge); the event display has the width for one. A line break, not a list: a nominal
    # field's list is drawn as "[North,Macedonia]".
    nodes["lines"] = [
        name if large else "\n".join(x for x in two_lines(name, 14) if x)
        for name in nodes["country"]
    ]
    headers = pd.DataFrame(
        [
            {"x": 0.0, "text": _("Learned from"), "align": "right"},
            {"x": 1.0, "text": _("Adapted in"), "align": "left"},
        ]
    )
    x = alt.X("x:Q", scale=alt.Scale(domain=[-1.1, 2.1]), axis=None)
    y = alt.Y("y:Q", scale=alt.Scale(domain=[-0.9, rows - 0.4], reverse=True), axis=None)
    tooltip = [
        alt.Tooltip("label:N", title=_("Spread")),
        alt.Tooltip("count:N", title=_("Adapted")),
    ]
    lines = (
        alt.Chart(ends)
        .mark_line(color=ACCENT, opacity=SPREAD_OPACITY, strokeCap="round")
        .encode(
            x=x,
            y=y,
            detail="flow:N",
            strokeWidth=alt.StrokeWidth(
                "practices:Q", scale=alt.Scale(range=[3, 14], zero=False), legend=None
            ),
            tooltip=tooltip,
        )
    )
    dots = (
        alt.Chart(nodes)
        .mark_circle(size=220 if large else 110, color=ACCENT, opacity=1)
        .encode(x=x, y=y, tooltip=[alt.Tooltip("country:N", title=_("Country"))])
    )
    gap = 14 if large else 9
    left_names = (
        alt.Chart(nodes[nodes["x"] == 0.0])
        .mark_text(align="right", dx=-gap, fontSize=font, color=COUNT_TEXT, lineBreak="\n")
        .encode(x=x, y=y, text="lines:N")
    )
    right_names = (
        alt.Chart(nodes[nodes["x"] == 1.0])
        .mark_text(align="left", dx=gap, fontSize=font, color=COUNT_TEXT, lineBreak="\n")
        .encode(x=x, y=y, text="lines:N")
    )
    header_marks = [
        alt.Chart(headers[headers["align"] == side])
        .mark_text(
            align=side,
            dx=gap if side == "left" else -gap,
            fontSize=font,
            fontWeight="bold",
            color=palette.MUTED_INK,
            y=0,
        )
        .encode(x=x, text="text:N")
        for side in ("right", "left")
    ]
    step = 56 if large else 34
    chart = alt.layer(lines, dots, left_names, right_names, *header_marks).properties(
        title=title,
        width=900 if large else 560,
        height=(rows + 0.6) * step,
        view=alt.ViewBackground(stroke=None),
        autosize=FIT_WIDTH,
    )
    spread = _listed(
        (_("{source} to {target}").format(source=f, target=t), n)
        for f, t, n in zip(
            frame["from_country"], frame["to_country"], frame["practices"], strict=True
        )
    )
    description = _(
        "Diagram of how practices spread: lines join the countries practices were learned from "
        "to the countries that adapted them, thicker for more practices. {list}."
    ).format(list=spread)
    return described(chart, description, numbers)


# --- peer exchange (the /exchange page's regional view)


def exchange_heatmap(frame: pd.DataFrame) -> alt.LayerChart | alt.FacetChart:
    """Peer-exchange requests country to country: asking countries as rows (by name), asked
    countries as columns (by code, so that every column is named even on a phone; the tooltip
    names them), every pair a cell, pale when empty; a cell with requests shows its count and
    links to /exchange filtered to that pair (frame: from_code, from_country, to_code,
    to_country, requests)."""
    # Rows by name, "not said" (code "none") last; columns by code.
    named = dict(zip(frame["from_country"], frame["from_code"], strict=False))
    rows = sorted(named, key=lambda name: (named[name] == "none", name))
    columns = sorted(dict.fromkeys(frame["to_code"]))
    names = dict(zip(frame["to_code"], frame["to_country"], strict=False))
    sources = dict(zip(frame["from_country"], frame["from_code"], strict=False))
    counts = {
        (f, t): int(n)
        for f, t, n in zip(frame["from_country"], frame["to_code"], frame["requests"], strict=True)
    }
    grid = pd.DataFrame(
        [
            {
                "from_country": f,
                "to_code": t,
                "to_country": names[t],
                "requests": counts.get((f, t), 0),
                "url": f"/exchange?from={sources[f]}&to={t}{lang_query()}",
            }
            for f in rows
            for t in columns
        ],
        columns=["from_country", "to_code", "to_country", "requests", "url"],
    )
    grid = shaded(grid, "requests")
    tooltip = [
        alt.Tooltip("from_country:N", title=_("Asking country")),
        alt.Tooltip("to_country:N", title=_("Asked country")),
        alt.Tooltip("requests:Q", title=_("Requests")),
    ]
    base = alt.Chart(grid).encode(
        x=alt.X(
            "to_code:N",
            sort=columns,
            title=_("Asked country (whose practice)"),
            axis=alt.Axis(
                orient="top", labelAngle=0, labelOverlap=False, domain=False, ticks=False
            ),
        ),
        y=alt.Y(
            "from_country:N",
            sort=rows,
            title=_("Asking country"),
            axis=alt.Axis(labelLimit=180, domain=False, ticks=False),
        ),
        tooltip=tooltip,
    )
    empty = base.mark_rect(color=HEAT_EMPTY, stroke=HEAT_BORDER, strokeWidth=2)
    filled = (
        base.transform_filter(alt.datum.requests > 0)
        .mark_rect(stroke=HEAT_BORDER, strokeWidth=2, cursor="pointer")
        .encode(color=alt.Color("fill:N", scale=None, legend=None), href="url:N")
    )
    numbers = (
        base.transform_filter(alt.datum.requests > 0)
        .mark_text(fontWeight="bold", cursor="pointer")
        .encode(text="requests:Q", color=alt.Color("ink:N", scale=None), href="url:N")
    )
    chart = alt.layer(empty, filled, numbers).properties(
        title=alt.Title(
            _("Who asked to learn from whom"),
            subtitle=_("Click a cell to list its requests"),
            anchor="start",
            subtitleColor=palette.MUTED_INK,
        ),
        height=alt.Step(34),
        width=alt.Step(48),
        view=alt.ViewBackground(stroke=None),
        usermeta={"embedOptions": {"renderer": "svg"}},
    )
    peak, top = _at_most(grid, "requests")
    description = _(
        "Heatmap of peer-exchange requests, from the asking countries (rows) to the countries "
        "asked (columns), each cell darker for more requests and showing its number."
    )
    if peak:
        pairs = ", ".join(
            _("{source} to {target}").format(source=f, target=t)
            for f, t in zip(top["from_country"][:3], top["to_country"][:3], strict=True)
        )
        description += " " + _("The most: {n} ({pairs}).").format(n=_number(peak), pairs=pairs)
    numbers_table = _grid(grid, _("Asking country"), "from_country", "to_country", "requests")
    return described(chart, description, numbers_table)


def requests_over_time_chart(frame: pd.DataFrame, *, weekly: bool = False) -> alt.Chart:
    """Peer-exchange requests made per month (or per week, by its Monday) as bars, the periods
    named in the current language (frame: period, requests)."""
    days = pd.to_datetime(frame["period"]).dt.date
    labels = [i18n.format_day(d) if weekly else i18n.format_month(d) for d in days]
    data = frame.assign(label=labels)
    title = _("Requests per week") if weekly else _("Requests per month")
    chart: alt.Chart = (
        alt.Chart(data, title=_bar_title(title))
        .mark_bar(color=ACCENT)
        .encode(
            x=alt.X(
                "label:O",
                sort=labels,
                title=_("Week of") if weekly else None,
                axis=alt.Axis(labelAngle=-40, labelLimit=120),
            ),
            y=alt.Y("requests:Q", title=_("Requests"), axis=alt.Axis(tickMinStep=1)),
            tooltip=[
                alt.Tooltip("label:N", title=_("Week of") if weekly else _("Month")),
                alt.Tooltip("requests:Q", title=_("Requests")),
            ],
        )
        .properties(height=220)
    )
    period = _("Week of") if weekly else _("Month")
    peak, top = _at_most(data, "requests")
    description = (
        _(
            "Bar chart of peer-exchange requests per week, from the week of {first} to the week "
            "of {last}; the most in the weeks of {periods} ({n})."
        )
        if weekly
        else _(
            "Bar chart of peer-exchange requests per month, from {first} to {last}; the most "
            "in {periods} ({n})."
        )
    ).format(
        first=labels[0] if labels else "",
        last=labels[-1] if labels else "",
        periods=", ".join(top["label"]),
        n=_number(peak),
    )
    numbers = table(
        [(period, "text"), (_("Requests"), "number")],
        zip(data["label"], data["requests"], strict=True),
    )
    return described(chart, description, numbers)
