"""Generic webhook sink: POST each alert as JSON to a URL of yours (``hook:<name>``).

    [sinks.hook.ops]
    url = "https://ops.example.org/gapwatch"
    secret = "env:GAPWATCH_HOOK_SECRET"   # optional

    [[routes]]
    destination = "hook:ops"

The body is ``{"destination", "kind", "idempotency_key", "thread_ref", "alert"}`` where `alert`
is the platform-free alert payload. Headers: ``X-Gapwatch-Event`` (new, update, digest, admin) and
``X-Gapwatch-Delivery`` (the idempotency key: a receiver drops repeats after a crash). With a
secret, ``X-Gapwatch-Signature: sha256=<hex>`` is the HMAC-SHA256 of the exact body bytes with
the secret, so the receiver can check who sent it. Outcomes follow `http_post`: 2xx sent, 429
rescheduled by ``Retry-After``, 400/401/403/404 parked, anything else retried with backoff.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping

import httpx
from pydantic import BaseModel, ConfigDict, SecretStr, field_validator

from adapters.sinks.http_post import post
from adapters.sinks.registry import SinkContext, SinkPlugin
from bot.domain import Alert, DeliveryReceipt
from bot.errors import DeliveryError
from bot.ports import ChatSink

SIGNATURE_HEADER = "X-Gapwatch-Signature"


class HookTarget(BaseModel):
    """One `[sinks.hook.<name>]` table."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str
    secret: SecretStr | None = None

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parsed = httpx.URL(value) if value.startswith(("http://", "https://")) else None
        if parsed is None or not parsed.host:
            raise ValueError("must be an http(s) URL, e.g. 'https://ops.example.org/gapwatch'")
        return value


def signature(secret: str, body: bytes) -> str:
    """The `X-Gapwatch-Signature` value for `body`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class HookSink:
    """Delivers alerts for destinations ``hook:<name>``.

    Args:
        targets: name -> URL and optional secret (the validated `[sinks.hook]` tables).
        client: the shared httpx client (its time-outs apply).
    """

    name = "hook"

    def __init__(self, targets: Mapping[str, HookTarget], client: httpx.AsyncClient) -> None:
        self._targets = dict(targets)
        self._client = client

    async def send(self, alert: Alert) -> DeliveryReceipt:
        name = alert.destination.partition(":")[2]
        target = self._targets.get(name)
        if target is None:
            raise DeliveryError(
                f"no hook named {name!r} in [sinks.hook]", destination=alert.destination, permanent=True
            )
        body = json.dumps(
            {
                "destination": alert.destination,
                "kind": alert.kind.value,
                "idempotency_key": alert.idempotency_key,
                "thread_ref": alert.thread_ref,
                "alert": dict(alert.payload),
            },
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()
        headers = {
            "Content-Type": "application/json",
            "X-Gapwatch-Event": alert.kind.value,
            "X-Gapwatch-Delivery": alert.idempotency_key,
        }
        if target.secret is not None:
            headers[SIGNATURE_HEADER] = signature(target.secret.get_secret_value(), body)
        _, data = await post(
            self._client,
            target.url,
            service=f"hook {name}",
            destination=alert.destination,
            content=body,
            headers=headers,
        )
        ref = data.get("id") if isinstance(data, dict) else None
        return DeliveryReceipt(str(ref) if ref is not None else f"hook:{alert.id}")


def _target(name: str, targets: Mapping[str, HookTarget] | None) -> str | None:
    if not name:
        return "needs a hook name"
    if name not in (targets or {}):
        return f"no [sinks.hook.{name}] table with its url"
    return None


async def _build(context: SinkContext) -> ChatSink | None:
    targets: dict[str, HookTarget] = context.options or {}
    return HookSink(targets, context.http) if targets else None


PLUGIN = SinkPlugin(
    prefix="hook", usage="hook:<name>", build=_build, check_target=_target, options=dict[str, HookTarget]
)
