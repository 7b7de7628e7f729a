"""Start-up: open the configured database, migrate it, seed it when empty."""

from pathlib import Path

from sqlalchemy.engine import Engine

from forumdash.db import make_engine, migrate, schema_lock
from forumdash.seed import SeedReport, is_empty, load_seed
from forumdash.settings import ROOT, get_settings

SEED_DIR = ROOT / "data"


def init_database(engine: Engine, seed_dir: Path = SEED_DIR) -> SeedReport | None:
    """Migrate to the latest schema and load the seed content if the database is empty."""
    # Under one lock, so that of several processes starting at once on an empty database one
    # seeds it and the others find it seeded.
    with schema_lock(engine):
        migrate(engine)
        if is_empty(engine):
            return load_seed(engine, seed_dir)
    return None


def open_database(url: str | None = None) -> Engine:
    """An engine for the configured database, migrated and seeded."""
    engine = make_engine(url or get_settings().database_url)
    init_database(engine)
    return engine
