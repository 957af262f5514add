"""Measure /gap (the command core, no chart) with 100,000 stored items and 10,000 claims, on
SQLite and PostgreSQL; and the chart's render time separately.

    python bench/bench_gap.py [--db sqlite|postgresql|both] [--items 100000] [--claims 10000] [--runs 300]

PostgreSQL: a scratch database is created on $GAPWATCH_TEST_PG's server (default
postgresql+asyncpg://postgres@127.0.0.1:5432) and dropped afterwards. Target: p95 < 150 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, text  # noqa: E402

from bot.commands.core import CommandCore  # noqa: E402
from bot.render.chart import render_chart  # noqa: E402
from storage.database import create_engine, session_factory  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.outbox import Outbox  # noqa: E402
from storage.queries import Queries  # noqa: E402
from storage.repo import Repository  # noqa: E402
from storage.schema import ClaimRow, ItemRow, SourceRow  # noqa: E402
from storage.seed import seed_history  # noqa: E402
from tests.bot.commands.standin import load_registry  # noqa: E402

PG = os.environ.get("GAPWATCH_TEST_PG", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
NOW = datetime(2026, 1, 15, tzinfo=UTC)
QUERIES = ["o1", "gpt-4o", "o1-preview", "OpenAI-o1-1217", "gpt-4", "claude-3.5-sonnet-20241022", "gpt-5"]
HOT = ["o1", "gpt-4o"]  # 40% of the claims: the worst case for /gap o1


async def fill(sessions: object, registry: object, items: int, claims: int) -> None:
    rng = random.Random(5)
    keys = [m.key for m in registry.all()]  # type: ignore[attr-defined]
    async with sessions() as session, session.begin():  # type: ignore[operator]
        await session.execute(
            insert(SourceRow),
            [
                {
                    "key": f"feed:https://s{i}.example/feed",
                    "kind": "feed",
                    "target": f"https://s{i}.example/feed",
                    "name": f"Source {i}",
                    "enabled": True,
                    "baseline_done": True,
                    "consecutive_failures": 0,
                    "failure_reported": False,
                }
                for i in range(50)
            ],
        )
    batch = 5000
    for start in range(0, items, batch):
        rows = [
            {
                "source_id": 1 + i % 50,
                "key": f"item-{i}",
                "url": f"https://s{i % 50}.example/p/{i}",
                "title": f"Post {i}",
                "text": "Lorem ipsum " * 20,
                "content_hash": f"{i:064d}",
                "first_seen_at": NOW - timedelta(minutes=i),
                "baseline": False,
                "detected_at": NOW,
            }
            for i in range(start, min(items, start + batch))
        ]
        async with sessions() as session, session.begin():  # type: ignore[operator]
            await session.execute(insert(ItemRow), rows)
    relations = ["matches", "exceeds", "approaches", "trails"]
    for start in range(0, claims, batch):
        rows = []
        for i in range(start, min(claims, start + batch)):
            key = rng.choice(HOT) if rng.random() < 0.4 else rng.choice(keys)
            relation = rng.choice(relations)
            rows.append(
                {
                    "competitor": f"Model-{i}",
                    "competitor_norm": f"model{i}",
                    "lab": f"Lab {i % 40}",
                    "frontier_key": key,
                    "relation": relation,
                    "relation_class": "parity" if relation in ("matches", "exceeds") else relation,
                    "confidence": rng.random(),
                    "evidence_text": f"Model-{i} {relation} {key} on several benchmarks",
                    "benchmarks": [["MMLU", 88.0, 87.5], ["GPQA", 60.1, 59.4]],
                    "source_url": f"https://x.example/{i}",
                    "source_count": 1 + i % 4,
                    "claimed_on": date(2023, 1, 1) + timedelta(days=rng.randrange(1100)),
                    "first_seen_at": NOW,
                    "updated_at": NOW,
                    "origin": "detected",
                    "open_weights": i % 2 == 0,
                    "alerted": True,
                }
            )
        async with sessions() as session, session.begin():  # type: ignore[operator]
            await session.execute(insert(ClaimRow), rows)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def bench(url: str, label: str, args: argparse.Namespace) -> None:
    engine = create_engine(url)
    await upgrade(engine)
    sessions = session_factory(engine)
    registry = load_registry()
    started = time.perf_counter()
    await seed_history(sessions, registry, now=NOW)
    await fill(sessions, registry, args.items, args.claims)
    if engine.dialect.name == "postgresql":
        async with engine.connect() as conn:
            await conn.execute(text("ANALYZE"))
    else:
        async with engine.connect() as conn:
            await conn.execute(text("ANALYZE"))
    print(
        f"[{label}] filled {args.items} items, {args.claims} claims in {time.perf_counter() - started:.1f}s"
    )
    core = CommandCore(
        Queries(sessions),
        registry,
        repo=Repository(sessions, dialect=engine.dialect.name),
        outbox=Outbox(sessions, dialect=engine.dialect.name),
        now=lambda: NOW,
    )
    for model in QUERIES:  # warm-up
        await core.gap(model)
    timings: dict[str, list[float]] = {m: [] for m in QUERIES}
    for i in range(args.runs):
        model = QUERIES[i % len(QUERIES)]
        t0 = time.perf_counter()
        report = await core.gap(model)
        timings[model].append((time.perf_counter() - t0) * 1000)
    every = [t for ts in timings.values() for t in ts]
    print(
        f"[{label}] /gap without chart, {len(every)} runs: p50 {pct(every, 0.5):.1f} ms, "
        f"p95 {pct(every, 0.95):.1f} ms, max {max(every):.1f} ms"
    )
    for model, ts in timings.items():
        report = await core.gap(model)
        print(
            f"    {model:28s} {report.total_claims or 0:5d} claims  "
            f"p50 {pct(ts, 0.5):6.1f} ms  p95 {pct(ts, 0.95):6.1f} ms"
        )
    for name in ("/status", "/claims"):
        ts = []
        for _ in range(30):
            t0 = time.perf_counter()
            await (core.status() if name == "/status" else core.claims("o1", 3650))
            ts.append((time.perf_counter() - t0) * 1000)
        print(f"[{label}] {name}: p50 {pct(ts, 0.5):.1f} ms, p95 {pct(ts, 0.95):.1f} ms")
    if label == args.chart_on:
        for model in ("o1-preview", "o1"):
            report = await core.gap(model)
            ts = []
            for _ in range(args.chart_runs):
                t0 = time.perf_counter()
                png = render_chart(report)
                ts.append((time.perf_counter() - t0) * 1000)
            print(
                f"[chart] {model} ({min(20, len(report.entries))} rows drawn, {len(png)} bytes): "
                f"p50 {pct(ts, 0.5):.0f} ms, p95 {pct(ts, 0.95):.0f} ms"
            )
    await engine.dispose()


async def pg_database(sql: str) -> None:
    engine = create_engine(PG, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(text(sql))
    await engine.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=350)
    parser.add_argument("--chart-runs", type=int, default=10)
    parser.add_argument("--chart-on", default="sqlite")
    args = parser.parse_args()
    if args.db in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            await bench(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}", "sqlite", args)
    if args.db in ("postgresql", "both"):
        name = f"gw_bench_{uuid.uuid4().hex[:8]}"
        await pg_database(f'CREATE DATABASE "{name}"')
        try:
            await bench(PG.rsplit("/", 1)[0] + "/" + name, "postgresql", args)
        finally:
            await pg_database(f'DROP DATABASE "{name}" WITH (FORCE)')


if __name__ == "__main__":
    asyncio.run(main())
