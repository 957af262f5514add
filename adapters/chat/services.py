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
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from adapters.chat.supervisor import Attempt, mark_up, supervise, wait_or_stop
from adapters.sinks.registry import ChatClients
from bot.health import Health

if TYPE_CHECKING:
    from adapters.web.monitor import Monitor
    from bot.commands.core import CommandCore
    from bot.config import Settings
    from bot.pipeline import CycleStats
    from bot.ports import OutboxView

log = logging.getLogger("gapwatch.services")

DISCORD, SLACK = "discord gateway", "slack socket mode"
STANDBY_RETRY = 5.0  # seconds between a standby replica's tries of the chat lock

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


async def start_services(
    settings: Settings,
    clients: ChatClients,
    core: CommandCore,
    *,
    outbox: OutboxView | None = None,
    stats: Callable[[], CycleStats | None] = lambda: None,
    hub_handler: Callable[..., Awaitable[Any]] | None = None,
    monitor: Monitor | None = None,
    stop: asyncio.Event | None = None,
) -> Services:
    """Start what the settings ask for; return handles to close them.

    Args:
        clients: the platform clients the sinks opened (Slack's commands reuse its web client).
        core: the platform-free command core the chat commands call.
        outbox, stats: what /healthz and /metrics report.
        hub_handler: the Hugging Face Hub webhook endpoint, when configured.
        monitor: health, metrics and views for the HTTP server; its chat lock decides which
            replica connects to Discord and Slack.
        stop: set when the bot stops (the chat connections stop retrying).
    """
    services = Services()
    stop = stop or asyncio.Event()
    interval = settings.polling.interval
    health = monitor.health if monitor is not None else Health(now=_utcnow, interval=interval)
    slack_app = None
    slack_handler = None
    attempts: dict[str, Attempt] = {}
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
            monitor=monitor,
            outbox=outbox,
            stats=stats,
            slack_handler=slack_handler,
            hub_handler=hub_handler,
        )
        services.add(f"http {settings.http.listen}", close)
    if settings.discord.token is not None:
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
        attempts[DISCORD] = _discord_attempt(client, settings.discord.token.get_secret_value(), health)
        services.add("discord", client.close)
    if slack_app is not None and settings.slack.mode == "socket":
        if settings.slack.app_token is None:
            log.warning("slack Socket Mode needs SLACK_APP_TOKEN; slash commands are off")
        else:
            from adapters.chat.slack_commands import socket_mode_attempt

            app_token = settings.slack.app_token.get_secret_value()
            attempts[SLACK] = socket_mode_attempt(slack_app, app_token, health, SLACK)
    if attempts:
        lock = monitor.chat_lock if monitor is not None else None
        await _hold_chat(lock, attempts, services, health, stop)
    return services


def _utcnow() -> datetime:
    return datetime.now(UTC)


async def _hold_chat(
    lock: Any, attempts: dict[str, Attempt], services: Services, health: Health, stop: asyncio.Event
) -> None:
    """Connect the chat services on the one replica that holds the chat lock (storage/chat_lock.py);
    the others stand by and take over when the holder goes away."""

    def start() -> None:
        for name, attempt in attempts.items():
            services.tasks.append(asyncio.create_task(supervise(name, attempt, health, stop), name=name))

    if lock is None or await lock.try_acquire():
        start()
        if lock is not None:
            services.closers.insert(0, lock.release)  # closed last (closers run in reverse)
        return

    async def stand_by() -> None:
        log.info("chat connections held by another replica; standing by")
        while not stop.is_set():
            await wait_or_stop(stop, STANDBY_RETRY)
            if not stop.is_set() and await lock.try_acquire():
                log.info("this replica now holds the chat connections")
                services.closers.insert(0, lock.release)
                start()
                return

    services.add("chat standby", _nothing_to_close, asyncio.create_task(stand_by(), name="chat standby"))


def _discord_attempt(client: Any, token: str, health: Health) -> Callable[[], Awaitable[None]]:
    """Log in over REST (once it worked: commands installed and synced), then hold the gateway;
    discord.py resumes a dropped gateway itself, the events below keep /healthz current."""
    import discord

    logged_in = False

    async def on_ready() -> None:
        mark_up(DISCORD, health)

    async def on_disconnect() -> None:
        if client.is_closed():  # shutting down
            return
        if health.connections.get(DISCORD, None) is not None and health.connections[DISCORD].up:
            log.warning("%s disconnected; discord.py reconnects", DISCORD)
        health.disconnected(DISCORD, "gateway disconnected")

    client.on_ready = on_ready
    client.on_resumed = on_ready
    client.on_disconnect = on_disconnect

    async def attempt() -> None:
        nonlocal logged_in
        if not logged_in:
            try:
                await _discord_login(client, token)
            except (TimeoutError, OSError, discord.HTTPException):
                await _reset_http(client)
                raise
            logged_in = True
        if client.is_closed():
            client.clear()
        await client.connect(reconnect=True)

    return attempt


async def _reset_http(client: Any) -> None:
    """After a failed login: close discord.py's HTTP session and let the next login open a new
    one (its connector closes with the session)."""
    from discord.utils import MISSING

    await client.http.close()
    client.http.connector = MISSING


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
