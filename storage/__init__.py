"""Storage: SQLAlchemy Core tables and statements, the ORM where objects are wanted, Alembic.

Importing the package registers `sqlalchemy.ext.asyncio` with its ORM part deferred
(storage/async_core.py), so a polling cycle that records no claim never loads the ORM.
"""

from storage.async_core import defer_orm

defer_orm()
