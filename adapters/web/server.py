"""A small aiohttp server: /healthz, /metrics (Prometheus text) and the Slack HTTP endpoint."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot import __version__
from bot.errors import ConfigError

log = logging.getLogger("gapwatch.http")


def build_http_app(app: Any) -> web.Application:
    web_app = web.Application(client_max_size=1_000_000)

    async def healthz(_request: web.Request) -> web.Response:
        try:
            depth = await app.extras["outbox"].depth() if "outbox" in app.extras else 0
        except Exception as exc:  # the database is the one dependency health depends on
            return web.json_response({"ok": False, "error": type(exc).__name__}, status=503)
        return web.json_response({"ok": True, "version": __version__, "outbox_depth": depth})

    async def metrics(_request: web.Request) -> web.Response:
        lines = [f'gapwatch_info{{version="{__version__}"}} 1']
        pipeline = app.extras.get("pipeline")
        stats = pipeline.last if pipeline is not None else None
        if stats is not None:
            lines += [
                f"gapwatch_last_cycle_sources_polled {stats.polled}",
                f"gapwatch_last_cycle_sources_failed {stats.failed}",
                f"gapwatch_last_cycle_new_items {stats.new_items}",
                f"gapwatch_last_cycle_claims {stats.detect.claims}",
            ]
        if "outbox" in app.extras:
            outbox = app.extras["outbox"]
            lines.append(f"gapwatch_outbox_pending {await outbox.depth()}")
            lines.append(f"gapwatch_outbox_parked {len(await outbox.parked())}")
        return web.Response(text="\n".join(lines) + "\n", content_type="text/plain")

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
