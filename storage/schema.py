"""SQLAlchemy 2 ORM classes over the Core tables of storage/tables.py, for the code that wants
objects (claim clusters, chat commands, views); the columns, constraints and indexes are defined
there, once. A polling cycle's own statements use the tables and never load the ORM.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import DeclarativeBase, Mapped

from storage.tables import (
    CLAIMS,
    EVIDENCE,
    FRONTIER,
    ITEMS,
    OUTBOX,
    SOURCES,
    SUBSCRIPTIONS,
    UTCDateTime,
    metadata,
    utcnow,
)

__all__ = [
    "Base",
    "ClaimRow",
    "EvidenceRow",
    "FrontierRow",
    "ItemRow",
    "OutboxRow",
    "SourceRow",
    "SubscriptionRow",
    "UTCDateTime",
    "utcnow",
]


class Base(DeclarativeBase):
    metadata = metadata


class SourceRow(Base):
    """A configured source and its polling state."""

    __table__ = SOURCES

    id: Mapped[int]
    key: Mapped[str]
    kind: Mapped[str]
    target: Mapped[str]
    name: Mapped[str]
    lab: Mapped[str | None]
    added_by: Mapped[str | None]
    enabled: Mapped[bool]
    etag: Mapped[str | None]
    last_modified: Mapped[str | None]
    baseline_done: Mapped[bool]
    last_polled_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    next_poll_at: Mapped[datetime | None]
    consecutive_failures: Mapped[int]
    last_error: Mapped[str | None]
    failure_reported: Mapped[bool]
    failing_since: Mapped[datetime | None]
    paused: Mapped[bool]
    lease_owner: Mapped[str | None]
    lease_until: Mapped[datetime | None]


class ItemRow(Base):
    """Something a source published. `first_seen_at` is ours; `published_at` is the publisher's."""

    __table__ = ITEMS

    id: Mapped[int]
    source_id: Mapped[int]
    key: Mapped[str]
    url: Mapped[str | None]
    title: Mapped[str]
    text: Mapped[str]
    model_id: Mapped[str | None]
    lab: Mapped[str | None]
    content_hash: Mapped[str]
    published_at: Mapped[datetime | None]
    first_seen_at: Mapped[datetime]
    baseline: Mapped[bool]
    detected_at: Mapped[datetime | None]
    detail_pending: Mapped[bool]


class FrontierRow(Base):
    """A frontier model added by config or `/track` (built-ins live in bot/data/frontier.csv)."""

    __table__ = FRONTIER

    key: Mapped[str]
    name: Mapped[str]
    lab: Mapped[str]
    released: Mapped[date]
    aliases: Mapped[list[Any]]
    open_weights: Mapped[bool]
    tracked: Mapped[bool]
    added_by: Mapped[str | None]
    added_at: Mapped[datetime]


class ClaimRow(Base):
    """One clustered claim: (competitor, frontier model, relation class) with many evidence rows."""

    __table__ = CLAIMS

    id: Mapped[int]
    competitor: Mapped[str]
    competitor_norm: Mapped[str]
    lab: Mapped[str | None]
    frontier_key: Mapped[str]
    relation: Mapped[str]
    relation_class: Mapped[str]
    confidence: Mapped[float]
    evidence_text: Mapped[str]
    benchmarks: Mapped[list[Any]]
    source_url: Mapped[str | None]
    source_count: Mapped[int]
    claimed_on: Mapped[date | None]
    first_seen_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    origin: Mapped[str]
    open_weights: Mapped[bool | None]
    alerted: Mapped[bool]


class EvidenceRow(Base):
    __table__ = EVIDENCE

    id: Mapped[int]
    claim_id: Mapped[int]
    item_id: Mapped[int | None]
    url: Mapped[str | None]
    text: Mapped[str]
    confidence: Mapped[float]
    source_kind: Mapped[str | None]
    seen_at: Mapped[datetime]


class OutboxRow(Base):
    """An alert waiting for delivery. Written in the same transaction as its claim."""

    __table__ = OUTBOX

    id: Mapped[int]
    idempotency_key: Mapped[str]
    destination: Mapped[str]
    kind: Mapped[str]
    claim_id: Mapped[int | None]
    payload: Mapped[dict[str, Any]]
    status: Mapped[str]
    attempts: Mapped[int]
    next_attempt_at: Mapped[datetime]
    lease_owner: Mapped[str | None]
    lease_until: Mapped[datetime | None]
    last_error: Mapped[str | None]
    message_ref: Mapped[str | None]
    thread_ref: Mapped[str | None]
    group_key: Mapped[str | None]
    parent_group: Mapped[str | None]
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    failure_reported: Mapped[bool]


class SubscriptionRow(Base):
    """A route added from chat with /subscribe (config [[routes]] are not stored)."""

    __table__ = SUBSCRIPTIONS

    id: Mapped[int]
    destination: Mapped[str]
    filters: Mapped[dict[str, Any]]
    created_by: Mapped[str | None]
    created_at: Mapped[datetime]
