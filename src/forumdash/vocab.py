"""Controlled vocabularies of the forum (see DOMAIN.md): values are stored, labels are shown."""

from enum import StrEnum

from forumdash.i18n import N_, _


class Vocab(StrEnum):
    """A vocabulary: the value is stored and used in URLs, the label is shown to people."""

    @property
    def label(self) -> str:
        """The value's label in the current language."""
        return _(_LABELS[self.value])

    @classmethod
    def values(cls) -> list[str]:
        return [m.value for m in cls]


class RegionGroup(Vocab):
    western_balkans = "western_balkans"
    partner = "partner"


class GrandChallenge(Vocab):
    public_services = "public_services"
    public_integrity = "public_integrity"
    public_resources = "public_resources"
    safer_communities = "safer_communities"
    corporate_accountability = "corporate_accountability"


class GovLevel(Vocab):
    local = "local"
    regional = "regional"
    national = "national"
    multinational = "multinational"


class ActorType(Vocab):
    government = "government"
    cso = "cso"
    parliament = "parliament"
    joint = "joint"
    international_partner = "international_partner"


class OgpValue(Vocab):
    access_to_information = "access_to_information"
    civic_participation = "civic_participation"
    public_accountability = "public_accountability"
    technology_innovation = "technology_innovation"


class Stage(Vocab):
    identifying_problems = "identifying_problems"
    generating_ideas = "generating_ideas"
    developing_proposals = "developing_proposals"
    implementing = "implementing"
    evaluating = "evaluating"
    diffusing_lessons = "diffusing_lessons"


class Completion(Vocab):
    no_evidence = "no_evidence"
    not_started = "not_started"
    limited = "limited"
    substantial = "substantial"
    complete = "complete"


class PotentialImpact(Vocab):
    none = "none"
    minor = "minor"
    moderate = "moderate"
    transformative = "transformative"


class EarlyResults(Vocab):
    """Also OGP's 'Did it open government' scale."""

    worsened = "worsened"
    did_not_change = "did_not_change"
    marginal = "marginal"
    major = "major"
    outstanding = "outstanding"


class OpenedGovernment(Vocab):
    """OGP IRM's 'Did it open government?': the early-results scale, plus the state IRM writes
    when it is too early to tell."""

    worsened = "worsened"
    did_not_change = "did_not_change"
    marginal = "marginal"
    major = "major"
    outstanding = "outstanding"
    no_early_results = "no_early_results"


class PotentialForResults(Vocab):
    """IRM's 2020+ rating of a commitment's potential for results."""

    unclear = "unclear"
    modest = "modest"
    substantial = "substantial"


class RatedBy(Vocab):
    self_assessed = "self"
    cso = "cso"
    irm = "irm"


class EvidenceLevel(Vocab):
    none = "none"
    anecdotal = "anecdotal"
    monitoring_data = "monitoring_data"
    independent_review = "independent_review"
    formal_evaluation = "formal_evaluation"


class OutcomeArea(Vocab):
    better_public_services = "better_public_services"
    economic_growth = "economic_growth"
    less_poverty = "less_poverty"
    less_corruption = "less_corruption"
    restored_public_trust = "restored_public_trust"


class Workflow(Vocab):
    draft = "draft"
    submitted = "submitted"
    in_review = "in_review"
    published = "published"
    rejected = "rejected"


class ObstacleType(Vocab):
    political_will = "political_will"
    legal_framework = "legal_framework"
    coordination = "coordination"
    capacity = "capacity"
    funding = "funding"
    data = "data"
    cso_engagement = "cso_engagement"
    technology = "technology"


class Severity(Vocab):
    low = "low"
    medium = "medium"
    high = "high"


class ChallengeStatus(Vocab):
    open = "open"
    being_addressed = "being_addressed"
    resolved = "resolved"


class SupportSought(Vocab):
    peer_visit = "peer_visit"
    expert_review = "expert_review"
    templates = "templates"
    matchmaking = "matchmaking"


class MatchState(Vocab):
    suggested = "suggested"
    accepted = "accepted"
    contacted = "contacted"
    adopted = "adopted"


class RecordType(Vocab):
    practice = "practice"
    challenge = "challenge"
    milestone = "milestone"


class CorrectionStatus(Vocab):
    open = "open"
    accepted = "accepted"
    declined = "declined"


class ExchangeStatus(Vocab):
    """Where a peer-exchange request is: a participant asked to learn from a practice's country,
    then the two are in contact, a visit or an exchange is held, the practice is adopted; or the
    country declines (with a reason)."""

    requested = "requested"
    in_contact = "in_contact"
    held = "held"
    adopted = "adopted"
    declined = "declined"


class SuggestionStatus(Vocab):
    """A participant's suggestion of a practice or a challenge: new until a focal point or an
    organiser turns it into a draft (accepted) or declines it with a reason."""

    new = "new"
    accepted = "accepted"
    declined = "declined"


class NotificationKind(Vocab):
    """What a notice in a signed-in person's inbox is about."""

    exchange_request = "exchange_request"
    exchange_update = "exchange_update"
    suggestion = "suggestion"
    submission = "submission"
    sent_back = "sent_back"
    published = "published"
    correction = "correction"


class Role(Vocab):
    participant = "participant"
    focal_point = "focal_point"
    organiser = "organiser"


class DatePrecision(Vocab):
    """How much of a stored date is known: a quarter or season is stored as its first day."""

    day = "day"
    month = "month"
    quarter = "quarter"
    season = "season"
    year = "year"


# The label of every stored value, in English; shown through gettext in the visitor's language.
# One label per value: a value shared by two vocabularies reads the same in both.
_LABELS = {
    "accepted": N_("Accepted"),
    "access_to_information": N_("Access to information"),
    "adopted": N_("Adopted"),
    "anecdotal": N_("Anecdotal"),
    "being_addressed": N_("Being addressed"),
    "better_public_services": N_("Better public services"),
    "capacity": N_("Capacity"),
    "challenge": N_("Challenge"),
    "civic_participation": N_("Civic participation"),
    "complete": N_("Complete"),
    "contacted": N_("Contacted"),
    "coordination": N_("Coordination"),
    "corporate_accountability": N_("Corporate accountability"),
    "correction": N_("Correction"),
    "cso": N_("Civil society (CSO)"),
    "cso_engagement": N_("CSO engagement"),
    "data": N_("Data"),
    "day": N_("Day"),
    "declined": N_("Declined"),
    "developing_proposals": N_("Developing proposals"),
    "did_not_change": N_("Did not change"),
    "diffusing_lessons": N_("Diffusing lessons"),
    "draft": N_("Draft"),
    "economic_growth": N_("Economic growth"),
    "evaluating": N_("Evaluating"),
    "exchange_request": N_("Request to learn"),
    "exchange_update": N_("Peer exchange"),
    "expert_review": N_("Expert review"),
    "focal_point": N_("Focal point"),
    "formal_evaluation": N_("Formal evaluation"),
    "funding": N_("Funding"),
    "generating_ideas": N_("Generating ideas"),
    "government": N_("Government"),
    "held": N_("Visit or exchange held"),
    "high": N_("High"),
    "identifying_problems": N_("Identifying problems"),
    "implementing": N_("Implementing"),
    "in_contact": N_("In contact"),
    "in_review": N_("In review"),
    "independent_review": N_("Independent review"),
    "international_partner": N_("International partner"),
    "irm": N_("IRM (Independent Reporting Mechanism)"),
    "joint": N_("Joint"),
    "legal_framework": N_("Legal framework"),
    "less_corruption": N_("Less corruption"),
    "less_poverty": N_("Less poverty"),
    "limited": N_("Limited"),
    "local": N_("Local"),
    "low": N_("Low"),
    "major": N_("Major"),
    "marginal": N_("Marginal"),
    "matchmaking": N_("Matchmaking"),
    "medium": N_("Medium"),
    "milestone": N_("Milestone"),
    "minor": N_("Minor"),
    "moderate": N_("Moderate"),
    "modest": N_("Modest"),
    "monitoring_data": N_("Monitoring data"),
    "month": N_("Month"),
    "multinational": N_("Multinational"),
    "national": N_("National"),
    "new": N_("New"),
    "no_early_results": N_("No early results to report yet"),
    "no_evidence": N_("No evidence"),
    "none": N_("None"),
    "not_started": N_("Not started"),
    "open": N_("Open"),
    "organiser": N_("Organiser"),
    "outstanding": N_("Outstanding"),
    "parliament": N_("Parliament"),
    "participant": N_("Participant"),
    "partner": N_("Partner"),
    "peer_visit": N_("Peer visit"),
    "political_will": N_("Political will / leadership turnover"),
    "practice": N_("Practice"),
    "public_accountability": N_("Public accountability"),
    "public_integrity": N_("Public integrity"),
    "public_resources": N_("Public resources"),
    "public_services": N_("Public services"),
    "published": N_("Published"),
    "quarter": N_("Quarter"),
    "regional": N_("Regional"),
    "rejected": N_("Rejected"),
    "requested": N_("Requested"),
    "resolved": N_("Resolved"),
    "restored_public_trust": N_("Restored public trust"),
    "safer_communities": N_("Safer communities"),
    "season": N_("Season"),
    "self": N_("Self-assessed"),
    "sent_back": N_("Sent back"),
    "submission": N_("Submission"),
    "submitted": N_("Submitted"),
    "substantial": N_("Substantial"),
    "suggested": N_("Suggested"),
    "suggestion": N_("Suggestion"),
    "technology": N_("Technology"),
    "technology_innovation": N_("Technology and innovation"),
    "templates": N_("Templates"),
    "transformative": N_("Transformative"),
    "unclear": N_("Unclear"),
    "western_balkans": N_("Western Balkans"),
    "worsened": N_("Worsened"),
    "year": N_("Year"),
}

# The body of a practice, under the forum's fixed headings: (column, heading).
BODY_SECTIONS: list[tuple[str, str]] = [
    ("problem_purpose", N_("Problem and purpose")),
    ("context", N_("Context")),
    ("actors_funding", N_("Actors and funding")),
    ("methods", N_("Methods")),
    ("what_happened", N_("What happened")),
    ("outcomes", N_("Outcomes")),
    ("lessons", N_("Lessons and difficulties")),
    ("references", N_("References")),
]
