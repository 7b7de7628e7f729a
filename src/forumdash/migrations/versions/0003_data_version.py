"""data version: a counter raised by triggers on every change to practices, themes and values

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WATCHED = ["practice", "practice_theme", "practice_value"]
EVENTS = ["INSERT", "UPDATE", "DELETE"]


def upgrade() -> None:
    op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("instance", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_version")),
    )
    table = sa.table("data_version", sa.column("id"), sa.column("version"), sa.column("instance"))
    op.execute(table.insert().values(id=1, version=0, instance=str(uuid.uuid4())))
    if op.get_bind().dialect.name == "sqlite":
        for name in WATCHED:
            for event in EVENTS:
                op.execute(
                    f"CREATE TRIGGER {name}_version_{event.lower()} AFTER {event} ON {name} "
                    "BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END"
                )
    else:
        op.execute(
            "CREATE FUNCTION forumdash_bump_data_version() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; "
            "RETURN NULL; END $$"
        )
        for name in WATCHED:
            op.execute(
                f"CREATE TRIGGER {name}_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON {name} FOR EACH STATEMENT EXECUTE FUNCTION forumdash_bump_data_version()"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in WATCHED:
            for event in EVENTS:
                op.execute(f"DROP TRIGGER IF EXISTS {name}_version_{event.lower()}")
    else:
        for name in WATCHED:
            op.execute(f"DROP TRIGGER IF EXISTS {name}_version ON {name}")
        op.execute("DROP FUNCTION IF EXISTS forumdash_bump_data_version()")
    op.drop_table("data_version")
