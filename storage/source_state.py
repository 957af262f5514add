"""Source polling state read and written inside a Repository transaction: the cursor a source
polls from (validators, pending details, recent entry dates), every source's health, and the
details that fill in items stored before them."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import SourceCursor, SourceHealth
from storage.rows import source_health
from storage.schema import ItemRow, SourceRow

PENDING_DETAILS = 200  # pending item keys a cursor carries (the source takes what its budget allows)
RECENT_DATES = 10  # newest entry dates a cursor carries, for adaptive polling


async def cursor_in(session: AsyncSession, source_key: str) -> SourceCursor:
    row = await session.scalar(select(SourceRow).where(SourceRow.key == source_key))
    if row is None:
        return SourceCursor()
    pending = (
        await session.scalars(
            select(ItemRow.key)
            .where(ItemRow.source_id == row.id, ItemRow.detail_pending)
            .order_by(ItemRow.published_at.desc().nulls_last(), ItemRow.id.desc())
            .limit(PENDING_DETAILS)
        )
    ).all()
    recent = (
        await session.scalars(
            select(ItemRow.published_at)
            .where(ItemRow.source_id == row.id, ItemRow.published_at.is_not(None))
            .order_by(ItemRow.published_at.desc())
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


async def health_in(session: AsyncSession) -> list[SourceHealth]:
    counts = select(ItemRow.source_id, func.count().label("n")).group_by(ItemRow.source_id).subquery()
    found = (
        await session.execute(
            select(SourceRow, counts.c.n)
            .outerjoin(counts, counts.c.source_id == SourceRow.id)
            .order_by(SourceRow.key)
        )
    ).all()
    return [source_health(r, items_seen=int(n or 0)) for r, n in found]


async def store_details_in(
    session: AsyncSession,
    source_id: int,
    details: Sequence[tuple[str, str]],
    *,
    key_of: Callable[[str], str],
    clean: Callable[[str], str],
) -> None:
    """Fill in items stored without their detail; detection runs on them again (an item of the
    baseline stays baseline: its claims become history, not alerts)."""
    for key, text in details:
        pending = and_(ItemRow.source_id == source_id, ItemRow.key == key_of(key), ItemRow.detail_pending)
        filled = {"text": clean(text), "detail_pending": False, "detected_at": None}
        await session.execute(update(ItemRow).where(pending).values(**filled))
