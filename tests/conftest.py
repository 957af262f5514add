"""Shared fixtures: a database on SQLite and on PostgreSQL, and no real network.

Every test that takes `db` (or `db_url`) runs twice, on SQLite and on PostgreSQL, each time on a
database migrated to head and holding no rows. Migrations run once per test session: SQLite
tests get a copy of a migrated template file; PostgreSQL tests share one database per test
process (created on the server of $GAPWATCH_TEST_PG, default
postgresql+asyncpg://postgres@127.0.0.1:5432/test, named with the pid), emptied (DELETE, sequences
restarted) before each test. Tests that need a database without the schema take `empty_db_url`.
Outside CI, the PostgreSQL case is skipped when the server is unreachable; under CI=true it fails.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage.database import create_engine, session_factory
from storage.migrate import upgrade
from storage.schema import Base

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
    sessions: async_sessionmaker[AsyncSession]

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _require_pg() -> None:
    if not _pg_reachable():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not reachable on 127.0.0.1:5432 (CI must start it)")
        pytest.skip("PostgreSQL not reachable on 127.0.0.1:5432")


def _pg_admin(sql: str) -> None:
    async def run() -> None:
        engine = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as conn:
                await conn.execute(text(sql))
        finally:
            await engine.dispose()

    asyncio.run(run())


@contextmanager
def _pg_database(prefix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database with a name no other process uses; dropped after."""
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    _pg_admin(f'CREATE DATABASE "{name}"')
    try:
        yield PG_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        _pg_admin(f'DROP DATABASE "{name}" WITH (FORCE)')


async def _migrate(url: str) -> None:
    engine = create_engine(url)
    try:
        await upgrade(engine, create_fresh=False)  # the migrations, so the tests check what they build
    finally:
        await engine.dispose()


async def _empty(url: str) -> None:
    """Delete every row and restart the id sequences (on tables this small, DELETE is much
    faster than TRUNCATE, which rewrites each table's files)."""
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            # a test that left a transaction open would block us: fail instead of hanging
            await conn.execute(text("SET LOCAL lock_timeout = '10s'"))
            for table in reversed(Base.metadata.sorted_tables):
                await conn.execute(table.delete())
            await conn.execute(
                text(
                    "SELECT setval(oid::regclass, 1, false) FROM pg_class"
                    " WHERE relkind = 'S' AND relnamespace = 'public'::regnamespace"
                )
            )
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def _pg_migrated() -> Iterator[str]:
    """This test process's PostgreSQL database, migrated to head once."""
    _require_pg()
    with _pg_database("gw_session") as url:
        asyncio.run(_migrate(url))
        yield url


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once, copied for each test."""
    path = tmp_path_factory.mktemp("sqlite-template") / "head.db"
    asyncio.run(_migrate(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL for a database at head with no rows: a copy of the migrated SQLite file, or the
    session's PostgreSQL database emptied."""
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), path)
        return f"sqlite+aiosqlite:///{path}"
    url: str = request.getfixturevalue("_pg_migrated")
    asyncio.run(_empty(url))
    return url


@pytest.fixture(params=BACKENDS)
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL for a database without the schema: a new SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
        return
    _require_pg()
    with _pg_database("gw_empty") as url:
        yield url


@pytest_asyncio.fixture
async def db(db_url: str) -> AsyncIterator[Database]:
    """An engine on a database migrated to head (the schema users get, not create_all's)."""
    engine = create_engine(db_url)
    yield Database(db_url, engine, session_factory(engine))
    await engine.dispose()
