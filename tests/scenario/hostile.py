"""One `poll --once` cycle over every hostile feed beside one healthy source (used by
tests/scenario/test_hostile_feeds.py and bench/bench_hostile.py)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tests.fakes.feeds import FeedServer, rss_feed
from tests.fakes.hostile import HOSTILE_FEEDS, HostileServer
from tests.scenario.cli_runner import Run, gapwatch

OLD = {"title": "Roadmap", "guid": "lab-1", "link": "https://lab.example/1", "summary": "Plans."}
NEW = {
    "title": "Introducing Zephyr-9B",
    "guid": "lab-2",
    "link": "https://lab.example/2",
    "published": datetime(2025, 1, 21, tzinfo=UTC),
    "summary": "Zephyr-9B matches OpenAI o1 on AIME 2024 and MATH-500.",
}
POLLING = """
[polling]
retries = 0
connect_timeout = 2
read_timeout = 2
fetch_timeout = 3
source_timeout = 5
max_bytes = 6000000
max_item_chars = 100000
per_host = 16  # the hostile feeds share one loopback host; real ones are many hosts
host_interval = 0
"""


@dataclass
class Hostile:
    config: Path
    cwd: Path
    healthy: FeedServer
    hostile: HostileServer

    async def poll(self) -> tuple[float, Run]:
        """One `gapwatch poll --once`; its wall time and output."""
        started = time.perf_counter()
        run = await gapwatch(self.config, "poll", "--once", cwd=self.cwd)
        return time.perf_counter() - started, run

    def publish(self) -> None:
        self.healthy.add_feed("/lab.xml", rss_feed([NEW, OLD]))


@asynccontextmanager
async def hostile_world(
    tmp_path: Path, db_url: str | None = None, *, polling: str = POLLING
) -> AsyncIterator[Hostile]:
    async with FeedServer() as healthy, HostileServer() as hostile:
        healthy.add_feed("/lab.xml", rss_feed([OLD]))
        url = db_url or f"sqlite+aiosqlite:///{tmp_path / 'hostile.db'}"
        text = f'[storage]\nurl = "{url}"\n{polling}\n'
        text += f'[[sources]]\nkind = "feed"\nurl = "{healthy.url("/lab.xml")}"\nname = "Healthy lab"\n'
        for name, path in HOSTILE_FEEDS.items():
            text += f'[[sources]]\nkind = "feed"\nurl = "{hostile.url(path)}"\nname = "{name}"\n'
        text += f'[[sources]]\nkind = "huggingface"\nauthor = "garbage-ai"\napi_base = "{hostile.base_url}"\n'
        config = tmp_path / "config.toml"
        config.write_text(text, encoding="utf-8")
        yield Hostile(config, tmp_path, healthy, hostile)
