"""Migrations: they apply on SQLite and PostgreSQL, are idempotent, match tables.py exactly,
survive concurrent starts, and an unreachable database is one clear line."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from bot.errors import StoreError
from storage.database import create_engine
from storage.migrate import current_revision, head_revision, upgrade
from storage.schema import Base


def _diff(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def test_head_matches_tables_py_exactly(db: Any) -> None:
    """Anyone who edits storage/schema.py without a migration fails here."""
    async with db.engine.connect() as conn:
        diffs = await conn.run_sync(_diff)
    assert diffs == []


async def test_upgrade_is_idempotent_and_reports_head(db: Any) -> None:
    head = head_revision()
    assert head is not None
    assert await current_revision(db.engine) == head
    await upgrade(db.engine)  # already at head: nothing to do, nothing breaks
    await upgrade(db.engine)
    assert await current_revision(db.engine) == head
    async with db.engine.connect() as conn:
        tables = await conn.run_sync(_tables)
    assert set(Base.metadata.tables) | {"alembic_version"} == tables


async def test_empty_database_has_no_revision(empty_db_url: str) -> None:
    engine = create_engine(empty_db_url)
    try:
        assert await current_revision(engine) is None
    finally:
        await engine.dispose()


async def test_concurrent_starts_migrate_once(empty_db_url: str) -> None:
    """Several processes starting at once: one migrates, the others find the schema at head."""
    engines = [create_engine(empty_db_url) for _ in range(4)]
    try:
        # An existing database file (switching a brand-new SQLite file to WAL is itself racy:
        # storage/database.py's PRAGMA journal_mode=WAL can fail with "database is locked").
        async with engines[0].connect():
            pass
        await asyncio.gather(*(upgrade(e) for e in engines))
        assert await current_revision(engines[0]) == head_revision()
        async with engines[0].connect() as conn:
            versions = (await conn.execute(text("SELECT count(*) FROM alembic_version"))).scalar_one()
        assert versions == 1
    finally:
        for engine in engines:
            await engine.dispose()


async def test_unknown_revision_is_a_store_error(empty_db_url: str) -> None:
    engine = create_engine(empty_db_url)  # its own database: the shared one stays at head
    try:
        await upgrade(engine)
        async with engine.begin() as conn:
            await conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
        with pytest.raises(StoreError, match="9999"):
            await upgrade(engine)
    finally:
        await engine.dispose()


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+asyncpg://nobody:s3cret@127.0.0.1:1/x",
        "sqlite+aiosqlite:////nonexistent-dir/sub/gapwatch.db",
    ],
)
async def test_unreachable_database_is_one_clear_line(url: str) -> None:
    engine = create_engine(url)
    try:
        with pytest.raises(StoreError) as info:
            await upgrade(engine)
        with pytest.raises(StoreError):
            await current_revision(engine)
    finally:
        await engine.dispose()
    message = str(info.value)
    assert message.startswith("cannot reach database at ")
    assert "\n" not in message
    assert "s3cret" not in message
    assert isinstance(info.value.__cause__, BaseException)
