"""/share: "Share a practice or a challenge", for anyone, without an account. A short form whose
values live in `share.*` session keys (FIELDS), so that they survive a refused send and can be
kept on the server as they are typed; forumdash.participation checks and stores what is sent."""

import logging
from typing import Any

import streamlit as st
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from forumdash import i18n, limits, participation, repository
from forumdash import vocab as v
from forumdash.db import read_session, write_session
from forumdash.i18n import N_, _
from forumdash.ui import autosave, participant, render
from forumdash.ui.forms import CHOOSE

# The form's fields and their widget keys (participation.SuggestionIn's names).
FIELDS = {
    name: f"share.{name}"
    for name in ("record_type", "title", "country_code", "description", "name", "organisation")
} | {"contact": "share.contact"}
TRAP = f"share.{participant.HONEYPOT}"
SENT = "share-page.sent"  # what the last send did, shown in place of the form
# The typed fields kept on the server as they are typed (forumdash.ui.autosave), and whose.
FORM_ID = "share.suggestion"
TYPED = ("title", "description", "name", "organisation", "contact")
OWNER = "share-page.owner"
KINDS = {
    "practice": N_("A practice: something that was done and worked, or is working"),
    "challenge": N_("A challenge: a problem you face and want help with"),
}


def page(engine: Engine) -> None:
    """The page under the frame: the form, or what happens next after a send."""
    st.title(_("Share a practice or a challenge"), anchor=False)
    participant.event()  # remembered for this session's sends, wherever they are made
    sent = st.session_state.get(SENT)
    if isinstance(sent, dict):
        _confirmation(engine, sent)
    else:
        _form(engine)
    participant.write_cookie()


def _form(engine: Engine) -> None:
    st.markdown(
        _(
            "Tell the forum about an open-government practice from your country, or a "
            "challenge you would like to learn about. No account needed."
        )
    )
    with read_session(engine) as session:
        countries = {c.code: c.name_en for c in repository.list_countries(session=session)}
    with autosave.attach(
        FORM_ID,
        {name: FIELDS[name] for name in TYPED},
        _owner(engine),
        defaults=dict.fromkeys(TYPED, ""),
        page="pages/share.py",
        params=participant.url_event(),
        engine=engine,
    ):
        _fields(countries)
    participant.honeypot(TRAP)
    st.caption(
        _(
            "Only the focal points of the country you choose and the forum's organisers see "
            "what you send and your contact. Nothing is public until they accept it."
        )
    )
    if st.button(_("Send"), icon=":material/send:", type="primary", key="share-page.send"):
        problems = _send(engine)
        if problems:
            st.error(
                _("Not sent. Please fix:")
                + "\n\n"
                + "\n".join(f"- {render.escape_markdown(line)}" for line in problems)
            )
        else:
            st.rerun()


def _fields(countries: dict[str, str]) -> None:
    names = participation.FIELD_NAMES
    st.radio(
        _("What are you sharing?"),
        list(KINDS),
        index=None,
        format_func=lambda kind: _(KINDS[kind]),
        key=FIELDS["record_type"],
    )
    st.text_input(_(names["title"]), key=FIELDS["title"])
    st.selectbox(
        _(names["country_code"]),
        list(countries),
        index=None,
        format_func=lambda code: i18n.country_name(code, countries[code]),
        placeholder=_(CHOOSE),
        help=_("The country where it happens: its focal points receive what you send."),
        key=FIELDS["country_code"],
    )
    st.text_area(
        _(names["description"]),
        key=FIELDS["description"],
        placeholder=_("Who did what, where and when; or what the problem is."),
        help=_("Up to {n} characters.").format(n=i18n.format_number(participation.TEXT_LIMIT)),
        height=160,
    )
    st.text_input(_("Your name (optional)"), key=FIELDS["name"])
    st.text_input(_("Organisation (optional)"), key=FIELDS["organisation"])
    st.text_input(
        _("E-mail or phone (optional)"),
        key=FIELDS["contact"],
        placeholder=_("name@example.org or +389 70 123 456"),
    )


def _send(engine: Engine) -> list[str]:
    """Send what the form holds; [] when it went (or a bot was told so), else the problems in
    the form's words (the form keeps what was typed)."""
    typed: dict[str, Any] = {name: st.session_state.get(key) for name, key in FIELDS.items()}
    try:
        with write_session(engine) as session:
            participation.suggest(
                session,
                suggestion=typed,
                device=participant.device(),
                address=participant.address(),
                language=i18n.current().tag,
                event=participant.event(),
                trap=participant.trap(TRAP),
            )
    except participation.ParticipationError as exc:
        return exc.lines()
    except limits.RateLimited as exc:
        return [str(exc)]
    except DBAPIError:
        # A busy or lost database: said in words, and the form keeps what was typed.
        logging.getLogger("forumdash").log(logging.ERROR, "a suggestion failed", exc_info=True)
        return [
            _("The forum's database cannot be reached right now. Please try again in a moment.")
        ]
    st.session_state[SENT] = {
        "kind": typed["record_type"],
        "country": typed["country_code"],
        "contact": bool((typed["contact"] or "").strip()),
    }
    for key in [*FIELDS.values(), TRAP]:
        st.session_state.pop(key, None)
    autosave.clear(FORM_ID, st.session_state.get(OWNER), engine)
    return []


def _owner(engine: Engine) -> str | None:
    """Whose typed text this form keeps: this browser's device, as forumdash.limits hashes it.
    Someone who opens /share is about to act, so the device id is made here (its cookie is
    written at the end of the run) and the first keystrokes are kept too. None when the
    database cannot make the key: the form then works without keeping anything."""
    kept = st.session_state.get(OWNER)
    if isinstance(kept, str):
        return kept
    device = participant.device()
    try:
        with write_session(engine) as session:
            hashed = limits.participant(session, device, "").device
    except (DBAPIError, ValueError):
        return None
    owner = autosave.device_owner(hashed)
    st.session_state[OWNER] = owner
    return owner


def _confirmation(engine: Engine, sent: dict[str, Any]) -> None:
    """What happens next, said plainly, and a way to share another."""
    code = str(sent.get("country") or "")
    with read_session(engine) as session:
        found = repository.get_country(session=session, code=code)
    country = i18n.country_name(code, found.name_en if found else code)
    st.success(
        _(
            "Thank you. What you shared is with the focal points of {country} and the forum's "
            "organisers."
        ).format(country=country),
        icon=":material/check_circle:",
    )
    if sent.get("kind") == v.RecordType.challenge.value:
        st.markdown(
            _(
                "They will read it and may turn it into a draft challenge on the forum, "
                "crediting you, so that countries with a matching practice can offer help; or "
                "they will decline it with a reason."
            )
        )
    else:
        st.markdown(
            _(
                "They will read it and may turn it into a draft practice on the forum, "
                "crediting you, for other countries to learn from; or they will decline it "
                "with a reason."
            )
        )
    st.markdown(
        _("They may write to you at the contact you gave.")
        if sent.get("contact")
        else _("You left no contact, so they cannot ask you about it.")
    )
    st.markdown(_("Nothing you sent is public until they accept it."))
    if st.button(_("Share another"), icon=":material/add:", key="share-page.again"):
        st.session_state.pop(SENT, None)
        st.rerun()
