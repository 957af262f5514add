"""Source health and gradual detail: a failing episode's start and a paused flag on sources, and a
`detail_pending` flag on items whose detail (a Hugging Face model card) is still to be fetched.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("sources") as batch:
        batch.add_column(sa.Column("failing_since", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("paused", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("items") as batch:
        batch.add_column(sa.Column("detail_pending", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.create_index("ix_items_detail_pending", ["source_id", "detail_pending"])


def downgrade() -> None:
    with op.batch_alter_table("items") as batch:
        batch.drop_index("ix_items_detail_pending")
        batch.drop_column("detail_pending")
    with op.batch_alter_table("sources") as batch:
        batch.drop_column("paused")
        batch.drop_column("failing_since")
