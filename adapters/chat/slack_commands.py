"""Slash commands on Slack: a slack-bolt AsyncApp calling the platform-free command core.

    client = AsyncWebClient(token=bot_token, base_url=settings.slack.api_base or default)
    app = build_slack_app(settings, client)
    install(app, core, admin_users=settings.slack.admin_users)
    supervise(name, socket_mode_attempt(app, app_token, health, name), ...)  # mode = "socket"
    http_app.router.add_post("/slack/events", slack_route(app))   # mode = "http"

Every handler acks within Slack's 3 seconds: with the error (ephemeral) when the arguments are
bad, else empty, then answers through `respond` (the command's response_url). /gap posts the
report with chat.postMessage and uploads the chart with files_upload_v2 into that message's
thread; when the bot is not in the channel it falls back to `respond` and says so. HTTP mode:
bolt verifies the signing secret and refuses timestamps older than five minutes (401).
/track, /untrack, /subscribe and /unsubscribe are for the user ids in `[slack] admin_users`.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.chat import messages
from adapters.chat.supervisor import mark_up
from bot.commands.core import CommandCore
from bot.commands.gap import GapReport
from bot.config import Settings
from bot.errors import CommandError, ConfigError, GapwatchError
from bot.health import Health
from bot.render.chart import render_chart
from bot.render.report_slack import error_blocks, gap_blocks, reply_blocks

log = logging.getLogger(__name__)

ADMIN_COMMANDS = ("/track", "/untrack", "/subscribe", "/unsubscribe")
_OPTION = re.compile(r"\b(aliases|released|lab|frontier|labs|relations|min_confidence)\s*[:=]\s*", re.I)

Listener = Callable[..., Awaitable[None]]


def parse_options(text: str) -> tuple[str, dict[str, str]]:
    """ "Grok 4 aliases: grok-4, grok4 released: 2025-07-09" -> ("Grok 4", {aliases, released})."""
    matches = list(_OPTION.finditer(text))
    head = text[: matches[0].start()] if matches else text
    options: dict[str, str] = {}
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        options[match.group(1).lower()] = text[match.end() : end].strip()
    return " ".join(head.split()), options


def parse_claims_args(text: str) -> tuple[str | None, str | None]:
    """ "o1 90" -> ("o1", "90"); "90" -> (None, "90"); "" -> (None, None)."""
    words = text.split()
    days = words.pop() if words and words[-1].isdigit() else None
    return (" ".join(words) or None), days


def build_slack_app(
    settings: Settings, client: AsyncWebClient, *, process_before_response: bool = False
) -> AsyncApp:
    """The bolt app for `client` (token and base_url already set).

    Raises:
        ConfigError: HTTP mode without a signing secret.
    """
    secret = settings.slack.signing_secret.get_secret_value() if settings.slack.signing_secret else None
    if settings.slack.mode == "http" and not secret:
        raise ConfigError(
            "HTTP mode needs a signing secret (SLACK_SIGNING_SECRET)", key="slack.signing_secret"
        )
    return AsyncApp(
        client=client,
        signing_secret=secret,
        request_verification_enabled=secret is not None,
        process_before_response=process_before_response,
    )


def install(app: AsyncApp, core: CommandCore, *, admin_users: Sequence[str]) -> None:
    """Register /gap, /claims, /frontier, /track, /untrack, /subscribe, /unsubscribe, /sources, /status."""
    admins = frozenset(admin_users)

    def listener(name: str, work: Callable[[dict[str, Any]], Awaitable[Any]]) -> Listener:
        async def handle(ack: Any, command: dict[str, Any], respond: Any, client: AsyncWebClient) -> None:
            if name in ADMIN_COMMANDS and command.get("user_id") not in admins:
                await ack(**error_blocks(messages.SLACK_ADMINS_ONLY.format(command=name)))
                return
            try:
                reply = await work(command)
            except GapwatchError as exc:
                await ack(**error_blocks(str(exc)))
                return
            await ack()
            if isinstance(reply, GapReport):
                await _post_gap(reply, command, respond, client)
                return
            text, blocks = reply_blocks(reply)
            public = name not in ("/sources", "/status")
            await respond(text=text, blocks=blocks, response_type="in_channel" if public else "ephemeral")

        return handle

    def who(command: dict[str, Any]) -> str:
        return f"slack:{command.get('user_id', '?')}"

    def channel(command: dict[str, Any]) -> str:
        if not command.get("channel_id"):
            raise CommandError(messages.SLACK_RUN_IN_CHANNEL)
        return f"slack:{command['channel_id']}"

    async def gap(c: dict[str, Any]) -> Any:
        return await core.gap(c.get("text", ""))

    async def claims(c: dict[str, Any]) -> Any:
        return await core.claims(*parse_claims_args(c.get("text", "")))

    async def frontier(c: dict[str, Any]) -> Any:
        return core.frontier()

    async def track(c: dict[str, Any]) -> Any:
        name, opts = parse_options(c.get("text", ""))
        return await core.track(
            name,
            aliases=opts.get("aliases"),
            released=opts.get("released"),
            lab=opts.get("lab"),
            actor=who(c),
        )

    async def untrack(c: dict[str, Any]) -> Any:
        return await core.untrack(c.get("text", ""), actor=who(c))

    async def subscribe(c: dict[str, Any]) -> Any:
        _, opts = parse_options(c.get("text", ""))
        return await core.subscribe(
            channel(c),
            frontier=opts.get("frontier"),
            labs=opts.get("labs"),
            relations=opts.get("relations"),
            min_confidence=opts.get("min_confidence"),
            actor=who(c),
        )

    async def unsubscribe(c: dict[str, Any]) -> Any:
        return await core.unsubscribe(channel(c))

    async def sources(c: dict[str, Any]) -> Any:
        return await core.sources()

    async def status(c: dict[str, Any]) -> Any:
        return await core.status()

    handlers: dict[str, Callable[[dict[str, Any]], Awaitable[Any]]] = {
        "/gap": gap,
        "/claims": claims,
        "/frontier": frontier,
        "/track": track,
        "/untrack": untrack,
        "/subscribe": subscribe,
        "/unsubscribe": unsubscribe,
        "/sources": sources,
        "/status": status,
    }
    for name, work in handlers.items():
        app.command(name)(listener(name, work))


async def _post_gap(report: GapReport, command: dict[str, Any], respond: Any, client: AsyncWebClient) -> None:
    """The report as a channel message, the chart in its thread (or both via respond/channel)."""
    text, blocks = gap_blocks(report)
    channel_id = str(command.get("channel_id", ""))
    thread_ts: str | None = None
    try:
        posted = await client.chat_postMessage(
            channel=channel_id, text=text, blocks=blocks, unfurl_links=False, unfurl_media=False
        )
        thread_ts = str(posted.get("ts") or "") or None
    except (SlackApiError, SlackClientError) as exc:
        log.info("chat.postMessage refused in %s (%s); answering via response_url", channel_id, exc)
        await respond(text=text, blocks=blocks, response_type="in_channel")
    png = await asyncio.to_thread(render_chart, report)
    upload: dict[str, Any] = {
        "channel": channel_id,
        "file": png,
        "filename": "gap.png",
        "title": f"Gap timeline: {report.frontier.name}",
    }
    if thread_ts:
        upload["thread_ts"] = thread_ts
    try:
        await client.files_upload_v2(**upload)
    except (SlackApiError, SlackClientError) as exc:
        log.info("chart upload refused in %s (%s)", channel_id, exc)
        await respond(text=messages.SLACK_CHART_NOT_UPLOADED, response_type="ephemeral")


# --- runners ---------------------------------------------------------------------------------


def socket_mode_attempt(
    app: AsyncApp, app_token: str, health: Health, name: str, *, check_every: float = 5.0
) -> Callable[[], Awaitable[None]]:
    """One Socket Mode connection for `supervise`: connect, then watch it. slack_sdk reconnects
    a dropped socket by itself; while it is not connected, /healthz says so."""
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    async def attempt() -> None:
        handler = AsyncSocketModeHandler(app, app_token)
        try:
            try:
                await handler.connect_async()  # type: ignore[no-untyped-call]
            except SlackApiError as exc:
                error = str(exc.response.get("error", ""))
                if error in ("invalid_auth", "not_authed", "account_inactive", "token_revoked"):
                    reason = f"Slack rejected the app token ({error})"
                    raise ConfigError(reason, key="slack.app_token") from exc
                raise
            mark_up(name, health)
            while True:
                await asyncio.sleep(check_every)
                if await handler.client.is_connected():
                    if not health.connections[name].up:
                        mark_up(name, health)
                elif health.connections[name].up:
                    log.warning("%s disconnected; slack_sdk reconnects", name)
                    health.disconnected(name, "socket disconnected")
        finally:
            await handler.close_async()  # type: ignore[no-untyped-call]

    return attempt


_TIMESTAMP = re.compile(r"[0-9]{1,12}")


def slack_route(app: AsyncApp) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """An aiohttp handler for HTTP mode: mount it on the [http] listen server (POST /slack/events)."""

    async def handle(request: web.Request) -> web.StreamResponse:
        # slack_sdk's verifier does int() on the header: a forged non-numeric one would be a 500
        # with a traceback, so it is refused here like any other bad signature.
        if not _TIMESTAMP.fullmatch(request.headers.get("X-Slack-Request-Timestamp", "")):
            return web.Response(status=401, text="invalid request timestamp")
        try:  # bolt parses the body while building its request: garbage would be a 500
            bolt_request = await to_bolt_request(request)
        except (ValueError, UnicodeDecodeError):  # JSONDecodeError is a ValueError
            return web.Response(status=400, text="malformed request body")
        response = await app.async_dispatch(bolt_request)
        return await to_aiohttp_response(response)

    return handle
