"""stemmed search: a term table computed in Python replaces FTS5 and the tsvector

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06

SQLite's FTS5 and PostgreSQL's tsvector cut text into words differently (`www.sarajevo.ba` is
three words to one, one to the other) and rank differently, so the same search gave different
answers. Now forumdash.search cuts, folds and stems the words in Python and stores the stems
with their frequencies in `practice_search_term`, an ordinary table the same on both databases;
`practice.search_title` / `search_text` hold the folded words in order (for phrases) and
`search_length` the weighted length (for BM25).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BODY = ["summary", "problem_purpose", "context", "actors_funding", "methods", "what_happened",
        "outcomes", "lessons", "references", "lead_institution", "partners"]
BATCH = 500

# Migration 0002's full-text index, dropped here and made again by the downgrade.
SQLITE_FTS = [
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
PG_VECTOR = (
    "ALTER TABLE practice ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, search_title), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, search_text), 'B')) STORED"
)

PRACTICE = sa.table(
    "practice",
    *(sa.column(c) for c in ["id", "title", "original_language", *BODY]),
    sa.column("search_title"),
    sa.column("search_text"),
    sa.column("search_length"),
)
TEXT_COLUMNS = [PRACTICE.c[name] for name in ["id", "title", "original_language", *BODY]]
TERM = sa.table(
    "practice_search_term",
    sa.column("token"),
    sa.column("practice_id"),
    sa.column("frequency"),
    sa.column("length"),
)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in ("practice_fts_ai", "practice_fts_ad", "practice_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS practice_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_practice_search_vector")
        op.execute("ALTER TABLE practice DROP COLUMN IF EXISTS search_vector")

    op.add_column(
        "practice", sa.Column("search_length", sa.Integer(), nullable=False, server_default="0")
    )
    op.create_index(
        "ix_practice_workflow_search_length", "practice", ["workflow", "search_length"]
    )
    op.create_table(
        "practice_search_term",
        sa.Column(
            "token",
            sa.String(length=64).with_variant(sa.String(length=64, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("frequency", sa.Integer(), nullable=False),
        sa.Column("length", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practice.id"],
            name=op.f("fk_practice_search_term_practice_id_practice"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token", "practice_id", name=op.f("pk_practice_search_term")),
        sqlite_with_rowid=False,
    )
    op.create_index(
        op.f("ix_practice_search_term_practice_id"), "practice_search_term", ["practice_id"]
    )
    _index_existing()


def _index_existing() -> None:
    """Cut, fold and stem the practices that exist already, a batch at a time."""
    from forumdash.search import indexed_practice, stored_terms

    bind = op.get_bind()
    last = 0
    while True:
        rows = (
            bind.execute(
                sa.select(*TEXT_COLUMNS)
                .where(PRACTICE.c.id > last)
                .order_by(PRACTICE.c.id)
                .limit(BATCH)
            )
            .mappings()
            .all()
        )
        if not rows:
            return
        updates, terms = [], []
        for row in rows:
            indexed = indexed_practice(row["title"], dict(row), row["original_language"])
            updates.append(
                {
                    "row_id": row["id"],
                    "title_words": indexed.title_words,
                    "body_words": indexed.body_words,
                    "length": indexed.length,
                }
            )
            terms.extend(stored_terms(row["id"], indexed))
        bind.execute(
            PRACTICE.update()
            .where(PRACTICE.c.id == sa.bindparam("row_id"))
            .values(
                search_title=sa.bindparam("title_words"),
                search_text=sa.bindparam("body_words"),
                search_length=sa.bindparam("length"),
            ),
            updates,
        )
        if terms:
            bind.execute(TERM.insert(), terms)
        last = rows[-1]["id"]


def downgrade() -> None:
    bind = op.get_bind()
    op.drop_index(op.f("ix_practice_search_term_practice_id"), table_name="practice_search_term")
    op.drop_table("practice_search_term")
    op.drop_index("ix_practice_workflow_search_length", table_name="practice")
    # A plain DROP COLUMN (SQLite 3.35+): a batch rebuild of `practice` would lose its triggers.
    op.execute("ALTER TABLE practice DROP COLUMN search_length")
    _fold_existing()
    if bind.dialect.name == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
        op.execute("INSERT INTO practice_fts(practice_fts) VALUES ('rebuild')")
    else:
        op.execute(PG_VECTOR)
        op.execute("CREATE INDEX ix_practice_search_vector ON practice USING gin (search_vector)")


def _fold_existing() -> None:
    """Give the text columns back the folded text migration 0002 stored."""
    from forumdash.search import document

    bind = op.get_bind()
    rows = bind.execute(sa.select(*TEXT_COLUMNS)).mappings().all()
    for row in rows:
        title, text = document(row["title"], [row[c] for c in BODY])
        bind.execute(
            PRACTICE.update()
            .where(PRACTICE.c.id == row["id"])
            .values(search_title=title, search_text=text)
        )
