"""SQLite connections go back to the pool rolled back only when a transaction is open (the pool's
own reset rolled back every time, one more hop to the aiosqlite thread per transaction)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import aiosqlite.core
import pytest
from sqlalchemy import text
from sqlalchemy.pool import PoolResetState

from storage.database import _sqlite_reset, create_engine


class _Adapted:
    """Shaped like SQLAlchemy's aiosqlite connection adapter around a sqlite3 connection."""

    def __init__(self, raw: sqlite3.Connection | None) -> None:
        self._connection = SimpleNamespace(_conn=raw) if raw is not None else None
        self.rollbacks = 0

    def rollback(self) -> None:
        self.rollbacks += 1
        if self._connection is not None:
            self._connection._conn.rollback()


def _state(*, was_reset: bool = False, safe: bool = True) -> PoolResetState:
    return PoolResetState(transaction_was_reset=was_reset, terminate_only=False, asyncio_safe=safe)


def test_an_open_transaction_is_rolled_back_and_an_idle_connection_left_alone(tmp_path: Path) -> None:
    raw = sqlite3.connect(tmp_path / "r.db")
    raw.execute("CREATE TABLE t (x INTEGER)")
    raw.commit()
    idle = _Adapted(raw)
    _sqlite_reset(idle, None, _state())
    assert idle.rollbacks == 0
    raw.execute("INSERT INTO t VALUES (1)")  # opens a transaction
    assert raw.in_transaction
    busy = _Adapted(raw)
    _sqlite_reset(busy, None, _state())
    assert busy.rollbacks == 1 and not raw.in_transaction
    assert raw.execute("SELECT count(*) FROM t").fetchone() == (0,)
    unknown = _Adapted(None)  # not the shape we know: roll back, as the pool would
    _sqlite_reset(unknown, None, _state())
    assert unknown.rollbacks == 1
    raw.execute("INSERT INTO t VALUES (1)")
    for state in (_state(was_reset=True), _state(safe=False)):  # the pool itself would do nothing
        skipped = _Adapted(raw)
        _sqlite_reset(skipped, None, state)
        assert skipped.rollbacks == 0
    raw.close()


async def test_committed_transactions_go_back_without_a_rollback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rollbacks: list[int] = []
    original = aiosqlite.core.Connection.rollback

    async def counted(self: Any) -> None:
        rollbacks.append(1)
        await original(self)

    monkeypatch.setattr(aiosqlite.core.Connection, "rollback", counted)
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'e.db'}")
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (x INTEGER)"))
        rollbacks.clear()  # (the dialect's first connect rolls back once, by itself)
        for n in range(3):
            async with engine.begin() as conn:
                await conn.execute(text("INSERT INTO t VALUES (:n)"), {"n": n})
        assert rollbacks == []
        with pytest.raises(RuntimeError):  # a failed transaction is still rolled back
            async with engine.begin() as conn:
                await conn.execute(text("INSERT INTO t VALUES (99)"))
                raise RuntimeError("boom")
        assert rollbacks == [1]
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar() == 3
    finally:
        await engine.dispose()
