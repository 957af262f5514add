"""RSS and Atom feeds: bytes from the guarded fetch, parsed off the event loop by the fast parser
with feedparser as the lenient fallback (adapters/sources/feed_parse.py).

A malformed ("bozo") feed that still has entries is used, with a warning; one without entries,
or a body that is not a feed at all, raises ParseError, which the pipeline logs and skips.
"""

from __future__ import annotations

import asyncio
import calendar
import hashlib
import time
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

from adapters.sources._base import UrlSource, not_modified
from adapters.sources.feed_parse import Parser, fast_parser_available, read_feed
from adapters.sources.html_text import html_to_text
from bot.domain import Item, PollResult, SourceCursor, SourceKind
from bot.errors import ParseError
from bot.fetch import FetchResponse
from bot.ports import KnownKeys

_HTML_TYPES = ("text/html", "application/xhtml+xml")
KNOWN_CHECK_BYTES = 32_768  # from this body size, stored entries are looked up before converting
INLINE_BYTES = 16_384  # below this size a body is parsed on the event loop, not in a thread


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    items: tuple[Item, ...]
    warnings: tuple[str, ...]


def parse_feed(
    body: bytes,
    *,
    url: str,
    source_key: str,
    content_type: str | None = None,
    lab: str | None = None,
    parser: Parser = "auto",
) -> ParsedFeed:
    """Turn a feed body into items (blocking: call it in a thread).

    Args:
        body: the raw bytes as fetched.
        url: the feed's address, to resolve relative links.
        source_key: the key of the source the items belong to.
        content_type: the response's Content-Type, which may name the charset.
        lab: the lab to credit the items to.
        parser: which parser reads the body ("auto": the fast one, feedparser as fallback).

    Raises:
        ParseError: the body is not a feed, or is too broken to yield any entry.
    """
    entries, warnings = _read(body, url=url, source_key=source_key, content_type=content_type, parser=parser)
    return _convert(entries, warnings, source_key=source_key, lab=lab)


def _read(
    body: bytes, *, url: str, source_key: str, content_type: str | None, parser: Parser = "auto"
) -> tuple[tuple[Mapping[str, Any], ...], list[str]]:
    try:
        parsed = read_feed(body, url=url, content_type=content_type, parser=parser)
    except ParseError as exc:
        raise ParseError(f"{source_key}: {exc}") from exc
    entries = parsed.entries
    warnings: list[str] = []
    if parsed.problem is not None:
        if not entries:
            raise ParseError(f"{source_key}: malformed feed without entries: {parsed.problem}")
        warnings.append(f"malformed feed, {len(entries)} entries used anyway: {parsed.problem}")
    elif not entries and not parsed.version:
        raise ParseError(f"{source_key}: not an RSS or Atom feed")
    return entries, warnings


def _convert(
    entries: Sequence[Mapping[str, Any]],
    warnings: list[str],
    *,
    source_key: str,
    lab: str | None,
    skip: Collection[str] = (),
) -> ParsedFeed:
    """The entries as items; those whose id or link is in `skip` (stored already) are not
    converted at all (their text is never reduced)."""
    items: list[Item] = []
    skipped = 0
    for entry in entries:
        if skip and entry_key(entry) in skip:
            continue
        item = entry_to_item(entry, source_key=source_key, lab=lab)
        if item is None:
            skipped += 1
        else:
            items.append(item)
    if skipped:
        warnings.append(f"{skipped} entries without id, link or title skipped")
    return ParsedFeed(tuple(items), tuple(warnings))


def entry_key(entry: Mapping[str, Any]) -> str | None:
    """The item key `entry_to_item` would give, when it needs no conversion (id, else link)."""
    return _clean(entry.get("id")) or _clean(entry.get("link")) or None


def entry_to_item(entry: Mapping[str, Any], *, source_key: str, lab: str | None) -> Item | None:
    """One feedparser entry as an Item; None when it has nothing to identify it by."""
    title = _clean(entry.get("title"))
    link = _clean(entry.get("link")) or None
    guid = _clean(entry.get("id")) or None
    text = _entry_text(entry)
    if guid:
        key = guid
    elif link:
        key = link
    elif title or text:
        key = "sha256:" + hashlib.sha256((title or text).encode("utf-8", "replace")).hexdigest()[:32]
    else:
        return None
    return Item(
        source_key=source_key,
        key=key,
        title=html_to_text(title) if "<" in title else title,
        url=link,
        text=text,
        published=_entry_date(entry),
        lab=lab,
        source_kind=SourceKind.FEED,
    )


def _clean(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _entry_text(entry: Mapping[str, Any]) -> str:
    candidates: list[Mapping[str, Any]] = [c for c in entry.get("content") or [] if isinstance(c, Mapping)]
    detail = entry.get("summary_detail")
    if isinstance(detail, Mapping):
        candidates.append(detail)
    elif isinstance(entry.get("summary"), str):
        candidates.append({"value": entry["summary"], "type": "text/html"})
    best = max(candidates, key=lambda c: len(_clean(c.get("value"))), default=None)
    if best is None:
        return ""
    value = _clean(best.get("value"))
    if str(best.get("type") or "text/html") in _HTML_TYPES or "<" in value or "&" in value:
        return html_to_text(value)
    return value


def _entry_date(entry: Mapping[str, Any]) -> datetime | None:
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(name)
        if isinstance(value, time.struct_time):
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
            except (OverflowError, ValueError, OSError):
                continue
    return None


class FeedSource(UrlSource):
    """An RSS or Atom feed at `spec.target`.

    Parses only what changed: a body equal to the last one this process parsed is not parsed
    again (a server without validators answering the same bytes), and in a large body (from
    KNOWN_CHECK_BYTES) the entries already stored are not converted: their keys are looked up
    first, one query, which pays for itself once the conversion of the entries costs more.
    """

    accept = "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"
    _last_body: bytes | None = None  # digest of the last body parsed successfully

    async def poll(self, cursor: SourceCursor, known: KnownKeys) -> PollResult:
        response = await self._fetch(cursor)
        if response.not_modified:
            return not_modified(response)
        digest = hashlib.blake2b(response.content, digest_size=16).digest()
        if digest == self._last_body and not cursor.first_poll:
            return not_modified(response)  # the same bytes again: nothing new to parse
        if cursor.first_poll or len(response.content) < KNOWN_CHECK_BYTES:
            parse = partial(
                parse_feed,
                response.content,
                url=response.url,
                source_key=self._spec.key,
                content_type=response.headers.get("content-type"),
                lab=self._spec.lab,
            )
            # a small body takes the fast parser well under a millisecond: a thread hop costs more
            small = len(response.content) < INLINE_BYTES and fast_parser_available()
            parsed = parse() if small else await asyncio.to_thread(parse)
        else:
            parsed = await self._parse_new(response, known)
        self._last_body = digest
        return PollResult(
            items=parsed.items,
            etag=response.etag,
            last_modified=response.last_modified,
            warnings=parsed.warnings,
        )

    async def _parse_new(self, response: FetchResponse, known: KnownKeys) -> ParsedFeed:
        spec = self._spec
        entries, warnings = await asyncio.to_thread(
            _read,
            response.content,
            url=response.url,
            source_key=spec.key,
            content_type=response.headers.get("content-type"),
        )
        keys = [key for key in map(entry_key, entries) if key]
        stored = await known(keys) if keys else set()
        return await asyncio.to_thread(
            _convert, entries, warnings, source_key=spec.key, lab=spec.lab, skip=stored
        )
