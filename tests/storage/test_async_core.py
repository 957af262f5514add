"""storage/async_core.py: the async engine without the ORM, the ORM at the first name that needs
it. Run in a fresh interpreter (this test process imported `sqlalchemy.ext.asyncio` already)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.scenario.cli_runner import clean_env

_PROBE = """
import asyncio, sys
import storage  # defers the ORM part of sqlalchemy.ext.asyncio
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from storage.database import create_engine, session_factory
from storage.tables import SOURCES
import sqlalchemy.ext.asyncio as package

assert "sqlalchemy.orm" not in sys.modules, "the ORM was loaded by the engine's names"
assert package.AsyncEngine is package.engine.AsyncEngine
assert create_async_engine is package.engine.create_async_engine


async def main(url):
    engine = create_engine(url)
    async with engine.begin() as conn:
        assert isinstance(conn, AsyncConnection)
        await conn.execute(text("CREATE TABLE t (x INTEGER)"))
        await conn.execute(text("INSERT INTO t VALUES (1)"))
    assert "sqlalchemy.orm" not in sys.modules, "a Core transaction loaded the ORM"
    sessions = session_factory(engine)  # the first ORM name: the package's own __init__ runs
    assert "sqlalchemy.orm" in sys.modules
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    assert isinstance(sessions, async_sessionmaker)
    async with sessions() as session:
        assert isinstance(session, AsyncSession)
        assert await session.scalar(text("SELECT x FROM t")) == 1
    from storage.schema import SourceRow

    assert SourceRow.__table__ is SOURCES
    assert str(select(SourceRow.key)) == str(select(SOURCES.c.key))
    await engine.dispose()


asyncio.run(main(sys.argv[1]))
print("ok")
"""


def test_the_engine_comes_without_the_orm_and_the_orm_at_its_first_name(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'probe.db'}"
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, url], env=clean_env(), capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip().endswith("ok")
