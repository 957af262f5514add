"""sitemap.xml sources: <loc> filtered by `match`, dated by <lastmod>, index followed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.sources import build_source
from adapters.sources.sitemap import parse_sitemap
from bot.domain import SourceCursor, SourceKind, SourceSpec
from bot.errors import ConfigError, ParseError
from bot.fetch import Fetcher
from tests.fakes.feeds import FeedServer
from tests.fakes.known import Known

NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def urlset(base: str, *entries: tuple[str, str | None]) -> str:
    rows = "".join(
        f"<url><loc>{base}{path}</loc>{f'<lastmod>{mod}</lastmod>' if mod else ''}</url>"
        for path, mod in entries
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset {NS}>{rows}</urlset>'


async def test_sitemap_urls_matching_the_pattern_newest_first(feeds: FeedServer, fetcher: Fetcher) -> None:
    base = feeds.base_url
    index = (
        f'<?xml version="1.0"?><sitemapindex {NS}>'
        f"<sitemap><loc>{base}/sitemap-news.xml</loc><lastmod>2026-11-01</lastmod></sitemap></sitemapindex>"
    )
    url = feeds.add("/sitemap.xml", index, content_type="application/xml")
    feeds.add(
        "/sitemap-news.xml",
        urlset(
            base,
            ("/news/old-post", "2025-01-01"),
            ("/careers", "2026-11-30"),
            ("/news/claude-5", "2026-11-20T10:00:00Z"),
        ),
        content_type="application/xml",
    )
    feeds.add(
        "/news/claude-5", "<html><head><title>Claude 5</title></head><body><p>It is here.</p></body></html>"
    )
    spec = SourceSpec(SourceKind.SITEMAP, url, "Anthropic news", match=r"/news/")
    src = build_source(spec, fetcher)
    baseline = await src.poll(SourceCursor(), Known())
    assert [(i.key, i.title) for i in baseline.items] == [
        (f"{base}/news/claude-5", "claude 5"),
        (f"{base}/news/old-post", "old post"),
    ]
    assert baseline.items[0].published == datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    later = await src.poll(SourceCursor(first_poll=False), Known({f"{base}/news/old-post"}))
    assert later.items[0].title == "Claude 5" and later.items[0].text == "It is here."


def test_not_a_sitemap() -> None:
    with pytest.raises(ParseError, match="not a sitemap"):
        parse_sitemap(b"<html><body>x</body></html>", source_key="s")


def test_entities_are_not_expanded() -> None:
    body = b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]><urlset><url><loc>&x;</loc></url></urlset>'
    pages, _ = parse_sitemap(body, source_key="s")
    assert all("root:" not in p.loc for p in pages)


def test_bad_match_pattern_is_a_config_error(fetcher: Fetcher) -> None:
    with pytest.raises(ConfigError, match="invalid match pattern"):
        build_source(
            SourceSpec(SourceKind.SITEMAP, "https://x.example/sitemap.xml", "x", match="(["), fetcher
        )
