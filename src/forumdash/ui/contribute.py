"""The submit page's parts: the contributor's practices or challenges, and the form that saves
them."""

import logging
import re
import uuid

import streamlit as st
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from forumdash import auth, i18n, repository, urlparams, workflow
from forumdash import autosave as autosave_domain
from forumdash import vocab as v
from forumdash.auth import SessionUser
from forumdash.db import read_session, write_session
from forumdash.i18n import N_, _
from forumdash.models import ChallengeCreate, PracticeCreate
from forumdash.ui import autosave, forms, lang, navigation, render, review, translated

# (colour, words) of each state's badge: the words translated where the badge is drawn.
STATUS_BADGE = {
    v.Workflow.draft: ("gray", N_("Draft")),
    v.Workflow.submitted: ("blue", N_("Submitted for review")),
    v.Workflow.in_review: ("blue", N_("In review")),
    v.Workflow.published: ("green", N_("Published")),
    v.Workflow.rejected: ("red", N_("Sent back")),
}


def _badge(colour: str, words: str) -> str:
    # A badge's words end at "]": one in a translation would cut the badge short.
    return f":{colour}-badge[{words.replace(']', ')')}]"


KIND_PARAM = {v.RecordType.practice: "practice", v.RecordType.challenge: "challenge"}


def chosen_kind() -> v.RecordType:
    """What the page edits: ?kind=challenge, else practices."""
    return (
        v.RecordType.challenge
        if st.query_params.get("kind") == "challenge"
        else v.RecordType.practice
    )


def my_records(engine: Engine, user: SessionUser, kind: v.RecordType) -> None:
    with read_session(engine) as session:
        mine = workflow.my_records(session=session, user=user, record_type=kind)
    if kind == v.RecordType.practice:
        heading = _("Your country's practices") if user.country_code else _("All practices")
    else:
        heading = _("Your country's challenges") if user.country_code else _("All challenges")
    st.subheader(heading)
    if not mine:
        st.caption(_("None yet."))
    for item in mine[:50]:
        with st.container(border=True):
            colour, words = STATUS_BADGE[item.workflow]
            badge = _badge(colour, _(words))
            if item.pending_workflow is not None:
                edit = _("Edit: {state}").format(state=item.pending_workflow.label.lower())
                badge += " " + _badge("orange", edit)
            st.markdown(f"**{render.escape_markdown(item.title)}** {badge}")
            if item.rejection_reason and (
                item.workflow == v.Workflow.rejected or item.pending_workflow == v.Workflow.rejected
            ):
                st.caption(
                    _("Reason given: {reason}").format(
                        reason=render.escape_markdown(item.rejection_reason)
                    )
                )
            st.page_link(
                navigation.page("pages/submit.py"),
                label=_("Edit"),
                icon=":material/edit:",
                query_params=lang.params({"kind": KIND_PARAM[kind], "id": str(item.record_id)}),
            )


def form(
    engine: Engine,
    user: SessionUser,
    countries: dict[str, str],
    themes: dict[str, str],
    kind: v.RecordType = v.RecordType.practice,
) -> None:
    """The form for ?id=N (an edit) or a new record (?draft=KEY, the idempotency key); its text
    is kept as it is typed (forumdash.ui.autosave)."""
    noun = KIND_PARAM[kind]
    ids = f"{noun}_id"
    raw_id = st.query_params.get("id", "")
    record_id = urlparams.whole_number(raw_id, 1, 2**31 - 1)
    record = None
    version = None
    if record_id is not None:
        # Written back: a link to this same page hands the script its parameters without
        # putting them in the address bar, and the next rerun (the form's button) reads them
        # from the address bar.
        lang.set_url({"kind": noun, "id": str(record_id)})
        try:
            with read_session(engine) as session:
                # The version first: a change committed between the two reads then shows in the
                # record and refuses a save, instead of being overwritten unseen.
                version = workflow.record_version(session=session, **{ids: record_id})
                record = workflow.editable_record(session=session, user=user, **{ids: record_id})
        except (auth.PermissionDenied, workflow.WorkflowError) as exc:
            st.error(str(exc))
            return
        st.subheader(_("Edit: {title}").format(title=render.escape_markdown(record.title)))
    else:
        if not re.fullmatch(r"[0-9a-f]{32}", st.query_params.get("draft", "")):
            # The key lives in the URL, so a refresh or a second tab of this form saves to the
            # same record.
            st.query_params["draft"] = uuid.uuid4().hex
        else:
            # Written back, as an edit's id above: a link to an unsaved form ("Text you typed
            # and did not save") must leave its key in the address bar for the next rerun.
            lang.set_url({"kind": noun, "draft": st.query_params["draft"]})
        st.subheader(_("A new practice") if kind == v.RecordType.practice else _("A new challenge"))
    client_key = st.query_params.get("draft") if record_id is None else None
    form_key = f"submit.{noun}.{record_id or client_key}"
    owner = autosave.owner_of(user)
    texts = (
        forms.practice_texts(record)
        if kind == v.RecordType.practice
        else forms.challenge_texts(record)
    )
    where = {"kind": noun} | ({"id": str(record_id)} if record_id else {"draft": client_key or ""})
    with autosave.attach(
        form_key,
        {name: f"{form_key}.{name}" for name in texts},
        owner,
        defaults=texts,
        page="pages/submit.py",
        params=where,
        engine=engine,
        version=version,
    ):
        if kind == v.RecordType.practice:
            with read_session(engine) as session:
                origins = repository.origin_choices(session=session)
            if record is not None:
                origins.pop(record.slug, None)  # not adapted from itself
            action, raw = forms.practice_form(
                user=user,
                countries=countries,
                themes=themes,
                record=record,
                form_key=form_key,
                origins=origins,
            )
        else:
            action, raw = forms.challenge_form(
                user=user, countries=countries, themes=themes, record=record, form_key=form_key
            )
    if record is not None and version is not None:
        _keep_start(form_key, record, version)
    names = themes | countries
    # Under the form, where its buttons were pressed (the page does not scroll to the top).
    taken_over = _refused(engine, user, kind, form_key, names)
    if record is not None and record_id is not None:
        # Its translations are saved on their own (the record's form does not carry them).
        translated.translation_form(engine, user, kind, record_id, record)
    if taken_over is not None:
        # "Save mine over it": the text refused before, now saved at the version it was shown.
        mine, mine_action, target, seen = taken_over
        _store(engine, user, kind, mine, mine_action, target, None, seen, form_key, names)
        return
    if action is None:
        return
    schema = PracticeCreate if kind == v.RecordType.practice else ChallengeCreate
    record_in, problems = forms.validate(raw, schema)
    if problems:
        st.error(
            _("Nothing was saved. Please fix:")
            + "\n\n"
            + "\n".join(f"- {render.escape_markdown(p)}" for p in problems)
        )
        return
    expected = autosave.form_version(form_key) if record_id is not None else None
    if record_id is not None and expected is None:
        expected = version
    _store(engine, user, kind, record_in, action, record_id, client_key, expected, form_key, names)


def _store(
    engine: Engine,
    user: SessionUser,
    kind: v.RecordType,
    record_in: PracticeCreate | ChallengeCreate,
    action: str,
    record_id: int | None,
    client_key: str | None,
    expected_version: int | None,
    form_key: str,
    names: dict[str, str],
) -> None:
    """Save (and submit) the form's record at the version its text was typed against; a record
    saved again since is not overwritten: the refusal shows what changed and keeps the text."""
    noun = KIND_PARAM[kind]
    ids = f"{noun}_id"
    owner = autosave.owner_of(user)
    try:
        with write_session(engine) as session:
            if kind == v.RecordType.practice:
                assert isinstance(record_in, PracticeCreate)
                saved = workflow.save_practice(
                    session=session,
                    user=user,
                    practice_in=record_in,
                    practice_id=record_id,
                    client_key=client_key,
                    expected_version=expected_version,
                )
            else:
                assert isinstance(record_in, ChallengeCreate)
                saved = workflow.save_challenge(
                    session=session,
                    user=user,
                    challenge_in=record_in,
                    challenge_id=record_id,
                    client_key=client_key,
                    expected_version=expected_version,
                )
            if action == "submit":
                workflow.submit(session=session, user=user, **{ids: saved})
            outcome = workflow.save_outcome(session=session, **{ids: saved})
            now = workflow.record_version(session=session, **{ids: saved})
            shown = workflow.editable_record(session=session, user=user, **{ids: saved})
    except workflow.StaleEdit as exc:
        _note_refusal(form_key, exc, record_in, action, names)
        st.rerun()
    except (auth.PermissionDenied, workflow.WorkflowError) as exc:
        st.error(_("Nothing was saved: {reason}").format(reason=render.escape_markdown(str(exc))))
        return
    except DBAPIError:
        # The log stays English; .log (not .exception) keeps it apart from on-screen messages.
        logging.getLogger("forumdash").log(logging.ERROR, "saving a %s failed", noun, exc_info=True)
        st.error(_("Nothing was saved: the database refused the record. Please try again."))
        return
    autosave.clear(form_key, owner, engine)
    st.session_state.pop(_refusal_key(form_key), None)
    # The form now holds what was saved: its next save starts from this version.
    saved_key = f"submit.{noun}.{saved}"
    autosave.set_form_version(saved_key, now)
    st.session_state[_start_key(saved_key)] = {"version": now, "record": _json(shown)}
    lang.set_url()
    st.query_params["kind"] = noun
    st.query_params["id"] = str(saved)
    st.session_state["submit.flash"] = outcome
    st.rerun()


# --------------------------------------------------------------------------- saves refused


def _start_key(form_key: str) -> str:
    """Where a form keeps the record its text was typed against: {"version", "record"}."""
    return f"versions.{form_key}.start"


def _refusal_key(form_key: str) -> str:
    return f"versions.{form_key}.refused"


def _json(record: PracticeCreate | ChallengeCreate) -> dict[str, object]:
    return record.model_dump(mode="json")


def _keep_start(form_key: str, record: PracticeCreate | ChallengeCreate, version: int) -> None:
    """Remember the record the form's text goes with, to show what changed if a save is
    refused. A version moved only by what this form does not show (a translation saved below
    it, a submission) moves the form along: refusing its save would show nothing changed."""
    typed = autosave.form_version(form_key)
    start = st.session_state.get(_start_key(form_key))
    if typed == version:
        st.session_state[_start_key(form_key)] = {"version": version, "record": _json(record)}
    elif (
        isinstance(start, dict)
        and start.get("version") == typed
        and not workflow.changes_between(start["record"], record, translations=False)
    ):
        autosave.set_form_version(form_key, version)
        st.session_state[_start_key(form_key)] = {"version": version, "record": _json(record)}


def _note_refusal(
    form_key: str,
    exc: workflow.StaleEdit,
    record_in: PracticeCreate | ChallengeCreate,
    action: str,
    names: dict[str, str],
) -> None:
    """Keep what a refused save needs over the reruns that follow: the message, what changed
    meanwhile (or, when the form's starting point is not known, where the saved version
    differs from the form), the person's record to save over it, and the version they saw."""
    start = st.session_state.get(_start_key(form_key))
    known = isinstance(start, dict) and start.get("version") == autosave.form_version(form_key)
    if known and isinstance(start, dict):
        changes = exc.changes_since(start["record"])
    else:
        changes = workflow.changes_between(record_in, exc.current, translations=False)
    st.session_state[_refusal_key(form_key)] = {
        "message": str(exc),
        "meanwhile": known,
        "changes": [(field, _short(was), _short(now)) for field, was, now in changes],
        "mine": _json(record_in),
        "action": action,
        "record_id": exc.record_id,
        "version": exc.version,
        "new": True,
    }


SHORT = 600  # characters of a changed value shown in a refusal (the record page has the rest)


def _short(value: object) -> object:
    if isinstance(value, str) and len(value) > SHORT:
        return value[:SHORT] + "…"
    return value


def _refused(
    engine: Engine, user: SessionUser, kind: v.RecordType, form_key: str, names: dict[str, str]
) -> tuple[PracticeCreate | ChallengeCreate, str, int, int] | None:
    """A refused save's message, what changed meanwhile and the two ways forward; returns the
    refused record to save over the newer one when the person chose to (else None)."""
    yours = st.session_state.get(f"versions.{form_key}.yours")
    if isinstance(yours, dict) and yours:
        with st.expander(_("Your text, as you typed it (copy what you need)"), expanded=True):
            for name, text in yours.items():
                st.caption(forms.text_label(name))
                st.code(text, language=None, wrap_lines=True)
            st.button(
                _("Done with my text"),
                key=f"versions.{form_key}.yours.done",
                on_click=lambda: st.session_state.pop(f"versions.{form_key}.yours", None),
            )
    refused = st.session_state.get(_refusal_key(form_key))
    if not isinstance(refused, dict):
        return None
    if refused.pop("new", False):
        # Seen wherever the page is scrolled to, as the review page's messages.
        st.toast(render.escape_markdown(str(refused["message"])), icon=":material/sync_problem:")
    with st.container(border=True, key=f"versions.refused.{form_key}"):
        st.error(render.escape_markdown(str(refused["message"])), icon=":material/sync_problem:")
        changes = [tuple(change) for change in refused["changes"]]
        if refused["meanwhile"]:
            st.markdown(_("**Changed meanwhile**"))
            captions = (N_("When you opened the form"), N_("Saved since"))
        else:
            st.markdown(_("**Where the saved version differs from your form**"))
            captions = (N_("In your form"), N_("Saved"))
        if changes:
            review.diff_table(changes, names, kind, captions=captions)
        else:
            st.caption(_("Nothing this form shows differs: it was saved again without changes."))
        load, overwrite = st.columns(2)
        load.button(
            _("Load the current version"),
            key=f"versions.{form_key}.load",
            icon=":material/refresh:",
            on_click=_load_current,
            args=(engine, user, kind, form_key),
            width="stretch",
        )
        if overwrite.button(
            _("Save mine over it"),
            key=f"versions.{form_key}.overwrite",
            icon=":material/save_as:",
            help=_(
                "Saves your form as you last sent it, replacing what was saved since (shown above)."
            ),
            width="stretch",
        ):
            schema = PracticeCreate if kind == v.RecordType.practice else ChallengeCreate
            mine = schema.model_validate(refused["mine"])
            return mine, str(refused["action"]), int(refused["record_id"]), int(refused["version"])
    return None


def _load_current(engine: Engine, user: SessionUser, kind: v.RecordType, form_key: str) -> None:
    """The form shows the record as it is now; the person's text stays above it to copy."""
    refused = st.session_state.pop(_refusal_key(form_key), None)
    prefix = form_key + "."
    texts = (
        forms.practice_texts(None) if kind == v.RecordType.practice else forms.challenge_texts(None)
    )
    typed = {
        name: str(st.session_state[prefix + name])
        for name in texts
        if str(st.session_state.get(prefix + name, "")).strip()
    }
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(prefix)]:
        del st.session_state[key]
    autosave.clear(form_key, autosave.owner_of(user), engine)
    noun = KIND_PARAM[kind]
    target = int(refused["record_id"]) if isinstance(refused, dict) else None
    # A new form's other tab made the record: its edit form is where the current version is.
    target_key = f"submit.{noun}.{target}" if target is not None else form_key
    st.session_state[f"versions.{target_key}.yours"] = typed
    st.session_state.pop(_start_key(target_key), None)
    if target is not None:
        lang.set_url({"kind": noun, "id": str(target)})


def draft_form(draft: autosave_domain.Draft) -> str:
    """Which form a draft on this page was typed into, in words ("New practice")."""
    parts = draft.form_key.split(".")
    if parts[0] == "translate" and len(parts) > 3:
        return _("Translation into {language}").format(language=i18n.language_name(parts[3]))
    new = "draft" in draft.params
    if len(parts) > 1 and parts[1] == "challenge":
        return _("New challenge") if new else _("Challenge")
    return _("New practice") if new else _("Practice")


def template_buttons(themes: dict[str, str]) -> None:
    """The bulk-entry template, for preparing many practices offline."""
    from forumdash import importers

    st.caption(_("Many practices at once? Fill in the template; an organiser imports it."))
    # One under the other: side by side in the narrow column they read "Template X…".
    st.download_button(
        _("Template CSV"),
        data=importers.template_csv,
        file_name=importers.TEMPLATE_FILENAMES["csv"],
        mime="text/csv",
        key="submit.template.csv",
        icon=":material/download:",
        on_click="ignore",
        width="stretch",
    )
    st.download_button(
        _("Template XLSX"),
        data=lambda: importers.template_xlsx(themes=themes),
        file_name=importers.TEMPLATE_FILENAMES["xlsx"],
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="submit.template.xlsx",
        icon=":material/download:",
        on_click="ignore",
        width="stretch",
    )
