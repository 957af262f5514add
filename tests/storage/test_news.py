"""record_claims_many (new items in bulk, storage/news.py) writes what recording the same items one
by one writes: claims, evidence, detected marks and outbox rows, in the same order."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from bot.domain import Item, PollResult, Relation, SourceKind, SourceSpec
from bot.errors import StoreError
from storage import news
from storage.clusters import record_claims_in
from storage.repo import Repository
from storage.schema import ClaimRow, EvidenceRow, ItemRow, OutboxRow
from tests.storage.test_clusters import TinyPlanner
from tests.storage.test_history import HUB, HUB_ITEM, claim  # the same Hub source and claim builder

T0 = datetime(2025, 2, 1, tzinfo=UTC)
FEED = SourceSpec(SourceKind.FEED, "http://127.0.0.1/news.xml", "Feed")


def item(n: int) -> Item:
    return Item(
        FEED.key, f"k{n}", f"t{n}", f"http://x/{n}", "text", published=datetime(2025, 1, n, tzinfo=UTC)
    )


# fresh releases (one with two frontier models, one with two sizes); a release named by two items
# of the batch (the second threads under the first); one known before (merge, thread reply); an
# item mixing a fresh release and a known one; a Hub-dated release a publisher now dates
BATCH = [
    (item(1), [claim("Alpha-1", "o1", 0.8), claim("Alpha-1", "gpt-4o", 0.7)]),
    (item(2), [claim("Beta-2", "o1", 0.6)]),
    (item(3), [claim("Beta 2", "o1", 0.7, Relation.EXCEEDS)]),
    (item(4), [claim("Old-9", "gpt-4o", 0.9)]),
    (item(5), [claim("Gamma-3", "o1", 0.5), claim("Old-9", "o1", 0.4)]),
    (item(6), [claim("Delta-4", "gpt-4o", 0.7)]),
    (item(7), [claim("Epsilon-5-7B", "o1", 0.6), claim("Epsilon-5-70B", "o1", 0.65)]),
    (item(8), [claim("Zeta-6", "o1", 0.75)]),
]


async def _prepare(db: Any) -> Repository:
    repo = Repository(db.sessions, dialect=db.dialect)
    await repo.record_poll(FEED, PollResult(items=tuple(i for i, _ in BATCH)), now=T0, next_poll_at=T0)
    await repo.record_poll(HUB, PollResult(items=(HUB_ITEM,)), now=T0, next_poll_at=T0)
    await _before(repo)
    return repo


async def _before(repo: Repository) -> None:
    await repo.record_claims(None, [claim("Old-9", "gpt-4o", 0.55)], TinyPlanner(), now=T0)
    await repo.record_claims(HUB_ITEM, [claim("Delta-4", "o1", 0.8)], TinyPlanner(), now=T0)


async def _tables(sessions: Any) -> list[Any]:
    async with sessions() as session:
        claims = await session.execute(
            select(
                ClaimRow.competitor_norm, ClaimRow.frontier_key, ClaimRow.relation, ClaimRow.confidence,
                ClaimRow.source_count, ClaimRow.claimed_on, ClaimRow.alerted, ClaimRow.lab,
                ClaimRow.evidence_text, ClaimRow.first_seen_at,
            ).order_by(ClaimRow.competitor_norm, ClaimRow.frontier_key)
        )  # fmt: skip
        evidence = await session.execute(
            select(ClaimRow.competitor_norm, ItemRow.key, EvidenceRow.url, EvidenceRow.confidence)
            .join(ClaimRow, ClaimRow.id == EvidenceRow.claim_id)
            .outerjoin(ItemRow, ItemRow.id == EvidenceRow.item_id)
            .order_by(ClaimRow.competitor_norm, ClaimRow.frontier_key, ItemRow.key)
        )
        outbox = await session.execute(
            select(
                OutboxRow.destination, OutboxRow.kind, OutboxRow.group_key, OutboxRow.parent_group,
                OutboxRow.payload, ClaimRow.competitor_norm, ClaimRow.frontier_key,
            ).join(ClaimRow, ClaimRow.id == OutboxRow.claim_id).order_by(OutboxRow.id)
        )  # fmt: skip
        detected = await session.scalars(select(ItemRow.key).where(ItemRow.detected_at.is_not(None)))
        return [
            [tuple(r) for r in claims],
            [tuple(r) for r in evidence],
            [tuple(r) for r in outbox],
            sorted(detected),
        ]


async def _reset(repo: Repository, db: Any) -> None:
    async with db.sessions() as session, session.begin():
        for table in (OutboxRow, EvidenceRow, ClaimRow):
            await session.execute(table.__table__.delete())
        await session.execute(ItemRow.__table__.update().values(detected_at=None))
    await _before(repo)


# read_pending: the items come from a read of pending items, as in the detect stage (their
# rows are marked by id), or not (marked by source and key)
@pytest.mark.parametrize("read_pending", [False, True], ids=["by-key", "by-row-id"])
async def test_new_items_in_bulk_equal_recording_them_one_by_one(db: Any, read_pending: bool) -> None:
    repo = await _prepare(db)
    if read_pending:
        assert len(await repo.pending_items(limit=1000)) >= len(BATCH)
    await repo.record_claims_many(BATCH, TinyPlanner(), now=T0)
    bulk = await _tables(db.sessions)

    await _reset(repo, db)
    async with db.sessions() as session, session.begin():
        for entry, claims in BATCH:
            await record_claims_in(session, db.dialect, entry, claims, TinyPlanner(), T0)
    one_by_one = await _tables(db.sessions)

    # ids differ (group keys name the claim rows); what they say and their order may not
    def without_ids(tables: list[Any]) -> list[Any]:
        claims, evidence, outbox, detected = tables
        return [claims, evidence, [(d, k, p is None, c, f) for d, k, _g, p, _pay, c, f in outbox], detected]

    assert without_ids(bulk) == without_ids(one_by_one)
    _claims, _evidence, outbox, detected = bulk
    assert detected == ["delta-lab/Delta-4", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8"]
    kinds = [(dest, kind, norm) for dest, kind, _g, _p, _pay, norm, _f in outbox if dest == "console"]
    assert ("console", "update", "beta2") in kinds  # item 3 replies in item 2's thread
    assert ("console", "update", "old9") in kinds  # a release known before: a reply
    assert sum(1 for _d, kind, norm in kinds if norm.startswith("alpha1") and kind == "new") == 2


async def test_a_cluster_created_meanwhile_fails_the_bulk_write_whole(
    db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the check missed a cluster (another process created it in between), the bulk write
    raises StoreError and writes nothing: the caller records the items one by one."""
    repo = await _prepare(db)

    async def knows_nothing(session: Any, models: Any) -> set[str]:
        return set()

    monkeypatch.setattr(news, "_known_releases", knows_nothing)
    entries = [(item(4), [claim("Old-9", "gpt-4o", 0.9)]), (item(8), [claim("Zeta-6", "o1", 0.75)])]
    with pytest.raises(StoreError):
        await repo.record_claims_many(entries, TinyPlanner(), now=T0)
    claims, _evidence, outbox, detected = await _tables(db.sessions)
    assert [c[0] for c in claims] == ["delta4", "old9"] and detected == ["delta-lab/Delta-4"]
    assert len(outbox) == 4  # the two claims recorded before, to two destinations
