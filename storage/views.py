"""Read-only views for people and probes: `gapwatch outbox`, the status page, /healthz."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.errors import StoreError
from storage.outbox import FAILED, PENDING, SENT, _summary
from storage.schema import OutboxRow

STATUSES = (PENDING, SENT, FAILED)


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    id: int
    status: str  # pending | sent | failed (parked)
    destination: str
    kind: str
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    next_attempt_at: datetime | None
    last_error: str | None
    summary: str

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "status": "parked" if self.status == FAILED else self.status,
            "destination": self.destination,
            "kind": self.kind,
            "attempts": self.attempts,
            "created_at": self.created_at.isoformat(),
            "sent_at": self.sent_at.isoformat() if self.sent_at else None,
            "next_attempt_at": self.next_attempt_at.isoformat() if self.next_attempt_at else None,
            "last_error": self.last_error,
            "summary": self.summary,
        }


class Views:
    def __init__(self, engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._engine = engine
        self._sessions = sessions

    async def ping(self) -> None:
        """Does the database answer a trivial query?

        Raises:
            StoreError: it does not (names the driver's error class).
        """
        try:
            async with self._engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except (SQLAlchemyError, OSError) as exc:
            raise StoreError(f"not answering ({type(exc).__name__})") from exc

    async def outbox(self, statuses: Sequence[str] = STATUSES, *, limit: int = 50) -> list[OutboxEntry]:
        """Rows in these states, newest first."""
        query = (
            select(OutboxRow)
            .where(OutboxRow.status.in_(list(statuses)))
            .order_by(OutboxRow.id.desc())
            .limit(limit)
        )
        try:
            async with self._sessions() as session:
                rows = (await session.scalars(query)).all()
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read the outbox: {type(exc).__name__}") from exc
        return [
            OutboxEntry(
                r.id,
                r.status,
                r.destination,
                r.kind,
                r.attempts,
                r.created_at,
                r.sent_at,
                r.next_attempt_at if r.status == PENDING else None,
                r.last_error,
                _summary(dict(r.payload or {})),
            )
            for r in rows
        ]

    async def status_of(self, ids: Sequence[int]) -> dict[int, str]:
        async with self._sessions() as session:
            rows = (
                await session.execute(select(OutboxRow.id, OutboxRow.status).where(OutboxRow.id.in_(ids)))
            ).all()
        return {int(i): str(s) for i, s in rows}

    async def parked_ids(self) -> list[int]:
        async with self._sessions() as session:
            rows = await session.scalars(select(OutboxRow.id).where(OutboxRow.status == FAILED))
            return [int(i) for i in rows]
