"""Storage: SQLAlchemy Core tables and statements, the ORM where objects are wanted, Alembic.

Importing the package registers `sqlalchemy.ext.asyncio` with its ORM part deferred
(storage/async_core.py): a polling cycle's statements, claims and alerts included, are Core
statements on the engine's connections and never load the ORM (chat commands' views do).
"""

from storage.async_core import defer_orm

defer_orm()
