"""One POST per delivery attempt over the shared httpx client, its outcome as data for the outbox.

Shared by the sinks that speak plain HTTP (Discord webhook, Discord bot channel, generic hook):

- 2xx                        -> the response (the sink reads its receipt from it)
- 429                        -> RateLimited(seconds from `wait(response, data)`)
- 400/401/403/404            -> permanent DeliveryError (parked at once)
- other statuses, time-outs, connection errors -> DeliveryError (backoff)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from bot.errors import DeliveryError, RateLimited

PERMANENT_STATUSES = frozenset({400, 401, 403, 404})
DEFAULT_RETRY_AFTER = 60.0

Wait = Callable[[httpx.Response, Any], tuple[float, str | None]]


def retry_after_header(response: httpx.Response, _data: Any) -> tuple[float, str | None]:
    """Seconds from a `Retry-After` header in seconds (else a minute), no scope."""
    try:
        return max(0.0, float(response.headers["Retry-After"])), None
    except (KeyError, ValueError):
        return DEFAULT_RETRY_AFTER, None


def json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


async def post(
    client: httpx.AsyncClient,
    url: str,
    *,
    service: str,
    destination: str,
    wait: Wait = retry_after_header,
    **request: Any,
) -> tuple[httpx.Response, Any]:
    """POST once; return the 2xx response and its JSON body (None if not JSON).

    Args:
        service: named in error messages ("Discord", "hook ops").
        wait: reads the delay (and scope) of a 429.
        request: passed to `httpx.AsyncClient.post` (json=, content=, headers=, params=).

    Raises:
        RateLimited: HTTP 429.
        DeliveryError: transport failure or non-2xx status (`permanent` for 400/401/403/404).
    """
    try:
        response = await client.post(url, **request)
    except httpx.TimeoutException as exc:
        raise DeliveryError(f"{service} did not answer in time", destination=destination) from exc
    except httpx.HTTPError as exc:
        raise DeliveryError(f"cannot reach {service}: {type(exc).__name__}", destination=destination) from exc
    data = json_or_none(response)
    status = response.status_code
    if 200 <= status < 300:
        return response, data
    if status == 429:
        seconds, scope = wait(response, data)
        raise RateLimited(seconds, destination=destination, scope=scope)
    message = data.get("message") if isinstance(data, dict) else None
    text = f"HTTP {status}" + (f": {message}" if message else "")
    raise DeliveryError(text, destination=destination, permanent=status in PERMANENT_STATUSES)
