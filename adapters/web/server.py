"""A small aiohttp server: `/` (status page), `/healthz`, `/metrics` and the Slack HTTP endpoint.

`/healthz` is 200 only when the database answers, the scheduler is alive, its last cycle is
younger than three intervals and every configured chat connection is up; otherwise 503 with
the reasons in JSON. `/metrics` is Prometheus' text format (adapters/web/metrics.py).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from adapters.web.status_page import render_status_page
from bot import __version__
from bot.errors import ConfigError, GapwatchError

log = logging.getLogger("gapwatch.http")


async def _database_error(app: Any) -> str | None:
    """None when the database answers a trivial query, else a short reason."""
    try:
        await app.extras["views"].ping()
    except GapwatchError as exc:
        return str(exc)
    return None


def build_http_app(app: Any) -> web.Application:
    web_app = web.Application(client_max_size=1_000_000)
    health = app.extras.get("health")

    async def healthz(_request: web.Request) -> web.Response:
        database = await _database_error(app)
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
        collector = app.extras.get("metrics")
        if collector is None:
            raise web.HTTPNotFound()
        try:
            body = await collector.render(app.extras.get("outbox"), app.repo)
        except Exception as exc:  # the database is down: say so, Prometheus marks the scrape failed
            return web.Response(status=503, text=f"metrics unavailable: {type(exc).__name__}\n")
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def status(_request: web.Request) -> web.Response:
        problems = health.problems(database_error=await _database_error(app)) if health else []
        try:
            sources = await app.repo.source_health()
            recent = await app.extras["views"].outbox(limit=20)
        except Exception as exc:
            sources, recent = [], []
            problems.append(f"database: {type(exc).__name__}")
        page = render_status_page(health, problems, sources, recent, now=app.clock.now())
        return web.Response(text=page, content_type="text/html")

    web_app.router.add_get("/", status)
    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/metrics", metrics)
    slack_handler = app.extras.get("slack_http_handler")
    if slack_handler is not None:
        web_app.router.add_post("/slack/events", slack_handler)
    hub_handler = app.extras.get("hub_webhook_handler")
    if hub_handler is not None:
        from adapters.web.hub_webhook import PATH

        web_app.router.add_post(PATH, hub_handler)
    return web_app


async def start_http_server(app: Any, listen: str) -> Callable[[], Awaitable[None]]:
    host, _, port = listen.rpartition(":")
    runner = web.AppRunner(build_http_app(app), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host.strip("[]"), int(port))
    try:
        await site.start()
    except OSError as exc:
        await runner.cleanup()
        raise ConfigError(f"cannot listen on {listen}: {exc.strerror or exc}", key="http.listen") from exc
    log.info("http server listening on %s", listen)
    return runner.cleanup
