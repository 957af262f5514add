"""Discord webhook sink: a webhook URL alone is enough to receive alerts (no bot, no gateway).

Built on httpx rather than discord.py's `Webhook`, because on the real wire discord.py would
break two delivery rules: its webhook adapter sleeps inline on a 429 (up to 5 tries) and on a
5xx (1+3+5+7+9 s), and `Webhook.from_url` rejects any host but discord(app).com, so `api_base`
could only be honoured by rewriting the global `discord.http.Route.BASE`. Here each POST is one
attempt and its outcome is data for the outbox:

- 2xx: ``?wait=true`` makes Discord return the created message, so the receipt (``channel/id``)
  proves acceptance within the same round trip: the crash window is that one response.
- 429: ``retry_after`` from the JSON body (else ``Retry-After``, else ``X-RateLimit-Reset-After``)
  -> RateLimited with scope global/shared/user; a 429 without JSON is Cloudflare's ban (1 h).
- 400/401/403/404: permanent (bad payload, deleted webhook or wrong token) -> parked.
- 5xx, time-outs, connection errors: transient DeliveryError -> backoff.

Updates: a webhook cannot reply to a message or open a thread, so an update is a new message in
the same channel that links to the first alert. The link needs the guild id: `[discord] guild_id`,
else the webhook's own (``GET /webhooks/{id}/{token}``, asked once per webhook).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import httpx

from adapters.sinks.http_post import post
from adapters.sinks.registry import SinkContext, SinkPlugin
from bot.domain import Alert, AlertKind, DeliveryReceipt
from bot.errors import DeliveryError
from bot.ports import ChatSink
from bot.render.alert_discord import CONTENT, clip, render_message

DEFAULT_API_BASE = "https://discord.com/api/v10"
CLOUDFLARE_BAN_SECONDS = 3600.0
_URL = re.compile(r"/webhooks/(?P<id>\d+)/(?P<token>[^/?#]+)")


def parse_webhook_url(url: str) -> tuple[str, str]:
    """(id, token) of a Discord webhook URL; ValueError when it is not one."""
    match = _URL.search(url)
    if match is None:
        raise ValueError("not a Discord webhook URL (…/api/webhooks/<id>/<token>)")
    return match["id"], match["token"]


def retry_after(response: httpx.Response, data: Any) -> tuple[float, str | None]:
    """Seconds to wait and the scope, from a Discord 429."""
    scope = response.headers.get("X-RateLimit-Scope")
    if isinstance(data, dict) and "retry_after" in data:
        if data.get("global"):
            scope = "global"
        return float(data["retry_after"]), scope
    for header in ("Retry-After", "X-RateLimit-Reset-After"):
        try:
            return float(response.headers[header]), scope
        except (KeyError, ValueError):
            continue
    return CLOUDFLARE_BAN_SECONDS, "cloudflare"


async def post_message(
    client: httpx.AsyncClient, url: str, destination: str, **request: Any
) -> dict[str, Any]:
    """One POST that creates a Discord message; returns the message object Discord answers.

    Raises:
        RateLimited, DeliveryError: see `adapters.sinks.http_post.post`; also a 2xx answer
            without a message object (the platform's acceptance is not proven).
    """
    _, data = await post(client, url, service="Discord", destination=destination, wait=retry_after, **request)
    if not (isinstance(data, dict) and "id" in data):
        raise DeliveryError("Discord accepted without a message object", destination=destination)
    return data


class DiscordWebhookSink:
    """Delivers alerts for destinations ``webhook:<name>``.

    Args:
        webhooks: name -> webhook URL (from `settings.discord.webhooks`, secrets unwrapped).
        client: the shared httpx client (its time-outs apply).
        api_base: e.g. "http://127.0.0.1:PORT/api/v10"; None = discord.com.
        guild_id: lets updates link to the first alert.
    """

    name = "webhook"

    def __init__(
        self,
        webhooks: Mapping[str, str],
        client: httpx.AsyncClient,
        *,
        api_base: str | None = None,
        guild_id: int | None = None,
    ) -> None:
        self._client = client
        self._base = (api_base or DEFAULT_API_BASE).rstrip("/")
        self._guild_id = guild_id
        self._hooks = {name: parse_webhook_url(url) for name, url in webhooks.items()}
        self._guilds: dict[str, str | None] = {}

    async def send(self, alert: Alert) -> DeliveryReceipt:
        name = alert.destination.partition(":")[2]
        hook = self._hooks.get(name)
        if hook is None:
            raise DeliveryError(
                f"no webhook named {name!r} in [discord] webhooks",
                destination=alert.destination,
                permanent=True,
            )
        body: dict[str, Any] = dict(render_message(alert.kind.value, alert.payload))
        url = f"{self._base}/webhooks/{hook[0]}/{hook[1]}"
        if alert.kind is AlertKind.UPDATE and alert.thread_ref:
            guild = str(self._guild_id) if self._guild_id else await self._guild(url)
            target = (
                f"https://discord.com/channels/{guild}/{alert.thread_ref}" if guild else "the alert above"
            )
            body["content"] = clip(f"{body.get('content', '')} ↪ update to {target}".strip(), CONTENT)
        data = await post_message(self._client, url, alert.destination, params={"wait": "true"}, json=body)
        return DeliveryReceipt(f"{data.get('channel_id', '')}/{data['id']}")

    async def _guild(self, url: str) -> str | None:
        """The webhook's guild id, asked once (None when Discord does not say; a failed answer
        is asked again next time)."""
        if url not in self._guilds:
            try:
                response = await self._client.get(url)
                data: Any = response.json() if response.status_code == 200 else None
            except (httpx.HTTPError, ValueError):
                return None
            if not isinstance(data, dict):
                return None
            guild = data.get("guild_id")
            self._guilds[url] = str(guild) if guild else None
        return self._guilds[url]


async def _build(context: SinkContext) -> ChatSink | None:
    discord_cfg = context.settings.discord
    if not discord_cfg.webhooks:
        return None
    hooks = {name: url.get_secret_value() for name, url in discord_cfg.webhooks.items()}
    return DiscordWebhookSink(
        hooks, context.http, api_base=discord_cfg.api_base, guild_id=discord_cfg.guild_id
    )


PLUGIN = SinkPlugin(prefix="webhook", usage="webhook:<name>", build=_build)
