"""record_claims: clustering, evidence, outbox rows from the planner, one transaction."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.domain import (
    AlertKind,
    BenchmarkPair,
    Claim,
    ClaimChange,
    Item,
    PlannedAlert,
    PollResult,
    Relation,
    SourceKind,
    SourceSpec,
    release_group,
    release_key,
)
from storage.repo import Repository
from storage.schema import ClaimRow, EvidenceRow, ItemRow, OutboxRow

T0 = datetime(2025, 1, 20, 12, 0, tzinfo=UTC)
FEED = SourceSpec(SourceKind.FEED, "http://127.0.0.1/feed.xml", "Feed")


@dataclass
class TinyPlanner:
    """One message per item and destination: NEW, or an UPDATE in the release's first thread;
    records every call as (source count, is new, destinations with a thread) per claim."""

    destinations: tuple[str, ...] = ("console", "discord:1")
    fail: bool = False
    calls: list[tuple[int, bool, tuple[str, ...]]] = field(default_factory=list)

    def plan(
        self,
        item: Item | None,
        changes: Sequence[ClaimChange],
        threads: Mapping[int, Mapping[str, str]],
        *,
        item_ref: str,
    ) -> list[PlannedAlert]:
        for c in changes:
            self.calls.append((c.stored.source_count, c.is_new, tuple(sorted(threads.get(c.stored.id, {})))))
        if self.fail:
            raise RuntimeError("planner bug")
        planned = []
        for dest in self.destinations:
            roots = [threads[c.stored.id][dest] for c in changes if dest in threads.get(c.stored.id, {})]
            kind = AlertKind.UPDATE if roots else AlertKind.NEW
            group = release_group(item_ref, dest, kind)
            for c in changes:
                payload = {"competitor": c.stored.competitor, "sources": c.stored.source_count}
                key = release_key(group, c.stored.id)
                parent = roots[0] if roots else None
                planned.append(
                    PlannedAlert(
                        dest, kind, key, payload, parent_key=parent, group=group, claim_id=c.stored.id
                    )
                )
        return planned


def item(key: str, day: int) -> Item:
    return Item(
        FEED.key, key, f"title {key}", f"http://x/{key}", "text", published=datetime(2025, 1, day, tzinfo=UTC)
    )


def claim(competitor: str, relation: Relation, confidence: float, evidence: str, n_bench: int = 0) -> Claim:
    benches = tuple(BenchmarkPair(f"B{i}", 80.0 + i, 79.0) for i in range(n_bench))
    return Claim(competitor, "o1", relation, evidence, confidence, lab="DeepSeek", benchmarks=benches)


@pytest.fixture
async def repo(db: Any) -> Repository:
    repository = Repository(db.sessions, dialect=db.dialect)
    items = [item(k, d) for k, d in (("i1", 20), ("i2", 18), ("i3", 22), ("i4", 23))]
    await repository.record_poll(FEED, PollResult(items=tuple(items)), now=T0, next_poll_at=T0)
    return repository


async def _count(db: Any, column: Any) -> int:
    async with db.sessions() as session:
        return int(await session.scalar(select(func.count(column))) or 0)


async def _outbox(db: Any) -> list[tuple[str, str]]:
    async with db.sessions() as session:
        rows = (
            await session.execute(select(OutboxRow.idempotency_key, OutboxRow.kind).order_by(OutboxRow.id))
        ).all()
    return [(r[0], r[1]) for r in rows]


async def _item_ids(db: Any, *keys: str) -> list[int]:
    async with db.sessions() as session:
        ids = dict((await session.execute(select(ItemRow.key, ItemRow.id))).all())
    return [ids[k] for k in keys]


async def test_one_claim_from_three_items_is_one_cluster(db: Any, repo: Repository) -> None:
    planner = TinyPlanner()
    seen = [
        (item("i1", 20), claim("DeepSeek-R1", Relation.MATCHES, 0.7, "R1 is on par with o1")),
        (
            item("i2", 18),
            claim("deepseek-ai/DeepSeek-R1", Relation.EXCEEDS, 0.8, "R1 beats o1 on", n_bench=2),
        ),
        (item("i3", 22), claim("DeepSeek R1", Relation.MATCHES, 0.6, "rivals o1")),
    ]
    results = []
    for n, (it, c) in enumerate(seen):
        [stored] = await repo.record_claims(it, [c], planner, now=T0 + timedelta(minutes=n))
        results.append(stored)
    assert len({s.id for s in results}) == 1
    final = results[-1]
    assert final.source_count == 3
    assert final.confidence == pytest.approx(0.9)  # best single (0.8) + 2 extra sources
    assert final.evidence_text == "R1 beats o1 on" and len(final.benchmarks) == 2  # figures win
    assert final.relation is Relation.EXCEEDS
    assert final.claimed_on == date(2025, 1, 18)  # the earliest publisher's date
    assert final.first_seen == T0 and final.first_seen.tzinfo is not None
    assert await _count(db, ClaimRow.id) == 1
    assert await _count(db, EvidenceRow.id) == 3
    assert planner.calls == [
        (1, True, ()),
        (2, False, ("console", "discord:1")),
        (3, False, ("console", "discord:1")),
    ]
    cid = final.id
    i1, i2, i3 = await _item_ids(db, "i1", "i2", "i3")
    assert await _outbox(db) == [
        (f"release:i{i1}:console:new:{cid}", "new"),
        (f"release:i{i1}:discord:1:new:{cid}", "new"),
        (f"release:i{i2}:console:update:{cid}", "update"),
        (f"release:i{i2}:discord:1:update:{cid}", "update"),
        (f"release:i{i3}:console:update:{cid}", "update"),
        (f"release:i{i3}:discord:1:update:{cid}", "update"),
    ]
    async with db.sessions() as session:
        parents = (await session.scalars(select(OutboxRow.parent_group).order_by(OutboxRow.id))).all()
    assert parents == [None, None] + [f"release:i{i1}:console:new", f"release:i{i1}:discord:1:new"] * 2
    assert await repo.pending_items() == [(item("i4", 23), True)]  # the others are detected


async def test_repeating_an_item_adds_nothing(db: Any, repo: Repository) -> None:
    """A crash after commit and a retry of the same item: no new evidence, count or alerts."""
    planner = TinyPlanner()
    c = claim("DeepSeek-R1", Relation.MATCHES, 0.7, "on par with o1")
    await repo.record_claims(item("i1", 20), [c], planner, now=T0)
    await repo.record_claims(item("i2", 18), [c], planner, now=T0)
    before = await _outbox(db)
    [again] = await repo.record_claims(item("i2", 18), [c], planner, now=T0 + timedelta(hours=1))
    assert again.source_count == 2
    assert await _outbox(db) == before
    assert await _count(db, EvidenceRow.id) == 2
    assert len(planner.calls) == 2  # nothing new was said: the planner is not asked again


async def test_a_planner_error_rolls_back_the_claim_too(db: Any, repo: Repository) -> None:
    with pytest.raises(RuntimeError, match="planner bug"):
        await repo.record_claims(
            item("i4", 23),
            [claim("Qwen-Max", Relation.MATCHES, 0.9, "Qwen matches o1")],
            TinyPlanner(fail=True),
            now=T0,
        )
    assert await _count(db, ClaimRow.id) == 0
    assert await _count(db, EvidenceRow.id) == 0
    assert await _outbox(db) == []
    assert item("i4", 23) in [i for i, _ in await repo.pending_items()]  # still to be detected


async def test_history_without_planner_writes_no_alerts(db: Any, repo: Repository) -> None:
    [stored] = await repo.record_claims(
        item("i1", 20), [claim("R1", Relation.MATCHES, 0.7, "e")], None, now=T0
    )
    assert await _outbox(db) == []
    async with db.sessions() as session:
        row = await session.get(ClaimRow, stored.id)
        assert row is not None and row.alerted is False
    planner = TinyPlanner()  # later news about a historical claim: the planner decides
    await repo.record_claims(item("i2", 18), [claim("R1", Relation.MATCHES, 0.8, "e2")], planner, now=T0)
    assert planner.calls == [(2, False, ())]
    [i2] = await _item_ids(db, "i2")
    assert [k for k, _ in await _outbox(db)] == [
        f"release:i{i2}:console:new:{stored.id}",
        f"release:i{i2}:discord:1:new:{stored.id}",
    ]


async def test_clusters_split_by_relation_class_and_merge_within_an_item(db: Any, repo: Repository) -> None:
    claims = [
        claim("DeepSeek-R1", Relation.MATCHES, 0.6, "prose: on par with o1"),
        claim("DeepSeek-R1", Relation.EXCEEDS, 0.8, "table row", n_bench=3),  # same cluster, same item
        claim("DeepSeek-R1", Relation.TRAILS, 0.7, "still behind o1"),  # another cluster
    ]
    stored = await repo.record_claims(item("i1", 20), claims, TinyPlanner(), now=T0)
    assert [(s.relation, s.source_count, s.evidence_text) for s in stored] == [
        (Relation.EXCEEDS, 1, "table row"),
        (Relation.TRAILS, 1, "still behind o1"),
    ]
    assert await _count(db, EvidenceRow.id) == 2


async def test_concurrent_items_with_one_new_claim_make_one_cluster(db: Any, repo: Repository) -> None:
    other = Repository(db.sessions, dialect=db.dialect)
    planner = TinyPlanner(destinations=("console",))
    c = claim("Kimi-k1.5", Relation.MATCHES, 0.7, "matches o1")
    await asyncio.gather(
        repo.record_claims(item("i1", 20), [c], planner, now=T0),
        other.record_claims(item("i2", 18), [c], planner, now=T0),
    )
    assert await _count(db, ClaimRow.id) == 1
    async with db.sessions() as session:
        row = (await session.scalars(select(ClaimRow))).one()
    assert row.source_count == 2
    assert [kind for _, kind in await _outbox(db)] == ["new", "update"]


@pytest.mark.parametrize(
    ("first", "later"),
    [
        ("MiniMax-01", "MiniMax-Text-01"),  # one release under two spellings
        ("Qwen3-235B-A22B", "Qwen3-32B"),  # another size of the release: another model, same thread
    ],
)
async def test_a_later_item_about_the_release_finds_the_first_messages_thread(
    db: Any, repo: Repository, first: str, later: str
) -> None:
    planner = TinyPlanner()
    await repo.record_claims(
        item("i1", 20), [claim(first, Relation.MATCHES, 0.8, "on par with o1")], planner, now=T0
    )
    other = Claim(
        later, "gpt-4o", Relation.EXCEEDS, "beats GPT-4o", 0.8
    )  # a claim the first item did not make
    await repo.record_claims(item("i2", 21), [other], planner, now=T0)
    assert [(n, new, dests) for n, new, dests in planner.calls] == [
        (1, True, ()),
        (1, True, ("console", "discord:1")),  # a new claim, but the release was alerted: a reply
    ]
    [i1] = await _item_ids(db, "i1")
    async with db.sessions() as session:
        rows = (
            await session.execute(select(OutboxRow.kind, OutboxRow.parent_group).order_by(OutboxRow.id))
        ).all()
    assert [tuple(r) for r in rows] == [
        ("new", None),
        ("new", None),
        ("update", f"release:i{i1}:console:new"),
        ("update", f"release:i{i1}:discord:1:new"),
    ]


async def test_another_release_of_the_family_is_not_a_reply(db: Any, repo: Repository) -> None:
    planner = TinyPlanner()
    await repo.record_claims(
        item("i1", 20), [claim("Qwen2.5-72B", Relation.MATCHES, 0.8, "e")], planner, now=T0
    )
    await repo.record_claims(
        item("i2", 21), [claim("Qwen2.5-Max", Relation.MATCHES, 0.8, "e")], planner, now=T0
    )
    await repo.record_claims(
        item("i3", 22), [claim("Qwen3-32B", Relation.MATCHES, 0.8, "e")], planner, now=T0
    )
    assert [dests for _, _, dests in planner.calls] == [(), (), ()]


HUB = SourceSpec(SourceKind.HUGGINGFACE, "foo-ai", "Foo on the Hub")


def hub_item(seen: datetime) -> Item:
    # createdAt weeks before the model went public: never the claim's date
    return Item(
        HUB.key,
        "hf:foo-ai/Foo-7B",
        "foo-ai/Foo-7B",
        "https://hf.example/foo-ai/Foo-7B",
        "card",
        published=datetime(2024, 12, 1, tzinfo=UTC),
        lab="foo-ai",
        model_id="foo-ai/Foo-7B",
        source_kind=SourceKind.HUGGINGFACE,
        first_seen=seen,
    )


def about_foo(frontier: str) -> Claim:
    return Claim("Foo-7B", frontier, Relation.MATCHES, f"Foo-7B matches {frontier}", 0.8)


async def test_a_hub_model_counts_from_when_the_bot_first_saw_it_listed(db: Any, repo: Repository) -> None:
    [stored] = await repo.record_claims(hub_item(T0), [about_foo("o1")], TinyPlanner(), now=T0)
    assert stored.claimed_on == T0.date()  # not createdAt (2024-12-01)


async def test_an_earlier_date_another_source_gives_for_the_release_wins(db: Any, repo: Repository) -> None:
    blog = item("i1", 15)  # a publisher's date, 2025-01-15, about the same model
    await repo.record_claims(blog, [about_foo("gpt-4o")], TinyPlanner(), now=T0)
    [hub] = await repo.record_claims(
        hub_item(T0 + timedelta(days=5)), [about_foo("o1")], TinyPlanner(), now=T0
    )
    assert hub.claimed_on == date(2025, 1, 15)


async def test_a_later_publisher_date_backdates_claims_only_the_hub_dated(db: Any, repo: Repository) -> None:
    seen = T0 + timedelta(days=5)
    [hub] = await repo.record_claims(hub_item(seen), [about_foo("o1")], TinyPlanner(), now=seen)
    assert hub.claimed_on == seen.date()
    await repo.record_claims(item("i2", 18), [about_foo("gpt-4o")], TinyPlanner(), now=seen)
    await repo.record_claims(item("i3", 22), [about_foo("claude-3-opus")], TinyPlanner(), now=seen)
    async with db.sessions() as session:
        days = dict((await session.execute(select(ClaimRow.frontier_key, ClaimRow.claimed_on))).all())
    assert days == {
        "o1": date(2025, 1, 18),  # the Hub's sighting, backdated by the publisher's earlier date
        "gpt-4o": date(2025, 1, 18),
        "claude-3-opus": date(2025, 1, 22),  # a publisher's own date is never moved
    }


async def test_the_lab_of_a_hub_item_is_the_orgs_name(db: Any, repo: Repository) -> None:
    claim = Claim("DeepSeek-R1", "o1", Relation.MATCHES, "e", 0.8)
    hub = Item(
        HUB.key,
        "hf:deepseek-ai/DeepSeek-R1",
        "t",
        "https://hf.example/r1",
        "card",
        lab="deepseek-ai",
        model_id="deepseek-ai/DeepSeek-R1",
        source_kind=SourceKind.HUGGINGFACE,
    )
    [stored] = await repo.record_claims(hub, [claim], TinyPlanner(), now=T0)
    assert stored.lab == "DeepSeek"


async def test_two_items_about_one_release_at_once_make_one_top_level_message(
    db: Any, repo: Repository
) -> None:
    """Replicas recording two sources of one release at the same moment: one NEW, one reply."""
    other = Repository(db.sessions, dialect=db.dialect)
    planner = TinyPlanner(destinations=("slack:C1",))
    await asyncio.gather(
        repo.record_claims(item("i1", 20), [about_foo("o1")], planner, now=T0),
        other.record_claims(item("i2", 18), [about_foo("gpt-4o")], planner, now=T0),  # another cluster
    )
    assert sorted(kind for _, kind in await _outbox(db)) == ["new", "update"]
