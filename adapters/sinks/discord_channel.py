"""Alerts to Discord channel ids (``discord:<channel_id>``) with the bot token.

Alerts do not go through discord.py's HTTP client: it sleeps through rate limits shorter than
30 s and retries 5xx inside the call. `DiscordChannelSink` makes one httpx attempt per delivery:
429 -> RateLimited (the outbox reschedules the row), 5xx/time-out -> DeliveryError (backoff),
400/401/403/404 -> permanent (parked), exactly like the webhook sink.
"""

from __future__ import annotations

from typing import Any

import httpx

from adapters.sinks.discord_webhook import DEFAULT_API_BASE, post_message
from adapters.sinks.registry import SinkContext, SinkPlugin
from bot.domain import Alert, AlertKind, DeliveryReceipt
from bot.ports import ChatSink
from bot.render.alert_discord import render_message


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
        data = await post_message(self._client, url, alert.destination, json=body, headers=self._headers)
        return DeliveryReceipt(str(data["id"]))


def _channel(target: str, _options: object) -> str | None:
    return None if target.isdigit() else "a discord channel id is a number"


async def _build(context: SinkContext) -> ChatSink | None:
    discord_cfg = context.settings.discord
    if discord_cfg.token is None:
        return None
    token = discord_cfg.token.get_secret_value()
    return DiscordChannelSink(context.http, token=token, api_base=discord_cfg.api_base)


PLUGIN = SinkPlugin(prefix="discord", usage="discord:<channel_id>", build=_build, check_target=_channel)
