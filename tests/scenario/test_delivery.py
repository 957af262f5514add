"""Delivery end to end: route -> outbox -> deliver -> the real discord.py / slack_sdk / httpx
clients -> fake Discord and Slack APIs on loopback. Each scenario asserts exactly what the fake
servers received. Time is injected: no test sleeps."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import discord
import httpx
import pytest
import pytest_asyncio
from slack_sdk.web.async_client import AsyncWebClient

from adapters.chat.discord_bot import GapwatchDiscordClient
from adapters.sinks.discord_channel import DiscordChannelSink
from adapters.sinks.discord_webhook import DiscordWebhookSink
from adapters.sinks.slack import SlackSink
from bot.domain import (
    Alert,
    AlertKind,
    Claim,
    ClaimChange,
    DeliveryReceipt,
    FrontierModel,
    Item,
    Relation,
    SourceKind,
    StoredClaim,
)
from bot.pipeline.deliver import DeliveryPolicy, DeliveryStats, deliver_due
from bot.pipeline.route import Router
from storage.outbox import Outbox
from storage.schema import OutboxRow
from tests.fakes.discord_api import DiscordAPI, Reply
from tests.fakes.slack_api import SlackAPI
from tests.storage.test_outbox import add_claim

T0 = datetime(2025, 1, 20, 12, 0, tzinfo=UTC)
O1 = FrontierModel("o1", "OpenAI o1", "OpenAI", date(2024, 12, 5))
CHANNEL, GUILD = 555, 777
ITEM = Item(
    "hf",
    "deepseek-ai/DeepSeek-R1",
    "DeepSeek-R1",
    "https://hf.co/deepseek-ai/DeepSeek-R1",
    "",
    source_kind=SourceKind.HUGGINGFACE,
)
NEWS = Item("feed", "news-1", "R1 news", "https://news.example/r1", "", source_kind=SourceKind.FEED)


class Clock:
    def __init__(self) -> None:
        self.t = T0

    def __call__(self) -> datetime:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += timedelta(seconds=seconds)


class Route:
    def __init__(self, destination: str, mention: str | None = None) -> None:
        self.destination, self.mention = destination, mention
        self.frontier = self.labs = self.relations = self.source_kinds = ()
        self.min_confidence, self.digest = 0.5, None


class Env:
    """Fakes, real clients, sinks, outbox and a router over all three destinations."""

    def __init__(
        self,
        db: Any,
        discord_api: DiscordAPI,
        slack_api: SlackAPI,
        http: httpx.AsyncClient,
        bot: GapwatchDiscordClient,
    ) -> None:
        self.db, self.discord, self.slack = db, discord_api, slack_api
        self.clock = Clock()
        self.roots: dict[str, str] = {}  # destination -> the first message's group
        self.outbox = Outbox(db.sessions, dialect=db.dialect)
        webhook_url = discord_api.add_webhook(channel_id=CHANNEL)
        self.sinks: dict[str, Any] = {
            "webhook": DiscordWebhookSink(
                {"alerts": webhook_url}, http, api_base=discord_api.api_base, guild_id=GUILD
            ),
            "discord": DiscordChannelSink(http, token="bot-token", api_base=discord_api.api_base),
            "slack": SlackSink(AsyncWebClient(token="xoxb-test", base_url=slack_api.api_base)),
        }
        self.router = Router(
            [Route("webhook:alerts", "<@&42>"), Route(f"discord:{CHANNEL}"), Route("slack:C01")],
            lambda key: O1 if key == "o1" else None,
            now=self.clock,
        )

    async def record(self, claim: StoredClaim, *, is_new: bool, item: Item, alerted: Sequence[str]) -> int:
        """What Repository.record_claims does with the planner: plan, then insert in one go."""
        threads = {claim.id: {d: self.roots[d] for d in alerted}}
        found = Claim(
            claim.competitor, claim.frontier_key, claim.relation, claim.evidence_text, claim.confidence
        )
        planned = self.router.plan(item, [ClaimChange(claim, found, is_new)], threads, item_ref=item.key)
        for p in planned:
            if p.kind is AlertKind.NEW and p.group:
                self.roots.setdefault(p.destination, p.group)
        return await self.outbox.enqueue(planned, now=self.clock(), claim_id=claim.id)

    async def deliver(self, **policy: Any) -> DeliveryStats:
        values = {"max_attempts": 3, "backoff_base": 10, "rand": lambda: 0.5, **policy}
        return await deliver_due(
            self.outbox, self.sinks, now=self.clock, owner="test", policy=DeliveryPolicy(**values)
        )

    async def rows(self) -> list[OutboxRow]:
        from sqlalchemy import select

        async with self.db.sessions() as session:
            return list((await session.scalars(select(OutboxRow).order_by(OutboxRow.id))).all())


async def stored_claim(db: Any, source_count: int = 1) -> StoredClaim:
    claim_id = await add_claim(db)
    return StoredClaim(
        claim_id,
        "DeepSeek-R1",
        "DeepSeek",
        "o1",
        Relation.MATCHES,
        0.9,
        T0,
        date(2025, 1, 20),
        ITEM.url,
        "DeepSeek-R1 achieves performance comparable to OpenAI-o1-1217",
        source_count=source_count,
    )


@pytest_asyncio.fixture
async def env(db: Any) -> AsyncIterator[Env]:
    base = discord.http.Route.BASE
    async with DiscordAPI() as discord_api, SlackAPI() as slack_api, httpx.AsyncClient(timeout=5) as http:
        bot = GapwatchDiscordClient(api_base=discord_api.api_base)
        try:
            yield Env(db, discord_api, slack_api, http, bot)
        finally:
            await bot.close()
            discord.http.Route.BASE = base


WEBHOOK = r"/api/v10/webhooks/\d+/\w+"
CHANNEL_MESSAGES = rf"/api/v10/channels/{CHANNEL}/messages"


async def test_normal_delivery_on_every_platform(env: Env) -> None:
    claim = await stored_claim(env.db)
    assert await env.record(claim, is_new=True, item=ITEM, alerted=[]) == 3
    stats = await env.deliver()
    assert (stats.sent, stats.parked, stats.retried) == (3, 0, 0)

    [hook] = env.discord.calls_to("POST", WEBHOOK)
    assert hook.query == {"wait": "true"} and hook.headers["content-type"] == "application/json"
    assert hook.json["content"] == "<@&42>"
    assert hook.json["allowed_mentions"] == {"parse": [], "users": [], "roles": ["42"]}
    assert hook.json["embeds"][0]["title"] == "DeepSeek-R1 matches OpenAI o1"
    [bot] = env.discord.calls_to("POST", CHANNEL_MESSAGES)
    assert bot.headers["authorization"] == "Bot bot-token"
    assert bot.json["embeds"][0]["title"] == "DeepSeek-R1 matches OpenAI o1"
    assert {f["name"]: f["value"] for f in bot.json["embeds"][0]["fields"]}["vs OpenAI o1"] == (
        "**matches** · confidence 0.90 · 46 days after its release"
    )
    assert "message_reference" not in bot.json
    [slack] = env.slack.calls_to("POST", "/api/chat.postMessage")
    assert slack.headers["authorization"] == "Bearer xoxb-test"
    assert slack.json["channel"] == "C01" and "thread_ts" not in slack.json
    assert slack.json["text"].startswith("DeepSeek-R1 matches OpenAI o1")
    assert slack.json["blocks"][0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "DeepSeek-R1 matches OpenAI o1", "emoji": True},
    }

    refs = {r.destination: r.message_ref for r in await env.rows()}
    [webhook_msg] = [m for m in env.discord.messages[CHANNEL] if "webhook_id" in m]
    [bot_msg] = [m for m in env.discord.messages[CHANNEL] if "webhook_id" not in m]
    assert refs == {
        "webhook:alerts": f"{CHANNEL}/{webhook_msg['id']}",
        f"discord:{CHANNEL}": bot_msg["id"],
        "slack:C01": env.slack.messages["C01"][0]["ts"],
    }
    assert (await env.deliver()).leased == 0  # nothing twice
    assert len(env.discord.messages[CHANNEL]) == 2 and len(env.slack.messages["C01"]) == 1


async def test_429_reschedules_by_retry_after_then_sends_once(env: Env) -> None:
    env.discord.rate_limit(WEBHOOK, retry_after=2.5)
    env.discord.rate_limit(CHANNEL_MESSAGES, retry_after=45.0)
    env.slack.rate_limit("chat.postMessage", retry_after=3)
    await env.record(await stored_claim(env.db), is_new=True, item=ITEM, alerted=[])
    stats = await env.deliver()
    assert (stats.sent, stats.rate_limited) == (0, 3)
    due = {r.destination: (r.next_attempt_at - T0).total_seconds() for r in await env.rows()}
    assert due == {"webhook:alerts": 2.5, f"discord:{CHANNEL}": 45.0, "slack:C01": 3.0}
    assert all(r.attempts == 0 for r in await env.rows())  # a rate limit is not a failure

    env.clock.advance(2.5)
    assert (await env.deliver()).sent == 1
    env.clock.advance(0.5)
    assert (await env.deliver()).sent == 1
    env.clock.advance(42)
    assert (await env.deliver()).sent == 1
    assert len(env.discord.calls_to("POST", WEBHOOK)) == 2  # the 429, then the accepted post
    assert len(env.discord.calls_to("POST", CHANNEL_MESSAGES)) == 2
    assert len(env.slack.calls_to("POST", "/api/chat.postMessage")) == 2
    assert len(env.discord.messages[CHANNEL]) == 2 and len(env.slack.messages["C01"]) == 1


async def test_repeated_server_errors_park_the_alert_and_tell_the_admin(env: Env) -> None:
    env.discord.server_error(WEBHOOK, status=500, times=3)
    env.discord.server_error(CHANNEL_MESSAGES, status=503, times=3)
    env.slack.error("chat.postMessage", "internal_error", times=3, status=500)
    await env.record(await stored_claim(env.db), is_new=True, item=ITEM, alerted=[])
    admin = {"admin_destination": "slack:CADMIN"}
    assert (await env.deliver(**admin)).retried == 3
    env.clock.advance(10)  # backoff 10 s x (0.5 + 0.5)
    assert (await env.deliver(**admin)).retried == 3
    env.clock.advance(20)
    stats = await env.deliver(**admin)
    assert (stats.parked, stats.admin_reports) == (3, 3)
    parked = await env.outbox.parked()
    assert sorted(p.destination for p in parked) == [f"discord:{CHANNEL}", "slack:C01", "webhook:alerts"]
    assert {p.attempts for p in parked} == {3}
    errors = {p.destination: p.last_error for p in parked}
    assert (
        errors["webhook:alerts"] == "webhook:alerts: HTTP 500: 500: Internal Server Error (after 3 attempts)"
    )
    assert errors["slack:C01"] == "slack:C01: internal_error (after 3 attempts)"
    assert len(env.discord.calls_to("POST", WEBHOOK)) == 3 and env.discord.messages[CHANNEL] == []
    assert len(env.slack.calls_to("POST", "/api/chat.postMessage")) == 3 + 3  # 3 tries + 3 admin reports
    reports = [m["text"] for m in env.slack.messages["CADMIN"]]
    assert len(reports) == 3 and all("parked after 3 attempts" in r for r in reports)
    env.clock.advance(3600)
    assert (await env.deliver(**admin)).leased == 0  # parked rows stay parked; reported once


async def test_permanent_refusal_parks_at_once(env: Env) -> None:
    env.discord.script("POST", CHANNEL_MESSAGES, Reply(403, {"message": "Missing Access", "code": 50001}))
    env.slack.error("chat.postMessage", "channel_not_found")
    await env.record(await stored_claim(env.db), is_new=True, item=ITEM, alerted=[])
    stats = await env.deliver()
    assert (stats.sent, stats.parked) == (1, 2)
    errors = {p.destination: p.last_error for p in await env.outbox.parked()}
    assert errors == {
        f"discord:{CHANNEL}": f"discord:{CHANNEL}: HTTP 403: Missing Access",
        "slack:C01": "slack:C01: channel_not_found",
    }


async def test_slack_msg_blocks_too_long_is_parked_at_once_not_retried(env: Env) -> None:
    env.slack.error("chat.postMessage", "msg_blocks_too_long", times=8)
    await env.record(await stored_claim(env.db), is_new=True, item=ITEM, alerted=[])
    stats = await env.deliver()
    assert (stats.sent, stats.parked, stats.retried) == (2, 1, 0)
    [parked] = await env.outbox.parked()
    assert (parked.destination, parked.attempts, parked.last_error) == (
        "slack:C01",
        1,
        "slack:C01: msg_blocks_too_long",
    )
    env.clock.advance(3600)
    assert (await env.deliver()).leased == 0
    assert len(env.slack.calls_to("POST", "/api/chat.postMessage")) == 1


class CrashAfterSend:
    """Wraps a sink: the platform accepts the message, then the process 'dies' before the mark."""

    class Crash(BaseException):
        pass

    def __init__(self, sink: Any) -> None:
        self.sink, self.name = sink, sink.name

    async def send(self, alert: Alert) -> DeliveryReceipt:
        await self.sink.send(alert)
        raise self.Crash


async def test_crash_between_acceptance_and_mark_repeats_at_most_once(env: Env) -> None:
    """The documented window: the webhook accepted (wait=true returned the message) but the row
    was not marked. After a restart the row is leased again only once its lease expired, and
    posted once more; then it is sent and never again."""
    routes = env.router
    env.router = Router([Route("webhook:alerts")], lambda key: O1, now=env.clock)
    await env.record(await stored_claim(env.db), is_new=True, item=ITEM, alerted=[])
    env.router = routes
    real = env.sinks["webhook"]
    env.sinks["webhook"] = CrashAfterSend(real)
    with pytest.raises(CrashAfterSend.Crash):
        await env.deliver(lease_seconds=60)
    assert len(env.discord.messages[CHANNEL]) == 1

    env.sinks["webhook"] = real  # restart: a new process, same database
    env.outbox = Outbox(env.db.sessions, dialect=env.db.dialect)
    env.clock.advance(59)
    assert (await env.deliver()).leased == 0  # still leased by the dead process
    env.clock.advance(1)
    assert (await env.deliver()).sent == 1
    env.clock.advance(3600)
    assert (await env.deliver()).leased == 0
    first, second = env.discord.messages[CHANNEL]
    assert len(env.discord.calls_to("POST", WEBHOOK)) == 2  # exactly one repeat
    assert first["embeds"] == second["embeds"]
    [row] = await env.rows()
    assert (row.status, row.message_ref) == ("sent", f"{CHANNEL}/{second['id']}")


async def test_second_source_is_a_thread_reply(env: Env) -> None:
    claim = await stored_claim(env.db)
    await env.record(claim, is_new=True, item=ITEM, alerted=[])
    await env.deliver()
    alerted = ["webhook:alerts", f"discord:{CHANNEL}", "slack:C01"]
    grown = StoredClaim(**{**{f: getattr(claim, f) for f in claim.__slots__}, "source_count": 2})
    assert await env.record(grown, is_new=False, item=NEWS, alerted=alerted) == 3
    assert await env.record(grown, is_new=False, item=NEWS, alerted=alerted) == 0  # idempotent
    assert (await env.deliver()).sent == 3

    first_slack, reply = env.slack.messages["C01"]
    assert reply["thread_ts"] == first_slack["ts"]
    assert reply["text"].startswith("Update: DeepSeek-R1 matches OpenAI o1")
    assert reply["blocks"][1]["text"]["text"] == "*Now backed by 2 sources.*"
    first_hook, _hook_update = [m for m in env.discord.messages[CHANNEL] if "webhook_id" in m]
    first_bot, bot_reply = [m for m in env.discord.messages[CHANNEL] if "webhook_id" not in m]
    assert bot_reply["message_reference"]["message_id"] == first_bot["id"]
    assert bot_reply["embeds"][0]["description"].startswith("Now backed by **2** sources.")
    assert bot_reply["embeds"][0]["url"] == "https://news.example/r1"
    update_call = env.discord.calls_to("POST", WEBHOOK)[-1]
    assert update_call.json["content"] == (
        f"<@&42> ↪ update to https://discord.com/channels/{GUILD}/{CHANNEL}/{first_hook['id']}"
    )
    assert "message_reference" not in update_call.json  # webhooks cannot reply


async def test_a_short_bot_rate_limit_is_rescheduled_not_slept(env: Env) -> None:
    """discord.py would sleep through a 2 s limit inside the call; the sink reschedules the row."""
    env.discord.rate_limit(CHANNEL_MESSAGES, retry_after=2.0)
    await env.record(await stored_claim(env.db), is_new=True, item=ITEM, alerted=[])
    loop = asyncio.get_running_loop()
    started = loop.time()
    stats = await env.deliver()
    assert loop.time() - started < 1.5 and stats.rate_limited == 1
    due = {r.destination: (r.next_attempt_at - T0).total_seconds() for r in await env.rows()}
    assert due[f"discord:{CHANNEL}"] == 2.0
    env.clock.advance(2.0)
    assert (await env.deliver()).sent == 1
    assert len(env.discord.calls_to("POST", CHANNEL_MESSAGES)) == 2
