"""Initial schema: sources, items, frontier models, claims, evidence, outbox, subscriptions.

Written out explicitly (every constraint and index named as storage/schema.py's naming
convention names it), so that it never changes when tables.py does: later changes are new
revisions. tests/storage/test_migrations.py checks that head matches tables.py exactly.

Revision ID: 0001
Revises:
Create Date: 2025-01-20
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def _utc(name: str, *, nullable: bool) -> sa.Column[object]:
    """storage.schema.UTCDateTime is a DateTime(timezone=True) in the database."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=1000), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("target", sa.String(length=1000), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("lab", sa.String(length=200), nullable=True),
        sa.Column("added_by", sa.String(length=200), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("etag", sa.String(length=1000), nullable=True),
        sa.Column("last_modified", sa.String(length=200), nullable=True),
        sa.Column("baseline_done", sa.Boolean(), nullable=False),
        _utc("last_polled_at", nullable=True),
        _utc("last_success_at", nullable=True),
        _utc("next_poll_at", nullable=True),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("failure_reported", sa.Boolean(), nullable=False),
        sa.Column("lease_owner", sa.String(length=100), nullable=True),
        _utc("lease_until", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_sources"),
        sa.UniqueConstraint("key", name="uq_sources_key"),
    )
    op.create_table(
        "items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=1000), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("model_id", sa.String(length=300), nullable=True),
        sa.Column("lab", sa.String(length=200), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        _utc("published_at", nullable=True),
        _utc("first_seen_at", nullable=False),
        sa.Column("baseline", sa.Boolean(), nullable=False),
        _utc("detected_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name="fk_items_source_id_sources", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_items"),
        sa.UniqueConstraint("source_id", "key", name="uq_items_source_key"),
    )
    op.create_index("ix_items_source_url", "items", ["source_id", "url"])
    op.create_index("ix_items_first_seen", "items", ["first_seen_at"])
    op.create_index("ix_items_pending", "items", ["detected_at"])

    op.create_table(
        "frontier_models",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("lab", sa.String(length=200), nullable=False),
        sa.Column("released", sa.Date(), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("open_weights", sa.Boolean(), nullable=False),
        sa.Column("tracked", sa.Boolean(), nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=True),
        _utc("added_at", nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_frontier_models"),
    )
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("competitor", sa.String(length=300), nullable=False),
        sa.Column("competitor_norm", sa.String(length=300), nullable=False),
        sa.Column("lab", sa.String(length=200), nullable=True),
        sa.Column("frontier_key", sa.String(length=100), nullable=False),
        sa.Column("relation", sa.String(length=20), nullable=False),
        sa.Column("relation_class", sa.String(length=20), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("evidence_text", sa.Text(), nullable=False),
        sa.Column("benchmarks", sa.JSON(), nullable=False),
        sa.Column("source_url", sa.String(length=2000), nullable=True),
        sa.Column("source_count", sa.Integer(), nullable=False),
        sa.Column("claimed_on", sa.Date(), nullable=True),
        _utc("first_seen_at", nullable=False),
        _utc("updated_at", nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("open_weights", sa.Boolean(), nullable=True),
        sa.Column("alerted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_claims"),
        sa.UniqueConstraint("competitor_norm", "frontier_key", "relation_class", name="uq_claims_cluster"),
    )
    op.create_index("ix_claims_frontier", "claims", ["frontier_key", "claimed_on"])
    op.create_index("ix_claims_first_seen", "claims", ["first_seen_at"])

    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("source_kind", sa.String(length=32), nullable=True),
        _utc("seen_at", nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name="fk_evidence_claim_id_claims", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name="fk_evidence_item_id_items", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_evidence"),
        sa.UniqueConstraint("claim_id", "item_id", name="uq_evidence_claim_item"),
    )
    op.create_index("ix_evidence_claim_id", "evidence", ["claim_id"])

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=400), nullable=False),
        sa.Column("destination", sa.String(length=400), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _utc("next_attempt_at", nullable=False),
        sa.Column("lease_owner", sa.String(length=100), nullable=True),
        _utc("lease_until", nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("message_ref", sa.String(length=200), nullable=True),
        sa.Column("thread_ref", sa.String(length=200), nullable=True),
        _utc("created_at", nullable=False),
        _utc("sent_at", nullable=True),
        sa.Column("failure_reported", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name="fk_outbox_claim_id_claims", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.UniqueConstraint("idempotency_key", name="uq_outbox_idempotency_key"),
    )
    op.create_index("ix_outbox_due", "outbox", ["status", "next_attempt_at"])

    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("destination", sa.String(length=400), nullable=False),
        sa.Column("filters", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=True),
        _utc("created_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_subscriptions"),
        sa.UniqueConstraint("destination", name="uq_subscriptions_destination"),
    )


def downgrade() -> None:
    op.drop_table("subscriptions")
    op.drop_index("ix_outbox_due", table_name="outbox")
    op.drop_table("outbox")
    op.drop_index("ix_evidence_claim_id", table_name="evidence")
    op.drop_table("evidence")
    op.drop_index("ix_claims_first_seen", table_name="claims")
    op.drop_index("ix_claims_frontier", table_name="claims")
    op.drop_table("claims")
    op.drop_table("frontier_models")
    op.drop_index("ix_items_pending", table_name="items")
    op.drop_index("ix_items_first_seen", table_name="items")
    op.drop_index("ix_items_source_url", table_name="items")
    op.drop_table("items")
    op.drop_table("sources")
