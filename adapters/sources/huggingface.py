"""Hugging Face organisations: the newest models, and the model card of each one not seen before.

`createdAt` is when a repo was made, not when it went public, so the source tracks model ids
(through `known`), never a date cut-off. It follows the list's `Link: rel="next"` header only while
every model on a page is new, and not at all on a source's first (baseline) poll.
"""

from __future__ import annotations

import asyncio
from typing import NotRequired, TypedDict
from urllib.parse import quote, urlencode

from adapters.sources._base import iso_datetime, json_list
from adapters.sources.html_text import strip_front_matter
from bot.domain import Item, PollResult, SourceCursor, SourceKind, SourceSpec
from bot.errors import HTTPStatusError
from bot.fetch import Fetcher
from bot.ports import KnownKeys

DEFAULT_API_BASE = "https://huggingface.co"
MAX_PAGES = 5


class ModelPayload(TypedDict):
    """One entry of `GET /api/models` (the fields this adapter reads)."""

    id: str
    createdAt: NotRequired[str]
    modelId: NotRequired[str]
    private: NotRequired[bool]
    pipeline_tag: NotRequired[str]
    tags: NotRequired[list[str]]


def parse_models(body: bytes, *, source_key: str) -> list[ModelPayload]:
    """The model list as payloads; entries without a string `id` are dropped."""
    data = json_list(body, source_key=source_key, what="models")
    return [m for m in data if isinstance(m, dict) and isinstance(m.get("id"), str) and m["id"]]  # type: ignore[misc]


class HuggingFaceSource:
    """The models of one Hugging Face user or organisation (`spec.target`)."""

    def __init__(
        self, spec: SourceSpec, fetcher: Fetcher, *, limit: int = 50, token: str | None = None
    ) -> None:
        self._spec = spec
        self._fetcher = fetcher
        self._limit = max(1, limit)
        self._base = (spec.api_base or DEFAULT_API_BASE).rstrip("/")
        self._headers = {"Accept": "application/json"}
        if token:
            self._headers["Authorization"] = f"Bearer {token}"

    @property
    def spec(self) -> SourceSpec:
        return self._spec

    def list_url(self) -> str:
        query = urlencode({"author": self._spec.target, "sort": "createdAt", "limit": self._limit})
        return f"{self._base}/api/models?{query}"

    async def poll(self, cursor: SourceCursor, known: KnownKeys) -> PollResult:
        url: str | None = self.list_url()
        max_pages = 1 if cursor.first_poll else MAX_PAGES
        items: list[Item] = []
        warnings: list[str] = []
        for _page in range(max_pages):
            if url is None:
                break
            response = await self._fetcher.get(url, headers=self._headers, source=self._spec.key)
            models = parse_models(response.content, source_key=self._spec.key)
            keys = [f"hf:{m['id']}" for m in models]
            seen = await known(keys) if keys else set()
            fresh = [m for m, key in zip(models, keys, strict=True) if key not in seen]
            items.extend(await asyncio.gather(*(self._item(m) for m in fresh)))
            if seen or not models:
                break  # a known id: everything older was seen before
            url = response.next_url
        else:
            if url is not None:
                warnings.append(f"stopped after {max_pages} pages of new models")
        return PollResult(items=tuple(items), warnings=tuple(warnings))

    async def _item(self, model: ModelPayload) -> Item:
        model_id = model["id"]
        return Item(
            source_key=self._spec.key,
            key=f"hf:{model_id}",
            title=model_id,
            url=f"{self._base}/{model_id}",
            text=strip_front_matter(await self._card(model_id)),
            published=iso_datetime(model.get("createdAt")),
            lab=self._spec.lab or self._spec.target,
            model_id=model_id,
            source_kind=SourceKind.HUGGINGFACE,
        )

    async def _card(self, model_id: str) -> str:
        url = f"{self._base}/{quote(model_id, safe='/')}/raw/main/README.md"
        try:
            response = await self._fetcher.get(url, headers=self._headers, source=self._spec.key)
        except HTTPStatusError as exc:
            if exc.status in (401, 403, 404):  # no card, or a gated repo: the model still counts
                return ""
            raise
        return response.content.decode("utf-8", "replace")
