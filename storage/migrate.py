"""Alembic migrations, run from code: at every start and by `gapwatch db upgrade`.

No alembic.ini is needed: the config is built here with `script_location` pointing at the
`migrations/` folder shipped inside the package, so an installed (non-editable) gapwatch works.
Concurrent starts are safe: on PostgreSQL the upgrade runs under a transaction-level advisory
lock; on SQLite under `BEGIN IMMEDIATE`, the database's single write lock.

Every start checks the database's revision first with one SELECT on `alembic_version` against
the head read from the revision files (no Alembic import: it costs ~70 ms of CPU per process);
Alembic is loaded only when there is something to migrate. A database with no tables at all (a
first start) gets the schema of storage/tables.py with `create_all` and is stamped at the head,
without Alembic (running the migrations one by one costs ~0.3 CPU-s); the result is the schema
the migrations build (tests/storage/test_migrations.py compares the two).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.errors import StoreError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
ADVISORY_LOCK_ID = 0x67617077  # "gapw": any constant shared by every gapwatch process
_REVISION = re.compile(
    r"^(down_revision|revision)\s*(?::[^=]*)?=\s*(?:[\"']([^\"']+)[\"']|None)", re.MULTILINE
)


def alembic_config() -> Config:
    """An Alembic config for the packaged migrations (no ini file)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str | None:
    """The newest revision shipped with this gapwatch."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def shipped_head() -> str | None:
    """The head revision read from the revision files' `revision` / `down_revision` lines,
    without Alembic; None when the files do not form one linear history (then Alembic decides)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        found = dict((m.group(1), m.group(2)) for m in _REVISION.finditer(path.read_text(encoding="utf-8")))
        if found.get("revision") is None:
            return None
        revisions.add(found["revision"])
        if found.get("down_revision"):
            parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


async def _is_current(engine: AsyncEngine) -> bool:
    head = shipped_head()
    if head is None:
        return False
    try:
        async with engine.connect() as conn:
            rows = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalars().all()
    except SQLAlchemyError:  # no table yet (a new database): Alembic creates everything
        return False
    return list(rows) == [head]


def masked_url(engine: AsyncEngine) -> str:
    return make_url(engine.url).render_as_string(hide_password=True)


def _cause(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)  # SQLAlchemy DBAPIError wraps the driver's error
    inner = orig if isinstance(orig, BaseException) else exc
    while inner.__cause__ is not None:  # ...which may wrap asyncpg's own (InvalidPasswordError)
        inner = inner.__cause__
    message = str(inner).strip().splitlines()
    first = message[0] if message else ""
    return f"{type(inner).__name__}: {first}" if first else type(inner).__name__


def store_error(engine: AsyncEngine, exc: BaseException) -> StoreError:
    """The one-line error for a database that cannot be reached or refused the connection."""
    return StoreError(f"cannot reach database at {masked_url(engine)}: {_cause(exc)}")


def _upgrade_sync(connection: Connection, config: Config) -> None:
    from alembic import command

    config.attributes["connection"] = connection
    command.upgrade(config, "head")


async def _create_fresh(engine: AsyncEngine) -> bool:
    """On a database without any table: create the schema and stamp the head revision, in one
    transaction under the migration lock; False (nothing done) when any table exists."""
    head = shipped_head()
    if head is None:
        return False
    from sqlalchemy import inspect

    from storage.tables import metadata

    def create(connection: Connection) -> bool:
        if inspect(connection).get_table_names():
            return False  # something is there (maybe a concurrent start's schema): Alembic decides
        metadata.create_all(connection)
        connection.execute(
            text(
                "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
            )
        )
        connection.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": head})
        return True

    async with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            await conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": ADVISORY_LOCK_ID})
        elif conn.dialect.name == "sqlite":
            await conn.exec_driver_sql("BEGIN IMMEDIATE")
        return bool(await conn.run_sync(create))


async def upgrade(engine: AsyncEngine, *, create_fresh: bool = True) -> None:
    """Bring the database to the newest revision; a no-op when it is there already.
    `create_fresh` False: an empty database is migrated by Alembic too (tests compare the two).

    Raises:
        StoreError: the database is unreachable, refused us, or is at a revision this
            gapwatch does not know (a newer gapwatch migrated it).
    """
    try:
        if await _is_current(engine):
            return
        if create_fresh and await _create_fresh(engine):
            return
    except (OSError, SQLAlchemyError) as exc:
        raise store_error(engine, exc) from exc
    except Exception as exc:  # asyncpg raises its own tree (e.g. InvalidCatalogNameError) on connect
        if type(exc).__module__.startswith("asyncpg"):
            raise store_error(engine, exc) from exc
        raise
    from alembic.util import CommandError

    config = alembic_config()
    try:
        async with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                await conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": ADVISORY_LOCK_ID})
            elif conn.dialect.name == "sqlite":
                await conn.exec_driver_sql("BEGIN IMMEDIATE")
            await conn.run_sync(_upgrade_sync, config)
    except CommandError as exc:
        raise StoreError(f"cannot migrate database at {masked_url(engine)}: {exc}") from exc
    except (OSError, SQLAlchemyError) as exc:
        raise store_error(engine, exc) from exc
    except Exception as exc:  # asyncpg raises its own tree (e.g. InvalidCatalogNameError) on connect
        if type(exc).__module__.startswith("asyncpg"):
            raise store_error(engine, exc) from exc
        raise


def _current_sync(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


async def current_revision(engine: AsyncEngine) -> str | None:
    """The database's revision (None for an empty database)."""
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(_current_sync)
    except (OSError, SQLAlchemyError) as exc:
        raise store_error(engine, exc) from exc
    except Exception as exc:
        if type(exc).__module__.startswith("asyncpg"):
            raise store_error(engine, exc) from exc
        raise
