"""The bodies of the `gapwatch` commands that need the database: `run`, `poll`, `backfill`,
`gap`, `db upgrade`, `outbox`. `bot/cli.py` parses the arguments and calls these."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from pathlib import Path
from typing import Any

from bot.app import build_command_core, build_pipeline, mask_url, open_app
from bot.config import Settings
from bot.errors import GapwatchError

log = logging.getLogger("gapwatch.app")


async def poll_once(settings: Settings) -> int:
    async with open_app(settings) as app:
        pipeline = await build_pipeline(app)
        stats = await pipeline.run_cycle(force=True)  # logs its summary; failing sources were logged
    if stats.polled and stats.failed == stats.polled:
        raise GapwatchError(
            f"every source failed ({stats.failed} of {stats.polled}); `gapwatch sources` shows each error"
        )
    return 0


async def backfill(settings: Settings, *, days: float) -> int:
    from datetime import timedelta

    if days <= 0:
        raise GapwatchError("--days must be positive")
    async with open_app(settings) as app:
        pipeline = await build_pipeline(app)
        now = app.clock.now()
        written = await app.repo.backfill(pipeline.planner, since=now - timedelta(days=days), now=now)
        log.info("backfill: %d alerts planned for claims first seen in the last %g days", written, days)
        await pipeline.deliver()
    return 0


async def run_forever(settings: Settings) -> int:
    from adapters.chat.services import Services, start_services
    from bot.scheduler import run_bot

    async with open_app(settings) as app:
        pipeline = await build_pipeline(app)
        core = build_command_core(app)

        async def services(_stop: asyncio.Event) -> Services:
            return await start_services(
                app.settings,
                app.clients,
                core,
                outbox=app.outbox,
                stats=app.stats,
                hub_handler=app.hub_webhook_handler,
            )

        await run_bot(app, pipeline, services)
    return 0


async def db_upgrade(settings: Settings) -> int:
    from storage.database import create_engine
    from storage.migrate import current_revision, upgrade

    engine = create_engine(settings.storage.url)
    try:
        await upgrade(engine)
        revision = await current_revision(engine)
    finally:
        await engine.dispose()
    print(f"database at {mask_url(settings.storage.url)} is at revision {revision}")
    return 0


async def gap(settings: Settings, model: str, *, as_json: bool, chart: Path | None) -> int:
    from bot.commands.gap import gap_report
    from bot.render.report_text import render_gap_text
    from storage.queries import Queries

    async with open_app(settings) as app:
        report = await gap_report(Queries(app.sessions), app.registry, model, now=app.clock.now())
    if as_json:
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False, default=str))
    else:
        print(render_gap_text(report))
    if chart is not None:
        from bot.render.chart import render_chart

        png = render_chart(report)
        try:
            await asyncio.to_thread(chart.write_bytes, png)
        except OSError as exc:
            raise GapwatchError(f"cannot write chart to {chart}: {exc.strerror}") from exc
        print(f"chart written to {chart}", file=sys.stderr)
    return 0


async def outbox_report(settings: Settings, *, as_json: bool) -> int:
    from storage.outbox import Outbox

    async with open_app(settings) as app:
        outbox = Outbox(app.sessions, dialect=app.engine.dialect.name)
        depth = await outbox.depth()
        parked = await outbox.parked()
    if as_json:
        print(json.dumps({"depth": depth, "parked": [_plain(p) for p in parked]}, indent=2, default=str))
    else:
        print(f"outbox: {depth} pending, {len(parked)} parked")
        for row in parked:
            print(f"  parked: {_plain(row)}")
    return 0


def _plain(value: Any) -> Any:
    from dataclasses import asdict, is_dataclass

    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    return value
