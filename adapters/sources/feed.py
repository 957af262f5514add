"""RSS, Atom and JSON Feed: bytes from the guarded fetch, parsed by the fast parser with
feedparser as the lenient fallback (adapters/sources/feed_parse.py) for XML, and by
adapters/sources/jsonfeed.py for JSON; off the event loop unless the body is small.

A malformed ("bozo") feed that still has entries is used, with a warning; one without entries,
or a body that is not a feed at all, raises ParseError, which the pipeline logs and skips.
A new entry that carries only a summary naming a tracked model gets its article fetched (at most
`article_budget` per poll), so the claim engine reads the whole text.
"""

from __future__ import annotations

import asyncio
import calendar
import hashlib
import re
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from typing import Any

from adapters.sources._base import UrlSource, fresh_for, not_modified
from adapters.sources.feed_parse import Parser, fast_parser_available, read_feed
from adapters.sources.html_text import html_to_text
from adapters.sources.jsonfeed import looks_like_json, parse_json_feed
from bot.domain import Item, PollResult, SourceCursor, SourceKind, SourceSpec
from bot.errors import ParseError
from bot.fetch import Fetcher, FetchResponse
from bot.ports import KnownKeys

_HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_ENTRIES = 1000  # a feed is parsed up to this many entries (newest first, as feeds list them)
_ENTRY_START = re.compile(rb"<(?:[\w.-]+:)?(?:item|entry)[\s>/]", re.IGNORECASE)
KNOWN_CHECK_BYTES = 32_768  # from this body size, stored entries are looked up before converting
INLINE_BYTES = 16_384  # below this size a body is parsed on the event loop, not in a thread


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    items: tuple[Item, ...]
    warnings: tuple[str, ...]
    ttl: float | None = None  # RSS <ttl>, in seconds
    summary_only: frozenset[str] = field(default_factory=frozenset)  # keys of entries without content


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
        parser: which parser reads XML ("auto": the fast one, feedparser as the fallback).

    Raises:
        ParseError: the body is not a feed, or is too broken to yield any entry.
    """
    if looks_like_json(body, content_type):
        found, notes, summary = parse_json_feed(body, url=url, source_key=source_key, lab=lab)
        return ParsedFeed(tuple(found), tuple(notes), summary_only=frozenset(summary))
    raw = _read(body, url=url, source_key=source_key, content_type=content_type, parser=parser)
    return _convert(raw, source_key=source_key, lab=lab)


@dataclass(frozen=True, slots=True)
class _Raw:
    entries: tuple[Mapping[str, Any], ...]
    warnings: tuple[str, ...]
    ttl: float | None


def _read(
    body: bytes, *, url: str, source_key: str, content_type: str | None, parser: Parser = "auto"
) -> _Raw:
    body, cut = _first_entries(body, MAX_ENTRIES)
    try:
        parsed = read_feed(body, url=url, content_type=content_type, parser=parser)
    except ParseError as exc:
        raise ParseError(f"{source_key}: {exc}") from exc
    entries = parsed.entries
    warnings: list[str] = []
    if cut:  # the cut document is malformed by construction: say why instead
        warnings.append(f"more than {MAX_ENTRIES} entries: only the first {MAX_ENTRIES} were read")
    elif parsed.problem is not None:
        if not entries:
            raise ParseError(f"{source_key}: malformed feed without entries: {parsed.problem}")
        warnings.append(f"malformed feed, {len(entries)} entries used anyway: {parsed.problem}")
    if not entries and not parsed.version:
        raise ParseError(f"{source_key}: not an RSS or Atom feed")
    return _Raw(entries, tuple(warnings), _ttl(parsed.ttl))


def _first_entries(body: bytes, limit: int) -> tuple[bytes, bool]:
    """The body cut just before its (limit+1)-th entry, so a huge feed parses in bounded time
    (the parsers keep the entries of a truncated document); True when something was cut."""
    if body.count(b"<") <= limit:  # every entry starts with a "<": this body has no more than `limit`
        return body, False
    for count, match in enumerate(_ENTRY_START.finditer(body), start=1):
        if count > limit:
            return body[: match.start()], True
    return body, False


def _convert(raw: _Raw, *, source_key: str, lab: str | None, skip: Collection[str] = ()) -> ParsedFeed:
    """The entries as items; those whose id or link is in `skip` (stored already) are not
    converted at all (their text is never reduced)."""
    items: list[Item] = []
    short: set[str] = set()
    skipped = 0
    for entry in raw.entries:
        if skip and entry_key(entry) in skip:
            continue
        item = entry_to_item(entry, source_key=source_key, lab=lab)
        if item is None:
            skipped += 1
            continue
        items.append(item)
        if not entry.get("content"):
            short.add(item.key)
    warnings = list(raw.warnings)
    if skipped:
        warnings.append(f"{skipped} entries without id, link or title skipped")
    return ParsedFeed(tuple(items), tuple(warnings), raw.ttl, frozenset(short))


def entry_key(entry: Mapping[str, Any]) -> str | None:
    """The item key `entry_to_item` would give, when it needs no conversion (id, else link)."""
    return _clean(entry.get("id")) or _clean(entry.get("link")) or None


def _ttl(ttl: str | None) -> float | None:
    value = (ttl or "").strip()
    return float(value) * 60 if value.isdigit() and int(value) > 0 else None


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
    content = entry.get("content")
    detail = entry.get("summary_detail")
    best: Mapping[str, Any] | None
    if not content and isinstance(detail, Mapping):  # the common case: a summary alone
        best = detail
    else:
        candidates: list[Mapping[str, Any]] = [c for c in content or [] if isinstance(c, Mapping)]
        if isinstance(detail, Mapping):
            candidates.append(detail)
        elif isinstance(entry.get("summary"), str):
            candidates.append({"value": entry["summary"], "type": "text/html"})
        best = max(candidates, key=lambda c: len(_clean(c.get("value"))), default=None)
    if best is None:
        return ""
    value = _clean(best.get("value"))
    if "<" in value or "&" in value:
        return html_to_text(value)
    if str(best.get("type") or "text/html") in _HTML_TYPES:
        return plain_text(value)
    return value


def plain_text(value: str) -> str:
    """What `html_to_text` makes of text without markup or entities, without parsing it."""
    return " ".join(value.split())


def _entry_date(entry: Mapping[str, Any]) -> datetime | None:
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(name)
        if isinstance(value, time.struct_time):
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
            except (OverflowError, ValueError, OSError):
                continue
    return None


Mentions = Callable[[str], bool]
"""Does this text name a tracked frontier model?"""


class FeedSource(UrlSource):
    """An RSS, Atom or JSON feed at `spec.target`.

    Parses only what changed: a body equal to the last one this process parsed is not parsed
    again (a server without validators answering the same bytes), and in a large XML body (from
    KNOWN_CHECK_BYTES) the entries already stored are not converted: their keys are looked up
    first, one query, which pays for itself once the conversion of the entries costs more.
    """

    accept = (
        "application/rss+xml, application/atom+xml, application/feed+json, "
        "application/xml;q=0.9, application/json;q=0.8, */*;q=0.5"
    )

    def __init__(
        self,
        spec: SourceSpec,
        fetcher: Fetcher,
        *,
        allow_private: bool = True,
        mentions: Mentions | None = None,
        article_budget: int = 0,
    ) -> None:
        super().__init__(spec, fetcher, allow_private=allow_private)
        self._mentions = mentions
        self._article_budget = article_budget
        self._last_body: bytes | None = None  # digest of the last body parsed successfully

    async def poll(self, cursor: SourceCursor, known: KnownKeys) -> PollResult:
        response = await self._fetch(cursor)
        if response.not_modified:
            return not_modified(response)
        digest = hashlib.blake2b(response.content, digest_size=16).digest()
        if digest == self._last_body and not cursor.first_poll:
            return not_modified(response)  # the same bytes again: nothing new to parse
        parsed = await self._parse(response, cursor, known)
        self._last_body = digest
        warnings = list(parsed.warnings)
        items = parsed.items
        if not cursor.first_poll and self._mentions is not None and self._article_budget > 0:
            items = await self._with_articles(parsed, known, warnings)
        hints = [h for h in (fresh_for(response.headers), parsed.ttl) if h]
        return PollResult(
            items=items,
            etag=response.etag,
            last_modified=response.last_modified,
            warnings=tuple(warnings),
            fresh_for=max(hints) if hints else None,
        )

    async def _parse(self, response: FetchResponse, cursor: SourceCursor, known: KnownKeys) -> ParsedFeed:
        spec, body, content_type = self._spec, response.content, response.headers.get("content-type")
        if cursor.first_poll or len(body) < KNOWN_CHECK_BYTES or looks_like_json(body, content_type):
            parse = partial(
                parse_feed,
                body,
                url=response.url,
                source_key=spec.key,
                content_type=content_type,
                lab=spec.lab,
            )
            # a small body takes the fast parser well under a millisecond: a thread hop costs more
            small = len(body) < INLINE_BYTES and fast_parser_available()
            return parse() if small else await asyncio.to_thread(parse)
        raw = await asyncio.to_thread(
            _read, body, url=response.url, source_key=spec.key, content_type=content_type
        )
        keys = [key for key in map(entry_key, raw.entries) if key]
        stored = await known(keys) if keys else set()
        return await asyncio.to_thread(_convert, raw, source_key=spec.key, lab=spec.lab, skip=stored)

    async def _with_articles(
        self, parsed: ParsedFeed, known: KnownKeys, warnings: list[str]
    ) -> tuple[Item, ...]:
        """Replace the summary of new, summary-only entries naming a tracked model by the article."""
        assert self._mentions is not None
        candidates = [
            i for i in parsed.items
            if i.key in parsed.summary_only and i.url and self._mentions(f"{i.title}\n{i.text}")
        ]  # fmt: skip
        if not candidates:
            return parsed.items
        seen = await known([i.key for i in candidates])
        fetched: dict[str, str] = {}
        for item in [i for i in candidates if i.key not in seen][: self._article_budget]:
            assert item.url is not None
            article = await self._article(item.url, warnings)
            if article is not None and len(article.text) > len(item.text):
                fetched[item.key] = article.text
        return tuple(replace(i, text=fetched[i.key]) if i.key in fetched else i for i in parsed.items)
