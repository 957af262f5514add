"""Async engine and session factory from a SQLAlchemy URL; SQLite pragmas.

The engine is created without loading the ORM (storage/async_core.py): a polling cycle runs its
statements on the engine's connections, and only code that wants ORM sessions loads the ORM, at
`session_factory`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from bot.errors import ConfigError
from storage.async_core import core_engine_module

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

    SessionFactory = async_sessionmaker[AsyncSession]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        try:
            # WAL is a property of the file: once any connection set it, it stays. Several
            # connections opening a brand-new file at once may see "database is locked" here.
            cursor.execute("PRAGMA journal_mode=WAL")
        except Exception as exc:  # sqlite3.OperationalError through the aiosqlite adapter
            if "locked" not in str(exc):
                raise
    finally:
        cursor.close()


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """Create an async engine for `url` (sqlite+aiosqlite or postgresql+asyncpg).

    Raises:
        ConfigError: the URL is malformed or names a driver that is not installed/async.
    """
    create_async_engine = core_engine_module().create_async_engine
    try:
        engine: AsyncEngine = create_async_engine(url, pool_pre_ping=not url.startswith("sqlite"), **kwargs)
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise ConfigError(f"invalid database URL ({exc})", key="storage.url") from exc
    except Exception as exc:  # e.g. InvalidRequestError: driver is not async
        raise ConfigError(f"unusable database URL ({exc})", key="storage.url") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def session_factory(engine: AsyncEngine) -> SessionFactory:
    """ORM sessions on `engine` (this loads the ORM)."""
    from sqlalchemy.ext.asyncio import async_sessionmaker

    return async_sessionmaker(engine, expire_on_commit=False)
