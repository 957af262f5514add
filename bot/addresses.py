"""Which addresses a fetch may reach, and a network backend that connects only to checked ones.

The rule: a private, loopback, link-local, reserved or metadata address is reached only when the
configured URL itself names it (an IP literal in any spelling, or `localhost`) and the hop goes to
that same address; a host *name* must resolve to public addresses only. Redirects are checked hop
by hop, so a public feed that redirects to 127.0.0.1 is refused.

Addresses are normalised before the check: decimal, hex, octal and short IPv4 spellings
(`2130706433`, `0x7f000001`, `127.1`), and IPv4 addresses embedded in IPv6 (mapped `::ffff:`,
compatible `::a.b.c.d`, 6to4 `2002::/16`, Teredo `2001::/32`, NAT64 `64:ff9b::/96`).

`PinningBackend` is the httpcore network backend of the client `bot.fetch.new_client` builds: it
resolves a name once, checks every address, and connects to the checked address, so a DNS answer
that changes between the check and the connection (rebinding) cannot redirect the socket.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any

import httpcore

from bot.errors import BlockedAddress, FetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[Sequence[str]]]

_LOCALHOST = frozenset({"localhost", "localhost.", "ip6-localhost"})
_IPV4_SPELLING = re.compile(r"^(?:0[xX][0-9a-fA-F]+|\d+)(?:\.(?:0[xX][0-9a-fA-F]+|\d+)){0,3}$")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_COMPAT = ipaddress.ip_network("::/96")


@functools.lru_cache(maxsize=4096)
def host_literal(host: str) -> IPAddress | None:
    """The address a host spelling denotes, or None for a name.

    `[::1]`, `127.0.0.1`, `2130706433`, `0x7f000001`, `0177.0.0.1` and `127.1` are literals (the
    last four are what C resolvers accept and browsers normalise); `localhost` is 127.0.0.1.
    Kept per spelling (the answer is a pure function of it): every request checks its hop.
    """
    host = host.strip().strip("[]").split("%", 1)[0].lower()
    if host in _LOCALHOST or host.endswith(".localhost"):
        return ipaddress.IPv4Address("127.0.0.1")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if _IPV4_SPELLING.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def embedded_ipv4(ip: IPAddress) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses an IPv6 address carries (mapped, compatible, 6to4, Teredo, NAT64)."""
    if isinstance(ip, ipaddress.IPv4Address):
        return []
    found: list[ipaddress.IPv4Address] = []
    if ip.ipv4_mapped is not None:
        found.append(ip.ipv4_mapped)
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        found.extend(ip.teredo)
    if ip in _NAT64 or (ip in _COMPAT and int(ip) > 1):
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return found


@functools.lru_cache(maxsize=4096)
def is_public(ip: IPAddress) -> bool:
    """True for a globally routable unicast address, also after IPv6 unwrapping (kept per
    address: the answer is a pure function of it)."""
    for address in (ip, *embedded_ipv4(ip)):
        if (
            not address.is_global
            or address.is_private
            or address.is_loopback
            or address.is_link_local
            or address.is_reserved
            or address.is_multicast
            or address.is_unspecified
        ):
            return False
    return True


def check_hop(url_host: str, *, named: str | None, allow_private: bool, url: str) -> None:
    """Refuse a literal non-public hop unless the configured URL names that very address.

    Args:
        url_host: the host of the hop about to be requested.
        named: the host of the configured URL (None: nothing was configured, e.g. a chat source).
        allow_private: False for sources added from chat: no private address at all.
        url: the hop's URL, named in the error.

    Host names are checked when connecting (`PinningBackend`), never here.
    """
    literal = host_literal(url_host)
    if literal is None or is_public(literal):
        return
    configured = host_literal(named) if (named and allow_private) else None
    if configured is not None and _same(configured, literal):
        return
    raise BlockedAddress(f"address {literal} is not public and not the configured one", url=url)


def _same(a: IPAddress, b: IPAddress) -> bool:
    return a == b or (a.is_loopback and b.is_loopback)


async def system_resolver(host: str, port: int) -> list[str]:
    """The addresses of `host` from the system resolver (off the event loop)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


async def resolve_public(host: str, port: int, resolver: Resolver = system_resolver) -> list[IPAddress]:
    """Resolve a host name and insist that every address is public.

    Raises:
        BlockedAddress: one of the addresses is not public.
        FetchError: the name does not resolve.
    """
    try:
        answers = await resolver(host, port)
    except OSError as exc:
        raise FetchError(f"cannot resolve {host}") from exc
    addresses = [ipaddress.ip_address(a.split("%", 1)[0]) for a in answers]
    if not addresses:
        raise FetchError(f"cannot resolve {host}")
    for address in addresses:
        if not is_public(address):
            raise BlockedAddress(f"{host} resolves to non-public address {address}")
    return addresses


class PinningBackend(httpcore.AsyncNetworkBackend):
    """Connects to literals as spelled (normalised) and to names only via checked addresses."""

    def __init__(
        self, resolver: Resolver = system_resolver, inner: httpcore.AsyncNetworkBackend | None = None
    ):
        self._resolver = resolver
        if inner is None:
            from bot.aio_stream import AsyncioBackend

            inner = AsyncioBackend()
        self._inner = inner

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        literal = host_literal(host)
        targets = [literal] if literal is not None else await resolve_public(host, port, self._resolver)
        error: Exception | None = None
        for address in targets:
            try:
                return await self._inner.connect_tcp(
                    str(address), port, timeout=timeout, local_address=local_address,
                    socket_options=socket_options,
                )  # fmt: skip
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        assert error is not None
        raise error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not allowed")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)
