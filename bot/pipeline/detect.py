"""Detect stage: run claim detection over items not yet processed, record claims and alerts.

Items are processed from storage (`pending_items`), not from memory, so items stored by a cycle
that crashed before this stage are picked up by the next cycle. Claims, evidence, outbox rows
and the item's `detected_at` mark are written in one transaction by `record_claims`.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from bot.domain import Claim, Item
from bot.errors import StoreError
from bot.pipeline.verify import verify_claims
from bot.ports import AlertPlanner, ClaimDetector, ClaimVerifier, Store

log = logging.getLogger("gapwatch.detect")


@dataclass(frozen=True, slots=True)
class DetectStats:
    items: int = 0
    claims: int = 0
    baseline_items: int = 0
    relations: Mapping[str, int] = field(default_factory=dict)  # new (non-baseline) claims by relation


def _detect_batch(detector: ClaimDetector, items: list[Item]) -> list[list[Claim]]:
    results: list[list[Claim]] = []
    for item in items:
        try:
            results.append(detector.detect(item))
        except Exception:  # a detector bug on one text must not block the queue forever
            log.exception("claim detection failed on item %s", item.key)
            results.append([])
    return results


async def _record_news(
    store: Store, news: list[tuple[Item, list[Claim]]], planner: AlertPlanner, now: Callable[[], datetime]
) -> None:
    """Claims + alerts + marks of new items: all in one transaction, else (the database refused
    something) one transaction per item, so an item the database refuses is skipped alone."""
    if not news:
        return
    try:
        await store.record_claims_many(news, planner, now=now())
        return
    except StoreError as exc:
        log.warning("recording %d items at once failed (%s); recording them one by one", len(news), exc)
    for item, item_claims in news:
        try:
            await store.record_claims(item, item_claims, planner, now=now())
        except StoreError as exc:  # an item the database refuses must not block the queue
            log.error("item %s: cannot record its claims, skipped: %s", item.key, exc)
            await store.mark_detected([item], now=now())


async def detect_pending(
    store: Store,
    detector: ClaimDetector,
    planner: AlertPlanner,
    now: Callable[[], datetime],
    *,
    batch: int = 1000,
    verifier: ClaimVerifier | None = None,
    verify_threshold: float = 0.7,
) -> DetectStats:
    """Detect claims on every pending item; baseline items record history without alerts.

    With a verifier, claims below `verify_threshold` that would alert get a second opinion first.
    """
    items = claims = baseline = 0
    relations: Counter[str] = Counter()
    while True:
        pending = await store.pending_items(limit=batch)
        if not pending:
            break
        found = await asyncio.to_thread(_detect_batch, detector, [item for item, _ in pending])
        results = list(zip(pending, found, strict=True))
        # The common cases in bulk: items that claim nothing, and history from first polls.
        await store.mark_detected(
            [item for (item, _), found_claims in results if not found_claims], now=now()
        )
        history = [(item, c) for (item, is_baseline), c in results if c and is_baseline]
        await store.record_history(history, now=now())
        news: list[tuple[Item, list[Claim]]] = []
        for (item, is_baseline), item_claims in results:
            if item_claims and not is_baseline:
                if verifier is not None:
                    item_claims = await verify_claims(
                        verifier, item_claims, item.text, threshold=verify_threshold
                    )
                news.append((item, item_claims))
            items += 1
            claims += len(item_claims)
            if not is_baseline:
                relations.update(claim.relation.value for claim in item_claims)
            baseline += is_baseline
        await _record_news(store, news, planner, now)
        if len(pending) < batch:
            break
    return DetectStats(items=items, claims=claims, baseline_items=baseline, relations=dict(relations))
