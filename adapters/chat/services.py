"""Long-running services beside the scheduler: Discord gateway, Slack Socket Mode, HTTP server.

The composition root (bot/app.py) builds the command core and hands it in; this module wires the
chat adapters to it. Each service is started only when its config is present, and closed on shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from adapters.sinks.registry import ChatClients

if TYPE_CHECKING:
    from bot.commands.core import CommandCore
    from bot.config import Settings
    from bot.pipeline import CycleStats
    from bot.ports import OutboxView

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


def _watch(name: str, coro: Awaitable[Any]) -> asyncio.Task[Any]:
    """Run a service; if it dies, log why and keep the bot running (alerts still flow)."""

    async def runner() -> None:
        try:
            await coro
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("%s stopped with an error; alerts continue without it", name)

    return asyncio.create_task(runner(), name=name)


async def start_services(
    settings: Settings,
    clients: ChatClients,
    core: CommandCore,
    *,
    outbox: OutboxView | None = None,
    stats: Callable[[], CycleStats | None] = lambda: None,
    hub_handler: Callable[..., Awaitable[Any]] | None = None,
) -> Services:
    """Start what the settings ask for; return handles to close them.

    Args:
        clients: the platform clients the sinks opened (Slack's commands reuse its web client).
        core: the platform-free command core the chat commands call.
        outbox, stats: what /healthz and /metrics report.
        hub_handler: the Hugging Face Hub webhook endpoint, when configured.
    """
    services = Services()
    slack_app = None
    slack_handler = None
    if settings.slack.bot_token is not None and clients.slack is not None:
        from adapters.chat.slack_commands import build_slack_app, install, slack_route

        slack_app = build_slack_app(settings, clients.slack)
        install(slack_app, core, admin_users=settings.slack.admin_users)
        if settings.slack.mode == "http":
            if not settings.http.listen:
                log.warning("slack HTTP mode needs [http] listen; slash commands are off")
            slack_handler = slack_route(slack_app)
    if settings.http.listen:
        from adapters.web.server import start_http_server

        close = await start_http_server(
            settings.http.listen,
            outbox=outbox,
            stats=stats,
            slack_handler=slack_handler,
            hub_handler=hub_handler,
        )
        services.add(f"http {settings.http.listen}", close)
    if settings.discord.token is not None:
        import aiohttp
        import discord

        from adapters.chat.discord_bot import GapwatchDiscordClient
        from adapters.chat.discord_commands import install as install_discord
        from adapters.chat.discord_commands import sync_commands

        guild_id = settings.discord.guild_id

        async def on_setup(tree: Any) -> None:
            install_discord(tree, core, guild_id=guild_id, admin_role_ids=settings.discord.admin_role_ids)
            try:
                await sync_commands(tree, guild_id)
            except Exception:
                log.exception("could not sync Discord slash commands; alerts still flow")

        client = GapwatchDiscordClient(
            api_base=settings.discord.api_base, gateway_url=settings.discord.gateway_url, on_setup=on_setup
        )
        try:
            await _discord_login(client, settings.discord.token.get_secret_value())
        except (OSError, aiohttp.ClientError, discord.HTTPException) as exc:
            # Discord unreachable at start: keep running (webhooks, Slack, console); the bot's
            # alerts wait in the outbox (its sink posts over plain HTTP, without this client).
            await client.close()
            log.error(
                "cannot log in to Discord (%s); slash commands are off until restart", type(exc).__name__
            )
        except BaseException:
            await client.close()
            raise
        else:
            task = _watch("discord gateway", client.connect(reconnect=True))
            services.add("discord", client.close, task)
    if slack_app is not None and settings.slack.mode == "socket":
        if settings.slack.app_token is None:
            log.warning("slack Socket Mode needs SLACK_APP_TOKEN; slash commands are off")
        else:
            from adapters.chat.slack_commands import run_socket_mode

            app_token = settings.slack.app_token.get_secret_value()
            task = _watch("slack socket mode", run_socket_mode(slack_app, app_token))
            services.add("slack socket mode", _nothing_to_close, task)  # cancelling the task closes it
    return services


async def _discord_login(client: Any, token: str) -> None:
    """REST login first (runs setup_hook: commands installed and synced), then the gateway."""
    import discord

    from bot.errors import ConfigError

    try:
        await client.login(token)
    except discord.LoginFailure as exc:
        raise ConfigError("Discord rejected the bot token", key="discord.token") from exc


async def _nothing_to_close() -> None:
    return None
