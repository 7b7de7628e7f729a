"""full-text search: folded text columns, FTS5 on SQLite, tsvector + GIN on PostgreSQL

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BODY = ["summary", "problem_purpose", "context", "actors_funding", "methods", "what_happened",
        "outcomes", "lessons", "references", "lead_institution", "partners"]

FACET_COLUMNS = ["stage", "level", "actor_type", "completion", "evidence_level", "start_year"]

SQLITE_FTS = [
    # External-content FTS5 over the folded columns: Datasette finds it for the practice table.
    """CREATE VIRTUAL TABLE practice_fts USING fts5(
        search_title, search_text, content="practice", content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER practice_fts_ai AFTER INSERT ON practice BEGIN
        INSERT INTO practice_fts(rowid, search_title, search_text)
        VALUES (new.id, new.search_title, new.search_text);
    END""",
    """CREATE TRIGGER practice_fts_ad AFTER DELETE ON practice BEGIN
        INSERT INTO practice_fts(practice_fts, rowid, search_title, search_text)
        VALUES ('delete', old.id, old.search_title, old.search_text);
    END""",
    """CREATE TRIGGER practice_fts_au AFTER UPDATE OF search_title, search_text ON practice BEGIN
        INSERT INTO practice_fts(practice_fts, rowid, search_title, search_text)
        VALUES ('delete', old.id, old.search_title, old.search_text);
        INSERT INTO practice_fts(rowid, search_title, search_text)
        VALUES (new.id, new.search_title, new.search_text);
    END""",
]


def upgrade() -> None:
    with op.batch_alter_table("practice", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_title", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("search_text", sa.Text(), nullable=False, server_default=""))

    # Facet counts read these covering indexes instead of the table.
    for column in FACET_COLUMNS:
        op.create_index(f"ix_practice_status_{column}", "practice", ["status", column])
    op.create_index("ix_practice_theme_slug_practice", "practice_theme", ["theme_slug", "practice_id"])
    op.create_index("ix_practice_value_value_practice", "practice_value", ["value", "practice_id"])

    _backfill()
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
        op.execute("INSERT INTO practice_fts(practice_fts) VALUES ('rebuild')")
    else:
        op.execute(
            "ALTER TABLE practice ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
            "setweight(to_tsvector('simple'::regconfig, search_title), 'A') || "
            "setweight(to_tsvector('simple'::regconfig, search_text), 'B')) STORED"
        )
        op.execute("CREATE INDEX ix_practice_search_vector ON practice USING gin (search_vector)")


def _backfill() -> None:
    """Fold the text of practices that exist already."""
    from forumdash.search import document

    bind = op.get_bind()
    practice = sa.table("practice", *(sa.column(c) for c in ["id", "title", *BODY]),
                        sa.column("search_title"), sa.column("search_text"))
    rows = bind.execute(sa.select(practice)).mappings().all()
    for row in rows:
        title, text = document(row["title"], [row[c] for c in BODY])
        bind.execute(
            practice.update()
            .where(practice.c.id == row["id"])
            .values(search_title=title, search_text=text)
        )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in ("practice_fts_ai", "practice_fts_ad", "practice_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS practice_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_practice_search_vector")
        op.execute("ALTER TABLE practice DROP COLUMN IF EXISTS search_vector")
    op.drop_index("ix_practice_value_value_practice", table_name="practice_value")
    op.drop_index("ix_practice_theme_slug_practice", table_name="practice_theme")
    for column in FACET_COLUMNS:
        op.drop_index(f"ix_practice_status_{column}", table_name="practice")
    with op.batch_alter_table("practice", schema=None) as batch_op:
        batch_op.drop_column("search_text")
        batch_op.drop_column("search_title")
