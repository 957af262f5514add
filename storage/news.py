"""New items' claims, set-based: the items of a cycle that start new releases, in a few statements.

Most new items of a cycle name a release nothing else names: no claims row in the database
belongs to its model (`ModelIdentity.model`, any size), and no other item of the batch names it.
For such an item every claim starts a new cluster, there is nothing to merge, no Hub claim to
backdate, no earlier alert to thread under; what is left is rows to write. Those items are
written in bulk, in item order: one UPDATE per chunk marks every item detected (returning the
ids), one executemany INSERT ... ON CONFLICT DO NOTHING RETURNING creates the clusters, one
executemany INSERT adds their evidence, the planner plans each item's alerts as one message, and
one executemany INSERT queues them. Every other item goes through `record_claims_in`, one by one
in the same transaction and in its place in the order, so the merge rules stay in one place
(storage/clusters.py).

On PostgreSQL the batch first takes the advisory locks of all its releases (sorted, as
`lock_releases` does): a replica recording an item about one of them plans after this
transaction commits, so it threads under these alerts. A cluster another process created after
the check (the INSERT returns no row for it) makes the whole transaction fail with StoreError;
the caller then records the items one by one (bot/pipeline/detect.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select, text

from bot.domain import Claim, ClaimChange, Item, merge_same_item
from bot.errors import StoreError
from bot.identity import identify
from bot.ports import AlertPlanner
from storage.batch import RowIds, chunks, mark_detected_in
from storage.clusters import news_values, record_claims_in
from storage.outbox import enqueue_in
from storage.rows import stored_claim
from storage.tables import CLAIMS, EVIDENCE
from storage.upsert import insert_new

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

    Tx = AsyncConnection | AsyncSession

_CLAIMS = CLAIMS
_EVIDENCE = EVIDENCE
_CLUSTER = ("competitor_norm", "frontier_key", "relation_class")

Entry = tuple[Item, list[Claim]]


async def _known_releases(session: Tx, models: Sequence[str]) -> set[str]:
    """Which of these releases (models without size) have a claims row, of any size."""
    found: set[str] = set()
    norm = CLAIMS.c.competitor_norm
    for chunk in chunks(sorted(models), 100):
        conditions = [or_(norm == m, norm.startswith(m + "@", autoescape=True)) for m in chunk]
        for (name,) in await session.execute(select(norm).where(or_(*conditions)).distinct()):
            model = name.split("@", 1)[0]
            found.add(model)
    return found


async def _lock_all(session: Tx, dialect: str, models: Sequence[str]) -> None:
    """`lock_releases` for every release of the batch at once (PostgreSQL; sorted)."""
    if dialect != "postgresql":
        return
    for model in sorted(models):
        await session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:release))"), {"release": f"gapwatch:{model}"}
        )


async def _write_fresh(
    session: Tx,
    dialect: str,
    entries: Sequence[Entry],
    ids: dict[tuple[str, str], int],
    planner: AlertPlanner,
    now: datetime,
) -> None:
    """Clusters, evidence and alerts of items whose every claim starts a new release."""
    values = [news_values(claim, item, now) for item, claims in entries for claim in claims]
    stmt = insert_new(dialect, _CLAIMS, None, key=list(_CLUSTER)).returning(*_CLAIMS.c)
    created = {
        (r.competitor_norm, r.frontier_key, r.relation_class): r for r in await session.execute(stmt, values)
    }
    if len(created) < len(values):  # another process created one of them since the check
        raise StoreError("a claim cluster appeared while new items were recorded in bulk")
    evidence: list[dict[str, Any]] = []
    planned = []
    for item, claims in entries:
        item_id = ids.get((item.source_key, item.key))
        changes = []
        for claim in claims:
            row = created[claim.cluster_key]
            evidence.append(
                {
                    "claim_id": row.id,
                    "item_id": item_id,
                    "url": item.url or claim.source_url,
                    "text": claim.evidence,
                    "confidence": claim.confidence,
                    "source_kind": item.source_kind.value,
                    "seen_at": now,
                }
            )
            changes.append(ClaimChange(stored_claim(row), claim, True))
        roots: dict[int, dict[str, str]] = {change.stored.id: {} for change in changes}
        ref = f"i{item_id}" if item_id is not None else f"c{changes[0].stored.id}"
        planned.extend(planner.plan(item, changes, roots, item_ref=ref))
    await session.execute(_EVIDENCE.insert(), evidence)
    await enqueue_in(session, dialect, planned, claim_id=None, now=now)


async def record_news_in(
    session: Tx,
    dialect: str,
    entries: Sequence[tuple[Item, Sequence[Claim]]],
    planner: AlertPlanner,
    now: datetime,
    row_ids: RowIds | None = None,
) -> None:
    """Record the claims of new (non-baseline) items with their alerts; see the module docstring."""
    merged: list[Entry] = [
        (item if item.first_seen is not None else replace(item, first_seen=now), merge_same_item(claims))
        for item, claims in entries
    ]
    ids = await mark_detected_in(session, [item for item, _ in merged], now, row_ids)
    releases = [{identify(c.competitor).model for c in claims} for _, claims in merged]
    named = Counter(model for models in releases for model in models)
    await _lock_all(session, dialect, list(named))
    known = await _known_releases(session, list(named))
    fresh: list[Entry] = []
    for (item, claims), models in zip(merged, releases, strict=True):
        if claims and all(named[m] == 1 and m not in known for m in models):
            fresh.append((item, claims))
            continue
        if fresh:  # keep the item order (the order alerts go out in)
            await _write_fresh(session, dialect, fresh, ids, planner, now)
            fresh = []
        await record_claims_in(
            session,
            dialect,
            item,
            claims,
            planner,
            now,
            marked=True,
            item_id=ids.get((item.source_key, item.key)),
        )
    if fresh:
        await _write_fresh(session, dialect, fresh, ids, planner, now)
