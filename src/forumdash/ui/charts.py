"""Show a chart: its text alternative, buttons that download it as PNG and as SVG, and its
numbers under "Show as table". Every chart of the app is shown here.

The text alternative and the table are the chart's own (forumdash.charts puts them in its
specification: `description` and `usermeta.table`); `prepare` takes them out of what the screen
gets, once: the text goes to Streamlit as the chart's `alt` (its accessible name), the table
becomes a DataFrame only when someone opens "Show as table" (an expander whose `.open` this run
reads), and once per prepared chart, which is shared by every visitor. The files are drawn by
vl-convert (offline, no browser) only when a button is clicked, and kept in a small cache keyed
by the chart's specification, so a page with several charts costs nothing until someone
downloads one. `spec` builds a chart's Vega-Lite specification once per distinct data: Altair's
schema validation costs tens of milliseconds per chart and page run. A chart's titles, axes,
tooltips, links, text alternative and table are in the visitor's language, so that cache is
keyed on it too.
"""

import functools
import importlib.util
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, cast

import pandas as pd
import streamlit as st
from altair.typing import ChartType
from streamlit import dataframe_util

from forumdash import charts, i18n
from forumdash.i18n import _

LOG = logging.getLogger(__name__)

Format = Literal["png", "svg"]
Spec = dict[str, Any]
ChartLike = ChartType | Spec
MIME: dict[Format, str] = {"png": "image/png", "svg": "image/svg+xml"}
EXPORT_WIDTH = 720  # charts that take the page's width on screen need one in a file
PNG_SCALE = 2  # sharp on high-density screens and in print
COMPOSITIONS = ("hconcat", "vconcat", "concat", "facet", "repeat")


@dataclass(frozen=True)
class PreparedChart:
    """A chart's Vega-Lite specification twice: as built (JSON data, for the files), and for the
    screen with its datasets already in Arrow, the conversion `st.vega_lite_chart` otherwise
    makes on every run, and without its text alternative (`alt`) and table (`table`), which go
    to the page apart. Shared by every session: read-only."""

    spec: Spec
    screen: Spec
    alt: str = ""
    table: dict[str, Any] | None = None

    @functools.cached_property
    def frame(self) -> pd.DataFrame:
        """The table as a DataFrame, its columns named in the chart's language: made when
        first shown, then kept with the chart."""
        return table_frame(self.table or {})


def table_frame(table: dict[str, Any]) -> pd.DataFrame:
    """A chart's table (forumdash.charts.table) as a DataFrame."""
    titles: list[str] = []
    for column in table.get("columns", []):
        title = str(column["title"]) or "-"
        while title in titles:  # Arrow needs distinct names
            title += "\u00a0"
        titles.append(title)
    return pd.DataFrame(table.get("rows", []), columns=titles)


def prepare(spec: Spec) -> PreparedChart:
    """The specification with its tabular datasets converted to Arrow once, its text
    alternative and its table set apart."""
    screen = dict(spec)
    description = screen.pop("description", "")
    table = charts.table_of(spec)
    if table is not None:
        screen["usermeta"] = {k: v for k, v in spec["usermeta"].items() if k != charts.TABLE}
    datasets = spec.get("datasets")
    if isinstance(datasets, dict):
        screen["datasets"] = {
            name: (
                dataframe_util.convert_anything_to_arrow_bytes(values)
                if isinstance(values, list) and all(isinstance(row, dict) for row in values)
                else values  # anything else (GeoJSON) as Streamlit itself leaves it
            )
            for name, values in datasets.items()
        }
    return PreparedChart(spec, screen, str(description or ""), table)


def built(builder: Callable[..., ChartType], frame: pd.DataFrame, **options: Any) -> PreparedChart:
    """builder(frame, **options) built, validated and prepared in the current language, for a
    cache of the caller's (one keyed on the data version and the language)."""
    return prepare(builder(frame, **options).to_dict())


class ChartExportError(RuntimeError):
    """A chart could not be turned into a file."""


@functools.cache
def export_available() -> bool:
    """Whether vl-convert is installed (without importing it: it is large). Asked once per
    process: finding a module stats the import path, and every chart's buttons ask."""
    return importlib.util.find_spec("vl_convert") is not None


@st.cache_resource(max_entries=64, show_spinner=False)
def _cached_spec(
    name: str,
    content: str,
    options: tuple[tuple[str, Any], ...],
    language: str,
    _builder: Callable[..., ChartType],
    _frame: pd.DataFrame,
) -> PreparedChart:
    # Cached runs do not run this body: the builder speaks `language` whichever thread asks.
    # A resource, not data: the prepared chart is read-only and shared, not copied per call.
    with i18n.language(language):
        return prepare(_builder(_frame, **dict(options)).to_dict())


def spec(builder: Callable[..., ChartType], frame: pd.DataFrame, **options: Any) -> PreparedChart:
    """builder(frame, **options) built, validated and prepared once for each distinct frame and
    language and cached: what `show` draws fastest."""
    name = f"{builder.__module__}.{builder.__qualname__}"
    # The frame's JSON is its cache key: cheaper than Streamlit's hashing of a DataFrame.
    content = frame.to_json(orient="split", index=False)
    language = i18n.current().tag
    return _cached_spec(name, content, tuple(sorted(options.items())), language, builder, frame)


def export_spec(chart: ChartLike) -> str:
    """The chart's Vega-Lite specification as JSON, with an explicit width when it has none
    (on screen it takes the width of the page; a file needs a size of its own)."""
    spec = dict(chart) if isinstance(chart, dict) else chart.to_dict()
    if "width" not in spec and not any(key in spec for key in COMPOSITIONS):
        spec["width"] = EXPORT_WIDTH
    return json.dumps(spec, sort_keys=True)


@functools.lru_cache(maxsize=48)
def _convert(spec_json: str, fmt: Format) -> bytes:
    import vl_convert as vlc

    if fmt == "png":
        return bytes(vlc.vegalite_to_png(spec_json, scale=PNG_SCALE))
    return vlc.vegalite_to_svg(spec_json).encode("utf-8")


def chart_bytes(chart: ChartLike, fmt: Format) -> bytes:
    """The chart as a PNG or SVG file. Raises ChartExportError with a short reason."""
    if fmt not in MIME:
        raise ChartExportError(_("unknown image format {format}").format(format=repr(fmt)))
    if not export_available():
        raise ChartExportError(_("the chart converter (vl-convert) is not installed"))
    try:
        return _convert(export_spec(chart), fmt)
    except Exception as error:  # vl-convert raises plain ValueError/RuntimeError
        # .log, not .exception: a log line stays English (the i18n check reads .exception as
        # Streamlit's element).
        LOG.log(logging.ERROR, "chart export to %s failed", fmt, exc_info=True)
        raise ChartExportError(
            _("the chart could not be drawn as {format}").format(format=fmt.upper())
        ) from error


def safe_filename(name: str) -> str:
    """A file name made of letters, digits, dots, dashes and underscores only."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")
    return cleaned or "chart"


def _deferred(chart: ChartLike, fmt: Format) -> Callable[[], bytes]:
    """What the download button runs on click (in another thread, outside the page run, so in
    the language of the run that drew the button)."""
    return functools.partial(_chart_bytes_in, i18n.current().tag, chart, fmt)


def _chart_bytes_in(language: str, chart: ChartLike, fmt: Format) -> bytes:
    with i18n.language(language):
        return chart_bytes(chart, fmt)


Width = Literal["stretch", "content"] | None


def show(
    chart: ChartLike | PreparedChart,
    *,
    key: str,
    filename: str,
    width: Width = None,
    downloads: bool = True,
    table: bool = True,
) -> None:
    """Render the chart (a `PreparedChart`, from `built`, `spec` or `prepare` in a cache of the
    caller's; an Altair chart or a specification is prepared on every run) with its text
    alternative as its accessible name, "Download PNG / SVG" under it (files drawn only when
    clicked), and "Show as table" with its numbers. If the converter is missing
    the chart still shows, with a clear message. `downloads` and `table` False leave them out
    (the event display, which nobody clicks)."""
    if not isinstance(chart, PreparedChart):
        chart = prepare(dict(chart) if isinstance(chart, dict) else chart.to_dict())
    options: dict[str, Any] = {"width": width} if width else {}
    st.vega_lite_chart(chart.screen, key=key, alt=chart.alt or None, **options)
    if downloads:
        download_buttons(chart.spec, key=key, filename=filename)
    if table and chart.table is not None:
        show_table(chart, key=key)


def download_buttons(spec: Spec, *, key: str, filename: str) -> None:
    """ "Download PNG / SVG" under a chart drawn under `key` (by `show`, or by a page that draws
    it itself, as the region's map does to take clicks): a small panel whose two buttons are
    drawn only while it is open. A download button costs the server about 0.7 ms on every run
    of its page (it registers its file's maker anew), and the overview has six charts; the file
    itself is drawn only when clicked."""
    if not export_available():
        st.error(_("Chart downloads are unavailable: the chart converter is not installed."))
        return
    panel = st.popover(
        _("Download {format}").format(format="PNG / SVG"),
        icon=":material/download:",
        type="tertiary",
        key=f"{key}.downloads",
        on_change="rerun",  # its .open says whether this run draws the buttons
    )
    if not panel.open:
        return
    name = safe_filename(filename)
    with panel:
        for fmt in ("png", "svg"):
            st.download_button(
                fmt.upper(),
                data=_deferred(spec, fmt),
                file_name=f"{name}.{fmt}",
                mime=MIME[fmt],
                key=f"{key}.{fmt}",
                help=_("Download this chart as {format}").format(format=fmt.upper()),
                icon=":material/download:",
                on_click="ignore",
                type="tertiary",
            )


def show_table(chart: PreparedChart, *, key: str) -> None:
    """ "Show as table" (closed at first): the chart's numbers, drawn only while it is open."""
    box = st.expander(
        _("Show as table"), key=f"{key}.table", icon=":material/table_view:", on_change="rerun"
    )
    if not box.open:
        return
    table = chart.table or {}
    config: dict[str, Any] = {}
    # Narrow columns, so that a half-page chart's table shows its numbers without scrolling.
    for column, title in zip(table.get("columns", []), chart.frame.columns, strict=True):
        if column.get("kind") == "link":
            config[title] = st.column_config.LinkColumn(
                title, display_text=str(table.get("link_text") or title)
            )
        elif column.get("kind") == "number":
            config[title] = st.column_config.NumberColumn(title, width="small")
        else:
            config[title] = st.column_config.TextColumn(title, width="medium")
    box.dataframe(
        chart.frame,
        hide_index=True,
        column_config=cast(Any, config),
        alt=str(table.get("title") or chart.alt) or None,
    )
