"""The submit page's parts: the contributor's practices, and the form that saves them."""

import uuid

import streamlit as st
from sqlalchemy.engine import Engine

from forumdash import auth, workflow
from forumdash import vocab as v
from forumdash.auth import SessionUser
from forumdash.db import read_session, write_session
from forumdash.ui import forms, render

STATUS_BADGE = {
    v.Workflow.draft: ":gray-badge[Draft]",
    v.Workflow.submitted: ":blue-badge[Submitted for review]",
    v.Workflow.in_review: ":blue-badge[In review]",
    v.Workflow.published: ":green-badge[Published]",
    v.Workflow.rejected: ":red-badge[Sent back]",
}


def my_practices(engine: Engine, user: SessionUser) -> None:
    with read_session(engine) as session:
        mine = workflow.my_practices(session=session, user=user)
    st.subheader("Your country's practices" if user.country_code else "All practices")
    if not mine:
        st.caption("None yet.")
    for item in mine[:50]:
        with st.container(border=True):
            left, right = st.columns([5, 1])
            badge = STATUS_BADGE[item.status]
            if item.pending_status is not None:
                badge += f" :orange-badge[Edit: {item.pending_status.label.lower()}]"
            left.markdown(f"**{render.escape_markdown(item.title)}** {badge}")
            if item.rejection_reason and (
                item.status == v.Workflow.rejected or item.pending_status == v.Workflow.rejected
            ):
                left.caption(f"Reason given: {render.escape_markdown(item.rejection_reason)}")
            right.page_link(
                "pages/submit.py", label="Edit", icon=":material/edit:",
                query_params={"id": str(item.practice_id)},
            )  # fmt: skip


def form(engine: Engine, user: SessionUser, countries: dict[str, str], themes: dict[str, str]):  # type: ignore[no-untyped-def]
    """The form for ?id=N (an edit) or a new practice (?draft=KEY, the idempotency key)."""
    raw_id = st.query_params.get("id", "")
    practice_id = int(raw_id) if raw_id.isdigit() and len(raw_id) < 10 else None
    record = None
    if practice_id is not None:
        try:
            with read_session(engine) as session:
                record = workflow.editable_record(
                    session=session, user=user, practice_id=practice_id
                )
        except (auth.PermissionDenied, workflow.WorkflowError) as exc:
            st.error(str(exc))
            return
        st.subheader(f"Edit: {render.escape_markdown(record.title)}")
    else:
        if not st.query_params.get("draft"):
            # The key lives in the URL, so a refresh or a second tab of this form saves to the
            # same record.
            st.query_params["draft"] = uuid.uuid4().hex
        st.subheader("A new practice")
    client_key = st.query_params.get("draft") if practice_id is None else None
    action, raw = forms.practice_form(
        user=user, countries=countries, themes=themes, record=record,
        form_key=f"submit.form.{practice_id or client_key}",
    )  # fmt: skip
    if action is None:
        return
    practice_in, problems = forms.validate(raw)
    if problems:
        st.error("Nothing was saved. Please fix:\n\n" + "\n".join(
            f"- {render.escape_markdown(p)}" for p in problems
        ))  # fmt: skip
        return
    try:
        with write_session(engine) as session:
            saved = workflow.save_practice(
                session=session, user=user, practice_in=practice_in,
                practice_id=practice_id, client_key=client_key,
            )  # fmt: skip
            if action == "submit":
                workflow.submit(session=session, user=user, practice_id=saved)
            outcome = workflow.save_outcome(session=session, practice_id=saved)
    except (auth.PermissionDenied, workflow.WorkflowError) as exc:
        st.error(f"Nothing was saved: {render.escape_markdown(str(exc))}")
        return
    st.query_params.clear()
    st.query_params["id"] = str(saved)
    st.session_state["submit.flash"] = outcome
    st.rerun()


def template_buttons(themes: dict[str, str]) -> None:
    """The bulk-entry template, for preparing many practices offline."""
    from forumdash import importers

    st.caption("Many practices at once? Fill in the template; an organiser imports it.")
    left, right = st.columns(2)
    left.download_button(
        "Template CSV", data=importers.template_csv,
        file_name=importers.TEMPLATE_FILENAMES["csv"], mime="text/csv",
        key="submit.template.csv", icon=":material/download:", on_click="ignore", width="stretch",
    )  # fmt: skip
    right.download_button(
        "Template XLSX", data=lambda: importers.template_xlsx(themes=themes),
        file_name=importers.TEMPLATE_FILENAMES["xlsx"],
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="submit.template.xlsx", icon=":material/download:", on_click="ignore", width="stretch",
    )  # fmt: skip
