"""Alembic environment for gapwatch (async engines: sqlite+aiosqlite and postgresql+asyncpg).

`storage.migrate.upgrade()` hands in an open connection through `config.attributes["connection"]`
(inside its transaction, under its lock). Run by the `alembic` command instead, the URL comes
from the `sqlalchemy.url` option or $GAPWATCH_DATABASE_URL.
"""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from storage.schema import Base

config = context.config
target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
        compare_type=True,
    )


def run_with_connection(connection: Connection) -> None:
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()


async def _run_with_new_engine(url: str) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(run_with_connection)
    finally:
        await engine.dispose()


def run_offline(url: str) -> None:
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_with_connection(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or os.environ.get("GAPWATCH_DATABASE_URL")
    if not url:
        raise RuntimeError("no database: set sqlalchemy.url or $GAPWATCH_DATABASE_URL")
    if context.is_offline_mode():
        run_offline(url)
    else:
        asyncio.run(_run_with_new_engine(url))


main()
