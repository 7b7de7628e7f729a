"""A practice's similar practices (its page's "Similar practices in other countries"), against a
plain Python reading of the rule on every published practice of the seed, on both databases."""

import datetime as dt

from forumdash import repository
from forumdash.db import read_session

NEVER = dt.datetime.min.replace(tzinfo=dt.UTC)


def _expected(practices, mine, limit=5):
    """Published practices of other countries sharing a theme: most shared themes first, then
    shared OGP values, then the newest publication (none last), then the highest id."""
    themes, values = set(mine.themes), set(mine.ogp_values)

    def published(p):
        return (
            p.published_at.replace(tzinfo=p.published_at.tzinfo or dt.UTC)
            if p.published_at
            else None
        )

    found = [p for p in practices if p.country_code != mine.country_code and themes & set(p.themes)]
    found.sort(
        key=lambda p: (
            -len(themes & set(p.themes)),
            -len(values & set(p.ogp_values)),
            published(p) is None,
            -(published(p) or NEVER).timestamp(),
            -p.id,
        )
    )
    return [p.id for p in found[:limit]]


def test_similar_practices_follow_the_rule_for_every_seed_practice(readonly_engine):
    with read_session(readonly_engine) as session:
        practices = repository.published_practices(session=session)
        assert len(practices) > 20
        nonempty = 0
        for mine in practices:
            got = [s.id for s in repository.similar_practices(session=session, practice_id=mine.id)]
            assert got == _expected(practices, mine), mine.slug
            nonempty += bool(got)
        assert repository.similar_practices(session=session, practice_id=10**9) == []
    assert nonempty > len(practices) // 2
