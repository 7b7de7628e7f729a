"""Alembic environment: the engine comes from forumdash.db, the schema from SQLModel."""

from alembic import context
from sqlmodel import SQLModel

import forumdash.models  # noqa: F401  (registers the tables)

config = context.config
target_metadata = SQLModel.metadata


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    """Leave alone what the migrations make by hand: FTS5 tables and the tsvector column."""
    if type_ == "table" and name and name.startswith("practice_fts"):
        return False
    if type_ == "column" and name == "search_vector":
        return False
    return not (type_ == "index" and name == "ix_practice_search_vector")


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        from forumdash.db import make_engine
        from forumdash.settings import get_settings

        engine = make_engine(get_settings().database_url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            compare_type=True,
            include_object=include_object,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
