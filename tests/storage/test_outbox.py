"""Outbox leasing and marking, on SQLite and PostgreSQL (the `db` fixture runs both)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.domain import AlertKind, PlannedAlert
from storage.outbox import Outbox
from storage.schema import ClaimRow, OutboxRow, SourceRow

T0 = datetime(2025, 1, 20, 12, 0, tzinfo=UTC)


async def add_claim(db: Any, competitor: str = "DeepSeek-R1") -> int:
    async with db.sessions.begin() as session:
        row = ClaimRow(
            competitor=competitor,
            competitor_norm=competitor.lower(),
            lab="DeepSeek",
            frontier_key="o1",
            relation="matches",
            relation_class="parity",
            confidence=0.9,
            evidence_text="on par with o1",
            benchmarks=[],
            source_url=None,
            source_count=1,
            claimed_on=None,
            first_seen_at=T0,
            updated_at=T0,
        )
        session.add(row)
        await session.flush()
        return row.id


def planned(key: str, dest: str = "discord:1", kind: AlertKind = AlertKind.NEW, **kw: Any) -> PlannedAlert:
    return PlannedAlert(
        dest, kind, key, {"competitor": "X", "relation": "matches", "frontier_name": "o1"}, **kw
    )


async def test_lease_mark_sent_is_idempotent(db: Any) -> None:
    outbox = Outbox(db.sessions, dialect=db.dialect)
    claim = await add_claim(db)
    assert await outbox.enqueue([planned("1:discord:1:new")], now=T0, claim_id=claim) == 1
    assert await outbox.enqueue([planned("1:discord:1:new")], now=T0, claim_id=claim) == 0  # same key
    leased = await outbox.lease(T0, "a", 10, 60)
    assert [a.idempotency_key for a in leased] == ["1:discord:1:new"]
    assert await outbox.lease(T0, "b", 10, 60) == []  # held by "a"
    assert await outbox.mark_sent(leased[0].id, "m1", T0) == 1
    assert await outbox.mark_sent(leased[0].id, "m2", T0) == 0  # already sent: untouched
    assert await outbox.lease(T0 + timedelta(hours=1), "b", 10, 60) == []  # sent rows never come back
    assert await outbox.depth() == 0


async def test_expired_lease_is_taken_over(db: Any) -> None:
    outbox = Outbox(db.sessions, dialect=db.dialect)
    await outbox.enqueue([planned("k")], now=T0)
    first = await outbox.lease(T0, "crashed", 10, 60)
    assert await outbox.lease(T0 + timedelta(seconds=59), "b", 10, 60) == []
    again = await outbox.lease(T0 + timedelta(seconds=61), "b", 10, 60)
    assert [a.id for a in again] == [first[0].id]


async def test_update_waits_for_parent_and_gets_thread_ref(db: Any) -> None:
    outbox = Outbox(db.sessions, dialect=db.dialect)
    claim = await add_claim(db)
    await outbox.enqueue([planned("c:d:new")], now=T0, claim_id=claim)
    await outbox.enqueue(
        [planned("c:d:update:2", kind=AlertKind.UPDATE, parent_key="c:d:new")], now=T0, claim_id=claim
    )
    leased = await outbox.lease(T0, "a", 10, 60)
    assert [a.kind for a in leased] == [AlertKind.NEW]  # the reply waits for its parent
    await outbox.mark_sent(leased[0].id, "msg-1", T0)
    update = await outbox.lease(T0, "a", 10, 60)
    assert [(a.kind, a.thread_ref) for a in update] == [(AlertKind.UPDATE, "msg-1")]


async def test_update_goes_unthreaded_when_parent_parked(db: Any) -> None:
    outbox = Outbox(db.sessions, dialect=db.dialect)
    claim = await add_claim(db)
    await outbox.enqueue([planned("c:d:new")], now=T0, claim_id=claim)
    await outbox.enqueue(
        [planned("c:d:update:2", kind=AlertKind.UPDATE, parent_key="c:d:new")], now=T0, claim_id=claim
    )
    [parent] = await outbox.lease(T0, "a", 10, 60)
    await outbox.park(parent.id, "403 Forbidden", T0)
    [update] = await outbox.lease(T0, "a", 10, 60)
    assert update.kind is AlertKind.UPDATE and update.thread_ref is None


async def test_one_items_claims_are_leased_as_one_message_and_replies_wait_for_it(db: Any) -> None:
    outbox = Outbox(db.sessions, dialect=db.dialect)
    claims = [await add_claim(db, f"Rival-{i}") for i in range(3)]
    first = "release:i1:discord:1:new"
    reply = "release:i2:discord:1:update"
    await outbox.enqueue(
        [planned(f"{first}:{c}", group=first, claim_id=c) for c in claims], now=T0, claim_id=None
    )
    await outbox.enqueue(
        [
            planned(f"{reply}:{c}", kind=AlertKind.UPDATE, group=reply, parent_key=first, claim_id=c)
            for c in claims[:2]
        ],
        now=T0,
    )
    leased = await outbox.lease(T0, "a", 1, 60)  # a limit of one row still takes the whole message
    assert [(a.group, a.claim_id) for a in leased] == [(first, c) for c in claims]
    assert await outbox.lease(T0, "b", 10, 60) == []  # the reply waits for its parent
    await outbox.mark_sent([a.id for a in leased], "m1", T0)
    replies = await outbox.lease(T0, "a", 10, 60)
    assert [(a.kind, a.group, a.thread_ref) for a in replies] == [(AlertKind.UPDATE, reply, "m1")] * 2


async def test_reschedule_park_and_parked_listing(db: Any) -> None:
    outbox = Outbox(db.sessions, dialect=db.dialect)
    await outbox.enqueue([planned("k1"), planned("k2")], now=T0)
    a, b = await outbox.lease(T0, "a", 10, 60)
    await outbox.reschedule(a.id, T0 + timedelta(seconds=30), "429", count_attempt=False)
    await outbox.reschedule(b.id, T0 + timedelta(seconds=30), "500")
    assert await outbox.lease(T0 + timedelta(seconds=29), "a", 10, 60) == []
    again = await outbox.lease(T0 + timedelta(seconds=30), "a", 10, 60)
    assert [(x.id, x.attempts) for x in again] == [(a.id, 0), (b.id, 1)]
    await outbox.park(b.id, "HTTP 500 (after 2 attempts)", T0)
    assert await outbox.park(b.id, "again", T0) == 0  # parked rows stay as they were
    [row] = await outbox.parked()
    assert (row.id, row.attempts, row.last_error, row.summary) == (
        b.id,
        2,
        "HTTP 500 (after 2 attempts)",
        "X matches o1",
    )
    assert await outbox.depth() == 1
    assert await outbox.requeue(b.id, T0) == 1
    assert await outbox.depth() == 2


async def test_digest_group_leased_together_beyond_limit(db: Any) -> None:
    outbox = Outbox(db.sessions, dialect=db.dialect)
    due = T0 + timedelta(hours=12)
    rows = [
        planned(f"digest:slack:C1:2025-01-20:{i}", "slack:C1", AlertKind.DIGEST, not_before=due)
        for i in range(5)
    ]
    rows.append(planned("digest:slack:C1:2025-01-21:9", "slack:C1", AlertKind.DIGEST, not_before=due))
    await outbox.enqueue(rows, now=T0)
    assert await outbox.lease(T0, "a", 10, 60) == []  # not due before the period ends
    leased = await outbox.lease(due, "a", 2, 60)
    keys = sorted(a.idempotency_key for a in leased)
    assert keys == [f"digest:slack:C1:2025-01-20:{i}" for i in range(5)]  # whole group, other period not


async def test_concurrent_leases_never_share_a_row(db: Any) -> None:
    outbox = Outbox(db.sessions, dialect=db.dialect)
    await outbox.enqueue([planned(f"k{i}") for i in range(40)], now=T0)
    results = await asyncio.gather(*(outbox.lease(T0, f"w{n}", 7, 60) for n in range(6)))
    ids = [a.id for batch in results for a in batch]
    assert len(ids) == len(set(ids)) == 40


async def test_admin_reports_once(db: Any) -> None:
    outbox = Outbox(db.sessions, dialect=db.dialect)
    await outbox.enqueue([planned("k1")], now=T0)
    [a] = await outbox.lease(T0, "a", 10, 60)
    await outbox.park(a.id, "channel_not_found", T0)
    async with db.sessions.begin() as session:
        session.add(
            SourceRow(
                key="feed:x",
                kind="feed",
                target="x",
                name="X feed",
                consecutive_failures=5,
                last_error="HTTP 503",
            )
        )
        session.add(SourceRow(key="feed:y", kind="feed", target="y", name="Y", consecutive_failures=1))
        session.add(
            SourceRow(
                key="feed:z", kind="feed", target="z", name="Z", consecutive_failures=40,
                failure_reported=True, paused=True, failing_since=T0, last_error="HTTP 410",
            )
        )  # fmt: skip
    assert await outbox.report_parked("console", T0) == 1
    assert await outbox.report_parked("console", T0) == 0
    assert await outbox.report_failing_sources("console", 3, T0) == 2  # X failing, Z paused
    assert await outbox.report_failing_sources("console", 3, T0) == 0
    texts = [a.payload["text"] for a in await outbox.lease(T0, "a", 10, 60)]
    assert texts[0].startswith(f"alert {a.id} to discord:1 parked after 1 attempts: channel_not_found")
    assert texts[1] == "source X feed (feed:x) failed 5 times in a row: HTTP 503"
    assert texts[2].startswith("source Z (feed:z) paused: failing since ") and "HTTP 410" in texts[2]
    async with db.sessions() as session:
        assert (await session.get(OutboxRow, a.id)).failure_reported is True  # type: ignore[union-attr]
