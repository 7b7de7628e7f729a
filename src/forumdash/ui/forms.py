"""The practice form: the fields of DOMAIN.md, validated by PracticeCreate before anything is
saved; errors are shown field by field and nothing is written until the record is valid."""

import datetime as dt
from typing import Any

import streamlit as st
from pydantic import ValidationError

from forumdash import i18n
from forumdash import vocab as v
from forumdash.auth import SessionUser
from forumdash.i18n import N_, _
from forumdash.models import ChallengeCreate, PracticeCreate, SourceLink
from forumdash.text import clean_text

NONE = "—"
CHOOSE = N_("Choose…")
STORY = N_("The story")


def _language_choice(container: Any, record: Any, key: str) -> str:
    """The language the record is written in, chosen from the forum's languages; a new record
    starts unchosen (no default may say what language someone writes in), and a code stored
    before the list existed stays a choice, so that saving does not lose it."""
    stored = record.original_language if record else ""
    options = list(i18n.TAGS) + ([stored] if stored and stored not in i18n.TAGS else [])
    chosen = container.selectbox(
        _("Original language"),
        options,
        index=options.index(stored) if stored else None,
        format_func=i18n.language_name,
        placeholder=_("Choose the language it is written in"),
        key=key,
    )
    return str(chosen or "")


def _links_text(links: list[SourceLink]) -> str:
    return "\n".join(f"{link.title} | {link.url}" if link.url else link.title for link in links)


def _parse_links(text: str) -> list[dict[str, str]]:
    """One per line: 'title | https://...' or a citation without a link."""
    links = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        title, _bar, url = line.partition("|")
        title, url = title.strip(), url.strip()
        if not url and title.lower().startswith(("http://", "https://")):
            title, url = title, title
        links.append({"title": title or url, "url": url})
    return links


def _optional(enum: type[v.Vocab], label: str, current: Any, key: str) -> Any:
    options = [NONE, *enum.values()]
    value = current.value if isinstance(current, v.Vocab) else (current or NONE)
    chosen = st.selectbox(
        label,
        options,
        index=options.index(value) if value in options else 0,
        format_func=lambda x: x if x == NONE else enum(x).label,
        key=key,
    )
    return None if chosen == NONE else chosen


def _one(where: Any, label: str, enum: type[v.Vocab], current: Any, key: str) -> str | None:
    """A required choice from a vocabulary: the record's value, or nothing until chosen (a
    preselected value would be a fact nobody stated)."""
    values = enum.values()
    chosen: str | None = where.selectbox(
        label,
        values,
        index=values.index(current.value) if current is not None else None,
        format_func=lambda x: enum(x).label,
        placeholder=_(CHOOSE),
        key=key,
    )
    return chosen


# Whether a practice goes on: chosen, never assumed. The table keeps a yes/no: "ended" and "not
# known" are both no, told apart by the end date (an ended practice gives one).
ONGOING_CHOICES = {"ongoing": N_("Ongoing"), "ended": N_("Ended"), "unknown": N_("Not known")}


def ongoing_state(record: PracticeCreate) -> str:
    """The form's answer for a stored practice."""
    if record.ongoing:
        return "ongoing"
    return "ended" if record.end_date else "unknown"


def _ongoing(where: Any, record: PracticeCreate | None, key: str) -> str | None:
    options = list(ONGOING_CHOICES)
    chosen: str | None = where.radio(
        _("Ongoing or ended *"),
        options,
        index=options.index(ongoing_state(record)) if record else None,
        format_func=lambda state: _(ONGOING_CHOICES[state]),
        horizontal=True,
        key=key,
    )
    return chosen


def _many(label: str, enum: type[v.Vocab], current: Any, key: str, where: Any = st) -> list[str]:
    """Any number of choices from a vocabulary, starting at the record's values."""
    chosen: list[str] = where.multiselect(
        label,
        enum.values(),
        default=[x.value for x in current] if current is not None else [],
        format_func=lambda x: enum(x).label,
        key=key,
    )
    return chosen


def country_codes(user: SessionUser | None, countries: dict[str, str]) -> list[str]:
    """The countries a form offers: a focal point's own; every country to anyone else (an
    organiser, or a reader proposing a correction)."""
    if user is not None and user.role == v.Role.focal_point:
        return [user.country_code or ""]
    return list(countries)


def _country(where: Any, codes: list[str], countries: dict[str, str], record: Any, key: str) -> str:
    current = record.country if record and record.country in codes else codes[0]
    chosen: str = where.selectbox(
        _("Country *"),
        codes,
        index=codes.index(current),
        format_func=lambda c: i18n.country_name(str(c), countries.get(str(c), str(c))),
        key=key,
        disabled=len(codes) == 1,
    )
    return chosen


def _themes(themes: dict[str, str], record: Any, key: str) -> list[str]:
    return st.multiselect(
        _("Themes * (1 to 3)"),
        list(themes),
        default=list(record.themes) if record else [],
        format_func=lambda t: i18n.data_label(themes.get(str(t), str(t))),
        max_selections=3,
        key=key,
    )


def _buttons() -> tuple[bool, bool]:
    """The form's two buttons: (save a draft, save and submit)."""
    left, right = st.columns(2)
    save = left.form_submit_button(_("Save draft"), icon=":material/save:", width="stretch")
    send = right.form_submit_button(
        _("Save and submit for review"), type="primary", icon=":material/send:", width="stretch"
    )
    return save, send


def practice_texts(record: PracticeCreate | None) -> dict[str, str]:
    """The practice form's typed fields (widget key suffix -> the text it starts with): what
    forumdash.ui.autosave keeps as it is typed."""
    r = record
    a = r.assessment if r else None
    texts = {
        "title": r.title if r else "",
        "summary": r.summary if r else "",
        "lead": r.lead_institution if r else "",
        "partners": r.partners if r else "",
    }
    for section, _heading in v.BODY_SECTIONS:
        texts["body." + section] = r.body.get(section, "") if r else ""
    texts |= {
        "plan": r.action_plan if r else "",
        "commitment": r.commitment_ref if r else "",
        "evidence_links": _links_text(a.evidence_links) if a else "",
        "transfer": r.transferability if r else "",
        "conditions": r.transfer_conditions if r else "",
        "sources": _links_text(r.sources) if r else "",
        "contact": r.contact if r else "",
    }
    return {name: text or "" for name, text in texts.items()}


def challenge_texts(record: ChallengeCreate | None) -> dict[str, str]:
    """The challenge form's typed fields, as practice_texts."""
    r = record
    texts = {
        "title": r.title if r else "",
        "description": r.description if r else "",
        "event": (r.raised_at_event or "") if r else "",
        "sources": _links_text(r.sources) if r else "",
    }
    return {name: text or "" for name, text in texts.items()}


def practice_form(
    *,
    user: SessionUser,
    countries: dict[str, str],
    themes: dict[str, str],
    record: PracticeCreate | None,
    form_key: str,
    origins: dict[str, str] | None = None,
) -> tuple[str | None, dict[str, Any]]:
    """Draw the form; return (the button pressed: 'save', 'submit' or None, the raw values).
    `origins` (slug -> label) are the published practices it may say it was adapted from."""
    with st.form(form_key, border=True):
        raw = practice_fields(
            codes=country_codes(user, countries),
            countries=countries,
            themes=themes,
            record=record,
            key=form_key + ".",
            origins=origins,
        )
        save, send = _buttons()
    return ("submit" if send else "save" if save else None), raw


def practice_fields(
    *,
    codes: list[str],
    countries: dict[str, str],
    themes: dict[str, str],
    record: PracticeCreate | None,
    key: str,
    origins: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Every field of a practice, each in its widget and starting at the record's value (a new
    record: empty, the choices unchosen); returns the raw values for validate(). Drawn inside a
    form: the practice form's, or a reader's correction. `key` prefixes the widget keys, so that
    another practice's form does not inherit these values."""
    r = record
    k = key
    t = practice_texts(r)
    st.subheader(_("The practice"), anchor=False)
    title = st.text_input(_("Title *"), value=t["title"], key=k + "title")
    summary = st.text_area(
        _("Summary * (two or three sentences)"),
        value=t["summary"],
        key=k + "summary",
    )
    left, right = st.columns(2)
    country = _country(left, codes, countries, r, k + "country")
    level = _one(right, _("Level of government *"), v.GovLevel, r and r.level, k + "level")
    lead = left.text_input(_("Lead institution"), value=t["lead"], key=k + "lead")
    actor = _one(right, _("Actor type *"), v.ActorType, r and r.actor_type, k + "actor")
    partners = st.text_input(_("Partners"), value=t["partners"], key=k + "partners")
    chosen_themes = _themes(themes, r, k + "themes")
    values = _many(_("OGP values"), v.OgpValue, r and r.ogp_values, k + "values")
    outcomes = _many(_("Outcome areas"), v.OutcomeArea, r and r.outcome_areas, k + "outcomes")
    left, mid, right = st.columns(3)
    stage = _one(left, _("Stage *"), v.Stage, r and r.stage, k + "stage")
    start_date = mid.date_input(
        _("Start date"),
        value=r.start_date if r else None,
        min_value=dt.date(1990, 1, 1),
        max_value=dt.date(2100, 1, 1),
        key=k + "start",
    )
    end_date = right.date_input(
        _("End date"),
        value=r.end_date if r else None,
        min_value=dt.date(1990, 1, 1),
        max_value=dt.date(2100, 1, 1),
        key=k + "end",
    )
    ongoing = _ongoing(st, r, k + "ongoing")

    st.subheader(_("The story"), anchor=False)
    body = {}
    for section, heading in v.BODY_SECTIONS:
        body[section] = st.text_area(
            _(heading),
            value=t["body." + section],
            key=k + "body." + section,
        )

    st.subheader(_("Action plan and assessment"), anchor=False)
    left, right = st.columns(2)
    plan = left.text_input(
        _("OGP action plan (e.g. AL 2014-2016)"),
        value=t["plan"],
        key=k + "plan",
    )
    commitment = right.text_input(
        _("Commitment / action reference"),
        value=t["commitment"],
        key=k + "commitment",
    )
    a = r.assessment if r else None
    cols = st.columns(5)
    with cols[0]:
        completion = _optional(v.Completion, _("Completion"), a and a.completion, k + "completion")
    with cols[1]:
        impact = _optional(
            v.PotentialImpact, _("Potential impact"), a and a.potential_impact, k + "impact"
        )
    with cols[2]:
        results = _optional(
            v.EarlyResults, _("Early results"), a and a.early_results, k + "results"
        )
    with cols[3]:
        rated = _optional(v.RatedBy, _("Rated by"), a and a.rated_by, k + "rated")
    with cols[4]:
        evidence = _optional(
            v.EvidenceLevel, _("Evidence level"), a and a.evidence_level, k + "evidence"
        )
    evidence_links = st.text_area(
        _("Evidence links (one per line: title | https://...)"),
        value=t["evidence_links"],
        key=k + "evidence_links",
    )
    transferability = st.text_area(
        _("Could others adopt it?"), value=t["transfer"], key=k + "transfer"
    )
    conditions = st.text_area(
        _("Under which conditions?"),
        value=t["conditions"],
        key=k + "conditions",
    )
    origin_options = [NONE, *(origins or {})]
    current_origin = r.adapted_from if r and r.adapted_from else NONE
    if current_origin not in origin_options:
        origin_options.append(current_origin)
    origin = st.selectbox(
        _("Adapted from (a published practice that inspired this one)"),
        origin_options,
        index=origin_options.index(current_origin),
        format_func=lambda slug: slug if slug == NONE else (origins or {}).get(slug, slug),
        key=k + "origin",
    )

    st.subheader(_("Sources and contact"), anchor=False)
    sources = st.text_area(
        _("Sources * (one per line: title | https://..., or a citation)"),
        value=t["sources"],
        key=k + "sources",
    )
    left, right = st.columns(2)
    contact = left.text_input(
        _("Public contact (a website or an office, no personal data)"),
        value=t["contact"],
        key=k + "contact",
    )
    chosen_language = _language_choice(right, r, k + "language")
    return {
        "slug": r.slug if r else "new",
        "title": title,
        "country": country,
        "summary": summary,
        "body": {key: text for key, text in body.items() if clean_text(text)},
        "level": level,
        "lead_institution": lead,
        "partners": partners,
        "actor_type": actor,
        "themes": chosen_themes,
        "ogp_values": values,
        "outcome_areas": outcomes,
        "stage": stage,
        "start_date": start_date,
        # Kept from the record when no exact date is given (the form has no year field).
        "start_year": (r.start_year if r and not start_date else None),
        "end_date": end_date,
        # The form's answer; validate() turns it into the record's yes/no.
        "ongoing": ongoing,
        "action_plan": plan,
        "commitment_ref": commitment,
        "assessment": {
            "completion": completion,
            "potential_impact": impact,
            "early_results": results,
            "rated_by": rated,
            "evidence_level": evidence,
            "evidence_links": _parse_links(evidence_links),
        },
        "transferability": transferability,
        "transfer_conditions": conditions,
        "adapted_from": None if origin == NONE else origin,
        "contact": contact,
        "sources": _parse_links(sources),
        "original_language": chosen_language,
        "sample": r.sample if r else False,
    }


def challenge_form(
    *,
    user: SessionUser,
    countries: dict[str, str],
    themes: dict[str, str],
    record: ChallengeCreate | None,
    form_key: str,
) -> tuple[str | None, dict[str, Any]]:
    """The challenge form; returns (the button pressed, the raw values) as practice_form."""
    with st.form(form_key, border=True):
        raw = challenge_fields(
            codes=country_codes(user, countries),
            countries=countries,
            themes=themes,
            record=record,
            key=form_key + ".",
        )
        save, send = _buttons()
    return ("submit" if send else "save" if save else None), raw


def challenge_fields(
    *,
    codes: list[str],
    countries: dict[str, str],
    themes: dict[str, str],
    record: ChallengeCreate | None,
    key: str,
) -> dict[str, Any]:
    """Every field of a challenge, as practice_fields."""
    r = record
    k = key
    t = challenge_texts(r)
    st.subheader(_("The challenge"), anchor=False)
    title = st.text_input(_("Title *"), value=t["title"], key=k + "title")
    description = st.text_area(
        _("Description * (what blocks progress, where, since when)"),
        value=t["description"],
        height=180,
        key=k + "description",
    )
    left, mid, right = st.columns(3)
    country = _country(left, codes, countries, r, k + "country")
    obstacle = _one(
        mid, _("Main obstacle *"), v.ObstacleType, r and r.obstacle_type, k + "obstacle"
    )
    severity = _one(right, _("Severity *"), v.Severity, r and r.severity, k + "severity")
    chosen_themes = _themes(themes, r, k + "themes")
    values = _many(_("OGP values"), v.OgpValue, r and r.ogp_values, k + "values")
    left, right = st.columns(2)
    # A challenge raised is open until someone says it moved: "open" states no more than that.
    statuses = v.ChallengeStatus.values()
    state = left.selectbox(
        _("Status *"),
        statuses,
        index=statuses.index(r.challenge_status.value if r else v.ChallengeStatus.open.value),
        format_func=lambda x: v.ChallengeStatus(x).label,
        key=k + "state",
    )
    support = _many(
        _("Support sought"), v.SupportSought, r and r.support_sought, k + "support", right
    )
    left, right = st.columns(2)
    event = left.text_input(
        _("Raised at (event)"),
        value=t["event"],
        key=k + "event",
    )
    raised = right.date_input(
        _("Raised on"),
        value=r.raised_at_date if r else None,
        min_value=dt.date(1990, 1, 1),
        max_value=dt.date(2100, 1, 1),
        key=k + "raised",
    )
    sources = st.text_area(
        _("Sources * (one per line: title | https://..., or a citation)"),
        value=t["sources"],
        key=k + "sources",
    )
    chosen_language = _language_choice(st, r, k + "language")
    return {
        "slug": r.slug if r else "new",
        "title": title,
        "country": country,
        "description": description,
        "original_language": chosen_language,
        "themes": chosen_themes,
        "ogp_values": values,
        "obstacle_type": obstacle,
        "severity": severity,
        "challenge_status": state,
        "support_sought": support,
        "raised_at_event": event,
        "raised_at_date": raised,
        "sources": _parse_links(sources),
        "sample": r.sample if r else False,
    }


# The choices a form leaves empty until the person makes them.
CHOICE_FIELDS = ("level", "actor_type", "stage", "ongoing", "obstacle_type", "severity")


def _answers(raw: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The raw values as the schema takes them, and the choices not made (in the form's
    words): an unchosen field is left out, "ongoing" becomes the record's yes/no."""
    data = {
        key: value for key, value in raw.items() if not (key in CHOICE_FIELDS and value is None)
    }
    problems = [
        _("{field}: choose one").format(field=_(FIELD_LABELS[key]))
        for key in CHOICE_FIELDS
        if key in raw and raw[key] is None
    ]
    state = raw.get("ongoing")
    if isinstance(state, str):
        data["ongoing"] = state == "ongoing"
        if state == "ended" and not raw.get("end_date"):
            problems.append(_("End date: required for a practice that has ended"))
        if state == "unknown" and raw.get("end_date"):
            problems.append(
                _("Ongoing or ended: an end date is given; choose Ended, or remove the end date")
            )
    return data, problems


def validate(
    raw: dict[str, Any], schema: type[PracticeCreate] | type[ChallengeCreate] = PracticeCreate
) -> tuple[Any, list[str]]:
    """The record, or the messages that say what to fix (one per problem): every problem at
    once, a choice not made among them."""
    data, unchosen = _answers(raw)
    try:
        record = schema.model_validate(data)
    except ValidationError as exc:
        return None, unchosen + [
            _("{field}: {problem}").format(
                field=where(err["loc"]), problem=err["msg"].removeprefix("Value error, ")
            )
            for err in exc.errors()
            # A choice not made is said above, in the form's words.
            if not (err["type"] == "missing" and err["loc"][:1] in [(k,) for k in CHOICE_FIELDS])
        ]
    return (None, unchosen) if unchosen else (record, [])


# The forms' own words for the fields, so a message names what the person sees.
FIELD_LABELS = {
    "title": N_("Title"),
    "summary": N_("Summary"),
    "description": N_("Description"),
    "country": N_("Country"),
    "level": N_("Level of government"),
    "lead_institution": N_("Lead institution"),
    "partners": N_("Partners"),
    "actor_type": N_("Actor type"),
    "themes": N_("Themes"),
    "ogp_values": N_("OGP values"),
    "outcome_areas": N_("Outcome areas"),
    "stage": N_("Stage"),
    "ongoing": N_("Ongoing or ended"),
    "start_date": N_("Start date"),
    "end_date": N_("End date"),
    "action_plan": N_("OGP action plan"),
    "commitment_ref": N_("Commitment / action reference"),
    "evidence_links": N_("Evidence links"),
    "transferability": N_("Could others adopt it?"),
    "transfer_conditions": N_("Under which conditions?"),
    "adapted_from": N_("Adapted from"),
    "contact": N_("Public contact"),
    "sources": N_("Sources"),
    "original_language": N_("Original language"),
    "obstacle_type": N_("Main obstacle"),
    "severity": N_("Severity"),
    "challenge_status": N_("Status"),
    "support_sought": N_("Support sought"),
    "raised_at_event": N_("Raised at (event)"),
    "raised_at_date": N_("Raised on"),
}


# The typed fields' names (practice_texts, challenge_texts) that are not the record's own.
TEXT_FIELDS = {
    "lead": "lead_institution",
    "plan": "action_plan",
    "commitment": "commitment_ref",
    "transfer": "transferability",
    "conditions": "transfer_conditions",
    "event": "raised_at_event",
}


def text_label(name: str) -> str:
    """A typed field (a practice_texts name) as the form labels it."""
    section = name.removeprefix("body.")
    if section != name:
        return _(dict(v.BODY_SECTIONS).get(section, STORY))
    field = TEXT_FIELDS.get(name, name)
    return _(FIELD_LABELS[field]) if field in FIELD_LABELS else name


def where(loc: tuple[int | str, ...]) -> str:
    """('sources', 1, 'url') -> 'Sources, line 2'; ('body', 'context') -> its heading."""
    path = list(loc)
    if path[:1] == ["assessment"] and len(path) > 1:
        path = path[1:]
    if not path:
        return _("The record")
    if path[0] == "body" and len(path) > 1:
        return _(dict(v.BODY_SECTIONS).get(str(path[1]), STORY))
    name = str(path[0])
    label = _(FIELD_LABELS[name]) if name in FIELD_LABELS else name.replace("_", " ").capitalize()
    lines = [_("line {n}").format(n=part + 1) for part in path[1:] if isinstance(part, int)]
    return ", ".join([label, *lines])
