"""Repository: sources, polls and dedup, leases, frontier rows; on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import select, text

from bot.domain import FrontierModel, Item, PollResult, SourceKind, SourceSpec
from storage.repo import Repository
from storage.schema import ItemRow

T0 = datetime(2025, 1, 20, 12, 0, tzinfo=UTC)
FEED = SourceSpec(SourceKind.FEED, "http://127.0.0.1/feed.xml", "Feed", lab="Lab")


def repo_of(db: Any) -> Repository:
    return Repository(db.sessions, dialect=db.dialect)


def item(key: str, url: str | None = None, day: int = 1, title: str = "t") -> Item:
    return Item(
        source_key=FEED.key,
        key=key,
        title=title,
        url=url if url is not None else f"http://x/{key}",
        text="body",
        published=datetime(2025, 1, day, tzinfo=UTC),
    )


async def poll(repo: Repository, *items: Item, at: datetime = T0, **kw: Any) -> list[str]:
    result = PollResult(items=items, **kw)
    new = await repo.record_poll(FEED, result, now=at, next_poll_at=at + timedelta(minutes=15))
    return [i.key for i in new]


async def test_first_poll_is_a_baseline_and_returns_every_item(db: Any) -> None:
    repo = repo_of(db)
    await repo.sync_sources([FEED], now=T0)
    assert (await repo.source_cursor(FEED)).first_poll
    assert await poll(repo, item("a"), item("b"), etag='"e1"') == ["a", "b"]
    cursor = await repo.source_cursor(FEED)
    assert not cursor.first_poll and cursor.etag == '"e1"'
    assert [(i.key, baseline) for i, baseline in await repo.pending_items()] == [("a", True), ("b", True)]
    assert await poll(repo, item("a"), item("c"), at=T0 + timedelta(hours=1)) == ["c"]
    assert [(i.key, b) for i, b in await repo.pending_items()][-1] == ("c", False)


DEDUP_CASES = [
    # (name, second poll, expected new keys)
    ("genuinely new", [item("a"), item("b")], ["b"]),
    ("same GUID, rewritten date", [item("a", day=9)], []),
    ("same GUID, new URL", [item("a", url="http://x/moved")], []),
    ("same URL, new GUID", [item("a2", url="http://x/a")], []),
    ("one new entry listed twice", [item("b"), item("b", day=3)], ["b"]),
    ("two new GUIDs sharing one URL", [item("b", url="http://x/b"), item("c", url="http://x/b")], ["b"]),
    ("no URL, new key", [item("a"), item("n", url="")], ["n"]),
]


@pytest.mark.parametrize(
    ("second", "expected"), [c[1:] for c in DEDUP_CASES], ids=[c[0] for c in DEDUP_CASES]
)
async def test_record_poll_returns_only_new_items(db: Any, second: list[Item], expected: list[str]) -> None:
    repo = repo_of(db)
    await poll(repo, item("a"))
    before = {i.key for i, _ in await repo.pending_items()}
    assert await poll(repo, *second, at=T0 + timedelta(hours=1)) == expected
    pending = {i.key for i, _ in await repo.pending_items()}
    assert pending - before == set(expected)  # repeats are never detected (never alert)
    assert await repo.known_keys(FEED.key, [i.key for i in second]) == {i.key for i in second}
    assert await poll(repo, *second, at=T0 + timedelta(hours=2)) == []  # and never again


async def test_not_modified_touches_only_timestamps_and_keeps_validators(db: Any) -> None:
    repo = repo_of(db)
    await poll(repo, item("a"), etag='"e1"', last_modified="Mon, 20 Jan 2025 10:00:00 GMT")
    later = T0 + timedelta(hours=1)
    assert await poll(repo, at=later, not_modified=True) == []
    assert await poll(repo, item("b"), at=later) == ["b"]  # no validators given: keep the old ones
    cursor = await repo.source_cursor(FEED)
    assert (cursor.etag, cursor.last_modified) == ('"e1"', "Mon, 20 Jan 2025 10:00:00 GMT")
    await poll(repo, at=later, etag='"e2"')
    assert (await repo.source_cursor(FEED)).etag == '"e2"'
    [health] = await repo.source_health()
    assert health.last_success == later and health.next_poll == later + timedelta(minutes=15)


async def test_failures_count_up_and_a_success_resets_them(db: Any) -> None:
    repo = repo_of(db)
    await repo.sync_sources([FEED], now=T0)
    nxt = T0 + timedelta(minutes=1)
    assert await repo.record_failure(FEED, "HTTP 500", now=T0, next_poll_at=nxt) == 1
    assert await repo.record_failure(FEED, "timed out", now=T0, next_poll_at=nxt) == 2
    assert (await repo.source_cursor(FEED)).failures == 2
    [health] = await repo.source_health()
    assert (health.failures, health.last_error, health.last_success) == (2, "timed out", None)
    await poll(repo, item("a"))
    [health] = await repo.source_health()
    assert (health.failures, health.last_error, health.last_success) == (0, None, T0)


async def test_sync_sources_upserts_keeps_state_and_disables_removed(db: Any) -> None:
    repo = repo_of(db)
    other = SourceSpec(SourceKind.HUGGINGFACE, "deepseek-ai", "DeepSeek HF")
    await repo.sync_sources([FEED, other], now=T0)
    await poll(repo, item("a"), etag='"e1"')
    async with db.sessions.begin() as session:  # a source added from chat
        await session.execute(
            text(
                "INSERT INTO sources (key, kind, target, name, added_by, enabled, baseline_done, "
                "consecutive_failures, failure_reported) VALUES "
                "('feed:http://chat', 'feed', 'http://chat', 'Chat', 'U1', true, false, 0, false)"
            )
        )
    renamed = SourceSpec(SourceKind.FEED, FEED.target, "Renamed", lab="New lab")
    await repo.sync_sources([renamed], now=T0)
    health = {h.key: h for h in await repo.source_health()}
    assert (health[FEED.key].name, health[FEED.key].lab, health[FEED.key].enabled) == (
        "Renamed",
        "New lab",
        True,
    )
    assert not health[other.key].enabled
    assert health["feed:http://chat"].enabled  # chat-added sources are not the config's to remove
    assert (await repo.source_cursor(FEED)).etag == '"e1"'  # polling state kept
    leased = await repo.lease_due_sources(now=T0 + timedelta(days=1), owner="a", lease_seconds=60)
    assert other.key not in leased
    await repo.sync_sources([renamed, other], now=T0)
    assert {h.key for h in await repo.source_health() if h.enabled} == {
        FEED.key,
        other.key,
        "feed:http://chat",
    }


async def test_lease_due_sources(db: Any) -> None:
    repo = repo_of(db)
    await repo.sync_sources([FEED], now=T0)
    assert await repo.lease_due_sources(now=T0, owner="a", lease_seconds=60) == [FEED.key]  # never polled
    assert await repo.lease_due_sources(now=T0, owner="b", lease_seconds=60) == []  # a holds it
    assert await repo.lease_due_sources(now=T0, owner="a", lease_seconds=60) == [FEED.key]  # renewed
    assert await repo.lease_due_sources(now=T0 + timedelta(seconds=61), owner="b", lease_seconds=60) == [
        FEED.key
    ]
    await poll(repo, item("a"))  # clears the lease, next poll in 15 minutes
    assert await repo.lease_due_sources(now=T0, owner="b", lease_seconds=60) == []  # not due
    assert await repo.lease_due_sources(now=T0, owner="b", lease_seconds=60, force=True) == [FEED.key]
    soon = T0 + timedelta(seconds=30)
    assert await repo.lease_due_sources(now=soon, owner="c", lease_seconds=60, force=True) == []  # b's


async def test_two_owners_lease_disjoint_sources(db: Any) -> None:
    repo = repo_of(db)
    specs = [SourceSpec(SourceKind.FEED, f"http://127.0.0.1/{n}", f"f{n}") for n in range(50)]
    await repo.sync_sources(specs, now=T0)
    a, b = await asyncio.gather(
        repo.lease_due_sources(now=T0, owner="a", lease_seconds=60, limit=30),
        repo.lease_due_sources(now=T0, owner="b", lease_seconds=60, limit=30),
    )
    assert not set(a) & set(b)
    assert set(a) | set(b) == {s.key for s in specs}


@pytest.mark.postgres
async def test_postgres_lease_skips_rows_locked_by_another_replica(db: Any) -> None:
    if db.dialect != "postgresql":
        pytest.skip("SKIP LOCKED is PostgreSQL's")
    repo = repo_of(db)
    specs = [SourceSpec(SourceKind.FEED, f"http://127.0.0.1/{n}", f"f{n}") for n in range(10)]
    await repo.sync_sources(specs, now=T0)
    async with db.engine.connect() as other:  # a replica mid-lease: rows locked, not committed
        await other.execute(text("SELECT id FROM sources ORDER BY id LIMIT 4 FOR UPDATE"))
        got = await asyncio.wait_for(repo.lease_due_sources(now=T0, owner="b", lease_seconds=60), timeout=5)
        await other.rollback()
    assert got == sorted(s.key for s in specs[4:])


async def test_timestamps_are_stored_and_returned_in_utc(db: Any) -> None:
    repo = repo_of(db)
    paris = datetime(2025, 1, 20, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    await repo.sync_sources([FEED], now=paris)
    await repo.record_poll(FEED, PollResult(items=(item("a"),)), now=paris, next_poll_at=paris)
    [health] = await repo.source_health()
    assert health.last_success == T0 and health.last_success.utcoffset() == timedelta(0)
    [(stored, _)] = await repo.pending_items()
    assert stored.published == datetime(2025, 1, 1, tzinfo=UTC) and stored.published.tzinfo is not None
    async with db.sessions() as session:
        row = (await session.scalars(select(ItemRow))).one()
    assert row.first_seen_at == T0 and row.first_seen_at.tzinfo == UTC


async def test_frontier_rows_roundtrip(db: Any) -> None:
    repo = repo_of(db)
    model = FrontierModel("gpt-5", "GPT-5", "OpenAI", date(2025, 8, 7), aliases=("gpt5",))
    await repo.upsert_frontier(model, "U1", now=T0)
    await repo.upsert_frontier(
        FrontierModel("gpt-5", "GPT-5", "OpenAI", date(2025, 8, 7), aliases=("gpt5", "g5"))
    )
    [row] = await repo.get_frontier_rows()
    assert (row.key, row.aliases, row.released) == ("gpt-5", ("gpt5", "g5"), date(2025, 8, 7))
    assert await repo.delete_frontier("gpt-5")
    assert not await repo.delete_frontier("gpt-5")
    assert await repo.get_frontier_rows() == []


async def test_pending_detail_is_filled_in_later_and_detected_again(db: Any) -> None:
    """A model stored before its card: the cursor lists it (newest first); the card's arrival
    replaces the text and puts the item back in the detect queue with its baseline flag."""
    repo = repo_of(db)
    await repo.sync_sources([FEED], now=T0)
    old = replace(item("old", day=1), text="", detail_pending=True)
    new = replace(item("new", day=5), text="", detail_pending=True)
    await poll(repo, old, new, item("done", day=3))
    assert (await repo.source_cursor(FEED)).pending == ("new", "old")
    await repo.mark_detected([i for i, _b in await repo.pending_items()], now=T0)
    assert await repo.pending_items() == []
    await poll(repo, details=(("new", "# card\nbody"),), at=T0 + timedelta(hours=1))
    assert (await repo.source_cursor(FEED)).pending == ("old",)
    [(again, baseline)] = await repo.pending_items()
    assert (again.key, again.text, baseline) == ("new", "# card\nbody", True)
    [health] = await repo.source_health()
    assert health.items_seen == 3


async def test_a_failing_episode_is_dated_and_paused_until_a_success(db: Any) -> None:
    repo = repo_of(db)
    await repo.sync_sources([FEED], now=T0)
    nxt = T0 + timedelta(days=1)
    await repo.record_failure(FEED, "HTTP 500", now=T0, next_poll_at=nxt)
    await repo.record_failure(FEED, "HTTP 500", now=T0 + timedelta(days=3), next_poll_at=nxt, paused=True)
    cursor = await repo.source_cursor(FEED)
    assert cursor.failing_since == T0 and cursor.failures == 2
    [health] = await repo.source_health()
    assert health.paused
    # forced polls (poll --once) skip a paused source; its daily probe still leases it
    assert await repo.lease_due_sources(now=T0, owner="a", lease_seconds=60, force=True) == []
    assert await repo.lease_due_sources(now=nxt, owner="a", lease_seconds=60) == [FEED.key]
    await poll(repo, item("a"), at=nxt)
    [health] = await repo.source_health()
    assert not health.paused and (await repo.source_cursor(FEED)).failing_since is None


async def test_details_are_stored_with_a_not_modified_poll(db: Any) -> None:
    repo = repo_of(db)
    await repo.sync_sources([FEED], now=T0)
    await poll(repo, replace(item("a"), text="", detail_pending=True))
    await poll(repo, not_modified=True, details=(("a", "filled in"),), at=T0 + timedelta(hours=1))
    assert (await repo.source_cursor(FEED)).pending == ()
