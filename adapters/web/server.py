"""A small aiohttp server: /healthz, /metrics (Prometheus text) and the Slack HTTP endpoint."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from aiohttp import web

from bot import __version__
from bot.errors import ConfigError

if TYPE_CHECKING:
    from bot.pipeline import CycleStats
    from bot.ports import OutboxView

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

log = logging.getLogger("gapwatch.http")


def build_http_app(
    *,
    outbox: OutboxView | None = None,
    stats: Callable[[], CycleStats | None] = lambda: None,
    slack_handler: Handler | None = None,
    hub_handler: Handler | None = None,
) -> web.Application:
    """/healthz (the database answers), /metrics (the last cycle and the outbox), and the Slack
    HTTP endpoint when Slack runs in HTTP mode."""
    web_app = web.Application(client_max_size=1_000_000)

    async def healthz(_request: web.Request) -> web.Response:
        try:
            depth = await outbox.depth() if outbox is not None else 0
        except Exception as exc:  # the database is the one dependency health depends on
            return web.json_response({"ok": False, "error": type(exc).__name__}, status=503)
        return web.json_response({"ok": True, "version": __version__, "outbox_depth": depth})

    async def metrics(_request: web.Request) -> web.Response:
        lines = [f'gapwatch_info{{version="{__version__}"}} 1']
        last = stats()
        if last is not None:
            lines += [
                f"gapwatch_last_cycle_sources_polled {last.polled}",
                f"gapwatch_last_cycle_sources_failed {last.failed}",
                f"gapwatch_last_cycle_new_items {last.new_items}",
                f"gapwatch_last_cycle_claims {last.detect.claims}",
            ]
        if outbox is not None:
            lines.append(f"gapwatch_outbox_pending {await outbox.depth()}")
            lines.append(f"gapwatch_outbox_parked {len(await outbox.parked())}")
        return web.Response(text="\n".join(lines) + "\n", content_type="text/plain")

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
    app = build_http_app(outbox=outbox, stats=stats, slack_handler=slack_handler, hub_handler=hub_handler)
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
