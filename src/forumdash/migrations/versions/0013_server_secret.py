"""server secret: the key of the participants' device and address hashes

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07

A participant's device id and address are stored only as HMAC-SHA256 hashes (forumdash.limits).
Without a secret, the hash of an IPv4 address is reversed by trying all 2^32 of them. This makes
the table only: the key is made at random on the first participant's action (forumdash.limits;
a new database stays empty, as a restore needs), one for every app process on this database. Setting
FORUMDASH_HASH_SECRET keeps the key out of the database instead (a dump then reveals nothing).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "server_secret",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_server_secret")),
    )


def downgrade() -> None:
    op.drop_table("server_secret")
