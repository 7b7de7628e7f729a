"""One Settings object read from the environment."""

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path

    @property
    def is_default_sqlite(self) -> bool:
        return "FORUMDASH_DATABASE_URL" not in os.environ


def get_settings() -> Settings:
    """Settings from FORUMDASH_DATABASE_URL (default: an SQLite file under data/)."""
    data_dir = Path(os.environ.get("FORUMDASH_DATA_DIR", ROOT / "data"))
    url = os.environ.get("FORUMDASH_DATABASE_URL", "").strip()
    if not url:
        url = f"sqlite:///{data_dir / 'forumdash.db'}"
    return Settings(database_url=url, data_dir=data_dir)
