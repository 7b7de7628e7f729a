"""A practice page's "I want to learn from this": one tap records a peer-exchange request to the
practice's country (once per device); the optional details that follow (who, from where, how to
reach them, a message) go to the same request. forumdash.participation does the work."""

import logging
from typing import Any

import streamlit as st
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from forumdash import i18n, limits, participation, repository
from forumdash.db import read_session, write_session
from forumdash.i18n import _, ngettext
from forumdash.models import PracticePublic
from forumdash.ui import participant, render
from forumdash.ui.forms import CHOOSE

# The details form's fields, by the last part of their widget keys (participation's names).
DETAILS = ("name", "organisation", "from_country", "contact", "message")


def _key(practice_id: int) -> str:
    return f"learn.{practice_id}"


def section(engine: Engine, practice: PracticePublic) -> None:
    """The button, what the last tap did, how many asked, and the details form once asked."""
    key = _key(practice.id)
    participant.event()  # remembered for this session's sends, wherever they are made
    country = i18n.country_name(practice.country_code, practice.country_name)
    tapped = st.button(
        _("I want to learn from this"),
        icon=":material/school:",
        type="primary",
        key=key + ".ask",
    )
    if tapped:
        st.session_state[key + ".tap"] = _send(engine, practice.id, None, "")
        # Opened by the tap, it stays open in this session: an expander whose `expanded`
        # changes between runs is drawn anew, closed over the form being filled in.
        st.session_state[key + ".open"] = True
    device = participant.known_device()
    with read_session(engine) as session:
        count = participation.interest_count(session, practice_id=practice.id)
        asked = bool(device) and participation.has_asked(
            session, practice_id=practice.id, device=device
        )
        # Named only where the details form is drawn (shared per records version: read-only).
        if asked or st.session_state.get(key + ".tap") in ("new", "again"):
            countries = repository.reference_names(session=session).countries
        else:
            countries = {}
    outcome = st.session_state.get(key + ".tap")
    if outcome == "new":
        st.success(
            _(
                "Noted. The focal points of {country} will see that you want to learn from "
                "this practice."
            ).format(country=country),
            icon=":material/check_circle:",
        )
    elif outcome == "again":
        st.info(
            _(
                "You had already asked to learn from this practice: your request is with the "
                "focal points of {country}."
            ).format(country=country),
            icon=":material/check_circle:",
        )
    elif isinstance(outcome, list):
        st.error("\n\n".join(render.escape_markdown(line) for line in outcome))
    if count:
        st.caption(
            ngettext(
                "{n} person has asked to learn from this practice.",
                "{n} people have asked to learn from this practice.",
                count,
            ).format(n=i18n.format_number(count))
        )
    if asked or outcome in ("new", "again"):
        _details(engine, practice.id, country, countries)
    participant.write_cookie()


def _details(
    engine: Engine,
    practice_id: int,
    country: str,
    countries: dict[str, str],
) -> None:
    """The optional details, sent to the request this device made."""
    key = _key(practice_id)
    with st.expander(
        _("Add your details to be put in touch (optional)"),
        icon=":material/contact_mail:",
        expanded=bool(st.session_state.get(key + ".open")),
    ):
        st.caption(
            _("Only this country's focal points and the forum's organisers see your contact.")
        )
        with st.form(key + ".details", clear_on_submit=False, border=False):
            st.text_input(_("Your name (optional)"), key=key + ".name")
            st.text_input(_("Organisation (optional)"), key=key + ".organisation")
            st.selectbox(
                _("Your country (optional)"),
                list(countries),
                index=None,
                format_func=lambda code: i18n.country_name(code, countries[code]),
                placeholder=_(CHOOSE),
                key=key + ".from_country",
            )
            st.text_input(
                _("E-mail or phone (optional)"),
                key=key + ".contact",
                placeholder=_("name@example.org or +389 70 123 456"),
            )
            st.text_area(
                _("Message (optional)"),
                key=key + ".message",
                placeholder=_("What would you like to learn, and why?"),
                help=_("Up to {n} characters.").format(
                    n=i18n.format_number(participation.TEXT_LIMIT)
                ),
            )
            participant.honeypot(f"{key}.{participant.HONEYPOT}")
            sent = st.form_submit_button(_("Send"), icon=":material/send:", type="primary")
        if sent:
            details: dict[str, Any] = {
                name: st.session_state.get(f"{key}.{name}") for name in DETAILS
            }
            st.session_state[key + ".sent"] = _send(
                engine,
                practice_id,
                details,
                participant.trap(f"{key}.{participant.HONEYPOT}"),
            )
        result = st.session_state.get(key + ".sent")
        if isinstance(result, list):
            st.error(
                _("Not sent. Please fix:")
                + "\n\n"
                + "\n".join(f"- {render.escape_markdown(line)}" for line in result)
            )
        elif result is not None:
            st.success(
                _(
                    "Sent. The focal points of {country} and the forum's organisers have your "
                    "details."
                ).format(country=country),
                icon=":material/check_circle:",
            )
            if not (st.session_state.get(key + ".contact") or "").strip():
                st.caption(
                    _(
                        "You left no e-mail or phone, so they cannot write to you. Add one "
                        "above if you want them to."
                    )
                )


def _send(
    engine: Engine, practice_id: int, details: dict[str, Any] | None, trap: str
) -> str | list[str]:
    """Ask (and add the details, if any): "new" or "again", else the problems in words."""
    try:
        with write_session(engine) as session:
            asked = participation.ask_to_learn(
                session,
                practice_id=practice_id,
                device=participant.device(),
                address=participant.address(),
                details=details,
                language=i18n.current().tag,
                event=participant.event(),
                trap=trap,
            )
    except participation.ParticipationError as exc:
        return exc.lines()
    except limits.RateLimited as exc:
        return [str(exc)]
    except DBAPIError:
        # A busy or lost database (a room tapping at once): said in words, the details kept.
        logging.getLogger("forumdash").log(logging.ERROR, "a learn request failed", exc_info=True)
        return [
            _("The forum's database cannot be reached right now. Please try again in a moment.")
        ]
    return "new" if asked.new else "again"
