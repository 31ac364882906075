"""Failed documents.

- ``failures``: one row per document whose analysis failed (it raised, crashed
  its worker or hung past the run's timeout), with the reason and the analyser
  version; a later successful analysis deletes the row.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add the failures table."""
    op.create_table(
        "failures",
        sa.Column("document_id", sa.String(), nullable=False),
        sa.Column("path", sa.String(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("analyzer_version", sa.String(), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("document_id", name="pk_failures"),
    )


def downgrade() -> None:
    """Remove the failures table."""
    op.drop_table("failures")
