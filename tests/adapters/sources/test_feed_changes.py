"""The feed adapter parses only what changed: the same bytes again are not parsed, and in a
large feed the entries already stored are not converted."""

from __future__ import annotations

from adapters.sources.feed import KNOWN_CHECK_BYTES, FeedSource
from bot.domain import SourceCursor, SourceKind, SourceSpec
from bot.fetch import Fetcher
from tests.fakes.feeds import FeedServer, rss_feed
from tests.fakes.known import Known

AGAIN = SourceCursor(first_poll=False)


def _entries(count: int, words: int = 20) -> list[dict[str, object]]:
    return [
        {"title": f"Post {i}", "link": f"https://e.x/{i}", "summary": f"<p>{'word ' * words}{i}</p>"}
        for i in range(count)
    ]


async def test_the_same_body_again_is_not_parsed(feeds: FeedServer, fetcher: Fetcher) -> None:
    feeds.add_feed("/f.xml", rss_feed(_entries(3)), etag=None)  # a server without validators
    source = FeedSource(SourceSpec(SourceKind.FEED, feeds.url("/f.xml"), "f"), fetcher)
    first = await source.poll(SourceCursor(), Known())
    again = await source.poll(AGAIN, Known())
    assert len(first.items) == 3 and again.not_modified and not again.items
    feeds.add_feed("/f.xml", rss_feed(_entries(4)), etag=None)
    changed = await source.poll(AGAIN, Known())
    assert len(changed.items) == 4  # new bytes: parsed (the store tells what is new)


async def test_a_first_poll_is_parsed_though_the_bytes_were_seen(feeds: FeedServer, fetcher: Fetcher) -> None:
    feeds.add_feed("/f.xml", rss_feed(_entries(2)), etag=None)
    source = FeedSource(SourceSpec(SourceKind.FEED, feeds.url("/f.xml"), "f"), fetcher)
    await source.poll(SourceCursor(), Known())
    retry = await source.poll(SourceCursor(), Known())  # e.g. storing the first poll failed
    assert len(retry.items) == 2


async def test_stored_entries_of_a_large_feed_are_not_converted(feeds: FeedServer, fetcher: Fetcher) -> None:
    body = rss_feed(_entries(60, words=100))
    assert len(body) >= KNOWN_CHECK_BYTES
    feeds.add_feed("/big.xml", body)
    source = FeedSource(SourceSpec(SourceKind.FEED, feeds.url("/big.xml"), "big"), fetcher)
    known = Known([f"https://e.x/{i}" for i in range(1, 60)])
    result = await source.poll(AGAIN, known)
    assert [item.key for item in result.items] == ["https://e.x/0"]
    assert len(known.asked) == 1 and len(known.asked[0]) == 60  # one lookup for the whole feed


async def test_a_small_feed_is_converted_without_a_lookup(feeds: FeedServer, fetcher: Fetcher) -> None:
    feeds.add_feed("/small.xml", rss_feed(_entries(5)))
    source = FeedSource(SourceSpec(SourceKind.FEED, feeds.url("/small.xml"), "small"), fetcher)
    known = Known([f"https://e.x/{i}" for i in range(5)])
    result = await source.poll(AGAIN, known)
    assert len(result.items) == 5 and not known.asked  # the store deduplicates them


def test_markup_free_text_is_reduced_as_the_html_parser_would() -> None:
    import random

    from adapters.sources.feed import plain_text
    from adapters.sources.html_text import html_to_text

    rng = random.Random(13)
    alphabet = [*"ab Z09.,;:!?()'\"-/\n\t\r ", "\u00a0", "é", "中", "\u2028", "\x0b", "\x0c", "…"]
    texts = ["", "  Model-9B  beats\n\n o1.  ", "a\r\nb", "\u00a0x\u00a0"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for _ in range(3000)]
    assert [plain_text(t) for t in texts] == [html_to_text(t) for t in texts]
