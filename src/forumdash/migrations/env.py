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
        sqlite = connection.dialect.name == "sqlite"
        # A connection checked out of the pool always holds its DBAPI connection.
        driver = connection.connection.driver_connection
        assert driver is not None
        if sqlite:
            # Batch operations rebuild tables (copy, drop, rename), which foreign keys would
            # refuse; SQLite ignores this pragma inside a transaction, so set it on the raw
            # connection before ours begins. (A rebuilt `practice` also loses its data_version
            # triggers: a migration that rebuilds it must create them again.)
            driver.execute("PRAGMA foreign_keys=OFF")
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            compare_type=True,
        )
        migration = context.get_context()
        before = migration.get_current_revision()
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
        # Checked only when a migration ran: the check reads every row of every table (30 s
        # at 100,000 practices), and the app migrates, usually to no effect, at every start.
        if sqlite:
            broken = (
                connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if migration.get_current_revision() != before
                else []
            )
            connection.commit()
            driver.execute("PRAGMA foreign_keys=ON")
            if broken:
                raise RuntimeError(f"migration left broken foreign keys: {broken[:5]}")


run_migrations_online()
