"""participants and inbox: peer-exchange requests, suggestions, rate limits, notifications

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07

Participants act without an account (issue 13): "I want to learn from this" makes an
`exchange_request` to a practice's country, moved on by `exchange_step`s; "Share a practice or a
challenge" makes a `suggestion`. `rate_event` counts actions per device and per address in the
database, so that limits hold across reloads, tabs and processes. `notification` is a signed-in
person's inbox. None of these raise the data version: they are not published records.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rate_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rate_event")),
    )
    with op.batch_alter_table("rate_event", schema=None) as batch_op:
        batch_op.create_index("ix_rate_event_action_key_at", ["action", "key", "at"], unique=False)
        batch_op.create_index(batch_op.f("ix_rate_event_at"), ["at"], unique=False)

    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "exchange_request",
                "exchange_update",
                "suggestion",
                "submission",
                "sent_back",
                "published",
                "correction",
                name="notificationkind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("record_type", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("emailed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_notification_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index("ix_notification_user_read", ["user_id", "read_at"], unique=False)

    op.create_table(
        "exchange_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("to_country", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "requested",
                "in_contact",
                "held",
                "adopted",
                "declined",
                name="exchangestatus",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("organisation", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("from_country", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=True),
        sa.Column("contact", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("event", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("device_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("decline_reason", sa.Text(), nullable=False),
        sa.Column("adopted_practice_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["adopted_practice_id"],
            ["practice.id"],
            name=op.f("fk_exchange_request_adopted_practice_id_practice"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["from_country"],
            ["country.code"],
            name=op.f("fk_exchange_request_from_country_country"),
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practice.id"],
            name=op.f("fk_exchange_request_practice_id_practice"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["to_country"], ["country.code"], name=op.f("fk_exchange_request_to_country_country")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_request")),
        sa.UniqueConstraint("practice_id", "device_hash", name="uq_exchange_request_device"),
    )
    with op.batch_alter_table("exchange_request", schema=None) as batch_op:
        batch_op.create_index(
            "ix_exchange_request_country_status", ["to_country", "status"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_exchange_request_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_exchange_request_practice_id"), ["practice_id"], unique=False
        )

    op.create_table(
        "suggestion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "record_type",
            sa.Enum(
                "practice",
                "challenge",
                "milestone",
                name="recordtype",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("country_code", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("organisation", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("contact", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("event", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("device_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "new",
                "accepted",
                "declined",
                name="suggestionstatus",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("decline_reason", sa.Text(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=True),
        sa.Column("challenge_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["challenge_id"],
            ["challenge.id"],
            name=op.f("fk_suggestion_challenge_id_challenge"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["country_code"], ["country.code"], name=op.f("fk_suggestion_country_code_country")
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practice.id"],
            name=op.f("fk_suggestion_practice_id_practice"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by_id"],
            ["user.id"],
            name=op.f("fk_suggestion_resolved_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestion")),
    )
    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.create_index(
            "ix_suggestion_country_status", ["country_code", "status"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_suggestion_status"), ["status"], unique=False)

    op.create_table(
        "exchange_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "requested",
                "in_contact",
                "held",
                "adopted",
                "declined",
                name="exchangestatus",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("happened_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["by_id"], ["user.id"], name=op.f("fk_exchange_step_by_id_user"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["exchange_request.id"],
            name=op.f("fk_exchange_step_request_id_exchange_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_step")),
    )
    with op.batch_alter_table("exchange_step", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exchange_step_request_id"), ["request_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("exchange_step", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchange_step_request_id"))

    op.drop_table("exchange_step")
    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_suggestion_status"))
        batch_op.drop_index("ix_suggestion_country_status")

    op.drop_table("suggestion")
    with op.batch_alter_table("exchange_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchange_request_practice_id"))
        batch_op.drop_index(batch_op.f("ix_exchange_request_created_at"))
        batch_op.drop_index("ix_exchange_request_country_status")

    op.drop_table("exchange_request")
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index("ix_notification_user_read")

    op.drop_table("notification")
    with op.batch_alter_table("rate_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rate_event_at"))
        batch_op.drop_index("ix_rate_event_action_key_at")

    op.drop_table("rate_event")
