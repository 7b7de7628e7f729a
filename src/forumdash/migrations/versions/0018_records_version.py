"""records version: a second counter in data_version, raised by triggers on every change to
challenges, commitments, milestones, matches, countries and themes

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07

`data_version.version` moves with practices only, and the facet index and the matching corpus
bring themselves up to date from it (forumdash.versioned_cache). The pages' cached views (the
overview's figures and charts, a challenge's matches, the challenges a practice could help) also
show challenges, commitments, milestones and matches: `records` moves when those change, so a
view keyed on both is never stale, without making the practice caches rebuild on a challenge's
edit.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WATCHED = [
    "challenge",
    "challenge_theme",
    "challenge_value",
    "challenge_translation",
    "commitment",
    "practice_commitment",
    "milestone",
    "match",
    "country",
    "theme",
]
EVENTS = ["INSERT", "UPDATE", "DELETE"]
BUMP = "UPDATE data_version SET records = records + 1 WHERE id = 1"


def upgrade() -> None:
    # A plain ADD COLUMN (no batch copy of the table: the triggers of 0003 name it).
    op.add_column(
        "data_version", sa.Column("records", sa.BigInteger(), nullable=False, server_default="0")
    )
    if op.get_bind().dialect.name == "sqlite":
        for name in WATCHED:
            for event in EVENTS:
                op.execute(
                    f"CREATE TRIGGER {name}_records_{event.lower()} AFTER {event} ON {name} "
                    f"BEGIN {BUMP}; END"
                )
    else:
        op.execute(
            "CREATE FUNCTION forumdash_bump_records_version() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN {BUMP}; RETURN NULL; END $$"
        )
        for name in WATCHED:
            op.execute(
                f"CREATE TRIGGER {name}_records AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f'ON "{name}" FOR EACH STATEMENT EXECUTE FUNCTION forumdash_bump_records_version()'
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in WATCHED:
            for event in EVENTS:
                op.execute(f"DROP TRIGGER IF EXISTS {name}_records_{event.lower()}")
    else:
        for name in WATCHED:
            op.execute(f'DROP TRIGGER IF EXISTS {name}_records ON "{name}"')
        op.execute("DROP FUNCTION IF EXISTS forumdash_bump_records_version()")
    op.drop_column("data_version", "records")
