"""The challenges page's parts: filters, the list, one challenge with the practices that could
help and the progress of each match. Every value written by people goes through render."""

import functools
from collections.abc import Sequence
from typing import Any

import streamlit as st
from sqlalchemy.engine import Engine
from sqlmodel import Session

from forumdash import auth, challenge_filters, i18n, matching, matchmaking, repository, workflow
from forumdash import vocab as v
from forumdash.auth import SessionUser
from forumdash.db import read_session, write_session
from forumdash.i18n import _, ngettext
from forumdash.models import ChallengePublic
from forumdash.translations import shown_text
from forumdash.ui import lang, narrow, navigation, outage, render, translated
from forumdash.ui import practice as practice_parts
from forumdash.versioned_cache import ViewCache

# The list's filters and the key of each one's pills.
FILTERS = [(f.param, f.label, f"challenges.{f.param}", f.name) for f in challenge_filters.FILTERS]
CLEAR_KEY = "challenges.clear"
SEARCH_KEY = "challenges.q"
# Badges show the vocabulary's own labels (in the reader's language, so made when shown); only
# the colour is chosen here.
STATUS_COLOUR = dict(zip(v.ChallengeStatus, ("red", "orange", "green"), strict=True))
STATE_COLOUR = dict(zip(v.MatchState, ("gray", "blue", "violet", "green"), strict=True))


def status_badge(status: v.ChallengeStatus) -> str:
    """A challenge's status as a coloured badge."""
    return f":{STATUS_COLOUR[status]}-badge[{render.escape_markdown(status.label)}]"


def state_badge(state: v.MatchState) -> str:
    """A match's state as a coloured badge."""
    return f":{STATE_COLOUR[state]}-badge[{render.escape_markdown(state.label)}]"


def filter_options(session: Session) -> dict[str, dict[str, str]]:
    """Each filter's options, {value: label}, in the order they are offered."""
    return challenge_filters.options(session)


def read_filters(options: dict[str, dict[str, str]]) -> tuple[dict[str, list[str]], list[str]]:
    """The choices the URL names (it is the source of truth) and notices about the values it
    named that are not known here; those are taken out of the URL."""
    names = [param for param, _label, _key, _name in FILTERS] + [challenge_filters.SEARCH]
    params = {param: st.query_params.get_all(param) for param in names}
    chosen, notices = challenge_filters.from_params(params, options)
    canonical = challenge_filters.to_params(chosen)
    for param in names:
        wanted = [canonical[param]] if param in canonical else []
        if st.query_params.get_all(param) != wanted:  # unknown, repeated, empty, lower-case
            _write_param(param, wanted)
    return chosen, list(notices)


def query(chosen: dict[str, list[str]]) -> dict[str, list[str]]:
    """The choices as list_challenges and challenge_facet_counts take them."""
    return challenge_filters.query(chosen)


Listed = tuple[dict[str, dict[str, int]], list[ChallengePublic]]


Choices = tuple[tuple[str, str | tuple[str, ...]], ...]


def _build_list(session: Session, choices: Choices) -> Listed:
    # Any: list_challenges' keywords differ in type (lists of values, the search words).
    chosen: dict[str, Any] = {
        name: value if isinstance(value, str) else list(value) for name, value in choices
    }
    return (
        repository.challenge_facet_counts(session=session, **chosen),
        repository.list_challenges(session=session, **chosen),
    )


# The list under each set of choices, built once per records version for every visitor.
_LISTS: ViewCache[Listed] = ViewCache(_build_list, max_entries=128)


def challenge_list(session: Session, chosen: dict[str, list[str]]) -> Listed:
    """The facet counts and the published challenges under these choices (shared: read-only)."""
    choices: Choices = tuple(
        sorted(
            (name, value if isinstance(value, str) else tuple(value))
            for name, value in query(chosen).items()
        )
    )
    return _LISTS.get(session, choices)


def _write_param(param: str, values: list[str]) -> None:
    if values:
        st.query_params[param] = ",".join(values)
    elif param in st.query_params:
        del st.query_params[param]


def _to_url() -> None:
    for param, _label, key, _name in FILTERS:
        _write_param(param, list(st.session_state.get(key) or []))


def _clear() -> None:
    for param, _label, key, _name in FILTERS:
        st.session_state[key] = []
        _write_param(param, [])
    st.session_state[SEARCH_KEY] = ""
    _write_param(challenge_filters.SEARCH, [])


def _on_search() -> None:
    words = " ".join((st.session_state.get(SEARCH_KEY) or "").split())
    _write_param(challenge_filters.SEARCH, [words] if words else [])


def search_box(chosen: dict[str, list[str]]) -> None:
    """The search words of the list, kept in the URL's `q`."""
    st.session_state[SEARCH_KEY] = " ".join(chosen.get(challenge_filters.SEARCH, []))
    st.text_input(
        _("Search challenges"),
        key=SEARCH_KEY,
        on_change=_on_search,
        placeholder=_("Search titles and descriptions, in any script: {examples}…").format(
            examples="waste, procurement, участие"
        ),
        icon=":material/search:",
        max_chars=1000,
        label_visibility="collapsed",
    )


def ordered(values: Sequence[str], counts: dict[str, int], chosen: Sequence[str]) -> list[str]:
    """Options that would give something (or are chosen) first, then the rest, each group in
    its given order: zero options go last and are never hidden."""
    first = [x for x in values if counts.get(x) or x in chosen]
    return first + [x for x in values if x not in first]


def _option_label(param: str, known: dict[str, str], value: str) -> str:
    """An option in the reader's language: countries by CLDR, themes from the catalogs, the
    vocabularies' labels as options() gives them."""
    name = known.get(value, value)
    if param == "country":
        return i18n.country_name(value, name)
    if param == "theme":
        return i18n.data_label(name)
    return name


def _counted_label(param: str, known: dict[str, str], counts: dict[str, int], value: str) -> str:
    label = _option_label(param, known, value)
    return f"{render.escape_markdown(label)} · {i18n.format_number(counts.get(value, 0))}"


def sidebar_filters(
    options: dict[str, dict[str, str]],
    chosen: dict[str, list[str]],
    counts: dict[str, dict[str, int]],
    notices: Sequence[str] = (),
) -> None:
    """Pills for each filter, each option with the number of published challenges it would give
    under the other choices; a button clears them all. In the sidebar, or under the Filters
    button at the top of the results (narrow.filters_panel)."""
    place = narrow.filters_panel("challenges.", sum(len(values) for values in chosen.values()))
    with place:
        if narrow.in_sidebar(place):
            st.divider()
            st.markdown("**{filters}**".format(filters=_("Filters")))
        narrow.clear_filters_button(any(chosen.values()), CLEAR_KEY, _clear)
        for param, english_label, key, name in FILTERS:
            known, facet_counts = options[param], counts.get(name, {})
            st.session_state[key] = list(chosen[param])
            label = _(english_label)
            n = len(chosen[param])
            with st.expander(
                _("{facet} ({n})").format(facet=label, n=n) if n else label,
                expanded=bool(chosen[param]) or param != "obstacle",
            ):
                st.pills(
                    label,
                    ordered(list(known), facet_counts, chosen[param]),
                    selection_mode="multi",
                    format_func=functools.partial(_counted_label, param, known, facet_counts),
                    key=key,
                    on_change=_to_url,
                    label_visibility="collapsed",
                )
        for notice in notices:
            st.caption(render.escape_markdown(notice))


def count_heading(total: int) -> None:
    st.subheader(
        ngettext("{n} challenge", "{n} challenges", total).format(n=i18n.format_number(total)),
        anchor=False,
    )


def _status_line(challenge: ChallengePublic, *extra: str) -> str:
    """The status badge, then country, obstacle and severity (and any extra facts), escaped."""
    facts = [
        i18n.country_name(challenge.country_code, challenge.country_name),
        _("{obstacle} obstacle").format(obstacle=challenge.obstacle_type.label),
        _("{severity} severity").format(severity=challenge.severity.label),
        *extra,
    ]
    return (
        status_badge(challenge.challenge_status)
        + " "
        + render.escape_markdown(" · ".join(fact for fact in facts if fact))
    )


def challenge_card(
    challenge: ChallengePublic,
    theme_names: dict[str, str],
    suggestions: matchmaking.Suggestions | None,
) -> None:
    text = shown_text(challenge)
    with st.container(border=True):
        st.page_link(
            navigation.page("pages/challenges.py"),
            label=f"**{render.escape_markdown(text.title)}**",
            query_params=lang.params({"id": str(challenge.id)}),
            icon=":material/flag:",
        )
        themes = ", ".join(i18n.data_label(theme_names.get(t, t)) for t in challenge.themes)
        # Its facts, description and best match in one element, as plain text (escaped).
        render.card(
            _status_line(challenge, themes, text.notice())
            + (" " + render.sample_badge() if challenge.is_sample else ""),
            render.escape_markdown(render.plain_excerpt(text.description, 240)),
            render.small_markdown(_suggested(suggestions)),
        )


def _suggested(suggestions: matchmaking.Suggestions | None) -> str:
    """A challenge card's last line: how many practices could help, and the best (escaped)."""
    if suggestions is None or suggestions.best is None:
        return _("No matching practice from another country yet.")
    best = suggestions.best
    count = suggestions.count
    return ngettext(
        "{n} practice from other countries could help. "
        "Best match ({score}/100): {title} ({country})",
        "{n} practices from other countries could help. "
        "Best match ({score}/100): {title} ({country})",
        count,
    ).format(
        n=count,
        score=f"{suggestions.best_score:.0f}",
        title=render.escape_markdown(shown_text(best).title),
        country=render.escape_markdown(i18n.country_name(best.country_code, best.country_name)),
    )


def header(challenge: ChallengePublic, theme_names: dict[str, str]) -> None:
    """Title, facts and description, in the reader's language where a published translation
    exists (with what language it is and a link to the other version)."""
    shown = translated.shown(challenge)
    st.title(render.escape_markdown(shown.title), anchor=False)
    translated.notice(
        shown, "pages/challenges.py", translated.url_params({"id": str(challenge.id)})
    )
    if challenge.is_sample:
        st.markdown(
            render.sample_badge()
            + " "
            + _("Illustrative content, not a record of a real institution.")
        )
    st.markdown(_status_line(challenge))
    render.chips([i18n.data_label(theme_names.get(t, t)) for t in challenge.themes])
    if challenge.ogp_values:  # OGP values in grey, themes in blue
        st.markdown(
            _("OGP values: {values}").format(
                values=" ".join(
                    f":gray-badge[{render.escape_markdown(x.label)}]" for x in challenge.ogp_values
                )
            )
        )
    render.rich_text(shown.description)
    facts = []
    if challenge.support_sought:
        facts.append(
            _("Support sought: {kinds}").format(
                kinds=", ".join(s.label for s in challenge.support_sought)
            )
        )
    if challenge.raised_at_event or challenge.raised_at_date:
        when = i18n.format_day(challenge.raised_at_date) if challenge.raised_at_date else ""
        where = " ".join(x for x in (shown.get("raised_at_event"), when) if x)
        facts.append(_("Raised at {event}").format(event=where))
    for fact in facts:
        render.text(fact, prefix="- ")


def matches(
    engine: Engine,
    user: SessionUser | None,
    challenge: ChallengePublic,
    found: Sequence[matchmaking.MatchView] | None,
) -> None:
    """The practices that could help, best first, with their score, reasons and progress
    (None: the matching is still being prepared after a start)."""
    st.subheader(_("Practices from other countries that could help"), anchor=False)
    with st.expander(_("How are practices matched?"), icon=":material/help:"):
        st.markdown(matching.how_it_works())  # fixed text, no user input
    if found is None:
        st.info(
            _("Matches are being prepared after a restart. Reload the page in a moment."),
            icon=":material/hourglass_top:",
        )
        return
    if not found:
        st.info(_("No published practice from another country matches this challenge yet."))
    for item in found:
        with st.container(border=True):
            left, right = st.columns([4, 1])
            with left:
                render.practice_link(item.practice.id, shown_text(item.practice).title)
                render.facts_line(
                    [
                        i18n.country_name(item.practice.country_code, item.practice.country_name),
                        item.practice.stage.label,
                    ],
                    sample=item.practice.is_sample,
                )
                st.markdown("\n".join(f"- {render.escape_markdown(r)}" for r in item.reasons))
            with right:
                st.metric(
                    _("Match score"),
                    _("{score} / 100").format(score=f"{item.score:.0f}"),
                    border=False,
                )
                st.markdown(state_badge(item.state))
                if matchmaking.can_move(user, challenge.country_code, item.practice.country_code):
                    _state_control(engine, user, challenge.id, item)


def _state_control(
    engine: Engine, user: SessionUser | None, challenge_id: int, item: matchmaking.MatchView
) -> None:
    # The stored state is part of the key: a move by someone else (or a refused one) draws a
    # fresh box showing the state as it is.
    stamp = f"{item.state.value}.{item.updated_at:%Y%m%d%H%M%S%f}" if item.updated_at else "new"
    key = f"challenges.match.{challenge_id}.{item.practice.id}.{stamp}"
    states = v.MatchState.values()

    def move() -> None:
        state = st.session_state[key]  # set before Streamlit calls on_change
        try:
            with write_session(engine) as session:
                matchmaking.set_state(
                    session=session,
                    user=user,
                    challenge_id=challenge_id,
                    practice_id=item.practice.id,
                    state=state,
                )
        except (auth.PermissionDenied, workflow.WorkflowError) as exc:
            st.session_state["challenges.flash"] = ("error", str(exc))
            st.session_state[key] = item.state.value  # show the state as it still is
        else:
            st.session_state["challenges.flash"] = (
                "success",
                _("Match moved to “{state}”.").format(state=v.MatchState(state).label),
            )

    st.selectbox(
        _("Progress"),
        states,
        index=states.index(item.state.value),
        format_func=lambda s: v.MatchState(s).label,
        key=key,
        on_change=outage.guarded(move),
    )


def flash() -> None:
    message = st.session_state.pop("challenges.flash", None)
    if message:
        kind, text = message
        (st.error if kind == "error" else st.success)(render.escape_markdown(text))


def _build_challenge(
    session: Session, challenge_id: int, language: str, matching_ready: bool
) -> dict[str, Any] | None:
    """The page of one published challenge: the record, its matches (None while the matching
    corpus is being built after a start, forumdash.warmup), its public history with the names
    of the accounts in it, and when a reader's correction last changed it."""
    found = repository.get_challenge(session=session, challenge_id=challenge_id)
    if found is None:
        return None
    with i18n.language(language):  # the matches' reasons and the accounts' roles are words
        matches = (
            matchmaking.matches_for(session=session, challenge=found) if matching_ready else None
        )
        revisions = practice_parts.history_of(session, v.RecordType.challenge, found.id)
        users = practice_parts.names_in(session, revisions)
    return {
        "challenge": found,
        "theme_names": repository.reference_names(session=session).themes,
        "matches": matches,
        "revisions": revisions,
        "corrected": repository.last_correction_date(
            session=session, record_type=v.RecordType.challenge, record_id=found.id
        ),
        "users": users,
    }


# Keyed on (challenge, language, matching ready), per records version: ranking is most of the
# page's time, and its history (written with the challenge) moves the version too.
_CHALLENGES: ViewCache[dict[str, Any] | None] = ViewCache(_build_challenge, max_entries=512)


def load_challenge(engine: Engine, challenge_id: int) -> dict[str, Any] | None:
    """Everything the page of one published challenge shows, or None (shared: read-only)."""
    with read_session(engine) as session:
        ready = matchmaking.ready(session)
        return _CHALLENGES.get(session, challenge_id, i18n.current().tag, ready)
