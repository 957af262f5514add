"""The setup commands of the guide in README: `discord invite`, `slack manifest`, `test-alert`."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from pydantic import ValidationError

from bot.app import build_pipeline, open_app
from bot.config import Settings
from bot.domain import Alert, AlertKind, AlertMessage, BenchmarkPair, Relation
from bot.errors import ConfigError, GapwatchError


async def discord_invite(settings: Settings) -> int:
    """Print the invite URL of the bot whose token is configured (asks Discord for its id)."""
    import httpx

    from adapters.chat.onboarding import application_id, invite_url

    if settings.discord.token is None:
        raise ConfigError("set DISCORD_TOKEN (the bot token) first", key="discord.token")
    async with httpx.AsyncClient(timeout=settings.delivery.timeout) as client:
        app_id = await application_id(
            client, settings.discord.token.get_secret_value(), settings.discord.api_base
        )
    print(invite_url(app_id, settings.discord.guild_id))
    return 0


def slack_manifest(request_url: str | None) -> int:
    from adapters.chat.onboarding import slack_manifest as manifest

    if request_url and not request_url.startswith("https://"):
        raise GapwatchError("--request-url: Slack only calls https:// URLs, e.g. https://HOST/slack/events")
    print(json.dumps(manifest(request_url), indent=2, ensure_ascii=False))
    return 0


def sample_alert(destination: str) -> Alert:
    """What a real alert looks like, marked as a test."""
    message = AlertMessage(
        competitor="Example-70B",
        frontier_key="o1",
        frontier_name="OpenAI o1",
        relation=Relation.MATCHES,
        confidence=0.9,
        evidence="gapwatch test alert: if you can read this, alerts reach this channel.",
        lab="Example Lab",
        benchmarks=(BenchmarkPair("AIME 2024", 79.8, 79.2),),
        days_after_release=60,
        title="gapwatch test alert",
    )
    key = f"test-alert:{destination}:{datetime.now(UTC):%Y%m%d%H%M%S%f}"
    return Alert(0, destination, AlertKind.NEW, key, message.to_payload())


def resolve_destination(settings: Settings, destination: str) -> str:
    """`discord` and `slack` alone mean the configured default channel."""
    if destination == "discord" and settings.discord.channel_id is not None:
        return f"discord:{settings.discord.channel_id}"
    if destination == "slack" and settings.slack.channel:
        return f"slack:{settings.slack.channel}"
    if destination in ("discord", "slack"):
        key = "discord.channel_id" if destination == "discord" else "slack.channel"
        raise ConfigError(f"no default channel: give {destination}:CHANNEL or set {key}", key=key)
    return destination


async def test_alert(settings: Settings, destination: str) -> int:
    """Send a sample alert straight to one destination's sink (not through the outbox)."""
    from bot.config import RouteSettings

    destination = resolve_destination(settings, destination)
    try:
        RouteSettings(destination=destination)
    except ValidationError as exc:
        reason = str(exc.errors(include_url=False)[0]["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"{destination!r}: {reason}", key="DESTINATION") from None
    async with open_app(settings) as app:
        await build_pipeline(app)
        sinks = app.sinks
        prefix = destination.partition(":")[0]
        sink = sinks.get(prefix)
        if sink is None:
            have = ", ".join(sorted(sinks))
            raise ConfigError(f"{prefix} is not configured (no sink for {destination!r}; configured: {have})")
        if prefix == "webhook" and destination.partition(":")[2] not in settings.discord.webhooks:
            raise ConfigError(f"no webhook named {destination.partition(':')[2]!r}", key="discord.webhooks")
        receipt = await sink.send(sample_alert(destination))
    ref = f" (message {receipt.message_ref})" if receipt.message_ref else ""
    print(f"test alert delivered to {destination}{ref}")
    return 0
