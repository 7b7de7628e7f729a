"""no account lock: failed sign-ins are counted per account and place in rate_event

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07

Issue 14: an account that anyone could lock by failing five times is gone. Failed sign-ins are
counted in `rate_event` per email and address, per email and device, per address and per email
(forumdash.limits), so `user.failed_logins` and `user.locked_until` are dropped rather than left
unused: nothing reads them, and a column nobody reads is a column somebody trusts. Going down
puts them back empty (nobody locked).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_logins")


def downgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
