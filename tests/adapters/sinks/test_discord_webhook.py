"""The webhook sink's follow-ups: a webhook cannot reply, so an update links the first alert;
without `[discord] guild_id` the webhook's own guild is asked (fake Discord on loopback)."""

from __future__ import annotations

import httpx

from adapters.sinks.discord_webhook import DiscordWebhookSink
from bot.domain import Alert, AlertKind, AlertMessage, Relation
from tests.fakes.discord_api import DiscordAPI

PAYLOAD = AlertMessage("Kimi k1.5", "o1", "OpenAI o1", Relation.MATCHES, 0.9, "matches o1").to_payload()
GET_HOOK = r"/api/v10/webhooks/\d+/\w+"


def update(ref: str) -> Alert:
    return Alert(2, "webhook:alerts", AlertKind.UPDATE, "k", PAYLOAD, thread_ref=ref)


async def test_an_update_links_the_first_alert_with_the_webhooks_guild() -> None:
    async with DiscordAPI() as api, httpx.AsyncClient(timeout=5) as http:
        hook = api.add_webhook(channel_id=555)
        sink = DiscordWebhookSink({"alerts": hook}, http, api_base=api.api_base)
        api.server_error(GET_HOOK, status=503, method="GET")  # Discord hiccups once
        await sink.send(update("555/1"))
        await sink.send(update("555/2"))
        await sink.send(update("555/3"))
        contents = [m["content"] for m in api.messages[555]]
    assert contents == [
        "↪ update to the alert above",
        f"↪ update to https://discord.com/channels/{api.guild_id}/555/2",
        f"↪ update to https://discord.com/channels/{api.guild_id}/555/3",
    ]
    assert len(api.calls_to("GET", GET_HOOK)) == 2  # the failure, then once for good


async def test_a_configured_guild_is_used_without_asking() -> None:
    async with DiscordAPI() as api, httpx.AsyncClient(timeout=5) as http:
        hook = api.add_webhook(channel_id=555)
        sink = DiscordWebhookSink({"alerts": hook}, http, api_base=api.api_base, guild_id=777)
        await sink.send(update("555/1"))
        [message] = api.messages[555]
    assert message["content"] == "↪ update to https://discord.com/channels/777/555/1"
    assert api.calls_to("GET", GET_HOOK) == []
