"""The Alembic migrations build exactly the schema the models describe, on both databases."""

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from forumdash.db import alembic_config, current_revision, head_revision, include_object


def test_models_and_migrations_agree(empty_engine):
    with empty_engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": include_object}
        )
        assert compare_metadata(context, SQLModel.metadata) == []


def test_search_index_exists(empty_engine):
    inspector = sa.inspect(empty_engine)
    if empty_engine.dialect.name == "sqlite":
        assert "practice_fts" in inspector.get_table_names()
    else:
        columns = {c["name"] for c in inspector.get_columns("practice")}
        assert "search_vector" in columns


def test_downgrade_and_upgrade_again(seeded_engine):
    config = alembic_config(seeded_engine)
    command.downgrade(config, "0001")
    assert current_revision(seeded_engine) == "0001"
    command.upgrade(config, "head")
    assert current_revision(seeded_engine) == head_revision()
    # The upgrade refolded the existing practices, so search still finds them.
    from forumdash import repository
    from forumdash.db import read_session
    from forumdash.filters import PracticeFilters

    with read_session(seeded_engine) as session:
        total, _ = repository.search_practices(session=session, filters=PracticeFilters(q="portal"))
    assert total > 0
