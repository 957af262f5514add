"""Hugging Face organisations: the newest models, and their model cards within a request budget.

`createdAt` is when a repo was made, not when it went public, so the source tracks model ids
(through `known`), never a date cut-off. One list request per poll: the list's `Link: rel="next"`
header is followed only while every model on a page is new, and not at all on a source's first
(baseline) poll.

Cards come from the `/resolve/` route (the Hub's high "resolvers" rate-limit bucket). A model new
since the baseline gets its card at once; the baseline's models are stored first and their cards
(history for `/gap`) follow gradually, newest first, `card_budget` per poll. A card that fails, or
that a rate limit stops, leaves its model stored with `detail_pending` and is retried on a later
poll on its own; the org's list is never thrown away, and the rate limit's reset time is passed
on so the next poll waits for it. Private and gated models are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NotRequired, TypedDict
from urllib.parse import quote, urlencode

from adapters.sources._base import iso_datetime, json_list
from adapters.sources.html_text import strip_front_matter
from bot.domain import Item, PollResult, SourceCursor, SourceKind, SourceSpec
from bot.errors import FetchError, HTTPStatusError
from bot.fetch import Fetcher
from bot.ports import KnownKeys

DEFAULT_API_BASE = "https://huggingface.co"
MAX_PAGES = 5
CARD_BUDGET = 10
# The listing's fields this source reads; `gated` and `disabled` are only sent when asked for.
EXPAND = ("createdAt", "private", "gated", "disabled", "pipeline_tag", "tags")


class ModelPayload(TypedDict):
    """One entry of `GET /api/models` (the fields this adapter reads)."""

    id: str
    createdAt: NotRequired[str]
    modelId: NotRequired[str]
    private: NotRequired[bool]
    gated: NotRequired[bool | str]
    disabled: NotRequired[bool]
    pipeline_tag: NotRequired[str]
    tags: NotRequired[list[str]]


def parse_models(body: bytes, *, source_key: str) -> list[ModelPayload]:
    """The model list as payloads; entries without a string `id` are dropped."""
    data = json_list(body, source_key=source_key, what="models")
    return [m for m in data if isinstance(m, dict) and isinstance(m.get("id"), str) and m["id"]]  # type: ignore[misc]


def is_public(model: ModelPayload) -> bool:
    """Private, gated (`"auto"`/`"manual"`) and disabled repos have no card we may read."""
    return not (model.get("private") or model.get("gated") or model.get("disabled"))


@dataclass
class _Cards:
    """Card fetching for one poll: the request budget and the first rate limit met."""

    budget: int
    stopped: float | None = None  # seconds to wait, once a rate limit stopped the fetching
    limited: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def open(self) -> bool:
        return not self.limited


class HuggingFaceSource:
    """The models of one Hugging Face user or organisation (`spec.target`)."""

    def __init__(
        self,
        spec: SourceSpec,
        fetcher: Fetcher,
        *,
        limit: int = 50,
        token: str | None = None,
        card_budget: int = CARD_BUDGET,
    ) -> None:
        self._spec = spec
        self._fetcher = fetcher
        self._limit = max(1, limit)
        self._card_budget = max(0, card_budget)
        self._base = (spec.api_base or DEFAULT_API_BASE).rstrip("/")
        self._headers = {"Accept": "application/json"}
        if token:
            self._headers["Authorization"] = f"Bearer {token}"

    @property
    def spec(self) -> SourceSpec:
        return self._spec

    def list_url(self) -> str:
        query = [("author", self._spec.target), ("sort", "createdAt"), ("limit", str(self._limit))]
        query += [("expand[]", field) for field in EXPAND]
        return f"{self._base}/api/models?{urlencode(query)}"

    def card_url(self, model_id: str) -> str:
        return f"{self._base}/{quote(model_id, safe='/')}/resolve/main/README.md"

    async def poll(self, cursor: SourceCursor, known: KnownKeys) -> PollResult:
        cards = _Cards(self._card_budget)
        fresh = await self._list(cursor, known, cards.warnings)
        items: list[Item] = []
        for model in fresh:
            # a model new since the baseline gets its card at once; the baseline's within budget
            wanted = cards.open and (not cursor.first_poll or cards.budget > 0)
            text = await self._card(model["id"], cards) if wanted else None
            items.append(self._item(model, text))
        details: list[tuple[str, str]] = []
        for key in cursor.pending:
            if not cards.open or cards.budget <= 0:
                break
            text = await self._card(key.removeprefix("hf:"), cards)
            if text is not None:
                details.append((key, text))
        left = sum(1 for i in items if i.detail_pending)
        if cursor.first_poll and left:  # said once; later polls drain the backlog quietly
            cards.warnings.append(f"{left} model cards left for later polls ({self._card_budget} per poll)")
        return PollResult(
            items=tuple(items),
            details=tuple(details),
            warnings=tuple(cards.warnings),
            retry_after=cards.stopped,
        )

    async def _list(self, cursor: SourceCursor, known: KnownKeys, warnings: list[str]) -> list[ModelPayload]:
        """The public models not stored yet, newest first (one request unless all of a page is new)."""
        url: str | None = self.list_url()
        max_pages = 1 if cursor.first_poll else MAX_PAGES
        fresh: list[ModelPayload] = []
        for _page in range(max_pages):
            if url is None:
                break
            response = await self._fetcher.get(
                url, headers=self._headers, source=self._spec.key, configured=self._base
            )
            models = parse_models(response.content, source_key=self._spec.key)
            keys = [f"hf:{m['id']}" for m in models]
            seen = await known(keys) if keys else set()
            fresh.extend(m for m, key in zip(models, keys, strict=True) if key not in seen and is_public(m))
            if seen or not models:
                break  # a known id: everything older was seen before
            url = response.next_url
        else:
            if url is not None:
                warnings.append(f"stopped after {max_pages} pages of new models")
        return fresh

    async def _card(self, model_id: str, cards: _Cards) -> str | None:
        """The card's text ("" when the model has none); None when it must wait for a later poll."""
        cards.budget -= 1
        try:
            response = await self._fetcher.get(
                self.card_url(model_id), headers=self._headers, source=self._spec.key
            )
        except HTTPStatusError as exc:
            if exc.status in (401, 403, 404):  # no card, or gated after all: the model still counts
                return ""
            if exc.status == 429 or exc.retry_after is not None:
                cards.limited = True
                cards.stopped = exc.retry_after
                wait = f", reset in {exc.retry_after:.0f}s" if exc.retry_after is not None else ""
                cards.warnings.append(f"card of {model_id}: rate limited{wait}; cards paused until then")
                return None
            cards.warnings.append(f"card of {model_id}: {exc}; retried on a later poll")
            return None
        except FetchError as exc:
            cards.warnings.append(f"card of {model_id}: {exc}; retried on a later poll")
            return None
        return strip_front_matter(response.content.decode("utf-8", "replace"))

    def _item(self, model: ModelPayload, card: str | None) -> Item:
        model_id = model["id"]
        return Item(
            source_key=self._spec.key,
            key=f"hf:{model_id}",
            title=model_id,
            url=f"{self._base}/{model_id}",
            text=card or "",
            published=iso_datetime(model.get("createdAt")),
            lab=self._spec.lab or self._spec.target,
            model_id=model_id,
            source_kind=SourceKind.HUGGINGFACE,
            detail_pending=card is None,
        )
