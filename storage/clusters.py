"""Recording claims: cluster, evidence and planned alerts in the caller's transaction.

`record_claims_in` is the heart of the delivery guarantee: `Repository.record_claims` runs it in
one transaction, so a claim, its evidence, its outbox rows and the item's `detected_at` mark are
written together or not at all. Clusters are found by (normalised competitor, frontier key,
relation class) with INSERT ... ON CONFLICT DO NOTHING then SELECT ... FOR UPDATE, so replicas
on PostgreSQL racing on one new claim end with one row, merged in turn.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import (
    AlertKind,
    Claim,
    Item,
    StoredClaim,
    better_evidence,
    earliest,
    merge_confidence,
    merge_same_item,
)
from bot.ports import AlertPlanner
from storage.outbox import enqueue_in
from storage.rows import benchmarks_json, stored_claim
from storage.schema import ClaimRow, EvidenceRow, ItemRow, OutboxRow, SourceRow
from storage.upsert import insert_new


async def mark_detected(session: AsyncSession, item: Item, now: datetime) -> int | None:
    """Set the item's `detected_at`; return its row id (None if it was never stored).

    This is the transaction's first statement and a write, so on SQLite the transaction holds
    the write lock from the start and cannot fail later on upgrading a read lock.
    """
    source_id = select(SourceRow.id).where(SourceRow.key == item.source_key).scalar_subquery()
    stmt = (
        update(ItemRow)
        .where(ItemRow.source_id == source_id, ItemRow.key == item.key)
        .values(detected_at=now)
        .returning(ItemRow.id)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def _find_or_create(
    session: AsyncSession, dialect: str, claim: Claim, item: Item | None, alerted: bool, now: datetime
) -> tuple[ClaimRow, bool]:
    norm, frontier_key, relation_class = claim.cluster_key
    published = item.published.date() if item is not None and item.published is not None else None
    values = {
        "competitor": claim.competitor,
        "competitor_norm": norm,
        "lab": claim.lab or (item.lab if item else None),
        "frontier_key": frontier_key,
        "relation": claim.relation.value,
        "relation_class": relation_class,
        "confidence": claim.confidence,
        "evidence_text": claim.evidence,
        "benchmarks": benchmarks_json(claim.benchmarks),
        "source_url": claim.source_url or (item.url if item else None),
        "source_count": 1,
        "claimed_on": published or claim.published,
        "first_seen_at": now,
        "updated_at": now,
        "origin": "seed" if claim.origin == "seed" else "detected",
        "alerted": alerted,
    }
    cluster = ["competitor_norm", "frontier_key", "relation_class"]
    stmt = insert_new(dialect, ClaimRow, values, key=cluster).returning(ClaimRow.id)
    new_id = (await session.execute(stmt)).scalar_one_or_none()
    query = select(ClaimRow).where(
        ClaimRow.competitor_norm == norm,
        ClaimRow.frontier_key == frontier_key,
        ClaimRow.relation_class == relation_class,
    )
    row = (
        await session.execute(query.with_for_update().execution_options(populate_existing=True))
    ).scalar_one()
    return row, new_id is not None


async def _merge(
    session: AsyncSession, row: ClaimRow, claim: Claim, item: Item | None, now: datetime
) -> None:
    best = await session.scalar(
        select(func.max(EvidenceRow.confidence)).where(EvidenceRow.claim_id == row.id)
    )
    row.source_count += 1
    old_best = row.confidence if best is None else float(best)
    if better_evidence(old_best, len(row.benchmarks or []), claim.confidence, len(claim.benchmarks)):
        row.evidence_text = claim.evidence
        row.benchmarks = benchmarks_json(claim.benchmarks)
        row.relation = claim.relation.value
    row.confidence = merge_confidence(old_best, claim.confidence, row.source_count)
    published = item.published.date() if item is not None and item.published is not None else claim.published
    row.claimed_on = earliest(row.claimed_on, published)
    row.lab = row.lab or claim.lab or (item.lab if item else None)
    row.updated_at = now


async def _alerted(session: AsyncSession, claim_id: int) -> list[str]:
    stmt = (
        select(OutboxRow.destination)
        .where(OutboxRow.claim_id == claim_id, OutboxRow.kind == AlertKind.NEW.value)
        .distinct()
        .order_by(OutboxRow.destination)
    )
    return list((await session.scalars(stmt)).all())


async def record_claims_in(
    session: AsyncSession,
    dialect: str,
    item: Item | None,
    claims: Sequence[Claim],
    planner: AlertPlanner | None,
    now: datetime,
) -> list[StoredClaim]:
    """Cluster `claims` from `item`, add evidence, plan alerts; see the module docstring."""
    item_id = await mark_detected(session, item, now) if item is not None else None
    stored: list[StoredClaim] = []
    for claim in merge_same_item(claims):
        row, is_new = await _find_or_create(session, dialect, claim, item, planner is not None, now)
        if not is_new:
            url = item.url if item is not None else None
            same_source = [EvidenceRow.item_id == item_id] if item_id is not None else []
            if url:
                same_source.append(EvidenceRow.url == url)
            if same_source:
                gave = await session.scalar(
                    select(EvidenceRow.id).where(EvidenceRow.claim_id == row.id, or_(*same_source)).limit(1)
                )
                # a retry of this item, or the same page again (edited, or re-published under a
                # new id): nothing new to say, no new source, no alert
                if gave is not None:
                    stored.append(stored_claim(row))
                    continue
            await _merge(session, row, claim, item, now)
        if planner is not None:
            row.alerted = True
        session.add(
            EvidenceRow(
                claim_id=row.id,
                item_id=item_id,
                url=(item.url if item else None) or claim.source_url,
                text=claim.evidence,
                confidence=claim.confidence,
                source_kind=item.source_kind.value if item else None,
                seen_at=now,
            )
        )
        await session.flush()
        result = stored_claim(row)
        stored.append(result)
        if planner is not None:
            alerted = await _alerted(session, row.id)
            planned = planner.plan(result, is_new_claim=is_new, item=item, alerted=alerted)
            await enqueue_in(session, dialect, planned, claim_id=row.id, now=now)
    return stored


async def backfill_in(
    session: AsyncSession, dialect: str, planner: AlertPlanner, *, since: datetime, now: datetime
) -> int:
    """Plan alerts for detected claims first seen since `since` that never alerted (baseline
    history), as if they were new. Returns how many outbox rows were written."""
    rows = (
        await session.scalars(
            select(ClaimRow)
            .where(
                ClaimRow.origin == "detected", ClaimRow.alerted.is_(False), ClaimRow.first_seen_at >= since
            )
            .order_by(ClaimRow.first_seen_at, ClaimRow.id)
            .with_for_update()
        )
    ).all()
    written = 0
    for row in rows:
        row.alerted = True
        planned = planner.plan(
            stored_claim(row), is_new_claim=True, item=None, alerted=await _alerted(session, row.id)
        )
        written += await enqueue_in(session, dialect, planned, claim_id=row.id, now=now)
    return written
