"""History from first polls, set-based: the claims of many baseline items in a few statements.

A first poll of many sources stores thousands of items, and most of their claims start a new
cluster. Those are written in bulk: one UPDATE per chunk marks the items detected (returning
their ids), one SELECT finds which clusters exist, one executemany INSERT ... ON CONFLICT DO
NOTHING creates the new clusters and one executemany INSERT adds their evidence; a publisher's
date backdates the Hub-only claims of a model only where the model had claims before (one SELECT
finds them). A model that several items of the batch name (five feeds' histories of one release)
is written in bulk too when all its clusters are new and no Hub item names it: each cluster's
claims are merged in memory in batch order, by `record_claims_in`'s rules (`_fold`), then
inserted with the others. Everything else (a cluster that exists already, a model the Hub names
in the batch, a cluster a replica created in between) goes through `record_claims_in`, claim by
claim, in the same transaction (storage/clusters.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, tuple_

from bot.domain import (
    Claim,
    Item,
    SourceKind,
    better_evidence,
    earliest,
    merge_confidence,
    merge_same_item,
    public_date,
)
from storage.batch import RowIds, chunks, mark_detected_in
from storage.clusters import (
    backdate_hub_claims,
    history_values,
    item_lab,
    publisher_day,
    record_claims_in,
)
from storage.rows import benchmarks_json
from storage.tables import CLAIMS, EVIDENCE
from storage.upsert import insert_new

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

    Tx = AsyncConnection | AsyncSession

ClusterKey = tuple[str, str, str]
_CLAIMS = CLAIMS
_EVIDENCE = EVIDENCE
_CLUSTER = (_CLAIMS.c.competitor_norm, _CLAIMS.c.frontier_key, _CLAIMS.c.relation_class)


async def _existing_clusters(session: Tx, keys: Sequence[ClusterKey]) -> set[ClusterKey]:
    found: set[ClusterKey] = set()
    for chunk in chunks(list(keys), 250):
        rows = await session.execute(select(*_CLUSTER).where(tuple_(*_CLUSTER).in_(chunk)))
        found.update((r[0], r[1], r[2]) for r in rows)
    return found


async def _with_other_claims(session: Tx, norms: Sequence[str]) -> set[str]:
    """Which of these models have more than one claims row (another besides the batch's own)."""
    found: set[str] = set()
    for chunk in chunks(list(norms), 500):
        stmt = (
            select(CLAIMS.c.competitor_norm)
            .where(CLAIMS.c.competitor_norm.in_(chunk))
            .group_by(CLAIMS.c.competitor_norm)
            .having(func.count() > 1)
        )
        found.update(await session.scalars(stmt))
    return found


async def record_history_in(
    session: Tx,
    dialect: str,
    entries: Sequence[tuple[Item, Sequence[Claim]]],
    now: datetime,
    row_ids: RowIds | None = None,
) -> None:
    """Record the claims of baseline items as history (no alerts); see the module docstring."""
    merged = [
        (item if item.first_seen is not None else replace(item, first_seen=now), merge_same_item(claims))
        for item, claims in entries
    ]
    ids = await mark_detected_in(session, [item for item, _ in merged], now, row_ids)
    clusters = Counter(claim.cluster_key for _, claims in merged for claim in claims)
    models = Counter(claim.cluster_key[0] for _, claims in merged for claim in claims)
    existing = await _existing_clusters(session, list(clusters))
    hub_models = {c.cluster_key[0] for item, claims in merged for c in claims if _hub(item)}
    # models whose every cluster is new and that no Hub item names: merged in memory (_fold)
    new_only = set(models) - hub_models - {key[0] for key in existing}
    fresh: list[tuple[Item, Claim]] = []
    grouped: dict[ClusterKey, list[tuple[Item, Claim]]] = {}
    rest: list[tuple[Item, list[Claim]]] = []
    for item, claims in merged:
        # alone: its cluster is new, and no other claim of the batch names its model
        alone = [c for c in claims if models[c.cluster_key[0]] == 1 and c.cluster_key not in existing]
        fresh.extend((item, c) for c in alone)
        others = []
        for c in claims:
            if c in alone:
                continue
            if c.cluster_key[0] in new_only:
                grouped.setdefault(c.cluster_key, []).append((item, c))
            else:
                others.append(c)
        if others:
            rest.append((item, others))
    folded = [_fold(key, claims, ids, now) for key, claims in grouped.items()]
    values = [history_values(c, item, now) for item, c in fresh] + [f.values for f in folded]
    created: dict[ClusterKey, int] = {}
    if values:
        cluster = ["competitor_norm", "frontier_key", "relation_class"]
        stmt = insert_new(dialect, _CLAIMS, None, key=cluster).returning(_CLAIMS.c.id, *_CLUSTER)
        rows = await session.execute(stmt, values)
        created = {(r[1], r[2], r[3]): r[0] for r in rows}
    evidence: list[dict[str, Any]] = []
    inserted: list[tuple[Item, Claim]] = []
    for item, claim in fresh:
        claim_id = created.get(claim.cluster_key)
        if claim_id is None:  # another replica created the cluster meanwhile: merge one by one
            rest.append((item, [claim]))
            continue
        inserted.append((item, claim))
        evidence.append({"claim_id": claim_id, **_evidence(item, claim, ids, now)})
    for fold in folded:
        claim_id = created.get(fold.key)
        if claim_id is None:  # created meanwhile: these claims merge one by one
            rest.extend((item, [claim]) for item, claim in grouped[fold.key])
            continue
        inserted.extend(fold.merged)
        evidence.extend({"claim_id": claim_id, **e} for e in fold.evidence)
    if evidence:
        await session.execute(_EVIDENCE.insert(), evidence)
    # a model's earliest publisher's date is the one that counts (backdating keeps the minimum)
    dated: dict[str, tuple[date, Item]] = {}
    for item, claim in inserted:
        day, norm = publisher_day(item), claim.cluster_key[0]
        if day is not None and (norm not in dated or day < dated[norm][0]):
            dated[norm] = (day, item)
    older = await _with_other_claims(session, list(dated)) if dated else set()
    for norm, (_, item) in dated.items():
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


def _hub(item: Item) -> bool:
    return item.source_kind is SourceKind.HUGGINGFACE


def _evidence(item: Item, claim: Claim, ids: dict[tuple[str, str], int], now: datetime) -> dict[str, Any]:
    return {
        "item_id": ids.get((item.source_key, item.key)),
        "url": item.url or claim.source_url,
        "text": claim.evidence,
        "confidence": claim.confidence,
        "source_kind": item.source_kind.value,
        "seen_at": now,
    }


class _Fold:
    """A new cluster's row and evidence after all of its claims in the batch."""

    def __init__(self, key: ClusterKey) -> None:
        self.key = key
        self.values: dict[str, Any] = {}
        self.evidence: list[dict[str, Any]] = []
        self.merged: list[tuple[Item, Claim]] = []  # the claims that added evidence


def _fold(
    key: ClusterKey, claims: Sequence[tuple[Item, Claim]], ids: dict[tuple[str, str], int], now: datetime
) -> _Fold:
    """What `record_claims_in` (history: no planner) writes for these claims of one new cluster,
    one after the other: the first creates the row (`history_values`), a later one from an item
    (or a URL) that gave evidence already adds nothing (`_same_source`), any other is merged
    (`_merge`) and adds its evidence."""
    fold = _Fold(key)
    row = fold.values
    best = 0.0
    items: set[int] = set()
    urls: set[str] = set()
    for item, claim in claims:
        item_id = ids.get((item.source_key, item.key))
        if row:
            if (item_id is not None and item_id in items) or (item.url and item.url in urls):
                continue
            row["source_count"] += 1
            if better_evidence(best, len(row["benchmarks"] or []), claim.confidence, len(claim.benchmarks)):
                row["evidence_text"] = claim.evidence
                row["benchmarks"] = benchmarks_json(claim.benchmarks)
                row["relation"] = claim.relation.value
            row["confidence"] = merge_confidence(best, claim.confidence, row["source_count"])
            row["claimed_on"] = earliest(row["claimed_on"], public_date(item, history=True))
            row["lab"] = row["lab"] or claim.lab or item_lab(item)
            row["updated_at"] = now
            best = max(best, claim.confidence)
        else:
            row.update(history_values(claim, item, now))
            best = claim.confidence
        evidence = _evidence(item, claim, ids, now)
        if item_id is not None:
            items.add(item_id)
        if evidence["url"]:
            urls.add(evidence["url"])
        fold.evidence.append(evidence)
        fold.merged.append((item, claim))
    return fold
