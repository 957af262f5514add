"""INSERT ... ON CONFLICT on both dialects, in one place.

SQLite and PostgreSQL share the syntax but SQLAlchemy builds it from each dialect's own `insert`;
every module that inserts idempotently goes through these two functions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

Rows = Mapping[str, Any] | Sequence[Mapping[str, Any]] | None


def _insert(dialect: str, table: Any, values: Rows) -> Any:
    # the dialect in use only: a SQLite bot never loads the PostgreSQL dialect (~30 ms of imports)
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        stmt: Any = pg_insert(table)
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        stmt = sqlite_insert(table)
    return stmt if values is None else stmt.values(values)


def insert_new(dialect: str, table: Any, values: Rows, *, key: Sequence[str]) -> Any:
    """INSERT the row(s) unless one with the same `key` columns exists (ON CONFLICT DO NOTHING).
    Add `.returning(...)` to learn which rows were new. `values` None: the rows are given to
    `execute` as a list instead (executemany, batched by the driver, nothing compiled per row;
    many rows as VALUES compile every parameter)."""
    return _insert(dialect, table, values).on_conflict_do_nothing(index_elements=list(key))


def upsert(
    dialect: str,
    table: Any,
    values: Mapping[str, Any],
    *,
    key: Sequence[str],
    update: Mapping[str, Any] | None = None,
) -> Any:
    """INSERT the row, or UPDATE the existing one with the same `key` columns.

    Args:
        update: the columns to set on conflict; None = every inserted column but the key, to the
            inserted value (EXCLUDED.column).
    """
    stmt = _insert(dialect, table, values)
    if update is None:
        update = {name: stmt.excluded[name] for name in values if name not in key}
    return stmt.on_conflict_do_update(index_elements=list(key), set_=dict(update))


def upsert_many(
    dialect: str, table: Any, *, key: Sequence[str], columns: Sequence[str], also: Mapping[str, Any]
) -> Any:
    """`upsert` for many rows at once (give them to `execute` as a list: executemany): on
    conflict, `columns` take the inserted values and `also` its constants."""
    stmt = _insert(dialect, table, None)
    update = {name: stmt.excluded[name] for name in columns} | dict(also)
    return stmt.on_conflict_do_update(index_elements=list(key), set_=update)
