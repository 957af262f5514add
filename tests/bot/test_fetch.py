"""The guarded GET against a real loopback server."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import httpcore
import pytest

from bot.errors import BlockedAddress, FetchError, FetchTimeout, HTTPStatusError, ResponseTooLarge
from bot.fetch import (
    Fetcher,
    FetchPolicy,
    check_public_url,
    new_client,
    parse_ratelimit,
    parse_retry_after,
)
from tests.fakes.feeds import FeedServer, http_date

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
FAST = FetchPolicy(connect_timeout=2, read_timeout=2, retries=2, backoff_base=1.0, backoff_max=60)


@dataclass
class Env:
    srv: FeedServer
    sleeps: list[float]
    make: Callable[..., Fetcher]


@pytest.fixture
async def env() -> AsyncIterator[Env]:
    sleeps: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    clients = []

    def make(policy: FetchPolicy = FAST, rand: Callable[[], float] = lambda: 1.0) -> Fetcher:
        client = new_client(policy)
        clients.append(client)
        return Fetcher(client, policy, sleep=fake_sleep, rand=rand, now=lambda: NOW)

    async with FeedServer() as srv:
        yield Env(srv, sleeps, make)
        for client in clients:
            await client.aclose()


async def test_get_returns_body_validators_and_sends_user_agent(env: Env) -> None:
    url = env.srv.add("/a", "hello", last_modified=NOW, headers={"Link": '</page2>; rel="next"'})
    resp = await env.make().get(url)
    assert (resp.status, resp.content, resp.not_modified) == (200, b"hello", False)
    assert resp.etag == env.srv.etag("/a")
    assert resp.last_modified == http_date(NOW)
    assert resp.next_url == env.srv.url("/page2")
    assert resp.headers["content-type"].startswith("text/html")
    assert env.srv.requests[0].header("user-agent") == FAST.user_agent
    assert FAST.user_agent.startswith("gapwatch/")


@pytest.mark.parametrize("validator", ["etag", "last_modified"])
async def test_conditional_get_answers_not_modified(env: Env, validator: str) -> None:
    url = env.srv.add(
        "/feed", "<rss/>", last_modified=NOW, etag=None if validator == "last_modified" else True
    )
    fetcher = env.make()
    first = await fetcher.get(url)
    second = await fetcher.get(url, etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified and second.status == 304 and second.content == b""
    sent = env.srv.requests[1]
    if validator == "etag":
        assert sent.header("if-none-match") == env.srv.etag("/feed")
    else:
        assert sent.header("if-modified-since") == http_date(NOW)
        assert sent.header("if-none-match") is None


@pytest.mark.parametrize("declare_length", [True, False])
async def test_size_cap(env: Env, declare_length: bool) -> None:
    url = env.srv.add_large("/big", 300_000, declare_length=declare_length)
    fetcher = env.make(FAST.model_copy(update=dict(max_bytes=100_000)))
    with pytest.raises(ResponseTooLarge):
        await fetcher.get(url)
    ok = await env.make(FAST.model_copy(update=dict(max_bytes=300_000))).get(url)
    assert len(ok.content) == 300_000


async def test_read_timeout_is_retried_then_raised(env: Env) -> None:
    url = env.srv.add("/slow", "late", delay=2.0)
    fetcher = env.make(FAST.model_copy(update=dict(read_timeout=0.1, retries=1)))
    with pytest.raises(FetchTimeout) as info:
        await fetcher.get(url, source="feed:x")
    assert "feed:x" in str(info.value) and url in str(info.value)
    assert env.srv.hits("/slow") == 2
    assert env.sleeps == [1.0]


async def test_redirects_followed_up_to_the_limit(env: Env) -> None:
    env.srv.add("/end", "done")
    for i in range(3):
        env.srv.add_redirect(f"/r{i}", f"/r{i + 1}" if i < 2 else "/end")
    ok = await env.make(FAST.model_copy(update=dict(max_redirects=3))).get(env.srv.url("/r0"))
    assert ok.content == b"done" and ok.url == env.srv.url("/end")
    with pytest.raises(FetchError, match="more than 2 redirects") as info:
        await env.make(FAST.model_copy(update=dict(max_redirects=2))).get(env.srv.url("/r0"))
    assert type(info.value) is FetchError


@pytest.mark.parametrize(
    ("failure", "rand", "expected_sleeps"),
    [
        ({"status": 503}, lambda: 1.0, [1.0, 2.0]),  # exponential: base, 2*base
        ({"status": 500}, lambda: 0.0, [0.5, 1.0]),  # equal jitter: at least half
        ({"status": 502, "retry_after": 7}, lambda: 0.0, [7.0, 7.0]),
        ({"status": 503, "retry_after": http_date(NOW + timedelta(seconds=30))}, lambda: 0.0, [30.0, 30.0]),
        ({"status": 429, "headers": {"RateLimit": '"api";r=0;t=12'}}, lambda: 0.0, [12.0, 12.0]),
    ],
)
async def test_retryable_failures_then_success(
    env: Env, failure: dict[str, Any], rand: Callable[[], float], expected_sleeps: list[float]
) -> None:
    url = env.srv.add("/flaky", "ok")
    status = failure.pop("status")
    env.srv.fail("/flaky", status, times=2, **failure)
    resp = await env.make(rand=rand).get(url)
    assert resp.content == b"ok"
    assert env.sleeps == expected_sleeps
    assert env.srv.hits("/flaky") == 3


async def test_retries_exhausted_raise_status_error(env: Env) -> None:
    url = env.srv.add("/down", "never")
    env.srv.fail("/down", 503, times=5, retry_after=3)
    with pytest.raises(HTTPStatusError) as info:
        await env.make().get(url)
    assert info.value.status == 503 and info.value.retry_after == 3.0
    assert env.srv.hits("/down") == 3 and env.sleeps == [3.0, 3.0]


async def test_retry_after_beyond_backoff_max_gives_up_at_once(env: Env) -> None:
    url = env.srv.add("/busy", "x")
    env.srv.fail("/busy", 429, retry_after=3600)
    with pytest.raises(HTTPStatusError) as info:
        await env.make().get(url)
    assert (info.value.status, info.value.retry_after) == (429, 3600.0)
    assert env.sleeps == [] and env.srv.hits("/busy") == 1


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410])
async def test_client_errors_are_not_retried(env: Env, status: int) -> None:
    url = env.srv.add("/x", "x")
    env.srv.fail("/x", status, times=3)
    with pytest.raises(HTTPStatusError) as info:
        await env.make().get(url)
    assert info.value.status == status
    assert env.srv.hits("/x") == 1 and env.sleeps == []


async def test_connection_refused_is_a_fetch_error(env: Env) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchError) as info:
        await env.make(FAST.model_copy(update=dict(retries=0))).get(f"http://127.0.0.1:{port}/")
    assert info.value.__cause__ is not None


async def test_invalid_url_is_a_fetch_error(env: Env) -> None:
    with pytest.raises(FetchError):
        await env.make().get("ftp://example.org/feed")


async def test_per_host_limit(env: Env) -> None:
    url = env.srv.add("/slow", "x", delay=0.05)
    fetcher = env.make(FAST.model_copy(update=dict(per_host=2)))
    await asyncio.gather(*(fetcher.get(url) for _ in range(6)))
    assert env.srv.hits("/slow") == 6
    assert env.srv.max_in_flight == 2


async def test_private_addresses_refused_when_asked(env: Env) -> None:
    url = env.srv.add("/a", "x")
    with pytest.raises(BlockedAddress):
        await env.make().get(url, allow_private=False)
    assert env.srv.requests == []
    assert (await env.make().get(url)).content == b"x"  # allowed by default (configured sources)


@pytest.mark.parametrize(
    ("url", "blocked"),
    [
        ("http://127.0.0.1/", True),
        ("http://localhost:8080/feed", True),
        ("http://10.1.2.3/", True),
        ("http://192.168.0.10/", True),
        ("http://172.16.5.4/", True),
        ("http://169.254.169.254/latest/meta-data", True),
        ("http://[::1]/", True),
        ("http://[fe80::1]/", True),
        ("http://[::ffff:127.0.0.1]/", True),
        ("http://[2002:7f00:1::]/", True),  # 6to4 around 127.0.0.1
        ("http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/", True),  # Teredo, client 127.0.0.1
        ("http://[64:ff9b::a00:1]/", True),  # NAT64 around 10.0.0.1
        ("http://2130706433/", True),  # decimal 127.0.0.1
        ("http://0x7f000001/", True),  # hex
        ("http://0177.0.0.1/", True),  # octal
        ("http://127.1/", True),  # short form
        ("http://0.0.0.0/", True),
        ("http://100.64.0.1/", True),  # shared address space (CGNAT)
        ("http://240.0.0.1/", True),  # reserved
        ("file:///etc/passwd", True),
        ("http://93.184.215.14/feed.xml", False),
        ("https://[2606:4700::1111]/", False),
    ],
)
async def test_check_public_url(url: str, blocked: bool) -> None:
    if blocked:
        with pytest.raises(BlockedAddress):
            await check_public_url(url)
    else:
        await check_public_url(url)


async def test_check_public_url_unresolvable_host() -> None:
    with pytest.raises(FetchError):
        await check_public_url("http://no-such-host.invalid/")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", 120.0),
        (" 0 ", 0.0),
        ("Sat, 01 Mar 2025 12:01:00 GMT", 60.0),
        ("Sat, 01 Mar 2025 11:00:00 GMT", 0.0),  # in the past
        ("soon", None),
        (None, None),
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value, NOW) == expected


@pytest.mark.parametrize(
    ("value", "exhausted_only", "expected"),
    [
        ('"api";r=0;t=42', True, 42.0),
        ('"api";r=5;t=42', True, None),
        ('"api";r=5;t=42', False, 42.0),
        ('"resolvers";r=0;t=7', True, 7.0),
        ("garbage", False, None),
    ],
)
def test_parse_ratelimit(value: str, exhausted_only: bool, expected: float | None) -> None:
    assert parse_ratelimit(value, exhausted_only=exhausted_only) == expected


def test_policy_from_settings_reads_polling_attributes() -> None:
    polling = SimpleNamespace(
        connect_timeout=1.5, read_timeout=4, max_bytes=10, max_redirects=1, retries=0,
        backoff_base=0.5, backoff_max=9, per_host=3, user_agent="ua/1", interval=900,
    )  # fmt: skip
    policy = FetchPolicy.from_settings(polling)
    assert policy == FetchPolicy(
        connect_timeout=1.5, read_timeout=4, max_bytes=10, max_redirects=1, retries=0,
        backoff_base=0.5, backoff_max=9, per_host=3, user_agent="ua/1",
    )  # fmt: skip


def test_policy_from_real_settings() -> None:
    from bot.config import load_settings

    settings = load_settings(None, {})
    policy = FetchPolicy.from_settings(settings.polling)
    assert policy.max_bytes == settings.polling.max_bytes
    assert policy.user_agent == settings.polling.user_agent


@pytest.mark.parametrize("wbits", [31, 15])  # gzip, zlib-wrapped deflate
async def test_compressed_bodies_are_inflated(env: Env, wbits: int) -> None:
    import zlib

    packer = zlib.compressobj(6, zlib.DEFLATED, wbits)
    data = packer.compress(b"<rss>" * 1000) + packer.flush()
    encoding = "gzip" if wbits == 31 else "deflate"
    url = env.srv.add("/z", data, headers={"Content-Encoding": encoding})
    assert (await env.make().get(url)).content == b"<rss>" * 1000


async def test_a_gzip_bomb_is_refused_at_the_cap(env: Env) -> None:
    from tests.fakes.hostile import gzip_bomb

    url = env.srv.add("/bomb", gzip_bomb(64), headers={"Content-Encoding": "gzip"})
    with pytest.raises(ResponseTooLarge, match="exceeds 1000000"):
        await env.make(FAST.model_copy(update=dict(max_bytes=1_000_000))).get(url)


async def test_a_corrupt_compressed_body_is_a_fetch_error(env: Env) -> None:
    url = env.srv.add("/bad", b"definitely not gzip", headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="could not be decompressed"):
        await env.make().get(url)


async def test_waiting_for_the_host_does_not_count_against_the_fetch_deadline(env: Env) -> None:
    """Eight fetches of 50 ms through one per-host slot: the last waits 350 ms for its turn,
    longer than the 300 ms deadline, and still succeeds (the deadline is for the fetch)."""
    url = env.srv.add("/slowish", "ok", delay=0.05)
    fetcher = env.make(FAST.model_copy(update=dict(per_host=1, fetch_timeout=0.3, retries=0)))
    results = await asyncio.gather(*(fetcher.get(url) for _ in range(8)))
    assert [r.content for r in results] == [b"ok"] * 8 and env.srv.max_in_flight == 1


async def test_the_tls_context_is_built_for_the_first_https_connection_only() -> None:
    """Plain-http feeds never load the CA roots; an https connection verifies with the shared
    context (not the bare one httpx's own, replaced pool was given)."""
    from bot.fetch import tls_context

    tls_context.cache_clear()
    try:
        async with FeedServer() as srv, new_client(FetchPolicy()) as client:
            url = srv.add_feed("/plain.xml", "<rss/>")
            response = await Fetcher(client, FetchPolicy()).get(url)
            assert response.status == 200
            assert tls_context.cache_info().currsize == 0
            pool = client._transport._pool  # type: ignore[attr-defined]
            https = pool.create_connection(httpcore.Origin(b"https", b"example.org", 443))
            assert https._ssl_context is tls_context()  # the verifying context, shared
            assert tls_context().verify_mode.name == "CERT_REQUIRED" and tls_context().check_hostname
    finally:
        tls_context.cache_clear()


async def test_cookies_a_server_sets_are_sent_back(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cookie jar stores what a response sets and sends it on; a response that sets none is
    not handed to the standard library's jar at all (it would store nothing)."""
    plain = env.srv.add("/plain", "a")
    setting = env.srv.add("/set", "b", headers={"Set-Cookie": "session=abc; Path=/"})
    fetcher = env.make()
    handed: list[str] = []
    jar = fetcher._client.cookies.jar
    real = jar.extract_cookies

    def spy(response: Any, request: Any) -> None:
        handed.append(request.get_full_url())
        real(response, request)

    monkeypatch.setattr(jar, "extract_cookies", spy)
    await fetcher.get(plain)
    assert handed == [] and env.srv.requests[-1].header("cookie") is None
    await fetcher.get(setting)
    assert handed == [setting]
    await fetcher.get(plain)
    assert env.srv.requests[-1].header("cookie") == "session=abc"
    fetcher._client.cookies = {"other": "1"}  # replaced by a caller: still the same kind of jar
    assert type(fetcher._client.cookies).__name__ == "_Cookies"
    await fetcher.get(plain)
    assert env.srv.requests[-1].header("cookie") == "other=1"
