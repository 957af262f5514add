"""What the URL-backed sources (feed, page, sitemap) share: the spec, the guarded fetch with the
conditional-GET validators from the cursor, the not-modified short cut, and how long the
publisher says an answer stays fresh."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from adapters.sources.html_text import HtmlText, parse_html
from bot.domain import PollResult, SourceCursor, SourceSpec
from bot.errors import FetchError, HTTPStatusError, ParseError
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


def json_list(body: bytes, *, source_key: str, what: str) -> list[Any]:
    """A JSON array body (for the JSON APIs: Hugging Face, GitHub).

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


def with_validators(result: PollResult, response: FetchResponse) -> PollResult:
    """`result` carrying the response's validators and freshness, for the next poll."""
    return replace(
        result,
        etag=response.etag,
        last_modified=response.last_modified,
        fresh_for=fresh_for(response.headers),
    )


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

    async def _article(self, url: str, warnings: list[str]) -> HtmlText | None:
        """An article's title and text; None (with a warning) when it cannot be fetched now."""
        try:
            response = await self._fetcher.get(
                url, headers={"Accept": "text/html"}, source=self._spec.key, allow_private=self._allow_private
            )
        except HTTPStatusError as exc:
            if exc.status in (401, 403, 404, 410):  # gone for good: do not ask again
                warnings.append(f"article {url}: HTTP {exc.status}; its title stands in")
                return HtmlText(None, "")
            warnings.append(f"article {url}: {exc}; retried on a later poll")
            return None
        except FetchError as exc:
            warnings.append(f"article {url}: {exc}; retried on a later poll")
            return None
        return parse_html(decode_html(response.content, response.headers.get("content-type")))


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def decode_html(body: bytes, content_type: str | None) -> str:
    """Decode by the Content-Type charset, else a <meta charset>, else UTF-8 (lossy)."""
    candidates: list[str] = []
    if content_type and "charset=" in content_type.lower():
        candidates.append(content_type.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'"))
    meta = _CHARSET.search(body[:4096])
    if meta:
        candidates.append(meta.group(1).decode("ascii", "replace"))
    for charset in candidates:
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("utf-8", "replace")


def not_modified(response: FetchResponse) -> PollResult:
    """The PollResult for a 304: nothing to parse, validators refreshed."""
    return PollResult(
        not_modified=True,
        etag=response.etag,
        last_modified=response.last_modified,
        fresh_for=fresh_for(response.headers),
    )
