"""JSON Feed 1.1 through the feed source, against a loopback server."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from adapters.sources import build_source
from adapters.sources.jsonfeed import looks_like_json, parse_json_feed
from bot.domain import SourceCursor, SourceKind, SourceSpec
from bot.errors import ParseError
from bot.fetch import Fetcher
from tests.fakes.feeds import FeedServer
from tests.fakes.known import Known

FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "Lab news",
    "home_page_url": "https://lab.example/",
    "items": [
        {
            "id": "2",
            "url": "/news/zephyr-9b",
            "title": "Zephyr-9B",
            "content_html": "<p>Zephyr-9B <b>matches</b> o1 on AIME.</p>",
            "date_published": "2025-01-21T09:30:00Z",
        },
        {
            "id": 1,
            "url": "https://lab.example/news/old",
            "summary": "An old note",
            "date_modified": "2024-06-01T00:00:00+02:00",
        },
        {"title": ""},
    ],
}


async def test_json_feed_items(feeds: FeedServer, fetcher: Fetcher) -> None:
    url = feeds.add("/feed.json", json.dumps(FEED), content_type="application/feed+json")
    result = await build_source(SourceSpec(SourceKind.FEED, url, "Lab"), fetcher).poll(
        SourceCursor(), Known()
    )
    new, old = result.items
    assert (new.key, new.title, new.url) == ("2", "Zephyr-9B", f"{feeds.base_url}/news/zephyr-9b")
    assert new.text == "Zephyr-9B matches o1 on AIME."
    assert new.published == datetime(2025, 1, 21, 9, 30, tzinfo=UTC)
    assert (old.key, old.text, old.published) == (
        "1",
        "An old note",
        datetime(2024, 5, 31, 22, 0, tzinfo=UTC),
    )
    assert result.warnings == ("1 JSON Feed items without id, url or title skipped",)


def test_json_detected_by_body_when_served_as_text() -> None:
    assert looks_like_json(b'  \n{"version": 1}', "text/plain")
    assert looks_like_json(b"x", "application/json; charset=utf-8")
    assert not looks_like_json(b"<rss/>", "application/xml")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"version": "https://jsonfeed.org/version/1.1"}', "no items list"),
        (b'{"items": []}', "not a JSON Feed"),
        (b"{not json", "not valid JSON"),
    ],
)
def test_bad_json_feeds_say_what_is_wrong(body: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse_json_feed(body, url="https://x/", source_key="feed:x")
