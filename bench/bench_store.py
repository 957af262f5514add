"""record_poll throughput: items per second stored (first poll) and re-checked (repeat polls).

python bench/bench_store.py [--url sqlite+aiosqlite:///bench.db | postgresql+asyncpg://...]
                            [--sources 100] [--items 50]
Without --url: a temporary SQLite file, and a fresh PostgreSQL database on 127.0.0.1:5432 if up.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from bot.domain import Item, PollResult, SourceKind, SourceSpec  # noqa: E402
from storage.database import create_engine, session_factory  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.repo import Repository  # noqa: E402

T0 = datetime(2025, 1, 20, tzinfo=UTC)


def results(spec: SourceSpec, start: int, count: int) -> PollResult:
    items = tuple(
        Item(
            spec.key,
            f"guid-{n}",
            f"Model {n} released",
            f"https://example.org/{spec.name}/{n}",
            "Model performs on par with o1. " * 40,
            published=T0 - timedelta(hours=n),
        )
        for n in range(start, start + count)
    )
    return PollResult(items=items, etag=f'"{start}"')


async def run(url: str, sources: int, per_source: int) -> None:
    engine = create_engine(url)
    await upgrade(engine)
    repo = Repository(session_factory(engine), dialect=engine.dialect.name)
    specs = [
        SourceSpec(SourceKind.FEED, f"https://example.org/feed/{n}.xml", f"s{n}") for n in range(sources)
    ]
    await repo.sync_sources(specs, now=T0)
    total = sources * per_source
    for label, start in (
        ("first poll (all new, baseline)", 0),
        ("repeat poll (all known)", 0),
        ("next poll (10% new)", per_source // 10),
    ):
        began = time.perf_counter()
        new = 0
        for spec in specs:
            got = await repo.record_poll(spec, results(spec, start, per_source), now=T0, next_poll_at=T0)
            new += len(got)
        took = time.perf_counter() - began
        print(
            f"  {label:32s} {total} items, {new:5d} new: {took:6.2f}s  {total / took:8.0f} items/s  "
            f"{sources / took:6.0f} polls/s"
        )
    await engine.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url")
    parser.add_argument("--sources", type=int, default=100)
    parser.add_argument("--items", type=int, default=50)
    args = parser.parse_args()
    if args.url:
        print(args.url)
        await run(args.url, args.sources, args.items)
        return
    with tempfile.TemporaryDirectory() as tmp:
        print("sqlite (file, WAL)")
        await run(f"sqlite+aiosqlite:///{tmp}/bench.db", args.sources, args.items)
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
    except OSError:
        print("postgresql: not reachable, skipped")
        return
    name = f"gw_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine("postgresql+asyncpg://postgres@127.0.0.1:5432/test", isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        print("postgresql (asyncpg, loopback)")
        await run(f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}", args.sources, args.items)
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        await admin.dispose()


if __name__ == "__main__":
    asyncio.run(main())
