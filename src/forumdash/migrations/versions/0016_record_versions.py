"""record versions: a counter of each practice's and challenge's changes

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07

No edit lost (issue 14): every save of an existing record carries the version it started from,
and a save from an older form is refused (forumdash.workflow.StaleEdit). Existing rows start
at version 1; every later write raises it (forumdash.models._count_version).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("practice", "challenge")


def upgrade() -> None:
    for table in TABLES:
        if op.get_bind().dialect.name == "sqlite":
            # ALTER TABLE, as 0004 and 0006 added their columns: a batch would rebuild the
            # table, and the rebuilt foreign keys would stop 0006's downgrade dropping its own.
            # SQLite keeps the default (it cannot drop one without rebuilding the table).
            op.execute(f"ALTER TABLE {table} ADD COLUMN version INTEGER NOT NULL DEFAULT 1")
        else:
            # The default stays, as the model says: a row inserted by plain SQL starts at 1.
            op.add_column(
                table, sa.Column("version", sa.Integer(), nullable=False, server_default="1")
            )


def downgrade() -> None:
    for table in TABLES:
        if op.get_bind().dialect.name == "sqlite":
            op.execute(f"ALTER TABLE {table} DROP COLUMN version")
        else:
            op.drop_column(table, "version")
