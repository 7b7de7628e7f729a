"""The review page's parts: the submission queue with diffs, corrections, accounts."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ParamSpec

import streamlit as st
from sqlalchemy.engine import Engine

from forumdash import auth, i18n, repository, rich_text, workflow
from forumdash import vocab as v
from forumdash.auth import SessionUser
from forumdash.db import read_session, write_session
from forumdash.i18n import N_, _, ngettext
from forumdash.models import ChallengeCreate, PracticeCreate
from forumdash.ui import lang, navigation, render
from forumdash.ui.forms import FIELD_LABELS
from forumdash.ui.progress import progress_bar
from forumdash.ui.session import acting

P = ParamSpec("P")

if TYPE_CHECKING:  # the importers load only when an organiser imports
    from forumdash.importers.report import ImportReport

# Fields whose stored codes are shown by their labels in the diff.
VOCAB_FIELDS: dict[str, type[v.Vocab]] = {
    "level": v.GovLevel,
    "actor_type": v.ActorType,
    "stage": v.Stage,
    "ogp_values": v.OgpValue,
    "outcome_areas": v.OutcomeArea,
    "obstacle_type": v.ObstacleType,
    "severity": v.Severity,
    "support_sought": v.SupportSought,
    "completion": v.Completion,
    "potential_impact": v.PotentialImpact,
    "early_results": v.EarlyResults,
    "rated_by": v.RatedBy,
    "evidence_level": v.EvidenceLevel,
}


# A practice's yes/no in the form's words: "no" is ended (with an end date) or not known.
ONGOING = {True: N_("Ongoing"), False: N_("Not ongoing (ended, or not known)")}


def _show(field: str, value: Any, names: dict[str, str], kind: v.RecordType) -> str:
    """A stored value as a reviewer reads it: labels for codes (`names`: theme slugs and country
    codes to names), one line per list item."""
    if field == "ongoing" and isinstance(value, bool):
        return _(ONGOING[value])
    if value in (None, "", [], {}):
        return "—"
    if field == "challenge_status":
        return v.ChallengeStatus(value).label
    if field == "country":
        return i18n.country_name(str(value), names.get(str(value), str(value)))
    if field == "themes":
        codes: list[str] = value if isinstance(value, list) else [value]
        return ", ".join(i18n.data_label(names.get(t, t)) for t in codes)
    if field in VOCAB_FIELDS:
        enum = VOCAB_FIELDS[field]
        values = value if isinstance(value, list) else [value]
        return ", ".join(enum(x).label if x in enum.values() else str(x) for x in values)
    if isinstance(value, dict):
        return (
            "\n\n".join(
                f"{_field_label(key)}: {_show(key, item, names, kind)}"
                for key, item in value.items()
                if item not in (None, "", [], {})
            )
            or "—"
        )
    if isinstance(value, list):
        return "\n\n".join(
            " | ".join(str(x) for x in item.values() if x) if isinstance(item, dict) else str(item)
            for item in value
        )
    return str(value)


def diff_table(
    changes: list[tuple[str, Any, Any]],
    names: dict[str, str],
    kind: v.RecordType,
    *,
    new: bool = False,
    captions: tuple[str, str] = (N_("Published version"), N_("Submitted version")),
) -> None:
    """Each changed field (named as in the form) with its published and submitted versions (or
    the two `captions`) side by side, in full; a new record shows only what was submitted. Every
    value is shown as plain text, as stored (never rendered as Markdown): what the reviewer
    approves includes what the page will not show (a script, a comment, where a link or an image
    points). A long text that carries Markdown or HTML also has a second tab with how it will
    read on the page. The captions are English, marked with N_(): shown translated."""
    if not changes:
        st.caption(_("No field differs from the published version."))
    elif new:
        st.caption(_("Submitted version (new: nothing of it is published yet)"))
    for field, before, after in changes:
        st.markdown(f"**{render.escape_markdown(_field_label(field))}**")
        if new:
            _value(field, after, names, kind)
            continue
        left, right = st.columns(2)
        with left:
            st.caption(_(captions[0]))
            _value(field, before, names, kind)
        with right:
            st.caption(_(captions[1]))
            _value(field, after, names, kind)


# Long texts that may come from another system with Markdown or HTML (shown as they read on
# their page, through render.rich_text).
RICH_FIELDS = {
    "summary",
    "description",
    "transferability",
    "transfer_conditions",
    "body",
    *(key for key, _heading in v.BODY_SECTIONS),
}


def _value(field: str, value: Any, names: dict[str, str], kind: v.RecordType) -> None:
    """One side of the diff: the stored text, and how it reads when it carries markup."""
    texts = value if isinstance(value, dict) else {field: value}
    if field not in RICH_FIELDS or not any(
        isinstance(text, str) and rich_text.has_markup(text) for text in texts.values()
    ):
        render.text(_show(field, value, names, kind))
        return
    written, reads = st.tabs([_("As written"), _("As it reads")])
    with written:
        render.text(_show(field, value, names, kind))
    with reads:
        for key, text in texts.items():
            if not text:
                continue
            if isinstance(value, dict):
                st.markdown(f"**{render.escape_markdown(_field_label(key))}**")
            render.rich_text(str(text))


def _act(
    engine: Engine,
    action: Callable[..., object],
    *,
    done: str = "",
    changed_key: str = "",
    **kwargs: Any,
) -> None:
    """Run a review step; `done` says what happened, naming the record (translated). A step
    refused because the record changed since the organiser opened it marks `changed_key`, so
    that the page opens it again at its new version with a note."""
    try:
        with write_session(engine) as session:
            action(session=session, **kwargs)
    except workflow.StaleEdit as exc:
        st.session_state["review.flash"] = ("error", str(exc))
        if changed_key:
            st.session_state.setdefault("review.changed", set()).add(changed_key)
    except (auth.PermissionDenied, workflow.WorkflowError) as exc:
        st.session_state["review.flash"] = ("error", str(exc))
    else:
        st.session_state["review.flash"] = ("success", done or _("Done."))


def queue(engine: Engine, user: SessionUser) -> None:
    with read_session(engine) as session:
        items = workflow.review_queue(session=session, user=user)
    if not items:
        st.info(_("Nothing waits for review."))
    changed: set[str] = st.session_state.setdefault("review.changed", set())
    for item in items:
        key = f"{item.record_type.value}.{item.record_id}"
        with st.expander(
            f"{QUEUE_KIND[item.record_type, item.kind == 'edit']()} · "
            f"{item.country_code} · {render.escape_markdown(item.title)}",
            expanded=key in changed,
        ):
            with read_session(engine) as session:
                # The version shown is the one approving or sending back decides on: read
                # before the diff (a change between the two reads refuses, never passes unseen).
                seen = workflow.record_version(session=session, **item.ids)
                changes = workflow.review_diff(session=session, user=user, **item.ids)
                conflicts = workflow.pending_conflicts(session=session, user=user, **item.ids)
                names = _names(session)
            # A rerun of the page (a reason typed, a choice made) draws the submission as it is
            # now: changed since this session last drew it, it says so until decided on.
            drawn = st.session_state.get(f"review.drawn.{key}")
            st.session_state[f"review.drawn.{key}"] = seen
            if drawn is not None and drawn != seen:
                changed.add(key)
            if key in changed:
                st.warning(
                    _(
                        "This submission changed after you opened it: this is the new version. "
                        "Look at it again before you decide."
                    ),
                    icon=":material/sync_problem:",
                )
            conflicting = {c.field for c in conflicts}
            diff_table(
                [c for c in changes if c[0] not in conflicting],
                names,
                item.record_type,
                new=item.kind != "edit",
            )
            _edit_conflicts(conflicts, names, item.record_type, key)
            left, right = st.columns(2)
            left.button(
                _("Approve and publish"),
                key=f"review.approve.{key}",
                type="primary",
                on_click=acting(engine, _speaking(_approve)),
                args=(engine, user, item, [c.field for c in conflicts], seen),
            )
            with right:
                _with_reason(
                    engine,
                    _("Reason for sending it back"),
                    _("Send back"),
                    f"review.reject.{key}",
                    workflow.reject,
                    user=user,
                    done=_("Sent back to its author, with your reason: {title}").format(
                        title=item.title
                    ),
                    changed_key=key,
                    expected_version=seen,
                    **item.ids,
                )


def _edit_conflicts(
    conflicts: list[workflow.ProposedChange],
    names: dict[str, str],
    record_type: v.RecordType,
    key: str,
) -> None:
    """The parts of a waiting edit that someone else changed since the edit was made (a
    translation too): shown three ways, the organiser chooses which value stays."""
    for change in conflicts:
        field = _field_label(change.field)
        warning = _(
            "{field} was changed by someone else since this edit was made: choose which "
            "value to keep."
        ).format(field=render.escape_markdown(field))
        captions = (_("When the edit was made"), _("Now"), _("In the edit"))
        _three_ways(change, names, record_type, warning=warning, captions=captions)
        _which_stays(field, EDIT_CHOICES, key=f"review.pending.{key}.{change.field}")


EDIT_CHOICES = {
    workflow.KEEP_CURRENT: N_("Keep the current value"),
    workflow.TAKE_PROPOSED: N_("Take the edit's value"),
}


def _approve(
    engine: Engine,
    user: SessionUser,
    item: workflow.QueueItem,
    conflicting: list[str],
    seen: int,
) -> None:
    """Approve a queued record at the version the organiser saw (`seen`), with their choice
    for each part changed meanwhile (read now: the callback runs before the script, with the
    radios' new values)."""
    key = f"{item.record_type.value}.{item.record_id}"
    st.session_state.get("review.changed", set()).discard(key)
    choices = {
        field: st.session_state.get(f"review.pending.{key}.{field}") for field in conflicting
    }
    undecided = [_field_label(field) for field, choice in choices.items() if choice is None]
    if undecided:
        st.session_state["review.flash"] = (
            "error",
            _("Choose which value stays for: {fields}. Nothing was changed.").format(
                fields=", ".join(undecided)
            ),
        )
        return
    _act(
        engine,
        workflow.approve,
        user=user,
        done=_("Published: {title}").format(title=item.title),
        choices={field: str(choice) for field, choice in choices.items()},
        changed_key=key,
        expected_version=seen,
        **item.ids,
    )


# What a queued item is, in whole sentences per kind of record: (record type, an edit?).
QUEUE_KIND: dict[tuple[v.RecordType, bool], Callable[[], str]] = {
    (v.RecordType.practice, True): lambda: _("Edit of a published practice"),
    (v.RecordType.practice, False): lambda: _("New practice"),
    (v.RecordType.challenge, True): lambda: _("Edit of a published challenge"),
    (v.RecordType.challenge, False): lambda: _("New challenge"),
}


def _with_reason(
    engine: Engine,
    prompt: str,
    label: str,
    key: str,
    action: Callable[..., object],
    **kwargs: Any,
) -> None:
    """A reason box and the button that acts with it; the reason is read when clicked."""
    st.text_input(prompt, key=key + ".reason")

    def act() -> None:
        _act(engine, action, reason=st.session_state.get(key + ".reason", ""), **kwargs)

    st.button(label, key=key, on_click=acting(engine, _speaking(act)))


def _three_ways(
    change: Any,
    names: dict[str, str],
    record_type: v.RecordType,
    *,
    warning: str,
    captions: tuple[str, str, str],
) -> None:
    """A field changed by two people: the warning, then its value then, now and as proposed,
    side by side (a pending edit's conflict and a correction's alike)."""
    st.warning(warning)
    values = (change.was, change.now, change.proposed)
    for column, caption, value in zip(st.columns(3), captions, values, strict=True):
        with column:
            st.caption(caption)
            render.text(_show(change.field, value, names, record_type))


def _which_stays(field: str, choices: dict[str, str], *, key: str) -> None:
    """The organiser's choice of the value that stays, unchosen at first."""
    st.radio(
        _("{field}: which value stays?").format(field=field),
        list(choices),
        index=None,
        format_func=lambda choice: _(choices[choice]),
        horizontal=True,
        key=key,
    )


def _speaking(callback: Callable[P, None]) -> Callable[P, None]:
    """A button's callback that speaks the language of the run that drew the button: callbacks
    run before the next run's frame has chosen its language, and their messages (and the
    domain's refusals) are shown in the page the visitor reads."""
    tag = i18n.current().tag

    def in_language(*args: P.args, **kwargs: P.kwargs) -> None:
        with i18n.language(tag):
            callback(*args, **kwargs)

    return in_language


def _names(session: Any) -> dict[str, str]:
    """Theme slugs and country codes to the names a reviewer reads."""
    return repository.theme_names(session=session) | {
        c.code: c.name_en for c in repository.list_countries(session=session)
    }


def corrections(engine: Engine, user: SessionUser) -> None:
    with read_session(engine) as session:
        items = workflow.open_corrections(session=session, user=user)
        titles = {
            item.id: repository.record_title(
                session=session, record_type=item.record_type, record_id=item.record_id
            )
            for item in items
        }
    if not items:
        st.info(_("No open corrections."))
    for item in items:
        assert item.id is not None
        label = (
            f"{item.record_type.label} · {render.escape_markdown(titles[item.id])} · "
            f"{i18n.format_day(item.created_at)} ({i18n.format_ago(item.created_at)})"
        )
        proposes = item.proposed is not None and item.record_type in FIXABLE
        with st.expander(_("Correction {n}: {record}").format(n=item.id, record=label)):
            if item.contact:
                render.text(item.contact, prefix=_("**Reader's contact:**") + " ")
            why = _("**Why:**") if proposes else _("**Wrong:**")
            render.text(item.what_is_wrong, prefix=why + " ")
            if item.what_is_right:
                render.text(item.what_is_right, prefix=_("**Right:**") + " ")
            if item.source:
                st.markdown(_("**Source:**"))
                render.link_or_text(item.source)
            if proposes:
                _proposal_fix(engine, user, item.id, item.record_type, item.record_id)
            elif item.record_type in FIXABLE:
                _record_fix(engine, user, item.id, item.record_type, item.record_id)
            else:
                _milestone_fix(engine, user, item.id, item.record_id)
            _with_reason(
                engine,
                _("Reason to decline"),
                _("Decline"),
                f"review.decline.{item.id}",
                workflow.decline_correction,
                user=user,
                correction_id=item.id,
                done=_("Correction declined; the record is unchanged."),
            )


CHOICES = {
    workflow.KEEP_CURRENT: N_("Keep the current value"),
    workflow.TAKE_PROPOSED: N_("Take the reader's value"),
}


def _proposal_fix(
    engine: Engine,
    user: SessionUser,
    correction_id: int,
    record_type: v.RecordType,
    record_id: int,
) -> None:
    """The reader's proposal as a diff against the record as it is now, accepted in one click.
    A field someone else changed since the reader wrote is shown three ways, and the organiser
    chooses which value stays (nothing is overwritten unasked)."""
    with read_session(engine) as session:
        # What accepting decides on: the record as shown here (read before the diff: a change
        # between the two reads refuses the acceptance rather than passing unseen).
        seen = workflow.record_version(session=session, **{f"{record_type.value}_id": record_id})
        changes = workflow.proposed_changes(session=session, user=user, correction_id=correction_id)
        names = _names(session)
    page, label = OPEN_RECORD[record_type]
    st.page_link(
        navigation.page(page), label=_(label), query_params=lang.params({"id": str(record_id)})
    )
    plain = [c for c in changes if not c.conflict and not c.already]
    conflicts = [c for c in changes if c.conflict]
    already = [c for c in changes if c.already]
    if plain:
        st.markdown(_("**Proposed changes**"))
        diff_table(
            [(c.field, c.now, c.proposed) for c in plain],
            names,
            record_type,
            captions=(N_("Now"), N_("Proposed by the reader")),
        )
    for change in conflicts:
        field = _field_label(change.field)
        warning = _(
            "{field} was changed by someone else since the reader wrote: choose which "
            "value to keep."
        ).format(field=render.escape_markdown(field))
        captions = (_("When the reader wrote"), _("Now"), _("Proposed by the reader"))
        _three_ways(change, names, record_type, warning=warning, captions=captions)
        _which_stays(field, CHOICES, key=f"review.choice.{correction_id}.{change.field}")
    if already:
        st.caption(
            _("Already so in the record: {fields}").format(
                fields=render.escape_markdown(", ".join(_field_label(c.field) for c in already))
            )
        )

    def accept() -> None:
        # Read the choices now: the callback runs before the script, with the new values.
        choices = {
            c.field: st.session_state.get(f"review.choice.{correction_id}.{c.field}")
            for c in conflicts
        }
        undecided = [_field_label(field) for field, choice in choices.items() if choice is None]
        if undecided:
            st.session_state["review.flash"] = (
                "error",
                _("Choose which value stays for: {fields}. Nothing was changed.").format(
                    fields=", ".join(undecided)
                ),
            )
            return
        _act(
            engine,
            workflow.accept_correction,
            user=user,
            correction_id=correction_id,
            choices={field: str(choice) for field, choice in choices.items()},
            expected_version=seen,
            done=_(CORRECTED),
        )

    st.button(
        _("Accept and apply"),
        key=f"review.accept.{correction_id}",
        type="primary",
        on_click=acting(engine, _speaking(accept)),
    )


# What a correction told in words can change (the organiser types the value): text fields (a
# practice's body sections by name) and single choices, e.g. a challenge's severity.
FIXABLE: dict[v.RecordType, tuple[list[str], dict[str, type[v.Vocab]]]] = {
    v.RecordType.practice: (
        [
            "title",
            "summary",
            "lead_institution",
            "partners",
            "contact",
            *(key for key, _heading in v.BODY_SECTIONS),
            "transferability",
            "transfer_conditions",
        ],
        {"stage": v.Stage, "level": v.GovLevel, "actor_type": v.ActorType},
    ),
    v.RecordType.challenge: (
        ["title", "description", "raised_at_event"],
        {
            "obstacle_type": v.ObstacleType,
            "severity": v.Severity,
            "challenge_status": v.ChallengeStatus,
        },
    ),
}
OPEN_RECORD = {
    v.RecordType.practice: ("pages/practice.py", N_("Open the practice")),
    v.RecordType.challenge: ("pages/challenges.py", N_("Open the challenge")),
}
# Names of the parts of a record the forms show under a heading of their own.
PART_LABELS = {
    "body": N_("The story"),
    "assessment": N_("Assessment"),
    "sample": N_("Sample content"),
    "completion": N_("Completion"),
    "potential_impact": N_("Potential impact"),
    "early_results": N_("Early results"),
    "rated_by": N_("Rated by"),
    "evidence_level": N_("Evidence level"),
}


def _field_label(field: str) -> str:
    """A field named as the form names it, in the reader's language (a translated field with
    its language: 'Title (Albanian translation)')."""
    translated = workflow.translated_field(field)
    if translated is not None:
        language, name = translated
        return _("{field} ({language} translation)").format(
            field=_field_label(name), language=i18n.language_name(language)
        )
    english = dict(v.BODY_SECTIONS).get(field) or PART_LABELS.get(field) or FIELD_LABELS.get(field)
    return _(english) if english else field.replace("_", " ").capitalize()


def _record_fix(
    engine: Engine,
    user: SessionUser,
    correction_id: int,
    record_type: v.RecordType,
    record_id: int,
) -> None:
    """Choose the field the reader says is wrong, give its right value, accept: only that field
    is sent, and it is applied to the record as it is at that moment."""
    texts, choices = FIXABLE[record_type]
    st.caption(_("Told in words: choose the field, give its right value."))
    record: PracticeCreate | ChallengeCreate
    with read_session(engine) as session:
        now = workflow.record_version(session=session, **{f"{record_type.value}_id": record_id})
        if record_type == v.RecordType.practice:
            record = workflow.record_of(session=session, practice_id=record_id)
        else:
            record = workflow.challenge_record_of(session=session, challenge_id=record_id)
    # The version the text box started from: a keyed widget keeps its text over reruns while
    # the record is read again on each (a refusal forgets it, to start again from the new one).
    seen_key = f"review.version.{correction_id}"
    seen: int = st.session_state.setdefault(seen_key, now)
    page, label = OPEN_RECORD[record_type]
    st.page_link(
        navigation.page(page), label=_(label), query_params=lang.params({"id": str(record_id)})
    )
    field = st.selectbox(
        _("Field to correct"),
        [*texts, *choices],
        format_func=_field_label,
        key=f"review.field.{correction_id}",
    )
    value_key = f"review.text.{correction_id}.{field}"
    if field in choices:
        enum = choices[field]
        current = getattr(record, field).value
        st.selectbox(
            _("Corrected value"),
            enum.values(),
            index=enum.values().index(current),
            format_func=lambda x: enum(x).label,
            key=value_key,
        )
    else:
        body = getattr(record, "body", {})
        current = body.get(field, "") if field in dict(v.BODY_SECTIONS) else getattr(record, field)
        st.text_area(_("Corrected text"), value=current or "", key=value_key)

    def accept() -> None:
        # Read the widget now: the callback runs before the script, with the new value.
        value = st.session_state.get(value_key, current)
        _act(
            engine,
            workflow.accept_correction,
            user=user,
            correction_id=correction_id,
            changes={field: value},
            expected_version=seen,
            done=_(CORRECTED),
        )
        if st.session_state.get("review.flash", ("",))[0] == "error":
            st.session_state.pop(seen_key, None)

    st.button(
        _("Accept and apply"),
        key=f"review.accept.{correction_id}",
        type="primary",
        on_click=acting(engine, _speaking(accept)),
    )


def _milestone_fix(
    engine: Engine, user: SessionUser, correction_id: int, milestone_id: int
) -> None:
    with read_session(engine) as session:
        milestone = next(
            (m for m in repository.list_milestones(session=session) if m.id == milestone_id), None
        )
    if milestone is None:
        st.warning(_("This milestone no longer exists."))
        return
    title_key, text_key = f"review.mtitle.{correction_id}", f"review.mdesc.{correction_id}"
    st.text_input(
        _("Title"), value=milestone.title, max_chars=workflow.MILESTONE_TITLE_CHARS, key=title_key
    )
    st.text_area(_("Description"), value=milestone.description, key=text_key)
    # What the widgets started from: a keyed widget keeps its value over reruns while the
    # milestone is read again on each, so "unchanged" is judged against the first drawing.
    drawn = {
        key: (name, st.session_state.setdefault(f"{key}.drawn", was))
        for key, name, was in (
            (title_key, "title", milestone.title),
            (text_key, "description", milestone.description),
        )
    }

    def accept() -> None:
        # Only what the organiser changed: a field left as drawn must not put back a value
        # someone else changed since the form was drawn.
        changes = {
            name: st.session_state.get(key, was)
            for key, (name, was) in drawn.items()
            if st.session_state.get(key, was) != was
        }
        _act(
            engine,
            workflow.accept_correction,
            user=user,
            correction_id=correction_id,
            milestone_changes=changes,
            done=_(CORRECTED),
        )

    st.button(
        _("Accept and apply"),
        key=f"review.accept.{correction_id}",
        type="primary",
        on_click=acting(engine, _speaking(accept)),
    )


def accounts(engine: Engine, user: SessionUser, countries: dict[str, str]) -> None:
    """Organisers make accounts here as with `python -m forumdash user add`."""
    with st.form("review.account", clear_on_submit=True):
        email = st.text_input(_("Email"), key="review.account.email")
        role = st.selectbox(
            _("Role"),
            v.Role.values(),
            format_func=lambda r: v.Role(r).label,
            key="review.account.role",
        )
        country = st.selectbox(
            _("Country (focal points)"),
            ["", *countries],
            format_func=lambda c: i18n.country_name(c, countries[c]) if c in countries else "—",
            key="review.account.country",
        )
        password = st.text_input(
            ngettext(
                "First password (at least {n} character)",
                "First password (at least {n} characters)",
                auth.MIN_PASSWORD,
            ).format(n=auth.MIN_PASSWORD),
            type="password",
            key="review.account.password",
        )
        made = st.form_submit_button(_("Create account"), type="primary")
    if made:
        try:
            with write_session(engine) as session:
                auth.create_user(
                    session=session,
                    actor=user,  # checked in the domain: an active organiser
                    email=email,
                    password=password,
                    role=role,
                    country=country or None,
                )
        except (auth.AccountError, auth.PermissionDenied) as exc:
            st.error(
                _("No account was made: {reason}").format(reason=render.escape_markdown(str(exc)))
            )
        else:
            st.success(
                _("Account created for {email}.").format(
                    email=render.escape_markdown(email.strip().lower())
                )
            )
    change_account(engine, user, countries)


ACCOUNT_CHANGES = {
    "deactivate": N_("Deactivate (signs it out everywhere)"),
    "activate": N_("Activate again"),
    "role": N_("Give it the role below"),
}


def change_account(engine: Engine, user: SessionUser, countries: dict[str, str]) -> None:
    """Deactivate, reactivate or re-role an account, as `python -m forumdash user ...` does."""
    st.subheader(_("Change an account"))
    with st.form("review.account_change", clear_on_submit=True):
        email = st.text_input(_("Email of the account"), key="review.account_change.email")
        change = st.radio(
            _("Change"),
            list(ACCOUNT_CHANGES),
            format_func=lambda key: _(ACCOUNT_CHANGES[key]),
            key="review.account_change.what",
        )
        role = st.selectbox(
            _("Role"),
            v.Role.values(),
            format_func=lambda r: v.Role(r).label,
            key="review.account_change.role",
        )
        country = st.selectbox(
            _("Country (focal points)"),
            ["", *countries],
            format_func=lambda c: i18n.country_name(c, countries[c]) if c in countries else "—",
            key="review.account_change.country",
        )
        applied = st.form_submit_button(_("Apply"))
    if not applied:
        return
    try:
        with write_session(engine) as session:
            if change == "role":
                auth.set_role(
                    session=session, actor=user, email=email, role=role, country=country or None
                )
            else:
                auth.set_active(
                    session=session, actor=user, email=email, active=change == "activate"
                )
    except (auth.AccountError, auth.PermissionDenied) as exc:
        st.error(_("Nothing was changed: {reason}").format(reason=render.escape_markdown(str(exc))))
    else:
        st.success(
            _("Account {email} changed.").format(
                email=render.escape_markdown(email.strip().lower())
            )
        )


def flash() -> None:
    """What the last step did: on top of the page, and as a toast, which shows wherever the
    organiser has scrolled to (the button pressed may be far down a long queue)."""
    message = st.session_state.pop("review.flash", None)
    if message:
        kind, text = message
        (st.error if kind == "error" else st.success)(render.escape_markdown(text))
        icon = ":material/error:" if kind == "error" else ":material/check_circle:"
        st.toast(render.escape_markdown(text), icon=icon)


CORRECTED = N_("Correction applied: the record changed and its history credits the reader.")


def imports(engine: Engine, user: SessionUser) -> None:
    """The CLI's imports for organisers: a dry run first, then the real one on confirmation;
    once imported, only the result shows."""
    from forumdash import importers

    kind = st.segmented_control(
        _("What to import"),
        list(importers.KINDS),
        default="practices",
        key="review.import.kind",
        format_func=lambda kind: _(IMPORT_KINDS[kind]),
    )
    if kind is None:
        return
    upload = st.file_uploader(
        _("File ({formats}, at most {n} MB; the content is checked, not only the name)").format(
            formats=", ".join(importers.ACCEPTED[kind]).upper(), n=importers.MAX_MEGABYTES
        ),
        type=list(importers.ACCEPTED[kind]),
        max_upload_size=importers.MAX_MEGABYTES,
        key=f"review.import.file.{kind}",
    )
    if upload is None:
        return
    done = st.session_state.get(_done_key(kind, upload.file_id))
    if done is not None:
        # After "Import now" only the result shows: the dry run and its button are gone.
        st.caption(_("Imported: this is what the import did. Upload another file to import it."))
        show_report(done)
        return
    # The dry run is made once per uploaded file and language (its report is worded in the
    # language of the run that made it), not on every rerun of the page.
    cache_key = _report_key(kind, upload.file_id)
    if cache_key not in st.session_state:
        try:
            auth.require(auth.is_organiser(user), _("Only organisers import."))
            # The file's name is user text: escaped, as everywhere it is shown.
            reading = _("Reading {name}…").format(name=render.escape_markdown(upload.name))
            with st.spinner(reading), progress_bar(_("Dry run")) as progress:
                st.session_state[cache_key] = importers.run_import(
                    engine,
                    kind,
                    upload.getvalue(),
                    upload.name,
                    dry_run=True,
                    user_id=user.id,
                    progress=progress,
                )
        except (importers.InvalidFile, auth.PermissionDenied, ValueError) as exc:
            st.error(
                _("This file cannot be imported: {reason}").format(
                    reason=render.escape_markdown(str(exc))
                )
            )
            return
    report = st.session_state[cache_key]
    st.caption(_("A dry run: nothing has been written yet."))
    show_report(report)
    if not report.ok:
        st.error(_("Fix the rows above and upload the file again: nothing was written."))
        return
    st.button(
        _("Import now"),
        key=f"review.import.run.{kind}",
        type="primary",
        on_click=acting(engine, _speaking(_run_import)),
        args=(engine, user, kind),
    )


def _done_key(kind: str, file_id: str) -> str:
    return f"review.import.done.{kind}.{file_id}"


def _report_key(kind: str, file_id: str) -> str:
    """Where the dry run's report of an uploaded file waits, per language."""
    return f"review.import.report.{kind}.{file_id}.{i18n.current().tag}"


IMPORT_KINDS = {
    "practices": N_("Practices (template or export)"),
    "ogp": N_("OGP commitments (OGP's export)"),
}


def show_report(report: "ImportReport") -> None:
    """An import's report in full, wrapped (a long value wraps, nothing is cut off): what it did,
    then the errors, the warnings apart from them, and the notes. Shown as literal text."""
    summary = report.summary_lines()
    (st.error if not report.ok else st.success)(render.escape_markdown(summary[0]))
    if summary[1:]:
        st.code("\n".join(summary[1:]), language=None, wrap_lines=True)
    if report.errors:
        rows = len(report.error_rows())
        st.markdown(
            ngettext(
                "**Errors** · {n} row: nothing was written",
                "**Errors** · {n} rows: nothing was written",
                rows,
            ).format(n=rows)
        )
        st.code("\n".join(report.error_lines()), language=None, wrap_lines=True)
    if report.warnings:
        lines = report.warning_lines()
        cells, rows = len(report.warnings), len(lines)
        # Two counts in one sentence: the cells' plural chooses the first half, the rows' the
        # second, each a whole clause.
        in_rows = ngettext("in {n} row", "in {n} rows", rows).format(n=rows)
        st.warning(
            ngettext(
                "{n} cell {in_rows} not read: the rows are imported without them, and each "
                "value is kept as written.",
                "{n} cells {in_rows} not read: the rows are imported without them, and each "
                "value is kept as written.",
                cells,
            ).format(n=cells, in_rows=in_rows)
        )
        st.code(
            "\n".join(line.removeprefix("warning: ") for line in lines),
            language=None,
            wrap_lines=True,
        )
    if report.notes:
        st.markdown(_("**Notes**"))
        st.code("\n".join(report.notes), language=None, wrap_lines=True)


def _run_import(engine: Engine, user: SessionUser, kind: str) -> None:
    """Import the file that is in the uploader now (read at click time, not when drawn); its
    result replaces the dry run."""
    from forumdash import importers

    upload = st.session_state.get(f"review.import.file.{kind}")
    if upload is None:
        st.session_state["review.flash"] = ("error", _("Upload the file again."))
        return
    try:
        auth.require(auth.is_organiser(user), _("Only organisers import."))
        with progress_bar(_("Importing")) as progress:
            final = importers.run_import(
                engine,
                kind,
                upload.getvalue(),
                upload.name,
                dry_run=False,
                user_id=user.id,
                progress=progress,
            )
    except (importers.InvalidFile, auth.PermissionDenied, ValueError) as exc:
        st.session_state["review.flash"] = (
            "error",
            _("Nothing was imported: {reason}").format(reason=exc),
        )
        return
    for tag in i18n.TAGS:  # the dry run's report in every language it was made in
        st.session_state.pop(f"review.import.report.{kind}.{upload.file_id}.{tag}", None)
    st.session_state[_done_key(kind, upload.file_id)] = final
    if final.ok:
        st.session_state["review.flash"] = (
            "success",
            _("Imported. {headline}").format(headline=final.headline()),
        )
    else:
        st.session_state["review.flash"] = (
            "error",
            _("Nothing was imported: {reason}").format(reason=final.headline()),
        )
