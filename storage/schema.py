"""SQLAlchemy 2 tables: sources, items, frontier models, claims, evidence, outbox, subscriptions.

Every timestamp is stored as timezone-aware UTC (`UTCDateTime` normalises SQLite, which drops
the zone). JSON columns use the generic `JSON` type, which works on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A DateTime that always comes back timezone-aware UTC, on every dialect."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class SourceRow(Base):
    """A configured source and its polling state."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(1000), unique=True)  # SourceSpec.key
    kind: Mapped[str] = mapped_column(String(32))
    target: Mapped[str] = mapped_column(String(1000))
    name: Mapped[str] = mapped_column(String(300))
    lab: Mapped[str | None] = mapped_column(String(200))
    added_by: Mapped[str | None] = mapped_column(String(200))  # None = config; else a chat user
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    etag: Mapped[str | None] = mapped_column(String(1000))
    last_modified: Mapped[str | None] = mapped_column(String(200))
    baseline_done: Mapped[bool] = mapped_column(Boolean, default=False)
    last_polled_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    next_poll_at: Mapped[datetime | None]
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    failure_reported: Mapped[bool] = mapped_column(Boolean, default=False)
    failing_since: Mapped[datetime | None]  # the first failed poll of the current episode
    paused: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    lease_owner: Mapped[str | None] = mapped_column(String(100))
    lease_until: Mapped[datetime | None]


class ItemRow(Base):
    """Something a source published. `first_seen_at` is ours; `published_at` is the publisher's."""

    __tablename__ = "items"
    __table_args__ = (
        UniqueConstraint("source_id", "key", name="uq_items_source_key"),
        Index("ix_items_source_url", "source_id", "url"),
        Index("ix_items_first_seen", "first_seen_at"),
        Index("ix_items_pending", "detected_at"),
        Index("ix_items_detail_pending", "source_id", "detail_pending"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(1000))
    url: Mapped[str | None] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    model_id: Mapped[str | None] = mapped_column(String(300))
    lab: Mapped[str | None] = mapped_column(String(200))
    content_hash: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime | None]
    first_seen_at: Mapped[datetime]
    baseline: Mapped[bool] = mapped_column(Boolean, default=False)  # seen on a source's first poll
    # Set in the same transaction that records the item's claims and alerts; an item stored by a
    # cycle that crashed before detection is picked up again by the next cycle.
    detected_at: Mapped[datetime | None]
    # The item was stored before its detail (a model card) could be fetched; the source fetches
    # it on a later poll, within its request budget, and detection runs again.
    detail_pending: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class FrontierRow(Base):
    """A frontier model added by config or `/track` (built-ins live in bot/data/frontier.csv)."""

    __tablename__ = "frontier_models"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    lab: Mapped[str] = mapped_column(String(200))
    released: Mapped[date] = mapped_column(Date)
    aliases: Mapped[list[Any]] = mapped_column(JSON, default=list)
    open_weights: Mapped[bool] = mapped_column(Boolean, default=False)
    tracked: Mapped[bool] = mapped_column(Boolean, default=True)
    added_by: Mapped[str | None] = mapped_column(String(200))
    added_at: Mapped[datetime]


class ClaimRow(Base):
    """One clustered claim: (competitor, frontier model, relation class) with many evidence rows."""

    __tablename__ = "claims"
    __table_args__ = (
        UniqueConstraint("competitor_norm", "frontier_key", "relation_class", name="uq_claims_cluster"),
        Index("ix_claims_frontier", "frontier_key", "claimed_on"),
        Index("ix_claims_first_seen", "first_seen_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    competitor: Mapped[str] = mapped_column(String(300))
    competitor_norm: Mapped[str] = mapped_column(String(300))
    lab: Mapped[str | None] = mapped_column(String(200))
    frontier_key: Mapped[str] = mapped_column(String(100))
    relation: Mapped[str] = mapped_column(String(20))
    relation_class: Mapped[str] = mapped_column(String(20))
    confidence: Mapped[float] = mapped_column(Float)
    evidence_text: Mapped[str] = mapped_column(Text)
    benchmarks: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [[name, competitor, frontier]]
    source_url: Mapped[str | None] = mapped_column(String(2000))
    source_count: Mapped[int] = mapped_column(Integer, default=1)
    claimed_on: Mapped[date | None] = mapped_column(Date)  # publisher's date of the first source
    first_seen_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    origin: Mapped[str] = mapped_column(String(20), default="detected")  # detected | seed
    open_weights: Mapped[bool | None] = mapped_column(Boolean)
    alerted: Mapped[bool] = mapped_column(Boolean, default=False)  # False for baseline/seed history


class EvidenceRow(Base):
    __tablename__ = "evidence"
    __table_args__ = (UniqueConstraint("claim_id", "item_id", name="uq_evidence_claim_item"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id", ondelete="SET NULL"))
    url: Mapped[str | None] = mapped_column(String(2000))
    text: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float)
    source_kind: Mapped[str | None] = mapped_column(String(32))
    seen_at: Mapped[datetime]


class OutboxRow(Base):
    """An alert waiting for delivery. Written in the same transaction as its claim."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_group", "group_key"),
        Index("ix_outbox_claim", "claim_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(400), unique=True)
    destination: Mapped[str] = mapped_column(String(400))
    kind: Mapped[str] = mapped_column(String(20))  # AlertKind
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id", ondelete="SET NULL"))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    lease_owner: Mapped[str | None] = mapped_column(String(100))
    lease_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    message_ref: Mapped[str | None] = mapped_column(String(200))  # platform message id once sent
    thread_ref: Mapped[str | None] = mapped_column(String(200))  # reply in this thread (updates)
    # Rows with one group_key are ONE message (an item's claims for a destination, a digest);
    # an UPDATE's parent_group is the group of the NEW message whose thread it replies in.
    group_key: Mapped[str | None] = mapped_column(String(400))
    parent_group: Mapped[str | None] = mapped_column(String(400))
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    failure_reported: Mapped[bool] = mapped_column(Boolean, default=False)


class SubscriptionRow(Base):
    """A route added from chat with /subscribe (config [[routes]] are not stored)."""

    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint("destination", name="uq_subscriptions_destination"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    destination: Mapped[str] = mapped_column(String(400))
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)
