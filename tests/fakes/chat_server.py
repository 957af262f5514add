"""Base of the fake chat APIs (Discord, Slack): aiohttp.web on 127.0.0.1:0 that records every
request WITH its parsed body, and answers scripted replies (429s, 5xx, errors) before the normal
handler.

    async with DiscordAPI() as api:
        api.script("POST", r"/api/v10/channels/\\d+/messages", Reply(500, {"message": "boom"}))
        ...
        [call] = api.calls_to("POST", r".*/messages")
        call.json["embeds"][0]["title"]
"""

from __future__ import annotations

import json
import re
from collections import deque
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import default
from types import TracebackType
from typing import Any, Self

from aiohttp import web


@dataclass(frozen=True)
class Call:
    """One request as the server received it."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: bytes
    json: Any = None  # the JSON body, or the multipart `payload_json` part
    form: dict[str, Any] = field(default_factory=dict)  # url-encoded or multipart fields (files as bytes)


@dataclass(frozen=True)
class Reply:
    """A scripted answer. `body` is sent as JSON (Content-Type exactly application/json)."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


CALL = web.RequestKey("call", Call)
"""Handlers read the parsed request as `request[CALL]`."""


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """JSON with Content-Type exactly `application/json` (discord.py ignores it with a charset)."""
    return web.Response(
        status=status,
        body=json.dumps(data).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def _multipart(content_type: str, body: bytes) -> dict[str, Any]:
    """multipart/form-data fields: text as str, files as {"filename", "bytes"}."""
    message = BytesParser(policy=default).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    form: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition") or ""
        data = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        form[str(name)] = {"filename": filename, "bytes": bytes(data)} if filename else bytes(data).decode()
    return form


class ChatServer:
    """Subclasses add routes in `routes(app)`; start with `async with`."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._scripts: list[tuple[str, re.Pattern[str], deque[Reply]]] = []
        self._runner: web.AppRunner | None = None
        self.port = 0

    def routes(self, app: web.Application) -> None:
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        app = web.Application(middlewares=[self._middleware], client_max_size=50 * 1024 * 1024)
        self.routes(app)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)  # 0 = any; set `port` to choose
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def script(self, method: str, path: str, *replies: Reply) -> None:
        """The next requests matching `method` and the regex `path` get `replies`, in order."""
        self._scripts.append((method.upper(), re.compile(path), deque(replies)))

    def calls_to(self, method: str, path: str) -> list[Call]:
        pattern = re.compile(path)
        return [c for c in self.calls if c.method == method.upper() and pattern.fullmatch(c.path)]

    async def _parse(self, request: web.Request) -> Call:
        body = await request.read()
        parsed: Any = None
        form: dict[str, Any] = {}
        ctype = request.content_type
        if ctype == "application/json" and body:
            parsed = json.loads(body)
        elif ctype == "multipart/form-data":
            # the body was read above, so parse the bytes (request.multipart() would find it drained)
            form = _multipart(request.headers.get("Content-Type", ""), body)
            if "payload_json" in form:
                parsed = json.loads(form["payload_json"])
        elif ctype == "application/x-www-form-urlencoded":
            form = dict((await request.post()).items())
        return Call(
            request.method,
            request.path,
            dict(request.query),
            {k.lower(): v for k, v in request.headers.items()},
            body,
            parsed,
            form,
        )

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        call = await self._parse(request)
        self.calls.append(call)
        request[CALL] = call
        for method, pattern, replies in self._scripts:
            if replies and method == request.method and pattern.fullmatch(request.path):
                reply = replies.popleft()
                if reply.body is None:
                    return web.Response(status=reply.status, headers=reply.headers)
                return json_response(reply.body, reply.status, reply.headers)
        response: web.StreamResponse = await handler(request)
        return response
