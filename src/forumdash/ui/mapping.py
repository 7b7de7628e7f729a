"""/review's import of a spreadsheet in its own columns: upload, a proposed mapping (one choice
per template field, the proposed column preselected), the first rows as records, the words that
match nothing (each mappable), a dry run, then the import; mappings can be saved and reused.

Every choice lives in session state under a key made from the file's hash, so that a rerun (or
uploading the same file again) keeps what the organiser adjusted."""

import hashlib
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

from forumdash import auth, i18n
from forumdash import vocab as v
from forumdash.auth import SessionUser
from forumdash.db import read_session
from forumdash.i18n import N_, _, ngettext
from forumdash.importers import mapping as m
from forumdash.importers.practices import IMPORT_WORKFLOWS, Context
from forumdash.importers.report import ImportReport
from forumdash.importers.sniff import MAX_MEGABYTES, InvalidFile
from forumdash.importers.tables import Table
from forumdash.ui import render
from forumdash.ui.session import acting

# Options of the selectboxes, kept in session state: the English text is the stored value (so
# that a choice survives a change of language), translated where shown (`_shown`).
NONE = N_("— not in the file —")
AS_WRITTEN = N_("(leave as written)")
LEAVE_OUT = N_("(leave it out)")
SENTINELS = (NONE, AS_WRITTEN, LEAVE_OUT)
MAX_WORDS_SHOWN = 30
KIND_LABELS = {"practices": N_("Practices"), "challenges": N_("Challenges")}


def _shown(option: object) -> str:
    """A selectbox option as shown: the sentinels translated, a file's column as written."""
    return _(option) if isinstance(option, str) and option in SENTINELS else str(option)


def field_label(header: str) -> str:
    """A template field's name as the mapping shows it (the template's header, translated: the
    header itself stays English in files, the CLI and the stored mapping)."""
    return _(header)


def mapped_import(engine: Engine, user: SessionUser | None) -> None:
    """The tab: choose practices or challenges, upload, then the mapping flow."""
    if not auth.is_organiser(user):
        st.info(_("Only organisers import."))
        return
    st.caption(
        _(
            "A spreadsheet in its own columns (CSV or XLSX): say which column feeds which field "
            "of the template, check the first rows, try a dry run, then import. New records are "
            "drafts."
        )
    )
    kind = st.segmented_control(
        _("What the spreadsheet holds"),
        list(m.KINDS),
        default="practices",
        key="review.map.kind",
        format_func=lambda kind: _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind,
    )
    if kind is None:
        return
    upload = st.file_uploader(
        _("Spreadsheet (CSV or XLSX, at most {megabytes} MB)").format(megabytes=MAX_MEGABYTES),
        type=list(m.ACCEPTED),
        max_upload_size=MAX_MEGABYTES,
        key="review.map.file",  # one for both kinds: switching keeps the file
    )
    if upload is None:
        return
    mapping_flow(engine, user, kind, upload.getvalue(), upload.name)


def _prefix(kind: str, data: bytes) -> str:
    return f"review.map.{kind}.{hashlib.sha256(data).hexdigest()[:16]}"


def _table(prefix: str, data: bytes, filename: str, template: m.Template) -> Table | None:
    """The file's table, read once per file (kept in session state)."""
    key = f"{prefix}.table"
    if key not in st.session_state:
        try:
            with st.spinner(  # user text
                _("Reading {filename}…").format(filename=render.escape_markdown(filename))
            ):
                st.session_state[key] = m.read_table(data, filename, template)
        except InvalidFile as exc:
            st.error(
                _("This file cannot be imported: {reason}").format(
                    reason=render.escape_markdown(str(exc))
                )
            )
            return None
    table: Table = st.session_state[key]
    return table


def mapping_flow(
    engine: Engine, user: SessionUser | None, kind: str, data: bytes, filename: str
) -> None:
    """Everything after the upload, for the file's bytes (so that a test can start here)."""
    if not auth.is_organiser(user):
        st.info(_("Only organisers import."))
        return
    template = m.TEMPLATES[kind]
    prefix = _prefix(kind, data)
    done = st.session_state.get(f"{prefix}.done")
    if done is not None:  # after the import, only its result
        st.success(
            render.escape_markdown(
                _("Imported from {filename}. {summary}").format(
                    filename=filename, summary=done.lines()[0]
                )
            )
        )
        return
    table = _table(prefix, data, filename, template)
    if table is None:
        return
    with read_session(engine) as session:
        context, known = m.load_template_context(session, template)
    # The proposal says in words why each column was chosen: one per language.
    proposal_key = f"{prefix}.proposal.{i18n.current().tag}"
    if proposal_key not in st.session_state:
        st.session_state[proposal_key] = m.propose(table, template, context)
    proposal: m.Proposal = st.session_state[proposal_key]
    _saved(engine, user, kind, prefix, template)

    st.markdown(
        ngettext(
            "**Columns** — {n} row in {filename}",
            "**Columns** — {n} rows in {filename}",
            len(table.rows),
        ).format(n=len(table.rows), filename=render.escape_markdown(filename))
    )
    columns = [c for c in table.header if c]
    mapping = m.ColumnMapping()
    required = [t for t in template.targets if t.required]
    others = [t for t in template.targets if not t.required]
    for group, where in ((required, st.container()), (others, st.expander(_("More fields")))):
        with where:
            for target in group:
                column, constant = _field_choice(prefix, target, columns, proposal)
                if column:
                    mapping.columns[target.header] = column
                if constant:
                    mapping.constants[target.header] = constant
    mapping.values = {h: dict(w) for h, w in st.session_state.get(f"{prefix}.values", {}).items()}

    try:
        with st.spinner(_("Reading every row through the mapping…")):
            rows, mapped = m.preview(table, mapping, template, context, known=known)
    except InvalidFile as exc:
        st.error(render.escape_markdown(str(exc)))
        return
    st.markdown(_("**The first rows as they would be stored**"))
    st.dataframe(
        pd.DataFrame(
            [
                {
                    _("Row"): r.row,
                    **{field_label(header): value for header, value in r.fields.items()},
                    _("Problems"): r.problems,
                }
                for r in rows
            ]
        ).astype(str),
        hide_index=True,
        key=f"{prefix}.preview",
    )
    _unmatched(prefix, template, context, mapped, mapping)
    _restore(prefix, f"{prefix}.workflow", v.Workflow.draft.value)
    workflow = st.radio(
        _("New practices arrive as") if kind == "practices" else _("New challenges arrive as"),
        [state.value for state in IMPORT_WORKFLOWS],
        format_func=lambda value: v.Workflow(value).label,
        horizontal=True,
        key=f"{prefix}.workflow",
        help=_("Existing records (the same slug) keep their state."),
    )
    _keep(prefix, f"{prefix}.workflow")
    _run(engine, user, kind, prefix, data, filename, mapping, str(workflow))


def _field_choice(
    prefix: str, target: m.Target, columns: list[str], proposal: m.Proposal
) -> tuple[str, str]:
    """One field: the column that feeds it (the proposal preselected) and a value for every row
    where that column is blank."""
    key = f"{prefix}.col.{target.header}"
    _restore(prefix, key, proposal.mapping.columns.get(target.header, NONE))
    _restore(prefix, f"{prefix}.set.{target.header}", "")
    left, right = st.columns([3, 2])
    why = proposal.why.get(target.header)
    name = field_label(target.header)
    column = left.selectbox(
        _("{field} (required)").format(field=name) if target.required else name,
        [NONE, *columns],
        key=key,
        format_func=_shown,
        help=_("Proposed because of {why}.").format(why=why) if why else None,
    )
    constant = right.text_input(
        _("{field}: same value for every row").format(field=name),
        key=f"{prefix}.set.{target.header}",
        placeholder=_("or the same value for every row"),
        label_visibility="collapsed",
    )
    _keep(prefix, key)
    _keep(prefix, f"{prefix}.set.{target.header}")
    return ("" if column in (None, NONE) else str(column)), constant.strip()


def _restore(prefix: str, key: str, default: Any) -> None:
    """Give a widget the value it had, even after runs that did not draw it (Streamlit forgets
    the state of a widget it did not draw: switching to challenges and back would lose it)."""
    if key not in st.session_state:
        st.session_state[key] = st.session_state.get(f"{prefix}.kept", {}).get(key, default)


def _keep(prefix: str, key: str) -> None:
    st.session_state.setdefault(f"{prefix}.kept", {})[key] = st.session_state.get(key)


def _choices(target: m.Target, context: Context) -> dict[str, str]:
    """What a word can be mapped to: value -> how it is shown."""
    if target.kind == "country":
        return {
            code: f"{code} — {i18n.country_name(code, name)}"
            for code, name in context.countries.items()
        }
    if target.kind == "themes":
        return {slug: f"{i18n.data_label(name)} ({slug})" for slug, name in context.themes.items()}
    if target.kind == "yesno":
        return {"yes": _("yes"), "no": _("no")}
    if target.vocabulary is not None:
        return {member.value: member.label for member in target.vocabulary}
    return {}


def _remember(prefix: str, header: str, word: str, key: str) -> None:
    """Keep a word's meaning outside the widget, whose state goes when the word is mapped."""
    values: dict[str, dict[str, str]] = st.session_state.setdefault(f"{prefix}.values", {})
    chosen = st.session_state.get(key)
    if chosen == AS_WRITTEN or chosen is None:
        values.get(header, {}).pop(word, None)
    else:
        values.setdefault(header, {})[word] = "" if chosen == LEAVE_OUT else str(chosen)


def _unmatched(
    prefix: str,
    template: m.Template,
    context: Context,
    mapped: m.MappedFile,
    mapping: m.ColumnMapping,
) -> None:
    """The words of each field that match nothing, with counts, each mappable; and the words
    already given a meaning, which can be changed back."""
    values: dict[str, dict[str, str]] = st.session_state.get(f"{prefix}.values", {})
    groups = {group.header: group for group in mapped.unmatched}
    headers = [h for h in template.headers if h in groups or values.get(h)]
    if not headers:
        st.caption(_("Every value of the fields with a list of values matches one of them."))
        return
    st.markdown(_("**Values that match nothing**"))
    for header in headers:
        target = template.target(header)
        assert target is not None
        group = groups.get(header)
        words = [(w, n) for w, n in group.counts.most_common()] if group else []
        words += [(w, 0) for w in values.get(header, {}) if not group or w not in group.counts]
        column = group.column if group else mapping.columns.get(header, "")
        name = field_label(header)
        st.markdown(
            render.escape_markdown(
                _("{field} (column {column})").format(field=name, column=column)
                if column and column != m.CONSTANT
                else name
            )
        )
        choices = _choices(target, context)
        options = [AS_WRITTEN, LEAVE_OUT, *choices]
        for word, count in words[:MAX_WORDS_SHOWN]:
            key = f"{prefix}.word.{header}.{hashlib.sha256(word.encode()).hexdigest()[:12]}"
            if key not in st.session_state:
                meant = values.get(header, {}).get(word)
                st.session_state[key] = (
                    AS_WRITTEN if meant is None else (LEAVE_OUT if meant == "" else meant)
                )
            shown = (
                ngettext("{word} — {n} row", "{word} — {n} rows", count).format(word=word, n=count)
                if count
                else word
            )
            st.selectbox(
                render.escape_markdown(shown),
                options,
                key=key,
                format_func=_labeller(choices),
                on_change=_remember,
                args=(prefix, header, word, key),
            )
        if len(words) > MAX_WORDS_SHOWN:
            more = len(words) - MAX_WORDS_SHOWN
            st.caption(ngettext("and {n} more value", "and {n} more values", more).format(n=more))


def _labeller(choices: dict[str, str]) -> Callable[[str], str]:
    return lambda option: choices.get(option) or _shown(option)


def _run(
    engine: Engine,
    user: SessionUser | None,
    kind: str,
    prefix: str,
    data: bytes,
    filename: str,
    mapping: m.ColumnMapping,
    workflow: str,
) -> None:
    """The dry run, its report, and the import once the dry run of this very mapping is clean."""
    chosen = {"mapping": mapping.as_json(), "workflow": workflow}
    # A dry run's report is worded in the language it ran in: kept per language, so that a
    # reader who switches language runs it again rather than reading the other language.
    tag = i18n.current().tag
    st.button(
        _("Dry run"),
        key=f"{prefix}.dry_run",
        on_click=acting(engine, _import),
        args=(engine, user, kind, prefix, data, filename, chosen, True, tag),
    )
    dry: dict[str, Any] | None = st.session_state.get(f"{prefix}.dry.{tag}")
    if dry is None:
        return
    if dry.get("error"):
        st.error(
            render.escape_markdown(
                _("This file cannot be imported: {reason}").format(reason=dry["error"])
            )
        )
        return
    report: ImportReport = dry["report"]
    if dry["chosen"] != chosen:
        st.info(_("The mapping changed since the dry run: run it again."))
        return
    st.caption(_("A dry run: nothing has been written yet."))
    first, *rest = report.lines()
    lines = [first, *dry["unmatched"], *rest]  # the first line names the file
    st.code("\n".join(lines), language=None, wrap_lines=True)
    if not report.ok:
        st.error(
            render.escape_markdown(
                _(
                    "{filename}: fix the mapping (or the file) and run the dry run again; "
                    "nothing was written."
                ).format(filename=filename)
            )
        )
        return
    st.button(
        _("Import now"),
        key=f"{prefix}.import",
        type="primary",
        on_click=acting(engine, _import),
        args=(engine, user, kind, prefix, data, filename, chosen, False, tag),
    )


def _import(
    engine: Engine,
    user: SessionUser | None,
    kind: str,
    prefix: str,
    data: bytes,
    filename: str,
    chosen: dict[str, Any],
    dry_run: bool,
    tag: str,
) -> None:
    """Run the import (or its dry run) with the mapping and workflow state as they were when
    the button was drawn, its report worded in the language the page was shown in (a callback
    runs before the frame sets the language of the run)."""
    with i18n.language(tag):
        _import_in_language(engine, user, kind, prefix, data, filename, chosen, dry_run, tag)


def _import_in_language(
    engine: Engine,
    user: SessionUser | None,
    kind: str,
    prefix: str,
    data: bytes,
    filename: str,
    chosen: dict[str, Any],
    dry_run: bool,
    tag: str,
) -> None:
    try:
        auth.require(auth.is_organiser(user), _("Only organisers import."))
        result = m.import_mapped(
            engine,
            kind,
            data,
            filename,
            base=m.ColumnMapping.from_json(chosen["mapping"]),
            propose_rest=False,
            dry_run=dry_run,
            user_id=user.id if user else None,
            workflow=chosen["workflow"],
        )
    except (InvalidFile, auth.PermissionDenied, ValueError) as exc:
        st.session_state[f"{prefix}.dry.{tag}"] = {"error": str(exc), "chosen": chosen}
        return
    if dry_run or not result.report.ok:
        st.session_state[f"{prefix}.dry.{tag}"] = {
            "report": result.report,
            "chosen": chosen,
            "unmatched": result.unmatched_lines(),
        }
    else:
        for key in [k for k in st.session_state if str(k).startswith(f"{prefix}.dry.")]:
            del st.session_state[key]
        st.session_state[f"{prefix}.done"] = result.report


def _saved(
    engine: Engine, user: SessionUser | None, kind: str, prefix: str, template: m.Template
) -> None:
    """Start from a saved mapping, or save the one on screen under a name."""
    saved = m.saved_mappings(engine, user, kind)
    with st.expander(_("Saved mappings")):
        if saved:
            name = st.selectbox(_("Saved mapping"), list(saved), key=f"{prefix}.saved")
            st.button(
                _("Use this mapping"),
                key=f"{prefix}.use",
                on_click=_use,
                args=(prefix, template, saved.get(str(name)) or m.ColumnMapping()),
            )
        else:
            st.caption(_("No mapping saved yet for this kind of file."))
        new_name = st.text_input(_("Save the mapping below as"), key=f"{prefix}.save_name")
        if st.button(_("Save mapping"), key=f"{prefix}.save"):
            try:
                m.save_mapping(engine, user, kind, new_name, _current(prefix, template))
            except (InvalidFile, auth.PermissionDenied, ValueError) as exc:
                st.error(render.escape_markdown(str(exc)))
            else:
                saved_as = " ".join(new_name.split())
                st.success(render.escape_markdown(_("Saved as {name}.").format(name=saved_as)))


def _current(prefix: str, template: m.Template) -> m.ColumnMapping:
    """The mapping as the widgets say it now."""
    mapping = m.ColumnMapping()
    for target in template.targets:
        column = st.session_state.get(f"{prefix}.col.{target.header}")
        if column and column != NONE:
            mapping.columns[target.header] = str(column)
        constant = str(st.session_state.get(f"{prefix}.set.{target.header}") or "").strip()
        if constant:
            mapping.constants[target.header] = constant
    mapping.values = {h: dict(w) for h, w in st.session_state.get(f"{prefix}.values", {}).items()}
    return mapping


def _use(prefix: str, template: m.Template, saved: m.ColumnMapping) -> None:
    """Put a saved mapping into the widgets (columns the file lacks are left unmapped)."""
    table: Table | None = st.session_state.get(f"{prefix}.table")
    present = {c for c in (table.header if table else []) if c}
    for target in template.targets:
        column = saved.columns.get(target.header)
        st.session_state[f"{prefix}.col.{target.header}"] = column if column in present else NONE
        st.session_state[f"{prefix}.set.{target.header}"] = saved.constants.get(target.header, "")
    st.session_state[f"{prefix}.values"] = {h: dict(w) for h, w in saved.values.items()}
    for key in [k for k in st.session_state if str(k).startswith(f"{prefix}.word.")]:
        del st.session_state[key]
