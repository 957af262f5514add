"""SSRF: which addresses the guarded fetch reaches, over real loopback connections.

A stand-in network backend plays "the public internet": connections to PUBLIC land on the local
fake server, so a public host can be simulated without leaving the machine, and every address
the client connects to is recorded.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpcore
import pytest

from bot.addresses import check_hop, host_literal, is_public
from bot.aio_stream import AsyncioBackend
from bot.errors import BlockedAddress
from bot.fetch import Fetcher, FetchPolicy, new_client
from tests.fakes.feeds import FeedServer

PUBLIC = "93.184.215.14"
POLICY = FetchPolicy(connect_timeout=2, read_timeout=2, retries=0, fetch_timeout=5)
pytestmark = pytest.mark.reliability


@dataclass
class Net(httpcore.AsyncNetworkBackend):
    """Records connections; PUBLIC is routed to the loopback fake server."""

    connects: list[str] = field(default_factory=list)
    inner: httpcore.AsyncNetworkBackend = field(default_factory=AsyncioBackend)

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        self.connects.append(host)
        target = "127.0.0.1" if host == PUBLIC else host
        return await self.inner.connect_tcp(target, port, timeout=timeout)

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


@dataclass
class Dns:
    """An injected resolver: a queue of answers per name (the last one repeats)."""

    answers: dict[str, list[list[str]]]
    asked: list[str] = field(default_factory=list)

    async def __call__(self, host: str, port: int) -> Sequence[str]:
        self.asked.append(host)
        queue = self.answers.get(host)
        if not queue:
            raise OSError(f"no such host {host}")
        return queue.pop(0) if len(queue) > 1 else queue[0]


@dataclass
class Env:
    srv: FeedServer
    net: Net
    dns: Dns
    fetcher: Fetcher

    def public(self, path: str) -> str:
        return f"http://public.test:{self.srv.port}{path}"


@pytest.fixture
async def env() -> AsyncIterator[Env]:
    net = Net()
    dns = Dns(
        {"public.test": [[PUBLIC]], "intranet.test": [["10.0.0.5"]], "mixed.test": [[PUBLIC, "127.0.0.1"]]}
    )
    async with FeedServer() as srv, new_client(POLICY, resolver=dns, network=net) as client:
        yield Env(srv, net, dns, Fetcher(client, POLICY))


async def test_public_name_connects_to_the_address_it_resolved(env: Env) -> None:
    env.srv.add("/feed", "ok")
    response = await env.fetcher.get(env.public("/feed"))
    assert response.content == b"ok"
    assert env.net.connects == [PUBLIC]


@pytest.mark.parametrize(
    "spelling",
    [
        "127.0.0.1",
        "localhost",
        "2130706433",
        "0x7f000001",
        "127.1",
        "[::ffff:127.0.0.1]",
        "[2002:7f00:1::]",
        "[::127.0.0.1]",
    ],
)
async def test_redirect_from_a_public_feed_to_loopback_is_refused(env: Env, spelling: str) -> None:
    env.srv.add("/secret", "internal")
    env.srv.add_redirect("/go", f"http://{spelling}:{env.srv.port}/secret")
    with pytest.raises(BlockedAddress):
        await env.fetcher.get(env.public("/go"))  # a configured source: the default
    assert env.srv.paths() == ["/go"]


async def test_redirect_to_metadata_address_is_refused(env: Env) -> None:
    env.srv.add_redirect("/go", "http://169.254.169.254/latest/meta-data/")
    with pytest.raises(BlockedAddress, match=r"169\.254\.169\.254"):
        await env.fetcher.get(env.public("/go"))
    assert env.net.connects == [PUBLIC]


async def test_a_configured_loopback_url_may_redirect_to_itself(env: Env) -> None:
    env.srv.add("/b", "here")
    env.srv.add_redirect("/a", env.srv.url("/b"))
    assert (await env.fetcher.get(env.srv.url("/a"))).content == b"here"


async def test_a_configured_loopback_url_may_not_redirect_to_another_private_network(env: Env) -> None:
    env.srv.add_redirect("/a", "http://10.1.2.3/admin")
    with pytest.raises(BlockedAddress, match=r"10\.1\.2\.3"):
        await env.fetcher.get(env.srv.url("/a"))


async def test_chat_sources_reach_no_private_address_even_when_named(env: Env) -> None:
    env.srv.add("/a", "x")
    with pytest.raises(BlockedAddress):
        await env.fetcher.get(env.srv.url("/a"), allow_private=False)
    assert env.srv.requests == []


@pytest.mark.parametrize("host", ["intranet.test", "mixed.test"])
async def test_a_name_resolving_to_a_private_address_is_refused(env: Env, host: str) -> None:
    env.srv.add("/a", "x")
    with pytest.raises(BlockedAddress, match="non-public"):
        await env.fetcher.get(f"http://{host}:{env.srv.port}/a")
    assert env.net.connects == []


async def test_dns_rebinding_cannot_move_the_connection(env: Env) -> None:
    """The name answers public once, then loopback: the socket goes to the checked address."""
    env.dns.answers["rebind.test"] = [[PUBLIC], ["127.0.0.1"]]
    env.srv.add("/a", "from the public host")
    response = await env.fetcher.get(f"http://rebind.test:{env.srv.port}/a")
    assert response.content == b"from the public host"
    assert env.dns.asked == ["rebind.test"]  # resolved once, for the check and the connection
    assert env.net.connects == [PUBLIC]


async def test_a_paginated_api_may_not_page_into_private_space(env: Env) -> None:
    env.srv.add("/page2", "internal")
    with pytest.raises(BlockedAddress):
        await env.fetcher.get(env.srv.url("/page2"), configured=env.public("/api/models"))


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("2130706433", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0177.0.0.01", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("LOCALHOST", "127.0.0.1"),
        ("[::1]", "::1"),
        ("example.org", None),
        ("1.example", None),
    ],
)
def test_host_literal_spellings(host: str, expected: str | None) -> None:
    literal = host_literal(host)
    assert (str(literal) if literal else None) == expected


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("2002:7f00:1::", False),
        ("2002:5db8:d70e::", True),  # 6to4 around a public address
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", False),
        ("64:ff9b::a9fe:a9fe", False),  # NAT64 around 169.254.169.254
        ("::ffff:10.0.0.1", False),
        ("2606:4700::1111", True),
        ("8.8.8.8", True),
    ],
)
def test_is_public_unwraps_ipv6(address: str, public: bool) -> None:
    import ipaddress

    assert is_public(ipaddress.ip_address(address)) is public


def test_check_hop_allows_only_the_named_private_address() -> None:
    check_hop("127.0.0.1", named="localhost", allow_private=True, url="u")
    with pytest.raises(BlockedAddress):
        check_hop("10.0.0.1", named="127.0.0.1", allow_private=True, url="u")
    with pytest.raises(BlockedAddress):
        check_hop("127.0.0.1", named="127.0.0.1", allow_private=False, url="u")
