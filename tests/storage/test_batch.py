"""Set-based storage: a cycle's statements do not grow with its sources or items."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event

from bot.domain import Item, PollResult, SourceKind, SourceSpec
from storage.repo import Repository

T0 = datetime(2025, 3, 1, tzinfo=UTC)


def spec(n: int) -> SourceSpec:
    return SourceSpec(SourceKind.FEED, f"http://127.0.0.1/b{n}.xml", f"B{n}")


def items(s: SourceSpec, count: int) -> tuple[Item, ...]:
    return tuple(Item(s.key, f"{s.key}#{i}", f"t{i}", f"{s.target}/{i}", "x") for i in range(count))


@contextmanager
def statements(db: Any) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement.split(None, 1)[0].upper())

    event.listen(db.engine.sync_engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", count)


async def _cycle(repo: Repository, db: Any, sources: range, per_source: int, now: datetime) -> list[str]:
    specs = [spec(n) for n in sources]
    with statements(db) as seen:
        cursors = await repo.source_cursors(specs)
        polls = [(s, PollResult(items=items(s, per_source)), now) for s in specs]
        new = await repo.record_polls(polls, now=now)
        await repo.mark_detected([i for found in new.values() for i in found], now=now)
    assert len(cursors) == len(specs) and sum(map(len, new.values())) == len(specs) * per_source
    return [s for s in seen if s not in ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")]


async def test_statements_per_cycle_do_not_grow_with_sources_or_items(db: Any) -> None:
    repo = Repository(db.sessions, dialect=db.dialect)
    await repo.sync_sources([spec(n) for n in range(70)], now=T0)
    small = await _cycle(repo, db, range(6), per_source=5, now=T0)
    with statements(db) as synced:  # the same config again: one read, no write
        await repo.sync_sources([spec(n) for n in range(70)], now=T0)
    big = await _cycle(repo, db, range(10, 70), per_source=6, now=T0 + timedelta(hours=1))
    assert len(big) == len(small) <= 10, (small, big)  # 360 items in as many statements as 30
    assert [s for s in synced if s not in ("BEGIN", "COMMIT")] == ["SELECT"]


async def test_a_new_config_is_synced_in_one_write_and_an_edit_keeps_polling_state(db: Any) -> None:
    from dataclasses import replace

    repo = Repository(db.sessions, dialect=db.dialect)
    with statements(db) as first:
        await repo.sync_sources([spec(n) for n in range(70)], now=T0)
    assert [s for s in first if s not in ("BEGIN", "COMMIT")] == ["SELECT", "INSERT"]
    await repo.record_polls([(spec(1), PollResult(items=items(spec(1), 2)), T0)], now=T0)
    renamed = [replace(spec(n), name=f"renamed {n}") if n == 1 else spec(n) for n in range(70)]
    await repo.sync_sources(renamed, now=T0)
    assert not (await repo.source_cursors([spec(1)]))[spec(1).key].first_poll  # state kept
    names = {h.key: h.name for h in await repo.source_health()}
    assert names[spec(1).key] == "renamed 1" and names[spec(2).key] == spec(2).name and len(names) == 70


async def test_a_second_poll_stores_only_what_is_new(db: Any) -> None:
    repo = Repository(db.sessions, dialect=db.dialect)
    s = spec(1)
    first = await repo.record_polls([(s, PollResult(items=items(s, 3)), T0)], now=T0)
    polls = [(s, PollResult(items=items(s, 4)), T0), (spec(2), PollResult(), T0)]
    second = await repo.record_polls(polls, now=T0)
    assert [i.key for i in first[s.key]] == [f"{s.key}#{i}" for i in range(3)]
    assert [i.key for i in second[s.key]] == [f"{s.key}#3"] and second[spec(2).key] == []
    cursors = await repo.source_cursors([s, spec(2), spec(3)])
    assert not cursors[s.key].first_poll and spec(3).key not in cursors


async def test_cursors_read_at_once_equal_those_read_one_by_one(db: Any) -> None:
    from dataclasses import replace

    repo = Repository(db.sessions, dialect=db.dialect)
    specs = [spec(n) for n in range(4)]
    for n, s in enumerate(specs[:3]):
        dated = tuple(
            replace(i, published=T0 - timedelta(days=k), detail_pending=k % 2 == 0)
            for k, i in enumerate(items(s, 12 + n))
        )
        await repo.record_polls([(s, PollResult(items=dated, etag=f'"e{n}"'), T0)], now=T0)
    await repo.record_failure(specs[1], "boom", now=T0, next_poll_at=T0)
    at_once = await repo.source_cursors(specs)
    for s in specs[:3]:
        one = await repo.source_cursor(s)
        assert at_once[s.key] == one
        assert one.recent and one.pending  # the comparison covers every field
    assert at_once[specs[1].key].failing_since is not None
    assert specs[3].key not in at_once  # never stored: absent, polled as a first poll


async def test_items_read_pending_are_marked_by_row_id_and_others_by_source_and_key(db: Any) -> None:
    repo = Repository(db.sessions, dialect=db.dialect)
    a, b = spec(1), spec(2)
    same = {s.key: Item(s.key, "same", "t", None, "x") for s in (a, b)}  # one key in two sources
    polls = [(s, PollResult(items=(same[s.key], *items(s, 2))), T0) for s in (a, b)]
    await repo.record_polls(polls, now=T0)
    assert len(await repo.pending_items(limit=100)) == 6
    with statements(db) as seen:  # by the ids of that read: no lookup of sources
        await repo.mark_detected([same[a.key], items(a, 1)[0]], now=T0)
    assert [s for s in seen if s not in ("BEGIN", "COMMIT")] == ["UPDATE"]
    left = {(i.source_key, i.key) for i, _ in await repo.pending_items(limit=100)}
    assert left == {(b.key, "same"), (a.key, f"{a.key}#1"), *((b.key, f"{b.key}#{n}") for n in range(2))}
    # an item this repository never read pending (another process's read): by source and key
    other = Repository(db.sessions, dialect=db.dialect)
    with statements(db) as seen:
        await other.mark_detected([same[b.key], items(a, 2)[1]], now=T0)
    assert "SELECT" in seen
    left = {(i.source_key, i.key) for i, _ in await repo.pending_items(limit=100)}
    assert left == {(b.key, f"{b.key}#{n}") for n in range(2)}
