"""The discord.py bot: a `Client` with an app-command tree, for slash commands. Alerts to
channel ids go through `adapters/sinks/discord_channel.py` with the same token.

`api_base` is applied to discord.py in ONE place, `set_api_base`, because discord.py reads every
REST URL from the class attribute `discord.http.Route.BASE` (and the gateway from
`DiscordWebSocket.DEFAULT_GATEWAY`).

"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import discord
import yarl
from discord import app_commands

from adapters.sinks.discord_webhook import DEFAULT_API_BASE

SetupHook = Callable[[app_commands.CommandTree[Any]], Awaitable[None]]


DEFAULT_GATEWAY = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY


def set_api_base(api_base: str | None, gateway_url: str | None = None) -> None:
    """Point every discord.py REST call at `api_base` (None = discord.com), and the gateway
    websocket at `gateway_url` (None = Discord's). discord.py reads both from class attributes."""
    discord.http.Route.BASE = (api_base or DEFAULT_API_BASE).rstrip("/")
    gateway = yarl.URL(gateway_url) if gateway_url else DEFAULT_GATEWAY
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = gateway


class GapwatchDiscordClient(discord.Client):
    """discord.Client with a `tree`; `on_setup(tree)` runs in `setup_hook` (install commands there).

    Args:
        api_base: e.g. "http://127.0.0.1:PORT/api/v10"; None = discord.com.
        gateway_url: e.g. "ws://127.0.0.1:PORT/gateway/"; None = Discord's gateway.
        on_setup: coroutine taking the CommandTree, called once at login.
        intents: default `discord.Intents.default()` (no privileged intents).
    """

    def __init__(
        self,
        *,
        api_base: str | None = None,
        gateway_url: str | None = None,
        on_setup: SetupHook | None = None,
        intents: discord.Intents | None = None,
        **options: Any,
    ) -> None:
        set_api_base(api_base, gateway_url)
        options.setdefault("max_ratelimit_timeout", 30.0)
        super().__init__(intents=intents or discord.Intents.default(), **options)
        self.tree: app_commands.CommandTree[GapwatchDiscordClient] = app_commands.CommandTree(self)
        self._on_setup = on_setup

    async def setup_hook(self) -> None:
        if self._on_setup is not None:
            await self._on_setup(self.tree)
