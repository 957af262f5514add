"""RSS/Atom source over a loopback feed server."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.sources import build_source
from adapters.sources.feed import FeedSource, parse_feed
from bot.domain import SourceCursor, SourceKind, SourceSpec
from bot.errors import BlockedAddress, HTTPStatusError, ParseError
from bot.fetch import Fetcher
from tests.fakes.feeds import FeedServer, atom_feed, rss_feed
from tests.fakes.known import Known

WHEN = datetime(2025, 1, 20, 9, 30, tzinfo=UTC)


def source(srv: FeedServer, path: str, fetcher: Fetcher, **kw: object) -> FeedSource:
    spec = SourceSpec(SourceKind.FEED, srv.url(path), "test feed", lab="DeepSeek")
    built = build_source(spec, fetcher, **kw)  # type: ignore[arg-type]
    assert isinstance(built, FeedSource)
    return built


async def test_rss_entries_become_items(feeds: FeedServer, fetcher: Fetcher) -> None:
    body = rss_feed(
        [
            {
                "title": "DeepSeek-R1 release",
                "link": "https://example.org/r1",
                "guid": "tag:example.org,2025:r1",
                "published": WHEN,
                "summary": "<p>DeepSeek-R1 performs on par with <b>OpenAI-o1</b> &amp; more.</p>",
            },
            {"title": "No guid", "link": "https://example.org/two"},
            {"title": "Title only"},
        ]
    )
    feeds.add_feed("/rss.xml", body)
    result = await source(feeds, "/rss.xml", fetcher).poll(SourceCursor(), Known())
    first, second, third = result.items
    assert first.key == "tag:example.org,2025:r1"
    assert first.title == "DeepSeek-R1 release" and first.url == "https://example.org/r1"
    assert first.text == "DeepSeek-R1 performs on par with OpenAI-o1 & more."
    assert first.published == WHEN and first.lab == "DeepSeek"
    assert first.source_key == f"feed:{feeds.url('/rss.xml')}" and first.source_kind is SourceKind.FEED
    assert second.key == "https://example.org/two"
    assert third.key.startswith("sha256:") and third.url is None and third.published is None
    assert result.etag == feeds.etag("/rss.xml") and result.warnings == ()
    assert "application/rss+xml" in (feeds.requests[0].header("accept") or "")


async def test_atom_html_content_table_becomes_markdown(feeds: FeedServer, fetcher: Fetcher) -> None:
    table = (
        "<table><tr><th>Benchmark</th><th>Ours</th><th>o1</th></tr>"
        "<tr><td>AIME</td><td>79.8</td><td>79.2</td></tr></table>"
    )
    body = atom_feed(
        [
            {
                "id": "urn:a:1",
                "title": "Post",
                "link": "https://e.org/p",
                "updated": WHEN,
                "summary": "short",
                "content": table,
            }
        ]
    )
    feeds.add_feed("/atom.xml", body, content_type="application/atom+xml")
    (item,) = (await source(feeds, "/atom.xml", fetcher).poll(SourceCursor(), Known())).items
    assert item.text == "| Benchmark | Ours | o1 |\n|---|---|---|\n| AIME | 79.8 | 79.2 |"
    assert item.published == WHEN and item.key == "urn:a:1"


async def test_same_guid_with_rewritten_date_keeps_its_key(feeds: FeedServer, fetcher: Fetcher) -> None:
    src = source(feeds, "/f.xml", fetcher)
    feeds.add_feed("/f.xml", rss_feed([{"title": "A", "guid": "g-1", "published": WHEN}]))
    before = (await src.poll(SourceCursor(), Known())).items[0]
    feeds.add_feed(
        "/f.xml", rss_feed([{"title": "A (updated)", "guid": "g-1", "published": datetime(2025, 2, 1)}])
    )
    after = (await src.poll(SourceCursor(), Known())).items[0]
    assert before.key == after.key == "g-1" and before.published != after.published


async def test_not_modified_costs_no_parsing(feeds: FeedServer, fetcher: Fetcher) -> None:
    feeds.add_feed("/f.xml", rss_feed([{"title": "A", "guid": "1"}]), last_modified=WHEN)
    src = source(feeds, "/f.xml", fetcher)
    first = await src.poll(SourceCursor(), Known())
    # Were the body parsed again, this garbage would raise ParseError; the server answers 304.
    feeds.add_feed("/f.xml", b"garbage, not a feed", etag=first.etag, last_modified=WHEN)
    second = await src.poll(SourceCursor(etag=first.etag, last_modified=first.last_modified), Known())
    assert second.not_modified and second.items == ()
    assert feeds.requests[-1].header("if-none-match") == first.etag
    assert feeds.requests[-1].header("if-modified-since") == first.last_modified


async def test_bozo_feed_with_entries_is_used_with_a_warning(feeds: FeedServer, fetcher: Fetcher) -> None:
    raw = "<item><title>Fish & chips</title><guid>urn:f</guid></item></channel>"  # a bare "&": not XML
    body = rss_feed([{"title": "Kept", "guid": "k"}]).replace("</channel>", raw)
    feeds.add_feed("/broken.xml", body)
    result = await source(feeds, "/broken.xml", fetcher).poll(SourceCursor(), Known())
    assert [i.key for i in result.items] == ["k", "urn:f"]
    assert result.items[1].title == "Fish & chips"
    assert len(result.warnings) == 1 and "malformed feed" in result.warnings[0]


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"<rss version='2.0'><channel><title>x</title",
        b"<html><body><p>This is a web page.</p></body></html>",
        b'{"json": true}',
        b"\x00\xff\xfe binary",
    ],
)
async def test_not_a_feed_raises_parse_error(feeds: FeedServer, fetcher: Fetcher, body: bytes) -> None:
    feeds.add_feed("/bad.xml", body)
    with pytest.raises(ParseError):
        await source(feeds, "/bad.xml", fetcher).poll(SourceCursor(), Known())


def test_valid_feed_without_entries_is_empty_not_an_error() -> None:
    parsed = parse_feed(rss_feed([]).encode(), url="http://127.0.0.1/f.xml", source_key="feed:x")
    assert parsed.items == () and parsed.warnings == ()


def test_feed_served_without_xml_content_type_is_not_bozo() -> None:
    body = atom_feed([{"id": "u:1", "title": "T"}]).encode()
    parsed = parse_feed(body, url="http://127.0.0.1/f", source_key="feed:x", content_type="text/html")
    assert [i.key for i in parsed.items] == ["u:1"] and parsed.warnings == ()


def test_relative_links_resolve_against_the_feed_url() -> None:
    body = rss_feed([{"title": "T", "link": "/posts/1"}]).encode()
    (item,) = parse_feed(body, url="https://lab.example/feed.xml", source_key="feed:x").items
    assert item.url == "https://lab.example/posts/1" and item.key == "https://lab.example/posts/1"


async def test_http_errors_propagate_as_fetch_errors(feeds: FeedServer, fetcher: Fetcher) -> None:
    feeds.add_feed("/gone.xml", rss_feed([]))
    feeds.fail("/gone.xml", 410)
    with pytest.raises(HTTPStatusError) as info:
        await source(feeds, "/gone.xml", fetcher).poll(SourceCursor(), Known())
    assert info.value.status == 410 and info.value.source == f"feed:{feeds.url('/gone.xml')}"


async def test_chat_added_feed_may_not_point_at_loopback(feeds: FeedServer, fetcher: Fetcher) -> None:
    feeds.add_feed("/f.xml", rss_feed([{"title": "A", "guid": "1"}]))
    with pytest.raises(BlockedAddress):
        await source(feeds, "/f.xml", fetcher, allow_private=False).poll(SourceCursor(), Known())
    assert feeds.requests == []


def _mentions_o1(text: str) -> bool:
    return "o1" in text


async def test_summary_naming_a_tracked_model_gets_its_article(feeds: FeedServer, fetcher: Fetcher) -> None:
    body = rss_feed(
        [
            {
                "title": "Zephyr-9B is out",
                "link": feeds.url("/a/zephyr"),
                "guid": "z",
                "summary": "Rivals o1.",
            },
            {"title": "Hiring", "link": feeds.url("/a/jobs"), "guid": "j", "summary": "We are hiring."},
            {"title": "Old o1 news", "link": feeds.url("/a/old"), "guid": "o", "summary": "o1 again."},
            {
                "title": "Full o1 text",
                "link": feeds.url("/a/full"),
                "guid": "f",
                "content": "<p>o1 in full</p>",
            },
        ]
    )
    url = feeds.add_feed("/news.xml", body)
    feeds.add("/a/zephyr", "<html><body><p>Zephyr-9B matches o1 on AIME 2024 and MATH-500.</p></body></html>")
    spec = SourceSpec(SourceKind.FEED, url, "news")
    src = FeedSource(spec, fetcher, mentions=_mentions_o1, article_budget=3)
    result = await src.poll(SourceCursor(first_poll=False), Known({"o"}))
    by_key = {i.key: i for i in result.items}
    assert by_key["z"].text == "Zephyr-9B matches o1 on AIME 2024 and MATH-500."
    assert by_key["j"].text == "We are hiring."  # names no tracked model: summary kept, nothing fetched
    assert [feeds.hits(p) for p in ("/a/zephyr", "/a/jobs", "/a/old", "/a/full")] == [1, 0, 0, 0]


async def test_article_fetches_are_bounded_and_skipped_on_the_baseline(
    feeds: FeedServer, fetcher: Fetcher
) -> None:
    entries = [
        {"title": f"o1 rival {n}", "link": feeds.url(f"/a/{n}"), "guid": str(n), "summary": "o1"}
        for n in range(5)
    ]
    url = feeds.add_feed("/news.xml", rss_feed(entries))
    for n in range(5):
        feeds.add(f"/a/{n}", f"<html><body><p>Article {n} about o1, long enough.</p></body></html>")
    src = FeedSource(
        SourceSpec(SourceKind.FEED, url, "news"), fetcher, mentions=_mentions_o1, article_budget=2
    )
    await src.poll(SourceCursor(), Known())
    assert sum(feeds.hits(f"/a/{n}") for n in range(5)) == 0
    # a new process (the same bytes again in one process are not parsed twice)
    src = FeedSource(
        SourceSpec(SourceKind.FEED, url, "news"), fetcher, mentions=_mentions_o1, article_budget=2
    )
    await src.poll(SourceCursor(first_poll=False), Known())
    assert sum(feeds.hits(f"/a/{n}") for n in range(5)) == 2


async def test_cache_control_and_ttl_become_a_freshness_hint(feeds: FeedServer, fetcher: Fetcher) -> None:
    body = rss_feed([{"title": "x", "guid": "1"}]).replace("<channel>", "<channel><ttl>60</ttl>")
    url = feeds.add_feed("/ttl.xml", body, headers={"Cache-Control": "public, max-age=600"})
    result = await build_source(SourceSpec(SourceKind.FEED, url, "n"), fetcher).poll(SourceCursor(), Known())
    assert result.fresh_for == 3600.0  # the longer of max-age (600 s) and ttl (60 min)


def _first_entries_by_scan(body: bytes, limit: int) -> tuple[bytes, bool]:
    """What feed._first_entries does without its shortcut (the scan alone)."""
    from adapters.sources.feed import _ENTRY_START

    for count, match in enumerate(_ENTRY_START.finditer(body), start=1):
        if count > limit:
            return body[: match.start()], True
    return body, False


@pytest.mark.parametrize("entries", [0, 2, 3, 4, 9])
@pytest.mark.parametrize("atom", [False, True])
def test_a_feed_is_cut_after_its_limit_of_entries_with_or_without_the_shortcut(
    entries: int, atom: bool
) -> None:
    from adapters.sources.feed import _first_entries

    items = [
        {"title": f"t{i}", "link": f"https://e.x/{i}", "summary": "<p>a <b>b</b></p>"} for i in range(entries)
    ]
    body = (atom_feed(items) if atom else rss_feed(items)).encode()
    namespaced = body.replace(b"<item>", b"<rss:item>").replace(b"</item>", b"</rss:item>")
    for limit in (3, 1000):  # the shortcut (few "<") applies with 1000, never with 3 here
        for text in (body, namespaced):
            assert _first_entries(text, limit) == _first_entries_by_scan(text, limit)
    cut, was_cut = _first_entries(body, 3)
    assert was_cut == (entries > 3) and cut.count(b"<entry" if atom else b"<item") == min(entries, 3)


def test_an_entry_with_a_summary_alone_or_with_content_reads_the_longest_text() -> None:
    from adapters.sources.feed import _entry_text

    summary = {"type": "text/html", "value": "A  short <b>summary</b>"}
    assert _entry_text({"summary_detail": summary, "content": []}) == "A short summary"
    assert _entry_text({"summary_detail": {"type": "text/plain", "value": " plain  text "}}) == "plain  text"
    longer = [{"type": "text/html", "value": "<p>The whole article, longer than the summary</p>"}]
    assert _entry_text({"summary_detail": summary, "content": longer}).startswith("The whole article")
    assert _entry_text({"summary": "bare summary"}) == "bare summary"
    assert _entry_text({"content": ["not a mapping"], "summary_detail": summary}) == "A short summary"
    assert _entry_text({}) == ""
