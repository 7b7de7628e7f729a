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
from forumdash.ui import autosave, forms, lang, render, translated

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
                "pages/submit.py",
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
    if record_id is not None:
        # Written back: a link to this same page hands the script its parameters without
        # putting them in the address bar, and the next rerun (the form's button) reads them
        # from the address bar.
        lang.set_url({"kind": noun, "id": str(record_id)})
        try:
            with read_session(engine) as session:
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
    if record is not None and record_id is not None:
        # Its translations are saved on their own (the record's form does not carry them).
        translated.translation_form(engine, user, kind, record_id, record)
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
    try:
        with write_session(engine) as session:
            if kind == v.RecordType.practice:
                saved = workflow.save_practice(
                    session=session,
                    user=user,
                    practice_in=record_in,
                    practice_id=record_id,
                    client_key=client_key,
                )
            else:
                saved = workflow.save_challenge(
                    session=session,
                    user=user,
                    challenge_in=record_in,
                    challenge_id=record_id,
                    client_key=client_key,
                )
            if action == "submit":
                workflow.submit(session=session, user=user, **{ids: saved})
            outcome = workflow.save_outcome(session=session, **{ids: saved})
    except (auth.PermissionDenied, workflow.WorkflowError) as exc:
        st.error(_("Nothing was saved: {reason}").format(reason=render.escape_markdown(str(exc))))
        return
    except DBAPIError:
        # The log stays English; .log (not .exception) keeps it apart from on-screen messages.
        logging.getLogger("forumdash").log(logging.ERROR, "saving a %s failed", noun, exc_info=True)
        st.error(_("Nothing was saved: the database refused the record. Please try again."))
        return
    autosave.clear(form_key, owner, engine)
    lang.set_url()
    st.query_params["kind"] = noun
    st.query_params["id"] = str(saved)
    st.session_state["submit.flash"] = outcome
    st.rerun()


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
