"""one meaning per name: the workflow columns are `workflow` and `pending_workflow`

`status` meant the workflow state on practices and challenges, and a challenge's own state (open,
being addressed, resolved) in its schema. The workflow columns are renamed, and so are the keys
of the JSON this product stored with those names: revisions (before/after) and pending edits (a
PracticeCreate or ChallengeCreate, whose `status` was the workflow for practices and the
challenge's own state for challenges).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

import json
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FACET_COLUMNS = ["stage", "level", "actor_type", "completion", "evidence_level", "start_year"]
# (old name, new name, columns after the rename)
INDEXES = [("ix_practice_status_country", "ix_practice_workflow_country", ["country_code"])] + [
    (f"ix_practice_status_{column}", f"ix_practice_workflow_{column}", [column])
    for column in FACET_COLUMNS
]
TABLES = ("practice", "challenge")
BASE = "_base"  # where a pending edit keeps the version it started from (forumdash.workflow)


def _rename_keys(data: Any, renames: dict[str, str]) -> Any:
    if not isinstance(data, dict):
        return data
    renamed = {renames.get(key, key): value for key, value in data.items()}
    if isinstance(renamed.get(BASE), dict):
        renamed[BASE] = _rename_keys(renamed[BASE], renames)
    return renamed


def _loaded(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _rewrite_json(
    table: str, columns: Sequence[str], where: str, change: Callable[[Any], Any]
) -> None:
    """Apply `change` to JSON columns row by row (the same code on SQLite and PostgreSQL)."""
    bind = op.get_bind()
    rows = bind.execute(sa.text(f"SELECT id, {', '.join(columns)} FROM {table} WHERE {where}"))
    for row in rows.fetchall():
        values = {name: _loaded(row[i + 1]) for i, name in enumerate(columns)}
        changed = {name: change(value) for name, value in values.items()}
        if changed != values:
            assignments = ", ".join(f"{name} = :{name}" for name in columns)
            bind.execute(
                sa.text(f"UPDATE {table} SET {assignments} WHERE id = :id"),
                {"id": row[0], **{k: json.dumps(x) for k, x in changed.items()}},
            )


def _rename(old: str, new: str, renames_back: bool = False) -> None:
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} RENAME COLUMN {old} TO {new}")
        op.execute(f"ALTER TABLE {table} RENAME COLUMN pending_{old} TO pending_{new}")
    sqlite = op.get_bind().dialect.name == "sqlite"
    for before, after, columns in INDEXES:
        source, target = (after, before) if renames_back else (before, after)
        if sqlite:  # SQLite cannot rename an index
            op.execute(f"DROP INDEX {source}")
            op.create_index(target, "practice", [new, *columns])
        else:
            op.execute(f"ALTER INDEX {source} RENAME TO {target}")


def _json_keys(workflow: tuple[str, str], challenge_state: tuple[str, str] | None) -> None:
    old, new = workflow
    keys = {old: new}
    _rewrite_json(
        "revision",
        ["before", "after"],
        "record_type IN ('practice', 'challenge')",
        lambda data: _rename_keys(data, keys),
    )
    _rewrite_json("practice", ["pending"], "pending IS NOT NULL", lambda d: _rename_keys(d, keys))
    if challenge_state is not None:
        _rewrite_json(
            "challenge",
            ["pending"],
            "pending IS NOT NULL",
            lambda data: _rename_keys(data, dict([challenge_state])),
        )


def upgrade() -> None:
    _rename("status", "workflow")
    # Revisions store table columns (challenge_status was always so named); pending challenge
    # edits store a ChallengeCreate, where `status` was the challenge's own state.
    _json_keys(("status", "workflow"), ("status", "challenge_status"))


def downgrade() -> None:
    _json_keys(("workflow", "status"), ("challenge_status", "status"))
    _rename("workflow", "status", renames_back=True)
