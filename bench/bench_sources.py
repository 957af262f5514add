"""The issue-14 "done" setup, measured: N loopback feeds (default 300, one answering 500) polled
twice through the real CLI, then `gapwatch sources`; also M Hugging Face orgs of K models each to
count the requests of a first poll (the baseline) and of the next one.

    python bench/bench_sources.py [--feeds 300] [--orgs 23] [--models 50] [--cards 10]

Prints per run: wall time, requests, how many were conditional (If-None-Match) and answered 304.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakes.feeds import FeedServer, rss_feed  # noqa: E402
from tests.fakes.hf_api import HFServer  # noqa: E402


async def cli(config: Path, cwd: Path, *args: str) -> tuple[float, int, str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "--config", str(config), *args,
        cwd=cwd, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await proc.communicate()
    return time.perf_counter() - started, proc.returncode or 0, out.decode(), err.decode()


async def feeds_bench(count: int, tmp: Path) -> None:
    async with FeedServer() as srv:
        db = tmp / "feeds.db"
        blocks = [f'[storage]\nurl = "sqlite+aiosqlite:///{db}"\n[polling]\nretries = 0\nhost_interval = 0\n']
        start = datetime(2025, 1, 1, tzinfo=UTC)
        for n in range(count):
            entries = [
                {"title": f"{n}-{i}", "guid": f"{n}-{i}", "published": start + timedelta(hours=i)}
                for i in range(10)
            ]
            url = srv.add_feed(f"/f/{n}.xml", rss_feed(entries))
            blocks.append(f'[[sources]]\nkind = "feed"\nurl = "{url}"\nname = "feed {n}"\n')
        srv.fail("/f/0.xml", 500, times=10)
        config = tmp / "feeds.toml"
        config.write_text("\n".join(blocks), encoding="utf-8")
        for label in ("cycle 1 (baseline)", "cycle 2 (unchanged)"):
            mark = len(srv.requests)
            seconds, code, _out, _err = await cli(config, tmp, "poll", "--once")
            reqs = [r for r in srv.requests[mark:] if r.path.startswith("/f/")]
            cond = sum(1 for r in reqs if r.header("if-none-match"))
            print(
                f"feeds {label}: {seconds:.2f}s, exit {code}, {len(reqs)} requests, "
                f"{cond} conditional ({100 * cond / max(1, len(reqs)):.1f} %)"
            )
        seconds, code, out, _err = await cli(config, tmp, "sources")
        failing = [line.strip() for line in out.splitlines() if "failing" in line and "error:" in line]
        print(f"gapwatch sources: {seconds:.2f}s, exit {code}; {out.splitlines()[0]}; {failing[0][:120]}")


async def hf_bench(orgs: int, models: int, cards: int, tmp: Path) -> None:
    async with HFServer() as hf:
        hf.quota = 10**6  # the fake's windows never reset; a spent quota would block the host (by design)
        start = datetime(2024, 1, 1, tzinfo=UTC)
        blocks = [
            f'[storage]\nurl = "sqlite+aiosqlite:///{tmp / "hf.db"}"\n'
            f"[polling]\nretries = 0\nhost_interval = 0\nhf_cards_per_poll = {cards}\n"
        ]
        for o in range(orgs):
            for m in range(models):
                hf.add_model(f"org{o}/m{m}", created_at=start + timedelta(days=m), card=f"# m{m}")
            blocks.append(f'[[sources]]\nkind = "huggingface"\nauthor = "org{o}"\napi_base = "{hf.base_url}"')
        config = tmp / "hf.toml"
        config.write_text("\n".join(blocks), encoding="utf-8")
        polls = ["poll 1 (baseline)", *(f"poll {n}" for n in range(2, 7)), "poll 7 (one new model per org)"]
        for label in polls:
            if label.startswith("poll 7"):
                for o in range(orgs):
                    hf.add_model(f"org{o}/new", created_at=start + timedelta(days=999), card="# new")
            mark = len(hf.requests)
            seconds, code, _out, _err = await cli(config, tmp, "poll", "--once")
            reqs = hf.requests[mark:]
            listing = sum(1 for r in reqs if r.path == "/api/models")
            card_reqs = sum(1 for r in reqs if r.path.endswith("README.md"))
            print(
                f"hf {label}: {seconds:.2f}s, exit {code}, {len(reqs)} requests "
                f"({listing} list, {card_reqs} cards via /resolve/)"
            )


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--feeds", type=int, default=300)
    parser.add_argument("--orgs", type=int, default=23)
    parser.add_argument("--models", type=int, default=50)
    parser.add_argument("--cards", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        await feeds_bench(args.feeds, Path(tmp))
        await hf_bench(args.orgs, args.models, args.cards, Path(tmp))


if __name__ == "__main__":
    asyncio.run(main())
