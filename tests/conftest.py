"""Shared fixtures: a database on SQLite and on PostgreSQL, and no real network.

Every test that takes `db` runs twice: once on a fresh SQLite file, once on a fresh schema in
a fresh database created on the server of $GAPWATCH_TEST_PG (default postgresql+asyncpg://postgres@127.0.0.1:5432/test).
Outside CI, the PostgreSQL case is skipped when the server is unreachable; under CI=true it fails.
"""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.database import SessionFactory, create_engine, session_factory
from storage.migrate import upgrade

PG_URL = os.environ.get("GAPWATCH_TEST_PG", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def _pg_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


# --- no real network -------------------------------------------------------------------------

_real_getaddrinfo = socket.getaddrinfo


def _loopback_only(host: object, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
    name = host.decode() if isinstance(host, bytes) else str(host)
    if name not in ("localhost", "127.0.0.1", "::1", "0.0.0.0", "") and not name.startswith("127."):
        raise OSError(f"test tried to reach the network: {name}")
    return _real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any name resolution outside loopback fails the test (like PTB's OfflineRequest)."""
    monkeypatch.setattr(socket, "getaddrinfo", _loopback_only)


# --- database --------------------------------------------------------------------------------


@dataclass
class Database:
    url: str
    engine: AsyncEngine
    sessions: SessionFactory

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL for an empty database: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
        return
    if not _pg_reachable():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not reachable on 127.0.0.1:5432 (CI must start it)")
        pytest.skip("PostgreSQL not reachable on 127.0.0.1:5432")
    name = f"gw_{uuid.uuid4().hex[:12]}"

    async def _exec(sql: str) -> None:
        engine = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        async with engine.connect() as conn:
            await conn.execute(text(sql))
        await engine.dispose()

    asyncio.run(_exec(f'CREATE DATABASE "{name}"'))
    yield PG_URL.rsplit("/", 1)[0] + "/" + name
    asyncio.run(_exec(f'DROP DATABASE "{name}" WITH (FORCE)'))


@pytest_asyncio.fixture
async def db(db_url: str) -> AsyncIterator[Database]:
    """An engine on a database migrated to head (the schema users get, not create_all's)."""
    engine = create_engine(db_url)
    await upgrade(engine)
    yield Database(db_url, engine, session_factory(engine))
    await engine.dispose()
