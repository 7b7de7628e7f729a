"""The map of the region on the overview (shaded by practices, open challenges or commitments,
a click on a country opening its list, with the same counts as links beside it for keyboards
and screen readers), the locator map of a country's page, and the event display's map slide.

Every chart is built once per records version and language (ViewCache) or once per country
(the locator has no words), and shared by every session: a rerun only draws it."""

import base64
import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy import Engine
from sqlmodel import Session

from forumdash import display, i18n, region_map
from forumdash.db import read_session
from forumdash.i18n import _
from forumdash.region_map import METRICS, Metric
from forumdash.ui import charts as chart_ui
from forumdash.ui import lang, navigation, render
from forumdash.versioned_cache import ViewCache

KEY = "overview.map"
CountLink = tuple[str, str, dict[str, str | list[str]]]  # (page, label, the list's filters)


@dataclass(frozen=True)
class RegionView:
    """The map in one language at one records version (read-only, shared)."""

    counts: pd.DataFrame
    charts: dict[Metric, chart_ui.PreparedChart]
    alt_texts: dict[Metric, str]
    # Per metric: the counts' heading and links as drawn ([(page, label, filters)]).
    lists: dict[Metric, tuple[str, list[CountLink]]]


def _prepared(spec: dict[str, Any]) -> chart_ui.PreparedChart:
    """The map prepared for the screen with its boundaries as one `data:` URL instead of a
    named dataset: Streamlit turns a chart's specification into JSON and back up to four times
    a run, and the boundaries' nested arcs (27 kB) cost a map drawn with click selection some
    10 ms of every overview run; one string costs nothing. The exported files (vl-convert)
    keep the boundaries inline."""
    chart = chart_ui.prepare(spec)
    screen = dict(chart.screen)
    datasets = dict(screen.get("datasets") or {})
    topology = datasets.pop(region_map.TOPOLOGY_DATA, None)
    if topology is None:
        return chart
    encoded = base64.b64encode(json.dumps(topology, separators=(",", ":")).encode()).decode()
    source = {"url": "data:application/json;base64," + encoded}

    def swap(node: Any) -> Any:
        if isinstance(node, dict):
            data = node.get("data")
            if isinstance(data, dict) and data.get("name") == region_map.TOPOLOGY_DATA:
                node = node | {"data": {k: v for k, v in data.items() if k != "name"} | source}
            return {k: swap(v) if k != "datasets" else v for k, v in node.items()}
        if isinstance(node, list):
            return [swap(item) for item in node]
        return node

    screen = swap(screen) | {"datasets": datasets}
    return dataclasses.replace(chart, screen=screen)


def _build(session: Session, language: str) -> RegionView:
    with i18n.language(language):
        counts = region_map.counts_frame(session=session)
        return RegionView(
            counts=counts,
            charts={
                m: _prepared(region_map.spec(region_map.region_map(counts, metric=m)))
                for m in METRICS
            },
            alt_texts={m: region_map.alt_text(counts, m) for m in METRICS},
            lists={m: _links(counts, m) for m in METRICS},
        )


_VIEWS: ViewCache[RegionView] = ViewCache(_build, max_entries=24, warm=[(i18n.DEFAULT,)])


def _large(
    session: Session, language: str, countries: tuple[str, ...] = (), themes: tuple[str, ...] = ()
) -> tuple[chart_ui.PreparedChart, str]:
    with i18n.language(language):
        counts = region_map.counts_frame(session=session)
        if countries or themes:
            counts = _display_scope(session, counts, countries, themes)
        chart = _prepared(
            region_map.spec(region_map.region_map(counts, metric="practices", large=True))
        )
        return chart, region_map.alt_text(counts, "practices")


def _display_scope(
    session: Session, counts: pd.DataFrame, countries: tuple[str, ...], themes: tuple[str, ...]
) -> pd.DataFrame:
    """The counts of a display configured for some countries or themes, as its other slides
    count: the practices under its themes, and the countries it leaves out grey."""
    per_country = display.practices_by_country(
        session=session, config=display.DisplayConfig(countries=countries, themes=themes)
    )
    scoped = counts.copy()
    scoped["practices"] = scoped["code"].map(per_country).fillna(0).astype("int64")
    if countries:
        outside = ~scoped["code"].isin(countries)
        scoped.loc[outside, "forum"] = False
        scoped.loc[outside, "practices"] = 0
    return scoped


# Per language and the display's countries and themes (the overview's map is the unfiltered one).
_LARGE: ViewCache[tuple[chart_ui.PreparedChart, str]] = ViewCache(
    _large, max_entries=16, warm=[(i18n.DEFAULT,)]
)


def load(engine: Engine) -> RegionView:
    """The map in the visitor's language at the database's current records version."""
    with read_session(engine) as session:
        return _VIEWS.get(session, i18n.current().tag)


def _metric_label(metric: Metric) -> str:
    return _(METRICS[metric])


def overview_map(view: RegionView, *, key: str = KEY) -> None:
    """The map with its metric switch, its downloads, and the counts as links beside it; a
    click on a country opens its list (in the visitor's language)."""
    metrics: list[Metric] = list(METRICS)
    metric: Metric = (
        st.segmented_control(
            _("Shade the map by"),
            metrics,
            default="practices",
            required=True,
            format_func=_metric_label,
            key=f"{key}.metric",
        )
        or "practices"
    )
    chart = view.charts[metric]
    drawn, listed = st.columns([3, 2], gap="medium")
    with drawn:
        event = st.vega_lite_chart(
            chart.screen,
            key=f"{key}.{metric}",
            on_select="rerun",
            selection_mode=list(region_map.SELECTIONS),
            alt=view.alt_texts[metric],
        )
        chart_ui.download_buttons(chart.spec, key=f"{key}.{metric}", filename=f"map-{metric}")
    picked = _picked(event)
    if picked:
        page, params = region_map.link(metric, picked)
        st.switch_page(navigation.page(page), query_params=lang.params(params))
    with listed:
        _table(*view.lists[metric])


def _picked(event: object) -> str | None:
    """The country code a click selected, if any."""
    selection = getattr(event, "selection", None) or {}
    for name in region_map.SELECTIONS:  # the country's shape, or its label
        rows = selection.get(name) if isinstance(selection, dict) else None
        first = rows[0] if isinstance(rows, list) and rows else None
        code = first.get("code") if isinstance(first, dict) else None
        if code:
            return str(code)
    return None


def _links(counts: pd.DataFrame, metric: Metric) -> tuple[str, list[CountLink]]:
    """The heading and the links of the map's counts in the current language: (page, label
    "Kosovo · **12**", the list's filters) for each country of the forum."""
    heading = _("{what} per country").format(what=_metric_label(metric))
    rows = counts[counts["forum"]]
    links = []
    for code, country, n in zip(rows["code"], rows["country"], rows[metric], strict=True):
        page, params = region_map.link(metric, str(code))
        label = _("{country} · **{n}**").format(
            country=render.escape_markdown(str(country)), n=i18n.format_number(int(n))
        )
        links.append((page, label, params))
    return f"**{render.escape_markdown(heading)}**", links


def _table(heading: str, links: list[CountLink]) -> None:
    """The map's counts as a list of links, one country a row: what a keyboard or a screen
    reader uses instead of the shapes."""
    st.markdown(heading)
    language = lang.params()  # the visitor's language, kept by every link
    for page, label, params in links:
        st.page_link(navigation.page(page), label=label, query_params=params | language)


def _build_locator(
    session: Session, code: str, forum_codes: tuple[str, ...], language: str
) -> chart_ui.PreparedChart:
    del session  # the boundaries are in the file; the key keeps a language's words apart
    with i18n.language(language):  # its tooltip's words
        return _prepared(region_map.spec(region_map.locator_map(code, forum_codes)))


# Per country and language (a tooltip names the country): a cache of the lru kind once served
# one language's words to every reader.
_LOCATORS: ViewCache[chart_ui.PreparedChart] = ViewCache(_build_locator, max_entries=96)


def locator(engine: Engine, code: str, name: str, forum_codes: Sequence[str]) -> None:
    """A country's place on the small map of the region (nothing for a country the map lacks)."""
    if code not in region_map.mapped_codes():
        return
    with read_session(engine) as session:
        chart = _LOCATORS.get(session, code, tuple(forum_codes), i18n.current().tag)
    st.vega_lite_chart(chart.screen, key="country.locator", alt=region_map.locator_alt_text(name))


def display_map(session: Session, countries: tuple[str, ...], themes: tuple[str, ...]) -> None:
    """The event display's map slide: practices per country (of the display's countries and
    themes, as its other slides), names and counts written on it."""
    chart, text = _LARGE.get(session, i18n.current().tag, countries, themes)
    st.vega_lite_chart(chart.screen, key="display.map", alt=text, width="content")
