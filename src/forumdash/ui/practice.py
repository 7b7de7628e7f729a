"""The sections of a practice page; every value written by people goes through render."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st
from sqlmodel import Session

from forumdash import i18n, matchmaking, repository
from forumdash import vocab as v
from forumdash.i18n import N_, _, ngettext
from forumdash.matching import MatchResult
from forumdash.models import ChallengePublic, Commitment, PracticePublic, PracticeSummary, Revision
from forumdash.text import safe_url
from forumdash.translations import ShownText, changed_translations, shown_text
from forumdash.ui import lang, navigation, render, translated
from forumdash.ui.forms import FIELD_LABELS
from forumdash.versioned_cache import ViewCache

LANGUAGES = {
    "sq": N_("Albanian"),
    "bs": N_("Bosnian"),
    "hr": N_("Croatian"),
    "sr": N_("Serbian / Montenegrin"),
    "mk": N_("Macedonian"),
    "en": N_("English"),
    "ka": N_("Georgian"),
    "pl": N_("Polish"),
    "cnr": N_("Montenegrin"),
}


@dataclass(frozen=True)
class PracticeView:
    """What a practice's page shows that is the same for every visitor at a records version, in
    one language: its history and last correction too (written with the practice, they move the
    version), with the names of the accounts in that history (a role's change moves it too,
    auth.set_role)."""

    practice: PracticePublic
    theme_names: dict[str, str]
    similar: list[PracticeSummary]
    origin: PracticePublic | None
    adaptations: list[PracticeSummary]
    commitment: Commitment | None
    helped: list[tuple[ChallengePublic, MatchResult]] | None  # None: matching being prepared
    revisions: list[Revision]  # the public history, oldest first
    corrected: Any | None  # when a reader's correction last changed it
    users: dict[int, str]  # the names of the accounts in that history


def _build_view(
    session: Session, practice_id: int, language: str, matching_ready: bool
) -> PracticeView | None:
    with i18n.language(language):  # the matches' reasons and the accounts' roles are words
        return _view_in_language(session, practice_id, matching_ready)


def _view_in_language(
    session: Session, practice_id: int, matching_ready: bool
) -> PracticeView | None:
    found = repository.get_practice(session=session, practice_id=practice_id)
    if found is None:
        return None
    helped = None
    if matching_ready:
        helped = matchmaking.challenges_helped(session=session, practice=found)
    revisions = history_of(session, v.RecordType.practice, found.id)
    origin = None
    if found.adapted_from_id:
        origin = repository.get_practice(session=session, practice_id=found.adapted_from_id)
    return PracticeView(
        practice=found,
        theme_names=repository.theme_names(session=session),
        similar=repository.similar_practices(session=session, practice_id=found.id),
        origin=origin,
        adaptations=repository.adaptations(session=session, practice_id=found.id),
        commitment=repository.get_commitment(session=session, identifier=found.commitment_ref),
        helped=helped,
        revisions=revisions,
        corrected=repository.last_correction_date(
            session=session, record_type=v.RecordType.practice, record_id=found.id
        ),
        users=names_in(session, revisions),
    )


def history_of(session: Session, record_type: v.RecordType, record_id: int) -> list[Revision]:
    """A record's public history, oldest first."""
    return repository.public_history(
        repository.record_history(session=session, record_type=record_type, record_id=record_id)
    )


def names_in(session: Session, revisions: Sequence[Revision]) -> dict[int, str]:
    """The names of the accounts that made these revisions (in the current language)."""
    wanted = {r.user_id for r in revisions if r.user_id is not None}
    if not wanted:
        return {}
    return {k: name for k, name in repository.user_names(session=session).items() if k in wanted}


# Keyed on (practice, language): the pages being read at an event, a few hundred at most.
_VIEWS: ViewCache[PracticeView | None] = ViewCache(_build_view, max_entries=512)


def view(session: Session, practice_id: int) -> PracticeView | None:
    """The published practice's page at the session's data version, or None."""
    # Kept apart while the matching corpus is being prepared (forumdash.warmup): that view has
    # no challenges it could help with, and is not used once the corpus is there.
    return _VIEWS.get(session, practice_id, i18n.current().tag, matchmaking.ready(session))


def language_label(tag: str) -> str:
    """A record's original language as the page names it, in the reader's language."""
    if tag in LANGUAGES:
        return _(LANGUAGES[tag])
    return i18n.language_name(tag) if tag else ""


def header(
    practice: PracticePublic,
    theme_names: dict[str, str],
    shown: ShownText,
    action: Callable[[], None] | None = None,
) -> None:
    """Title, facts and summary, in the language `shown` gives (the reader's, where a published
    translation exists), with what language that is and a link to the other version; `action`
    (what a reader can do) between the facts and the summary, in view on a phone."""
    st.title(render.escape_markdown(shown.title), anchor=False)
    translated.notice(shown, "pages/practice.py", translated.url_params({"id": str(practice.id)}))
    if practice.is_sample:
        st.markdown(
            render.sample_badge()
            + " "
            + _("Illustrative content, not a record of a real institution.")
        )
    st.caption(
        " · ".join(
            x
            for x in (
                i18n.country_name(practice.country_code, practice.country_name),
                _("{level} level").format(level=practice.level.label),
                practice.actor_type.label,
                practice.stage.label,
                _period(practice),
            )
            if x
        )
    )
    render.chips([i18n.data_label(theme_names.get(t, t)) for t in practice.themes])
    if action is not None:
        action()
    render.rich_text(shown.summary)


def _period(practice: PracticePublic) -> str:
    start = i18n.format_day(practice.start_date) if practice.start_date else practice.start_year
    if not start:
        return ""
    if practice.end_date:
        return f"{start} – {i18n.format_day(practice.end_date)}"
    if practice.ongoing:
        return _("since {start} (ongoing)").format(start=start)
    return _("since {start}").format(start=start)


def body(shown: ShownText) -> None:
    """The story's sections, as `shown` gives them."""
    for key, heading in v.BODY_SECTIONS:
        text = shown.body.get(key)
        if text:
            st.subheader(_(heading), anchor=False)
            render.rich_text(text)


def facts(practice: PracticePublic) -> None:
    """The side panel: who, values, outcomes, plan, assessment, contact."""
    # One Markdown element: headings of ours, every value escaped (render's helpers).
    escape = render.escape_markdown
    lines = [
        _bold(_("Who")),
        escape(_("Lead: ") + (practice.lead_institution or _("Not given"))),
    ]
    if practice.partners:
        lines.append(escape(_("Partners: ") + practice.partners))
    lines.append(_bold(_("OGP values")))
    if practice.ogp_values:
        lines.append(render.chips_markdown([value.label for value in practice.ogp_values]))
    else:
        lines.append(render.small_markdown(escape(_("Not given"))))
    if practice.outcome_areas:
        lines.append(_bold(_("Outcome areas")))
        lines.append(render.chips_markdown([area.label for area in practice.outcome_areas]))
    lines.append(_bold(_("OGP action plan")))
    plan = " · ".join(x for x in (practice.action_plan, practice.commitment_ref) if x)
    lines.append(escape(plan or _("Not linked to an action-plan commitment")))
    if practice.contact:
        lines.append(_bold(_("Contact")))
        contact = practice.contact
        lines.append(
            render.link_markdown(contact, contact) if safe_url(contact) else escape(contact)
        )
    lines.append(_bold(_("Original language")))
    lines.append(escape(language_label(practice.original_language) or _("Not given")))
    with st.container(border=True):
        render.card(*lines)


def _bold(heading: str) -> str:
    """A small heading of the side panel (translated text, no user input)."""
    return f"**{heading}**"


def assessment(practice: PracticePublic, shown: ShownText) -> None:
    st.subheader(_("Assessment"), anchor=False)
    rated = [
        (_("Completion"), practice.completion),
        (_("Potential impact"), practice.potential_impact),
        (_("Early results"), practice.early_results),
        (_("Evidence level"), practice.evidence_level),
    ]
    if not any(value for _label, value in rated):
        st.caption(_("Not assessed yet."))
    else:
        # Small cards whose value wraps ("Independent review", not "Inde…" as a metric would).
        cols = st.columns(len(rated))
        for column, (label, value) in zip(cols, rated, strict=True):
            with column.container(border=True, height="stretch"):
                # The label over the value, in one element (both words of ours).
                value_text = f"**{render.escape_markdown(value.label)}**" if value else "—"
                st.markdown(
                    render.small_markdown(render.escape_markdown(label)) + "  \n" + value_text
                )
        if practice.rated_by:
            st.caption(_("Rated by: {rater}").format(rater=practice.rated_by.label))
    if practice.evidence_links:
        st.markdown(_bold(_("Evidence")))
        render.sources(practice.evidence_links)
    transferability = shown.get("transferability")
    conditions = shown.get("transfer_conditions")
    if transferability or conditions:
        st.markdown(_bold(_("Transferability")))
        if transferability:
            render.rich_text(transferability)
        if conditions:
            render.rich_text(conditions, prefix=_("Conditions: "))


def related(title: str, rows: list[PracticeSummary], theme_names: dict[str, str]) -> None:
    st.subheader(title, anchor=False)
    for row in rows:
        text = shown_text(row)
        with st.container(border=True):
            render.practice_link(row.id, text.title)
            render.facts_line(
                [
                    i18n.country_name(row.country_code, row.country_name),
                    *(i18n.data_label(theme_names.get(t, t)) for t in row.themes),
                    text.notice(),
                ],
                sample=row.is_sample,
            )


# ----------------------------------------------------------------------- related records, history


def challenges_helped(pairs: Sequence[tuple[ChallengePublic, MatchResult]] | None) -> None:
    """Open challenges of other countries this practice could help with (challenge, result);
    None while the matching is being prepared after a start."""
    if pairs is None:
        st.caption(_("The challenges this practice could help with are being prepared."))
        return
    if not pairs:
        return
    st.subheader(_("Could help with"), anchor=False)
    for challenge, result in pairs:
        st.page_link(
            navigation.page("pages/challenges.py"),
            label=render.escape_markdown(challenge.title),
            query_params=lang.params({"id": str(challenge.id)}),
            icon=":material/handshake:",
        )
        render.facts_line(
            [
                i18n.country_name(challenge.country_code, challenge.country_name),
                _("match {score}/100").format(score=f"{result.score:.0f}"),
            ],
            sample=challenge.is_sample,
        )


def history(revisions: Sequence[Revision], users: dict[int, str], *, folded: bool = True) -> None:
    """The record's history, newest first, as readable changes; in an expander unless `folded`
    is False (inside another expander, which Streamlit cannot nest)."""
    n = len(revisions)
    if not folded:
        st.markdown(
            ngettext("**History** ({n} change)", "**History** ({n} changes)", n).format(n=n)
        )
        _changes(revisions, users)
        return
    with st.expander(
        ngettext("History ({n} change)", "History ({n} changes)", n).format(n=n),
        icon=":material/history:",
    ):
        _changes(revisions, users)


def _changes(revisions: Sequence[Revision], users: dict[int, str]) -> None:
    for revision in reversed(revisions):
        who = (
            _("seed data")
            if revision.user_id is None
            else users.get(revision.user_id) or _("a user")
        )
        credit = " · " + _("from a reader's correction") if revision.correction_id else ""
        action = _(ACTIONS[revision.action]) if revision.action in ACTIONS else revision.action
        # One element per revision: its line, then its changes as a list (each escaped).
        lines = [
            f"**{render.moment(revision.at)}** · {render.escape_markdown(action)} · "
            f"{render.escape_markdown(who)}{credit}"
        ]
        changes: list[str] = []
        if revision.action != "create":
            for field in revision.after:
                if field in HIDDEN_COLUMNS:
                    continue
                if field == "translations":
                    changes += _translation_changes(
                        revision.before.get(field), revision.after.get(field)
                    )
                    continue
                before, after = _changed_part(
                    field, revision.before.get(field), revision.after.get(field)
                )
                changes.append(f"{_field_name(field)}: {before} → {after}")
        if changes:
            lines.append("\n".join("- " + render.escape_markdown(line) for line in changes))
        render.card(*lines)


def _translation_changes(before: object, after: object) -> list[str]:
    """A revision's changes to the record's translations, one line per translated field."""
    old = before if isinstance(before, dict) else {}
    new = after if isinstance(after, dict) else {}
    lines = []
    for language, field, was, now in changed_translations(old, new):
        name = _("{field} ({language} translation)").format(
            field=_field_name(field), language=i18n.language_name(language)
        )
        shown_was, shown_now = _changed_part(field, was, now)
        lines.append(f"{name}: {shown_was} → {shown_now}")
    return lines


ACTIONS = {
    "create": N_("Created"),
    "update": N_("Edited"),
    "submitted": N_("Submitted for review"),
    "published": N_("Published"),
    "rejected": N_("Sent back"),
    "approve": N_("Edit approved"),
    "correct": N_("Corrected"),
}
# Bookkeeping the history need not show (the action line says it was published).
HIDDEN_COLUMNS = {"published_at", "slug", "client_key", "pending", "pending_workflow"}


def _changed_part(field: str, before: object, after: object) -> tuple[str, str]:
    """Both sides, or for long text only the part that changed with a little context around
    it: an added sentence at the end of a long summary must not look like no change at all."""
    if (
        not (isinstance(before, str) and isinstance(after, str))
        or max(len(before), len(after)) <= SHORT
    ):
        return _short(field, before), _short(field, after)
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end = 0
    while (
        end < min(len(before), len(after)) - start
        and before[len(before) - 1 - end] == after[len(after) - 1 - end]
    ):
        end += 1
    context = 40
    left = max(0, start - context)

    def cut(text: str) -> str:
        right = min(len(text), len(text) - end + context)
        middle = text[left:right]
        return ("…" if left else "") + middle + ("…" if right < len(text) else "")

    return _short(field, cut(before)), _short(field, cut(after))


SHORT = 160


# The history stores table columns and codes; it reads in the forms' words and labels.
VOCAB_COLUMNS: dict[str, type[v.Vocab]] = {
    "stage": v.Stage,
    "level": v.GovLevel,
    "actor_type": v.ActorType,
    "workflow": v.Workflow,
    "obstacle_type": v.ObstacleType,
    "severity": v.Severity,
    "challenge_status": v.ChallengeStatus,
    "completion": v.Completion,
    "potential_impact": v.PotentialImpact,
    "early_results": v.EarlyResults,
    "rated_by": v.RatedBy,
    "evidence_level": v.EvidenceLevel,
    "ogp_values": v.OgpValue,
    "outcome_areas": v.OutcomeArea,
    "support_sought": v.SupportSought,
}
COLUMN_NAMES = {
    "challenge_status": N_("Status"),
    "workflow": N_("Publication"),
    "country_code": N_("Country"),
    "is_sample": N_("Sample content"),
    "adapted_from_id": N_("Adapted from"),
    "date": N_("Date"),
    "published_at": N_("Published at"),
    "start_year": N_("Start year"),
}


def _field_name(field: str) -> str:
    # The forms' labels and the body's headings are marked for translation where defined.
    name = COLUMN_NAMES.get(field) or dict(v.BODY_SECTIONS).get(field) or FIELD_LABELS.get(field)
    return _(name) if name else field.replace("_", " ").capitalize()


def _short(field: str, value: object) -> str:
    if field == "ongoing" and isinstance(value, bool):
        return _("Ongoing") if value else _("Not ongoing (ended, or not known)")
    enum = VOCAB_COLUMNS.get(field)
    if enum is not None and value not in (None, "", []):
        values = value if isinstance(value, list) else [value]
        value = ", ".join(enum(x).label if x in enum.values() else str(x) for x in values)
    text = "—" if value in (None, "", [], {}) else str(value)
    return text if len(text) <= SHORT else text[: SHORT - 1] + "…"


def commitment(item: Commitment) -> None:
    """The OGP commitment this practice belongs to, with its IRM ratings and a link to its
    page."""
    with st.container(border=True):
        st.markdown(
            _("**OGP commitment {identifier}**").format(
                identifier=render.escape_markdown(item.identifier)
            )
        )
        st.page_link(
            navigation.page("pages/commitment.py"),
            label=render.escape_markdown(item.title),
            query_params=lang.params({"id": item.identifier}),
            icon=":material/assignment:",
        )
        ratings = [
            (_("Potential impact"), item.potential_impact),
            (_("Completion"), item.completion_end or item.completion_midterm),
            (_("Did it open government?"), item.did_it_open_government),
        ]
        for label, value in ratings:
            if value is not None:
                st.caption(_("{rating}: {value}").format(rating=label, value=value.label))
        if item.url:
            st.markdown(render.link_markdown(_("On OGP's site"), item.url))
