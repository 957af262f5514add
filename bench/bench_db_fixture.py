"""What one database test pays before it runs: the old fixture (a new database, migrated, dropped
after) against the new one (a migrated database per session; per test a copied SQLite file, or
the PostgreSQL database emptied with DELETE and its sequences restarted).

python bench/bench_db_fixture.py [--rounds 10]
PostgreSQL is measured when 127.0.0.1:5432 answers ($GAPWATCH_TEST_PG, default postgres@/test).
Wall-clock medians per test; the machine's load moves them, the ratio much less.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from storage.database import create_engine  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.schema import Base  # noqa: E402

PG_URL = os.environ.get("GAPWATCH_TEST_PG", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")


def pg_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


async def admin(sql: str) -> None:
    engine = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(sql))
    finally:
        await engine.dispose()


async def migrate(url: str) -> None:
    engine = create_engine(url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


async def empty(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            for table in reversed(Base.metadata.sorted_tables):
                await conn.execute(table.delete())
            await conn.execute(
                text(
                    "SELECT setval(oid::regclass, 1, false) FROM pg_class"
                    " WHERE relkind = 'S' AND relnamespace = 'public'::regnamespace"
                )
            )
    finally:
        await engine.dispose()


def pg_url(name: str) -> str:
    return PG_URL.rsplit("/", 1)[0] + "/" + name


async def pg_old() -> None:
    name = f"gw_bench_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    await admin(f'CREATE DATABASE "{name}"')
    await migrate(pg_url(name))
    await admin(f'DROP DATABASE "{name}" WITH (FORCE)')


def median_ms(run: Callable[[], Awaitable[None]], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        asyncio.run(run())
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "head.db"
        asyncio.run(migrate(f"sqlite+aiosqlite:///{template}"))
        counter = iter(range(10**6))

        async def sqlite_old() -> None:
            await migrate(f"sqlite+aiosqlite:///{tmp}/old{next(counter)}.db")

        async def sqlite_new() -> None:
            shutil.copyfile(template, Path(tmp) / f"new{next(counter)}.db")

        rows = [("sqlite", median_ms(sqlite_old, rounds), median_ms(sqlite_new, rounds))]
    if pg_up():
        shared = f"gw_bench_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        asyncio.run(admin(f'CREATE DATABASE "{shared}"'))
        try:
            asyncio.run(migrate(pg_url(shared)))
            new = median_ms(lambda: empty(pg_url(shared)), rounds)
            rows.append(("postgresql", median_ms(pg_old, rounds), new))
        finally:
            asyncio.run(admin(f'DROP DATABASE "{shared}" WITH (FORCE)'))
    else:
        print("postgresql: not reachable on 127.0.0.1:5432, skipped")
    for backend, old, new in rows:
        print(f"{backend}: per-test database setup {old:.0f} ms before, {new:.1f} ms now ({old / new:.0f}x)")


if __name__ == "__main__":
    main()
