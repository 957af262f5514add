"""What the URL-backed sources (feed, page, sitemap) share: the spec, the guarded fetch with the
conditional-GET validators from the cursor, the not-modified short cut, and how long the
publisher says an answer stays fresh."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from bot.domain import PollResult, SourceCursor, SourceSpec
from bot.fetch import Fetcher, FetchResponse

_MAX_AGE = re.compile(r"(?:^|,)\s*max-age\s*=\s*\"?(\d+)", re.IGNORECASE)
_NO_CACHE = re.compile(r"(?:^|,)\s*(?:no-cache|no-store)\b", re.IGNORECASE)


def fresh_for(headers: Mapping[str, str], now: datetime | None = None) -> float | None:
    """Seconds the answer stays fresh: `Cache-Control: max-age` (minus `Age`), else `Expires`
    (against the answer's `Date`, else now); None without a usable hint or with no-cache."""
    control = headers.get("cache-control", "")
    if _NO_CACHE.search(control):
        return None
    match = _MAX_AGE.search(control)
    if match:
        age = headers.get("age", "0").strip()
        return max(0.0, float(match.group(1)) - (float(age) if age.isdigit() else 0.0)) or None
    expires = _http_date(headers.get("expires"))
    if expires is None:
        return None
    base = _http_date(headers.get("date")) or now or datetime.now(UTC)
    return max(0.0, (expires - base).total_seconds()) or None


def _http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


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
    return PollResult(
        not_modified=True,
        etag=response.etag,
        last_modified=response.last_modified,
        fresh_for=fresh_for(response.headers),
    )
