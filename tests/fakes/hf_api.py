"""A fake Hugging Face Hub on loopback: the model list and raw model cards.

    async with HFServer() as hf:
        hf.add_model("deepseek-ai/DeepSeek-R1", created_at=datetime(2025, 1, 20), card="# R1 ...")
        # api_base = hf.base_url
        hf.fail("/api/models", 429, retry_after=3, headers={"RateLimit": '"api";r=0;t=3'})

`GET /api/models?author=ORG&sort=createdAt&limit=N[&cursor=K]` answers the org's models, newest
`createdAt` first, N per page, with `Link: <...>; rel="next"` while more remain.
`GET /{org}/{name}/resolve/main/README.md` (and `/raw/`) answers the card, or 404 when the model
has none. Every answer carries `RateLimit`/`RateLimit-Policy` headers (IETF draft, as the Hub
sends them) counting down `quota` per bucket ("api" for the list, "resolvers" for cards);
`hub_webhook_payload()` builds the JSON the Hub POSTs to a webhook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from tests.fakes.loopback import LoopbackServer, RecordedRequest

__all__ = ["HFServer", "RecordedRequest"]


@dataclass
class FakeModel:
    id: str
    created_at: datetime
    card: str | None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def author(self) -> str:
        return self.id.split("/", 1)[0]

    def payload(self) -> dict[str, Any]:
        created = self.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        return {
            "_id": format(abs(hash(self.id)) % 16**24, "024x"),
            "id": self.id,
            "modelId": self.id,
            "likes": 0,
            "downloads": 0,
            "trendingScore": 0,
            "private": False,
            "tags": ["transformers", "safetensors"],
            "pipeline_tag": "text-generation",
            "library_name": "transformers",
            "createdAt": created,
            **self.extra,
        }


class HFServer(LoopbackServer):
    """Fake HF Hub: see the module docstring."""

    def __init__(self) -> None:
        super().__init__()
        self.models: dict[str, FakeModel] = {}
        self.quota = 1000
        self.window = 300
        self.used: dict[str, int] = {}
        self.card_delay = 0.0  # seconds each card answer is held back

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/api/models", self._list)
        app.router.add_get("/{org}/{name}/raw/{rev}/README.md", self._card)
        app.router.add_get("/{org}/{name}/resolve/{rev}/README.md", self._card)

    def add_model(
        self, model_id: str, *, created_at: datetime, card: str | None = None, **extra: Any
    ) -> None:
        when = created_at if created_at.tzinfo else created_at.replace(tzinfo=UTC)
        self.models[model_id] = FakeModel(model_id, when, card, dict(extra))

    def list_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == "/api/models"]

    def card_requests(self) -> list[str]:
        """Model ids whose card was asked for, in order."""
        return [
            r.path.split("/raw/", 1)[0].split("/resolve/", 1)[0].lstrip("/")
            for r in self.requests
            if r.path.endswith("/README.md")
        ]

    def _ratelimit(self, bucket: str) -> dict[str, str]:
        used = self.used[bucket] = self.used.get(bucket, 0) + 1
        return {
            "RateLimit": f'"{bucket}";r={max(0, self.quota - used)};t={self.window}',
            "RateLimit-Policy": f'"fixed window";"{bucket}";q={self.quota};w={self.window}',
        }

    async def _list(self, request: web.Request) -> web.Response:
        author = request.query.get("author")
        limit = max(1, int(request.query.get("limit", "1000")))
        start = int(request.query.get("cursor", "0"))
        models = [m for m in self.models.values() if author is None or m.author == author]
        models.sort(key=lambda m: m.created_at, reverse=True)
        page = models[start : start + limit]
        headers = self._ratelimit("api")
        if start + limit < len(models):
            query = {k: v for k, v in request.query.items() if k != "cursor"}
            query["cursor"] = str(start + limit)
            headers["Link"] = f'<{self.base_url}/api/models?{urlencode(query)}>; rel="next"'
        return web.json_response([m.payload() for m in page], headers=headers)

    async def _card(self, request: web.Request) -> web.Response:
        await self.pause(self.card_delay)
        model = self.models.get(f"{request.match_info['org']}/{request.match_info['name']}")
        if model is None or model.card is None:
            return web.Response(status=404, text="Entry not found", headers={"X-Error-Code": "EntryNotFound"})
        return web.Response(
            text=model.card, content_type="text/plain", charset="utf-8", headers=self._ratelimit("resolvers")
        )


def hub_webhook_payload(repo: str, *, action: str = "create", scope: str = "repo") -> dict[str, Any]:
    """The body of a Hub webhook delivery for a model repo (the documented fields)."""
    return {
        "event": {"action": action, "scope": scope},
        "repo": {
            "type": "model",
            "name": repo,
            "id": format(abs(hash(repo)) % 16**24, "024x"),
            "private": False,
            "url": {"web": f"https://huggingface.co/{repo}"},
            "headSha": "0" * 40,
        },
        "webhook": {"id": "6f1c", "version": 3},
    }
