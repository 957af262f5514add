"""Chat sinks keyed by destination prefix (`console`, `webhook`, `discord`, `slack`).

Each sink is built only when its settings are present; every client is opened once and closed by
the caller's exit stack. The Discord client and the Slack web client are shared with the slash
command services through `extras`.
"""

from __future__ import annotations

from contextlib import AsyncExitStack
from typing import Any

import httpx

from adapters.chat.console import ConsoleSink
from bot.config import Settings
from bot.ports import ChatSink


async def build_sinks(
    settings: Settings, stack: AsyncExitStack, extras: dict[str, Any]
) -> dict[str, ChatSink]:
    sinks: dict[str, ChatSink] = {"console": ConsoleSink()}
    discord_cfg, slack_cfg = settings.discord, settings.slack
    clients: list[httpx.AsyncClient] = []

    def http() -> httpx.AsyncClient:
        """The delivery client, opened when a sink needs it (its TLS context costs ~30 ms of CPU)."""
        if not clients:
            clients.append(httpx.AsyncClient(timeout=settings.delivery.timeout, follow_redirects=False))
            stack.push_async_callback(clients[0].aclose)
        return clients[0]

    if discord_cfg.webhooks:
        from adapters.chat.discord_webhook import DiscordWebhookSink

        hooks = {name: url.get_secret_value() for name, url in discord_cfg.webhooks.items()}
        sinks["webhook"] = DiscordWebhookSink(
            hooks, http(), api_base=discord_cfg.api_base, guild_id=discord_cfg.guild_id
        )
    if discord_cfg.token is not None:
        from adapters.chat.discord_bot import DiscordChannelSink, GapwatchDiscordClient

        async def on_setup(tree: Any) -> None:
            install = extras.get("discord_install")
            if install is not None:
                await install(tree)

        bot = GapwatchDiscordClient(
            api_base=discord_cfg.api_base, gateway_url=discord_cfg.gateway_url, on_setup=on_setup
        )
        stack.push_async_callback(bot.close)
        extras["discord_client"] = bot
        sinks["discord"] = DiscordChannelSink(
            http(), token=discord_cfg.token.get_secret_value(), api_base=discord_cfg.api_base
        )
    if slack_cfg.bot_token is not None:
        from slack_sdk.web.async_client import AsyncWebClient

        from adapters.chat.slack import SlackSink

        web = AsyncWebClient(
            token=slack_cfg.bot_token.get_secret_value(),
            base_url=slack_cfg.api_base or "https://slack.com/api/",
            timeout=int(settings.delivery.timeout),
        )
        extras["slack_client"] = web
        sinks["slack"] = SlackSink(web)
    return sinks
