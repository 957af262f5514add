"""A real app (SQLite, a loopback feed server with a good and a broken feed, a manual clock)
with its HTTP server on a free port; `cycle()` runs one scheduler cycle and moves the clock on."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest_asyncio

from adapters.web.monitor import Monitor
from adapters.web.server import start_http_server
from bot.app import App, build_pipeline, open_app
from bot.clock import ManualClock
from bot.config import parse_settings
from bot.scheduler import Scheduler
from tests.fakes.feeds import FeedServer, rss_feed
from tests.scenario.cli_runner import free_port

OLD = {
    "title": "Old",
    "link": "https://lab.example/1",
    "guid": "1",
    "published": datetime(2024, 5, 1, tzinfo=UTC),
}
NEW = {
    "title": "Harrier-70B",
    "link": "https://lab.example/2",
    "guid": "2",
    "published": datetime(2025, 3, 1, tzinfo=UTC),
    "summary": "Harrier-70B beats GPT-4o on MMLU and MATH.",
}
INTERVAL = 60.0


@dataclass
class Running:
    app: App
    clock: ManualClock
    feeds: FeedServer
    http: httpx.AsyncClient

    @property
    def monitor(self) -> Monitor:
        assert self.app.monitor is not None
        return self.app.monitor

    async def cycle(self) -> None:
        assert self.app.pipeline is not None
        scheduler = Scheduler(
            self.app.pipeline,
            wait=lambda _stop, _s: asyncio.sleep(0),
            max_cycles=1,
            health=self.monitor.health,
            observers=self.monitor.observers,
        )
        await scheduler.run(asyncio.Event())
        self.monitor.health.scheduler_alive = True  # as if the loop went on
        self.clock.advance(INTERVAL + 1)

    async def health(self) -> tuple[int, dict[str, Any]]:
        response = await self.http.get("/healthz")
        return response.status_code, response.json()


@pytest_asyncio.fixture
async def running(tmp_path: Path) -> AsyncIterator[Running]:
    async with FeedServer() as feeds:
        feeds.add_feed("/ok.xml", rss_feed([OLD]))
        feeds.fail("/broken.xml", 500, times=100)
        raw = {
            "storage": {"url": f"sqlite+aiosqlite:///{tmp_path / 'gw.db'}"},
            "polling": {"interval": INTERVAL, "jitter": 0, "retries": 0, "articles_per_poll": 0},
            "sources": [
                {"kind": "feed", "url": feeds.url("/ok.xml"), "name": "ok feed"},
                {"kind": "feed", "url": feeds.url("/broken.xml"), "name": "broken feed"},
            ],
        }
        clock = ManualClock(datetime.now(UTC))
        async with open_app(parse_settings(raw, {}, file="t.toml"), clock=clock) as app:
            await build_pipeline(app)
            port = free_port()
            close = await start_http_server(f"127.0.0.1:{port}", monitor=app.monitor, outbox=app.outbox)
            try:
                async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
                    yield Running(app, clock, feeds, http)
            finally:
                await close()
