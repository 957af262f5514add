"""JSON Feed 1.0 / 1.1 (https://jsonfeed.org/version/1.1): bytes in, items out.

Kept apart from the RSS/Atom path so a faster parser can sit in front of either. `looks_like_json`
decides by Content-Type, else by the first non-blank byte.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any, NotRequired, TypedDict
from urllib.parse import urljoin

from adapters.sources.html_text import html_to_text
from bot.domain import Item, SourceKind
from bot.errors import ParseError


class JsonFeedItem(TypedDict):
    """One entry of a JSON Feed's `items` (the fields this adapter reads)."""

    id: NotRequired[str | int]
    url: NotRequired[str]
    external_url: NotRequired[str]
    title: NotRequired[str]
    content_html: NotRequired[str]
    content_text: NotRequired[str]
    summary: NotRequired[str]
    date_published: NotRequired[str]
    date_modified: NotRequired[str]


def looks_like_json(body: bytes, content_type: str | None) -> bool:
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    if kind.endswith("json"):  # application/feed+json, application/json
        return True
    return body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"


def parse_json_feed(
    body: bytes, *, url: str, source_key: str, lab: str | None = None
) -> tuple[list[Item], list[str], set[str]]:
    """Items, warnings and the keys of items that carry only a summary.

    Raises:
        ParseError: not JSON, or JSON without a JSON Feed `version` and `items` list.
    """
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ParseError(f"{source_key}: JSON feed is not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or "jsonfeed.org/version/" not in str(data.get("version", "")):
        raise ParseError(f"{source_key}: JSON body is not a JSON Feed (no jsonfeed.org version)")
    entries = data.get("items")
    if not isinstance(entries, list):
        raise ParseError(f"{source_key}: JSON Feed has no items list")
    items: list[Item] = []
    summary_only: set[str] = set()
    skipped = 0
    for entry in entries:
        item = _item(entry, url=url, source_key=source_key, lab=lab) if isinstance(entry, dict) else None  # type: ignore[arg-type]
        if item is None:
            skipped += 1
            continue
        items.append(item)
        if not (entry.get("content_html") or entry.get("content_text")):
            summary_only.add(item.key)
    warnings = [f"{skipped} JSON Feed items without id, url or title skipped"] if skipped else []
    return items, warnings, summary_only


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _item(entry: JsonFeedItem, *, url: str, source_key: str, lab: str | None) -> Item | None:
    link = _text(entry.get("url")) or _text(entry.get("external_url"))
    link = urljoin(url, link) if link else ""
    raw_id = entry.get("id")
    guid = str(raw_id).strip() if isinstance(raw_id, str | int) and not isinstance(raw_id, bool) else ""
    title = _text(entry.get("title"))
    html = _text(entry.get("content_html"))
    text = html_to_text(html) if html else _text(entry.get("content_text"))
    if not text:
        summary = _text(entry.get("summary"))
        text = html_to_text(summary) if "<" in summary or "&" in summary else summary
    key = guid or link
    if not key and (title or text):
        key = "sha256:" + hashlib.sha256((title or text).encode("utf-8", "replace")).hexdigest()[:32]
    if not key:
        return None
    return Item(
        source_key=source_key,
        key=key,
        title=title,
        url=link or None,
        text=text,
        published=_date(entry.get("date_published")) or _date(entry.get("date_modified")),
        lab=lab,
        source_kind=SourceKind.FEED,
    )


def _date(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)
