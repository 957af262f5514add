"""A single HTML page as one item. The key carries a hash of the page's text, so an edited page
is a new item while an unchanged one (or a 304) is not."""

from __future__ import annotations

import hashlib
import re

from adapters.sources._base import Parsed, UrlSource
from adapters.sources.html_text import parse_html
from bot.domain import Item, SourceKind, SourceSpec
from bot.errors import ParseError
from bot.fetch import FetchResponse

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


def page_item(body: bytes, *, url: str, content_type: str | None, spec: SourceSpec) -> Item:
    """The page as an Item (blocking: call it in a thread).

    Raises:
        ParseError: the page has no visible text.
    """
    title, text = parse_html(decode_html(body, content_type))
    if not text:
        raise ParseError(f"{spec.key}: page has no text ({url})")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return Item(
        source_key=spec.key,
        key=f"{url}#{digest}",
        title=title or spec.name or url,
        url=url,
        text=text,
        lab=spec.lab,
        source_kind=SourceKind.PAGE,
    )


class PageSource(UrlSource):
    """The HTML page at `spec.target`."""

    accept = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"

    def parse(self, response: FetchResponse) -> Parsed:
        content_type = response.headers.get("content-type")
        item = page_item(response.content, url=self._spec.target, content_type=content_type, spec=self._spec)
        return (item,), ()
