"""Alembic environment: the engine comes from forumdash.db, the schema from SQLModel."""

from alembic import context
from sqlmodel import SQLModel

import forumdash.models  # noqa: F401  (registers the tables)

config = context.config
target_metadata = SQLModel.metadata


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
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
