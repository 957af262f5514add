"""Feed bytes -> entries: a compiled parser for the common case, feedparser as the lenient fallback.

`read_feed` tries feedparser-rs (Rust, feedparser-compatible fields, ~30x faster) and falls back
to feedparser when the fast parser is not installed, raises, flags the document as malformed,
finds nothing that looks like a feed, or blanks a link (it empties links to private and loopback
addresses; feedparser keeps them and the guarded fetch decides); and, without trying, for the
bodies a cheap look at the bytes shows it reads differently: anything but UTF-8 (by Content-Type,
XML declaration or the bytes themselves: feedparser's charset detection is the reference),
base64-encoded text constructs, and the non-standard body elements (`fullitem`, `xhtml:body`)
feedparser reads as content. Either way the entries come back in feedparser's shape (plain
mappings: `title`, `link`, `id`, `content`, `summary_detail`, `*_parsed`), so the feed adapter
converts them with one function.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal
from urllib.parse import urljoin

from bot.errors import ParseError

Parser = Literal["auto", "fast", "feedparser"]

_DATES = ("published_parsed", "updated_parsed", "created_parsed")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_UTF8 = {"utf-8", "utf8", "us-ascii", "ascii"}
_XML_ENCODING = re.compile(rb"\s*<\?xml[^>]*?encoding\s*=\s*[\"']([\w.:-]+)", re.IGNORECASE)
# Constructs feedparser decodes or reads as content and the fast parser does not.
_FEEDPARSER_ONLY = (b"base64", b"<fullitem", b":fullitem", b"<body", b":body")


@dataclass(frozen=True, slots=True)
class RawFeed:
    """A parsed body: feedparser-shaped entries, the format, and what was wrong with it."""

    entries: tuple[Mapping[str, Any], ...]
    version: str
    problem: str | None  # the parser's complaint about a malformed document (None: well formed)
    parser: str  # "fast" or "feedparser": which one produced the entries
    ttl: str | None = None  # the channel's RSS <ttl>, as written


def read_feed(body: bytes, *, url: str, content_type: str | None = None, parser: Parser = "auto") -> RawFeed:
    """Parse a feed body (blocking: call it in a thread).

    Args:
        body: the raw bytes as fetched.
        url: the feed's address (feedparser's base for the document).
        content_type: the response's Content-Type, which may name the charset.
        parser: "auto" (fast first, feedparser when it cannot be trusted), or one of them only.

    Raises:
        ParseError: the chosen parser raised on the body.
    """
    if parser != "feedparser" and (parser == "fast" or _fast_fits(body, content_type)):
        fast = _read_fast(body, url)
        if parser == "fast" or (fast is not None and fast.problem is None and (fast.entries or fast.version)):
            if fast is None:
                raise ParseError("the fast feed parser is not usable on this body")
            return fast
    return _read_feedparser(body, url=url, content_type=content_type)


@cache
def fast_parser_available() -> bool:
    try:
        import feedparser_rs  # noqa: F401
    except ImportError:
        return False
    return True


def _fast_fits(body: bytes, content_type: str | None) -> bool:
    head = body[:16].lstrip().lower()
    if head.startswith((b"http:", b"https:")):  # the fast parser would take it for a URL to fetch
        return False
    declared = _CHARSET.search(content_type or "")
    if declared is not None and declared.group(1).lower() not in _UTF8:
        return False
    prolog = _XML_ENCODING.match(body)
    if prolog is not None and prolog.group(1).decode("ascii").lower() not in _UTF8:
        return False
    if any(marker in body for marker in _FEEDPARSER_ONLY):
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _read_fast(body: bytes, url: str) -> RawFeed | None:
    try:
        import feedparser_rs
    except ImportError:
        return None
    try:
        parsed = feedparser_rs.parse(body, sanitize_html=False, resolve_relative_uris=False)
    except Exception:  # a Rust panic or a binding error: the lenient parser gets its turn
        return None
    if any(entry.link == "" for entry in parsed.entries):
        return None  # it blanks links to private or loopback addresses (feedparser keeps them)
    problem = str(parsed.bozo_exception or "malformed document") if parsed.bozo else None
    entries = tuple(_fast_entry(entry, url) for entry in parsed.entries)
    ttl = getattr(parsed.feed, "ttl", None)
    return RawFeed(entries, str(parsed.version or ""), problem, "fast", None if ttl is None else str(ttl))


def _fast_entry(entry: Any, url: str) -> dict[str, Any]:
    """A feedparser-rs entry as the subset of a feedparser entry the adapter reads; a relative
    link is resolved against the feed's address, as feedparser does. Of the dates
    (`published_parsed`, `updated_parsed`, `created_parsed`) only those up to the first present
    (with a year a datetime can hold) are read: `feed._entry_date` takes that one."""
    link = entry.link
    if link and "://" not in link[:12]:
        link = urljoin(url, link)
    out: dict[str, Any] = {"title": entry.title, "link": link, "id": entry.id}
    out["content"] = [{"type": c.type, "value": c.value} for c in entry.content or ()]
    detail = entry.summary_detail
    if detail is not None:
        out["summary_detail"] = {"type": detail.type, "value": detail.value}
    elif entry.summary is not None:
        out["summary"] = entry.summary
    # The dates in the adapter's order of preference, up to the first the entry has (the adapter
    # reads no other; each one read is a struct_time built by the binding, the dearest field)
    for name in _DATES:
        value = getattr(entry, name)
        if value is None and name == "updated_parsed":
            value = entry.dc_date_parsed  # feedparser: dc:date = updated
        out[name] = value
        if value is not None and 1 < value.tm_year < 9999:  # a date feed._entry_date can convert
            break
    return out


def _read_feedparser(body: bytes, *, url: str, content_type: str | None) -> RawFeed:
    import feedparser

    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    try:
        parsed = feedparser.parse(
            io.BytesIO(body), response_headers=headers, sanitize_html=False, resolve_relative_uris=False
        )
    except Exception as exc:  # feedparser is lenient; anything escaping it is a broken body
        raise ParseError(f"feed could not be parsed: {exc!r}") from exc
    problem = None
    # feedparser flags these but parses the feed as usual (e.g. a feed served as text/html)
    soft = feedparser.ThingsNobodyCaresAboutButMe
    if parsed.get("bozo") and not isinstance(parsed.get("bozo_exception"), soft):
        problem = _describe(parsed.get("bozo_exception"))
    entries = tuple(parsed.get("entries") or ())
    feed = parsed.get("feed")
    ttl = feed.get("ttl") if isinstance(feed, Mapping) else None
    version = str(parsed.get("version") or "")
    return RawFeed(entries, version, problem, "feedparser", None if ttl is None else str(ttl))


def _describe(exc: object) -> str:
    if exc is None:
        return "unknown error"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
