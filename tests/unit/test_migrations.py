"""The Alembic migrations build exactly the schema the models describe, on both databases."""

import sqlite3

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel, select

from forumdash.db import alembic_config, current_revision, head_revision, make_engine, migrate


def test_models_and_migrations_agree(empty_engine):
    with empty_engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_search_index_exists(empty_engine):
    """Since 0010 search has one index on both databases: the term table, no FTS5/tsvector."""
    inspector = sa.inspect(empty_engine)
    assert "practice_search_term" in inspector.get_table_names()
    assert "practice_fts" not in inspector.get_table_names()
    assert "search_vector" not in {c["name"] for c in inspector.get_columns("practice")}
    key = inspector.get_pk_constraint("practice_search_term")["constrained_columns"]
    assert key == ["token", "practice_id"]
    if empty_engine.dialect.name == "postgresql":
        # Prefixes are ranges of the key only if tokens compare by code point, as on SQLite.
        token = next(
            c for c in inspector.get_columns("practice_search_term") if c["name"] == "token"
        )
        assert token["type"].collation == "C"


def test_0010_down_and_up_rebuilds_the_search_index(seeded_engine):
    """0010's downgrade gives back 0002's index (FTS5 / tsvector) and folded columns; the
    upgrade indexes every existing practice exactly as the repository's writes do."""
    from forumdash import search
    from forumdash.db import read_session
    from forumdash.models import Practice, PracticeSearchTerm

    def stored() -> tuple[dict, dict]:
        with read_session(seeded_engine) as session:
            columns = {
                p.id: (p.search_title, p.search_text, p.search_length)
                for p in session.exec(select(Practice)).all()
            }
            terms = {
                (t.token, t.practice_id): (t.frequency, t.length)
                for t in session.exec(select(PracticeSearchTerm)).all()
            }
        return columns, terms

    written = stored()
    config = alembic_config(seeded_engine)
    command.downgrade(config, "0009")
    inspector = sa.inspect(seeded_engine)
    if seeded_engine.dialect.name == "sqlite":
        assert "practice_fts" in inspector.get_table_names()
    else:
        assert "search_vector" in {c["name"] for c in inspector.get_columns("practice")}
    assert "practice_search_term" not in inspector.get_table_names()
    with seeded_engine.connect() as conn:
        title, text = conn.exec_driver_sql(
            "SELECT search_title, search_text FROM practice ORDER BY id LIMIT 1"
        ).one()
        row = conn.exec_driver_sql("SELECT title FROM practice ORDER BY id LIMIT 1").one()
    assert title == search.fold(row[0])  # 0002's folded text again, not the word lists
    command.upgrade(config, "head")
    assert stored() == written
    assert len(written[1]) > 1000


def test_downgrade_and_upgrade_again(seeded_engine):
    config = alembic_config(seeded_engine)
    command.downgrade(config, "0001")
    assert current_revision(seeded_engine) == "0001"
    command.upgrade(config, "head")
    assert current_revision(seeded_engine) == head_revision()
    # The upgrade refolded the existing practices, so search still finds them.
    from forumdash import repository
    from forumdash.db import read_session
    from forumdash.filters import PracticeFilters

    with read_session(seeded_engine) as session:
        total, _ = repository.search_practices(session=session, filters=PracticeFilters(q="portal"))
    assert total > 0


def test_0007_renames_the_workflow_keys_of_stored_json(seeded_engine):
    """Revisions and pending edits written before 0007 say `status`; after it, `workflow` (and a
    pending challenge edit's own state `challenge_status`), and back again on a downgrade."""
    import json

    config = alembic_config(seeded_engine)
    command.downgrade(config, "0006")
    pending_practice = {"title": "T", "status": "draft", "_base": {"title": "S", "status": "draft"}}
    pending_challenge = {"title": "C", "status": "resolved", "workflow": "draft"}
    with seeded_engine.begin() as conn:
        practice_id = conn.exec_driver_sql("SELECT min(id) FROM practice").scalar()
        challenge_id = conn.exec_driver_sql("SELECT min(id) FROM challenge").scalar()
        conn.execute(
            sa.text("UPDATE practice SET pending = :p, pending_status = 'draft' WHERE id = :id"),
            {"p": json.dumps(pending_practice), "id": practice_id},
        )
        conn.execute(
            sa.text("UPDATE challenge SET pending = :p WHERE id = :id"),
            {"p": json.dumps(pending_challenge), "id": challenge_id},
        )
    command.upgrade(config, "0007")

    def stored(sql: str, **params: object) -> dict:
        with seeded_engine.connect() as conn:
            value = conn.execute(sa.text(sql), params).scalar()
        return json.loads(value) if isinstance(value, str) else value

    practice_pending = stored("SELECT pending FROM practice WHERE id = :id", id=practice_id)
    assert practice_pending == {
        "title": "T",
        "workflow": "draft",
        "_base": {"title": "S", "workflow": "draft"},
    }
    challenge_pending = stored("SELECT pending FROM challenge WHERE id = :id", id=challenge_id)
    assert challenge_pending == {"title": "C", "challenge_status": "resolved", "workflow": "draft"}
    created = stored(
        "SELECT after FROM revision WHERE record_type = 'practice' AND record_id = :id "
        "ORDER BY id LIMIT 1",
        id=practice_id,
    )
    assert created["workflow"] == "published" and "status" not in created
    with seeded_engine.connect() as conn:
        pending_state = conn.execute(
            sa.text("SELECT pending_workflow FROM practice WHERE id = :id"), {"id": practice_id}
        ).scalar()
    assert pending_state == "draft"

    command.downgrade(config, "0006")
    assert stored("SELECT pending FROM challenge WHERE id = :id", id=challenge_id) == (
        pending_challenge
    )
    assert stored("SELECT pending FROM practice WHERE id = :id", id=practice_id) == (
        pending_practice
    )
    command.upgrade(config, "head")
    assert current_revision(seeded_engine) == head_revision()


def test_sqlite_checks_foreign_keys_only_when_a_migration_ran(tmp_path, templates):
    """The app migrates at every start, mostly to no effect: the foreign key check (30 s at
    100,000 practices) runs only when a migration did, and then still catches a broken row."""
    url, dispose = templates.clone("sqlite", True, tmp_path)
    engine = make_engine(url)
    try:
        raw = sqlite3.connect(url.removeprefix("sqlite:///"))  # foreign keys off by default
        with raw:
            raw.execute(
                "INSERT INTO practice_theme (practice_id, theme_slug) VALUES (999999, 'open-data')"
            )
        raw.close()
        migrate(engine)  # at head already: nothing ran, nothing read
        config = alembic_config(engine)
        with pytest.raises(RuntimeError, match="broken foreign keys"):
            command.downgrade(config, "0018")
        assert current_revision(engine) == "0018"
        with pytest.raises(RuntimeError, match="broken foreign keys"):
            command.upgrade(config, "head")
    finally:
        engine.dispose()
        dispose()
