"""The one guarded GET every source uses.

The policy lives here, once: connect/read timeouts, a running size cap on the body, a redirect
limit (followed hop by hop so each hop can be checked), conditional GET, a per-host concurrency
limit, retries with backoff and jitter that honour `Retry-After` and Hugging Face's `RateLimit`
header, and refusal of private addresses for sources added from chat. Source adapters only build
the URL and parse the bytes. Every httpx exception stops here as one of `bot.errors`.
"""

from __future__ import annotations

import asyncio
import ipaddress
import random
import re
import socket
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import MappingProxyType
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
from pydantic import BaseModel, ConfigDict, Field

from bot import __version__
from bot.errors import BlockedAddress, FetchError, FetchTimeout, HTTPStatusError, ResponseTooLarge
from bot.hostlimit import HostLimiter

DEFAULT_USER_AGENT = f"gapwatch/{__version__} (+https://github.com/gapwatch/gapwatch)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class FetchPolicy(BaseModel):
    """Limits applied to every fetch. Declared once: these are also the fetch keys of `[polling]`
    (`bot.config.PollingSettings` extends this model), so `settings.polling` is a policy."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    connect_timeout: float = Field(10.0, gt=0)
    read_timeout: float = Field(30.0, gt=0)
    max_bytes: int = Field(5_000_000, gt=0)
    max_redirects: int = Field(5, ge=0)
    retries: int = Field(2, ge=0)
    backoff_base: float = Field(1.0, ge=0)
    backoff_max: float = Field(60.0, ge=0)
    per_host: int = Field(4, ge=1)  # polite: fewer than the 6 a browser opens (README, "Sources")
    user_agent: str = DEFAULT_USER_AGENT
    host_interval: float = 0.0  # seconds between request starts to one host ([polling] sets 0.2)

    @classmethod
    def from_settings(cls, polling: Any) -> FetchPolicy:
        """Only the policy's keys of `settings.polling` (any object with those attribute names)."""
        return cls.model_validate({k: getattr(polling, k) for k in cls.model_fields if hasattr(polling, k)})


@dataclass(frozen=True, slots=True)
class FetchResponse:
    """A successful (2xx) or not-modified (304) answer, body fully read."""

    url: str  # the final URL, after redirects
    status: int
    content: bytes
    headers: Mapping[str, str]  # lower-case names
    etag: str | None
    last_modified: str | None
    not_modified: bool
    next_url: str | None  # `Link: <...>; rel="next"`, absolute


def new_client(policy: FetchPolicy) -> httpx.AsyncClient:
    """An httpx client with the policy's timeouts, redirect limit and User-Agent.

    The caller owns it (open it in the composition root's `async with`). `Fetcher` follows
    redirects itself, hop by hop, so that each hop is counted and address-checked; the client's
    own redirect settings only matter to other users of the client.
    """
    timeout = httpx.Timeout(
        connect=policy.connect_timeout, read=policy.read_timeout, write=policy.read_timeout, pool=None
    )
    return httpx.AsyncClient(
        timeout=timeout,
        follow_redirects=True,
        max_redirects=policy.max_redirects,
        headers={"User-Agent": policy.user_agent},
    )


# --- private addresses -----------------------------------------------------------------------


def _is_blocked_ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        not ip.is_global
        or ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )


async def check_public_url(url: str) -> None:
    """Refuse a URL whose host is, or resolves to, a non-public address.

    Raises:
        BlockedAddress: a private, loopback, link-local, reserved or multicast target, or a URL
            that is not http(s).
        FetchError: the host name does not resolve.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BlockedAddress("only http(s) URLs with a host are allowed", url=url)
    host = parts.hostname
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        if _is_blocked_ip(literal):
            raise BlockedAddress(f"address {literal} is not public", url=url)
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise FetchError(f"cannot resolve {host}", url=url) from exc
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if _is_blocked_ip(address):
            raise BlockedAddress(f"{host} resolves to non-public address {address}", url=url)


# --- wait hints ------------------------------------------------------------------------------

_RATELIMIT_T = re.compile(r"(?:^|;)\s*t\s*=\s*(\d+(?:\.\d+)?)")
_RATELIMIT_R = re.compile(r"(?:^|;)\s*r\s*=\s*(\d+)")


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a `Retry-After` value: delta-seconds or an HTTP-date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def parse_ratelimit(value: str | None, *, exhausted_only: bool) -> float | None:
    """Seconds until reset from `RateLimit: "api";r=0;t=42` (IETF draft, used by Hugging Face)."""
    if not value:
        return None
    reset = _RATELIMIT_T.search(value)
    if reset is None:
        return None
    if exhausted_only:
        remaining = _RATELIMIT_R.search(value)
        if remaining is None or int(remaining.group(1)) > 0:
            return None
    return float(reset.group(1))


def parse_github_reset(remaining: str | None, reset: str | None, now: datetime) -> float | None:
    """Seconds until `x-ratelimit-reset` (epoch seconds) when `x-ratelimit-remaining` is 0 (GitHub)."""
    if (remaining or "").strip() != "0" or not (reset or "").strip().isdigit():
        return None
    return max(0.0, float(reset or 0) - now.timestamp())


def _wait_hint(response: httpx.Response, now: datetime) -> float | None:
    headers = response.headers
    hint = parse_retry_after(headers.get("retry-after"), now)
    if hint is None:
        hint = parse_ratelimit(headers.get("ratelimit"), exhausted_only=response.status_code != 429)
    if hint is None:
        hint = parse_github_reset(headers.get("x-ratelimit-remaining"), headers.get("x-ratelimit-reset"), now)
    return hint


# --- the fetcher -----------------------------------------------------------------------------


class _Retryable(Exception):
    """Internal: one attempt failed in a way worth retrying."""

    def __init__(self, error: FetchError, wait: float | None) -> None:
        self.error = error
        self.wait = wait


class Fetcher:
    """Guarded GETs over one shared httpx client."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        policy: FetchPolicy,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rand: Callable[[], float] = random.random,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._client = client
        self.policy = policy
        self._sleep = sleep
        self._rand = rand
        self._now = now
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self.limiter = HostLimiter(policy.host_interval, clock=lambda: self._now().timestamp(), sleep=sleep)

    def _gate(self, url: httpx.URL) -> asyncio.Semaphore:
        key = f"{url.host}:{url.port or ''}"
        gate = self._hosts.get(key)
        if gate is None:
            gate = self._hosts[key] = asyncio.Semaphore(max(1, self.policy.per_host))
        return gate

    def _backoff(self, attempt: int) -> float:
        base = min(self.policy.backoff_max, self.policy.backoff_base * 2.0**attempt)
        return float(base / 2 + base / 2 * self._rand())  # "equal jitter": between half and all of it

    async def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        headers: Mapping[str, str] | None = None,
        source: str | None = None,
        allow_private: bool = True,
    ) -> FetchResponse:
        """GET `url` under the policy.

        Args:
            url: absolute http(s) URL.
            etag: validator from the previous fetch (sent as If-None-Match).
            last_modified: validator from the previous fetch (sent as If-Modified-Since).
            headers: extra request headers (Accept, Authorization).
            source: the source key, named in errors.
            allow_private: False for sources added from chat: refuse non-public targets, on
                every redirect hop too.

        Returns:
            The answer; `not_modified` and empty content on 304.

        Raises:
            FetchTimeout, ResponseTooLarge, BlockedAddress, HTTPStatusError, FetchError.
        """
        request_headers = dict(headers or {})
        if etag:
            request_headers["If-None-Match"] = etag
        if last_modified:
            request_headers["If-Modified-Since"] = last_modified
        attempt = 0
        while True:
            try:
                return await self._attempt(url, request_headers, source, allow_private)
            except _Retryable as failure:
                too_long = failure.wait is not None and failure.wait > self.policy.backoff_max
                if attempt >= self.policy.retries or too_long:
                    raise failure.error from failure.__cause__
                delay = failure.wait if failure.wait is not None else self._backoff(attempt)
                attempt += 1
                await self._sleep(delay)

    async def _attempt(
        self, url: str, headers: dict[str, str], source: str | None, allow_private: bool
    ) -> FetchResponse:
        try:
            request = self._client.build_request("GET", url, headers=headers)
        except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError, TypeError) as exc:
            raise FetchError(f"invalid URL: {exc}", url=url, source=source) from exc
        hops = 0
        while True:
            if request.url.scheme not in ("http", "https"):
                raise FetchError(f"unsupported URL scheme {request.url.scheme!r}", url=url, source=source)
            if not allow_private:
                await check_public_url(str(request.url))
            host = f"{request.url.host}:{request.url.port or ''}"
            blocked = self.limiter.blocked_for(host)
            if blocked is not None:
                raise HTTPStatusError(429, url=str(request.url), source=source, retry_after=blocked)
            async with self._gate(request.url):
                await self.limiter.wait_turn(host)
                outcome = await self._send_one(request, source)
            if isinstance(outcome, FetchResponse):
                return outcome
            hops += 1
            if hops > self.policy.max_redirects:
                raise FetchError(
                    f"more than {self.policy.max_redirects} redirects", url=str(request.url), source=source
                )
            request = outcome

    async def _send_one(self, request: httpx.Request, source: str | None) -> FetchResponse | httpx.Request:
        here = str(request.url)
        try:
            response = await self._client.send(request, stream=True, follow_redirects=False)
        except httpx.TimeoutException as exc:
            timeout = FetchTimeout(f"timed out ({type(exc).__name__})", url=here, source=source)
            raise _Retryable(timeout, None) from exc
        except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
            raise FetchError(f"{type(exc).__name__}: {exc}", url=here, source=source) from exc
        try:
            status = response.status_code
            if response.next_request is not None:
                return response.next_request
            if status == 304:
                await response.aread()  # bodiless; read to the end, the connection is kept alive
                return self._result(response, b"")
            if 200 <= status < 300:
                self._note_quota(request.url, response)
                return self._result(response, await self._read(response, here, source))
            wait = _wait_hint(response, self._now())
            error = HTTPStatusError(status, url=here, source=source, retry_after=wait)
            if wait is not None and wait > self.policy.backoff_max and status in (403, 429):
                self.limiter.block(f"{request.url.host}:{request.url.port or ''}", wait)
            if status in RETRY_STATUSES:
                raise _Retryable(error, wait)
            raise error
        finally:
            await response.aclose()

    def _note_quota(self, url: httpx.URL, response: httpx.Response) -> None:
        """A success that spent the host's last request (`RateLimit: ...;r=0;t=N`, or GitHub's
        `x-ratelimit-remaining: 0`) blocks the host until the reset, for every source on it."""
        headers = response.headers
        reset = parse_ratelimit(headers.get("ratelimit"), exhausted_only=True)
        if reset is None:
            remaining, at = headers.get("x-ratelimit-remaining"), headers.get("x-ratelimit-reset")
            reset = parse_github_reset(remaining, at, self._now())
        if reset:
            self.limiter.block(f"{url.host}:{url.port or ''}", reset)

    async def _read(self, response: httpx.Response, url: str, source: str | None) -> bytes:
        limit = self.policy.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise ResponseTooLarge(f"body of {declared} bytes exceeds {limit}", url=url, source=source)
        body = bytearray()
        try:
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > limit:
                    raise ResponseTooLarge(f"body exceeds {limit} bytes", url=url, source=source)
        except httpx.TimeoutException as exc:
            timeout = FetchTimeout("timed out reading the body", url=url, source=source)
            raise _Retryable(timeout, None) from exc
        except (httpx.HTTPError, httpx.StreamError) as exc:
            raise FetchError(f"{type(exc).__name__}: {exc}", url=url, source=source) from exc
        return bytes(body)

    @staticmethod
    def _result(response: httpx.Response, content: bytes) -> FetchResponse:
        url = str(response.url)
        next_link = response.links.get("next", {}).get("url")
        return FetchResponse(
            url=url,
            status=response.status_code,
            content=content,
            headers=MappingProxyType({k.lower(): v for k, v in response.headers.items()}),
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
            not_modified=response.status_code == 304,
            next_url=urljoin(url, next_link) if next_link else None,
        )
