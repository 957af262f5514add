"""The Hub webhook handler on a loopback aiohttp server: secret, payload shapes, which orgs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx
import pytest
from aiohttp import web

from adapters.web.hub_webhook import PATH, hub_webhook, watched_orgs
from tests.fakes.hf_api import hub_webhook_payload
from tests.fakes.loopback import LoopbackServer


class Endpoint(LoopbackServer):
    def __init__(self) -> None:
        super().__init__()
        self.due: list[list[str]] = []
        orgs = watched_orgs([("huggingface:deepseek-ai", "deepseek-ai"), ("huggingface:Qwen", "Qwen")])
        self.handler = hub_webhook("s3cret", orgs, self._make_due)

    async def _make_due(self, keys: Sequence[str]) -> int:
        self.due.append(list(keys))
        return len(keys)

    def routes(self, app: web.Application) -> None:
        app.router.add_post(PATH, self.handler)


DEEPSEEK = "huggingface:deepseek-ai"
DATASET = {"type": "dataset", "name": "deepseek-ai/x"}
CASES: list[tuple[str, Any, str, int, list[str]]] = [
    ("a watched org's new model", hub_webhook_payload("deepseek-ai/V4"), "s3cret", 200, [DEEPSEEK]),
    ("org names are case-blind", hub_webhook_payload("qwen/Qwen4"), "s3cret", 200, ["huggingface:Qwen"]),
    ("an org nobody watches", hub_webhook_payload("someone/model"), "s3cret", 200, []),
    ("a discussion event", hub_webhook_payload("deepseek-ai/x", scope="discussion"), "s3cret", 200, []),
    ("a deleted repo", hub_webhook_payload("deepseek-ai/x", action="delete"), "s3cret", 200, []),
    ("a dataset", {**hub_webhook_payload("deepseek-ai/x"), "repo": DATASET}, "s3cret", 200, []),
    ("wrong secret", hub_webhook_payload("deepseek-ai/x"), "nope", 401, []),
    ("no secret", hub_webhook_payload("deepseek-ai/x"), "", 401, []),
    ("not an event", {"hello": 1}, "s3cret", 400, []),
]  # fmt: skip


@pytest.mark.parametrize(("case", "body", "secret", "status", "due"), CASES, ids=[c[0] for c in CASES])
async def test_hub_webhook(case: str, body: Any, secret: str, status: int, due: list[str]) -> None:
    async with Endpoint() as endpoint, httpx.AsyncClient() as http:
        headers = {"X-Webhook-Secret": secret} if secret else {}
        answer = await http.post(endpoint.url(PATH), json=body, headers=headers)
    assert answer.status_code == status
    assert endpoint.due == ([due] if due else [])
    if status == 200:
        assert answer.json() == {"ok": True, "due": due}
