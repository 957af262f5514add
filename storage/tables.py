"""The tables as SQLAlchemy Core `Table`s: sources, items, frontier models, claims, evidence,
outbox, subscriptions.

This module imports SQLAlchemy Core only. The statements of a polling cycle (source state, item
inserts, the outbox lease) are built on these tables and run on a connection, so a cycle that
records no claim never loads the ORM (about 0.15 CPU-s per process: the ORM's modules and the
mapping of seven classes). storage/schema.py maps its ORM classes onto these same tables for the
code that wants objects (claim clusters, chat commands, views).

Every timestamp is stored as timezone-aware UTC (`UTCDateTime` normalises SQLite, which drops
the zone). JSON columns use the generic `JSON` type, which works on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
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

    def bind_processor(self, dialect: Dialect) -> Any:
        """On SQLite, `process_bind_param` and the dialect's DATETIME formatting in one step:
        the same text (its storage format, microseconds always written) in half the time
        of two processors and a dict per value (a first poll binds three per item)."""
        if dialect.name != "sqlite" or getattr(self.impl_instance, "_storage_format", None) != _SQLITE_FORMAT:
            return super().bind_processor(dialect)

        def process(value: datetime | None) -> str | None:
            if value is None:
                return None
            if value.tzinfo is not UTC:
                if value.tzinfo is None:
                    raise ValueError("naive datetime given to a UTC column")
                value = value.astimezone(UTC)
            return _SQLITE_TEXT % (
                value.year,
                value.month,
                value.day,
                value.hour,
                value.minute,
                value.second,
                value.microsecond,
            )

        return process


# SQLAlchemy's default DATETIME storage format on SQLite, and the same with positional fields
_SQLITE_FORMAT = "%(year)04d-%(month)02d-%(day)02d %(hour)02d:%(minute)02d:%(second)02d.%(microsecond)06d"
_SQLITE_TEXT = "%04d-%02d-%02d %02d:%02d:%02d.%06d"


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)


def _when(name: str, *, nullable: bool = True) -> Column[datetime]:
    return Column(name, UTCDateTime(), nullable=nullable)


# A configured source and its polling state.
SOURCES = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(1000), unique=True, nullable=False),  # SourceSpec.key
    Column("kind", String(32), nullable=False),
    Column("target", String(1000), nullable=False),
    Column("name", String(300), nullable=False),
    Column("lab", String(200)),
    Column("added_by", String(200)),  # None = config; else a chat user
    Column("enabled", Boolean, default=True, nullable=False),
    Column("etag", String(1000)),
    Column("last_modified", String(200)),
    Column("baseline_done", Boolean, default=False, nullable=False),
    _when("last_polled_at"),
    _when("last_success_at"),
    _when("next_poll_at"),
    Column("consecutive_failures", Integer, default=0, nullable=False),
    Column("last_error", Text),
    Column("failure_reported", Boolean, default=False, nullable=False),
    _when("failing_since"),  # the first failed poll of the current episode
    Column("paused", Boolean, default=False, server_default=false(), nullable=False),
    Column("lease_owner", String(100)),
    _when("lease_until"),
)

# Something a source published. `first_seen_at` is ours; `published_at` is the publisher's.
ITEMS = Table(
    "items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
    Column("key", String(1000), nullable=False),
    Column("url", String(2000)),
    Column("title", Text, default="", nullable=False),
    Column("text", Text, default="", nullable=False),
    Column("model_id", String(300)),
    Column("lab", String(200)),
    Column("content_hash", String(64), nullable=False),
    _when("published_at"),
    _when("first_seen_at", nullable=False),
    Column("baseline", Boolean, default=False, nullable=False),  # seen on a source's first poll
    # Set in the same transaction that records the item's claims and alerts; an item stored by a
    # cycle that crashed before detection is picked up again by the next cycle.
    _when("detected_at"),
    # The item was stored before its detail (a model card) could be fetched; the source fetches
    # it on a later poll, within its request budget, and detection runs again.
    Column("detail_pending", Boolean, default=False, server_default=false(), nullable=False),
    UniqueConstraint("source_id", "key", name="uq_items_source_key"),
    Index("ix_items_source_url", "source_id", "url"),
    Index("ix_items_first_seen", "first_seen_at"),
    Index("ix_items_pending", "detected_at"),
    Index("ix_items_detail_pending", "source_id", "detail_pending"),
)

# A frontier model added by config or `/track` (built-ins live in bot/data/frontier.csv).
FRONTIER = Table(
    "frontier_models",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("lab", String(200), nullable=False),
    Column("released", Date, nullable=False),
    Column("aliases", JSON, default=list, nullable=False),
    Column("open_weights", Boolean, default=False, nullable=False),
    Column("tracked", Boolean, default=True, nullable=False),
    Column("added_by", String(200)),
    _when("added_at", nullable=False),
)

# One clustered claim: (competitor, frontier model, relation class) with many evidence rows.
CLAIMS = Table(
    "claims",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("competitor", String(300), nullable=False),
    Column("competitor_norm", String(300), nullable=False),
    Column("lab", String(200)),
    Column("frontier_key", String(100), nullable=False),
    Column("relation", String(20), nullable=False),
    Column("relation_class", String(20), nullable=False),
    Column("confidence", Float, nullable=False),
    Column("evidence_text", Text, nullable=False),
    Column("benchmarks", JSON, default=list, nullable=False),  # [[name, competitor, frontier]]
    Column("source_url", String(2000)),
    Column("source_count", Integer, default=1, nullable=False),
    Column("claimed_on", Date),  # publisher's date of the first source
    _when("first_seen_at", nullable=False),
    _when("updated_at", nullable=False),
    Column("origin", String(20), default="detected", nullable=False),  # detected | seed
    Column("open_weights", Boolean),
    Column("alerted", Boolean, default=False, nullable=False),  # False for baseline/seed history
    UniqueConstraint("competitor_norm", "frontier_key", "relation_class", name="uq_claims_cluster"),
    Index("ix_claims_frontier", "frontier_key", "claimed_on"),
    Index("ix_claims_first_seen", "first_seen_at"),
)

EVIDENCE = Table(
    "evidence",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), index=True, nullable=False),
    Column("item_id", Integer, ForeignKey("items.id", ondelete="SET NULL")),
    Column("url", String(2000)),
    Column("text", Text, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("source_kind", String(32)),
    _when("seen_at", nullable=False),
    UniqueConstraint("claim_id", "item_id", name="uq_evidence_claim_item"),
)

# An alert waiting for delivery. Written in the same transaction as its claim.
OUTBOX = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("idempotency_key", String(400), unique=True, nullable=False),
    Column("destination", String(400), nullable=False),
    Column("kind", String(20), nullable=False),  # AlertKind
    Column("claim_id", Integer, ForeignKey("claims.id", ondelete="SET NULL")),
    Column("payload", JSON, default=dict, nullable=False),
    Column("status", String(20), default="pending", nullable=False),  # pending | sent | failed
    Column("attempts", Integer, default=0, nullable=False),
    _when("next_attempt_at", nullable=False),
    Column("lease_owner", String(100)),
    _when("lease_until"),
    Column("last_error", Text),
    Column("message_ref", String(200)),  # platform message id once sent
    Column("thread_ref", String(200)),  # reply in this thread (updates)
    # Rows with one group_key are ONE message (an item's claims for a destination, a digest);
    # an UPDATE's parent_group is the group of the NEW message whose thread it replies in.
    Column("group_key", String(400)),
    Column("parent_group", String(400)),
    _when("created_at", nullable=False),
    _when("sent_at"),
    Column("failure_reported", Boolean, default=False, nullable=False),
    Index("ix_outbox_due", "status", "next_attempt_at"),
    Index("ix_outbox_group", "group_key"),
    Index("ix_outbox_claim", "claim_id"),
)

# A route added from chat with /subscribe (config [[routes]] are not stored).
SUBSCRIPTIONS = Table(
    "subscriptions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("destination", String(400), nullable=False),
    Column("filters", JSON, default=dict, nullable=False),
    Column("created_by", String(200)),
    _when("created_at", nullable=False),
    UniqueConstraint("destination", name="uq_subscriptions_destination"),
)


def utcnow() -> datetime:
    return datetime.now(UTC)
