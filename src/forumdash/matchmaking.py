"""Matches between challenges and the practices of other countries: ranked by
forumdash.matching (a pure function), their progress (suggested, accepted, contacted, adopted)
stored in the match table by focal points and organisers."""

import datetime as dt
import time
from dataclasses import dataclass

from sqlmodel import Session, func, select

from forumdash import activity, i18n, matching, repository
from forumdash import vocab as v
from forumdash.auth import SessionUser, can_edit, require
from forumdash.i18n import _
from forumdash.models import ChallengePublic, Practice, PracticePublic, PracticeSummary
from forumdash.repository.practices import full_practices
from forumdash.versioned_cache import (
    Key,
    Snapshot,
    VersionedCache,
    ViewCache,
    changes,
    snapshot,
    too_many,
    warming,
)
from forumdash.workflow import WorkflowError

SUGGESTIONS = 8
READY_WAIT = 0.5  # seconds a request waits for the matching corpus after a start
BUILD_IN_REQUEST = 1000  # published practices up to which a request builds the corpus itself


def _published_count(session: Session) -> int:
    return int(
        session.exec(
            select(func.count())
            .select_from(Practice)
            .where(Practice.workflow == v.Workflow.published)
        ).one()
    )


@dataclass(frozen=True)
class MatchView:
    """A practice that could help with a challenge, as the challenge page shows it."""

    practice: PracticeSummary
    score: float
    reasons: tuple[str, ...]
    state: v.MatchState
    updated_at: dt.datetime | None  # when someone last moved it; None while only suggested


@dataclass(frozen=True)
class _Pool:
    """The published practices prepared for matching, for one data version of one database,
    with when each last changed (to bring it up to date from the changes alone)."""

    key: tuple[str, int]
    corpus: matching.Corpus
    summaries: dict[int, PracticeSummary]
    snapshot: Snapshot


def _build_pool(session: Session, key: Key) -> _Pool:
    # The snapshot first: a practice published meanwhile is then fetched now and again next
    # time, never missed.
    taken = snapshot(session)
    practices = repository.published_practices(session=session)
    corpus = matching.Corpus(
        [matching.PracticeProfile.of(p) for p in activity.paced(practices)],
        theme_names=repository.theme_names(session=session),
    )
    # Ready only once a challenge of any type ranks without working out fits (7-9 s a type at
    # 100,000 practices): a request never does that beside the warm-up.
    corpus.prepare()
    return _Pool(key, corpus, {p.id: p.summary_row() for p in activity.paced(practices)}, taken)


def _update_pool(session: Session, key: Key, pool: _Pool) -> _Pool | None:
    """The pool with only the practices changed, published or gone since it was built; None
    when a full rebuild is due (a theme renamed, or many changes)."""
    if repository.theme_names(session=session) != pool.corpus.theme_names:
        return None
    taken = snapshot(session)
    found = changes(session, pool.snapshot, taken)
    if found is None:
        return None
    changed, removed = found
    if too_many(changed, removed, len(pool.summaries)):
        return None
    try:
        fetched = full_practices(session, sorted(changed))
    except KeyError:  # deleted between the two statements (PostgreSQL): start afresh
        return None
    fetched = [p for p in fetched if p.workflow == v.Workflow.published]
    gone = removed | (changed - {p.id for p in fetched})
    summaries = {pid: row for pid, row in pool.summaries.items() if pid not in gone}
    summaries |= {p.id: p.summary_row() for p in fetched}
    corpus = pool.corpus.updated([matching.PracticeProfile.of(p) for p in fetched], gone)
    corpus.prepare()  # the unchanged practices' fits are reused: only the changed are worked out
    return _Pool(key, corpus, summaries, taken)


# The practices to match against, brought up to date when a practice changed.
_POOLS = VersionedCache(_build_pool, _update_pool)


def _pool(session: Session) -> _Pool:
    return _POOLS.get(session)


def ready(session: Session, wait: float = READY_WAIT) -> bool:
    """Whether the matching corpus is there to use. forumdash.warmup builds it at start-up (at
    100,000 practices that takes many seconds, which no visitor should wait for): a request
    waits for it `wait` seconds at most, then goes on without it. Without a warm-up thread (a
    script), or with a few hundred practices (a quick build), the corpus is built here, as it
    always was."""
    deadline = time.monotonic() + wait
    build_here = False
    with activity.waiting_for_background():  # the warm-up does not give way to this page
        while not _POOLS.ready(session):
            if not warming(session) or _published_count(session) <= BUILD_IN_REQUEST:
                build_here = True
                break
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)
    if build_here:
        _POOLS.get(session)  # the page's own work: not marked as waiting
    return True


def warm(session: Session) -> None:
    """Build the matching corpus, or bring it up to date (forumdash.warmup)."""
    _POOLS.get(session)


def matches_for(
    *, session: Session, challenge: ChallengePublic, limit: int = SUGGESTIONS
) -> list[MatchView]:
    """The best suggestions for a published challenge, and every match someone has moved on,
    best first. Practices of the challenge's own country never appear."""
    pool = _pool(session)
    profile = matching.ChallengeProfile.of(challenge)
    ranked = pool.corpus.rank(profile, limit=limit)
    results = {m.practice_id: m for m in ranked}
    stored = {
        m.practice_id: m
        for m in repository.list_matches(session=session, challenge_id=challenge.id)
        if m.practice_id in pool.summaries
    }
    shown = [m.practice_id for m in ranked]
    shown += [pid for pid in sorted(stored) if pid not in shown]
    views = []
    for practice_id in shown:
        kept = stored.get(practice_id)
        summary = pool.summaries[practice_id]
        if summary.country_code == challenge.country_code:
            continue
        result = results.get(practice_id)
        if result is None:  # moved on by someone, below the best: scored as the list would
            candidate = pool.corpus.practice(practice_id)
            scored = pool.corpus.score(profile, candidate) if candidate else None
            if scored is not None and scored.score >= matching.DEFAULT_MIN_SCORE:
                result = scored
        views.append(
            MatchView(
                practice=summary,
                score=result.score if result else (kept.score if kept else 0.0),
                reasons=result.reasons if result else tuple(kept.reasons if kept else ()),
                state=v.MatchState(kept.state) if kept else v.MatchState.suggested,
                updated_at=kept.updated_at if kept else None,
            )
        )
    views.sort(key=lambda m: (-m.score, m.practice.id))
    return views


@dataclass(frozen=True)
class Suggestions:
    """How many practices could help a challenge, and the best of them."""

    count: int
    best: PracticeSummary | None
    best_score: float


def _suggestions(session: Session, challenge_id: int) -> Suggestions:
    challenge = repository.get_challenge(session=session, challenge_id=challenge_id)
    if challenge is None:
        return Suggestions(0, None, 0.0)
    pool = _pool(session)
    profile = matching.ChallengeProfile.of(challenge)
    best = pool.corpus.rank(profile, limit=1)
    return Suggestions(
        pool.corpus.count(profile) if best else 0,
        pool.summaries[best[0].practice_id] if best else None,
        best[0].score if best else 0.0,
    )


# Per challenge and data version (no words in it: one for every language).
_SUGGESTIONS: ViewCache[Suggestions] = ViewCache(_suggestions, max_entries=2048)


def suggestion_summary(
    *, session: Session, challenges: list[ChallengePublic]
) -> dict[int, Suggestions]:
    """For the list of challenges: the number of suggested practices and the best one (none
    while the matching corpus is being prepared after a start)."""
    if not ready(session):
        return {}
    return {challenge.id: _SUGGESTIONS.get(session, challenge.id) for challenge in challenges}


def challenges_helped(
    *, session: Session, practice: PracticePublic, limit: int = 5
) -> list[tuple[ChallengePublic, matching.MatchResult]]:
    """The open challenges of other countries this practice could help with, best first."""
    corpus = _pool(session).corpus
    profile = matching.PracticeProfile.of(practice)
    found = []
    for challenge in repository.list_challenges(
        session=session,
        challenge_statuses=[v.ChallengeStatus.open, v.ChallengeStatus.being_addressed],
    ):
        result = corpus.score(matching.ChallengeProfile.of(challenge), profile)
        if result is not None and result.score >= matching.DEFAULT_MIN_SCORE:
            found.append((challenge, result))
    found.sort(key=lambda pair: (-pair[1].score, pair[0].id))
    return found[:limit]


def can_move(user: SessionUser | None, challenge_country: str, practice_country: str) -> bool:
    """Organisers, and the focal points of either country, move a match along (only the
    challenge's country records that it adopted the practice)."""
    return can_edit(user, challenge_country) or can_edit(user, practice_country)


def set_state(
    *,
    session: Session,
    user: SessionUser | None,
    challenge_id: int,
    practice_id: int,
    state: v.MatchState | str,
) -> None:
    """Move a match to a state (suggested, accepted, contacted, adopted)."""
    try:
        state = v.MatchState(state)
    except ValueError as exc:
        raise WorkflowError(_("Unknown match state.")) from exc
    challenge = repository.get_challenge(session=session, challenge_id=challenge_id)
    practice = repository.get_practice(session=session, practice_id=practice_id)
    if challenge is None or practice is None:
        raise WorkflowError(_("This challenge or practice is not published."))
    if challenge.country_code == practice.country_code:
        raise WorkflowError(_("A challenge is matched with practices of other countries only."))
    require(
        can_move(user, challenge.country_code, practice.country_code),
        _("Only organisers and the focal points of the two countries move a match along."),
    )
    assert user is not None
    if state == v.MatchState.adopted:
        require(
            can_edit(user, challenge.country_code),
            _("Only the country that raised the challenge (or an organiser) records an adoption."),
        )
    # Scored as the page shows it: words weighed over all published practices. The reasons are
    # stored in English, whatever the mover reads (others read them, and stored data is English).
    with i18n.language(i18n.DEFAULT):
        found = _pool(session).corpus.score(
            matching.ChallengeProfile.of(challenge), matching.PracticeProfile.of(practice)
        )
    repository.save_match(
        session=session,
        challenge_id=challenge_id,
        practice_id=practice_id,
        state=state,
        score=found.score if found else 0.0,
        reasons=list(found.reasons) if found else [],
        user_id=user.id,
    )
