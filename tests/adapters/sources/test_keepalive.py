"""Polling reuses connections: a 304 answer leaves its connection open for the next request."""

from __future__ import annotations

from adapters.sources.feed import FeedSource
from bot.domain import SourceCursor, SourceKind, SourceSpec
from bot.fetch import Fetcher
from tests.fakes.feeds import FeedServer, rss_feed
from tests.fakes.known import Known


async def test_conditional_polls_share_one_connection(feeds: FeedServer, fetcher: Fetcher) -> None:
    for n in range(3):
        feeds.add_feed(f"/f{n}.xml", rss_feed([{"title": f"T{n}", "link": f"https://e.x/{n}"}]))
    cursors: dict[str, SourceCursor] = {}
    for _ in range(3):  # a first poll (200), then two idle ones (304) of three feeds, one by one
        for n in range(3):
            source = FeedSource(SourceSpec(SourceKind.FEED, feeds.url(f"/f{n}.xml"), f"f{n}"), fetcher)
            result = await source.poll(cursors.get(source.spec.key, SourceCursor()), Known())
            cursors[source.spec.key] = SourceCursor(etag=result.etag, first_poll=False)
    assert result.not_modified and len(feeds.requests) == 9
    assert len(feeds.peers) == 1  # nine requests, one TCP connection
