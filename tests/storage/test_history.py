"""record_history in bulk writes what recording the same items one by one writes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from bot.domain import BenchmarkPair, Claim, Item, PollResult, Relation, SourceKind, SourceSpec
from storage import history
from storage.clusters import record_claims_in
from storage.repo import Repository
from storage.schema import ClaimRow, EvidenceRow, ItemRow

T0 = datetime(2025, 2, 1, tzinfo=UTC)
FEED = SourceSpec(SourceKind.FEED, "http://127.0.0.1/history.xml", "Feed")
OTHER = SourceSpec(SourceKind.FEED, "http://127.0.0.1/other.xml", "Other feed")
HUB = SourceSpec(SourceKind.HUGGINGFACE, "delta-lab", "Delta on the Hub")
HUB_ITEM = Item(
    HUB.key, "delta-lab/Delta-4", "Delta-4", None, "card", published=datetime(2025, 1, 30, tzinfo=UTC),
    source_kind=SourceKind.HUGGINGFACE,
)  # fmt: skip
HUB_ITEM2 = Item(
    HUB.key, "delta-lab/Eta-7", "Eta-7", None, "card", published=datetime(2025, 1, 20, tzinfo=UTC),
    source_kind=SourceKind.HUGGINGFACE,
)  # fmt: skip


def item(n: int) -> Item:
    when = datetime(2025, 1, n, tzinfo=UTC)
    return Item(FEED.key, f"k{n}", f"t{n}", f"http://x/{n}", "text", published=when)


def claim(
    competitor: str,
    frontier: str,
    confidence: float,
    relation: Relation = Relation.MATCHES,
    benchmarks: tuple[BenchmarkPair, ...] = (),
    lab: str | None = "Lab",
) -> Claim:
    evidence = f"{competitor} vs {frontier} ({confidence})"
    return Claim(competitor, frontier, relation, evidence, confidence, benchmarks=benchmarks, lab=lab)


MMLU = (BenchmarkPair("MMLU", 88.1, 87.2),)


def other(n: int, url: str | None = None) -> Item:
    """An item of the second feed (another source: its own item ids)."""
    when = datetime(2025, 1, n, tzinfo=UTC)
    return Item(OTHER.key, f"o{n}", f"u{n}", url or f"http://y/{n}", "text", published=when)


# fresh clusters; one cluster named by two items; one that exists before; an item mixing both;
# two claims of one item in one cluster (merged first); a new cluster of a model the Hub dated
# before (a publisher's earlier date backdates the Hub-only claim)
BATCH = [
    (item(1), [claim("Alpha-1", "o1", 0.8)]),
    (item(2), [claim("Beta-2", "o1", 0.6), claim("Old-9", "gpt-4o", 0.9)]),
    (item(3), [claim("Beta 2", "o1", 0.7, Relation.EXCEEDS)]),
    (item(4), [claim("Gamma-3", "o1", 0.5), claim("Gamma-3", "o1", 0.65)]),
    (item(5), [claim("Old-9", "gpt-4o", 0.4)]),
    (item(6), [claim("Delta-4", "gpt-4o", 0.7)]),
    # a model several items name, all its clusters new (merged in memory): a later, earlier-dated
    # item; better figures take the headline; a lab only the second gives; the same page again
    # from another feed adds nothing; a second cluster of the model; three sources of one cluster
    (item(9), [claim("Eps-5", "o1", 0.6, lab=None), claim("Eps-5", "gpt-4o", 0.5)]),
    (item(7), [claim("Eps 5", "o1", 0.55, Relation.EXCEEDS, MMLU)]),
    (other(8, url="http://x/7"), [claim("Eps-5", "o1", 0.9)]),
    (other(10), [claim("EPS-5", "o1", 0.7), claim("Eps-5", "gpt-4o", 0.8, Relation.EXCEEDS)]),
    (item(11), [claim("Zeta-6", "o1", 0.7)]),
    (other(12), [claim("Zeta-6", "o1", 0.7)]),
    # a model the Hub names in the batch and a feed names too: one by one (Hub dates backdate)
    (HUB_ITEM2, [claim("Eta-7", "o1", 0.7)]),
    (item(13), [claim("Eta-7", "o1", 0.6)]),
]


async def _tables(repo: Repository, sessions: Any) -> tuple[list[Any], list[Any]]:
    async with sessions() as session:
        order = (ClaimRow.competitor_norm, ClaimRow.frontier_key)
        claims = (await session.execute(select(ClaimRow).order_by(*order))).scalars().all()
        rows = [
            (
                c.competitor_norm,
                c.frontier_key,
                c.relation,
                c.confidence,
                c.source_count,
                c.claimed_on,
                c.alerted,
                c.evidence_text,
                c.benchmarks,
                c.lab,
            )
            for c in claims
        ]
        ev = await session.execute(
            select(ClaimRow.competitor_norm, ItemRow.key, EvidenceRow.url, EvidenceRow.confidence)
            .join(ClaimRow, ClaimRow.id == EvidenceRow.claim_id)
            .outerjoin(ItemRow, ItemRow.id == EvidenceRow.item_id)
            .order_by(ClaimRow.competitor_norm, ItemRow.key)
        )
        detected = await session.scalars(select(ItemRow.key).where(ItemRow.detected_at.is_not(None)))
        return rows + sorted(detected), sorted((tuple(r) for r in ev), key=str)  # ties: any order


async def _before(repo: Repository) -> None:
    await repo.record_claims(None, [claim("Old-9", "gpt-4o", 0.55)], None, now=T0)  # exists before
    await repo.record_claims(HUB_ITEM, [claim("Delta-4", "o1", 0.8)], None, now=T0)  # Hub-dated


async def _prepare(db: Any) -> Repository:
    repo = Repository(db.sessions, dialect=db.dialect)
    for spec in (FEED, OTHER):
        items = tuple(i for i, _ in BATCH if i.source_key == spec.key)
        await repo.record_poll(spec, PollResult(items=items), now=T0, next_poll_at=T0)
    await repo.record_poll(HUB, PollResult(items=(HUB_ITEM, HUB_ITEM2)), now=T0, next_poll_at=T0)
    await _before(repo)
    return repo


# read_pending: the items come from a read of pending items, as in the detect stage (their
# rows are marked by id), or not (marked by source and key)
@pytest.mark.parametrize("read_pending", [False, True], ids=["by-key", "by-row-id"])
async def test_bulk_history_equals_recording_item_by_item(
    db: Any, read_pending: bool, monkeypatch: Any
) -> None:
    repo = await _prepare(db)
    if read_pending:
        assert len(await repo.pending_items(limit=1000)) >= len(BATCH)
    one_by_one_models: list[str] = []

    async def spy(session: Any, dialect: str, entry: Item, claims: Any, *args: Any, **kwargs: Any) -> Any:
        one_by_one_models.extend(c.cluster_key[0] for c in claims)
        return await record_claims_in(session, dialect, entry, claims, *args, **kwargs)

    monkeypatch.setattr(history, "record_claims_in", spy)
    await repo.record_history(BATCH, now=T0)
    monkeypatch.undo()
    # only the clusters that existed before and the model the Hub names go one by one
    assert sorted(set(one_by_one_models)) == ["eta7", "old9"]
    bulk = await _tables(repo, db.sessions)

    async with db.sessions() as session, session.begin():
        for table in (EvidenceRow, ClaimRow):
            await session.execute(table.__table__.delete())
        await session.execute(ItemRow.__table__.update().values(detected_at=None))
    await _before(repo)
    async with db.sessions() as session, session.begin():
        for entry, claims in BATCH:
            await record_claims_in(session, db.dialect, entry, claims, None, T0)
    one_by_one = await _tables(repo, db.sessions)

    assert bulk == one_by_one
    rows, evidence = bulk
    claims = [row for row in rows if isinstance(row, tuple)]
    assert [(c[0], c[1]) for c in claims] == [
        ("alpha1", "o1"), ("beta2", "o1"), ("delta4", "gpt-4o"), ("delta4", "o1"), ("eps5", "gpt-4o"),
        ("eps5", "o1"), ("eta7", "o1"), ("gamma3", "o1"), ("old9", "gpt-4o"), ("zeta6", "o1"),
    ]  # fmt: skip
    # beta from two items; old-9 before + two items; eps-5 vs o1 from three sources (the same page
    # again adds nothing); zeta from two feeds
    assert [c[4] for c in claims] == [1, 2, 1, 1, 2, 3, 2, 1, 3, 2]
    assert claims[3][5] == item(6).published.date()  # type: ignore[union-attr]  # Hub date backdated
    eps = claims[5]
    assert eps[2] == "exceeds" and eps[8] == [["MMLU", 88.1, 87.2]]  # figures took the headline
    assert eps[5] == item(7).published.date() and eps[9] == "Lab"  # type: ignore[union-attr]
    assert claims[6][5] == item(13).published.date()  # type: ignore[union-attr]  # Hub date backdated
    assert len(evidence) == 18 and all(c[6] is False for c in claims)  # history never alerts
    keys = [
        "delta-lab/Delta-4",
        "delta-lab/Eta-7",
        "k1",
        "k11",
        "k13",
        "k2",
        "k3",
        "k4",
        "k5",
        "k6",
        "k7",
        "k9",
    ]
    keys += ["o10", "o12", "o8"]
    assert sorted(r for r in rows if isinstance(r, str)) == keys
