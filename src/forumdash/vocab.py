"""Controlled vocabularies of the forum (see DOMAIN.md): values are stored, labels are shown."""

from enum import StrEnum


class Vocab(StrEnum):
    """A vocabulary: the value is stored and used in URLs, the label is shown to people."""

    @property
    def label(self) -> str:
        return _LABELS.get(self.value, self.value.replace("_", " ").capitalize())

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


# Labels that the default (capitalised value with spaces) would get wrong.
_LABELS = {
    "western_balkans": "Western Balkans",
    "cso": "Civil society (CSO)",
    "irm": "IRM (Independent Reporting Mechanism)",
    "self": "Self-assessed",
    "technology_innovation": "Technology and innovation",
    "political_will": "Political will / leadership turnover",
    "cso_engagement": "CSO engagement",
    "did_not_change": "Did not change",
    "no_early_results": "No early results to report yet",
    "in_review": "In review",
}

# The body of a practice, under the forum's fixed headings: (column, heading).
BODY_SECTIONS: list[tuple[str, str]] = [
    ("problem_purpose", "Problem and purpose"),
    ("context", "Context"),
    ("actors_funding", "Actors and funding"),
    ("methods", "Methods"),
    ("what_happened", "What happened"),
    ("outcomes", "Outcomes"),
    ("lessons", "Lessons and difficulties"),
    ("references", "References"),
]
