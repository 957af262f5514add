"""Set-based writes for a whole polling cycle: a statement per batch, never one per item.

A cycle reads every due source's state in one SELECT (`cursors_in`), stores the items of every
successful poll with one existence check and one INSERT per chunk of keys (`store_polls_in`),
updates every polled source's state in one executemany UPDATE, and marks detected items in one
UPDATE per chunk (`mark_detected_in`). The rules are those of `Repository.record_poll`: an item
is new when neither its key nor its URL is stored for its source; a source's first poll stores
its items as baseline.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import bindparam, func, select, tuple_, update

from bot.domain import Item, PollResult, SourceCursor, SourceKind, SourceSpec
from storage.source_state import PENDING_DETAILS, RECENT_DATES, store_details_in
from storage.tables import ITEMS, SOURCES
from storage.upsert import insert_new

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

    Tx = AsyncConnection | AsyncSession

CHUNK = 400  # pairs per row-value IN (...): 800 parameters, well under every driver's limit


class PollRecord(NamedTuple):
    """One successful poll to store (the tuple `Store.record_polls` takes)."""

    spec: SourceSpec
    result: PollResult
    next_poll_at: datetime


def chunks(values: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


async def cursors_in(session: Tx, keys: Sequence[str]) -> dict[str, SourceCursor]:
    """The polling state of the sources with these keys (absent: never stored), as
    `storage.source_state.cursor_in` reads it for one: three statements per chunk of sources."""
    cols = (
        SOURCES.c.id,
        SOURCES.c.key,
        SOURCES.c.etag,
        SOURCES.c.last_modified,
        SOURCES.c.baseline_done,
        SOURCES.c.consecutive_failures,
        SOURCES.c.failing_since,
    )
    out: dict[str, SourceCursor] = {}
    for chunk in chunks(list(keys), 500):
        rows = list(await session.execute(select(*cols).where(SOURCES.c.key.in_(chunk))))
        ids = [row.id for row in rows]
        pending = await _newest(
            session,
            ITEMS.c.key,
            ids,
            ITEMS.c.detail_pending,
            (ITEMS.c.published_at.desc().nulls_last(), ITEMS.c.id.desc()),
            PENDING_DETAILS,
        )
        recent = await _newest(
            session,
            ITEMS.c.published_at,
            ids,
            ITEMS.c.published_at.is_not(None),
            (ITEMS.c.published_at.desc(),),
            RECENT_DATES,
        )
        for row in rows:
            out[row.key] = SourceCursor(
                etag=row.etag,
                last_modified=row.last_modified,
                first_poll=not row.baseline_done,
                failures=row.consecutive_failures,
                pending=tuple(pending.get(row.id, ())),
                failing_since=row.failing_since,
                recent=tuple(d for d in recent.get(row.id, ()) if d is not None),
            )
    return out


async def _newest(
    session: Tx, column: Any, source_ids: list[int], where: Any, order: tuple[Any, ...], limit: int
) -> dict[int, list[Any]]:
    """The first `limit` values of `column` per source, in `order`: one windowed SELECT."""
    if not source_ids:
        return {}
    rank = func.row_number().over(partition_by=ITEMS.c.source_id, order_by=order).label("rank")
    ranked = (
        select(ITEMS.c.source_id, column.label("value"), rank)
        .where(ITEMS.c.source_id.in_(source_ids), where)
        .subquery()
    )
    stmt = (
        select(ranked.c.source_id, ranked.c.value)
        .where(ranked.c.rank <= limit)
        .order_by(ranked.c.source_id, ranked.c.rank)
    )
    found: dict[int, list[Any]] = {}
    for source_id, value in await session.execute(stmt):
        found.setdefault(source_id, []).append(value)
    return found


async def _existing(session: Tx, column: Any, pairs: Sequence[tuple[int, str]]) -> set[tuple[int, str]]:
    found: set[tuple[int, str]] = set()
    for chunk in chunks(pairs):
        stmt = select(ITEMS.c.source_id, column).where(tuple_(ITEMS.c.source_id, column).in_(chunk))
        found.update((row[0], row[1]) for row in await session.execute(stmt))
    return found


MAX_KEY = 1000  # items.key column


def storage_key(key: str) -> str:
    """An item key as stored: a key longer than the column keeps its start and a hash of the whole."""
    if len(key) <= MAX_KEY:
        return key
    return key[: MAX_KEY - 65] + "#" + hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


def clean_text(value: str | None, limit: int | None = None) -> str | None:
    """What the database accepts from a publisher: no NUL characters (PostgreSQL refuses them in
    text), and no more than the column holds."""
    if value is None:
        return None
    value = value.replace("\x00", "")
    return value[:limit] if limit is not None else value


def _row(source_id: int, item: Item, now: datetime, baseline: bool, republished: bool) -> dict[str, Any]:
    return {
        "source_id": source_id,
        "key": item.key,
        "url": clean_text(item.url, 2000),
        "title": clean_text(item.title) or "",
        "text": clean_text(item.text) or "",
        "model_id": clean_text(item.model_id, 300),
        "lab": clean_text(item.lab, 200),
        "content_hash": item.content_hash,
        "published_at": item.published,
        "first_seen_at": now,
        "baseline": baseline,
        "detail_pending": item.detail_pending,
        # stored so `known_keys` knows its key, but never detected: not news
        "detected_at": now if republished else None,
    }


async def store_polls_in(
    session: Tx, dialect: str, sources: dict[str, Any], polls: Sequence[PollRecord], now: datetime
) -> dict[str, list[Item]]:
    """Store the items of `polls` and update their sources' state; return the new items per
    source key. `sources` maps each poll's source key to its row (id, etag, last_modified,
    baseline_done)."""
    for poll in polls:  # details may come with a 304 too (pending articles of a page): rare
        if poll.result.details:
            await store_details_in(
                session,
                sources[poll.spec.key].id,
                poll.result.details,
                key_of=storage_key,
                clean=lambda t: clean_text(t) or "",
            )
    unique: dict[tuple[int, str], Item] = {}
    for poll in polls:
        if poll.result.not_modified:
            continue
        sid = sources[poll.spec.key].id
        for item in poll.result.items:
            key = storage_key(item.key)
            unique.setdefault((sid, key), item if key == item.key else replace(item, key=key))
    baseline = {row.id: not row.baseline_done for row in sources.values()}
    # a source before its first stored poll has no items (they are stored with baseline_done)
    stored = [pair for pair in unique if not baseline[pair[0]]]
    known = await _existing(session, ITEMS.c.key, stored)
    urls: list[tuple[int, str]] = []
    for sid, key in stored:
        url = unique[sid, key].url
        if url and (sid, key) not in known:
            urls.append((sid, url))
    urls = list(dict.fromkeys(urls))
    known_urls = await _existing(session, ITEMS.c.url, urls)
    rows: list[dict[str, Any]] = []
    candidates: list[tuple[int, Item]] = []
    for (sid, key), item in unique.items():
        if (sid, key) in known:
            continue
        # A page's key carries a hash of its text: an edited page is a new item at the same URL.
        republished = (
            item.url is not None and (sid, item.url) in known_urls and item.source_kind is not SourceKind.PAGE
        )
        if item.url:
            known_urls.add((sid, item.url))  # a second entry with this URL in the same poll repeats
        rows.append(_row(sid, item, now, baseline[sid], republished))
        if not republished:
            candidates.append((sid, item))
    inserted: set[tuple[int, str]] = set()
    if rows:  # Core executemany: the driver batches it ("insertmanyvalues"), nothing compiled per row
        stmt = insert_new(dialect, ITEMS, None, key=["source_id", "key"])
        stmt = stmt.returning(ITEMS.c.source_id, ITEMS.c.key)
        inserted.update((r[0], r[1]) for r in await session.execute(stmt, rows))
    await session.execute(_STATE_UPDATE, [_state(p, sources[p.spec.key], now) for p in polls])
    by_id = {sources[p.spec.key].id: p.spec.key for p in polls}
    new: dict[str, list[Item]] = {p.spec.key: [] for p in polls}
    for sid, item in candidates:
        if (sid, item.key) in inserted:
            new[by_id[sid]].append(item)
    return new


_STATE_COLUMNS = (
    "etag",
    "last_modified",
    "baseline_done",
    "last_polled_at",
    "last_success_at",
    "next_poll_at",
    "consecutive_failures",
    "last_error",
    "failure_reported",
    "failing_since",
    "paused",
    "lease_owner",
    "lease_until",
)
_STATE_UPDATE = (
    update(SOURCES)
    .where(SOURCES.c.id == bindparam("row_id"))
    .values({name: bindparam(name) for name in _STATE_COLUMNS})
)


def _state(poll: PollRecord, row: Any, now: datetime) -> dict[str, Any]:
    result = poll.result
    changed = not result.not_modified
    return {
        "row_id": row.id,
        "etag": (result.etag or row.etag) if changed else row.etag,
        "last_modified": (result.last_modified or row.last_modified) if changed else row.last_modified,
        "baseline_done": True if changed else row.baseline_done,
        "last_polled_at": now,
        "last_success_at": now,
        "next_poll_at": poll.next_poll_at,
        "consecutive_failures": 0,
        "last_error": None,
        "failure_reported": False,
        "failing_since": None,
        "paused": False,
        "lease_owner": None,
        "lease_until": None,
    }


RowIds = dict[tuple[str, str], int]
"""Stored items' row ids by (source key, item key), as a read of pending items found them."""


async def mark_detected_in(
    session: Tx, items: Sequence[Item], now: datetime, row_ids: RowIds | None = None
) -> RowIds:
    """Set `detected_at` on the stored rows of `items`, one UPDATE per chunk; their row ids by
    (source key, item key). Items whose row id `row_ids` holds (read with them from storage) are
    marked by id; the others by (source, key), after a read of their sources' ids."""
    by_id: dict[int, tuple[str, str]] = {}
    rest: list[Item] = []
    for item in items:
        row_id = row_ids.get((item.source_key, item.key)) if row_ids else None
        if row_id is None:
            rest.append(item)
        else:
            by_id[row_id] = (item.source_key, item.key)
    marked: RowIds = {}
    for id_chunk in chunks(list(by_id), 800):
        stmt = update(ITEMS).where(ITEMS.c.id.in_(id_chunk)).values(detected_at=now).returning(ITEMS.c.id)
        marked.update((by_id[r[0]], r[0]) for r in await session.execute(stmt))
    if not rest:
        return marked
    source_keys = sorted({item.source_key for item in rest})
    ids: dict[str, int] = {}
    for chunk in chunks(source_keys, 800):
        rows = await session.execute(select(SOURCES.c.key, SOURCES.c.id).where(SOURCES.c.key.in_(chunk)))
        ids.update((row.key, row.id) for row in rows)
    keys = {source_id: key for key, source_id in ids.items()}
    pairs = [(ids[i.source_key], i.key) for i in rest if i.source_key in ids]
    for chunk in chunks(pairs):
        stmt = (
            update(ITEMS)
            .where(tuple_(ITEMS.c.source_id, ITEMS.c.key).in_(chunk))
            .values(detected_at=now)
            .returning(ITEMS.c.id, ITEMS.c.source_id, ITEMS.c.key)
        )
        marked.update(((keys[r[1]], r[2]), r[0]) for r in await session.execute(stmt))
    return marked
