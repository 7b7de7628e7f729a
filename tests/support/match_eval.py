"""An evaluation set for matching: challenges with the practices judged relevant to them.

SYNTHETIC TEST DATA. The practices and challenges made here are invented for measuring the
matching (bench/match_eval.py, tests/unit/test_match_eval.py); they describe no real
institution, project or event, and their country codes only place them in the forum's region.
They are generated, deterministically, from the topic sheets below: 16 topics x 16 practices
plus 60 practices on general open-government work with no topic, over the 46 practices of the
shipped seed, and 32 challenges (two per topic).

How relevance was judged: a synthetic practice is relevant to a challenge when it was written
about the challenge's topic (the practice's text is built from that topic's sheet), and it is
from another country. The seed's practices were read one by one and those on a topic are listed
in `SEED_RELEVANT` (by slug). Themes are deliberately not a sure sign of the topic: as in real
imports, a practice carries its topic's usual theme only 40% of the time, else any theme
(often 'other'), and a challenge's themes are often broad ('local-government').
"""

import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from forumdash import vocab as v

COUNTRIES = ("AL", "BA", "XK", "ME", "MK", "RS", "HR", "GB", "GE", "PL")
# A place in each country that texts mention (places must never count as shared wording).
PLACES = {
    "AL": ("Albania", "Tirana", "Albanian"),
    "BA": ("Bosnia and Herzegovina", "Sarajevo", "Bosnian"),
    "XK": ("Kosovo", "Prishtina", "Kosovar"),
    "ME": ("Montenegro", "Podgorica", "Montenegrin"),
    "MK": ("North Macedonia", "Skopje", "Macedonian"),
    "RS": ("Serbia", "Belgrade", "Serbian"),
    "HR": ("Croatia", "Zagreb", "Croatian"),
    "GB": ("the United Kingdom", "London", "British"),
    "GE": ("Georgia", "Tbilisi", "Georgian"),
    "PL": ("Poland", "Warsaw", "Polish"),
}
ALL_THEMES = (
    "political-commitment-eu-accession open-data public-services safer-communities "
    "anti-corruption open-budgets legislative-openness access-to-information civic-participation "
    "justice migration-refugees local-government digital-government other"
).split()
BROAD_THEMES = ("local-government", "public-services", "digital-government", "open-data")


@dataclass(frozen=True)
class Topic:
    """What practices and challenges on one subject are written from."""

    key: str
    theme: str
    names: tuple[str, ...]  # noun phrases for titles
    words: tuple[str, ...]  # the subject's vocabulary
    local: tuple[str, ...]  # the same subject in the region's languages
    problems: tuple[str, str]  # two challenge titles


TOPICS = (
    Topic(
        "waste",
        "other",
        ("municipal waste collection", "illegal landfills", "recycling of household waste"),
        ("waste", "landfill", "recycling", "garbage", "collection", "dumpsite", "bins", "trucks"),
        ("otpad", "mbeturinat", "deponija", "otpada"),
        (
            "Municipal waste collection is not monitored",
            "Illegal dumpsites keep growing near villages",
        ),
    ),
    Topic(
        "procurement",
        "anti-corruption",
        ("public procurement", "tenders of municipalities", "procurement contracts"),
        ("procurement", "tender", "contracts", "bidders", "contracting", "awarded", "suppliers"),
        ("nabavke", "prokurimi", "javne nabavke", "tenderi"),
        (
            "Procurement contracts are published late and incomplete",
            "Few bidders compete in municipal tenders",
        ),
    ),
    Topic(
        "budget",
        "open-budgets",
        ("the municipal budget", "budget spending", "local budget planning"),
        ("budget", "spending", "expenditure", "allocations", "revenues", "fiscal", "treasury"),
        ("budžet", "buxheti", "буџет", "budžeta"),
        (
            "Citizens cannot see how the local budget is spent",
            "Budget allocations are not explained to residents",
        ),
    ),
    Topic(
        "petitions",
        "civic-participation",
        ("e-petitions", "citizen petitions", "petitions to the assembly"),
        ("petition", "petitions", "signatures", "signed", "threshold", "initiative", "response"),
        ("peticija", "peticije", "peticioni"),
        (
            "Petitions that reach the threshold get no answer",
            "Collecting signatures for a petition is only possible on paper",
        ),
    ),
    Topic(
        "consultation",
        "civic-participation",
        ("public consultation on draft laws", "online consultations", "public hearings"),
        ("consultation", "draft", "comments", "hearing", "regulations", "stakeholders", "feedback"),
        ("konsultacije", "konsultimi", "javna rasprava", "savjetovanje"),
        (
            "Draft regulations are adopted without public consultation",
            "Comments made in consultations are never answered",
        ),
    ),
    Topic(
        "courts",
        "justice",
        ("court decisions", "judicial statistics", "court case management"),
        ("court", "courts", "judges", "judgments", "verdicts", "cases", "judicial", "backlog"),
        ("sudske odluke", "gjykata", "sudova"),
        (
            "Court judgments are not published and cannot be searched",
            "Nobody can see the backlog of cases in the courts",
        ),
    ),
    Topic(
        "parliament",
        "legislative-openness",
        ("parliamentary work", "votes of members of parliament", "committee sessions"),
        ("parliament", "votes", "voting", "committee", "sessions", "plenary", "deputies", "mps"),
        ("skupština", "kuvendi", "собрание"),
        (
            "How members of parliament vote is not published",
            "Committee sessions of the parliament are closed to the public",
        ),
    ),
    Topic(
        "foi",
        "access-to-information",
        ("freedom of information requests", "access to public information", "FOI appeals"),
        ("freedom", "requests", "appeals", "commissioner", "disclosure", "refused", "deadline"),
        ("slobodan pristup informacijama", "e drejta për informim"),
        (
            "Freedom of information requests are refused or ignored",
            "Appeals against refused information requests take years",
        ),
    ),
    Topic(
        "water",
        "public-services",
        ("drinking water supply", "water utilities", "water quality"),
        ("water", "supply", "utility", "pipes", "drinking", "leaks", "tariffs", "quality"),
        ("vodovod", "ujësjellës", "vodosnabdevanje"),
        (
            "Water supply interruptions are not announced",
            "Residents cannot check drinking water quality",
        ),
    ),
    Topic(
        "transport",
        "public-services",
        ("public transport", "bus lines and timetables", "city traffic"),
        ("transport", "bus", "buses", "timetables", "routes", "passengers", "traffic", "tickets"),
        ("saobraćaj", "autobus", "prevoz"),
        (
            "Bus timetables and routes are unreliable and not online",
            "Passengers have no say in how public transport is run",
        ),
    ),
    Topic(
        "health",
        "public-services",
        ("hospital waiting lists", "primary health care", "medicines in hospitals"),
        ("health", "hospital", "hospitals", "patients", "waiting", "doctors", "medicines", "care"),
        ("zdravstvo", "shëndetësia", "bolnica"),
        (
            "Hospital waiting lists are not transparent",
            "Patients cannot find out which medicines hospitals have",
        ),
    ),
    Topic(
        "education",
        "public-services",
        ("school funding", "school enrolment", "teachers and schools"),
        ("school", "schools", "pupils", "teachers", "enrolment", "education", "classrooms"),
        ("škola", "arsimi", "obrazovanje"),
        (
            "Parents do not know how schools spend their funds",
            "School enrolment rules are unclear to parents",
        ),
    ),
    Topic(
        "assets",
        "anti-corruption",
        ("asset declarations of officials", "conflicts of interest", "declarations of income"),
        ("assets", "declarations", "officials", "income", "interest", "property", "declared"),
        ("imovina", "deklarata", "imovinske kartice"),
        (
            "Asset declarations of officials are not checked",
            "Conflicts of interest of officials go undetected",
        ),
    ),
    Topic(
        "complaints",
        "public-services",
        ("citizen complaints", "reporting problems to the municipality", "grievances"),
        ("complaints", "complaint", "reports", "reported", "grievances", "resolved", "hotline"),
        ("žalbe", "ankesa", "prijave"),
        (
            "Citizen complaints to the municipality get lost",
            "Nobody tracks whether reported problems are resolved",
        ),
    ),
    Topic(
        "air",
        "safer-communities",
        ("air pollution", "air quality monitoring", "pollution from heating"),
        ("air", "pollution", "polluted", "sensors", "particles", "smog", "emissions", "heating"),
        ("zagađenje", "ndotja", "vazduh"),
        (
            "Air pollution data is not published in time",
            "Residents are not warned about smog days",
        ),
    ),
    Topic(
        "migrants",
        "migration-refugees",
        ("information for migrants", "asylum procedures", "reception of refugees"),
        ("migrants", "refugees", "asylum", "reception", "transit", "shelter", "interpreters"),
        ("migranti", "izbjeglice", "azil"),
        (
            "Migrants in transit get no information on their rights",
            "Asylum seekers wait without knowing the procedure",
        ),
    ),
)
TOPIC_BY_KEY = {topic.key: topic for topic in TOPICS}

# Wording every kind of open-government practice uses: shared by all, it says nothing of topic.
GENERIC = (
    "citizens",
    "platform",
    "online",
    "transparency",
    "accountability",
    "institutions",
    "municipality",
    "municipalities",
    "local government",
    "civil society",
    "organisations",
    "open data",
    "portal",
    "published",
    "monitoring",
    "public",
    "residents",
    "information",
    "services",
    "website",
)
MECHANISMS = (
    "An online portal on",
    "A public register of",
    "Civil society monitoring of",
    "An open data map of",
    "A mobile app for",
    "Quarterly public reports on",
    "A joint working group on",
    "A citizen scorecard for",
)

# Seed practices judged relevant to each topic (read one by one).
SEED_RELEVANT: Mapping[str, tuple[str, ...]] = {
    "procurement": (
        "ba-public-procurement-portal",
        "xk-odk-procurement-visualisation",
        "mk-ccc-procurement-monitoring",
        "ge-e-procurement",
    ),
    "budget": (
        "al-municipal-open-budget-dashboard",
        "ba-municipal-participatory-budget",
        "me-mojgrad-local-budgets",
        "mk-open-finance",
        "pl-warsaw-participatory-budget",
    ),
    "petitions": ("me-e-petitions",),
    "consultation": (
        "al-public-consultation-registry",
        "ba-ekonsultacije",
        "xk-public-consultation-platform",
        "xk-kcsf-consultation-standards",
        "rs-ekonsultacije",
        "hr-e-savjetovanja",
    ),
    "courts": ("me-court-open-data-dashboard",),
    "parliament": ("ba-cci-government-monitoring", "rs-otvoreni-parlament"),
    "foi": ("me-mans-foi-litigation", "gb-whatdotheyknow"),
    "assets": ("ge-asset-declarations",),
    "complaints": ("al-albania-we-want-platform",),
    "migrants": ("ba-migrant-information-point",),
}


@dataclass(frozen=True)
class EvalPractice:
    """A synthetic practice: its topic ('' for general work) and the fields matching reads."""

    key: str
    topic: str
    country_code: str
    title: str
    summary: str
    body: str
    themes: tuple[str, ...]
    ogp_values: tuple[str, ...]
    stage: str
    actor_type: str


@dataclass(frozen=True)
class EvalChallenge:
    """A synthetic challenge and its topic."""

    key: str
    topic: str
    country_code: str
    title: str
    description: str
    themes: tuple[str, ...]
    ogp_values: tuple[str, ...]
    obstacle_type: str


def _sentence(rnd: random.Random, words: Sequence[str], count: int) -> str:
    return " ".join(rnd.sample(list(words), min(count, len(words))))


def _practice(rnd: random.Random, number: int, topic: Topic | None) -> EvalPractice:
    country = COUNTRIES[number % len(COUNTRIES)]
    nation, city, people = PLACES[country]
    if topic is None:
        subject = rnd.choice(["open government", "public administration reform", "e-government"])
        title = f"{rnd.choice(MECHANISMS)} {subject} in {city}"
        topical = ""
        themes = tuple(sorted(set(rnd.sample(ALL_THEMES, rnd.randint(1, 3)))))
    else:
        name = rnd.choice(topic.names)
        title = f"{rnd.choice(MECHANISMS)} {name}"
        local = rnd.choice(topic.local) if rnd.random() < 0.5 else ""
        topical = (
            f"The work is about {name}: {_sentence(rnd, topic.words, 4)}. "
            f"It covers {_sentence(rnd, topic.words, 3)} ({local}). "
        )
        natural = rnd.random() < 0.4
        themes = (topic.theme,) if natural else tuple(sorted({rnd.choice(ALL_THEMES), "other"}))
    summary = (
        f"In {city}, {nation}, {people} {_sentence(rnd, GENERIC, 3)} take part. {topical}"
        f"The {_sentence(rnd, GENERIC, 2)} make it easier to follow."
    )
    body = (
        f"{_sentence(rnd, GENERIC, 6)}. {topical}"
        f"{rnd.choice(['Results were reviewed', 'A first evaluation followed', 'It is ongoing'])}"
        f" with {_sentence(rnd, GENERIC, 4)} in {nation}."
    )
    return EvalPractice(
        key=f"synthetic-practice-{number:03d}",
        topic=topic.key if topic else "",
        country_code=country,
        title=title,
        summary=summary,
        body=body,
        themes=themes,
        ogp_values=tuple(sorted(rnd.sample(v.OgpValue.values(), rnd.randint(1, 2)))),
        stage=rnd.choice(v.Stage.values()),
        actor_type=rnd.choice(v.ActorType.values()),
    )


def _challenge(rnd: random.Random, number: int, topic: Topic, title: str) -> EvalChallenge:
    country = COUNTRIES[(number * 3 + 1) % len(COUNTRIES)]
    nation, city, _ = PLACES[country]
    description = (
        f"{title} in {city} and other places in {nation}. "
        f"The {_sentence(rnd, GENERIC, 3)} have tried, but {_sentence(rnd, topic.words, 2)}"
        f" stay out of reach for {_sentence(rnd, GENERIC, 2)}."
    )
    themes = (topic.theme,) if rnd.random() < 0.3 else (rnd.choice(BROAD_THEMES),)
    return EvalChallenge(
        key=f"synthetic-challenge-{number:02d}",
        topic=topic.key,
        country_code=country,
        title=title,
        description=description,
        themes=themes,
        ogp_values=tuple(sorted(rnd.sample(v.OgpValue.values(), 1))),
        obstacle_type=rnd.choice(v.ObstacleType.values()),
    )


PRACTICES_PER_TOPIC = 16
GENERAL_PRACTICES = 60


def evaluation_set(seed: int = 11) -> tuple[list[EvalPractice], list[EvalChallenge]]:
    """The synthetic practices and challenges (the same for the same seed)."""
    rnd = random.Random(seed)
    practices: list[EvalPractice] = []
    for topic in TOPICS:
        for _ in range(PRACTICES_PER_TOPIC):
            practices.append(_practice(rnd, len(practices), topic))
    for _ in range(GENERAL_PRACTICES):
        practices.append(_practice(rnd, len(practices), None))
    challenges = [
        _challenge(rnd, 2 * i + j, topic, topic.problems[j])
        for i, topic in enumerate(TOPICS)
        for j in (0, 1)
    ]
    return practices, challenges


def relevant_keys(
    challenge: EvalChallenge, practices: Sequence[EvalPractice], seed_countries: Mapping[str, str]
) -> set[str]:
    """The keys (synthetic keys, seed slugs) of the practices judged relevant to a challenge:
    on its topic and from another country."""
    found = {
        p.key
        for p in practices
        if p.topic == challenge.topic and p.country_code != challenge.country_code
    }
    for slug in SEED_RELEVANT.get(challenge.topic, ()):
        if seed_countries.get(slug) not in (None, challenge.country_code):
            found.add(slug)
    return found


def precision_at(ranked: Sequence[str], relevant: set[str], k: int = 5) -> float:
    """The share of the first k that are relevant (missing places count as not relevant)."""
    return sum(1 for key in ranked[:k] if key in relevant) / k


def ndcg_at(ranked: Sequence[str], relevant: set[str], k: int = 10) -> float:
    """Normalised discounted cumulative gain of the first k (binary relevance)."""
    gain = sum(1 / math.log2(i + 2) for i, key in enumerate(ranked[:k]) if key in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(k, len(relevant))))
    return gain / ideal if ideal else 0.0


def mean_scores(
    challenges: Sequence[EvalChallenge],
    ranked_keys: Callable[[EvalChallenge], Sequence[str]],
    relevant: Callable[[EvalChallenge], set[str]],
) -> tuple[float, float]:
    """Mean precision@5 and nDCG@10 of a ranking over the challenges."""
    precisions, gains = [], []
    for challenge in challenges:
        ranked = list(ranked_keys(challenge))
        wanted = relevant(challenge)
        precisions.append(precision_at(ranked, wanted))
        gains.append(ndcg_at(ranked, wanted))
    return sum(precisions) / len(precisions), sum(gains) / len(gains)


def challenge_fields(challenge: EvalChallenge, number: int | None = None) -> dict[str, object]:
    """A challenge as the fields of matching.ChallengeProfile."""
    return {
        "id": number if number is not None else int(challenge.key.rsplit("-", 1)[1]) + 1,
        "country_code": challenge.country_code,
        "title": challenge.title,
        "text": f"{challenge.title}\n{challenge.description}",
        "themes": frozenset(challenge.themes),
        "ogp_values": frozenset(challenge.ogp_values),
        "obstacle_type": challenge.obstacle_type,
    }


def practice_fields(practice: EvalPractice, number: int) -> dict[str, object]:
    """A synthetic practice as the fields of matching.PracticeProfile (the text as
    PracticeProfile.of joins it: title, summary, body)."""
    return {
        "id": number,
        "country_code": practice.country_code,
        "title": practice.title,
        "text": f"{practice.title}\n{practice.summary}\n{practice.body}",
        "themes": frozenset(practice.themes),
        "ogp_values": frozenset(practice.ogp_values),
        "stage": practice.stage,
        "actor_type": practice.actor_type,
    }
