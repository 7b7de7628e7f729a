"""review workflow: the form's idempotency key and pending edits of published practices

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WORKFLOW = ("draft", "submitted", "in_review", "published", "rejected")
CHECK = "pending_status IN ('" + "', '".join(WORKFLOW) + "')"
# SQLite adds columns in place with ALTER TABLE; a batch rebuild of `practice` would drop its
# FTS and data-version triggers.
SQLITE_COLUMNS = [
    "client_key VARCHAR(64)",
    "pending JSON",
    f"pending_status VARCHAR(32) CONSTRAINT ck_practice_pending_status CHECK ({CHECK})",
    'pending_by_id INTEGER REFERENCES "user" (id)',
    "pending_at DATETIME",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for column in SQLITE_COLUMNS:
            op.execute(f"ALTER TABLE practice ADD COLUMN {column}")
    else:
        op.add_column("practice", sa.Column("client_key", sqlmodel.AutoString(64), nullable=True))
        op.add_column("practice", sa.Column("pending", sa.JSON(), nullable=True))
        op.add_column("practice", sa.Column("pending_status", sa.String(32), nullable=True))
        op.create_check_constraint("pending_status", "practice", CHECK)
        op.add_column("practice", sa.Column("pending_by_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f("fk_practice_pending_by_id_user"), "practice", "user", ["pending_by_id"], ["id"]
        )
        op.add_column("practice", sa.Column("pending_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_practice_client_key", "practice", ["client_key"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_practice_client_key", table_name="practice")
    if op.get_bind().dialect.name == "sqlite":
        for column in reversed(SQLITE_COLUMNS):
            op.execute(f"ALTER TABLE practice DROP COLUMN {column.split()[0]}")
    else:
        op.drop_column("practice", "pending_at")
        op.drop_constraint(op.f("fk_practice_pending_by_id_user"), "practice", type_="foreignkey")
        op.drop_column("practice", "pending_by_id")
        op.drop_constraint("pending_status", "practice", type_="check")
        op.drop_column("practice", "pending_status")
        op.drop_column("practice", "pending")
        op.drop_column("practice", "client_key")
