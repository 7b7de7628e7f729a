"""The sections of a practice page; every value written by people goes through render."""

from collections.abc import Sequence

import streamlit as st

from forumdash import vocab as v
from forumdash.matching import MatchResult
from forumdash.models import ChallengePublic, Commitment, PracticePublic, PracticeSummary, Revision
from forumdash.ui import lang, render
from forumdash.ui.forms import FIELD_LABELS

LANGUAGES = {
    "sq": "Albanian",
    "bs": "Bosnian",
    "hr": "Croatian",
    "sr": "Serbian / Montenegrin",
    "mk": "Macedonian",
    "en": "English",
    "ka": "Georgian",
    "pl": "Polish",
    "cnr": "Montenegrin",
}


def header(practice: PracticePublic, theme_names: dict[str, str]) -> None:
    st.title(render.escape_markdown(practice.title), anchor=False)
    if practice.is_sample:
        st.markdown(
            f"{render.SAMPLE_BADGE} Illustrative content, not a record of a real institution."
        )
    st.caption(
        " · ".join(
            x
            for x in (
                practice.country_name,
                practice.level.label + " level",
                practice.actor_type.label,
                practice.stage.label,
                _period(practice),
            )
            if x
        )
    )
    render.chips([theme_names.get(t, t) for t in practice.themes])
    render.rich_text(practice.summary)


def _period(practice: PracticePublic) -> str:
    start = practice.start_date.isoformat() if practice.start_date else practice.start_year
    if not start:
        return ""
    if practice.end_date:
        return f"{start} – {practice.end_date.isoformat()}"
    return f"since {start}" + (" (ongoing)" if practice.ongoing else "")


def body(practice: PracticePublic) -> None:
    for key, heading in v.BODY_SECTIONS:
        text = practice.body.get(key)
        if text:
            st.subheader(heading, anchor=False)
            render.rich_text(text)


def facts(practice: PracticePublic) -> None:
    """The side panel: who, values, outcomes, plan, assessment, contact."""
    with st.container(border=True):
        st.markdown("**Who**")
        render.text(practice.lead_institution or "Not given", prefix="Lead: ")
        if practice.partners:
            render.text(practice.partners, prefix="Partners: ")
        st.markdown("**OGP values**")
        if practice.ogp_values:
            render.chips([value.label for value in practice.ogp_values])
        else:
            st.caption("Not given")
        if practice.outcome_areas:
            st.markdown("**Outcome areas**")
            render.chips([area.label for area in practice.outcome_areas])
        st.markdown("**OGP action plan**")
        plan = " · ".join(x for x in (practice.action_plan, practice.commitment_ref) if x)
        render.text(plan or "Not linked to an action-plan commitment")
        if practice.contact:
            st.markdown("**Contact**")
            render.link_or_text(practice.contact)
        st.markdown("**Original language**")
        language = practice.original_language
        render.text(LANGUAGES.get(language, language) or "Not given")


def assessment(practice: PracticePublic) -> None:
    st.subheader("Assessment", anchor=False)
    rated = [
        ("Completion", practice.completion),
        ("Potential impact", practice.potential_impact),
        ("Early results", practice.early_results),
        ("Evidence level", practice.evidence_level),
    ]
    if not any(value for _, value in rated):
        st.caption("Not assessed yet.")
    else:
        # Small cards whose value wraps ("Independent review", not "Inde…" as a metric would).
        cols = st.columns(len(rated))
        for column, (label, value) in zip(cols, rated, strict=True):
            with column.container(border=True, height="stretch"):
                st.caption(label)
                st.markdown(f"**{value.label}**" if value else "—")
        if practice.rated_by:
            st.caption(f"Rated by: {practice.rated_by.label}")
    if practice.evidence_links:
        st.markdown("**Evidence**")
        render.sources(practice.evidence_links)
    if practice.transferability or practice.transfer_conditions:
        st.markdown("**Transferability**")
        if practice.transferability:
            render.rich_text(practice.transferability)
        if practice.transfer_conditions:
            render.rich_text(practice.transfer_conditions, prefix="Conditions: ")


def related(title: str, rows: list[PracticeSummary], theme_names: dict[str, str]) -> None:
    st.subheader(title, anchor=False)
    for row in rows:
        with st.container(border=True):
            render.practice_link(row.id, row.title)
            render.facts_line(
                [row.country_name, *(theme_names.get(t, t) for t in row.themes)],
                sample=row.is_sample,
            )


# ----------------------------------------------------------------------- related records, history


def challenges_helped(pairs: Sequence[tuple[ChallengePublic, MatchResult]]) -> None:
    """Open challenges of other countries this practice could help with (challenge, result)."""
    if not pairs:
        return
    st.subheader("Could help with", anchor=False)
    for challenge, result in pairs:
        st.page_link(
            "pages/challenges.py",
            label=render.escape_markdown(challenge.title),
            query_params=lang.params({"id": str(challenge.id)}),
            icon=":material/handshake:",
        )
        render.facts_line(
            [challenge.country_name, f"match {result.score:.0f}/100"], sample=challenge.is_sample
        )


def history(revisions: Sequence[Revision], users: dict[int, str], *, folded: bool = True) -> None:
    """The record's history, newest first, as readable changes; in an expander unless `folded`
    is False (inside another expander, which Streamlit cannot nest)."""
    count = f"{len(revisions)} change{'s' if len(revisions) != 1 else ''}"
    if not folded:
        st.markdown(f"**History** ({count})")
        _changes(revisions, users)
        return
    with st.expander(f"History ({count})", icon=":material/history:"):
        _changes(revisions, users)


def _changes(revisions: Sequence[Revision], users: dict[int, str]) -> None:
    for revision in reversed(revisions):
        who = "seed data" if revision.user_id is None else users.get(revision.user_id, "a user")
        credit = " · from a reader's correction" if revision.correction_id else ""
        action = ACTIONS.get(revision.action, revision.action)
        st.markdown(
            f"**{revision.at:%Y-%m-%d %H:%M}** · {render.escape_markdown(action)} · "
            f"{render.escape_markdown(who)}{credit}"
        )
        if revision.action == "create":
            continue
        for field in revision.after:
            if field in HIDDEN_COLUMNS:
                continue
            before, after = _changed_part(
                field, revision.before.get(field), revision.after.get(field)
            )
            render.text(f"{_field_name(field)}: {before} → {after}", prefix="- ")


ACTIONS = {
    "create": "Created",
    "update": "Edited",
    "submitted": "Submitted for review",
    "published": "Published",
    "rejected": "Sent back",
    "approve": "Edit approved",
    "correct": "Corrected",
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
    "challenge_status": "Status",
    "workflow": "Publication",
    "country_code": "Country",
    "is_sample": "Sample content",
    "adapted_from_id": "Adapted from",
    "date": "Date",
    "published_at": "Published at",
    "start_year": "Start year",
}


def _field_name(field: str) -> str:
    return (
        COLUMN_NAMES.get(field)
        or dict(v.BODY_SECTIONS).get(field)
        or FIELD_LABELS.get(field)
        or field.replace("_", " ").capitalize()
    )


def _short(field: str, value: object) -> str:
    if field == "ongoing" and isinstance(value, bool):
        return "Ongoing" if value else "Not ongoing (ended, or not known)"
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
        st.markdown(f"**OGP commitment {render.escape_markdown(item.identifier)}**")
        st.page_link(
            "pages/commitment.py",
            label=render.escape_markdown(item.title),
            query_params=lang.params({"id": item.identifier}),
            icon=":material/assignment:",
        )
        ratings = [
            ("Potential impact", item.potential_impact),
            ("Completion", item.completion_end or item.completion_midterm),
            ("Did it open government?", item.did_it_open_government),
        ]
        for label, value in ratings:
            if value is not None:
                st.caption(f"{label}: {value.label}")
        if item.url:
            st.markdown(render.link_markdown("On OGP's site", item.url))
