"""The Alembic migrations build exactly the schema the models describe, on both databases."""

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from forumdash.db import alembic_config, current_revision, head_revision, include_object


def test_models_and_migrations_agree(empty_engine):
    with empty_engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": include_object}
        )
        assert compare_metadata(context, SQLModel.metadata) == []


def test_search_index_exists(empty_engine):
    inspector = sa.inspect(empty_engine)
    if empty_engine.dialect.name == "sqlite":
        assert "practice_fts" in inspector.get_table_names()
    else:
        columns = {c["name"] for c in inspector.get_columns("practice")}
        assert "search_vector" in columns


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
