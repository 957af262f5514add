"""Migrations: they apply on SQLite and PostgreSQL, are idempotent, match tables.py exactly,
survive concurrent starts, and an unreachable database is one clear line."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
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


def _schema(connection: Connection) -> dict[str, Any]:
    """Everything the database says about its tables, in a comparable form."""
    insp = inspect(connection)
    out: dict[str, Any] = {}
    for table in sorted(insp.get_table_names()):
        columns = sorted(  # by name: a column a migration added comes last, create_all's is in place
            (c["name"], str(c["type"]), c["nullable"], str(c.get("default")), c.get("autoincrement"))
            for c in insp.get_columns(table)
        )
        indexes = sorted(
            (i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in insp.get_indexes(table)
        )
        uniques = sorted((u["name"], tuple(u["column_names"])) for u in insp.get_unique_constraints(table))
        fks = sorted(
            (tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"]),
             str(sorted((f.get("options") or {}).items())))
            for f in insp.get_foreign_keys(table)
        )  # fmt: skip
        pk = tuple(insp.get_pk_constraint(table)["constrained_columns"])
        out[table] = {"columns": columns, "indexes": indexes, "uniques": uniques, "fks": fks, "pk": pk}
    return out


async def test_a_first_start_creates_the_schema_the_migrations_build(db: Any, empty_db_url: str) -> None:
    """An empty database gets storage/schema.py's tables with create_all and the head stamp, not
    the migrations one by one: the result is the schema the migrations build (`db` is migrated
    by Alembic), column by column, index by index, and Alembic finds nothing to change."""
    engine = create_engine(empty_db_url)
    if engine.dialect.name != db.engine.dialect.name:
        await engine.dispose()
        pytest.skip("compares two databases of one dialect")
    try:
        await upgrade(engine)
        assert await current_revision(engine) == head_revision()
        async with engine.connect() as conn:
            fresh = await conn.run_sync(_schema)
            assert await conn.run_sync(_diff) == []
        async with db.engine.connect() as conn:
            migrated = await conn.run_sync(_schema)
        for table in migrated:  # table by table, part by part: a failure names the difference
            for part in migrated[table]:
                assert (table, part, fresh[table][part]) == (table, part, migrated[table][part])
        assert fresh.keys() == migrated.keys()
        await upgrade(engine)  # at head now: nothing to do
        assert await current_revision(engine) == head_revision()
    finally:
        await engine.dispose()


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
        await asyncio.gather(*(upgrade(e) for e in engines))  # one creates, the others find it
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


def _upgrade_to(connection: Connection, revision: str) -> None:
    from alembic import command

    from storage.migrate import alembic_config

    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


async def test_0003_groups_existing_outbox_rows_and_reclusters_names(empty_db_url: str) -> None:
    """Rows written before message groups keep working: a pending update still waits for, and
    threads under, its claim's NEW row; competitor keys follow the identity rule."""
    engine = create_engine(empty_db_url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_upgrade_to, "0002")
            now = datetime(2025, 1, 20, 12, tzinfo=UTC)
            claim = (
                "INSERT INTO claims (id, competitor, competitor_norm, frontier_key, relation, relation_class,"
                " confidence, evidence_text, benchmarks, source_count, first_seen_at, updated_at, origin,"
                " alerted)"
                " VALUES (:id, :name, :norm, 'gpt-4o', 'matches', 'parity', 0.9, 'e', '[]', 1, :now, :now,"
                " 'detected', true)"
            )
            await conn.execute(
                text(claim), {"id": 1, "name": "MiniMax-Text-01", "norm": "minimaxtext01", "now": now}
            )
            await conn.execute(text(claim), {"id": 2, "name": "Qwen3-32B", "norm": "qwen332b", "now": now})
            row = (
                "INSERT INTO outbox (idempotency_key, destination, kind, claim_id, payload, status, attempts,"
                " next_attempt_at, created_at, failure_reported, message_ref)"
                " VALUES (:key, 'slack:C1', :kind, :claim, '{}', :status, 0, :now, :now, false, :ref)"
            )
            for key, kind, claim_id, status, ref in [
                ("1:slack:C1:new", "new", 1, "sent", "111.1"),
                ("1:slack:C1:update:2", "update", 1, "pending", None),
                ("digest:slack:C1:2025-W04:2", "digest", 2, "pending", None),
            ]:
                params = {
                    "key": key,
                    "kind": kind,
                    "claim": claim_id,
                    "status": status,
                    "ref": ref,
                    "now": now,
                }
                await conn.execute(text(row), params)
        await upgrade(engine)
        async with engine.connect() as conn:
            groups = (
                await conn.execute(text("SELECT kind, group_key, parent_group FROM outbox ORDER BY id"))
            ).all()
            norms = dict((await conn.execute(text("SELECT id, competitor_norm FROM claims"))).all())
        assert [tuple(g) for g in groups] == [
            ("new", "1:slack:C1:new", None),
            ("update", "1:slack:C1:update:2", "1:slack:C1:new"),
            ("digest", "digest:slack:C1:2025-W04", None),
        ]
        assert norms == {1: "minimax01", 2: "qwen3@32b"}
        from storage.database import session_factory
        from storage.outbox import Outbox

        leased = await Outbox(session_factory(engine), dialect=engine.dialect.name).lease(
            datetime(2025, 2, 1, tzinfo=UTC), "me", 10, 60
        )
        reply = next(a for a in leased if a.kind.value == "update")
        assert reply.thread_ref == "111.1"
    finally:
        await engine.dispose()
