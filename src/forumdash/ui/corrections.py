"""'Suggest a correction' on a practice, a challenge or a milestone: a reader changes what is
wrong in the record's own form (every field, prefilled with what the record says now), says why
and where from; the organisers see it on /review (forumdash.ui.review)."""

import logging
from typing import Any

import streamlit as st
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from forumdash import i18n, limits, repository, workflow
from forumdash import vocab as v
from forumdash.db import read_session, write_session
from forumdash.i18n import N_, _
from forumdash.models import ChallengeCreate, PracticeCreate
from forumdash.ui import forms, participant, render
from forumdash.versioned_cache import ViewCache

# The words and honeypot boxes under the record's fields, by the end of their widget keys.
WORDS = ("wrong", "right", "source", "contact", "website")


Prefilled = tuple[PracticeCreate | ChallengeCreate | None, dict[str, dict[str, str]]]


def _load_record_and_choices(
    session: Session, record_type: str, record_id: int, language: str
) -> Prefilled:
    with i18n.language(language):  # the choices' names are in the reader's language
        return _record_and_names(session, record_type, record_id)


def _record_and_names(session: Session, record_type: str, record_id: int) -> Prefilled:
    choices = {
        "countries": {c.code: c.name_en for c in repository.list_countries(session=session)},
        "themes": repository.theme_names(session=session),
    }
    record: PracticeCreate | ChallengeCreate
    if record_type == v.RecordType.practice.value:
        record = workflow.record_of(session=session, practice_id=record_id)
    else:
        record = workflow.challenge_record_of(session=session, challenge_id=record_id)
    return record, choices


def _load_origins(session: Session, language: str) -> dict[str, str]:
    with i18n.language(language):  # "title (country)": the country named in the language
        return repository.origin_choices(session=session)


# Every published practice: one read per data version and language for all the forms (not one
# copy per record: at 100,000 practices each copy is megabytes).
_ORIGINS: ViewCache[dict[str, str]] = ViewCache(
    _load_origins, max_entries=8, warm=[(i18n.DEFAULT,)]
)

# Per record, data version and language: the record as its form starts.
_PREFILLED: ViewCache[Prefilled] = ViewCache(_load_record_and_choices, max_entries=256)


def _record_and_choices(engine: Engine, record_type: v.RecordType, record_id: int) -> Prefilled:
    """The record as it is now, and the names its form's choices need (countries, themes and,
    for a practice, the published practices it may be adapted from). Read-only: shared."""
    if record_type == v.RecordType.milestone:
        return None, {}
    with read_session(engine) as session:
        record, choices = _PREFILLED.get(session, record_type.value, record_id, i18n.current().tag)
        if record_type == v.RecordType.practice and record is not None:
            # Not adapted from itself: a new dict for this run, the shared one stays whole.
            slug = record.slug
            every = _ORIGINS.get(session, i18n.current().tag)
            origins = {key: name for key, name in every.items() if key != slug}
            choices = choices | {"origins": origins}
    return record, choices


def _fields(
    record: PracticeCreate | ChallengeCreate, choices: dict[str, dict[str, str]], key: str
) -> dict[str, Any]:
    """The record's own form fields (forumdash.ui.forms), starting at its values."""
    countries = choices["countries"]
    if isinstance(record, PracticeCreate):
        return forms.practice_fields(
            codes=list(countries),
            countries=countries,
            themes=choices["themes"],
            record=record,
            key=key,
            origins=choices.get("origins"),
        )
    return forms.challenge_fields(
        codes=list(countries), countries=countries, themes=choices["themes"], record=record, key=key
    )


# The expander's own key, under the form's: a test or a link can open it through session state.
OPEN = ".open"
OPENED = ".opened"


def correction_form(engine: Engine, record_type: v.RecordType, record_id: int) -> None:
    """'Suggest a correction': open to everyone, a few an hour per device and per address
    (forumdash.limits), with a honeypot for bots. What was typed stays in the form when it is
    refused, and goes once it is sent."""
    key = f"correction.{record_type.value}.{record_id}"
    if st.session_state.pop(key + ".sent", False):
        # Before the widgets exist: their keys can be dropped, so they start again from the record.
        # The expander stays open, to show the thanks.
        for name in [k for k in st.session_state if str(k).startswith(key + ".")]:
            if name not in (key + ".outcome", key + OPEN, key + OPENED):
                del st.session_state[name]
    # Drawn only once opened (on_change="rerun" tracks the expander's state): the record's whole
    # form is some twenty widgets, and drawing it closed under every practice and challenge
    # was a fifth of the server's time with 150 visitors (py-spy, bench/README.md).
    box = st.expander(
        _("Suggest a correction"), icon=":material/flag:", key=key + OPEN, on_change="rerun"
    )
    if box.open:
        st.session_state[key + OPENED] = True
    with box:
        # Once opened, drawn closed too: closing it by mistake loses nothing typed.
        if box.open or st.session_state.get(key + OPENED):
            _form(engine, key, record_type, record_id)
    participant.write_cookie()


def _form(engine: Engine, key: str, record_type: v.RecordType, record_id: int) -> None:
    """The form itself, in the open expander: the record's fields at its values, and why."""
    record, choices = _record_and_choices(engine, record_type, record_id)
    raw: dict[str, Any] | None = None
    with st.form(key, clear_on_submit=False):
        if record is not None:
            st.caption(
                _(
                    "Change what is wrong below and leave the rest as it is; then say why. "
                    "The organisers see exactly what you changed."
                )
            )
            raw = _fields(record, choices, key + ".field.")
            st.subheader(_("Why"), anchor=False)
            wrong = _("What is wrong, and how do you know? *")
            right = _("Anything the fields above cannot say (optional)")
        else:
            wrong, right = _("What is wrong? *"), _("What is right? *")
        st.text_area(wrong, max_chars=5000, key=key + ".wrong")
        st.text_area(right, max_chars=5000, key=key + ".right")
        st.text_input(_("Source (a link or a citation)"), max_chars=1000, key=key + ".source")
        st.text_input(
            _("Your email, if we may ask you about it (optional)"),
            max_chars=254,
            key=key + ".contact",
        )
        participant.honeypot(f"{key}.{participant.HONEYPOT}")
        sent = st.form_submit_button(_("Send the correction"), type="primary")
    if sent:
        problems = _send(engine, key, record_type, record_id, record, raw)
        if problems is None:
            st.session_state[key + ".sent"] = True
            st.rerun()
        st.error(
            _("Not sent. Please fix:")
            + "\n\n"
            + "\n".join(f"- {render.escape_markdown(p)}" for p in problems)
        )
    outcome = st.session_state.pop(key + ".outcome", None)
    if outcome:
        st.success(render.escape_markdown(_(outcome)))


# Kept in English in the session and translated where shown: the page may be rerun in another
# language between sending and showing.
THANKS = N_("Thank you: the organisers will review your correction.")


def _send(
    engine: Engine,
    key: str,
    record_type: v.RecordType,
    record_id: int,
    record: PracticeCreate | ChallengeCreate | None,
    raw: dict[str, Any] | None,
) -> list[str] | None:
    """Send what the form holds; None when it went (or a bot was told so), else the problems,
    in the form's words (the form keeps what was typed)."""
    typed = {name: st.session_state.get(f"{key}.{name}", "") or "" for name in WORDS}
    if typed["website"]:
        st.session_state[key + ".outcome"] = THANKS  # tell a bot nothing
        return None
    proposed: dict[str, Any] | None = None
    if record is not None and raw is not None:
        corrected, problems = forms.validate(raw, type(record))
        if problems:
            return problems
        proposed = workflow.proposal(record, corrected) or None
        if proposed is None and not typed["right"].strip():
            return [_("Change the values that are wrong above, or say in words what is right.")]
    try:
        with write_session(engine) as session:
            # Counted with the correction: refused, it counts nothing.
            who = limits.participant(session, participant.device(), participant.address())
            limits.check_and_count(session, limits.CORRECT, who)
            workflow.flag_correction(
                session=session,
                correction_in={
                    "record_type": record_type,
                    "record_id": record_id,
                    "what_is_wrong": typed["wrong"],
                    "what_is_right": typed["right"],
                    "source": typed["source"],
                    "contact": typed["contact"],
                    "proposed": proposed,
                },
            )
    except (workflow.WorkflowError, limits.RateLimited) as exc:
        return [str(exc)]
    except DBAPIError:
        # A busy or lost database: said in words, what was typed kept in the form.
        logging.getLogger("forumdash").log(logging.ERROR, "a correction failed", exc_info=True)
        return [
            _("The forum's database cannot be reached right now. Please try again in a moment.")
        ]
    st.session_state[key + ".outcome"] = THANKS
    return None
