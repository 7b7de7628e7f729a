"""newest and adaptation indexes: published practices by publication date, practices by origin

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07

Issue 14, the first request at 100,000 practices. The newest published practices (the
overview's latest six, browse's first page) were found by sorting every published practice
(0.8 s in SQLite); with `(workflow, published_at)` the database reads them in order and stops
after the limit. Adaptations (a practice's `adapted_from_id`) are rare, but finding them read
every published practice (0.5 s, twice on the overview); with an index on `adapted_from_id` the
queries start from the few that have one.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_practice_workflow_published_at", "practice", ["workflow", "published_at"])
    op.create_index("ix_practice_adapted_from_id", "practice", ["adapted_from_id"])


def downgrade() -> None:
    op.drop_index("ix_practice_adapted_from_id", table_name="practice")
    op.drop_index("ix_practice_workflow_published_at", table_name="practice")
