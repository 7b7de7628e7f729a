"""mail digests: each person's e-mail state, and an index of the notices not yet mailed

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07

Where FORUMDASH_SMTP_URL is set, the notices of a signed-in person's inbox also go by e-mail,
one digest an hour at most (forumdash.digests). `mail_state` keeps, per person, the language to
write in, whether they unsubscribed, the random token of their unsubscribe link, when the last
digest went out, and which process is mailing them now (a claim, so that two processes never
mail the same notice twice). Rows are made when a person is first mailed or opens their inbox.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mail_state",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("unsubscribed", sa.Boolean(), nullable=False),
        sa.Column("unsubscribe_token", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("last_digest_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_mail_state_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_mail_state")),
        sa.UniqueConstraint("unsubscribe_token", name=op.f("uq_mail_state_unsubscribe_token")),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index("ix_notification_unmailed", ["emailed_at", "user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index("ix_notification_unmailed")
    op.drop_table("mail_state")
