"""challenge workflow: the form's idempotency key and pending edits of published challenges

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WORKFLOW = ("draft", "submitted", "in_review", "published", "rejected")
CHECK = "pending_status IN ('" + "', '".join(WORKFLOW) + "')"
# The same columns as practice got in 0004, added the same way (ALTER TABLE on SQLite).
SQLITE_COLUMNS = [
    "client_key VARCHAR(64)",
    "pending JSON",
    f"pending_status VARCHAR(32) CONSTRAINT ck_challenge_pending_status CHECK ({CHECK})",
    'pending_by_id INTEGER REFERENCES "user" (id)',
    "pending_at DATETIME",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for column in SQLITE_COLUMNS:
            op.execute(f"ALTER TABLE challenge ADD COLUMN {column}")
    else:
        op.add_column("challenge", sa.Column("client_key", sqlmodel.AutoString(64), nullable=True))
        op.add_column("challenge", sa.Column("pending", sa.JSON(), nullable=True))
        op.add_column("challenge", sa.Column("pending_status", sa.String(32), nullable=True))
        op.create_check_constraint("pending_status", "challenge", CHECK)
        op.add_column("challenge", sa.Column("pending_by_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f("fk_challenge_pending_by_id_user"), "challenge", "user", ["pending_by_id"], ["id"]
        )
        op.add_column("challenge", sa.Column("pending_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_challenge_client_key", "challenge", ["client_key"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_challenge_client_key", table_name="challenge")
    if op.get_bind().dialect.name == "sqlite":
        for column in reversed(SQLITE_COLUMNS):
            op.execute(f"ALTER TABLE challenge DROP COLUMN {column.split()[0]}")
    else:
        op.drop_column("challenge", "pending_at")
        op.drop_constraint(op.f("fk_challenge_pending_by_id_user"), "challenge", type_="foreignkey")
        op.drop_column("challenge", "pending_by_id")
        op.drop_constraint("pending_status", "challenge", type_="check")
        op.drop_column("challenge", "pending_status")
        op.drop_column("challenge", "pending")
        op.drop_column("challenge", "client_key")
