"""The browse page's widgets. The URL is the source of truth: every run reads the view from
st.query_params, puts it into the widgets, and every widget change writes the URL back."""

import functools
import hashlib
from collections.abc import Callable

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine
from sqlmodel import Session

from forumdash import export, filters, i18n, repository
from forumdash.db import read_session
from forumdash.filters import FACETS, PER_PAGE_CHOICES, SORTS, Facet, PracticeFilters
from forumdash.i18n import N_, _, ngettext, pgettext
from forumdash.models import PracticeSummary
from forumdash.translations import shown_text
from forumdash.ui import lang, narrow, render

KEY = "browse."


def current_filters(countries: list[str], themes: list[str]) -> PracticeFilters:
    """The view named by the URL (unknown parameters become notices)."""
    st.session_state[KEY + "known"] = (countries, themes)
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    return filters.from_params(params, countries=countries, themes=themes)


def _write_url(view: PracticeFilters) -> None:
    lang.set_url(filters.to_params(view))


def _changed(view: PracticeFilters, **changes: object) -> None:
    """Apply a change to the view as the URL has it now: several widgets can change in one
    rerun, and each callback must build on the others' changes, not on the drawn view."""
    countries, themes = st.session_state.get(KEY + "known", ([], []))
    if countries:
        params = {key: st.query_params.get_all(key) for key in st.query_params}
        view = filters.from_params(params, countries=countries, themes=themes)
    _write_url(view.with_changes(**changes))


def _on_facet(view: PracticeFilters, facet: Facet) -> None:
    chosen = tuple(st.session_state.get(KEY + facet.name) or ())
    _changed(view, **{facet.name: chosen})


def _on_years(view: PracticeFilters, bounds: tuple[int, int]) -> None:
    low, high = st.session_state[KEY + "years"]
    _changed(
        view,
        year_from=None if low == bounds[0] else low,
        year_to=None if high == bounds[1] else high,
    )


def _on_text(view: PracticeFilters) -> None:
    _changed(view, q=(st.session_state.get(KEY + "q") or "").strip())


def _on_sort(view: PracticeFilters) -> None:
    _changed(view, sort=st.session_state[KEY + "sort"])


def _on_per_page(view: PracticeFilters) -> None:
    _changed(view, per_page=int(st.session_state[KEY + "per_page"]))


def _on_page(view: PracticeFilters, key: str) -> None:
    _changed(view, page=int(st.session_state[key]))


def _clear() -> None:
    lang.set_url()


def _option_label(facet: Facet, names: dict[str, str]) -> Callable[[str], str]:
    def label(value: str) -> str:
        if facet.vocabulary is not None:
            return facet.vocabulary(value).label
        if facet.name == "countries":
            return i18n.country_name(value, names.get(value, value))
        return i18n.data_label(names.get(value, value))

    return label


def _counted_label(label: Callable[[str], str], counts: dict[str, int], value: str) -> str:
    return f"{label(value)} · {i18n.format_number(counts.get(value, 0))}"


def sidebar_filters(
    view: PracticeFilters,
    counts: dict[str, dict[str, int]],
    names: dict[str, dict[str, str]],
    bounds: tuple[int, int] | None,
) -> None:
    """Facets with their counts under the other choices; zero options last, never hidden. In
    the sidebar, or under the Filters button at the top of the results (narrow.filters_panel)."""
    chosen_count = sum(len(view.choices(facet)) for facet in FACETS)
    chosen_count += view.year_from is not None or view.year_to is not None
    place = narrow.filters_panel(KEY, chosen_count)
    with place:
        if narrow.in_sidebar(place):
            st.divider()
            st.markdown("**{filters}**".format(filters=_("Filters")))
        narrow.clear_filters_button(view.is_filtered(), KEY + "clear", _clear)
        for facet in FACETS:
            facet_counts = counts.get(facet.name, {})
            all_values = facet.vocabulary.values() if facet.vocabulary else list(names[facet.name])
            chosen = view.choices(facet)
            options = [x for x in all_values if facet_counts.get(x) or x in chosen] + [
                x for x in all_values if not facet_counts.get(x) and x not in chosen
            ]
            label = _option_label(facet, names.get(facet.name, {}))
            st.session_state[KEY + facet.name] = list(chosen)
            heading = _(facet.label)
            with st.expander(
                _("{facet} ({n})").format(facet=heading, n=len(chosen)) if chosen else heading,
                expanded=bool(chosen) or facet.name in ("countries", "themes"),
            ):
                st.pills(
                    heading,
                    options,
                    selection_mode="multi",
                    format_func=functools.partial(_counted_label, label, facet_counts),
                    key=KEY + facet.name,
                    on_change=_on_facet,
                    args=(view, facet),
                    label_visibility="collapsed",
                )
        if bounds and bounds[0] < bounds[1]:
            low = max(bounds[0], min(view.year_from or bounds[0], bounds[1]))
            high = min(bounds[1], max(view.year_to or bounds[1], bounds[0]))
            st.session_state[KEY + "years"] = (min(low, high), max(low, high))
            st.slider(
                _("Start year"),
                min_value=bounds[0],
                max_value=bounds[1],
                key=KEY + "years",
                on_change=_on_years,
                args=(view, bounds),
            )


def search_box(view: PracticeFilters) -> None:
    st.session_state[KEY + "q"] = view.q
    st.text_input(
        _("Search practices"),
        key=KEY + "q",
        on_change=_on_text,
        args=(view,),
        placeholder=_(
            "Search titles, summaries, bodies and institutions, in any script: {examples}…"
        ).format(examples=", ".join(SEARCH_EXAMPLES)),
        icon=":material/search:",
        max_chars=1000,
        label_visibility="collapsed",
    )


def result_controls(view: PracticeFilters, total: int) -> None:
    left, mid, right = st.columns([3, 1.3, 1])
    first = view.offset + 1 if total else 0
    last = min(view.offset + view.per_page, total)
    counted = ngettext("**{n}** practice", "**{n}** practices", total).format(
        n=i18n.format_number(total)
    )
    if total:
        counted = _("{counted} · showing {first}–{last}").format(
            counted=counted, first=i18n.format_number(first), last=i18n.format_number(last)
        )
    left.markdown(counted)
    sorts = [s for s in SORTS if s != "relevance" or view.query]
    st.session_state[KEY + "sort"] = view.effective_sort
    mid.selectbox(
        _("Sort by"),
        sorts,
        format_func=lambda sort: _(SORTS[sort]),
        key=KEY + "sort",
        on_change=_on_sort,
        args=(view,),
        label_visibility="collapsed",
    )
    st.session_state[KEY + "per_page"] = view.per_page
    right.selectbox(
        _("Per page"),
        PER_PAGE_CHOICES,
        format_func=lambda n: ngettext("{n} per page", "{n} per page", n).format(n=n),
        key=KEY + "per_page",
        on_change=_on_per_page,
        args=(view,),
        label_visibility="collapsed",
    )


def pager(view: PracticeFilters, total: int) -> None:
    """Page numbers. The widget's key names the view without its page, so that a new view
    starts a new widget on its own page (st.pagination keeps its state per key)."""
    pages = max(1, -(-total // view.per_page))
    if pages > 1:
        identity = sorted(filters.to_params(view.with_changes(page=1)).items())
        key = KEY + "page." + hashlib.sha1(repr(identity).encode()).hexdigest()[:10]
        st.pagination(
            pages,
            default=min(view.page, pages),
            key=key,
            on_change=_on_page,
            args=(view, key),
        )


def result_cards(rows: list[PracticeSummary], theme_names: dict[str, str]) -> None:
    for row in rows:
        text = shown_text(row)  # the reader's language where a translation is published
        with st.container(border=True):
            render.practice_link(row.id, text.title)
            # Facts, themes and summary in one element, as plain text (escaped).
            facts = render.facts_markdown(
                [
                    i18n.country_name(row.country_code, row.country_name),
                    row.stage.label,
                    row.period,
                    text.notice(),
                ],
                sample=row.is_sample,
                small=True,
            )
            render.card(
                facts,
                render.chips_markdown([i18n.data_label(theme_names.get(t, t)) for t in row.themes]),
                render.escape_markdown(render.plain_excerpt(text.summary, 320)),
            )


def words_not_found(words: tuple[str, ...]) -> None:
    """Say which words of the search no practice in the view holds (as they were typed)."""
    if words:
        quoted = ", ".join(f"“{render.escape_markdown(w.strip('“”'))}”" for w in words)
        st.caption(
            ":material/search_off: " + _("No practice here contains {words}.").format(words=quoted)
        )


ALSO_MATCHING = N_("Also matching some of your words")


def also_matching(rows: list[PracticeSummary], theme_names: dict[str, str]) -> None:
    """The practices that meet most (not all) of the search's words, below the full matches."""
    if rows:
        st.subheader(_(ALSO_MATCHING), divider="gray")
        result_cards(rows, theme_names)


def result_table(rows: list[PracticeSummary], theme_names: dict[str, str]) -> pd.DataFrame:
    frame = page_frame(rows, theme_names)
    st.dataframe(
        frame,
        hide_index=True,
        column_config={
            "title": st.column_config.TextColumn(_("Title")),
            "country": st.column_config.TextColumn(_("Country")),
            "themes": st.column_config.TextColumn(_("Themes")),
            "stage": st.column_config.TextColumn(_("Stage")),
            "since": st.column_config.NumberColumn(_("Since"), format="%d"),
            "link": st.column_config.LinkColumn(
                pgettext("link", "Open"), display_text=pgettext("link", "Open"), width="small"
            ),
            "sample": st.column_config.CheckboxColumn(_("Sample")),
        },
        key=KEY + "table",
    )
    return frame


def page_frame(rows: list[PracticeSummary], theme_names: dict[str, str]) -> pd.DataFrame:
    """The current page as a table: what travels to the browser in table view. Text cells are
    neutralised like exports, since the table's own toolbar downloads it as CSV."""
    return safe_frame(
        pd.DataFrame(
            [
                {
                    "title": shown_text(r).title,
                    "country": i18n.country_name(r.country_code, r.country_name),
                    "themes": ", ".join(i18n.data_label(theme_names.get(t, t)) for t in r.themes),
                    "stage": r.stage.label,
                    "since": r.start_year,
                    "sample": r.is_sample,
                    "link": _practice_url(r.id),
                }
                for r in rows
            ],
            columns=["title", "country", "themes", "stage", "since", "sample", "link"],
        )
    )


def _practice_url(practice_id: int) -> str:
    """A practice's address that keeps the reader's language."""
    tag = i18n.current().tag
    return f"/practice?id={practice_id}" + ("" if tag == i18n.DEFAULT else f"&lang={tag}")


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet could run as formulas get a leading quote."""
    safe: pd.DataFrame = frame.apply(
        lambda column: column.map(lambda x: export.neutralise(x) if isinstance(x, str) else x)
    )
    return safe


# Shown in the search box; each finds something in the shipped seed (tested).
SEARCH_EXAMPLES = ("budget", '"open data"', "otvoreni parlament", "еКонсултације")


def export_buttons(engine: Engine, view: PracticeFilters, total: int) -> None:
    """Download exactly the filtered results; the file is made only when a button is clicked."""
    st.caption(
        ngettext("Export this {n} result", "Export these {n} results", total).format(
            n=i18n.format_number(total)
        )
    )
    # One under the other: three side by side in the sidebar cut their labels to "C…".
    for fmt, (mime, _encoding) in export.FORMATS.items():
        st.download_button(
            _("Download {format}").format(format=fmt.upper()),
            data=functools.partial(_export, engine, view, fmt),
            file_name=export.filename(view, fmt),
            mime=mime,
            key=KEY + "export." + fmt,
            icon=":material/download:",
            on_click="ignore",
            disabled=total == 0,
            width="stretch",
        )


def _export(engine: Engine, view: PracticeFilters, fmt: str) -> bytes:
    with read_session(engine) as session:
        practices = repository.matching_practices(session=session, filters=view)
    return export.export(practices, fmt, view)


def facet_names(engine: Engine) -> dict[str, dict[str, str]]:
    """The countries' and themes' names (shared per records version: read-only)."""
    with read_session(engine) as session:
        return names_of(session)


def names_of(session: Session) -> dict[str, dict[str, str]]:
    """facet_names in a session the page reads more in."""
    names = repository.reference_names(session=session)
    return {"countries": names.countries, "themes": names.themes}
