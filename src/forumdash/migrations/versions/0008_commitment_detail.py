"""commitments as OGP writes them, and corrections that propose values

Commitments keep what OGP's export says and the first schema dropped: a short title, supporting
institutions, how much of each date is known (a year, a month, a quarter, a season), a state
written instead of an end date ("Ongoing"), IRM's 2020+ potential for results, "No early results
to report yet" as a state of its own, and the values the importer did not know, as written.
Milestones' date precision takes the same new values (one vocabulary). A correction can carry
the values a reader proposes, field by field.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_PRECISIONS = ("day", "month", "year")
PRECISIONS = ("day", "month", "quarter", "season", "year")
EARLY_RESULTS = ("worsened", "did_not_change", "marginal", "major", "outstanding")
OPENED = (*EARLY_RESULTS, "no_early_results")
POTENTIAL_FOR_RESULTS = ("unclear", "modest", "substantial")


def _in(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ('" + "', '".join(values) + "')"


def _vocab(name: str) -> sa.Column[str]:
    return sa.Column(name, sa.String(32), nullable=True)


def upgrade() -> None:
    with op.batch_alter_table("commitment", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("short_title", sqlmodel.AutoString(500), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("supporting_institutions", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(_vocab("start_precision"))
        batch_op.add_column(_vocab("end_precision"))
        batch_op.add_column(sa.Column("ongoing", sa.Boolean(), nullable=True))
        batch_op.add_column(_vocab("potential_for_results"))
        batch_op.add_column(sa.Column("as_written", sa.JSON(), nullable=True))
        batch_op.drop_constraint(op.f("ck_commitment_earlyresults"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_commitment_openedgovernment"), _in("did_it_open_government", OPENED)
        )
        batch_op.create_check_constraint(
            op.f("ck_commitment_start_precision"), _in("start_precision", PRECISIONS)
        )
        batch_op.create_check_constraint(
            op.f("ck_commitment_end_precision"), _in("end_precision", PRECISIONS)
        )
        batch_op.create_check_constraint(
            op.f("ck_commitment_potentialforresults"),
            _in("potential_for_results", POTENTIAL_FOR_RESULTS),
        )
    # Commitments imported before this version: their dates were given as days.
    op.execute("UPDATE commitment SET start_precision = 'day' WHERE start_date IS NOT NULL")
    op.execute("UPDATE commitment SET end_precision = 'day' WHERE end_date IS NOT NULL")
    op.execute("UPDATE commitment SET as_written = '{}'")
    with op.batch_alter_table("commitment", schema=None) as batch_op:
        batch_op.alter_column("as_written", existing_type=sa.JSON(), nullable=False)
        batch_op.alter_column("short_title", server_default=None)
        batch_op.alter_column("supporting_institutions", server_default=None)

    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_milestone_dateprecision"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_milestone_dateprecision"), _in("date_precision", PRECISIONS)
        )

    with op.batch_alter_table("correction", schema=None) as batch_op:
        batch_op.add_column(sa.Column("proposed", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("correction", schema=None) as batch_op:
        batch_op.drop_column("proposed")

    op.execute(
        "UPDATE milestone SET date_precision = 'year' WHERE date_precision IN ('quarter', 'season')"
    )
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_milestone_dateprecision"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_milestone_dateprecision"), _in("date_precision", OLD_PRECISIONS)
        )

    op.execute(
        "UPDATE commitment SET did_it_open_government = NULL "
        "WHERE did_it_open_government = 'no_early_results'"
    )
    with op.batch_alter_table("commitment", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_commitment_potentialforresults"), type_="check")
        batch_op.drop_constraint(op.f("ck_commitment_end_precision"), type_="check")
        batch_op.drop_constraint(op.f("ck_commitment_start_precision"), type_="check")
        batch_op.drop_constraint(op.f("ck_commitment_openedgovernment"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_commitment_earlyresults"), _in("did_it_open_government", EARLY_RESULTS)
        )
        batch_op.drop_column("as_written")
        batch_op.drop_column("potential_for_results")
        batch_op.drop_column("ongoing")
        batch_op.drop_column("end_precision")
        batch_op.drop_column("start_precision")
        batch_op.drop_column("supporting_institutions")
        batch_op.drop_column("short_title")
