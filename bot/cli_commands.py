"""The bodies of the `gapwatch` commands that need the database: `run`, `poll`, `backfill`,
`gap`, `db upgrade`, `outbox`. `bot/cli.py` parses the arguments and calls these."""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import sys
from pathlib import Path

from bot.app import build_command_core, build_pipeline, mask_url, open_app
from bot.config import Settings
from bot.errors import GapwatchError

log = logging.getLogger("gapwatch.app")


def settle() -> None:
    """After start-up: what was built so far (modules, settings, the pipeline) lives as long as
    the process, so the cyclic garbage collector stops re-traversing it (`gc.freeze`), and it
    runs once per 5,000 new container objects instead of 700; it was off while the storage and
    the sources were imported and built (`poll_once`), which make little garbage. A cycle
    allocates hundreds of thousands of short-lived objects, and every full collection used to
    walk every module's objects again: about 5 % of a poll's CPU. `poll_once` restores the
    collector's settings when it ends."""
    gc.freeze()
    gc.set_threshold(5_000, 20, 20)
    gc.enable()


async def poll_once(settings: Settings) -> int:
    threshold = gc.get_threshold()
    gc.disable()  # until `settle()`
    try:
        async with open_app(settings) as app:
            pipeline = await build_pipeline(app, observe=False)  # nothing serves /metrics after it
            settle()
            stats = await pipeline.run_cycle(force=True)  # logs its summary and failing sources
    finally:  # as it was (the command may run inside a longer process, as in tests)
        gc.unfreeze()
        gc.set_threshold(*threshold)
        gc.enable()
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

        async def services(stop: asyncio.Event) -> Services:
            return await start_services(
                app.settings,
                app.clients,
                core,
                outbox=app.outbox,
                stats=app.stats,
                hub_handler=app.hub_webhook_handler,
                monitor=app.monitor,
                stop=stop,
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
        report = await gap_report(Queries(app.engine), app.registry, model, now=app.clock.now())
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


async def outbox_report(settings: Settings, *, as_json: bool, limit: int = 30) -> int:
    """Pending and parked alerts first, then the most recent sent ones, as a table."""
    from storage.outbox import Outbox
    from storage.views import Views

    async with open_app(settings) as app:
        outbox = Outbox(app.engine, dialect=app.engine.dialect.name)
        depth, parked = await outbox.depth(), await outbox.parked_count()
        views = Views(app.engine, app.sessions)
        waiting = await views.outbox(("pending", "failed"), limit=limit)
        sent = await views.outbox(("sent",), limit=max(0, limit - len(waiting)))
    rows = waiting + sent
    if as_json:
        body = {"pending": depth, "parked": parked, "rows": [r.to_json() for r in rows]}
        print(json.dumps(body, indent=2, ensure_ascii=False))
        return 0
    print(f"outbox: {depth} pending, {parked} parked")
    if rows:
        print(
            render_table(
                ("ID", "STATE", "DESTINATION", "KIND", "TRIES", "STORED", "NOTE"),
                [
                    (
                        str(r.id),
                        "parked" if r.status == "failed" else r.status,
                        r.destination,
                        r.kind,
                        str(r.attempts),
                        f"{r.created_at:%Y-%m-%d %H:%M}",
                        (r.last_error or "") if r.status != "sent" else r.summary,
                    )
                    for r in rows
                ],
            )
        )
    if parked:
        print("send parked alerts again: gapwatch outbox retry ID... | --parked")
    return 0


async def outbox_retry(settings: Settings, ids: list[int], *, parked: bool) -> int:
    """Put parked alerts back in the queue (attempts reset); the next cycle sends them."""
    from storage.outbox import Outbox
    from storage.views import Views

    if bool(ids) == parked:
        raise GapwatchError("outbox retry: give alert IDs or --parked (not both)")
    async with open_app(settings) as app:
        views = Views(app.engine, app.sessions)
        if parked:
            ids = await views.parked_ids()
        else:
            states = await views.status_of(ids)
            for alert_id in ids:
                state = states.get(alert_id)
                if state != "failed":
                    what = "no such alert" if state is None else f"it is {state}, not parked"
                    raise GapwatchError(f"outbox retry: alert {alert_id}: {what}")
        queued = await Outbox(app.engine, dialect=app.engine.dialect.name).requeue(ids, app.clock.now())
    print(
        f"{queued} alert{'s' if queued != 1 else ''} queued again; `gapwatch run` or `poll --once` sends them"
    )
    return 0


def render_table(headers: tuple[str, ...], rows: list[tuple[str, ...]], *, width: int = 60) -> str:
    """Columns padded to their widest cell; a cell longer than `width` is cut with an ellipsis."""
    cut = [
        [c if len(c) <= width else c[: width - 1] + "…" for c in (h.replace("\n", " ") for h in row)]
        for row in rows
    ]
    sizes = [max(len(h), *(len(r[i]) for r in cut)) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(sizes[i]) for i, h in enumerate(headers)).rstrip()]
    lines += ["  ".join(c.ljust(sizes[i]) for i, c in enumerate(r)).rstrip() for r in cut]
    return "\n".join(lines)
