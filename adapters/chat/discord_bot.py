"""The discord.py bot: a `Client` with an app-command tree, and a sink posting to channel ids.

`api_base` is applied in ONE place, `set_api_base`, because discord.py reads every REST URL
from the class attribute `discord.http.Route.BASE` (shared by the bot HTTP client and the
library's webhook adapter). Sending needs only `await client.login(token)` (REST), not the
gateway: `DiscordChannelSink` logs in lazily if the client has not.

Rate limits: discord.py keeps its own per-bucket limiter. With `max_ratelimit_timeout=30`
(the library's minimum) a 429 asking for more than 30 s raises `discord.RateLimited`, which the
sink turns into our `RateLimited` (the outbox reschedules the row); shorter waits are slept by
discord.py inside its bucket lock. It also retries 500/502/504/524 itself (sleeping 1+3+5+7+9 s)
before raising; the delivery time-out bounds that. Other 5xx -> DeliveryError at once;
400/403/404 -> permanent; a 429 without `Via` (Cloudflare ban) -> RateLimited(Retry-After).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import discord
import yarl
from discord import app_commands

from bot.domain import Alert, AlertKind, DeliveryReceipt
from bot.errors import DeliveryError, RateLimited
from bot.render.discord_embed import render_message

DEFAULT_API_BASE = "https://discord.com/api/v10"
CLOUDFLARE_BAN_SECONDS = 3600.0

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


def _mentions(spec: dict[str, Any]) -> discord.AllowedMentions:
    return discord.AllowedMentions(
        everyone="everyone" in spec.get("parse", []),
        users=[discord.Object(id=int(u)) for u in spec.get("users", [])],
        roles=[discord.Object(id=int(r)) for r in spec.get("roles", [])],
        replied_user=False,
    )


def translate(exc: Exception, destination: str) -> DeliveryError:
    """A discord.py/aiohttp error as our DeliveryError (RateLimited for 429s)."""
    if isinstance(exc, discord.RateLimited):
        return RateLimited(exc.retry_after, destination=destination)
    if isinstance(exc, discord.HTTPException):
        status = exc.status
        if status == 429:  # no Via header or no JSON: a Cloudflare ban
            header = exc.response.headers.get("Retry-After") if exc.response is not None else None
            try:
                seconds = float(header) if header else CLOUDFLARE_BAN_SECONDS
            except ValueError:
                seconds = CLOUDFLARE_BAN_SECONDS
            return RateLimited(seconds, destination=destination, scope="cloudflare")
        text = f"HTTP {status}: {exc.text or type(exc).__name__}"
        return DeliveryError(text, destination=destination, permanent=status in (400, 401, 403, 404))
    if isinstance(exc, discord.LoginFailure):
        return DeliveryError("the Discord token was refused", destination=destination, permanent=True)
    return DeliveryError(f"cannot reach Discord: {type(exc).__name__}", destination=destination)


class DiscordChannelSink:
    """Delivers alerts for destinations ``discord:<channel_id>`` through the bot's REST client.

    Updates are replies (message reference) to the first alert; a deleted original does not
    fail the reply (`fail_if_not_exists=False`).
    """

    name = "discord"

    def __init__(self, client: discord.Client, *, token: str | None = None) -> None:
        self._client = client
        self._token = token
        self._login = asyncio.Lock()

    async def _ensure_login(self) -> None:
        if self._client.user is not None or self._token is None:
            return
        async with self._login:
            if self._client.user is None:
                await self._client.login(self._token)

    async def send(self, alert: Alert) -> DeliveryReceipt:
        channel_id = int(alert.destination.partition(":")[2])
        body = render_message(alert.kind.value, alert.payload)
        reference = None
        if alert.kind is AlertKind.UPDATE and alert.thread_ref:
            reference = discord.MessageReference(
                message_id=int(alert.thread_ref), channel_id=channel_id, fail_if_not_exists=False
            )
        try:
            await self._ensure_login()
            channel = self._client.get_partial_messageable(channel_id)
            message = await channel.send(
                content=body.get("content"),
                embeds=[discord.Embed.from_dict(e) for e in body.get("embeds", [])],
                allowed_mentions=_mentions(dict(body["allowed_mentions"])),
                reference=reference,  # type: ignore[arg-type]
            )
        except (discord.DiscordException, aiohttp.ClientError, OSError) as exc:
            raise translate(exc, alert.destination) from exc
        return DeliveryReceipt(str(message.id))
