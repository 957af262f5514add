"""Source polling state read and written inside a Repository transaction: the cursor a source
polls from (validators, pending details, recent entry dates), every source's health, and the
details that fill in items stored before them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from sqlalchemy import and_, func, select, update

from bot.domain import SourceCursor, SourceHealth
from storage.rows import source_health
from storage.tables import ITEMS, SOURCES

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

    Tx = AsyncConnection | AsyncSession

PENDING_DETAILS = 200  # pending item keys a cursor carries (the source takes what its budget allows)
RECENT_DATES = 10  # newest entry dates a cursor carries, for adaptive polling


async def cursor_in(session: Tx, source_key: str) -> SourceCursor:
    row = (await session.execute(select(SOURCES).where(SOURCES.c.key == source_key))).first()
    if row is None:
        return SourceCursor()
    pending = (
        await session.scalars(
            select(ITEMS.c.key)
            .where(ITEMS.c.source_id == row.id, ITEMS.c.detail_pending)
            .order_by(ITEMS.c.published_at.desc().nulls_last(), ITEMS.c.id.desc())
            .limit(PENDING_DETAILS)
        )
    ).all()
    recent = (
        await session.scalars(
            select(ITEMS.c.published_at)
            .where(ITEMS.c.source_id == row.id, ITEMS.c.published_at.is_not(None))
            .order_by(ITEMS.c.published_at.desc())
            .limit(RECENT_DATES)
        )
    ).all()
    return SourceCursor(
        etag=row.etag,
        last_modified=row.last_modified,
        first_poll=not row.baseline_done,
        failures=row.consecutive_failures,
        pending=tuple(pending),
        failing_since=row.failing_since,
        recent=tuple(d for d in recent if d is not None),
    )


async def health_in(session: Tx) -> list[SourceHealth]:
    counts = select(ITEMS.c.source_id, func.count().label("n")).group_by(ITEMS.c.source_id).subquery()
    found = (
        await session.execute(
            select(SOURCES, counts.c.n)
            .outerjoin(counts, counts.c.source_id == SOURCES.c.id)
            .order_by(SOURCES.c.key)
        )
    ).all()
    return [source_health(r, items_seen=int(r.n or 0)) for r in found]


async def store_details_in(
    session: Tx,
    source_id: int,
    details: Sequence[tuple[str, str]],
    *,
    key_of: Callable[[str], str],
    clean: Callable[[str], str],
) -> None:
    """Fill in items stored without their detail; detection runs on them again (an item of the
    baseline stays baseline: its claims become history, not alerts)."""
    for key, text in details:
        pending = and_(ITEMS.c.source_id == source_id, ITEMS.c.key == key_of(key), ITEMS.c.detail_pending)
        filled = {"text": clean(text), "detail_pending": False, "detected_at": None}
        await session.execute(update(ITEMS).where(pending).values(**filled))
