"""Records in several languages on the pages: which language a record's text is in ("Translated
from Albanian · Show original"), and the submit page's "Add a translation" form. Which text a
reader sees is forumdash.translations.shown_text's decision; this module only shows it."""

import streamlit as st
from pydantic import ValidationError
from sqlalchemy.engine import Engine

from forumdash import auth, i18n, workflow
from forumdash import vocab as v
from forumdash.auth import SessionUser
from forumdash.db import write_session
from forumdash.i18n import _
from forumdash.models import (
    ChallengeCreate,
    ChallengeTranslationIn,
    PracticeCreate,
    PracticeTranslationIn,
)
from forumdash.translations import ShownText, shown_text
from forumdash.ui import autosave, lang, navigation, render

# `?original=1`: the reader asked for the record as written (kept in the URL, so a shared link
# shows what its sender saw).
ORIGINAL_PARAM = "original"


def wants_original() -> bool:
    """Whether this page's URL asks for records as written rather than translated."""
    return st.query_params.get(ORIGINAL_PARAM) == "1"


def shown(record: object) -> ShownText:
    """A record's text for this page's reader (translated unless the URL asks for the original)."""
    return shown_text(record, original=wants_original())


def url_params(values: dict[str, str]) -> dict[str, str]:
    """A record page's own URL parameters, with `original` kept when the reader asked for it."""
    return values | ({ORIGINAL_PARAM: "1"} if wants_original() else {})


def notice(text: ShownText, page: str, params: dict[str, str]) -> None:
    """Under a record's title: the language its text is in, and a link to the other version
    (the original, or back to the translation into the reader's language)."""
    said = text.notice()
    if said:
        st.caption(f":material/translate: {render.escape_markdown(said)}")
    if text.translated:
        st.page_link(
            navigation.page(page),
            label=_("Show original"),
            query_params=lang.params(params | {ORIGINAL_PARAM: "1"}),
            icon=":material/undo:",
        )
        if text.untranslated:
            st.caption(_("Parts not translated yet are shown as written."))
    elif text.reader in text.also_in:
        st.page_link(
            navigation.page(page),
            label=_("Show the translation into {language}").format(
                language=i18n.language_name(text.reader)
            ),
            query_params=lang.params(params),
            icon=":material/translate:",
        )


# --------------------------------------------------------------------------- the form


def translation_form(
    engine: Engine,
    user: SessionUser,
    kind: v.RecordType,
    record_id: int,
    record: PracticeCreate | ChallengeCreate,
) -> None:
    """Add a translation of the record being edited, or edit or remove one: saved as an edit
    of the record (a focal point's edit of a published record waits for review)."""
    noun = kind.value
    st.subheader(_("Add a translation"), anchor=False)
    own = record.original_language
    if not own:
        st.info(
            _(
                "Say in which language this record is written (Original language) and save it; "
                "then translations into the other languages can be added."
            )
        )
        return
    existing = record.translations or {}
    if existing:
        st.caption(
            _("Translated into: {languages}. Choose one of them to edit it.").format(
                languages=", ".join(i18n.language_name(tag) for tag in existing)
            )
        )
    options = [tag for tag in i18n.TAGS if tag != own]
    language = st.selectbox(
        _("Language of the translation"),
        options,
        format_func=lambda tag: i18n.language_name(tag) + (" ✓" if tag in existing else ""),
        key=f"translate.{noun}.{record_id}.language",
    )
    current = existing.get(language)
    base = f"translate.{noun}.{record_id}.{language}"
    # The version check: what the form showed when it was drawn, sent back with the save.
    if base + ".was" not in st.session_state:
        st.session_state[base + ".was"] = current.model_dump() if current else None
        st.session_state[base + ".round"] = st.session_state.get(base + ".round", 0) + 1
    was_data = st.session_state[base + ".was"]
    form_key = f"{base}.{st.session_state[base + '.round']}"
    schema = PracticeTranslationIn if kind == v.RecordType.practice else ChallengeTranslationIn
    values: dict[str, object] = {}
    owner = autosave.owner_of(user)
    texts = _texts(kind, record, current)
    with (
        autosave.attach(
            base,
            {name: f"{form_key}.{name}" for name in texts},
            owner,
            defaults=texts,
            page="pages/submit.py",
            params={"kind": noun, "id": str(record_id)},
            engine=engine,
        ),
        st.form(form_key),
    ):
        st.caption(
            _("Written in {original}; translated here into {language}.").format(
                original=i18n.language_name(own), language=i18n.language_name(language)
            )
        )
        if kind == v.RecordType.practice:
            assert isinstance(record, PracticeCreate)
            values["title"] = st.text_input(
                _("Title *"), value=texts["title"], help=record.title, key=form_key + ".title"
            )
            values["summary"] = st.text_area(
                _("Summary *"), value=texts["summary"], key=form_key + ".summary"
            )
            body: dict[str, str] = {}
            for key, heading in v.BODY_SECTIONS:
                if "body." + key in texts:
                    body[key] = st.text_area(
                        _(heading), value=texts["body." + key], key=f"{form_key}.body.{key}"
                    )
            values["body"] = body
            for key, label in (
                ("transferability", _("Transferability")),
                ("transfer_conditions", _("Conditions for transfer")),
            ):
                if key in texts:
                    values[key] = st.text_area(label, value=texts[key], key=f"{form_key}.{key}")
        else:
            assert isinstance(record, ChallengeCreate)
            values["title"] = st.text_input(
                _("Title *"), value=texts["title"], help=record.title, key=form_key + ".title"
            )
            values["description"] = st.text_area(
                _("Description *"), value=texts["description"], key=form_key + ".description"
            )
            if "raised_at_event" in texts:
                values["raised_at_event"] = st.text_input(
                    _("Raised at event"),
                    value=texts["raised_at_event"],
                    key=form_key + ".raised_at_event",
                )
        save = st.form_submit_button(_("Save translation"), type="primary")
        remove = (
            st.form_submit_button(_("Remove this translation")) if current is not None else False
        )
    if not (save or remove):
        return
    was = schema.model_validate(was_data, context={"stored": True}) if was_data else None
    translation = None
    if save:
        try:
            translation = schema.model_validate(values)
        except ValidationError as exc:
            st.error(
                _("Nothing was saved. Please fix:")
                + "\n\n"
                + "\n".join(
                    f"- {render.escape_markdown(str(err['loc'][0]))}: "
                    f"{render.escape_markdown(str(err['msg']).removeprefix('Value error, '))}"
                    for err in exc.errors()
                )
            )
            return
    ids = {f"{noun}_id": record_id}
    try:
        with write_session(engine) as session:
            workflow.save_translation(
                session=session,
                user=user,
                language=language,
                translation=translation,
                was=was,
                **ids,
            )
            outcome = workflow.save_outcome(session=session, **ids)
    except (auth.PermissionDenied, workflow.WorkflowError) as exc:
        st.error(render.escape_markdown(str(exc)))
        st.button(
            _("Load the current version"),
            key=base + ".reload",
            on_click=lambda: st.session_state.pop(base + ".was", None),
        )
        return
    autosave.clear(base, owner, engine)
    st.session_state.pop(base + ".was", None)
    st.session_state["submit.flash"] = outcome
    st.rerun()


def _texts(
    kind: v.RecordType,
    record: PracticeCreate | ChallengeCreate,
    current: PracticeTranslationIn | ChallengeTranslationIn | None,
) -> dict[str, str]:
    """The translation form's typed fields (name -> the text it starts with): the parts the
    record has (or the translation already has), each as translated so far."""
    if kind == v.RecordType.practice:
        assert isinstance(record, PracticeCreate)
        done = current if isinstance(current, PracticeTranslationIn) else None
        texts = {"title": done.title if done else "", "summary": done.summary if done else ""}
        for key, _heading in v.BODY_SECTIONS:
            if record.body.get(key) or (done and done.body.get(key)):
                texts["body." + key] = done.body.get(key, "") if done else ""
        for key in ("transferability", "transfer_conditions"):
            if getattr(record, key) or (done and getattr(done, key)):
                texts[key] = getattr(done, key) if done else ""
    else:
        assert isinstance(record, ChallengeCreate)
        said = current if isinstance(current, ChallengeTranslationIn) else None
        texts = {
            "title": said.title if said else "",
            "description": said.description if said else "",
        }
        if record.raised_at_event:
            texts["raised_at_event"] = (said.raised_at_event or "") if said else ""
    return {name: text or "" for name, text in texts.items()}
