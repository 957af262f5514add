"""The one guarded GET every source uses.

The policy lives here, once: connect/read timeouts, a deadline on each attempt as a whole (so a
server that drips one byte at a time cannot hold a poll), a running size cap on the body, a
redirect limit (followed hop by hop so each hop can be checked), conditional GET, a per-host
concurrency limit, retries with backoff and jitter that honour `Retry-After` and Hugging Face's
`RateLimit` header, and the address rule of `bot.addresses` (private targets only when the
configured URL names them; the connection goes to the address that was checked). Source adapters
only build the URL and parse the bytes. Every httpx exception stops here as one of `bot.errors`.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import random
import re
import ssl
import urllib.request
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import MappingProxyType
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx
from pydantic import BaseModel, ConfigDict, Field

from bot import __version__
from bot.addresses import (
    PinningBackend,
    Resolver,
    check_hop,
    host_literal,
    is_public,
    resolve_public,
    system_resolver,
)
from bot.errors import BlockedAddress, FetchError, FetchTimeout, HTTPStatusError, ResponseTooLarge
from bot.hostlimit import HostLimiter
from bot.inflate import INFLATABLE, TooLarge, Undecodable, inflate

log = logging.getLogger("gapwatch.fetch")
DEFAULT_USER_AGENT = f"gapwatch/{__version__} (+https://github.com/gapwatch/gapwatch)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class FetchPolicy(BaseModel):
    """Limits applied to every fetch. Declared once: these are also the fetch keys of `[polling]`
    (`bot.config.PollingSettings` extends this model), so `settings.polling` is a policy."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    connect_timeout: float = Field(10.0, gt=0)
    read_timeout: float = Field(30.0, gt=0)
    max_bytes: int = Field(5_000_000, gt=0)
    max_redirects: int = Field(5, ge=0)
    retries: int = Field(2, ge=0)
    backoff_base: float = Field(1.0, ge=0)
    backoff_max: float = Field(60.0, ge=0)
    per_host: int = Field(4, ge=1)  # polite: fewer than the 6 a browser opens (README, "Sources")
    user_agent: str = DEFAULT_USER_AGENT
    fetch_timeout: float = Field(60.0, gt=0)  # one attempt as a whole: connect, redirects, body
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


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The process's one verifying TLS context (httpx's defaults: certifi's roots), shared by
    every HTTP client: building one loads the roots again, ~25 ms of CPU each time, and a start
    used to build three (the fetch transport twice, the sinks' client once)."""
    return httpx.create_ssl_context()


class _LazyTLSPool(httpcore.AsyncConnectionPool):
    """A pool whose https connections verify with `tls_context()`, built for the first of them:
    a poll of plain-http feeds never loads the CA roots (~25 ms of CPU). No proxies (see
    `new_client`), so every connection is a direct one."""

    def create_connection(self, origin: httpcore.Origin) -> httpcore.AsyncConnectionInterface:
        # an http connection never reads its context (nor builds httpcore's default for None)
        self._ssl_context = tls_context() if origin.scheme == b"https" else None
        return super().create_connection(origin)


def lazy_tls_transport(**pool: Any) -> httpx.AsyncHTTPTransport:
    """An httpx transport over a `_LazyTLSPool` (its keyword arguments go to the pool): https
    connections verify with `tls_context()`, built for the first of them."""
    # the transport's own pool, replaced at once, gets a bare context it never uses
    transport = httpx.AsyncHTTPTransport(verify=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT))
    transport._pool = _LazyTLSPool(**pool)
    return transport


class _Cookies(httpx.Cookies):
    """httpx's cookie jar, which passes over a response that sets no cookie. httpx hands every
    response to the standard library's `CookieJar`, which builds a urllib request and an email
    message of the headers only to find no `Set-Cookie` (about a sixth of the CPU of a 304);
    without the header it would store nothing, so nothing changes."""

    def extract_cookies(self, response: httpx.Response) -> None:
        headers = response.headers
        if "set-cookie" in headers or "set-cookie2" in headers:
            super().extract_cookies(response)


class _Client(httpx.AsyncClient):
    """An `httpx.AsyncClient` whose cookie jar is a `_Cookies`, also after `client.cookies = ...`."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._cookies = _Cookies(self._cookies)

    @property
    def cookies(self) -> httpx.Cookies:
        return self._cookies

    @cookies.setter
    def cookies(self, cookies: Any) -> None:
        self._cookies = _Cookies(cookies)


def new_client(
    policy: FetchPolicy,
    *,
    resolver: Resolver | None = None,
    network: httpcore.AsyncNetworkBackend | None = None,
) -> httpx.AsyncClient:
    """An httpx client with the policy's timeouts, redirect limit and User-Agent, whose
    connections go only to checked addresses (`bot.addresses.PinningBackend`).

    The caller owns it (open it in the composition root's `async with`). `Fetcher` follows
    redirects itself, hop by hop, so that each hop is counted and address-checked; the client's
    own redirect settings only matter to other users of the client. `resolver` and `network`
    replace the system resolver and socket layer (tests inject a rebinding resolver).
    """
    timeout = httpx.Timeout(
        connect=policy.connect_timeout, read=policy.read_timeout, write=policy.read_timeout, pool=None
    )
    proxies = {k: v for k, v in urllib.request.getproxies().items() if k in ("http", "https", "all")}
    if proxies:  # a proxy would resolve names itself, out of reach of the address check
        log.warning(
            "proxy settings in the environment (%s) are not used for fetches", ", ".join(sorted(proxies))
        )
    # httpx does not expose httpcore's network backend; the pool is rebuilt around ours
    transport = lazy_tls_transport(network_backend=PinningBackend(resolver or system_resolver, inner=network))
    return _Client(
        transport=transport,
        timeout=timeout,
        follow_redirects=True,
        max_redirects=policy.max_redirects,
        headers={"User-Agent": policy.user_agent},
    )


# --- public addresses (for sources added from chat, checked before they are saved) -----------


async def check_public_url(url: str, resolver: Resolver | None = None) -> None:
    """Refuse a URL whose host is, or resolves to, a non-public address.

    Raises:
        BlockedAddress: a private, loopback, link-local, reserved or multicast target (in any
            spelling), or a URL that is not http(s).
        FetchError: the host name does not resolve.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BlockedAddress("only http(s) URLs with a host are allowed", url=url)
    literal = host_literal(parts.hostname)
    if literal is not None:
        if not is_public(literal):
            raise BlockedAddress(f"address {literal} is not public", url=url)
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        await resolve_public(parts.hostname, port, resolver or system_resolver)
    except FetchError as exc:
        raise type(exc)(str(exc), url=url) from exc


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


@functools.lru_cache(maxsize=8192)
def _parsed_url(url: str) -> httpx.URL:
    """A source's URL parsed once per process, not at every poll (httpx.URL is immutable)."""
    return httpx.URL(url)


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
        configured: str | None = None,
    ) -> FetchResponse:
        """GET `url` under the policy.

        Args:
            url: absolute http(s) URL.
            etag: validator from the previous fetch (sent as If-None-Match).
            last_modified: validator from the previous fetch (sent as If-Modified-Since).
            headers: extra request headers (Accept, Authorization).
            source: the source key, named in errors.
            allow_private: False for sources added from chat: refuse every non-public target.
                True (configured sources): a non-public address only when `configured` names
                it as a literal or `localhost`; a redirect elsewhere into private space is refused.
            configured: the URL the operator configured (default `url`); pages of a paginated
                API pass their base, so a `Link: next` into private space is refused.

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
        named = urlsplit(configured or url).hostname
        attempt = 0
        while True:
            try:
                return await self._attempt(url, request_headers, source, allow_private, named)
            except _Retryable as failure:
                too_long = failure.wait is not None and failure.wait > self.policy.backoff_max
                if attempt >= self.policy.retries or too_long:
                    raise failure.error from failure.__cause__
                delay = failure.wait if failure.wait is not None else self._backoff(attempt)
                attempt += 1
                await self._sleep(delay)

    async def _attempt(
        self, url: str, headers: dict[str, str], source: str | None, allow_private: bool, named: str | None
    ) -> FetchResponse:
        try:
            request = self._client.build_request("GET", _parsed_url(url), headers=headers)
        except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError, TypeError) as exc:
            raise FetchError(f"invalid URL: {exc}", url=url, source=source) from exc
        return await self._follow(request, source, allow_private, named)

    async def _follow(
        self, request: httpx.Request, source: str | None, allow_private: bool, named: str | None
    ) -> FetchResponse:
        """Hop by hop. `fetch_timeout` bounds the time spent on the network over all hops;
        waiting for this host's turn (per-host limit, spacing) is not counted."""
        url = str(request.url)
        budget = self.policy.fetch_timeout
        loop = asyncio.get_running_loop()
        hops = 0
        while True:
            if request.url.scheme not in ("http", "https"):
                raise FetchError(f"unsupported URL scheme {request.url.scheme!r}", url=url, source=source)
            here = str(request.url)
            check_hop(request.url.host, named=named, allow_private=allow_private, url=here)
            host = f"{request.url.host}:{request.url.port or ''}"
            blocked = self.limiter.blocked_for(host)
            if blocked is not None:
                raise HTTPStatusError(429, url=here, source=source, retry_after=blocked)
            async with self._gate(request.url):
                await self.limiter.wait_turn(host)
                began = loop.time()
                try:
                    async with asyncio.timeout(budget):
                        outcome = await self._send_one(request, source)
                except TimeoutError as exc:  # a slow drip is not worth a retry
                    limit = self.policy.fetch_timeout
                    raise FetchTimeout(f"took longer than {limit:g}s", url=url, source=source) from exc
                budget -= loop.time() - began
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
        except FetchError as exc:  # refused by the pinning backend: name the hop
            raise type(exc)(str(exc), url=here, source=source) from exc
        try:
            status = response.status_code
            if response.next_request is not None:
                return response.next_request
            if status == 304:  # bodiless; read to the end (raw: no decoders), the connection is kept alive
                async for _ in response.aiter_raw():
                    pass
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
            if response.headers.get("content-encoding", "").strip().lower() in INFLATABLE:
                return await inflate(response.aiter_raw(), limit)
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > limit:
                    raise ResponseTooLarge(f"body exceeds {limit} bytes", url=url, source=source)
        except TooLarge as exc:
            raise ResponseTooLarge(f"body exceeds {limit} bytes", url=url, source=source) from exc
        except Undecodable as exc:
            raise FetchError(f"body could not be decompressed: {exc}", url=url, source=source) from exc
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
