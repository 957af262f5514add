"""Measure `gapwatch poll --once` over N local feeds (default 100 feeds x 20 entries).

Three runs through the real CLI: the baseline (first poll of every source), a run where every
feed has one new entry, and a run where nothing changed (conditional GET answers 304).

    python bench/bench_poll.py [--feeds 100] [--entries 20] [--db sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.cycles import entries  # noqa: E402
from tests.fakes.feeds import FeedServer, rss_feed  # noqa: E402

PG = os.environ.get("GAPWATCH_TEST_PG", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")


async def run_cli(config: Path, cwd: Path) -> tuple[float, int, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "--config",
        str(config),
        "poll",
        "--once",
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate()
    elapsed = time.perf_counter() - started
    if proc.returncode:
        raise SystemExit(err.decode()[-2000:])
    alerts = sum(1 for block in out.decode().split("\n\n") if block.strip())
    took = [
        line.split("took ", 1)[1]
        for line in err.decode().splitlines()
        if "cycle:" in line and "took " in line
    ]
    return elapsed, alerts, took[-1] if took else ""


async def drop_pg_db(url: str) -> None:
    from sqlalchemy import text

    from storage.database import create_engine

    engine = create_engine(PG, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
    await engine.dispose()


async def create_pg_db() -> str:
    from sqlalchemy import text

    from storage.database import create_engine

    name = f"gw_bench_{uuid.uuid4().hex[:8]}"
    engine = create_engine(PG, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await engine.dispose()
    return PG.rsplit("/", 1)[0] + "/" + name


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--entries", type=int, default=20)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        url = f"sqlite+aiosqlite:///{tmpdir / 'bench.db'}" if args.db == "sqlite" else await create_pg_db()
        async with FeedServer() as server:
            polling = "[polling]\nretries = 0\nhost_interval = 0\narticles_per_poll = 0\n"
            lines = [f'[storage]\nurl = "{url}"\n{polling}']
            for feed in range(args.feeds):
                server.add_feed(f"/f{feed}.xml", rss_feed(entries(feed, args.entries)))
                lines.append(f'[[sources]]\nkind = "feed"\nurl = "{server.url(f"/f{feed}.xml")}"\n')
            config = tmpdir / "config.toml"
            config.write_text("\n".join(lines))
            baseline = await run_cli(config, tmpdir)
            for feed in range(args.feeds):
                server.add_feed(f"/f{feed}.xml", rss_feed(entries(feed, args.entries, extra=1)))
            changed = await run_cli(config, tmpdir)
            unchanged = await run_cli(config, tmpdir)
        if args.db == "postgresql":
            await drop_pg_db(url)
    n = args.feeds
    print(f"poll --once, {n} local feeds x {args.entries} entries, {args.db} (wall time with process start):")
    rows = [
        (f"baseline (first poll, {n * args.entries} items)", baseline),
        (f"one new entry per feed ({n} new items)", changed),
        ("nothing changed (304 for every feed)", unchanged),
    ]
    for label, (seconds, alerts, stages) in rows:
        print(f"  {label}: {seconds:.2f} s, {alerts} alerts printed ({stages})")


if __name__ == "__main__":
    asyncio.run(main())
