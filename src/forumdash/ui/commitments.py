"""The commitments list (/commitments) and one commitment's page (/commitment?id=AL0002). As on
the browse page the URL is the source of truth: every run reads the view from st.query_params,
and every widget change writes it back. Imported text is always escaped (forumdash.ui.render)."""

import datetime as dt
import functools
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import streamlit as st
from sqlalchemy.engine import Engine
from streamlit.delta_generator import DeltaGenerator

from forumdash import (
    commitment_export,
    commitment_filters,
    export,
    i18n,
    partial_dates,
    repository,
)
from forumdash import vocab as v
from forumdash.commitment_filters import (
    FACETS,
    PER_PAGE_CHOICES,
    CommitmentFacet,
    CommitmentFilters,
    CommitmentPage,
    KnownOptions,
)
from forumdash.commitment_ratings import RATINGS, Rating
from forumdash.db import read_session
from forumdash.i18n import N_, _, ngettext
from forumdash.models import Commitment, PracticeSummary
from forumdash.text import paragraphs, safe_url
from forumdash.ui import lang, narrow, navigation, render
from forumdash.urlparams import quoted

KEY = "commitments."
IMPORT_HELP = N_(
    "No OGP commitments have been imported yet. Organisers import OGP's commitment export (the "
    "wide CSV that OGP publishes, one row per commitment) on the **Review** page, under "
    "**Imports**, or with `python -m forumdash import ogp FILE`; the commitments of the forum's "
    "countries then appear here with their IRM ratings."
)
# The full text shows its first paragraphs up to about this many characters; the rest opens
# on demand (OGP's texts run to tens of thousands of characters).
LEAD_CHARS = 1200


# --------------------------------------------------------------------------- the list


@dataclass(frozen=True)
class ListData:
    """What the list needs from the database: every commitment, the countries' names in the
    forum's order, and the options URL parameters may name."""

    commitments: list[Commitment]
    country_names: dict[str, str]
    known: KnownOptions

    @property
    def names(self) -> dict[str, dict[str, str]]:
        """Labels of the data-driven facets' values (plans and areas label themselves), as the
        exports write them (the forum's English country names)."""
        return {"countries": self.country_names}

    @property
    def shown_names(self) -> dict[str, dict[str, str]]:
        """The same labels as the page shows them: country names in the current language."""
        return {"countries": shown_country_names(self.country_names)}


def shown_country_names(country_names: Mapping[str, str]) -> dict[str, str]:
    """{code: name} in the current language (CLDR's names; English keeps the forum's own)."""
    return {code: i18n.country_name(code, name) for code, name in country_names.items()}


def load_list(engine: Engine) -> ListData:
    """The imported commitments and the names the list shows."""
    with read_session(engine) as session:
        countries = {c.code: c.name_en for c in repository.list_countries(session=session)}
        commitments = repository.all_commitments(session=session)
    known = commitment_filters.known_options(commitments, countries)
    return ListData(commitments, countries, known)


def current_filters(data: ListData) -> CommitmentFilters:
    """The view named by the URL (unknown parameters become notices)."""
    st.session_state[KEY + "known"] = data.known
    return commitment_filters.from_params(_url_params(), data.known)


def _url_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def _changed(view: CommitmentFilters, **changes: object) -> None:
    """Apply a change to the view as the URL has it now (several widgets may change in one
    rerun; each callback builds on the others' changes)."""
    known = st.session_state.get(KEY + "known")
    if isinstance(known, KnownOptions):
        view = commitment_filters.from_params(_url_params(), known)
    lang.set_url(commitment_filters.to_params(view.with_changes(**changes)))


def _on_facet(view: CommitmentFilters, facet: CommitmentFacet) -> None:
    _changed(view, **{facet.name: tuple(st.session_state.get(KEY + facet.name) or ())})


def _on_text(view: CommitmentFilters) -> None:
    _changed(view, q=(st.session_state.get(KEY + "q") or "").strip())


def _on_per_page(view: CommitmentFilters) -> None:
    _changed(view, per_page=int(st.session_state[KEY + "per_page"]))


def _on_page(view: CommitmentFilters, key: str) -> None:
    _changed(view, page=int(st.session_state[key]))


def _clear() -> None:
    lang.set_url()


def _option_label(facet: CommitmentFacet, names: Mapping[str, str]) -> Callable[[str], str]:
    fixed = facet.fixed_options() or {}

    def label(value: str) -> str:
        return fixed.get(value) or names.get(value, value)

    return label


def _with_count(label: Callable[[str], str], counts: Mapping[str, int]) -> Callable[[str], str]:
    """An option as a pill shows it: its label and how many commitments it would give."""
    return lambda value: f"{label(value)} · {counts.get(value, 0)}"


def sidebar_filters(view: CommitmentFilters, page: CommitmentPage, data: ListData) -> None:
    """Facets with their counts under the other choices; zero options last, never hidden. In
    the sidebar, or under the Filters button at the top of the results (narrow.filters_panel)."""
    place = narrow.filters_panel(KEY, sum(len(view.choices(facet)) for facet in FACETS))
    with place:
        if narrow.in_sidebar(place):
            st.divider()
            st.markdown(_("**Filters**"))
        narrow.clear_filters_button(view.is_filtered(), KEY + "clear", _clear)
        for facet in FACETS:
            counts = page.counts.get(facet.name, {})
            chosen = view.choices(facet)
            options = commitment_filters.facet_options(facet, counts, chosen, data.known)
            label = _option_label(facet, data.shown_names.get(facet.name, {}))
            st.session_state[KEY + facet.name] = list(chosen)
            with st.expander(
                facet.label + (f" ({len(chosen)})" if chosen else ""),
                expanded=bool(chosen) or facet.name == "countries",
            ):
                if not options:
                    st.caption(_("None in the imported commitments."))
                    continue
                st.pills(
                    facet.label,
                    options,
                    selection_mode="multi",
                    format_func=_with_count(label, counts),
                    key=KEY + facet.name,
                    on_change=_on_facet,
                    args=(view, facet),
                    label_visibility="collapsed",
                )


def search_box(view: CommitmentFilters) -> None:
    st.session_state[KEY + "q"] = view.q
    st.text_input(
        _("Search commitments"),
        key=KEY + "q",
        on_change=_on_text,
        args=(view,),
        placeholder=_("Search identifiers, titles, full texts and institutions, in any script…"),
        icon=":material/search:",
        max_chars=1000,
        label_visibility="collapsed",
    )


def result_controls(view: CommitmentFilters, total: int) -> None:
    left, right = st.columns([3, 1])
    first = view.offset + 1 if total else 0
    last = min(view.offset + view.per_page, total)
    count = i18n.format_number(total)
    if total and first <= total:
        summary = ngettext(
            "**{n}** commitment · showing {first}–{last} · by country, action plan and number",
            "**{n}** commitments · showing {first}–{last} · by country, action plan and number",
            total,
        ).format(n=count, first=first, last=last)
    else:
        summary = ngettext(
            "**{n}** commitment · by country, action plan and number",
            "**{n}** commitments · by country, action plan and number",
            total,
        ).format(n=count)
    left.markdown(summary)
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


def pager(view: CommitmentFilters, total: int) -> None:
    """Page numbers; the widget's key names the view without its page (see browse.pager)."""
    pages = max(1, -(-total // view.per_page))
    if pages > 1:
        identity = sorted(commitment_filters.to_params(view.with_changes(page=1)).items())
        key = KEY + "page." + hashlib.sha1(repr(identity).encode()).hexdigest()[:10]
        st.pagination(
            pages, default=min(view.page, pages), key=key, on_change=_on_page, args=(view, key)
        )


def commitment_link(commitment: Commitment) -> None:
    """A commitment's title as a link to its page (same tab)."""
    st.page_link(
        navigation.page("pages/commitment.py"),
        label=f"**{render.escape_markdown(commitment.title)}**",
        query_params=lang.params({"id": commitment.identifier}),
        icon=":material/assignment:",
    )


def _when(commitment: Commitment) -> str:
    start = _date(commitment.start_date, commitment.start_precision)
    end = _date(commitment.end_date, commitment.end_precision)
    if commitment.ongoing and not end:
        end = _("ongoing")
    if start and end:
        return _("{start} – {end}").format(start=start, end=end)
    if start:
        return _("from {start}").format(start=start)
    return _("until {end}").format(end=end) if end else ""


def _date(date: dt.date | None, precision: v.DatePrecision | None) -> str:
    return partial_dates.format_date(date, precision) if date else ""


def facts(commitment: Commitment, country_names: Mapping[str, str]) -> list[str]:
    """The short facts of a list row: identifier, country (`country_names` as shown), plan,
    number, dates."""
    number = (
        _("Commitment {number}").format(number=commitment.commitment_number)
        if commitment.commitment_number
        else ""
    )
    return [
        commitment.identifier,
        country_names.get(commitment.country_code, commitment.country_code),
        commitment.action_plan,
        number,
        _when(commitment),
    ]


def _rating_chips(commitment: Commitment) -> str:
    parts = []
    for rating in RATINGS:
        if rating.field == "completion_midterm" and commitment.completion_end is not None:
            continue  # the end-of-term rating says more; the page shows both
        words = rating.words(commitment)
        if rating.field == "starred":
            if commitment.starred:
                starred = render.escape_markdown(rating.label)
                parts.append(f":orange-badge[:material/star: {starred}]")
        elif words:
            label = rating.label.rstrip("?؟")
            chip = _("{rating}: {value}").format(rating=label, value=words)
            parts.append(f":blue-badge[{render.escape_markdown(chip)}]")
        elif (written := _written_for(rating, commitment)) is not None:
            label = rating.label.rstrip("?؟")
            chip = _("{rating}: “{value}” (as written)").format(rating=label, value=written)
            parts.append(f":gray-badge[{render.escape_markdown(chip)}]")
    return " ".join(parts)


def result_cards(rows: Sequence[Commitment], country_names: Mapping[str, str]) -> None:
    """The page's commitments as cards: title link, facts (country names in the current
    language), rating chips."""
    shown = shown_country_names(country_names)
    for commitment in rows:
        with st.container(border=True):
            commitment_link(commitment)
            render.facts_line(facts(commitment, shown))
            chips = _rating_chips(commitment)
            if chips:
                st.markdown(chips)


def export_buttons(data: ListData, view: CommitmentFilters, total: int) -> None:
    """Download exactly the filtered commitments; a file is made only when its button is
    clicked."""
    st.caption(
        ngettext("Export this {n} commitment", "Export these {n} commitments", total).format(
            n=i18n.format_number(total)
        )
    )
    for fmt, (mime, _suffix) in export.FORMATS.items():
        st.download_button(
            _("Download {format}").format(format=fmt.upper()),
            data=functools.partial(_export, data, view, fmt),
            file_name=commitment_export.filename(view.countries, fmt),
            mime=mime,
            key=KEY + "export." + fmt,
            icon=":material/download:",
            on_click="ignore",
            disabled=total == 0,
            width="stretch",
        )


def _export(data: ListData, view: CommitmentFilters, fmt: str) -> bytes:
    chosen = commitment_filters.matching(data.commitments, view, list(data.country_names))
    return commitment_export.export_commitments(chosen, fmt, view, names=data.names)


# --------------------------------------------------------------------------- one commitment


@dataclass(frozen=True)
class CommitmentView:
    """One commitment's page: the commitment, its country's name, the practices linked to it."""

    commitment: Commitment
    country_name: str
    practices: list[PracticeSummary]
    theme_names: dict[str, str]


def load_commitment(engine: Engine, raw_id: str) -> CommitmentView | None:
    """The commitment the URL names, or None for a missing, malformed or unknown identifier."""
    identifier = raw_id.strip()
    if not identifier or len(identifier) > 40 or not identifier.isprintable():
        return None
    with read_session(engine) as session:
        found = repository.get_commitment(session=session, identifier=identifier)
        if found is None:
            return None
        country = repository.get_country(session=session, code=found.country_code)
        return CommitmentView(
            commitment=found,
            country_name=i18n.country_name(country.code, country.name_en)
            if country
            else found.country_code,
            practices=repository.practices_of_commitment(session=session, commitment=found),
            theme_names=repository.theme_names(session=session),
        )


def not_found(raw_id: str) -> None:
    """The page of an identifier that names no imported commitment."""
    st.title(_("Commitment not found"), anchor=False)
    if raw_id.strip():
        st.warning(
            _(
                "There is no imported OGP commitment with the identifier “{identifier}”. "
                "Identifiers look like AL0002 (a country code and a number), as in OGP's export."
            ).format(identifier=render.escape_markdown(quoted(raw_id, 40))),
            icon=":material/search_off:",
        )
    else:
        st.info(_("No commitment was named: open one from the list."), icon=":material/info:")
    st.page_link(
        navigation.page("pages/commitments.py"),
        label=_("All OGP commitments"),
        query_params=lang.params(),
        icon=":material/list:",
    )


def header(view: CommitmentView) -> None:
    item = view.commitment
    st.title(render.escape_markdown(item.title), anchor=False)
    number = (
        _("commitment {number}").format(number=item.commitment_number)
        if item.commitment_number
        else ""
    )
    plan = _("action plan {plan}").format(plan=item.action_plan) if item.action_plan else ""
    identifier = _("OGP commitment {identifier}").format(identifier=item.identifier)
    render.facts_line([identifier, view.country_name, plan, number])
    when = _when(item)
    summary = [
        when,
        _("led by {institution}").format(institution=item.lead_institution)
        if item.lead_institution
        else "",
    ]
    if any(summary):
        render.text(" · ".join(x for x in summary if x))
    if item.short_title and item.short_title != item.title:
        render.text(item.short_title, prefix=_("**Short title:**") + " ")
    links = st.columns(3)
    links[0].page_link(
        navigation.page("pages/commitments.py"),
        label=_("All commitments of {country}").format(
            country=render.escape_markdown(view.country_name)
        ),
        query_params=lang.params({"country": item.country_code}),
        icon=":material/list:",
    )
    if item.action_plan:
        links[1].page_link(
            navigation.page("pages/commitments.py"),
            label=_("This action plan"),
            query_params=lang.params({"plan": item.action_plan}),
            icon=":material/event_note:",
        )
    links[2].page_link(
        navigation.page("pages/country.py"),
        label=_("{country}'s profile").format(country=render.escape_markdown(view.country_name)),
        query_params=lang.params({"code": item.country_code}),
        icon=":material/flag:",
    )


def full_text(item: Commitment) -> None:
    """The full text by paragraphs: the first ones shown, the rest behind an expander."""
    st.subheader(_("Full text"), anchor=False)
    blocks = paragraphs(item.text)
    if not blocks:
        st.caption(_("OGP's export gives no full text for this commitment."))
        return
    lead: list[str] = []
    used = 0
    for block in blocks:
        if lead and used + len(block) > LEAD_CHARS:
            break
        lead.append(block)
        used += len(block)
    st.markdown(_paragraphs_markdown(lead))
    rest = blocks[len(lead) :]
    if rest:
        characters = sum(len(block) for block in rest)
        label = ngettext(
            "Show the full text ({n} more paragraph, {characters} characters)",
            "Show the full text ({n} more paragraphs, {characters} characters)",
            len(rest),
        ).format(n=len(rest), characters=i18n.format_number(characters))
        with st.expander(label):
            st.markdown(_paragraphs_markdown(rest))


def _paragraphs_markdown(blocks: Sequence[str]) -> str:
    """Paragraphs as inert Markdown; a paragraph's own line breaks (a list typed with dashes or
    bullets) stay line breaks."""
    return "\n\n".join(render.escape_markdown(block).replace("\n", "  \n") for block in blocks)


def details(view: CommitmentView) -> None:
    """The side panel: dates, institutions, policy areas, OGP values, OGP's page."""
    item = view.commitment
    with st.container(border=True):
        st.markdown(_("**Dates**"))
        start = _date_line(item, _date(item.start_date, item.start_precision), START)
        end = _date(item.end_date, item.end_precision)
        if not end and item.ongoing:
            end = _("Ongoing (no end date given)")
        else:
            end = _date_line(item, end, END)
            if item.ongoing:
                end = _("{date} (marked ongoing)").format(date=end)
        st.markdown(
            _("Start: {start}").format(start=render.escape_markdown(start))
            + "  \n"
            + _("End: {end}").format(end=render.escape_markdown(end))
        )
        if any(column in item.as_written for column in (START, END)):
            st.caption(
                ":material/warning: "
                + _(
                    "A date in quotes is as OGP wrote it: the importer could not read it, or "
                    "only in part."
                )
            )
        st.markdown(_("**Lead institution**"))
        render.text(item.lead_institution or _("Not given"))
        if item.supporting_institutions:
            st.markdown(_("**Supporting institutions**"))
            render.text(item.supporting_institutions)
        st.markdown(_("**Policy areas**"))
        if item.policy_areas:
            render.chips(item.policy_areas)
        else:
            st.caption(_("None given"))
        st.markdown(_("**OGP values**"))
        if item.ogp_values:
            render.chips([_value_label(value) for value in item.ogp_values])
        else:
            st.caption(_("None given"))
        if item.url:
            st.markdown(_("**On OGP's site**"))
            target = safe_url(item.url)
            if target is not None:
                host = urlsplit(target).hostname or target
                link = _("This commitment on {host}").format(host=host)
                st.markdown(render.link_markdown(link, target))
            else:
                st.caption(
                    _(
                        "OGP's export gives a link that is not a web address, so it is not "
                        "linked: “{link}”"
                    ).format(link=render.escape_markdown(quoted(item.url, 60)))
                )


# OGP's date columns: where the importer could not read a date, it keeps the cell under these.
START, END = "Start Date", "End Date"


def _date_line(item: Commitment, shown: str, column: str) -> str:
    """A date as read, with what OGP wrote where the importer read only part of it (`mid-2015`
    read as 2015) or none of it."""
    written = item.as_written.get(column)
    if shown and written:
        return _("{date} (OGP wrote “{written}”)").format(date=shown, written=written)
    if written:
        return _("“{written}” (as written)").format(written=written)
    return shown or _("Not given")


def _value_label(value: str) -> str:
    return v.OgpValue(value).label if value in v.OgpValue.values() else value


def _written_for(rating: Rating, item: Commitment) -> str | None:
    """What OGP wrote in this rating's column, where the importer did not recognise it."""
    for key in (rating.column, rating.field):
        if key in item.as_written:
            return item.as_written[key]
    return None


def ratings(item: Commitment) -> None:
    """Every IRM rating in words, with what its scale means; unrecognised values as written."""
    st.subheader(_("IRM ratings"), anchor=False)
    st.caption(
        _("Ratings by OGP's Independent Reporting Mechanism (IRM), as published in OGP's export.")
    )
    # Two cards a row, a row at a time: on a phone the columns stack, and the cards keep the
    # scales' order.
    for first in range(0, len(RATINGS), 2):
        pair = RATINGS[first : first + 2]
        for column, rating in zip(st.columns(2, gap="medium"), pair, strict=False):
            _rating_card(column, rating, item)


def _rating_card(column: DeltaGenerator, rating: Rating, item: Commitment) -> None:
    """One rating: its value in words (or as written, or "Not rated") and its meaning."""
    with column.container(border=True, height="stretch"):
        words = rating.words(item)
        written = _written_for(rating, item)
        st.caption(rating.label)
        if words:
            icon = ":material/star: " if rating.field == "starred" and item.starred else ""
            st.markdown(f"{icon}**{render.escape_markdown(words)}**")
        elif written is not None:
            st.markdown(
                _("**“{written}”** (as written)").format(written=render.escape_markdown(written))
            )
            st.caption(
                ":material/warning: "
                + _(
                    "As OGP wrote it: the importer did not recognise this value on the scale, "
                    "so it is shown exactly as written."
                )
            )
        else:
            st.markdown(_("Not rated"))
        st.caption(render.escape_markdown(rating.meaning))


def other_as_written(item: Commitment) -> None:
    """Values of other columns kept as written (not a rating)."""
    shown = {key for rating in RATINGS for key in (rating.column, rating.field)} | {START, END}
    others = {key: value for key, value in item.as_written.items() if key not in shown}
    if not others:
        return
    st.subheader(_("Values kept as written"), anchor=False)
    st.caption(
        _(
            "The importer did not recognise these values of OGP's export, so they are kept and "
            "shown exactly as OGP wrote them."
        )
    )
    st.markdown(
        "\n".join(
            f"- **{render.escape_markdown(column)}**: {render.escape_markdown(value)}"
            for column, value in others.items()
        )
    )


def linked_practices(view: CommitmentView) -> None:
    st.subheader(_("Practices linked to this commitment"), anchor=False)
    if not view.practices:
        st.caption(_("No published practice of the forum is linked to this commitment yet."))
        return
    for row in view.practices:
        with st.container(border=True):
            render.practice_link(row.id, row.title)
            render.facts_line(
                [
                    i18n.country_name(row.country_code, row.country_name),
                    *(i18n.data_label(view.theme_names.get(t, t)) for t in row.themes),
                ],
                sample=row.is_sample,
            )
