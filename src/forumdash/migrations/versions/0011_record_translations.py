"""record translations: practices' and challenges' text in other languages; a challenge's language

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07

A practice or a challenge may carry translations of its text fields into the forum's other
languages, one row per field and language (`practice_translation`, `challenge_translation`),
written with the record and reviewed like any edit of it (forumdash.workflow). Challenges get the
`original_language` practices have had since 0001: empty for the existing ones, since nobody
recorded it (no language is assumed). Translations of practices raise the data version, like
the practices' other tables (0003), whoever writes them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EVENTS = ["INSERT", "UPDATE", "DELETE"]


def _translation_table(name: str, owner: str) -> None:
    key = f"{owner}_id"
    op.create_table(
        name,
        sa.Column(key, sa.Integer(), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("field", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            [key], [f"{owner}.id"], name=op.f(f"fk_{name}_{key}_{owner}"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint(key, "language", "field", name=op.f(f"pk_{name}")),
    )


def upgrade() -> None:
    op.add_column(
        "challenge",
        sa.Column(
            "original_language",
            sa.String(length=8),
            nullable=False,
            server_default="",
        ),
    )
    _translation_table("practice_translation", "practice")
    _translation_table("challenge_translation", "challenge")
    if op.get_bind().dialect.name == "sqlite":
        for event in EVENTS:
            op.execute(
                f"CREATE TRIGGER practice_translation_version_{event.lower()} AFTER {event} "
                "ON practice_translation "
                "BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END"
            )
    else:
        op.execute(
            "CREATE TRIGGER practice_translation_version AFTER INSERT OR UPDATE OR DELETE OR "
            "TRUNCATE ON practice_translation FOR EACH STATEMENT "
            "EXECUTE FUNCTION forumdash_bump_data_version()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for event in EVENTS:
            op.execute(f"DROP TRIGGER IF EXISTS practice_translation_version_{event.lower()}")
    else:
        op.execute("DROP TRIGGER IF EXISTS practice_translation_version ON practice_translation")
    op.drop_table("challenge_translation")
    op.drop_table("practice_translation")
    # A plain DROP COLUMN (SQLite 3.35+): a batch rebuild of `challenge` is not needed.
    op.execute("ALTER TABLE challenge DROP COLUMN original_language")
