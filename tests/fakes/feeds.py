"""A loopback web server for feeds, pages and GitHub-style JSON, plus RSS/Atom builders.

    async with FeedServer() as srv:
        srv.add_feed("/a.xml", rss_feed([{"title": "X", "link": "https://e.x/1"}]))
        url = srv.url("/a.xml")
        ...
        assert srv.requests[-1].header("if-none-match") == srv.etag("/a.xml")

Every resource gets an ETag (unless `etag=None`) and may have a Last-Modified; a request whose
If-None-Match / If-Modified-Since matches answers 304 with no body. `fail()` injects status
codes (with Retry-After), `delay=` holds the answer back, `add_large()` streams a big body.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from xml.sax.saxutils import escape

from aiohttp import web

from tests.fakes.loopback import LoopbackServer, RecordedRequest

__all__ = ["FeedServer", "RecordedRequest", "atom_feed", "http_date", "rss_feed"]

RSS = "application/rss+xml; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"
HTML = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Resource:
    body: bytes
    content_type: str
    etag: str | None
    last_modified: str | None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    redirect_to: str | None = None
    redirect_status: int = 302
    large: int = 0  # > 0: stream this many bytes instead of `body`
    declare_length: bool = True


def _auto_etag(body: bytes) -> str:
    return '"' + hashlib.sha1(body).hexdigest()[:16] + '"'


def http_date(when: datetime) -> str:
    """An RFC 7231 date (for Last-Modified / Retry-After)."""
    return format_datetime(when.astimezone(UTC), usegmt=True)


class FeedServer(LoopbackServer):
    """Serves registered bodies at paths; see the module docstring."""

    def __init__(self) -> None:
        super().__init__()
        self._resources: dict[str, Resource] = {}

    def routes(self, app: web.Application) -> None:
        app.router.add_route("*", "/{tail:.*}", self._serve)

    # --- registration ----------------------------------------------------------------------

    def add(
        self,
        path: str,
        body: bytes | str,
        *,
        content_type: str = HTML,
        etag: str | bool | None = True,
        last_modified: str | datetime | None = None,
        headers: Mapping[str, str] | None = None,
        delay: float = 0.0,
    ) -> str:
        """Serve `body` at `path`; returns the absolute URL. `etag=True` derives one from the body."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        tag = _auto_etag(data) if etag is True else (etag or None)
        modified = http_date(last_modified) if isinstance(last_modified, datetime) else last_modified
        self._resources[path] = Resource(data, content_type, tag, modified, dict(headers or {}), delay)
        return self.url(path)

    def add_feed(self, path: str, body: bytes | str, *, content_type: str = RSS, **kwargs: Any) -> str:
        return self.add(path, body, content_type=content_type, **kwargs)

    def add_json(self, path: str, data: Any, *, headers: Mapping[str, str] | None = None) -> str:
        return self.add(path, json.dumps(data), content_type="application/json", headers=headers)

    def add_releases(self, repo: str, releases: list[dict[str, Any]]) -> str:
        """GitHub: `GET /repos/{repo}/releases` answers `releases` (use `base_url` as api_base)."""
        return self.add_json(f"/repos/{repo}/releases", releases)

    def add_redirect(self, path: str, to: str, *, status: int = 302) -> str:
        self._resources[path] = Resource(b"", HTML, None, None, redirect_to=to, redirect_status=status)
        return self.url(path)

    def add_large(self, path: str, size: int, *, declare_length: bool = True) -> str:
        """Stream `size` bytes, with or without a Content-Length header."""
        self._resources[path] = Resource(b"", RSS, None, None, large=size, declare_length=declare_length)
        return self.url(path)

    def set_delay(self, path: str, delay: float) -> None:
        self._resources[path] = replace(self._resources[path], delay=delay)

    def etag(self, path: str) -> str | None:
        return self._resources[path].etag

    def hits(self, path: str) -> int:
        return sum(1 for r in self.requests if r.path == path)

    # --- serving ---------------------------------------------------------------------------

    async def _serve(self, request: web.Request) -> web.StreamResponse:
        res = self._resources.get(request.path)
        if res is None:
            return web.Response(status=404, text="not found")
        await self.pause(res.delay)
        if res.redirect_to is not None:
            target = res.redirect_to if "://" in res.redirect_to else self.url(res.redirect_to)
            return web.Response(status=res.redirect_status, headers={"Location": target})
        validators = {k: v for k, v in (("ETag", res.etag), ("Last-Modified", res.last_modified)) if v}
        if self._not_modified(request, res):
            return web.Response(status=304, headers=validators)
        headers = {**validators, **res.headers, "Content-Type": res.content_type}
        if res.large:
            return await self._stream_large(request, res, headers)
        return web.Response(status=200, body=res.body, headers=headers)

    @staticmethod
    def _not_modified(request: web.Request, res: Resource) -> bool:
        inm = request.headers.get("If-None-Match")
        if inm is not None and res.etag is not None:
            return res.etag in [tag.strip() for tag in inm.split(",")] or inm.strip() == "*"
        ims = request.headers.get("If-Modified-Since")
        return ims is not None and res.last_modified is not None and ims == res.last_modified

    @staticmethod
    async def _stream_large(
        request: web.Request, res: Resource, headers: dict[str, str]
    ) -> web.StreamResponse:
        response = web.StreamResponse(status=200, headers=headers)
        if res.declare_length:
            response.content_length = res.large
        else:
            response.enable_chunked_encoding()
        await response.prepare(request)
        chunk = b"x" * 65536
        sent = 0
        try:
            while sent < res.large:
                part = chunk[: min(len(chunk), res.large - sent)]
                await response.write(part)
                sent += len(part)
            await response.write_eof()
        except (ConnectionError, RuntimeError):
            pass  # the client hung up once it had seen enough
        return response


# --- feed builders ---------------------------------------------------------------------------


def _date(value: Any, *, atom: bool) -> str:
    if isinstance(value, datetime):
        when = value if value.tzinfo else value.replace(tzinfo=UTC)
        return when.astimezone(UTC).isoformat().replace("+00:00", "Z") if atom else http_date(when)
    return str(value)


def rss_feed(
    entries: Iterable[Mapping[str, Any]], *, title: str = "Test feed", link: str = "https://example.org/"
) -> str:
    """RSS 2.0 from dicts with optional keys title, link, guid, published, summary, content."""
    items = []
    for entry in entries:
        parts = []
        if "title" in entry:
            parts.append(f"<title>{escape(entry['title'])}</title>")
        if "link" in entry:
            parts.append(f"<link>{escape(entry['link'])}</link>")
        if "guid" in entry:
            parts.append(f'<guid isPermaLink="false">{escape(entry["guid"])}</guid>')
        if "published" in entry:
            parts.append(f"<pubDate>{_date(entry['published'], atom=False)}</pubDate>")
        if "summary" in entry:
            parts.append(f"<description>{escape(entry['summary'])}</description>")
        if "content" in entry:
            parts.append(f"<content:encoded>{escape(entry['content'])}</content:encoded>")
        items.append("<item>" + "".join(parts) + "</item>")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>{escape(title)}</title><link>{escape(link)}</link><description>test</description>"
        + "".join(items)
        + "</channel></rss>\n"
    )


def atom_feed(
    entries: Iterable[Mapping[str, Any]], *, title: str = "Test feed", feed_id: str = "urn:test:feed"
) -> str:
    """Atom 1.0 from dicts with optional keys title, link, id, published, updated, summary, content
    (content is sent as type="html")."""
    items = []
    for entry in entries:
        parts = []
        if "id" in entry:
            parts.append(f"<id>{escape(entry['id'])}</id>")
        if "title" in entry:
            parts.append(f"<title>{escape(entry['title'])}</title>")
        if "link" in entry:
            parts.append(f'<link rel="alternate" href="{escape(entry["link"], {chr(34): "&quot;"})}"/>')
        for key in ("published", "updated"):
            if key in entry:
                parts.append(f"<{key}>{_date(entry[key], atom=True)}</{key}>")
        if "summary" in entry:
            parts.append(f"<summary>{escape(entry['summary'])}</summary>")
        if "content" in entry:
            parts.append(f'<content type="html">{escape(entry["content"])}</content>')
        items.append("<entry>" + "".join(parts) + "</entry>")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><id>{escape(feed_id)}</id><updated>2025-01-01T00:00:00Z</updated>"
        + "".join(items)
        + "</feed>\n"
    )
