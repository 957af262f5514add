"""A small aiohttp server: `/` (status page), `/healthz`, `/metrics`, and the Slack HTTP and
Hugging Face Hub webhook endpoints when configured.

`/healthz` is 200 only when the database answers, the scheduler is alive, its last cycle is
younger than three intervals and every configured chat connection is up; otherwise 503 with
the reasons in JSON. `/metrics` is Prometheus' text format (adapters/web/metrics.py).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from adapters.web.status_page import render_status_page
from bot import __version__
from bot.errors import ConfigError, GapwatchError

if TYPE_CHECKING:
    from adapters.web.monitor import Monitor
    from bot.pipeline import CycleStats
    from bot.ports import OutboxView

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

log = logging.getLogger("gapwatch.http")


async def _database_error(monitor: Monitor | None, outbox: OutboxView | None) -> str | None:
    """None when the database answers a trivial query, else a short reason."""
    try:
        if monitor is not None:
            await monitor.views.ping()
        elif outbox is not None:
            await outbox.depth()
    except GapwatchError as exc:
        return str(exc)
    except Exception as exc:  # the driver's own error: not answering either
        return f"not answering ({type(exc).__name__})"
    return None


def build_http_app(
    *,
    monitor: Monitor | None = None,
    outbox: OutboxView | None = None,
    stats: Callable[[], CycleStats | None] = lambda: None,
    slack_handler: Handler | None = None,
    hub_handler: Handler | None = None,
) -> web.Application:
    web_app = web.Application(client_max_size=1_000_000)
    health = monitor.health if monitor is not None else None

    async def healthz(_request: web.Request) -> web.Response:
        database = await _database_error(monitor, outbox)
        problems: list[str] = [f"database: {database}"] if database else []
        if health is not None:
            problems = health.problems(database_error=database)
        body: dict[str, Any] = {"ok": not problems, "version": __version__}
        if problems:
            body["reasons"] = problems
        if health is not None:
            body["last_cycle"] = health.last_cycle.isoformat() if health.last_cycle else None
            body["connections"] = {n: c.up for n, c in sorted(health.connections.items())}
        return web.json_response(body, status=503 if problems else 200)

    async def metrics(_request: web.Request) -> web.Response:
        if monitor is None:
            raise web.HTTPNotFound()
        try:
            body = await monitor.metrics.render(outbox, monitor.sources)
        except Exception as exc:  # the database is down: say so, Prometheus marks the scrape failed
            return web.Response(status=503, text=f"metrics unavailable: {type(exc).__name__}\n")
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def status(_request: web.Request) -> web.Response:
        if monitor is None:
            raise web.HTTPNotFound()
        database = await _database_error(monitor, outbox)
        problems = monitor.health.problems(database_error=database)
        try:
            sources = await monitor.sources()
            recent = await monitor.views.outbox(limit=20)
        except Exception as exc:
            sources, recent = [], []
            if not database:
                problems.append(f"database: {type(exc).__name__}")
        page = render_status_page(monitor.health, problems, sources, recent, now=monitor.now())
        return web.Response(text=page, content_type="text/html")

    web_app.router.add_get("/", status)
    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/metrics", metrics)
    if slack_handler is not None:
        web_app.router.add_post("/slack/events", slack_handler)
    if hub_handler is not None:
        from adapters.web.hub_webhook import PATH

        web_app.router.add_post(PATH, hub_handler)
    return web_app


async def start_http_server(
    listen: str,
    *,
    monitor: Monitor | None = None,
    outbox: OutboxView | None = None,
    stats: Callable[[], CycleStats | None] = lambda: None,
    slack_handler: Handler | None = None,
    hub_handler: Handler | None = None,
) -> Callable[[], Awaitable[None]]:
    """Serve on `listen` ("HOST:PORT"); return the closer.

    Raises:
        ConfigError: the port is busy or the address is not ours.
    """
    host, _, port = listen.rpartition(":")
    app = build_http_app(
        monitor=monitor, outbox=outbox, stats=stats, slack_handler=slack_handler, hub_handler=hub_handler
    )
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host.strip("[]"), int(port))
    try:
        await site.start()
    except OSError as exc:
        await runner.cleanup()
        raise ConfigError(f"cannot listen on {listen}: {exc.strerror or exc}", key="http.listen") from exc
    log.info("http server listening on %s", listen)
    return runner.cleanup
