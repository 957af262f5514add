"""Long-running services beside the scheduler: Discord gateway, Slack Socket Mode, HTTP server.

Each service is started only when its config is present, and closed on shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger("gapwatch.services")

Closer = Callable[[], Awaitable[None]]


@dataclass
class Services:
    names: list[str] = field(default_factory=list)
    closers: list[Closer] = field(default_factory=list)
    tasks: list[asyncio.Task[Any]] = field(default_factory=list)

    def add(self, name: str, close: Closer, task: asyncio.Task[Any] | None = None) -> None:
        self.names.append(name)
        self.closers.append(close)
        if task is not None:
            self.tasks.append(task)

    async def close(self) -> None:
        for close in reversed(self.closers):
            try:
                await close()
            except Exception:
                log.exception("error while closing a service")
        for task in self.tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


def _watch(name: str, coro: Awaitable[Any], stop: asyncio.Event) -> asyncio.Task[Any]:
    """Run a service; if it dies, log why and keep the bot running (alerts still flow)."""

    async def runner() -> None:
        try:
            await coro
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("%s stopped with an error; alerts continue without it", name)

    return asyncio.create_task(runner(), name=name)


async def start_services(app: Any, stop: asyncio.Event) -> Services:
    """Start what the settings ask for; return handles to close them."""
    services = Services()
    settings = app.settings
    if settings.http.listen:
        from bot.http_server import start_http_server

        close = await start_http_server(app, settings.http.listen)
        services.add(f"http {settings.http.listen}", close)
    if settings.discord.token is not None:
        from bot.chat_services import start_discord

        close, task = await start_discord(app, stop)
        services.add("discord", close, task)
    if settings.slack.bot_token is not None and settings.slack.mode == "socket" and settings.slack.app_token:
        from bot.chat_services import start_slack_socket

        close, task = await start_slack_socket(app, stop)
        services.add("slack socket mode", close, task)
    return services
