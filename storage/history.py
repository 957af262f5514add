"""History from first polls, set-based: the claims of many baseline items in a few statements.

A first poll of many sources stores thousands of items, and most of their claims start a new
cluster. Those are written in bulk: one UPDATE per chunk marks the items detected (returning
their ids), one SELECT finds which clusters exist, one executemany INSERT ... ON CONFLICT DO
NOTHING creates the new clusters and one executemany INSERT adds their evidence; a publisher's
date backdates the Hub-only claims of a model only where the model had claims before (one SELECT
finds them). Everything else (a cluster that exists already, a model named by two claims of the
batch, a cluster a replica created in between) goes through `record_claims_in`, claim by claim,
in the same transaction, so the merge rules stay in one place (storage/clusters.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import Claim, Item, merge_same_item
from storage.batch import chunks, mark_detected_in
from storage.clusters import backdate_hub_claims, history_values, publisher_day, record_claims_in
from storage.schema import ClaimRow, EvidenceRow
from storage.upsert import insert_new

ClusterKey = tuple[str, str, str]
_CLAIMS = cast(Table, ClaimRow.__table__)
_EVIDENCE = cast(Table, EvidenceRow.__table__)
_CLUSTER = (_CLAIMS.c.competitor_norm, _CLAIMS.c.frontier_key, _CLAIMS.c.relation_class)


async def _existing_clusters(session: AsyncSession, keys: Sequence[ClusterKey]) -> set[ClusterKey]:
    found: set[ClusterKey] = set()
    for chunk in chunks(list(keys), 250):
        rows = await session.execute(select(*_CLUSTER).where(tuple_(*_CLUSTER).in_(chunk)))
        found.update((r[0], r[1], r[2]) for r in rows)
    return found


async def _with_other_claims(session: AsyncSession, norms: Sequence[str]) -> set[str]:
    """Which of these models have more than one claims row (another besides the batch's own)."""
    found: set[str] = set()
    for chunk in chunks(list(norms), 500):
        stmt = (
            select(ClaimRow.competitor_norm)
            .where(ClaimRow.competitor_norm.in_(chunk))
            .group_by(ClaimRow.competitor_norm)
            .having(func.count() > 1)
        )
        found.update(await session.scalars(stmt))
    return found


async def record_history_in(
    session: AsyncSession,
    dialect: str,
    entries: Sequence[tuple[Item, Sequence[Claim]]],
    now: datetime,
) -> None:
    """Record the claims of baseline items as history (no alerts); see the module docstring."""
    merged = [
        (item if item.first_seen is not None else replace(item, first_seen=now), merge_same_item(claims))
        for item, claims in entries
    ]
    ids = await mark_detected_in(session, [item for item, _ in merged], now)
    clusters = Counter(claim.cluster_key for _, claims in merged for claim in claims)
    models = Counter(claim.cluster_key[0] for _, claims in merged for claim in claims)
    existing = await _existing_clusters(session, list(clusters))
    fresh: list[tuple[Item, Claim]] = []
    rest: list[tuple[Item, list[Claim]]] = []
    for item, claims in merged:
        # alone: its cluster is new, and no other claim of the batch names its model
        alone = [c for c in claims if models[c.cluster_key[0]] == 1 and c.cluster_key not in existing]
        fresh.extend((item, c) for c in alone)
        others = [c for c in claims if c not in alone]
        if others:
            rest.append((item, others))
    created: dict[ClusterKey, int] = {}
    if fresh:
        cluster = ["competitor_norm", "frontier_key", "relation_class"]
        stmt = insert_new(dialect, _CLAIMS, None, key=cluster).returning(_CLAIMS.c.id, *_CLUSTER)
        rows = await session.execute(stmt, [history_values(c, item, now) for item, c in fresh])
        created = {(r[1], r[2], r[3]): r[0] for r in rows}
    evidence: list[dict[str, Any]] = []
    inserted: list[tuple[Item, Claim]] = []
    for item, claim in fresh:
        claim_id = created.get(claim.cluster_key)
        if claim_id is None:  # another replica created the cluster meanwhile: merge one by one
            rest.append((item, [claim]))
            continue
        inserted.append((item, claim))
        evidence.append(
            {
                "claim_id": claim_id,
                "item_id": ids.get((item.source_key, item.key)),
                "url": item.url or claim.source_url,
                "text": claim.evidence,
                "confidence": claim.confidence,
                "source_kind": item.source_kind.value,
                "seen_at": now,
            }
        )
    if evidence:
        await session.execute(_EVIDENCE.insert(), evidence)
    dated = [(item, claim.cluster_key[0]) for item, claim in inserted if publisher_day(item) is not None]
    older = await _with_other_claims(session, [norm for _, norm in dated]) if dated else set()
    for item, norm in dated:
        if norm in older:
            await backdate_hub_claims(session, item, norm)
    for item, claims in rest:
        await record_claims_in(
            session,
            dialect,
            item,
            claims,
            None,
            now,
            marked=True,
            item_id=ids.get((item.source_key, item.key)),
        )
