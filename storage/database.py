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
    sqlite = url.startswith("sqlite")
    own_reset = sqlite and "pool_reset_on_return" not in kwargs
    if own_reset:  # the pool's rollback on return is _sqlite_reset's: only when there is something to undo
        kwargs["pool_reset_on_return"] = None
    try:
        engine: AsyncEngine = create_async_engine(url, pool_pre_ping=not sqlite, **kwargs)
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise ConfigError(f"invalid database URL ({exc})", key="storage.url") from exc
    except Exception as exc:  # e.g. InvalidRequestError: driver is not async
        raise ConfigError(f"unusable database URL ({exc})", key="storage.url") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        if own_reset:
            event.listen(engine.sync_engine, "reset", _sqlite_reset)
    return engine


def _sqlite_reset(dbapi_connection: Any, _record: Any, state: Any) -> None:
    """The pool's rollback-on-return, without the rollback when the SQLite connection has no
    transaction open (sqlite3 itself does nothing then, but reaching it is one more hop to the
    aiosqlite thread, about a fifth of a one-statement transaction's CPU: a transaction that
    committed is always returned that way)."""
    if not state.asyncio_safe or state.transaction_was_reset:
        return  # as the pool's own reset: nothing to do
    raw = getattr(getattr(dbapi_connection, "_connection", None), "_conn", None)  # aiosqlite -> sqlite3
    if raw is not None and getattr(raw, "in_transaction", True) is False:
        return
    dbapi_connection.rollback()


def session_factory(engine: AsyncEngine) -> SessionFactory:
    """ORM sessions on `engine` (this loads the ORM)."""
    from sqlalchemy.ext.asyncio import async_sessionmaker

    return async_sessionmaker(engine, expire_on_commit=False)
