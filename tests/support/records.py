"""Records the tests and benchmarks publish into a running app's database while it runs."""

import uuid

from forumdash import repository
from forumdash import vocab as v
from forumdash.db import make_engine, write_session
from forumdash.models import PracticeCreate


def publish_sample_practice(
    database_url: str,
    *,
    prefix: str,
    title: str,
    summary: str,
    country: str = "ME",
    level: v.GovLevel = v.GovLevel.national,
    actor_type: v.ActorType = v.ActorType.government,
) -> int:
    """A new published practice under open data, marked as sample content (clearly a test);
    its slug is `prefix` and a random suffix. Returns its id."""
    engine = make_engine(database_url)
    try:
        with write_session(engine) as session:
            return repository.create_practice(
                session=session,
                practice_in=PracticeCreate(
                    slug=f"{prefix}-{uuid.uuid4().hex[:8]}",
                    title=title,
                    country=country,
                    summary=summary,
                    level=level,
                    actor_type=actor_type,
                    themes=["open-data"],
                    stage=v.Stage.implementing,
                    sample=True,
                    workflow=v.Workflow.published,
                ),
            )
    finally:
        engine.dispose()
