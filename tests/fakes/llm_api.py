"""A fake OpenAI-compatible chat endpoint on loopback: answers scripted verdicts, records requests.

async with LLMServer() as llm:
    llm.answers.append('{"keep": false, "reason": "a hope"}')   # next answer's content
    llm.fail(500)                                               # or an HTTP error
    llm.base_url  -> "http://127.0.0.1:PORT/v1"
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from types import TracebackType
from typing import Any, Self

from aiohttp import web


class LLMServer:
    def __init__(self) -> None:
        self.answers: deque[str] = deque()
        self.statuses: deque[int] = deque()
        self.delay = 0.0
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def fail(self, status: int) -> None:
        self.statuses.append(status)

    async def _chat(self, request: web.Request) -> web.Response:
        self.requests.append(await request.json())
        self.headers.append({k.lower(): v for k, v in request.headers.items()})
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.statuses:
            return web.json_response({"error": {"message": "boom"}}, status=self.statuses.popleft())
        content = self.answers.popleft() if self.answers else '{"keep": true}'
        return web.json_response(
            {
                "id": "chatcmpl-1",
                "object": "chat.completion",
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content},
                        "finish_reason": "stop",
                    }
                ],
            }
        )

    async def __aenter__(self) -> Self:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._chat)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.2)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


def verdict(**fields: Any) -> str:
    return json.dumps(fields)
