"""FROZEN COPY of src/forumdash/matching.py as it was before issue 11, kept only so that
bench/match_eval.py can measure the old scoring beside the new one in the same run. Not used by
the product; do not edit.

Which practices from other countries could help with a challenge: a pure, explainable score.

Nothing here reads a database or draws a page. A challenge and the candidate practices come in as
small frozen profiles (`ChallengeProfile.of(...)`, `PracticeProfile.of(...)`); `score` rates one
pair and `rank` lists the best practices for a challenge, best first, each with its score (0 to
100), the reasons in plain English and the points of each part (`MatchResult.parts`). To rank
many challenges against the same practices, prepare them once: `Corpus(...).rank(...)` or
`rank_all` (50 challenges against 1,000 practices take a few tenths of a second).

The score adds five parts, each worth at most its weight (the weights sum to 100):

- themes: the share of the challenge's themes that the practice also has;
- OGP values: the share of the challenge's OGP values that the practice also has;
- obstacle fit: cues in the practice that answer the challenge's type of obstacle (`OBSTACLE_CUES`);
- progress: how far the practice got (stage), what it achieved (early results, else completion)
  and how well that is documented (evidence level);
- wording: the cosine similarity of the two texts' word sets, rare words counting more (idf over
  the candidate practices when ranking), after folding case, diacritics and Cyrillic.

A practice of the challenge's own country is never a match; nor is one that shares no theme and
whose wording is not similar enough (`MIN_TEXT_SIMILARITY`), to keep noise off the page. Ties are
broken by the practice id, so the same input always gives the same list in the same order.
`HOW_IT_WORKS` says all of this in words for the page, built from the constants below.
"""

import math
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import chain
from types import MappingProxyType

import numpy as np

from forumdash import models
from forumdash import vocab as v
from forumdash.search import tokens

# --------------------------------------------------------------------------- weights (points)

WEIGHT_THEMES = 40
WEIGHT_VALUES = 15
WEIGHT_OBSTACLE = 15
WEIGHT_PROGRESS = 15
WEIGHT_TEXT = 15
WEIGHTS: Mapping[str, int] = MappingProxyType(
    {
        "themes": WEIGHT_THEMES,
        "values": WEIGHT_VALUES,
        "obstacle": WEIGHT_OBSTACLE,
        "progress": WEIGHT_PROGRESS,
        "text": WEIGHT_TEXT,
    }
)
assert sum(WEIGHTS.values()) == 100

# How the progress points are split: stage reached, results, evidence (shares of WEIGHT_PROGRESS).
PROGRESS_SHARES: Mapping[str, float] = MappingProxyType(
    {"stage": 0.5, "results": 0.3, "evidence": 0.2}
)
# Completion counts at this fraction when no early results are rated (done is not yet worked).
COMPLETION_FACTOR = 0.5
# Obstacle fit is full when this many of the obstacle's cues are found in the practice.
CUES_FOR_FULL_FIT = 2
# Text similarity (0..1 cosine) at or above which the wording part is full, and below which
# wording counts for nothing (and cannot by itself make a match).
TEXT_FULL_SIMILARITY = 0.25
MIN_TEXT_SIMILARITY = 0.06
# Words shown in the "Similar wording" reason.
MAX_REASON_WORDS = 3
# `rank` leaves out matches scoring below this.
DEFAULT_MIN_SCORE = 20.0
# Only this much of a text is read (hostile or runaway input stays cheap).
MAX_TEXT_CHARS = 200_000

# Words that say nothing about a subject: English function words, a few frequent words of the
# region's languages (folded: 'të' -> 'te') and bits of links.
STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing done down during each either
    etc few for from further had has have having he her here hers him his how however i if in
    into is it its itself just least less may me might more most much must my no nor not now of
    off on once only or other our ours out over own per same shall she should since so some such
    than that the their theirs them then there these they this those through thus to too under
    until up upon us very via was we were what when where whether which while who whom whose
    why will with within without would yet you your yours
    many new one two three use used using well still made make makes like get got year years
    able across already among around based cannot even first found give given good help helps
    include included includes including need needed needs often part required several show
    shown shows take taken time way ways
    da do dhe ili iz je ka kao na nga od per po se si su te ta za ne nuk qe ose
    http https www com org html htm pdf
    """.split()
)
MIN_WORD_CHARS = 3


# --------------------------------------------------------------------------- obstacle cues


@dataclass(frozen=True, slots=True)
class Cue:
    """Something in a practice that plausibly answers a type of obstacle.

    `kind` is the practice attribute looked at: theme, value, actor, outcome, evidence, stage or
    word (a word of its text starting with one of `values`); `phrase` says it in words.
    """

    kind: str
    values: frozenset[str]
    phrase: str

    def __post_init__(self) -> None:
        if self.kind not in CUE_KINDS:
            raise ValueError(f"unknown cue kind {self.kind!r}")


CUE_KINDS = ("theme", "value", "outcome", "actor", "evidence", "stage", "word")


def _cue(kind: str, values: Iterable[str], phrase: str) -> Cue:
    return Cue(kind, frozenset(str(value) for value in values), phrase)


_EVIDENCED = (
    v.EvidenceLevel.monitoring_data,
    v.EvidenceLevel.independent_review,
    v.EvidenceLevel.formal_evaluation,
)
_CIVIL_SOCIETY = (v.ActorType.cso, v.ActorType.joint)

OBSTACLE_CUES: Mapping[str, tuple[Cue, ...]] = MappingProxyType(
    {
        v.ObstacleType.political_will: (
            _cue(
                "theme",
                ["political-commitment-eu-accession"],
                "anchored in political commitment or EU accession",
            ),
            _cue(
                "actor",
                _CIVIL_SOCIETY,
                "kept going by civil society or a joint body, beyond a change of leaders",
            ),
            _cue("value", [v.OgpValue.public_accountability], "builds public accountability"),
            _cue("evidence", _EVIDENCED, "has evidence of results to convince decision-makers"),
        ),
        v.ObstacleType.legal_framework: (
            _cue("theme", ["legislative-openness"], "works on legislative openness"),
            _cue("theme", ["access-to-information"], "works on access-to-information rules"),
            _cue(
                "actor",
                [v.ActorType.parliament, v.ActorType.joint],
                "involves parliament or a joint body",
            ),
            _cue(
                "word",
                ["law", "legal", "legislat", "regulat", "decree", "bylaw"],
                "mentions laws or regulations",
            ),
        ),
        v.ObstacleType.coordination: (
            _cue(
                "actor",
                [v.ActorType.joint, v.ActorType.international_partner],
                "run jointly by several partners",
            ),
            _cue("theme", ["public-services", "digital-government"], "joins up public services"),
            _cue("theme", ["local-government"], "involves local government"),
            _cue(
                "word",
                ["coordinat", "interoperab", "integrat", "joint", "single"],
                "mentions coordination or integration",
            ),
        ),
        v.ObstacleType.capacity: (
            _cue(
                "evidence", _EVIDENCED, "documented with monitoring data, a review or an evaluation"
            ),
            _cue(
                "stage",
                [v.Stage.evaluating, v.Stage.diffusing_lessons],
                "has been evaluated or is sharing lessons",
            ),
            _cue("actor", _CIVIL_SOCIETY, "shares the work with civil society"),
            _cue(
                "word",
                ["train", "guid", "manual", "toolkit", "templat", "standard", "mentor"],
                "mentions training, guidance or standards",
            ),
        ),
        v.ObstacleType.funding: (
            _cue("theme", ["open-budgets"], "works on open budgets"),
            _cue(
                "actor",
                [v.ActorType.international_partner, v.ActorType.joint],
                "shares costs with partners",
            ),
            _cue("outcome", [v.OutcomeArea.economic_growth], "reports economic benefits"),
            _cue(
                "word",
                ["fund", "donor", "grant", "cost", "budget"],
                "mentions funding or costs",
            ),
        ),
        v.ObstacleType.data: (
            _cue("theme", ["open-data"], "works on open data"),
            _cue("value", [v.OgpValue.access_to_information], "opens access to information"),
            _cue("evidence", _EVIDENCED, "collects monitoring data or has been reviewed"),
            _cue(
                "word",
                ["dataset", "machine", "format", "metadata", "quality"],
                "mentions datasets, formats or data quality",
            ),
        ),
        v.ObstacleType.cso_engagement: (
            _cue("actor", _CIVIL_SOCIETY, "led by civil society or jointly with it"),
            _cue("theme", ["civic-participation"], "works on civic participation"),
            _cue("value", [v.OgpValue.civic_participation], "built for civic participation"),
            _cue("outcome", [v.OutcomeArea.restored_public_trust], "aims to restore public trust"),
        ),
        v.ObstacleType.technology: (
            _cue("theme", ["digital-government"], "works on digital government"),
            _cue("value", [v.OgpValue.technology_innovation], "uses technology and innovation"),
            _cue("theme", ["open-data"], "publishes open data"),
            _cue(
                "word",
                ["software", "platform", "online", "mobile", "digital"],
                "mentions the technology used",
            ),
        ),
    }
)


# --------------------------------------------------------------------------- progress scales


def _scale(members: Iterable[str]) -> Mapping[str, float]:
    """Evenly spaced 0..1 along a vocabulary's order."""
    members = list(members)
    return MappingProxyType({m: i / (len(members) - 1) for i, m in enumerate(members)})


STAGE_PROGRESS = _scale(v.Stage.values())
EVIDENCE_PROGRESS = _scale(v.EvidenceLevel.values())
RESULTS_PROGRESS: Mapping[str, float] = MappingProxyType(
    {"worsened": 0.0, "did_not_change": 0.0, "marginal": 1 / 3, "major": 2 / 3, "outstanding": 1.0}
)
COMPLETION_PROGRESS: Mapping[str, float] = MappingProxyType(
    {
        "no_evidence": 0.0,
        "not_started": 0.0,
        "limited": 1 / 3,
        "substantial": 2 / 3,
        "complete": 1.0,
    }
)
assert set(RESULTS_PROGRESS) == set(v.EarlyResults.values())
assert set(COMPLETION_PROGRESS) == set(v.Completion.values())


# --------------------------------------------------------------------------- profiles


def words_of(text: str) -> frozenset[str]:
    """The distinctive words of a text: folded, without stop words, short words or numbers."""
    return frozenset(
        word
        for word in tokens((text or "")[:MAX_TEXT_CHARS])
        if len(word) >= MIN_WORD_CHARS and word not in STOP_WORDS and not word.isdigit()
    )


def _join(*parts: str | None) -> str:
    return "\n".join(part for part in parts if part)


@dataclass(frozen=True, slots=True)
class ChallengeProfile:
    """What matching needs to know about a challenge."""

    id: int
    country_code: str
    title: str
    text: str
    themes: frozenset[str]
    ogp_values: frozenset[str]
    obstacle_type: str
    words: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "words", words_of(self.text))

    @classmethod
    def of(cls, challenge: models.ChallengePublic) -> "ChallengeProfile":
        return cls(
            id=challenge.id,
            country_code=challenge.country_code,
            title=challenge.title,
            text=_join(challenge.title, challenge.description),
            themes=frozenset(challenge.themes),
            ogp_values=frozenset(str(value) for value in challenge.ogp_values),
            obstacle_type=str(challenge.obstacle_type),
        )


@dataclass(frozen=True, slots=True)
class PracticeProfile:
    """What matching needs to know about a practice."""

    id: int
    country_code: str
    title: str
    text: str
    themes: frozenset[str]
    ogp_values: frozenset[str]
    stage: str
    completion: str | None = None
    early_results: str | None = None
    actor_type: str = ""
    outcome_areas: frozenset[str] = frozenset()
    evidence_level: str | None = None
    words: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "words", words_of(self.text))

    @classmethod
    def of(cls, practice: models.PracticePublic) -> "PracticeProfile":
        # The references section is left out: citations and links, not a description.
        body = [text for key, text in practice.body.items() if key != "references"]
        return cls(
            id=practice.id,
            country_code=practice.country_code,
            title=practice.title,
            text=_join(
                practice.title,
                practice.summary,
                *body,
                practice.transferability,
                practice.transfer_conditions,
            ),
            themes=frozenset(practice.themes),
            ogp_values=frozenset(str(value) for value in practice.ogp_values),
            stage=str(practice.stage),
            completion=str(practice.completion) if practice.completion else None,
            early_results=str(practice.early_results) if practice.early_results else None,
            actor_type=str(practice.actor_type),
            outcome_areas=frozenset(str(area) for area in practice.outcome_areas),
            evidence_level=str(practice.evidence_level) if practice.evidence_level else None,
        )


@dataclass(frozen=True, slots=True)
class MatchResult:
    """A practice suggested for a challenge: score 0..100 (one decimal), the reasons, and the
    points of each part (keys as in WEIGHTS; they add up to the score, give or take rounding).
    Plain values only, so results can be cached or pickled."""

    challenge_id: int
    practice_id: int
    score: float
    reasons: tuple[str, ...]
    parts: dict[str, float] = field(hash=False)


# --------------------------------------------------------------------------- wording


class WordWeights(dict[str, float]):
    """Word -> weight (inverse document frequency); a word no document has weighs the most."""

    def __init__(self, weights: Mapping[str, float], unseen: float) -> None:
        super().__init__(weights)
        self.unseen = unseen

    def __missing__(self, word: str) -> float:
        return self.unseen


def _idf(documents: int, frequency: Mapping[str, int]) -> WordWeights:
    def idf(count: int) -> float:
        return math.log((1 + documents) / (1 + count)) + 1.0

    return WordWeights({word: idf(count) for word, count in frequency.items()}, idf(0))


def idf_weights(practices: Iterable[PracticeProfile]) -> WordWeights:
    """Inverse document frequency of each word over the practices: rare words weigh more."""
    practices = list(practices)
    return _idf(len(practices), Counter(chain.from_iterable(p.words for p in practices)))


_UNIFORM = WordWeights({}, 1.0)


def _squares(idf: WordWeights) -> WordWeights:
    return WordWeights({word: weight * weight for word, weight in idf.items()}, idf.unseen**2)


def _norm(words: frozenset[str], squares: WordWeights) -> float:
    # fsum: the same total whatever order a set is walked in.
    return math.sqrt(math.fsum(map(squares.__getitem__, words)))


# --------------------------------------------------------------------------- scoring


def _country(code: str) -> str:
    return (code or "").strip().upper()


def _label(enum_cls: type[v.Vocab], value: str) -> str:
    try:
        return enum_cls(value).label
    except ValueError:
        return value.replace("_", " ").capitalize()


def _progress(practice: PracticeProfile) -> tuple[float, str]:
    """Points for how far the practice got, and the reason in words."""
    stage = STAGE_PROGRESS.get(practice.stage, 0.0)
    if practice.early_results is not None and practice.early_results in RESULTS_PROGRESS:
        results = RESULTS_PROGRESS[practice.early_results]
    else:
        results = COMPLETION_PROGRESS.get(practice.completion or "", 0.0) * COMPLETION_FACTOR
    evidence = EVIDENCE_PROGRESS.get(practice.evidence_level or "", 0.0)
    points = WEIGHT_PROGRESS * (
        PROGRESS_SHARES["stage"] * stage
        + PROGRESS_SHARES["results"] * results
        + PROGRESS_SHARES["evidence"] * evidence
    )
    said = [f"Reached stage: {_label(v.Stage, practice.stage)}"]
    if practice.early_results:
        said.append(f"early results: {_label(v.EarlyResults, practice.early_results)}")
    elif practice.completion:
        said.append(f"completion: {_label(v.Completion, practice.completion)}")
    if practice.evidence_level and evidence > 0:
        said.append(f"evidence: {_label(v.EvidenceLevel, practice.evidence_level)}")
    return points, "; ".join(said) if points > 0 else ""


def _first_with_prefix(sorted_words: list[str], prefixes: Iterable[str]) -> str | None:
    """The first word (alphabetically) starting with one of the prefixes."""
    hits = []
    for prefix in prefixes:
        i = bisect_left(sorted_words, prefix)
        if i < len(sorted_words) and sorted_words[i].startswith(prefix):
            hits.append(sorted_words[i])
    return min(hits) if hits else None


def _attributes(practice: PracticeProfile) -> dict[str, frozenset[str]]:
    """The practice's attributes by cue kind (word cues aside)."""
    return {
        "theme": practice.themes,
        "value": practice.ogp_values,
        "outcome": practice.outcome_areas,
        "actor": frozenset([practice.actor_type]),
        "evidence": frozenset([practice.evidence_level or ""]),
        "stage": frozenset([practice.stage]),
    }


def _found(
    cue: Cue, attributes: Mapping[str, frozenset[str]], sorted_words: list[str]
) -> str | None:
    """The cue's phrase if the practice has it (a word cue quotes the word found)."""
    if cue.kind == "word":
        word = _first_with_prefix(sorted_words, cue.values)
        return f"{cue.phrase} ('{word}')" if word else None
    return None if cue.values.isdisjoint(attributes[cue.kind]) else cue.phrase


def _obstacle_name(obstacle: str) -> str:
    label = _label(v.ObstacleType, obstacle)
    # 'Capacity' -> 'capacity', but 'CSO engagement' stays.
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


class _Candidate:
    """A practice with what does not depend on the challenge worked out once."""

    __slots__ = (
        "profile",
        "country",
        "norm",
        "progress",
        "progress_reason",
        "_fits",
        "_sorted",
        "_attributes",
    )

    def __init__(self, profile: PracticeProfile, squares: WordWeights) -> None:
        self.profile = profile
        self.country = _country(profile.country_code)
        self.norm = _norm(profile.words, squares)
        self.progress, self.progress_reason = _progress(profile)
        self._fits: dict[str, tuple[float, tuple[str, ...]]] = {}
        self._sorted: list[str] | None = None
        self._attributes: dict[str, frozenset[str]] = {}

    def fit(self, obstacle: str) -> tuple[float, tuple[str, ...]]:
        """Points for answering this type of obstacle, and the cues found."""
        if obstacle not in self._fits:
            if self._sorted is None:
                self._sorted = sorted(self.profile.words)
                self._attributes = _attributes(self.profile)
            cues = OBSTACLE_CUES.get(obstacle, ())
            said = (_found(cue, self._attributes, self._sorted) for cue in cues)
            found = tuple(phrase for phrase in said if phrase)
            points = WEIGHT_OBSTACLE * min(1.0, len(found) / CUES_FOR_FULL_FIT)
            self._fits[obstacle] = (points, found)
        return self._fits[obstacle]


def _ordered(items: Iterable[str], order: Iterable[str] | None = None) -> list[str]:
    """Items in the order of `order` (e.g. the theme vocabulary), unknown ones after, by name."""
    position = {key: i for i, key in enumerate(order or ())}
    return sorted(items, key=lambda item: (position.get(item, len(position)), item))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


PART_NAMES = tuple(WEIGHTS)
# An estimate of a score may be off from the exact, rounded score by at most 0.3 points (five
# parts and the total rounded to 0.1): the shortlist keeps a wider margin.
_MARGIN = 1.0
# Two sums of the same numbers in a different order differ by far less than this.
_FLOAT_SLACK = 1e-9


class _Postings:
    """For each item (a word, a theme), the rows of the sets holding it, in ascending order."""

    def __init__(self, sets: Iterable[frozenset[str]]) -> None:
        lists: dict[str, list[int]] = defaultdict(list)
        for row, items in enumerate(sets):
            for item in items:
                lists[item].append(row)
        self.lists = lists
        self.arrays: dict[str, np.ndarray] = {}

    def rows(self, item: str) -> np.ndarray:
        if item not in self.arrays:
            self.arrays[item] = np.array(self.lists.get(item, ()), dtype=np.intp)
        return self.arrays[item]


class Corpus:
    """Candidate practices prepared once (word weights, norms, progress) to rank many challenges.

    Build one per set of published practices, e.g. cached until the data changes. `rank` first
    estimates every candidate's score with numpy, then scores exactly (the same code as `score`)
    only those that could reach the list, so a challenge is ranked in about a millisecond.
    """

    def __init__(
        self,
        practices: Iterable[PracticeProfile],
        *,
        theme_names: Mapping[str, str] | None = None,
        idf: WordWeights | None = None,
    ) -> None:
        self.practices = tuple(practices)
        self.theme_names = dict(theme_names or {})
        # Which rows have each word, theme and value.
        self._index = {
            "words": _Postings(p.words for p in self.practices),
            "themes": _Postings(p.themes for p in self.practices),
            "values": _Postings(p.ogp_values for p in self.practices),
        }
        if idf is None:
            frequency = {word: len(rows) for word, rows in self._index["words"].lists.items()}
            idf = _idf(len(self.practices), frequency)
        self.idf = idf
        self._squares = _squares(self.idf)
        self._candidates = [_Candidate(practice, self._squares) for practice in self.practices]
        self._unique_ids = len({p.id for p in self.practices}) == len(self.practices)
        # Columns for the estimate: one row per candidate.
        self._countries = np.array([c.country for c in self._candidates], dtype=object)
        self._norms = np.array([c.norm for c in self._candidates], dtype=float)
        self._progress = np.array([c.progress for c in self._candidates], dtype=float)
        self._fit_columns: dict[str, np.ndarray] = {}

    def _fit_column(self, obstacle: str) -> np.ndarray:
        if obstacle not in self._fit_columns:
            self._fit_columns[obstacle] = np.array(
                [c.fit(obstacle)[0] for c in self._candidates], dtype=float
            )
        return self._fit_columns[obstacle]

    def _shortlist(
        self, challenge: ChallengeProfile, limit: int | None, min_score: float
    ) -> list[int]:
        """The rows that could make the list: a superset, from an estimate of every score that
        is off by less than _MARGIN from the exact, rounded one."""
        size = len(self._candidates)
        if size == 0:
            return []

        def count(kind: str, items: Iterable[str]) -> np.ndarray:
            counted = np.zeros(size, dtype=float)
            for item in sorted(items):
                rows = self._index[kind].rows(item)
                if len(rows):
                    counted[rows] += self._squares[item] if kind == "words" else 1.0
            return counted

        overlap = count("words", challenge.words)
        norm = _norm(challenge.words, self._squares)
        denominator = norm * self._norms
        similarity = np.divide(overlap, denominator, out=np.zeros(size), where=denominator > 0)
        themes = count("themes", challenge.themes)
        other_country = self._countries != _country(challenge.country_code)
        rest = (
            WEIGHT_THEMES * themes / max(1, len(challenge.themes))
            + WEIGHT_VALUES
            * count("values", challenge.ogp_values)
            / max(1, len(challenge.ogp_values))
            + self._fit_column(challenge.obstacle_type)
            + self._progress
        )

        def bound(slack: float) -> tuple[np.ndarray, np.ndarray]:
            # Which rows match and their estimated scores, taking similarities within `slack`
            # of the threshold as above it (slack > 0) or below it (slack < 0).
            similar = similarity >= MIN_TEXT_SIMILARITY - slack
            text = np.where(similar, np.minimum(1.0, similarity / TEXT_FULL_SIMILARITY), 0.0)
            return other_country & ((themes > 0) | similar), rest + WEIGHT_TEXT * text

        # An upper bound decides who may pass min_score, a lower bound who surely does.
        eligible, upper = bound(_FLOAT_SLACK)
        keep = eligible & (upper >= min_score - _MARGIN)
        if limit is not None and self._unique_ids:
            sure_eligible, lower = bound(-_FLOAT_SLACK)
            sure = np.sort(lower[sure_eligible & (lower >= min_score + _MARGIN)])
            if len(sure) >= limit:
                # The limit-th best of the sure rows bounds the last score on the list.
                keep &= upper >= sure[-limit] - 2 * _MARGIN
        return np.flatnonzero(keep).tolist()

    def _evaluate(
        self, challenge: ChallengeProfile, norm: float, country: str, candidate: _Candidate
    ) -> tuple[float, tuple[float, ...], frozenset[str], frozenset[str]] | None:
        """The score and its parts (in PART_NAMES order) with the shared themes and words;
        None when the pair is not a match."""
        if candidate.country == country:
            return None
        practice = candidate.profile
        shared_themes = challenge.themes & practice.themes
        shared_words = challenge.words & practice.words
        similarity = 0.0
        if shared_words and norm and candidate.norm:
            overlap = math.fsum(map(self._squares.__getitem__, shared_words))
            similarity = overlap / (norm * candidate.norm)
        if similarity < MIN_TEXT_SIMILARITY:
            if not shared_themes:
                return None
            similarity, shared_words = 0.0, frozenset()
        shared_values = len(challenge.ogp_values & practice.ogp_values)
        parts = (
            round(WEIGHT_THEMES * len(shared_themes) / max(1, len(challenge.themes)), 1),
            round(WEIGHT_VALUES * shared_values / max(1, len(challenge.ogp_values)), 1),
            round(candidate.fit(challenge.obstacle_type)[0], 1),
            round(candidate.progress, 1),
            round(WEIGHT_TEXT * min(1.0, similarity / TEXT_FULL_SIMILARITY), 1),
        )
        total = round(min(100.0, max(0.0, sum(parts))), 1)
        return total, parts, shared_themes, shared_words

    def _explain(
        self,
        challenge: ChallengeProfile,
        candidate: _Candidate,
        parts: Mapping[str, float],
        shared_themes: frozenset[str],
        shared_words: frozenset[str],
        theme_names: Mapping[str, str],
    ) -> tuple[str, ...]:
        practice = candidate.profile
        reasons: list[str] = []
        if shared_themes:
            names = [theme_names.get(s, s) for s in _ordered(shared_themes, theme_names)]
            reasons.append(f"Shares {_plural(len(names), 'theme')}: {', '.join(names)}")
        shared_values = _ordered(challenge.ogp_values & practice.ogp_values, v.OgpValue.values())
        if shared_values:
            labels = ", ".join(_label(v.OgpValue, value) for value in shared_values)
            noun = "value" if len(shared_values) == 1 else "values"
            reasons.append(f"Same OGP {noun}: {labels}")
        if parts["obstacle"] > 0:
            cues = candidate.fit(challenge.obstacle_type)[1]
            name = _obstacle_name(challenge.obstacle_type)
            reasons.append(f"Addresses a {name} obstacle: {'; '.join(cues)}")
        if parts["progress"] > 0 and candidate.progress_reason:
            reasons.append(candidate.progress_reason)
        if parts["text"] > 0 and shared_words:
            best = sorted(shared_words, key=lambda word: (-self.idf[word], -len(word), word))
            quoted = ", ".join(f"'{word}'" for word in best[:MAX_REASON_WORDS])
            reasons.append(f"Similar wording: {quoted}")
        return tuple(reasons)

    def _result(
        self,
        challenge: ChallengeProfile,
        candidate: _Candidate,
        evaluated: tuple[float, tuple[float, ...], frozenset[str], frozenset[str]],
        theme_names: Mapping[str, str] | None,
    ) -> MatchResult:
        total, numbers, shared_themes, shared_words = evaluated
        parts = dict(zip(PART_NAMES, numbers, strict=True))
        names = self.theme_names if theme_names is None else theme_names
        reasons = self._explain(challenge, candidate, parts, shared_themes, shared_words, names)
        return MatchResult(challenge.id, candidate.profile.id, total, reasons, parts)

    def score(
        self,
        challenge: ChallengeProfile,
        practice: PracticeProfile,
        *,
        theme_names: Mapping[str, str] | None = None,
    ) -> MatchResult | None:
        """One pair, the words weighed by this corpus (the practice need not be in it)."""
        candidate = _Candidate(practice, self._squares)
        norm = _norm(challenge.words, self._squares)
        evaluated = self._evaluate(challenge, norm, _country(challenge.country_code), candidate)
        if evaluated is None:
            return None
        return self._result(challenge, candidate, evaluated, theme_names)

    def rank(
        self,
        challenge: ChallengeProfile,
        *,
        limit: int | None = 10,
        theme_names: Mapping[str, str] | None = None,
        min_score: float = DEFAULT_MIN_SCORE,
    ) -> list[MatchResult]:
        """See `rank`."""
        if limit is not None and limit <= 0:
            return []
        norm = _norm(challenge.words, self._squares)
        country = _country(challenge.country_code)
        found = []
        for row in self._shortlist(challenge, limit, min_score):
            candidate = self._candidates[row]
            evaluated = self._evaluate(challenge, norm, country, candidate)
            if evaluated is not None and evaluated[0] >= min_score:
                found.append((evaluated, candidate))
        # Best first; equal scores by practice id (a repeated id: its best version, by parts).
        found.sort(key=lambda item: (-item[0][0], item[1].profile.id, item[0][1]))
        results: list[MatchResult] = []
        seen: set[int] = set()
        for evaluated, candidate in found:
            if candidate.profile.id in seen:
                continue
            seen.add(candidate.profile.id)
            results.append(self._result(challenge, candidate, evaluated, theme_names))
            if limit is not None and len(results) >= limit:
                break
        return results


def score(
    challenge: ChallengeProfile,
    practice: PracticeProfile,
    *,
    theme_names: Mapping[str, str] | None = None,
    idf: WordWeights | None = None,
) -> MatchResult | None:
    """How well a practice could help with a challenge; None if it is from the same country, or
    shares no theme and its wording is not similar enough.

    `theme_names` (slug -> name) words the reasons. `idf` (`idf_weights` over the candidate
    practices) makes rare words count more in the wording part; without it all words count the
    same, so a pair can score a little differently here than in `rank`.
    """
    return Corpus((), idf=_UNIFORM if idf is None else idf).score(
        challenge, practice, theme_names=theme_names
    )


def rank(
    challenge: ChallengeProfile,
    practices: Iterable[PracticeProfile],
    *,
    limit: int | None = 10,
    theme_names: Mapping[str, str] | None = None,
    min_score: float = DEFAULT_MIN_SCORE,
) -> list[MatchResult]:
    """The practices that could help with a challenge, best first, equal scores by ascending
    practice id; at most `limit` (None: all), none from the challenge's own country, none
    scoring under `min_score`. Word rarity is counted over `practices`.

    To rank many challenges against the same practices, build a `Corpus` once (or `rank_all`).
    """
    return Corpus(practices).rank(
        challenge, limit=limit, theme_names=theme_names, min_score=min_score
    )


def rank_all(
    challenges: Iterable[ChallengeProfile],
    practices: Iterable[PracticeProfile],
    *,
    limit: int | None = 10,
    theme_names: Mapping[str, str] | None = None,
    min_score: float = DEFAULT_MIN_SCORE,
) -> dict[int, list[MatchResult]]:
    """`rank` for many challenges (challenge id -> matches), the practices prepared once."""
    corpus = Corpus(practices, theme_names=theme_names)
    return {
        challenge.id: corpus.rank(challenge, limit=limit, min_score=min_score)
        for challenge in challenges
    }


# --------------------------------------------------------------------------- the page's words


def _points(value: float) -> str:
    return f"{value:g}"


def _how_it_works() -> str:
    shares = {name: WEIGHT_PROGRESS * share for name, share in PROGRESS_SHARES.items()}
    cue_lines = []
    for obstacle, cues in OBSTACLE_CUES.items():
        phrases = "; ".join(cue.phrase for cue in cues)
        cue_lines.append(f"  - *{_label(v.ObstacleType, obstacle)}*: {phrases}.")
    stages = ", ".join(_label(v.Stage, stage) for stage in STAGE_PROGRESS)
    return "\n".join(
        [
            "Each challenge is compared with every published practice from **other countries**"
            " (a country's own practices are never suggested). A practice scores up to 100"
            " points, added from five parts:",
            "",
            f"- **Shared themes, up to {WEIGHT_THEMES} points**: the share of the challenge's"
            " themes that the practice also covers.",
            f"- **Shared OGP values, up to {WEIGHT_VALUES} points**: the share of the"
            " challenge's OGP values that the practice also serves.",
            f"- **Fit with the obstacle, up to {WEIGHT_OBSTACLE} points**: signs in the"
            " practice that answer the challenge's type of obstacle; full points from"
            f" {CUES_FOR_FULL_FIT} signs on:",
            *cue_lines,
            f"- **How far it got, up to {WEIGHT_PROGRESS} points**:"
            f" {_points(shares['stage'])} for the stage reached ({stages}: later stages count"
            f" more), {_points(shares['results'])} for early results (if none are rated, for"
            f" completion, counted at {_points(COMPLETION_FACTOR * 100)}%) and"
            f" {_points(shares['evidence'])} for the level of evidence.",
            f"- **Similar wording, up to {WEIGHT_TEXT} points**: how many words the two texts"
            " share (ignoring case, accents and Cyrillic or Latin script, and common words such"
            " as 'the'); words that few practices use count more. Wording counts from a"
            f" similarity of {_points(MIN_TEXT_SIMILARITY * 100)}% (cosine of the two sets of"
            f" words), with full points from {_points(TEXT_FULL_SIMILARITY * 100)}%.",
            "",
            "A practice that shares no theme with the challenge is only suggested when its"
            f" wording is similar. Suggestions scoring under {_points(DEFAULT_MIN_SCORE)} points"
            " are left out; practices with equal scores are listed in a fixed order. The"
            " reasons under each suggestion say which parts it scored on. The score is a"
            " starting point for a conversation, not a verdict: check the practice before"
            " reaching out.",
        ]
    )


HOW_IT_WORKS = _how_it_works()
