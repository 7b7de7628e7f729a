"""How good are the suggested matches? Precision@5 and nDCG@10 on the evaluation set.

    PYTHONPATH=src python bench/match_eval.py

The evaluation set (tests/support/match_eval.py: SYNTHETIC TEST DATA, 32 challenges with the
practices judged relevant, over the shipped seed plus 316 synthetic practices) goes into a fresh
SQLite file with the product's own schema and seed. Three rankings are measured in the same run:

- matching before issue 11 (bench/matching_before.py, a frozen copy of the old scoring);
- matching now (forumdash.matching);
- search: the challenge's title as a query through the practice search of the browse page.
"""

import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

import matching_before  # noqa: E402

from forumdash import matching, repository  # noqa: E402
from forumdash import vocab as v  # noqa: E402
from forumdash.db import make_engine, migrate, read_session, write_session  # noqa: E402
from forumdash.filters import PracticeFilters  # noqa: E402
from forumdash.models import PracticeCreate  # noqa: E402
from forumdash.seed import load_seed  # noqa: E402
from tests.support import match_eval as ev  # noqa: E402


def main() -> None:
    practices, challenges = ev.evaluation_set()
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/eval.db")
        migrate(engine)
        load_seed(engine, BENCH.parent / "data")
        with write_session(engine) as session:
            for p in practices:
                repository.create_practice(
                    session=session,
                    practice_in=PracticeCreate(
                        slug=p.key,
                        title=p.title,
                        country=p.country_code,
                        summary=p.summary,
                        body={"problem_purpose": p.body},
                        level=v.GovLevel.local,
                        actor_type=v.ActorType(p.actor_type),
                        stage=v.Stage(p.stage),
                        themes=list(p.themes),
                        ogp_values=[v.OgpValue(x) for x in p.ogp_values],
                        sample=True,
                        workflow=v.Workflow.published,
                    ),
                )
        with read_session(engine) as session:
            published = repository.published_practices(session=session)
            names = repository.theme_names(session=session)
            key_of = {p.id: p.slug for p in published}
            seed_countries = {p.slug: p.country_code for p in published}

            def relevant(challenge: ev.EvalChallenge) -> set[str]:
                return ev.relevant_keys(challenge, practices, seed_countries)

            def searched(challenge: ev.EvalChallenge) -> list[str]:
                filters = PracticeFilters(q=challenge.title, per_page=10)
                _, rows = repository.search_practices(session=session, filters=filters)
                own = challenge.country_code
                return [key_of[r.id] for r in rows if r.country_code != own]

            search_figures = ev.mean_scores(challenges, searched, relevant)
        engine.dispose()

    figures = {"search (challenge title as query)": search_figures}
    for label, module in (("matching before", matching_before), ("matching now", matching)):
        started = time.perf_counter()
        corpus = module.Corpus(  # type: ignore[attr-defined]
            [module.PracticeProfile.of(p) for p in published], theme_names=names
        )

        def ranked(challenge: ev.EvalChallenge, module=module, corpus=corpus) -> list[str]:
            profile = module.ChallengeProfile(**ev.challenge_fields(challenge))
            return [key_of[r.practice_id] for r in corpus.rank(profile, limit=10)]

        figures[label] = ev.mean_scores(challenges, ranked, relevant)
        print(f"{label}: built and ranked in {time.perf_counter() - started:.2f} s")

    print(
        f"\n{len(challenges)} challenges, {len(published)} practices "
        f"({len(practices)} synthetic + {len(published) - len(practices)} seed)\n"
    )
    print(f"{'ranking':<36} {'precision@5':>12} {'nDCG@10':>9}")
    for label, (precision, gain) in figures.items():
        print(f"{label:<36} {precision:>12.3f} {gain:>9.3f}")


if __name__ == "__main__":
    main()
