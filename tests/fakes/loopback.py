"""Base for the loopback fakes: an aiohttp.web app on 127.0.0.1:0 that records every request
and can be told to fail (status codes, Retry-After, RateLimit) before answering normally."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from types import TracebackType
from typing import Self

from aiohttp import web


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    query_string: str = ""  # as sent, for repeated keys (`expand[]=a&expand[]=b`)
    at: float = 0.0  # time.monotonic() on arrival

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass(frozen=True)
class Failure:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0


class LoopbackServer:
    """Start with `async with`; `url(path)` gives the absolute address; `requests` the log."""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self._failures: dict[str, deque[Failure]] = defaultdict(deque)
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.in_flight = 0
        self.max_in_flight = 0  # the most requests handled at once (for per-host limits)
        self.peers: set[object] = set()  # client (address, port) pairs: one per TCP connection

    # subclasses add routes here
    def routes(self, app: web.Application) -> None:
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        app = web.Application(middlewares=[self._record_and_fail])
        self.routes(app)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._closing.set()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def fail(
        self,
        path: str,
        status: int,
        *,
        times: int = 1,
        retry_after: str | float | None = None,
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
    ) -> None:
        """The next `times` requests for `path` answer `status` (after `delay` seconds)."""
        extra = dict(headers or {})
        if retry_after is not None:
            extra["Retry-After"] = str(retry_after)
        for _ in range(times):
            self._failures[path].append(Failure(status, extra, delay=delay))

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    async def pause(self, seconds: float) -> None:
        """Sleep, but wake up at once when the server shuts down."""
        if seconds <= 0:
            return
        try:
            await asyncio.wait_for(self._closing.wait(), seconds)
        except TimeoutError:
            pass

    @web.middleware
    async def _record_and_fail(self, request: web.Request, handler: web.Handler) -> web.StreamResponse:
        if request.transport is not None:
            self.peers.add(request.transport.get_extra_info("peername"))
        self.requests.append(
            RecordedRequest(
                request.method,
                request.path,
                dict(request.query),
                {k.lower(): v for k, v in request.headers.items()},
                request.query_string,
                time.monotonic(),
            )
        )
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            queue = self._failures.get(request.path)
            if queue:
                failure = queue.popleft()
                await self.pause(failure.delay)
                return web.Response(status=failure.status, body=failure.body, headers=failure.headers)
            return await handler(request)
        finally:
            self.in_flight -= 1
