"""Peer exchange (/exchange): the requests and suggestions a focal point or an organiser answers
for, with forms to move a request (date, note, reason), make the adopting country's draft, turn
a suggestion into a draft or decline it; for organisers, the regional view (a heatmap whose
cells open the list filtered to their pair, requests over time) and the export.

Every action runs in a button's callback with the status the person saw bound when the form
was drawn, so that a move someone made meanwhile (another tab, another focal point) is refused
by forumdash.exchange instead of overwritten. A refused action keeps what was typed.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import streamlit as st
from sqlalchemy.engine import Engine

from forumdash import auth, exchange, i18n, urlparams, workflow
from forumdash import vocab as v
from forumdash.auth import SessionUser
from forumdash.charts import exchange_heatmap, requests_over_time_chart
from forumdash.db import read_session, write_session
from forumdash.exchange import DraftChoices, RequestFilters, RequestView, SuggestionView
from forumdash.i18n import N_, _, ngettext
from forumdash.ui import charts as chart_ui
from forumdash.ui import lang, navigation, render
from forumdash.ui.session import acting

KEY = "exchange."
FLASH = KEY + "flash"
ALL = ""  # a filter that keeps everything
STATUS_CHOICES = {
    "open": N_("Waiting for a step"),
    "all": N_("All"),
    **{s.value: s.value for s in v.ExchangeStatus},
}
# A request's status as a badge: open ones blue, adopted green, declined grey.
STATUS_COLOURS = {
    v.ExchangeStatus.requested: "orange",
    v.ExchangeStatus.in_contact: "blue",
    v.ExchangeStatus.held: "violet",
    v.ExchangeStatus.adopted: "green",
    v.ExchangeStatus.declined: "gray",
}
FAILURES = (auth.PermissionDenied, exchange.ExchangeError, workflow.WorkflowError)
# What an inbox notice links to: /exchange?request=ID or ?suggestion=ID.
FOCUS_KINDS = ("request", "suggestion")
LARGEST_ID = 2**31 - 1  # PostgreSQL's integer: a larger number is no record's id


@dataclass(frozen=True)
class Focus:
    """The one request or suggestion the URL points at; `id` is None when it is malformed."""

    kind: str
    id: int | None


def _focus() -> Focus | None:
    """The request or suggestion named by the URL, if it names one."""
    for kind in FOCUS_KINDS:
        raw = st.query_params.get(kind)
        if raw is not None:
            return Focus(kind, urlparams.whole_number(raw, 1, LARGEST_ID))
    return None


def _unfocus(kind: str, tab: str) -> None:
    """Back to the full list on the same tab: the URL no longer names one record."""
    if kind in st.query_params:
        del st.query_params[kind]
    # The tabs' default follows the URL: without this, leaving a suggestion's link would
    # open the Requests tab.
    st.session_state[KEY + "tab"] = tab


def show(
    engine: Engine, user: SessionUser | None, countries: dict[str, str], themes: dict[str, str]
) -> None:
    """The page for a signed-in answerer (anyone else is told to sign in, and sees nothing)."""
    st.title(_("Peer exchange"))
    if not auth.can_submit(user):
        st.info(
            _(
                "Country focal points and organisers sign in to answer peer-exchange requests "
                "and participants' suggestions."
            )
        )
        st.page_link(
            navigation.page("pages/login.py"),
            label=_("Sign in"),
            icon=":material/login:",
            query_params=lang.params(),
        )
        return
    assert user is not None
    _flash()
    names = {code: i18n.country_name(code, name) for code, name in countries.items()}
    labels = [_("Requests"), _("Suggestions")]
    if auth.is_organiser(user):
        labels.append(_("Regional view"))
    focus = _focus()
    # A suggestion's link opens its tab (once: the person may then switch tabs as usual).
    opened = labels[1] if focus and focus.kind == "suggestion" else None
    tabs = st.tabs(labels, default=opened, key=KEY + "tab", on_change="rerun")
    with tabs[0]:
        requests(engine, user, names, themes, focus if focus and focus.kind == "request" else None)
    with tabs[1]:
        suggestions(
            engine, user, names, themes, focus if focus and focus.kind == "suggestion" else None
        )
    if len(tabs) > 2:
        with tabs[2]:
            regional(engine, user)


MADE = KEY + "made"  # the draft just made: (kind, id), linked under the message


def _flash() -> None:
    message = st.session_state.pop(FLASH, None)
    if message:
        kind, text = message
        (st.error if kind == "error" else st.success)(render.escape_markdown(text))
        icon = ":material/error:" if kind == "error" else ":material/check_circle:"
        st.toast(render.escape_markdown(text), icon=icon)
    made = st.session_state.pop(MADE, None)
    if made:
        record, record_id = made
        st.page_link(
            navigation.page("pages/submit.py"),
            label=_("Open the draft"),
            icon=":material/edit_note:",
            query_params=lang.params({"kind": record, "id": str(record_id)}),
        )


def _run(engine: Engine, action: Callable[[Any], object], done: str) -> bool:
    """Run one action in a write transaction; say what happened (or why nothing did)."""
    try:
        with write_session(engine) as session:
            action(session)
    except FAILURES as exc:
        st.session_state[FLASH] = ("error", str(exc))
        return False
    st.session_state[FLASH] = ("success", done)
    return True


def _country(names: dict[str, str], code: str | None) -> str:
    return names.get(code, code) if code else _("not said")


# --------------------------------------------------------------------------- requests


def _filters_from_url(user: SessionUser, names: dict[str, str]) -> RequestFilters:
    """The list's filters, from the widgets (which start from the URL's ?from=&to=&status=)."""
    params = st.query_params
    source = params.get("from", ALL).strip()
    target = params.get("to", ALL).strip().upper()
    status = params.get("status", "open").strip()
    from_options = [ALL, *names, exchange.NOT_SAID]
    to_options = [ALL, *names]
    if KEY + "from" not in st.session_state:
        code = source.upper() if source != exchange.NOT_SAID else source
        st.session_state[KEY + "from"] = code if code in from_options else ALL
        st.session_state[KEY + "to"] = target if target in to_options else ALL
        st.session_state[KEY + "status"] = status if status in STATUS_CHOICES else "open"
    columns = st.columns(3 if auth.is_organiser(user) else 2)
    chosen = columns[0].selectbox(
        _("Status"),
        list(STATUS_CHOICES),
        format_func=lambda s: (
            v.ExchangeStatus(s).label if s in v.ExchangeStatus.values() else _(STATUS_CHOICES[s])
        ),
        key=KEY + "status",
        help=_("Waiting for a step: requested, in contact, held, or adopted without its draft."),
    )
    asking = columns[1].selectbox(
        _("Asking country"),
        from_options,
        format_func=lambda c: (
            _("All") if c == ALL else _country(names, None if c == exchange.NOT_SAID else c)
        ),
        key=KEY + "from",
    )
    asked = ALL
    if auth.is_organiser(user):
        asked = columns[2].selectbox(
            _("Asked country"),
            to_options,
            format_func=lambda c: _("All") if c == ALL else names.get(c, c),
            key=KEY + "to",
        )
    statuses: tuple[v.ExchangeStatus, ...] = ()
    if chosen not in ("open", "all"):
        statuses = (v.ExchangeStatus(chosen),)
    return RequestFilters(
        statuses=statuses,
        waiting=chosen == "open",
        to_country=asked or None,
        from_country=asking or None,
    )


def requests(
    engine: Engine,
    user: SessionUser,
    names: dict[str, str],
    themes: dict[str, str],
    focus: Focus | None = None,
) -> None:
    """The list of requests with their moves, and its export; the one an inbox notice links
    to on top, whatever the filters."""
    if not auth.is_organiser(user):
        st.caption(
            _("Requests to learn from the practices of {country}.").format(
                country=render.escape_markdown(_country(names, user.country_code))
            )
        )
    shown = _focused_request(engine, user, focus, names, themes) if focus else None
    filters = _filters_from_url(user, names)
    with read_session(engine) as session:
        rows = exchange.requests_for(session=session, user=user, filters=filters)
    rows = [row for row in rows if row.id != shown]  # already on top
    st.markdown(ngettext("**{n}** request", "**{n}** requests", len(rows)).format(n=len(rows)))
    _export(rows, user)
    if not rows:
        st.info(_("No request matches these filters."))
    for row in rows:
        _request(engine, user, row, names, themes)


def _focused_request(
    engine: Engine,
    user: SessionUser,
    focus: Focus,
    names: dict[str, str],
    themes: dict[str, str],
) -> int | None:
    """The request the URL names, its next step open; the id shown, or None. One the person
    does not answer for reads like one that does not exist: the link tells nothing."""
    found: list[RequestView] = []
    if focus.id is not None:
        with read_session(engine) as session:
            found = exchange.requests_for(
                session=session, user=user, filters=RequestFilters(request_id=focus.id)
            )
    if found:
        _request(engine, user, found[0], names, themes, step_open=True)
    else:
        st.warning(
            _(
                "This link names no request you answer for: it may be meant for another "
                "country's focal points, or be mistyped."
            )
        )
    st.button(
        _("Show all requests"),
        icon=":material/list:",
        on_click=_unfocus,
        args=("request", _("Requests")),
        key=KEY + "unfocus-request",
    )
    st.divider()
    return found[0].id if found else None


def _export(rows: list[RequestView], user: SessionUser) -> None:
    if not rows:
        return
    private = exchange.export_includes_contacts(user)
    with st.container(horizontal=True, gap="small", key=KEY + "export"):
        today = dt.date.today().isoformat()
        st.download_button(
            _("CSV"),
            data=exchange.to_csv(rows, user),
            file_name=f"exchange-requests-{today}.csv",
            mime="text/csv",
            icon=":material/download:",
            on_click="ignore",
            key=KEY + "csv",
            help=_("The requests listed, with participants' contacts: do not share the file.")
            if private
            else _("The requests listed, without participants' contacts."),
        )
        st.download_button(
            _("Excel"),
            data=exchange.to_xlsx(rows, user),
            file_name=f"exchange-requests-{today}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            icon=":material/download:",
            on_click="ignore",
            key=KEY + "xlsx",
        )


def _request(
    engine: Engine,
    user: SessionUser,
    row: RequestView,
    names: dict[str, str],
    themes: dict[str, str],
    step_open: bool = False,
) -> None:
    with st.container(border=True, key=f"{KEY}request-{row.id}"):
        render.practice_link(row.practice_id, row.practice_title)
        who = ", ".join(p for p in (row.name, row.organisation) if p) or _("A participant")
        source = (
            _("from {country}").format(country=names.get(row.from_country, row.from_country))
            if row.from_country
            else _("country not given")
        )
        facts = [who, source]
        if auth.is_organiser(user):
            facts.append(
                _("to {country}").format(country=names.get(row.to_country, row.to_country))
            )
        if row.event:
            facts.append(_("at {event}").format(event=row.event))
        st.markdown(_status_badge(row.status) + " " + render.escape_markdown(" · ".join(facts)))
        dates = [_("asked {date}").format(date=render.moment(row.created_at))]
        if row.updated_at - row.created_at > dt.timedelta(minutes=1):
            dates.append(_("updated {date}").format(date=render.moment(row.updated_at)))
        st.caption(" · ".join(dates))
        if row.contact:
            st.markdown(_("Contact: {contact}").format(contact=render.escape_markdown(row.contact)))
        if row.message:
            render.text(row.message, prefix="> ")
        for step in row.steps:
            when = i18n.format_day(step.happened_on) if step.happened_on else _("date not given")
            line = _("{status} ({when}), recorded by {who} on {recorded}").format(
                status=step.status.label,
                when=when,
                who=step.by or _("a former account"),
                recorded=render.moment(step.recorded_at),
            )
            st.caption(render.escape_markdown(line + (": " + step.note if step.note else "")))
        if row.decline_reason:
            st.markdown(
                _("Declined: {reason}").format(reason=render.escape_markdown(row.decline_reason))
            )
        if row.adopted_practice_id:
            st.page_link(
                navigation.page("pages/submit.py"),
                label=_("The adopting country's draft"),
                icon=":material/edit_note:",
                query_params=lang.params({"kind": "practice", "id": str(row.adopted_practice_id)}),
            )
        if row.moves:
            _move_form(engine, user, row, step_open)
        elif row.status == v.ExchangeStatus.adopted and not row.adopted_practice_id:
            _adoption_form(engine, user, row, names, themes, step_open)


def _status_badge(status: v.ExchangeStatus) -> str:
    """A request's status as a coloured badge (its label in the reader's language)."""
    return f":{STATUS_COLOURS[status]}-badge[{status.label}]"


def _move_form(engine: Engine, user: SessionUser, row: RequestView, step_open: bool) -> None:
    key = f"{KEY}move-{row.id}"
    with st.expander(_("Record the next step"), expanded=step_open, key=key + ".open"):
        with st.form(key, clear_on_submit=False, border=False):
            st.radio(
                _("What happened *"),
                [s.value for s in row.moves],
                format_func=lambda s: v.ExchangeStatus(s).label,
                horizontal=True,
                key=key + ".to",
            )
            st.date_input(
                _("When it happened (optional)"),
                value=None,
                min_value=dt.date(2000, 1, 1),
                format="DD.MM.YYYY",
                key=key + ".on",
            )
            st.text_area(_("Note (optional)"), max_chars=exchange.NOTE_LIMIT, key=key + ".note")
            st.text_area(
                _("Reason (required when declining)"),
                max_chars=exchange.NOTE_LIMIT,
                key=key + ".reason",
            )
            # The status the person sees is bound now: a move made meanwhile is refused.
            st.form_submit_button(
                _("Save the step"),
                type="primary",
                on_click=acting(engine, _on_move),
                args=(engine, user, row.id, row.status.value, key),
            )


def _on_move(engine: Engine, user: SessionUser, request_id: int, seen: str, key: str) -> None:
    state = st.session_state
    target = v.ExchangeStatus(state[key + ".to"])
    done = _run(
        engine,
        lambda session: exchange.move(
            session=session,
            user=user,
            request_id=request_id,
            to=target,
            seen=v.ExchangeStatus(seen),
            happened_on=state.get(key + ".on"),
            note=state.get(key + ".note", ""),
            reason=state.get(key + ".reason", ""),
        ),
        _("Saved: the request is now {status}.").format(status=target.label.lower()),
    )
    if done:
        # Emptied, not dropped: a dropped key lets the browser send the old text back, and
        # the next step would carry this one's note.
        state[key + ".note"] = ""
        state[key + ".reason"] = ""
        state[key + ".on"] = None


def _labeller(vocab: type[v.Vocab]) -> Callable[[str], str]:
    return lambda value: vocab(value).label


def _practice_choices(key: str, themes: dict[str, str]) -> None:
    """The choices a practice draft needs, all starting unchosen (nobody has said them)."""
    _draft_choices(
        key,
        themes,
        (
            ("level", _("Level of government *"), v.GovLevel),
            ("actor_type", _("Actor type *"), v.ActorType),
            ("stage", _("Stage *"), v.Stage),
        ),
    )


def _challenge_choices(key: str, themes: dict[str, str]) -> None:
    """The choices a challenge draft needs, all starting unchosen."""
    _draft_choices(
        key,
        themes,
        (
            ("obstacle_type", _("Obstacle type *"), v.ObstacleType),
            ("severity", _("Severity *"), v.Severity),
        ),
    )


def _draft_choices(
    key: str, themes: dict[str, str], fields: tuple[tuple[str, str, type[v.Vocab]], ...]
) -> None:
    """Themes and one unchosen select box per (field, label, vocabulary), side by side."""
    st.multiselect(
        _("Themes * (1 to 3)"),
        list(themes),
        format_func=lambda t: i18n.data_label(themes.get(t) or t),
        max_selections=3,
        placeholder=_("Choose 1 to 3 themes"),
        key=key + ".themes",
    )
    for where, (field, label, vocab) in zip(st.columns(len(fields)), fields, strict=True):
        where.selectbox(
            label,
            vocab.values(),
            index=None,
            format_func=_labeller(vocab),
            placeholder=_("Choose…"),
            key=f"{key}.{field}",
        )


def _choices(key: str) -> DraftChoices:
    state = st.session_state
    return DraftChoices(
        themes=tuple(state.get(key + ".themes") or ()),
        **{
            field: state.get(f"{key}.{field}")
            for field in ("level", "actor_type", "stage", "obstacle_type", "severity")
        },
    )


def _adoption_form(
    engine: Engine,
    user: SessionUser,
    row: RequestView,
    names: dict[str, str],
    themes: dict[str, str],
    step_open: bool,
) -> None:
    key = f"{KEY}adopt-{row.id}"
    with st.expander(
        _("Create the adopting country's practice from it"), expanded=step_open, key=key + ".open"
    ):
        st.caption(
            _(
                "A draft of the adopting country, adapted from this practice: its title says what "
                "it adapts, its summary and story are left for the country to write. Choose what "
                "nobody has said yet."
            )
        )
        with st.form(key, border=False):
            options = [c for c in names if c != row.to_country]
            st.selectbox(
                _("Adopting country *"),
                options,
                index=options.index(row.from_country) if row.from_country in options else None,
                format_func=lambda c: names.get(c, c),
                placeholder=_("Choose…"),
                key=key + ".country",
            )
            _practice_choices(key, themes)
            st.form_submit_button(
                _("Create the draft"),
                type="primary",
                on_click=acting(engine, _on_adopt),
                args=(engine, user, row.id, key),
            )


def _on_adopt(engine: Engine, user: SessionUser, request_id: int, key: str) -> None:
    def made(session: Any) -> None:
        draft = exchange.create_adopted_draft(
            session=session,
            user=user,
            request_id=request_id,
            choices=_choices(key),
            country=st.session_state.get(key + ".country"),
        )
        if auth.can_edit(user, st.session_state.get(key + ".country") or ""):
            st.session_state[MADE] = ("practice", draft)

    _run(
        engine,
        made,
        _("The adopting country's draft is made: it waits in Submit for its text."),
    )


# --------------------------------------------------------------------------- suggestions


def suggestions(
    engine: Engine,
    user: SessionUser,
    names: dict[str, str],
    themes: dict[str, str],
    focus: Focus | None = None,
) -> None:
    """The suggestions waiting, each with its two answers; those handled lately below; the one
    an inbox notice links to on top."""
    shown = _focused_suggestion(engine, user, focus, names, themes) if focus else None
    with read_session(engine) as session:
        waiting = exchange.suggestions_for(session=session, user=user)
        handled = exchange.suggestions_for(
            session=session,
            user=user,
            statuses=(v.SuggestionStatus.accepted, v.SuggestionStatus.declined),
            limit=20,
        )
    st.markdown(
        ngettext("**{n}** suggestion waiting", "**{n}** suggestions waiting", len(waiting)).format(
            n=len(waiting)
        )
    )
    if not waiting:
        st.info(_("No suggestion waits for an answer."))
    for item in waiting:
        if item.id != shown:
            _suggestion(engine, user, item, names, themes)
    if handled:
        with st.expander(_("Handled lately")):
            for item in handled:
                _handled(item, names)


def _focused_suggestion(
    engine: Engine,
    user: SessionUser,
    focus: Focus,
    names: dict[str, str],
    themes: dict[str, str],
) -> int | None:
    """The suggestion the URL names (waiting: with its answers; handled: with what was
    decided); the id shown, or None. One the person does not answer for reads like one that
    does not exist."""
    item = None
    if focus.id is not None:
        with read_session(engine) as session:
            item = exchange.suggestion_for(session=session, user=user, suggestion_id=focus.id)
    if item is None:
        st.warning(
            _(
                "This link names no suggestion you answer for: it may be meant for another "
                "country's focal points, or be mistyped."
            )
        )
    else:
        _suggestion(engine, user, item, names, themes)
    st.button(
        _("Show all suggestions"),
        icon=":material/list:",
        on_click=_unfocus,
        args=("suggestion", _("Suggestions")),
        key=KEY + "unfocus-suggestion",
    )
    st.divider()
    return item.id if item else None


def _suggestion(
    engine: Engine,
    user: SessionUser,
    item: SuggestionView,
    names: dict[str, str],
    themes: dict[str, str],
) -> None:
    kind = _("Practice") if item.record_type == v.RecordType.practice else _("Challenge")
    with st.container(border=True, key=f"{KEY}suggestion-{item.id}"):
        st.markdown(f"**{render.escape_markdown(item.title)}**")
        who = ", ".join(p for p in (item.name, item.organisation) if p) or _("A participant")
        st.caption(
            render.escape_markdown(
                _("{kind} · {country} · from {who} · {date}").format(
                    kind=kind,
                    country=_country(names, item.country_code),
                    who=who,
                    date=render.moment(item.created_at),
                )
                + (" · " + _("at {event}").format(event=item.event) if item.event else "")
            )
        )
        render.text(item.description)
        if item.contact:
            st.markdown(
                _("Contact: {contact}").format(contact=render.escape_markdown(item.contact))
            )
        if item.status != v.SuggestionStatus.new:  # handled: what was decided, no answers
            _handled(item, names)
            return
        key = f"{KEY}suggest-{item.id}"
        with st.expander(_("Turn into a draft"), key=key + ".draft.open"):
            st.caption(
                _(
                    "The title and the description are carried; the suggester is credited in the "
                    "draft's sources. Choose what the suggestion does not say."
                )
            )
            with st.form(key + ".draft", border=False):
                if item.record_type == v.RecordType.practice:
                    _practice_choices(key, themes)
                else:
                    _challenge_choices(key, themes)
                st.form_submit_button(
                    _("Make the draft"),
                    type="primary",
                    on_click=acting(engine, _on_accept),
                    args=(engine, user, item.id, key),
                )
        with st.expander(_("Decline"), key=key + ".decline.open"):
            with st.form(key + ".decline", border=False):
                st.text_area(_("Reason *"), max_chars=exchange.NOTE_LIMIT, key=key + ".reason")
                st.form_submit_button(
                    _("Decline the suggestion"),
                    on_click=acting(engine, _on_decline),
                    args=(engine, user, item.id, key),
                )


def _on_accept(engine: Engine, user: SessionUser, suggestion_id: int, key: str) -> None:
    def made(session: Any) -> None:
        kind, draft = exchange.accept_suggestion(
            session=session, user=user, suggestion_id=suggestion_id, choices=_choices(key)
        )
        st.session_state[MADE] = (kind.value, draft)

    _run(
        engine,
        made,
        _("The draft is made: find it in Submit, under your records."),
    )


def _on_decline(engine: Engine, user: SessionUser, suggestion_id: int, key: str) -> None:
    if _run(
        engine,
        lambda session: exchange.decline_suggestion(
            session=session,
            user=user,
            suggestion_id=suggestion_id,
            reason=st.session_state.get(key + ".reason", ""),
        ),
        _("The suggestion is declined."),
    ):
        st.session_state.pop(key + ".reason", None)


def _handled(item: SuggestionView, names: dict[str, str]) -> None:
    line = _("{title} · {country} · {status}").format(
        title=item.title,
        country=_country(names, item.country_code),
        status=item.status.label,
    )
    st.markdown(render.escape_markdown(line))
    if item.decline_reason:
        st.caption(render.escape_markdown(item.decline_reason))
    draft = item.practice_id or item.challenge_id
    if draft:
        kind = "practice" if item.practice_id else "challenge"
        st.page_link(
            navigation.page("pages/submit.py"),
            label=_("Open the draft"),
            icon=":material/edit_note:",
            query_params=lang.params({"kind": kind, "id": str(draft)}),
        )


# --------------------------------------------------------------------------- regional view


def regional(engine: Engine, user: SessionUser) -> None:
    """Who asked to learn from whom, over time (organisers)."""
    weekly = st.toggle(_("By week"), key=KEY + "weekly")
    with read_session(engine) as session:
        view = exchange.regional(session=session, user=user, period="week" if weekly else "month")
    st.markdown(
        ngettext("**{n}** request in all", "**{n}** requests in all", view.total).format(
            n=view.total
        )
    )
    if not view.total:
        st.info(_("No peer-exchange request yet."))
        return
    chart_ui.show(
        chart_ui.spec(exchange_heatmap, view.pairs), key=KEY + "heatmap", filename="exchange-pairs"
    )
    chart_ui.show(
        chart_ui.spec(
            requests_over_time_chart,
            view.over_time.assign(period=view.over_time["period"].dt.strftime("%Y-%m-%d")),
            weekly=weekly,
        ),
        key=KEY + "over-time",
        filename="exchange-over-time",
    )
    table = view.pairs.assign(
        link=[
            "/exchange?" + urlencode(lang.params({"from": f, "to": t, "status": "all"}), doseq=True)
            for f, t in zip(view.pairs["from_code"], view.pairs["to_code"], strict=True)
        ]
    )[["from_country", "to_country", "requests", "link"]]
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            "from_country": st.column_config.TextColumn(_("Asking country")),
            "to_country": st.column_config.TextColumn(_("Asked country")),
            "requests": st.column_config.NumberColumn(_("Requests")),
            "link": st.column_config.LinkColumn(_("List"), display_text=_("Open the list")),
        },
    )
