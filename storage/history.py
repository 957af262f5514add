"""History from first polls, set-based: the claims of many baseline items in a few statements.

A first poll of many sources stores thousands of items, and most of their claims start a new
cluster. Those are written in bulk: one UPDATE per chunk marks the items detected (returning
their ids), one SELECT finds which clusters exist, one executemany INSERT ... ON CONFLICT DO
NOTHING creates the new clusters and one executemany INSERT adds their evidence. Everything
else (a cluster that exists already, one named by two items of the batch, one a replica created
in between) goes through `record_claims_in`, claim by claim, in the same transaction, so the
merge rules stay in one place (storage/clusters.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import Claim, Item, merge_same_item
from storage.batch import chunks, mark_detected_in
from storage.clusters import claim_values, record_claims_in
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


async def record_history_in(
    session: AsyncSession,
    dialect: str,
    entries: Sequence[tuple[Item, Sequence[Claim]]],
    now: datetime,
) -> None:
    """Record the claims of baseline items as history (no alerts); see the module docstring."""
    merged = [(item, merge_same_item(claims)) for item, claims in entries]
    ids = await mark_detected_in(session, [item for item, _ in merged], now)
    counts = Counter(claim.cluster_key for _, claims in merged for claim in claims)
    existing = await _existing_clusters(session, list(counts))
    fresh: list[tuple[Item, Claim]] = []
    rest: list[tuple[Item, list[Claim]]] = []
    for item, claims in merged:
        alone = [c for c in claims if counts[c.cluster_key] == 1 and c.cluster_key not in existing]
        fresh.extend((item, c) for c in alone)
        others = [c for c in claims if c not in alone]
        if others:
            rest.append((item, others))
    created: dict[ClusterKey, int] = {}
    if fresh:
        cluster = ["competitor_norm", "frontier_key", "relation_class"]
        stmt = insert_new(dialect, _CLAIMS, None, key=cluster).returning(_CLAIMS.c.id, *_CLUSTER)
        rows = await session.execute(stmt, [claim_values(c, item, False, now) for item, c in fresh])
        created = {(r[1], r[2], r[3]): r[0] for r in rows}
    evidence: list[dict[str, Any]] = []
    for item, claim in fresh:
        claim_id = created.get(claim.cluster_key)
        if claim_id is None:  # another replica created the cluster meanwhile: merge one by one
            rest.append((item, [claim]))
            continue
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
    for item, claims in rest:
        await record_claims_in(session, dialect, item, claims, None, now)
