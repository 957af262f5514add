"""Alerts per release: outbox rows carry the message group they belong to and, for a thread
reply, the group of the first message; claims cluster by model identity.

- `outbox.group_key`: rows sharing it go out as ONE message (an item's claims for one
  destination, a digest). Existing rows: a digest row's period prefix, else its own key.
- `outbox.parent_group`: the NEW message an UPDATE replies to. Existing update rows replied to
  their claim's NEW row, whose key was ``{claim}:{destination}:new``.
- `claims.competitor_norm` is recomputed with `bot.identity` (MiniMax-01 and MiniMax-Text-01
  are one model now); a row whose new key collides with another cluster keeps its old key.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.identity import identity_key

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("group_key", sa.String(length=400), nullable=True))
        batch.add_column(sa.Column("parent_group", sa.String(length=400), nullable=True))
        batch.create_index("ix_outbox_group", ["group_key"])
        batch.create_index("ix_outbox_claim", ["claim_id"])  # a release's first alert, per item
    bind = op.get_bind()
    outbox = sa.table(
        "outbox",
        sa.column("id", sa.Integer),
        sa.column("idempotency_key", sa.String),
        sa.column("kind", sa.String),
        sa.column("claim_id", sa.Integer),
        sa.column("destination", sa.String),
        sa.column("group_key", sa.String),
        sa.column("parent_group", sa.String),
    )
    rows = bind.execute(
        sa.select(
            outbox.c.id, outbox.c.idempotency_key, outbox.c.kind, outbox.c.claim_id, outbox.c.destination
        )
    ).all()
    for row_id, key, kind, claim_id, destination in rows:
        group = key.rsplit(":", 1)[0] if kind == "digest" and key.startswith("digest:") else key
        parent = f"{claim_id}:{destination}:new" if kind == "update" and claim_id is not None else None
        bind.execute(
            sa.update(outbox).where(outbox.c.id == row_id).values(group_key=group, parent_group=parent)
        )
    claims = sa.table(
        "claims",
        sa.column("id", sa.Integer),
        sa.column("competitor", sa.String),
        sa.column("competitor_norm", sa.String),
        sa.column("frontier_key", sa.String),
        sa.column("relation_class", sa.String),
    )
    existing = bind.execute(
        sa.select(
            claims.c.id,
            claims.c.competitor,
            claims.c.competitor_norm,
            claims.c.frontier_key,
            claims.c.relation_class,
        )
    ).all()
    taken = {(norm, frontier, rel) for _, _, norm, frontier, rel in existing}
    for claim_id, competitor, norm, frontier, rel in existing:
        new = identity_key(competitor)[:300]
        if new == norm or (new, frontier, rel) in taken:
            continue
        taken.discard((norm, frontier, rel))
        taken.add((new, frontier, rel))
        bind.execute(sa.update(claims).where(claims.c.id == claim_id).values(competitor_norm=new))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_claim")
        batch.drop_index("ix_outbox_group")
        batch.drop_column("parent_group")
        batch.drop_column("group_key")
