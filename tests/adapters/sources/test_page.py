"""Single-page source."""

from __future__ import annotations

import pytest

from adapters.sources import build_source
from adapters.sources.page import decode_html
from bot.domain import SourceCursor, SourceKind, SourceSpec
from bot.errors import ConfigError, ParseError
from bot.fetch import Fetcher
from tests.fakes.feeds import FeedServer
from tests.fakes.known import Known

PAGE = """<!doctype html><html><head><title>Release notes &ndash; Z.ai</title>
<script>var tracking = 1;</script></head><body><nav>Home</nav>
<h1>GLM-4.5</h1><p>GLM-4.5 is comparable to Claude 4 Sonnet.</p></body></html>"""


async def test_page_is_one_item_keyed_by_url_and_text_hash(feeds: FeedServer, fetcher: Fetcher) -> None:
    url = feeds.add("/notes", PAGE)
    src = build_source(SourceSpec(SourceKind.PAGE, url, "Z.ai notes", lab="Zhipu"), fetcher)
    (item,) = (await src.poll(SourceCursor(), Known())).items
    assert item.title == "Release notes \u2013 Z.ai" and item.url == url and item.lab == "Zhipu"
    assert item.text == "Home\n\nGLM-4.5\n\nGLM-4.5 is comparable to Claude 4 Sonnet."
    assert item.key.startswith(url + "#") and len(item.key) == len(url) + 13
    assert item.source_kind is SourceKind.PAGE

    feeds.add("/notes", PAGE.replace("<nav>Home</nav>", "<nav>Start</nav>"))  # visible text changed
    (edited,) = (await src.poll(SourceCursor(), Known())).items
    assert edited.key != item.key

    feeds.add("/notes", PAGE.replace("<script>var tracking = 1;</script>", "<script>var t = 2;</script>"))
    (same,) = (await src.poll(SourceCursor(), Known())).items
    assert same.key == item.key  # invisible changes do not make a new item


async def test_page_not_modified(feeds: FeedServer, fetcher: Fetcher) -> None:
    url = feeds.add("/notes", PAGE)
    src = build_source(SourceSpec(SourceKind.PAGE, url, "n"), fetcher)
    first = await src.poll(SourceCursor(), Known())
    second = await src.poll(SourceCursor(etag=first.etag), Known())
    assert second.not_modified and second.items == ()


async def test_page_without_text_is_a_parse_error(feeds: FeedServer, fetcher: Fetcher) -> None:
    url = feeds.add("/empty", "<html><head><script>x()</script></head><body> </body></html>")
    with pytest.raises(ParseError):
        await build_source(SourceSpec(SourceKind.PAGE, url, "n"), fetcher).poll(SourceCursor(), Known())


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        ("caf\u00e9".encode("latin-1"), "text/html; charset=ISO-8859-1", "caf\u00e9"),
        (
            b'<meta charset="windows-1252"><p>\x93hi\x94</p>',
            "text/html",
            '<meta charset="windows-1252"><p>\u201chi\u201d</p>',
        ),
        ("caf\u00e9".encode(), None, "caf\u00e9"),
        (b"\xff\xfe broken", "text/html; charset=bogus", "\ufffd\ufffd broken"),
    ],
)
def test_decode_html(body: bytes, content_type: str | None, expected: str) -> None:
    assert decode_html(body, content_type) == expected


@pytest.mark.parametrize("target", ["notes.html", "ftp://x/y", "file:///etc/passwd"])
def test_page_needs_http_url(fetcher: Fetcher, target: str) -> None:
    with pytest.raises(ConfigError):
        build_source(SourceSpec(SourceKind.PAGE, target, "n"), fetcher)
