"""What the URL-backed sources (feed, page) share: the spec, the guarded fetch with the
conditional-GET validators from the cursor, and the not-modified short cut."""

from __future__ import annotations

from bot.domain import PollResult, SourceCursor, SourceSpec
from bot.fetch import Fetcher, FetchResponse


class UrlSource:
    """Base for a source whose target is one URL. Subclasses set `accept` and parse the body."""

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


def not_modified(response: FetchResponse) -> PollResult:
    """The PollResult for a 304: nothing to parse, validators refreshed."""
    return PollResult(not_modified=True, etag=response.etag, last_modified=response.last_modified)
