"""The discord.py bot (a `Client` with an app-command tree, for slash commands) and the sink
that posts alerts to channel ids with the bot token.

`api_base` is applied to discord.py in ONE place, `set_api_base`, because discord.py reads every
REST URL from the class attribute `discord.http.Route.BASE` (and the gateway from
`DiscordWebSocket.DEFAULT_GATEWAY`).

Alerts do not go through discord.py's HTTP client: it sleeps through rate limits shorter than
30 s and retries 5xx inside the call. `DiscordChannelSink` makes one httpx attempt per delivery:
429 -> RateLimited (the outbox reschedules the row), 5xx/time-out -> DeliveryError (backoff),
400/401/403/404 -> permanent (parked), exactly like the webhook sink.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import discord
import httpx
import yarl
from discord import app_commands

from adapters.chat.discord_webhook import DEFAULT_API_BASE, retry_after
from bot.domain import Alert, AlertKind, DeliveryReceipt
from bot.errors import DeliveryError, RateLimited
from bot.render.alert_discord import render_message

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


class DiscordChannelSink:
    """Delivers alerts for destinations ``discord:<channel_id>`` with the bot token.

    One plain REST call per attempt over the shared httpx client (`POST /channels/{id}/messages`),
    like the webhook sink: discord.py's own client would sleep through short rate limits and
    retry 5xx inside the call, which fights the outbox (rate limits are rescheduled rows here).
    Updates are replies (message reference) to the first alert; a deleted original does not fail
    the reply (`fail_if_not_exists=False`).

    Args:
        client: the shared httpx client (its time-outs apply).
        token: the bot token.
        api_base: e.g. "http://127.0.0.1:PORT/api/v10"; None = discord.com.
    """

    name = "discord"

    def __init__(self, client: httpx.AsyncClient, *, token: str, api_base: str | None = None) -> None:
        self._client = client
        self._headers = {"Authorization": f"Bot {token}"}
        self._base = (api_base or DEFAULT_API_BASE).rstrip("/")

    async def send(self, alert: Alert) -> DeliveryReceipt:
        channel_id = alert.destination.partition(":")[2]
        body: dict[str, Any] = dict(render_message(alert.kind.value, alert.payload))
        if alert.kind is AlertKind.UPDATE and alert.thread_ref:
            body["message_reference"] = {
                "message_id": alert.thread_ref,
                "channel_id": channel_id,
                "fail_if_not_exists": False,
            }
        url = f"{self._base}/channels/{channel_id}/messages"
        try:
            response = await self._client.post(url, json=body, headers=self._headers)
        except httpx.TimeoutException as exc:
            raise DeliveryError("Discord did not answer in time", destination=alert.destination) from exc
        except httpx.HTTPError as exc:
            raise DeliveryError(
                f"cannot reach Discord: {type(exc).__name__}", destination=alert.destination
            ) from exc
        return _receipt(alert, response)


def _receipt(alert: Alert, response: httpx.Response) -> DeliveryReceipt:
    try:
        data: Any = response.json()
    except ValueError:
        data = None
    status = response.status_code
    if 200 <= status < 300 and isinstance(data, dict) and "id" in data:
        return DeliveryReceipt(str(data["id"]))
    if status == 429:
        seconds, scope = retry_after(response, data)
        raise RateLimited(seconds, destination=alert.destination, scope=scope)
    message = data.get("message") if isinstance(data, dict) else None
    text = f"HTTP {status}" + (f": {message}" if message else "")
    raise DeliveryError(text, destination=alert.destination, permanent=status in (400, 401, 403, 404))
