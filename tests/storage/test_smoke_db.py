from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from storage.schema import SourceRow


async def test_timestamps_come_back_utc(db) -> None:  # type: ignore[no-untyped-def]
    now = datetime(2025, 1, 20, 12, 0, tzinfo=UTC)
    async with db.sessions.begin() as s:
        s.add(SourceRow(key="feed:x", kind="feed", target="x", name="x", last_polled_at=now))
    async with db.sessions() as s:
        row = (await s.execute(select(SourceRow))).scalar_one()
    assert row.last_polled_at == now and row.last_polled_at.tzinfo is not None
