"""A fake OpenAI-compatible chat endpoint on loopback: answers scripted verdicts, records requests.

async with LLMServer() as llm:
    llm.answers.append('{"keep": false, "reason": "a hope"}')   # next answer's content
    llm.fail(CHAT, 500)                                         # or an HTTP error
    llm.raw.append({"error": "overloaded"})                     # or any 200 JSON body
    llm.bodies[0]["model"], llm.requests[0].header("Authorization")
    llm.base_url_v1  -> "http://127.0.0.1:PORT/v1"
"""

from __future__ import annotations

import json
from collections import deque
from typing import Any

from aiohttp import web

from tests.fakes.loopback import LoopbackServer

CHAT = "/v1/chat/completions"


class LLMServer(LoopbackServer):
    def __init__(self) -> None:
        super().__init__()
        self.answers: deque[str] = deque()
        self.delay = 0.0
        self.raw: deque[Any] = deque()
        self.bodies: list[dict[str, Any]] = []

    @property
    def base_url_v1(self) -> str:
        return self.url("/v1")

    def routes(self, app: web.Application) -> None:
        app.router.add_post(CHAT, self._chat)

    async def _chat(self, request: web.Request) -> web.Response:
        self.bodies.append(await request.json())
        await self.pause(self.delay)
        if self.raw:
            return web.json_response(self.raw.popleft())
        content = self.answers.popleft() if self.answers else '{"keep": true}'
        message = {"role": "assistant", "content": content}
        return web.json_response(
            {
                "id": "chatcmpl-1",
                "object": "chat.completion",
                "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
            }
        )


def verdict(**fields: Any) -> str:
    return json.dumps(fields)
