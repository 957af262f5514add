"""What the sources share: ISO dates from JSON APIs, and for the URL-backed sources (feed, page)
the spec, the guarded fetch with the conditional-GET validators from the cursor, the
not-modified short cut and parsing in a worker thread."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from typing import Any

from bot.domain import Item, PollResult, SourceCursor, SourceSpec
from bot.errors import ParseError
from bot.fetch import Fetcher, FetchResponse
from bot.ports import KnownKeys

Parsed = tuple[tuple[Item, ...], tuple[str, ...]]  # items, warnings


def json_list(body: bytes, *, source_key: str, what: str) -> list[Any]:
    """A JSON array body.

    Raises:
        ParseError: not JSON, or not an array (naming the source and `what`, e.g. "releases").
    """
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ParseError(f"{source_key}: {what} are not JSON: {exc}") from exc
    if not isinstance(data, list):
        raise ParseError(f"{source_key}: {what} are not a JSON array")
    return data


def iso_datetime(value: object) -> datetime | None:
    """An ISO 8601 timestamp ("2025-01-20T12:00:00Z"), or None when absent or malformed."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


class UrlSource:
    """Base for a source whose target is one URL: `poll` fetches (conditionally) and hands the
    body to `parse` in a worker thread. Subclasses set `accept` and write `parse`."""

    accept = "*/*"

    def __init__(self, spec: SourceSpec, fetcher: Fetcher, *, allow_private: bool = True) -> None:
        self._spec = spec
        self._fetcher = fetcher
        self._allow_private = allow_private

    @property
    def spec(self) -> SourceSpec:
        return self._spec

    async def _fetch(self, cursor: SourceCursor) -> FetchResponse:
        return await self._fetcher.get(
            self._spec.target,
            etag=cursor.etag,
            last_modified=cursor.last_modified,
            headers={"Accept": self.accept},
            source=self._spec.key,
            allow_private=self._allow_private,
        )

    async def poll(self, cursor: SourceCursor, known: KnownKeys) -> PollResult:
        response = await self._fetch(cursor)
        if response.not_modified:
            return not_modified(response)
        items, warnings = await asyncio.to_thread(self.parse, response)
        return PollResult(
            items=items, etag=response.etag, last_modified=response.last_modified, warnings=warnings
        )

    def parse(self, response: FetchResponse) -> Parsed:
        """The items (and warnings) in a fetched body; runs in a worker thread.

        Raises:
            ParseError: the body cannot be turned into items at all.
        """
        raise NotImplementedError


def not_modified(response: FetchResponse) -> PollResult:
    """The PollResult for a 304: nothing to parse, validators refreshed."""
    return PollResult(not_modified=True, etag=response.etag, last_modified=response.last_modified)
