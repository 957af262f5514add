"""Slack sink over slack_sdk's AsyncWebClient (the same client bolt's AsyncApp uses).

One `chat.postMessage` per alert, with Block Kit and a plain-text fallback; updates are thread
replies (`thread_ts` = the first alert's ts, which is also the receipt). slack_sdk answers only
after Slack stored the message, so the crash window is that one response.

Errors: HTTP 429 (`Retry-After`) or `ratelimited` -> RateLimited; auth/channel errors and
invalid payloads -> permanent DeliveryError (parked); anything else -> DeliveryError (backoff).
Do not add slack_sdk's `AsyncRateLimitErrorRetryHandler` to a client used here: it would sleep
inline instead of letting the outbox reschedule.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from adapters.sinks.registry import SinkContext, SinkPlugin
from bot.domain import Alert, AlertKind, DeliveryReceipt
from bot.errors import DeliveryError, RateLimited
from bot.ports import ChatSink
from bot.render.alert_slack import render_message

if TYPE_CHECKING:  # slack_sdk is imported when a Slack sink is built, not when sinks are listed
    from slack_sdk.errors import SlackApiError
    from slack_sdk.web.async_client import AsyncWebClient

PERMANENT = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "missing_scope",
        "no_permission",
        "restricted_action",
        "invalid_blocks",
        "invalid_blocks_format",
        "msg_too_long",
        "msg_blocks_too_long",  # the payload itself is too long: retrying cannot help
        "no_text",
        "too_many_attachments",
        "ekm_access_denied",
        "team_access_not_granted",
        "org_login_required",
    }
)
DEFAULT_RETRY_AFTER = 30.0


def _header(headers: Mapping[str, Any] | None, name: str) -> str | None:
    for key, value in (headers or {}).items():
        if key.lower() == name.lower():
            return str(value[0] if isinstance(value, list | tuple) else value)
    return None


def translate(exc: SlackApiError, destination: str) -> DeliveryError:
    """A SlackApiError as our DeliveryError (RateLimited for 429/`ratelimited`)."""
    response = exc.response
    error = str(response.get("error", "") if isinstance(response.data, dict) else "")
    if response.status_code == 429 or error == "ratelimited":
        raw = _header(response.headers, "Retry-After")
        try:
            seconds = float(raw) if raw else DEFAULT_RETRY_AFTER
        except ValueError:
            seconds = DEFAULT_RETRY_AFTER
        return RateLimited(seconds, destination=destination)
    text = error or f"HTTP {response.status_code}"
    return DeliveryError(text, destination=destination, permanent=error in PERMANENT)


class SlackSink:
    """Delivers alerts for destinations ``slack:<channel_id>``.

    Args:
        client: `AsyncWebClient(token=bot_token, base_url=settings.slack.api_base or default)`.
    """

    name = "slack"

    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client

    async def send(self, alert: Alert) -> DeliveryReceipt:
        channel = alert.destination.partition(":")[2]
        text, blocks = render_message(alert.kind.value, alert.payload)
        kwargs: dict[str, Any] = {
            "channel": channel,
            "text": text,
            "blocks": blocks,
            "unfurl_links": False,
            "unfurl_media": False,
        }
        if alert.kind is AlertKind.UPDATE and alert.thread_ref:
            kwargs["thread_ts"] = alert.thread_ref
        import aiohttp
        from slack_sdk.errors import SlackApiError, SlackClientError

        try:
            response = await self._client.chat_postMessage(**kwargs)
        except SlackApiError as exc:
            raise translate(exc, alert.destination) from exc
        except (TimeoutError, SlackClientError, aiohttp.ClientError, OSError, ValueError) as exc:
            raise DeliveryError(
                f"cannot reach Slack: {type(exc).__name__}", destination=alert.destination
            ) from exc
        ts = response.get("ts")
        if not ts:
            raise DeliveryError("Slack accepted the message without a ts", destination=alert.destination)
        return DeliveryReceipt(str(ts))


async def _build(context: SinkContext) -> ChatSink | None:
    """The sink, and the web client the slash commands share."""
    slack_cfg = context.settings.slack
    if slack_cfg.bot_token is None:
        return None
    from slack_sdk.web.async_client import AsyncWebClient

    web = AsyncWebClient(
        token=slack_cfg.bot_token.get_secret_value(),
        base_url=slack_cfg.api_base or "https://slack.com/api/",
        timeout=int(context.settings.delivery.timeout),
    )
    context.clients.slack = web
    return SlackSink(web)


PLUGIN = SinkPlugin(prefix="slack", usage="slack:<channel_id>", build=_build)
