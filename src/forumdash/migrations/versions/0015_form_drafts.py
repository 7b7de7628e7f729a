"""form drafts: the text typed into long forms, kept on the server as it is typed

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07

No lost work (issue 13): `form_draft` keeps, per form and owner (an account, or an anonymous
participant's device hash), the text typed and not yet saved, so that a reload, a lost connection
or an expired session gives it back (forumdash.autosave).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "form_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("owner", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("base", sa.JSON(), nullable=False),
        sa.Column("page", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_draft")),
        sa.UniqueConstraint("form_key", "owner", name="uq_form_draft_form_owner"),
    )
    with op.batch_alter_table("form_draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_form_draft_owner"), ["owner"], unique=False)
        batch_op.create_index(batch_op.f("ix_form_draft_saved_at"), ["saved_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("form_draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_form_draft_saved_at"))
        batch_op.drop_index(batch_op.f("ix_form_draft_owner"))
    op.drop_table("form_draft")
