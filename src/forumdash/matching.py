"""Which practices from other countries could help with a challenge: a pure, explainable score.

Nothing here reads a database or draws a page. A challenge and the candidate practices come in as
small frozen profiles (`ChallengeProfile.of(...)`, `PracticeProfile.of(...)`); `score` rates one
pair and `rank` lists the best practices for a challenge, best first, each with its score (0 to
100), the reasons in plain English and the points of each part (`MatchResult.parts`). To rank
many challenges against the same practices, prepare them once: `Corpus(...).rank(...)` or
`rank_all`; after a few practices changed, `Corpus.updated` gives the corpus a full rebuild would
give, in a fraction of the time.

The score adds five parts, each worth at most its weight (the weights sum to 100):

- wording: how strongly the practice uses the challenge's topic words (BM25 over stemmed, folded
  words, synonyms across the region's languages counted as one word, rare words counting more;
  the title's words count double); names of countries and places never count;
- themes: the share of the challenge's themes that the practice also has;
- OGP values: the share of the challenge's OGP values that the practice also has;
- obstacle fit: cues in the practice that answer the challenge's type of obstacle (`OBSTACLE_CUES`);
- progress: how far the practice got (stage), what it achieved (early results, else completion)
  and how well that is documented (evidence level).

Wording weighs most because themes are coarse and often missing or generic on imported records
("other"): a waste challenge must meet waste practices whatever their theme (bench/match_eval.py
measures it). A practice of the challenge's own country is never a match; nor is one that shares
no theme and whose wording is not similar enough (`MIN_TEXT_SIMILARITY`). Ties are broken by the
practice id, so the same input always gives the same list in the same order. `HOW_IT_WORKS` says
all of this in words for the page, built from the constants below.
"""

import math
import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType

import numpy as np

from forumdash import activity, i18n, models, stemming
from forumdash import vocab as v
from forumdash.folding import fold
from forumdash.i18n import N_, _, ngettext
from forumdash.importers.countries import country_name_words
from forumdash.search import MAX_TOKEN_CHARS

# --------------------------------------------------------------------------- weights (points)

WEIGHT_TEXT = 45
WEIGHT_THEMES = 15
WEIGHT_VALUES = 10
WEIGHT_OBSTACLE = 15
WEIGHT_PROGRESS = 15
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
# Wording similarity (0..1: BM25 as a share of what a practice using every word of the
# challenge very often would score) at or above which the wording part is full, and below which
# wording counts for nothing (and cannot by itself make a match).
TEXT_FULL_SIMILARITY = 0.3
MIN_TEXT_SIMILARITY = 0.05
# BM25's saturation of repeated words and its normalisation by a text's length (the usual values).
BM25_K1 = 1.2
BM25_B = 0.75
# A word of the challenge's title counts this many times a word of its description.
TITLE_WORD_WEIGHT = 2.0
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

# Places are where a practice happened, not what it is about: two texts naming Albania share no
# topic. The forum's countries in every language and script (forumdash.importers.countries),
# what their people are called, and the region's capitals and larger cities (folded).
PLACE_WORDS = frozenset(
    country_name_words()
    | set(
        fold(
            """
            albanian albanians bosnian bosnians herzegovinian kosovar kosovars kosovan kosovo's
            montenegrin montenegrins macedonian macedonians serbian serbians serb serbs croatian
            croatians croat croats british georgian georgians polish poles balkan balkans
            shqiptar shqiptare shqiptaret srpski srpska srpske hrvatski bosanski crnogorski
            makedonski македонски српски
            tirana tiranë tirane тирана durrës durres vlorë vlora shkodër shkodra elbasan korçë
            korca fier berat sarajevo сарајево banja luka бања лука mostar tuzla zenica bihać
            bijeljina brčko brcko pristina prishtina priština приштина prishtinë prizren peja peć
            pec mitrovica mitrovicë gjakova gjakovë ferizaj gjilan podgorica подгорица nikšić
            niksic budva cetinje kotor bijelo polje pljevlja skopje скопје shkup shkupi bitola
            битола kumanovo tetovo тетово ohrid охрид struga gostivar strumica veles belgrade
            beograd београд novi sad нови сад niš nis ниш kragujevac subotica zemun zagreb загреб
            rijeka osijek zadar pula london tbilisi batumi kutaisi warsaw warszawa varšava
            kraków krakow łódź lodz wrocław wroclaw gdańsk gdansk poznań poznan lublin
            """
        ).split()
    )
)

# Words that mean the same thing across the region's languages (and English variants), counted
# as one word. Each concept lists folded word beginnings: a word starting with one of them is
# the concept (`otpad`, `otpada`, `otpadom` -> waste). Beginnings are long enough not to catch
# unrelated words ('komuna', not 'komun', which would catch 'komunikim').
SYNONYMS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "waste": (
            "waste",
            "wasti",
            "garbage",
            "rubbish",
            "otpad",
            "mbeturin",
            "отпад",
            "smeć",
            "smec",
            "landfill",
            "deponij",
            "deponi",
            "recycl",
            "reciklir",
            "reciklim",
            "riciklim",
        ),
        "procurement": (
            "procur",
            "tender",
            "nabavk",
            "nabavc",
            "nabav",
            "prokurim",
            "prokurime",
            "набавк",
        ),
        "budget": (
            "budget",
            "budžet",
            "budzet",
            "buxhet",
            "буџет",
            "буджет",
            "proračun",
            "proracun",
        ),
        "municipality": (
            "municip",
            "opštin",
            "opstin",
            "općin",
            "opcin",
            "komuna",
            "komunat",
            "komunë",
            "komune",
            "bashki",
            "општин",
            "local self-gov",
        ),
        "corruption": ("corrupt", "korupc", "korrupsion", "корупц", "brib"),
        "court": ("court", "judici", "judge", "sudsk", "sudov", "gjykat", "судск"),
        "parliament": (
            "parliament",
            "skupštin",
            "skupstin",
            "kuvend",
            "собрани",
            "sobrani",
            "sabor",
        ),
        "health": ("health", "hospital", "zdravstv", "zdravlj", "shëndet", "shendet", "здравств"),
        "education": (
            "educat",
            "school",
            "obrazovanj",
            "škol",
            "skol",
            "arsim",
            "shkoll",
            "образовани",
        ),
        "environment": ("environment", "mjedis", "životn", "zivotn", "животн"),
        "information": ("information", "informacij", "informacion", "информаци"),
        "citizen": ("citizen", "građan", "gradjan", "gradan", "qytetar", "граѓан", "грађан"),
        "transparency": ("transparen", "transparent", "transparenc", "транспарент"),
        "contract": ("contract", "ugovor", "kontrat", "договор"),
        "petition": ("petition", "peticij", "peticion", "петициј"),
        "consultation": ("consult", "konsultim", "konsultacij", "javna rasprav", "консултаци"),
        "complaint": ("complain", "griev", "žalb", "zalb", "ankes", "жалб"),
        "water": ("water", "vodovod", "vodosnab", "ujësjell", "ujesjell", "водовод"),
        "transport": ("transport", "traffic", "saobraćaj", "saobracaj", "сообраќај"),
        "data": ("dataset", "open data", "otvoren podac", "otvorenih podatak", "të dhëna"),
    }
)

_WORD = re.compile(r"[^\W_]+")
# English then Serbian on every word, whatever the text: the same word gives the same term in any
# record. The stemmers are forumdash.stemming's (one per thread: PyStemmer's are not thread-safe).
_CHAIN = (stemming.ENGLISH, stemming.SERBIAN)


def _folded_prefixes() -> dict[str, str]:
    """Folded one-word beginnings -> concept (phrases in the table are left to their words)."""
    prefixes: dict[str, str] = {}
    for concept, beginnings in SYNONYMS.items():
        for beginning in beginnings:
            folded = fold(beginning)
            if " " not in folded:
                prefixes[folded] = concept
    return prefixes


_CONCEPT_OF = _folded_prefixes()
_PREFIX_LENGTHS = sorted({len(prefix) for prefix in _CONCEPT_OF}, reverse=True)


@lru_cache(maxsize=200_000)
def term(folded_word: str) -> str:
    """The term a folded word counts as: its synonym concept ('~waste'), else its stem.

    Stemming runs the English then the Serbian Snowball stemmer on every word whatever the
    text's language, so the same word always gives the same term in any record ('opštine',
    'opstina' -> 'opstin'; 'municipalities' -> the concept), with forumdash.stemming's stemmers
    (search chooses one stemmer per text instead).
    """
    for length in _PREFIX_LENGTHS:
        concept = _CONCEPT_OF.get(folded_word[:length])
        if concept is not None:
            return "~" + concept
    stemmed = folded_word
    for stemmer in _CHAIN:
        stemmed = stemming.stem(stemmed, stemmer)
    return stemmed


_PLACE_TERMS = frozenset(term(word) for word in PLACE_WORDS if not term(word).startswith("~"))


@dataclass(frozen=True, slots=True)
class Wording:
    """The distinctive words of a text: each term (stem or concept) with how often it occurs,
    the folded words (for the obstacle cues) and each term as the text first writes it."""

    counts: Mapping[str, int]
    length: int
    folded: frozenset[str]
    written: Mapping[str, str]

    @property
    def terms(self) -> frozenset[str]:
        return frozenset(self.counts)


def wording(text: str) -> Wording:
    """The words of a text that say what it is about: folded, stemmed, synonyms joined; no stop
    words, numbers, short words, nor names of countries and places."""
    counts: Counter[str] = Counter()
    written: dict[str, str] = {}
    folded_words: set[str] = set()
    raw = unicodedata.normalize("NFC", (text or "")[:MAX_TEXT_CHARS])
    for match in _WORD.finditer(raw):
        as_written = match.group()[:MAX_TOKEN_CHARS]
        folded = fold(as_written)
        if len(folded) < MIN_WORD_CHARS or folded.isdigit() or folded in STOP_WORDS:
            continue
        if folded in PLACE_WORDS:
            continue
        found = term(folded)
        if found in _PLACE_TERMS:
            continue
        counts[found] += 1
        written.setdefault(found, as_written)
        folded_words.add(folded)
    return Wording(dict(counts), sum(counts.values()), frozenset(folded_words), written)


# --------------------------------------------------------------------------- obstacle cues


@dataclass(frozen=True, slots=True)
class Cue:
    """Something in a practice that plausibly answers a type of obstacle.

    `kind` is the practice attribute looked at: theme, value, actor, outcome, evidence, stage or
    word (a word of its text starting with one of `values`); `phrase` says it in words (English,
    marked with N_: reasons translate it when they are worded, after any cache).
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
                N_("anchored in political commitment or EU accession"),
            ),
            _cue(
                "actor",
                _CIVIL_SOCIETY,
                N_("kept going by civil society or a joint body, beyond a change of leaders"),
            ),
            _cue("value", [v.OgpValue.public_accountability], N_("builds public accountability")),
            _cue("evidence", _EVIDENCED, N_("has evidence of results to convince decision-makers")),
        ),
        v.ObstacleType.legal_framework: (
            _cue("theme", ["legislative-openness"], N_("works on legislative openness")),
            _cue("theme", ["access-to-information"], N_("works on access-to-information rules")),
            _cue(
                "actor",
                [v.ActorType.parliament, v.ActorType.joint],
                N_("involves parliament or a joint body"),
            ),
            _cue(
                "word",
                ["law", "legal", "legislat", "regulat", "decree", "bylaw"],
                N_("mentions laws or regulations"),
            ),
        ),
        v.ObstacleType.coordination: (
            _cue(
                "actor",
                [v.ActorType.joint, v.ActorType.international_partner],
                N_("run jointly by several partners"),
            ),
            _cue(
                "theme", ["public-services", "digital-government"], N_("joins up public services")
            ),
            _cue("theme", ["local-government"], N_("involves local government")),
            _cue(
                "word",
                ["coordinat", "interoperab", "integrat", "joint", "single"],
                N_("mentions coordination or integration"),
            ),
        ),
        v.ObstacleType.capacity: (
            _cue(
                "evidence",
                _EVIDENCED,
                N_("documented with monitoring data, a review or an evaluation"),
            ),
            _cue(
                "stage",
                [v.Stage.evaluating, v.Stage.diffusing_lessons],
                N_("has been evaluated or is sharing lessons"),
            ),
            _cue("actor", _CIVIL_SOCIETY, N_("shares the work with civil society")),
            _cue(
                "word",
                ["train", "guid", "manual", "toolkit", "templat", "standard", "mentor"],
                N_("mentions training, guidance or standards"),
            ),
        ),
        v.ObstacleType.funding: (
            _cue("theme", ["open-budgets"], N_("works on open budgets")),
            _cue(
                "actor",
                [v.ActorType.international_partner, v.ActorType.joint],
                N_("shares costs with partners"),
            ),
            _cue("outcome", [v.OutcomeArea.economic_growth], N_("reports economic benefits")),
            _cue(
                "word",
                ["fund", "donor", "grant", "cost", "budget"],
                N_("mentions funding or costs"),
            ),
        ),
        v.ObstacleType.data: (
            _cue("theme", ["open-data"], N_("works on open data")),
            _cue("value", [v.OgpValue.access_to_information], N_("opens access to information")),
            _cue("evidence", _EVIDENCED, N_("collects monitoring data or has been reviewed")),
            _cue(
                "word",
                ["dataset", "machine", "format", "metadata", "quality"],
                N_("mentions datasets, formats or data quality"),
            ),
        ),
        v.ObstacleType.cso_engagement: (
            _cue("actor", _CIVIL_SOCIETY, N_("led by civil society or jointly with it")),
            _cue("theme", ["civic-participation"], N_("works on civic participation")),
            _cue("value", [v.OgpValue.civic_participation], N_("built for civic participation")),
            _cue(
                "outcome", [v.OutcomeArea.restored_public_trust], N_("aims to restore public trust")
            ),
        ),
        v.ObstacleType.technology: (
            _cue("theme", ["digital-government"], N_("works on digital government")),
            _cue("value", [v.OgpValue.technology_innovation], N_("uses technology and innovation")),
            _cue("theme", ["open-data"], N_("publishes open data")),
            _cue(
                "word",
                ["software", "platform", "online", "mobile", "digital"],
                N_("mentions the technology used"),
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
    wording: Wording = field(init=False, repr=False, compare=False)
    # Term -> how much it counts in the query: the title's words count double.
    query: Mapping[str, float] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        found = wording(self.text)
        in_title = wording(self.title).terms
        object.__setattr__(self, "wording", found)
        object.__setattr__(
            self,
            "query",
            {t: TITLE_WORD_WEIGHT if t in in_title else 1.0 for t in sorted(found.counts)},
        )

    @property
    def words(self) -> frozenset[str]:
        return self.wording.terms

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
    wording: Wording = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "wording", wording(self.text))

    @property
    def words(self) -> frozenset[str]:
        return self.wording.terms

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


# --------------------------------------------------------------------------- scoring


def _country(code: str) -> str:
    return (code or "").strip().upper()


def _label(enum_cls: type[v.Vocab], value: str) -> str:
    try:
        return enum_cls(value).label
    except ValueError:
        return value.replace("_", " ").capitalize()


def _progress(practice: PracticeProfile) -> tuple[float, tuple[tuple[str, str], ...]]:
    """Points for how far the practice got, and what its reason says as (part, value) pairs."""
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
    # What the reason will say, as (part, value) pairs: worded per reader by _progress_reason,
    # since a candidate (and this) is kept in a cache shared by every language.
    said = [("stage", practice.stage)]
    if practice.early_results:
        said.append(("early_results", practice.early_results))
    elif practice.completion:
        said.append(("completion", practice.completion))
    if practice.evidence_level and evidence > 0:
        said.append(("evidence", practice.evidence_level))
    return points, tuple(said) if points > 0 else ()


def _progress_reason(said: Iterable[tuple[str, str]]) -> str:
    """'Reached stage: Evaluating; early results: Some' in the reader's language."""
    words = {
        "stage": lambda value: _("Reached stage: {stage}").format(stage=_label(v.Stage, value)),
        "early_results": lambda value: _("early results: {rating}").format(
            rating=_label(v.EarlyResults, value)
        ),
        "completion": lambda value: _("completion: {rating}").format(
            rating=_label(v.Completion, value)
        ),
        "evidence": lambda value: _("evidence: {level}").format(
            level=_label(v.EvidenceLevel, value)
        ),
    }
    return "; ".join(words[part](value) for part, value in said)


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
) -> tuple[str, str] | None:
    """The cue's phrase and the word found (a word cue's; '' for others) if the practice has
    it. Kept in the candidate's cache, so worded for a reader by _cue_said."""
    if cue.kind == "word":
        word = _first_with_prefix(sorted_words, cue.values)
        return (cue.phrase, word) if word else None
    return None if cue.values.isdisjoint(attributes[cue.kind]) else (cue.phrase, "")


def _cue_said(phrase: str, word: str) -> str:
    """A cue found, in the reader's language; a word cue quotes the word as the practice has it."""
    if word:
        return _("{sign} ('{word}')").format(sign=_(phrase), word=word)
    return _(phrase)


def _obstacle_name(obstacle: str) -> str:
    label = _label(v.ObstacleType, obstacle)
    # 'Capacity' -> 'capacity', but 'CSO engagement' stays.
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


class _Candidate:
    """A practice with what does not depend on the challenge worked out once."""

    __slots__ = (
        "profile",
        "country",
        "length",
        "progress",
        "progress_said",
        "_fits",
        "_sorted",
        "_attributes",
    )

    def __init__(self, profile: PracticeProfile) -> None:
        self.profile = profile
        self.country = _country(profile.country_code)
        self.length = profile.wording.length
        self.progress, self.progress_said = _progress(profile)
        self._fits: dict[str, tuple[float, tuple[tuple[str, str], ...]]] = {}
        self._sorted: list[str] | None = None
        self._attributes: dict[str, frozenset[str]] = {}

    def fit(self, obstacle: str) -> tuple[float, tuple[tuple[str, str], ...]]:
        """Points for answering this type of obstacle, and the cues found."""
        if obstacle not in self._fits:
            if self._sorted is None:
                # The attributes before the words: another thread that sees the words set
                # (the warm-up preparing beside a request) must find the attributes too.
                self._attributes = _attributes(self.profile)
                self._sorted = sorted(self.profile.wording.folded)
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


PART_NAMES = tuple(WEIGHTS)
# An estimate of a score may be off from the exact, rounded score by at most 0.3 points (five
# parts and the total rounded to 0.1): the shortlist keeps a wider margin.
_MARGIN = 1.0
# Two sums of the same numbers in a different order differ by far less than this.
_FLOAT_SLACK = 1e-9

_NO_IDS = np.zeros(0, dtype=np.int64)
_NO_COUNTS = np.zeros(0, dtype=np.float64)
Posting = tuple[np.ndarray, np.ndarray]  # practice ids (ascending int64), counts (float64)


class _Postings:
    """For each item (a term, a theme), the ids of the practices holding it, ascending, and how
    often each holds it. Keyed by practice id, not row, so that a few changed practices change
    only their items' lists (`updated`), never the others'."""

    def __init__(self, lists: dict[str, Posting]) -> None:
        self.lists = lists

    @classmethod
    def build(cls, entries: Iterable[tuple[int, Mapping[str, int]]]) -> "_Postings":
        grouped: dict[str, tuple[list[int], list[int]]] = {}
        for practice_id, counts in sorted(entries, key=lambda entry: entry[0]):
            for item, count in counts.items():
                ids, numbers = grouped.setdefault(item, ([], []))
                ids.append(practice_id)
                numbers.append(count)
        return cls(
            {
                item: (np.array(ids, dtype=np.int64), np.array(numbers, dtype=np.float64))
                for item, (ids, numbers) in grouped.items()
            }
        )

    def get(self, item: str) -> Posting:
        return self.lists.get(item, (_NO_IDS, _NO_COUNTS))

    def updated(
        self,
        gone: Mapping[int, Iterable[str]],
        added: Mapping[int, Mapping[str, int]],
    ) -> "_Postings":
        """A copy without the practices in `gone` (id -> their items) and with those `added`;
        only the lists of the items they hold are rebuilt."""
        touched: set[str] = set()
        for items in gone.values():
            touched.update(items)
        for counts in added.values():
            touched.update(counts)
        gone_ids = np.array(sorted(gone), dtype=np.int64)
        lists = dict(self.lists)
        for item in touched:
            ids, numbers = self.get(item)
            keep = ~np.isin(ids, gone_ids)
            new = sorted((pid, counts[item]) for pid, counts in added.items() if item in counts)
            ids = np.concatenate([ids[keep], np.array([p for p, _number in new], dtype=np.int64)])
            numbers = np.concatenate(
                [numbers[keep], np.array([n for _pid, n in new], dtype=np.float64)]
            )
            order = np.argsort(ids, kind="stable")
            if len(ids):
                lists[item] = (ids[order], numbers[order])
            else:
                lists.pop(item, None)
        return _Postings(lists)


def _set_counts(items: frozenset[str]) -> Mapping[str, int]:
    return dict.fromkeys(items, 1)


def _idf(documents: int, frequency: int) -> float:
    """BM25's inverse document frequency (never negative)."""
    return math.log(1.0 + (documents - frequency + 0.5) / (frequency + 0.5))


class Corpus:
    """Candidate practices prepared once (term statistics, progress) to rank many challenges.

    Build one per set of published practices, e.g. cached until the data changes, and after a
    few changes derive the next one with `updated` (equal to a full rebuild, much faster).
    `rank` first estimates every candidate's score with numpy, then scores exactly (the same
    code as `score`) only those that could reach the list, so a challenge is ranked in about a
    millisecond. A practice id given twice counts once (the last one given).
    """

    def __init__(
        self,
        practices: Iterable[PracticeProfile],
        *,
        theme_names: Mapping[str, str] | None = None,
        uniform: bool = False,
    ) -> None:
        by_id = {p.id: _Candidate(p) for p in activity.paced(practices)}
        entries = [(pid, c.profile) for pid, c in by_id.items()]
        self._setup(
            by_id,
            _Postings.build((pid, p.wording.counts) for pid, p in entries),
            _Postings.build((pid, _set_counts(p.themes)) for pid, p in entries),
            _Postings.build((pid, _set_counts(p.ogp_values)) for pid, p in entries),
            theme_names,
            uniform,
        )

    def _setup(
        self,
        by_id: dict[int, _Candidate],
        terms: _Postings,
        themes: _Postings,
        values: _Postings,
        theme_names: Mapping[str, str] | None,
        uniform: bool,
    ) -> None:
        self.theme_names = dict(theme_names or {})
        self._uniform = uniform
        self._by_id = by_id
        self._terms, self._themes, self._values = terms, themes, values
        self._ids = np.array(sorted(by_id), dtype=np.int64)
        self._candidates = [by_id[int(pid)] for pid in self._ids]
        self.practices = tuple(c.profile for c in self._candidates)
        self._documents = len(self._candidates)
        total = sum(c.length for c in self._candidates)
        self._average_length = total / self._documents if self._documents else 0.0
        # Columns for the estimate: one row per candidate, in id order.
        self._countries = np.array([c.country for c in self._candidates], dtype=object)
        self._lengths = np.array([c.length for c in self._candidates], dtype=float)
        self._progress = np.array([c.progress for c in self._candidates], dtype=float)
        self._fit_columns: dict[str, np.ndarray] = {}

    def updated(self, changed: Iterable[PracticeProfile], removed: Iterable[int] = ()) -> "Corpus":
        """A new corpus with `changed` practices added or replaced and the `removed` ids gone:
        equal to building it from scratch, in time proportional to the changes. This corpus
        stays as it was (readers holding it are not disturbed)."""
        fresh = {p.id: _Candidate(p) for p in changed}
        leaving = {pid for pid in removed if pid in self._by_id} | (fresh.keys() & self._by_id)
        by_id = {pid: c for pid, c in self._by_id.items() if pid not in leaving} | fresh
        old = {pid: self._by_id[pid].profile for pid in leaving}
        new = {pid: c.profile for pid, c in fresh.items()}
        corpus = Corpus.__new__(Corpus)
        corpus._setup(
            by_id,
            self._terms.updated(
                {pid: p.wording.counts.keys() for pid, p in old.items()},
                {pid: p.wording.counts for pid, p in new.items()},
            ),
            self._themes.updated(
                {pid: p.themes for pid, p in old.items()},
                {pid: _set_counts(p.themes) for pid, p in new.items()},
            ),
            self._values.updated(
                {pid: p.ogp_values for pid, p in old.items()},
                {pid: _set_counts(p.ogp_values) for pid, p in new.items()},
            ),
            self.theme_names,
            self._uniform,
        )
        return corpus

    def practice(self, practice_id: int) -> PracticeProfile | None:
        """The practice of this id in the corpus, if any."""
        found = self._by_id.get(practice_id)
        return found.profile if found else None

    def prepare(self) -> None:
        """Work out now what ranking a challenge would otherwise do on its first request: each
        type of obstacle's fit over every practice (at 100,000 practices, 7-9 s a type the
        first time; a corpus brought up to date reuses its unchanged practices' fits)."""
        for obstacle in v.ObstacleType:
            self._fit_column(obstacle)

    def _fit_column(self, obstacle: str) -> np.ndarray:
        if obstacle not in self._fit_columns:
            self._fit_columns[obstacle] = np.array(
                [c.fit(obstacle)[0] for c in activity.paced(self._candidates)], dtype=float
            )
        return self._fit_columns[obstacle]

    # ----------------------------------------------------------------- wording

    def idf(self, word_term: str) -> float:
        """How distinctive a term is among these practices (1.0 for all with `uniform`)."""
        if self._uniform:
            return 1.0
        return _idf(self._documents, len(self._terms.get(word_term)[0]))

    def _length_factor(self, length: float) -> float:
        average = self._average_length or length or 1.0
        return BM25_K1 * (1.0 - BM25_B + BM25_B * length / average)

    def _ideal(self, challenge: ChallengeProfile) -> float:
        """What a practice using every word of the challenge very often would score."""
        return (BM25_K1 + 1.0) * math.fsum(
            weight * self.idf(t) for t, weight in challenge.query.items()
        )

    def _contributions(
        self, challenge: ChallengeProfile, candidate: _Candidate
    ) -> dict[str, float]:
        """Each shared term's share of the practice's BM25 score for the challenge."""
        counts = candidate.profile.wording.counts
        factor = self._length_factor(candidate.length)
        return {
            t: weight * self.idf(t) * counts[t] * (BM25_K1 + 1.0) / (counts[t] + factor)
            for t, weight in challenge.query.items()
            if t in counts
        }

    # ----------------------------------------------------------------- ranking

    def _bounds(
        self, challenge: ChallengeProfile
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """For every row: whether it may match and an upper bound of its score, whether it
        surely matches and a lower bound; estimates off by less than _MARGIN from the exact,
        rounded score."""
        size = len(self._candidates)

        def count(postings: _Postings, items: Iterable[str]) -> np.ndarray:
            counted = np.zeros(size, dtype=float)
            for item in sorted(items):
                ids, _weights = postings.get(item)
                if len(ids):
                    counted[np.searchsorted(self._ids, ids)] += 1.0
            return counted

        bm25 = np.zeros(size, dtype=float)
        if self._average_length:
            factors = BM25_K1 * (1.0 - BM25_B + BM25_B * self._lengths / self._average_length)
        else:
            factors = np.full(size, BM25_K1)
        for t, weight in challenge.query.items():
            ids, numbers = self._terms.get(t)
            if len(ids):
                rows = np.searchsorted(self._ids, ids)
                bm25[rows] += (
                    weight * self.idf(t) * numbers * (BM25_K1 + 1.0) / (numbers + factors[rows])
                )
        ideal = self._ideal(challenge)
        similarity = bm25 / ideal if ideal > 0 else bm25
        themes = count(self._themes, challenge.themes)
        other_country = self._countries != _country(challenge.country_code)
        rest = (
            WEIGHT_THEMES * themes / max(1, len(challenge.themes))
            + WEIGHT_VALUES
            * count(self._values, challenge.ogp_values)
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

        return (*bound(_FLOAT_SLACK), *bound(-_FLOAT_SLACK))

    def _shortlist(
        self, challenge: ChallengeProfile, limit: int | None, min_score: float
    ) -> list[int]:
        """The rows that could make the list: a superset, from the estimates."""
        if not self._candidates:
            return []
        # An upper bound decides who may pass min_score, a lower bound who surely does.
        eligible, upper, sure_eligible, lower = self._bounds(challenge)
        keep = eligible & (upper >= min_score - _MARGIN)
        if limit is not None:
            sure = np.sort(lower[sure_eligible & (lower >= min_score + _MARGIN)])
            if len(sure) >= limit:
                # The limit-th best of the sure rows bounds the last score on the list.
                keep &= upper >= sure[-limit] - 2 * _MARGIN
        return np.flatnonzero(keep).tolist()

    def count(self, challenge: ChallengeProfile, *, min_score: float = DEFAULT_MIN_SCORE) -> int:
        """How many practices `rank` would list without a limit, scoring exactly only those
        whose estimate is too close to `min_score` to tell."""
        if not self._candidates:
            return 0
        eligible, upper, sure_eligible, lower = self._bounds(challenge)
        sure = sure_eligible & (lower >= min_score + _MARGIN)
        unsure = np.flatnonzero(eligible & (upper >= min_score - _MARGIN) & ~sure)
        ideal = self._ideal(challenge)
        country = _country(challenge.country_code)
        close = 0
        for row in unsure.tolist():
            evaluated = self._evaluate(challenge, ideal, country, self._candidates[row])
            if evaluated is not None and evaluated[0] >= min_score:
                close += 1
        return int(np.count_nonzero(sure)) + close

    def _evaluate(
        self, challenge: ChallengeProfile, ideal: float, country: str, candidate: _Candidate
    ) -> tuple[float, tuple[float, ...], frozenset[str], dict[str, float]] | None:
        """The score and its parts (in PART_NAMES order) with the shared themes and each shared
        term's share of the wording; None when the pair is not a match."""
        if candidate.country == country:
            return None
        practice = candidate.profile
        shared_themes = challenge.themes & practice.themes
        contributions = self._contributions(challenge, candidate)
        similarity = math.fsum(contributions.values()) / ideal if ideal > 0 else 0.0
        if similarity < MIN_TEXT_SIMILARITY:
            if not shared_themes:
                return None
            similarity, contributions = 0.0, {}
        shared_values = len(challenge.ogp_values & practice.ogp_values)
        parts = (
            round(WEIGHT_THEMES * len(shared_themes) / max(1, len(challenge.themes)), 1),
            round(WEIGHT_VALUES * shared_values / max(1, len(challenge.ogp_values)), 1),
            round(candidate.fit(challenge.obstacle_type)[0], 1),
            round(candidate.progress, 1),
            round(WEIGHT_TEXT * min(1.0, similarity / TEXT_FULL_SIMILARITY), 1),
        )
        total = round(min(100.0, max(0.0, sum(parts))), 1)
        return total, parts, shared_themes, contributions

    def _explain(
        self,
        challenge: ChallengeProfile,
        candidate: _Candidate,
        parts: Mapping[str, float],
        shared_themes: frozenset[str],
        contributions: Mapping[str, float],
        theme_names: Mapping[str, str],
    ) -> tuple[str, ...]:
        practice = candidate.profile
        reasons: list[str] = []
        if parts["text"] > 0 and contributions:
            best = sorted(contributions, key=lambda t: (-contributions[t], t))
            written = practice.wording.written
            quoted = ", ".join(f"'{written[t]}'" for t in best[:MAX_REASON_WORDS])
            reasons.append(_("Similar wording: {words}").format(words=quoted))
        if shared_themes:
            names = [
                i18n.data_label(theme_names.get(s, s)) for s in _ordered(shared_themes, theme_names)
            ]
            reasons.append(
                ngettext(
                    "Shares {n} theme: {themes}", "Shares {n} themes: {themes}", len(names)
                ).format(n=len(names), themes=", ".join(names))
            )
        shared_values = _ordered(challenge.ogp_values & practice.ogp_values, v.OgpValue.values())
        if shared_values:
            labels = ", ".join(_label(v.OgpValue, value) for value in shared_values)
            reasons.append(
                ngettext(
                    "Same OGP value: {values}", "Same OGP values: {values}", len(shared_values)
                ).format(values=labels)
            )
        if parts["obstacle"] > 0:
            cues = candidate.fit(challenge.obstacle_type)[1]
            name = _obstacle_name(challenge.obstacle_type)
            reasons.append(
                _("Addresses a {obstacle} obstacle: {signs}").format(
                    obstacle=name, signs="; ".join(_cue_said(p, w) for p, w in cues)
                )
            )
        if parts["progress"] > 0 and candidate.progress_said:
            reasons.append(_progress_reason(candidate.progress_said))
        return tuple(reasons)

    def _result(
        self,
        challenge: ChallengeProfile,
        candidate: _Candidate,
        evaluated: tuple[float, tuple[float, ...], frozenset[str], dict[str, float]],
        theme_names: Mapping[str, str] | None,
    ) -> MatchResult:
        total, numbers, shared_themes, contributions = evaluated
        parts = dict(zip(PART_NAMES, numbers, strict=True))
        names = self.theme_names if theme_names is None else theme_names
        reasons = self._explain(challenge, candidate, parts, shared_themes, contributions, names)
        return MatchResult(challenge.id, candidate.profile.id, total, reasons, parts)

    def score(
        self,
        challenge: ChallengeProfile,
        practice: PracticeProfile,
        *,
        theme_names: Mapping[str, str] | None = None,
    ) -> MatchResult | None:
        """One pair, the words weighed by this corpus (the practice need not be in it)."""
        candidate = _Candidate(practice)
        ideal = self._ideal(challenge)
        evaluated = self._evaluate(challenge, ideal, _country(challenge.country_code), candidate)
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
        ideal = self._ideal(challenge)
        country = _country(challenge.country_code)
        found = []
        for row in self._shortlist(challenge, limit, min_score):
            candidate = self._candidates[row]
            evaluated = self._evaluate(challenge, ideal, country, candidate)
            if evaluated is not None and evaluated[0] >= min_score:
                found.append((evaluated, candidate))
        # Best first; equal scores by practice id.
        found.sort(key=lambda item: (-item[0][0], item[1].profile.id))
        if limit is not None:
            found = found[:limit]
        return [self._result(challenge, c, evaluated, theme_names) for evaluated, c in found]


def score(
    challenge: ChallengeProfile,
    practice: PracticeProfile,
    *,
    theme_names: Mapping[str, str] | None = None,
) -> MatchResult | None:
    """How well a practice could help with a challenge; None if it is from the same country, or
    shares no theme and its wording is not similar enough.

    `theme_names` (slug -> name) words the reasons. Alone, every word counts the same; in
    `rank` (or `Corpus.score`) rare words count more, so a pair can score differently there.
    """
    return Corpus((), uniform=True).score(challenge, practice, theme_names=theme_names)


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
    """A number of points as the reader's language writes it: 7.5, 7,5."""
    return i18n.format_number(round(value, 2))


# Examples of SYNONYMS for the page, each checked to count as its concept.
SYNONYM_EXAMPLES = (
    ("waste", "otpad", "mbeturina", "отпад"),
    ("procurement", "nabavke", "prokurim"),
    ("budget", "budžet", "buxhet", "буџет"),
    ("municipality", "opština", "komuna", "општина"),
)
assert all(len({term(fold(word)) for word in words}) == 1 for words in SYNONYM_EXAMPLES)


def _synonym_examples() -> str:
    return "; ".join("/".join(words) for words in SYNONYM_EXAMPLES)


def how_it_works() -> str:
    """How matching works, for the challenge page, in the reader's language (the numbers are
    this module's weights; the signs' phrases stay as the matcher words them)."""
    return _how_it_works()


def _how_it_works() -> str:
    shares = {name: WEIGHT_PROGRESS * share for name, share in PROGRESS_SHARES.items()}
    cue_lines = []
    for obstacle, cues in OBSTACLE_CUES.items():
        phrases = "; ".join(_(cue.phrase) for cue in cues)
        cue_lines.append(f"  - *{_label(v.ObstacleType, obstacle)}*: {phrases}.")
    stages = ", ".join(_label(v.Stage, stage) for stage in STAGE_PROGRESS)
    return "\n".join(
        [
            _(
                "Each challenge is compared with every published practice from **other"
                " countries** (a country's own practices are never suggested). A practice scores"
                " up to 100 points, added from five parts:"
            ),
            "",
            _(
                "- **Similar wording, up to {weight} points**: how strongly the practice"
                " uses the challenge's words, words of its title counting"
                " {title_weight} times. Words are compared by their stem (ignoring"
                " case, accents, Cyrillic or Latin script and endings: 'municipalities' is"
                " 'municipality', 'opštine' is 'opština') and the same word in the region's"
                " languages counts as one ({synonyms}). Words that few practices use"
                " count more and a word repeated counts less each time (BM25); common words such as"
                " 'the' and the names of countries, their people and cities never count. Wording"
                " counts from a similarity of {low}%, with full"
                " points from {full}% (the share of what a practice"
                " using every word of the challenge very often would get)."
            ).format(
                weight=WEIGHT_TEXT,
                title_weight=_points(TITLE_WORD_WEIGHT),
                synonyms=_synonym_examples(),
                low=_points(MIN_TEXT_SIMILARITY * 100),
                full=_points(TEXT_FULL_SIMILARITY * 100),
            ),
            _(
                "- **Shared themes, up to {weight} points**: the share of the challenge's"
                " themes that the practice also covers."
            ).format(weight=WEIGHT_THEMES),
            _(
                "- **Shared OGP values, up to {weight} points**: the share of the"
                " challenge's OGP values that the practice also serves."
            ).format(weight=WEIGHT_VALUES),
            _(
                "- **Fit with the obstacle, up to {weight} points**: signs in the"
                " practice that answer the challenge's type of obstacle; full points from"
                " {signs} signs on:"
            ).format(weight=WEIGHT_OBSTACLE, signs=CUES_FOR_FULL_FIT),
            *cue_lines,
            _(
                "- **How far it got, up to {weight} points**:"
                " {stage} for the stage reached ({stages}: later stages count"
                " more), {results} for early results (if none are rated, for"
                " completion, counted at {completion}%) and"
                " {evidence} for the level of evidence."
            ).format(
                weight=WEIGHT_PROGRESS,
                stage=_points(shares["stage"]),
                stages=stages,
                results=_points(shares["results"]),
                completion=_points(COMPLETION_FACTOR * 100),
                evidence=_points(shares["evidence"]),
            ),
            "",
            _(
                "A practice that shares no theme with the challenge is only suggested when its"
                " wording is similar. Suggestions scoring under {min_score} points"
                " are left out; practices with equal scores are listed in a fixed order. The"
                " reasons under each suggestion say which parts it scored on. The score is a"
                " starting point for a conversation, not a verdict: check the practice before"
                " reaching out."
            ).format(min_score=_points(DEFAULT_MIN_SCORE)),
        ]
    )


# In English, as the module's documentation and tests read it; the page calls how_it_works().
HOW_IT_WORKS = _how_it_works()
