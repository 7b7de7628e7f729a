"""The /compare page: two or three countries theme by theme (?countries=AL,RS,XK), or two or
three practices field by field (?practices=12,40). The URL is the source of truth: every run
reads the choice from st.query_params, puts it into the picker, and a picker change writes the
URL back. Tables are Markdown with every cell escaped (render.escape_markdown)."""

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine
from sqlmodel import Session

from forumdash import charts, compare, i18n, repository
from forumdash.db import read_session
from forumdash.i18n import N_, _, ngettext
from forumdash.models import CountryPublic
from forumdash.translations import shown_text
from forumdash.ui import charts as chart_ui
from forumdash.ui import lang, navigation, render
from forumdash.versioned_cache import ViewCache

KEY = "compare."
MODES = {"countries": N_("Countries"), "practices": N_("Practices")}
DIFFERS = ":orange-badge[≠]"
EXAMPLES = [("AL", "RS", "XK"), ("MK", "ME"), ("BA", "HR", "PL")]


# --------------------------------------------------------------------------- the page


def show(engine: Engine) -> None:
    st.title(_("Compare"), anchor=False)
    st.caption(
        _(
            "Two or three countries side by side, theme by theme, or two or three practices "
            "field by field. The address of this page shares exactly what you see."
        )
    )
    mode = _mode()
    st.session_state[KEY + "mode"] = mode
    st.segmented_control(
        _("Compare"),
        list(MODES),
        # Labels made in this run's language (format_func may be called outside the run).
        format_func={mode: _(label) for mode, label in MODES.items()}.__getitem__,
        required=True,
        key=KEY + "mode",
        on_change=_on_mode,
        label_visibility="collapsed",
    )
    if mode == "practices":
        practices_view(engine)
    else:
        countries_view(engine)


def _mode() -> str:
    if "practices" in st.query_params:
        return "practices"
    if "countries" in st.query_params:
        return "countries"
    last: str = st.session_state.get(KEY + "last_mode", "countries")
    return last


def _on_mode() -> None:
    """Switch mode: remember the other mode's URL, restore this one's."""
    new = st.session_state.get(KEY + "mode") or "countries"
    old = "practices" if new == "countries" else "countries"
    if old in st.query_params:
        st.session_state[KEY + "params." + old] = st.query_params.get_all(old)
    st.session_state[KEY + "last_mode"] = new
    remembered = st.session_state.get(KEY + "params." + new)
    lang.set_url({new: remembered} if remembered else {})


MAX_NOTICES = 5


def _notices(notices: Iterable[str]) -> None:
    """Small notices about what the URL asked for and did not get (at most a few lines)."""
    notices = list(notices)
    for notice in notices[:MAX_NOTICES]:
        st.caption(":material/info: " + render.escape_markdown(notice))
    if len(notices) > MAX_NOTICES:
        more = len(notices) - MAX_NOTICES
        st.caption(
            ":material/info: "
            + ngettext("… and {n} more ignored.", "… and {n} more ignored.", more).format(n=more)
        )


def _href(page: str, **params: str) -> str:
    """A relative link to one of the app's pages, keeping the language."""
    return f"{page}?{urlencode(lang.params(params), doseq=True)}"


def _browse_link(count: int, **params: str) -> str:
    """A count as a link to /browse with these filters (zero stays plain)."""
    if not count:
        return ":gray[0]"
    return f"[{count}]({_href('browse', **params)})"


def _table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table of cells that are already escaped Markdown."""

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cell.replace("\n", " ") for cell in cells) + " |"

    return "\n".join(
        [line(header), "| " + " | ".join(["---"] * len(header)) + " |", *map(line, rows)]
    )


# --------------------------------------------------------------------------- countries

# The progress section's charts: (key, title, the comparison's frame, the /browse filter).
PROGRESS = (
    ("stage", N_("Stage reached"), "stages", "stage"),
    ("completion", N_("Completion"), "completion", "completion"),
    ("early_results", N_("Early results"), "early_results", None),
)


@dataclass(frozen=True)
class CountriesView:
    """Countries side by side and their charts, in one language at one records version,
    shared by every visitor who compares the same countries (read-only)."""

    data: compare.CountryComparison
    themes: chart_ui.PreparedChart
    progress: dict[str, chart_ui.PreparedChart]


def _build_countries(session: Session, codes: tuple[str, ...], language: str) -> CountriesView:
    with i18n.language(language):
        data = compare.country_comparison(session, codes)
        names = [compare.country_name(c) for c in data.countries]
        return CountriesView(
            data=data,
            themes=chart_ui.built(charts.compare_themes_chart, data.themes, codes=data.codes),
            progress={
                name: chart_ui.built(
                    charts.compare_distribution_chart,
                    getattr(data, frame),
                    countries=names,
                    title=_(title),
                )
                for name, title, frame, _param in PROGRESS
            },
        )


# Built once per records version, choice of countries and language, not on every rerun.
_COUNTRIES: ViewCache[CountriesView] = ViewCache(_build_countries, max_entries=64)


def _on_countries() -> None:
    chosen = st.session_state.get(KEY + "countries") or []
    lang.set_url({"countries": ",".join(chosen)} if chosen else {})


def countries_view(engine: Engine) -> None:
    with read_session(engine) as session:
        countries = repository.list_countries(session=session)
        by_code = {c.code: c for c in countries}
        selection = compare.parse_countries(st.query_params.get_all("countries"), by_code)
        view = (
            _COUNTRIES.get(session, tuple(selection.values), i18n.current().tag)
            if selection.enough
            else None
        )
    _notices(selection.notices)
    st.session_state[KEY + "countries"] = list(selection.values)
    st.multiselect(
        _("Countries (two or three)"),
        list(by_code),
        format_func={
            code: f"{compare.country_name(country)} ({code})" for code, country in by_code.items()
        }.__getitem__,
        max_selections=compare.MAX_ITEMS,
        placeholder=_("Choose two or three countries"),
        key=KEY + "countries",
        on_change=_on_countries,
        select_all=False,
    )
    if view is None:
        _countries_empty(by_code, len(selection.values))
        return
    data = view.data
    _country_headers(data)
    _themes(data, view.themes)
    _progress(data, view.progress)
    _commitments(data)
    _milestones(data)


def _countries_empty(by_code: dict[str, CountryPublic], chosen: int) -> None:
    st.info(
        _("Choose one more country to compare.")
        if chosen == 1
        else _(
            "Choose two or three countries to see their published practices theme by theme, "
            "the stages they reached, their assessed results, open challenges, OGP commitments "
            "and milestones side by side."
        ),
        icon=":material/compare_arrows:",
    )
    st.caption(_("Or start from one of these:"))
    for example in EXAMPLES:
        names = [compare.country_name(by_code[c]) for c in example if c in by_code]
        if len(names) == len(example):
            st.page_link(
                navigation.page("pages/compare.py"),
                label=render.escape_markdown(_list(names)),
                query_params=lang.params({"countries": ",".join(example)}),
                icon=":material/arrow_forward:",
            )


def _list(names: list[str]) -> str:
    """Two or three names as a sentence lists them: 'Albania, Serbia and Kosovo'."""
    if len(names) < 2:
        return "".join(names)
    return _("{names} and {last}").format(names=", ".join(names[:-1]), last=names[-1])


def _country_headers(data: compare.CountryComparison) -> None:
    """A card a country, side by side at every width (frame.NARROW_STYLE keeps the row whole
    on a phone, where Streamlit would stack the cards)."""
    cols = st.container(key=KEY + "heads").columns(len(data.countries), gap="medium")
    for column, country in zip(cols, data.countries, strict=True):
        with column.container(border=True, key=KEY + "head." + country.code):
            region = (
                _("Western Balkans") if country.region_group == "western_balkans" else _("Partner")
            )
            name = render.escape_markdown(compare.country_name(country))
            profile = _href("country", code=country.code)
            st.subheader(f"[{name}]({profile})", anchor=False)
            st.caption(render.escape_markdown(f"{country.name_local} · {region}"))
            left, right = st.columns(2)
            left.metric(_("Published practices"), data.figure(country.code, "practices"))
            right.metric(
                _("Open challenges"),
                data.figure(country.code, "open_challenges"),
                help=_(render.OPEN_CHALLENGES_HELP),
            )
            left.metric(_("OGP commitments"), data.figure(country.code, "commitments"))
            right.metric(_("Milestones"), data.figure(country.code, "milestones"))
            st.markdown(
                _("[Browse its practices]({browse}) · [Country profile]({profile})").format(
                    browse=_href("browse", country=country.code), profile=profile
                )
            )


def _names(data: compare.CountryComparison) -> list[str]:
    return [render.escape_markdown(compare.country_name(c)) for c in data.countries]


def _themes(data: compare.CountryComparison, chart: chart_ui.PreparedChart) -> None:
    st.subheader(_("Theme by theme"), anchor=False)
    practices = data.wide(data.themes, ["slug", "theme"], "practices")
    challenges = data.wide(data.themes, ["slug", "theme"], "open_challenges")
    rows: list[list[str]] = []
    empty: list[str] = []
    for (_p, p_row), (_c, c_row) in zip(practices.iterrows(), challenges.iterrows(), strict=True):
        if not any(p_row[code] or c_row[code] for code in data.codes):
            empty.append(p_row["theme"])
            continue
        cells = [f"**{render.escape_markdown(p_row['theme'])}**"]
        for code in data.codes:
            cell = _browse_link(int(p_row[code]), country=code, theme=p_row["slug"])
            if c_row[code]:
                n = int(c_row[code])
                badge = ngettext("{n} open challenge", "{n} open challenges", n).format(n=n)
                cell += f" :orange-badge[{badge}]"
            cells.append(cell)
        rows.append(cells)
    left, right = st.columns([1.25, 1], gap="large")
    with left:
        st.caption(
            _(
                "Published practices per theme (each number opens them on Browse) and, in "
                "orange, the open challenges countries raised under that theme. A practice has "
                "one to three themes, so a column adds up to more than the country's practices."
            )
        )
        st.markdown(_table([_("Theme"), *_names(data)], rows))
        if empty:
            st.caption(
                _("Nothing yet in these countries under: {themes}.").format(
                    themes=render.escape_markdown(", ".join(empty))
                )
            )
    with right:
        chart_ui.show(
            chart, key=KEY + "themes_chart", filename="practices-by-theme", width="stretch"
        )


def _distribution_table(
    data: compare.CountryComparison, frame: pd.DataFrame, param: str | None, title: str
) -> str:
    wide = data.wide(frame, ["order", "value", "label"], "practices").sort_values("order")
    rows = []
    for _index, row in wide.iterrows():
        if row["value"] == "" and not any(row[code] for code in data.codes):
            continue
        cells = [render.escape_markdown(row["label"])]
        for code in data.codes:
            n = int(row[code])
            if param and row["value"]:
                cells.append(_browse_link(n, country=code, **{param: row["value"]}))
            else:
                cells.append(str(n) if n else ":gray[0]")
        rows.append(cells)
    return _table([title, *_names(data)], rows)


def _progress(data: compare.CountryComparison, progress: dict[str, chart_ui.PreparedChart]) -> None:
    st.subheader(_("Stages reached, completion and early results"), anchor=False)
    st.caption(
        _(
            "Published practices by the stage they reached and by their assessment "
            "(self-assessed, by a CSO or by the IRM; see each practice). “Not rated”: not "
            "assessed yet."
        )
    )
    for name, title, frame, param in PROGRESS:
        # The table gets the wider half: with three long country names it ran past the page.
        left, right = st.columns([1, 1.15], gap="large")
        with left:
            chart_ui.show(
                progress[name],
                key=KEY + "chart." + name,
                filename=f"compared-{name.replace('_', '-')}",
                width="stretch",
            )
        right.markdown(_distribution_table(data, getattr(data, frame), param, _(title)))


def _commitments(data: compare.CountryComparison) -> None:
    st.subheader(_("OGP commitments and IRM ratings"), anchor=False)
    if not data.has_commitments():
        st.info(
            _(
                "No OGP commitments have been imported for these countries yet. Commitments and "
                "their ratings by OGP's Independent Reporting Mechanism (IRM) come from OGP's "
                "public export, which the organisers import; the forum's starting data has none."
            ),
            icon=":material/info:",
        )
        return
    st.caption(
        _(
            "As published by OGP. Completion is the IRM's end-of-term rating, else its mid-term "
            "one. Each country's commitments open from the links below."
        )
    )
    links = st.columns(len(data.countries))
    for column, country in zip(links, data.countries, strict=True):
        column.page_link(
            navigation.page("pages/commitments.py"),
            label=_("Commitments of {country}").format(
                country=render.escape_markdown(compare.country_name(country))
            ),
            query_params=lang.params({"country": country.code}),
            icon=":material/assignment:",
        )
    if len(data.countries) > 1:
        st.page_link(
            navigation.page("pages/commitments.py"),
            label=_("These countries' commitments together"),
            query_params=lang.params({"country": ",".join(data.codes)}),
            icon=":material/list:",
        )
    wide = data.wide(data.commitments, ["group", "order", "value", "label"], "commitments")
    rows = []
    for _index, row in wide.iterrows():
        if row["group"] != "Commitments" and not any(row[code] for code in data.codes):
            continue
        if row["group"] == "Commitments":
            label = f"**{render.escape_markdown(row['label'])}**"
        else:
            label = render.escape_markdown(
                _("{group}: {label}").format(group=_(row["group"]), label=row["label"])
            )
        rows.append([label, *(str(int(row[code])) for code in data.codes)])
    st.markdown(_table(["", *_names(data)], rows))


def _milestones(data: compare.CountryComparison) -> None:
    st.subheader(_("Milestones"), anchor=False)
    cols = st.columns(len(data.countries), gap="medium")
    for column, country in zip(cols, data.countries, strict=True):
        with column:
            st.markdown(f"**{render.escape_markdown(compare.country_name(country))}**")
            rows = data.milestones.loc[data.milestones["code"] == country.code]
            if rows.empty:
                st.caption(_("No milestones recorded yet."))
                continue
            st.markdown(
                "\n".join(
                    f"- **{render.escape_markdown(row.when)}** · "
                    + (f"{render.sample_badge()} " if row.is_sample else "")
                    + render.escape_markdown(row.title)
                    for row in rows.itertuples()
                )
            )


# --------------------------------------------------------------------------- practices


def _on_practices() -> None:
    chosen = st.session_state.get(KEY + "practices") or []
    lang.set_url({"practices": ",".join(map(str, chosen))} if chosen else {})


def practices_view(engine: Engine) -> None:
    selection = compare.parse_practice_ids(st.query_params.get_all("practices"))
    with read_session(engine) as session:
        result = compare.practice_comparison(session, selection.values)
        titles = repository.list_published_titles(session=session)
    notices = list(selection.notices) + [
        _(
            "There is no published practice with the id “{id}”: it may have been removed or "
            "not yet published."
        ).format(id=missing)
        for missing in result.missing
    ]
    _notices(notices)
    labels = {pid: f"{title} · {code}" for pid, title, code in titles}
    chosen = [p.id for p in result.practices]
    # The chosen ones named as their columns name them (in the reader's language).
    labels.update({p.id: f"{shown_text(p).title} · {p.country_code}" for p in result.practices})
    st.session_state[KEY + "practices"] = chosen
    st.multiselect(
        _("Practices (two or three)"),
        chosen + [pid for pid in labels if pid not in chosen],
        format_func=lambda pid: labels.get(pid, str(pid)),
        max_selections=compare.MAX_ITEMS,
        placeholder=_("Type to search the published practices by title"),
        key=KEY + "practices",
        on_change=_on_practices,
        select_all=False,
    )
    if len(result.practices) < compare.MIN_ITEMS:
        st.info(
            _("Choose one more practice to compare.")
            if result.practices
            else _(
                "Choose two or three published practices to see them side by side, field by "
                "field, with the fields where they differ marked. A practice's id is the number "
                "in its address (/practice?id=12)."
            ),
            icon=":material/compare_arrows:",
        )
        return
    _practice_table(result)


def _practice_table(result: compare.PracticeComparison) -> None:
    differing = int(result.frame["differs"].sum())
    only_differences = st.toggle(
        ngettext(
            "Show only the {n} field that differs",
            "Show only the {n} fields that differ",
            differing,
        ).format(n=differing),
        key=KEY + "only_differences",
    )
    st.caption(_("{mark} marks the fields whose values are not the same.").format(mark=DIFFERS))
    by_id = {str(p.id): p for p in result.practices}
    rows = []
    for record in result.frame.to_dict("records"):
        if only_differences and not record["differs"]:
            continue
        field = f"**{render.escape_markdown(record['field'])}**"
        cells = [f"{DIFFERS} {field}" if record["differs"] else field]
        for column in result.columns:
            value = record[column]
            practice = by_id[column]
            if record["key"] == "title":
                badge = f"{render.sample_badge()} " if practice.is_sample else ""
                href = _href("practice", id=str(practice.id))
                title = f"**[{render.escape_markdown(value)}]({href})**"
                cells.append(badge + title)
            elif record["key"] == "sources" and practice.sources:
                cells.append(
                    "; ".join(render.link_markdown(s.title, s.url) for s in practice.sources)
                )
            else:
                cells.append(render.escape_markdown(value))
        rows.append(cells)
    header = [
        _("Field"),
        *(
            render.escape_markdown(f"#{p.id} · {i18n.country_name(p.country_code, p.country_name)}")
            for p in result.practices
        ),
    ]
    st.markdown(_table(header, rows))
