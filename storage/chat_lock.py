"""One replica holds the chat connections (Discord gateway, Slack Socket Mode).

Why: every gateway session of one bot token receives every interaction, so two replicas
connected at once would both answer each `/gap` (the second answer fails as "unknown
interaction" and shows an error in the channel); Slack spreads envelopes over sockets, but one
holder keeps both platforms alike and the logs in one place. Alert delivery does not need this:
outbox rows are leased with SKIP LOCKED by every replica.

How: a PostgreSQL session-level advisory lock (`pg_try_advisory_lock`), taken on a connection
kept open for as long as the replica runs. When the holder dies its connection closes, the
server releases the lock, and the next replica that tries takes it. SQLite is one process:
the lock is always granted there.
"""

from __future__ import annotations

import logging
import zlib
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger("gapwatch.storage")

LOCK_NAME = "gapwatch:chat-connections"
LOCK_KEY = zlib.crc32(LOCK_NAME.encode())  # a stable 32-bit key for pg_*_advisory_lock


class ChatLock:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._conn: AsyncConnection | None = None

    @property
    def held(self) -> bool:
        return self._conn is not None or self._engine.dialect.name != "postgresql"

    async def try_acquire(self) -> bool:
        """Take the lock if no other replica holds it; True when this replica holds it."""
        if self.held:
            return True
        conn: Any = None
        try:
            conn = await self._engine.connect()
            got = bool(await conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": LOCK_KEY}))
            await conn.commit()  # end the implicit transaction; the session lock stays
        except (SQLAlchemyError, OSError) as exc:
            log.debug("chat lock: cannot ask the database (%s)", type(exc).__name__)
            got = False
        if not got:
            if conn is not None:
                await conn.close()
            return False
        self._conn = conn
        return True

    async def still_held(self) -> bool:
        """Is the lock's connection alive? (A database restart drops the lock with it.)"""
        if self._conn is None:
            return self.held
        try:
            await self._conn.execute(text("SELECT 1"))
            await self._conn.commit()
        except (SQLAlchemyError, OSError):
            await self.release()
            return False
        return True

    async def release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            await conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY})
            await conn.commit()
        except (SQLAlchemyError, OSError):
            pass  # the connection is gone: so is the lock
        finally:
            try:
                await conn.close()
            except (SQLAlchemyError, OSError):
                pass
