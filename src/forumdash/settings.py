"""Every setting of the product in one object, read from FORUMDASH_* environment variables
(the README's table lists them):

- FORUMDASH_DATABASE_URL: the database, an SQLAlchemy URL (`sqlite:///FILE` or
  `postgresql+psycopg://...`); default: `forumdash.db` in the data folder.
- FORUMDASH_DATA_DIR: the folder of the seed files (and of the default SQLite file); default:
  `data/` of the checkout.
- FORUMDASH_PUBLIC_URL: the http(s) address phones and exported files should use; default: the
  page's own address.
- FORUMDASH_MACHINE_TRANSLATION: the name of a registered machine translator
  (forumdash.machine_translation); default: empty, machine translation off (none is registered).
- FORUMDASH_HASH_SECRET: the key of the hashes of a participant's device and address
  (forumdash.limits), at least 32 characters (a shorter one is ignored, with a warning in the
  log); default: a random key the database keeps (made on the first participant's action). Set
  it to keep the key out of the database and its backups.
- FORUMDASH_TRUSTED_PROXIES: how many reverse proxies in front of the app append the client's
  address to X-Forwarded-For; default 0: the header is ignored (anyone can write it) and the
  connection's own address counts.
- FORUMDASH_SMTP_URL: the mail server that sends the inbox's e-mail digests
  (`smtp://USER:PASSWORD@HOST:587?starttls=1&from=forum@example.org`, or `smtps://...:465`;
  forumdash.digests reads it); default: empty, no e-mail is sent.

Settings follow the environment: get_settings() reads the FORUMDASH_* variables on every call,
so a test (or a restarted process) that changes them sees the change; the object built from them
is kept per set of values (pydantic validation on every call was 2.6% of a loaded server's time).
"""

import os
from pathlib import Path

from pydantic import ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from forumdash.text import safe_url

ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    """The product's settings (see the module's table)."""

    model_config = SettingsConfigDict(
        env_prefix="FORUMDASH_", frozen=True, extra="ignore", validate_default=True
    )

    data_dir: Path = ROOT / "data"
    database_url: str = ""
    public_url: str | None = None
    machine_translation: str = ""  # off: no translator is registered (machine_translation.py)
    hash_secret: str = ""
    trusted_proxies: int = 0
    # Off when empty. Kept as text: a malformed address is reported by the digests in the log
    # (forumdash.digests.smtp_server), never by stopping every page of the app.
    smtp_url: str = ""

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _hops(cls, value: object) -> int:
        # A setting that is not a small number counts no proxy: the header stays ignored, the
        # safe reading, and the app still starts.
        try:
            hops = int(str(value).strip() or 0)
        except ValueError:
            return 0
        return hops if 0 <= hops <= 5 else 0

    @field_validator("database_url", mode="after")
    @classmethod
    def _default_sqlite(cls, value: str, info: ValidationInfo) -> str:
        # Declared after data_dir, so that the default file can live in the data folder.
        return value.strip() or f"sqlite:///{info.data['data_dir'] / 'forumdash.db'}"

    @field_validator("public_url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        # Anything but an http(s) address is ignored (the display says how to set it).
        return safe_url((value or "").strip() or None)


_BUILT: dict[tuple[tuple[str, str], ...], Settings] = {}


def get_settings() -> Settings:
    """The settings as the environment gives them now (frozen, shared: built once per set of
    FORUMDASH_* values; the prefix is matched in any case, as pydantic-settings reads it)."""
    values = tuple(sorted((k, v) for k, v in os.environ.items() if k[:10].upper() == "FORUMDASH_"))
    built = _BUILT.get(values)
    if built is None:
        built = Settings()
        if len(_BUILT) >= 64:  # tests set many environments; a server sees one
            _BUILT.clear()
        _BUILT[values] = built
    return built
