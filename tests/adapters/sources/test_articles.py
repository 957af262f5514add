"""News pages without a feed: article links from HTML, article text only for new links."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.sources import build_source
from adapters.sources.articles import extract_articles
from bot.domain import SourceCursor, SourceKind, SourceSpec
from bot.errors import ConfigError, ParseError
from bot.fetch import Fetcher
from tests.fakes.feeds import FeedServer
from tests.fakes.known import Known

INDEX = """<html><body><nav><a href="/">Home</a><a href="/news">News</a></nav>
<main>
 <article><a href="/news/claude-5"><h3>Introducing Claude 5 Opus</h3></a>
   <p>Our most capable model.</p><time datetime="2026-11-20">Nov 20, 2026</time></article>
 <article><h3><a href="/news/agents#top">Building agents that last</a></h3>
   <time datetime="2026-10-02T08:00:00Z">Oct 2</time></article>
</main><footer><a href="https://twitter.example/lab">Follow us on social media</a></footer></body></html>"""

PLAIN = """<html><body><h1>News</h1><ul>
<li><a href="/news/zephyr-9b">Zephyr-9B reaches parity with o1</a>
 <time datetime="2025-01-21">21 Jan</time></li>
<li><a href="/news/roadmap">Our roadmap for the new year</a></li>
<li><a href="/about">About this lab and its people</a></li>
<li><a href="/news/x">Short</a></li></ul></body></html>"""


def test_article_blocks_give_link_title_teaser_and_date() -> None:
    found = extract_articles(INDEX, base_url="https://lab.example/news")
    assert [(a.url, a.title) for a in found] == [
        ("https://lab.example/news/claude-5", "Introducing Claude 5 Opus"),
        ("https://lab.example/news/agents", "Building agents that last"),
    ]
    assert found[0].teaser == "Our most capable model." and found[0].published == datetime(
        2026, 11, 20, tzinfo=UTC
    )


def test_without_article_blocks_links_under_the_page_path_that_read_like_headlines() -> None:
    found = extract_articles(PLAIN, base_url="https://lab.example/news/")
    assert [a.url for a in found] == [
        "https://lab.example/news/zephyr-9b",
        "https://lab.example/news/roadmap",
    ]
    assert found[0].published == datetime(2025, 1, 21, tzinfo=UTC)


def test_a_css_selector_says_where_the_articles_are() -> None:
    found = extract_articles(PLAIN, base_url="https://lab.example/news/", selector="li a[href$='/about']")
    assert [a.title for a in found] == ["About this lab and its people"]


def test_bad_selector_is_a_config_error(fetcher: Fetcher) -> None:
    with pytest.raises(ConfigError, match="invalid CSS selector"):
        build_source(SourceSpec(SourceKind.PAGE, "https://x.example/", "x", selector="li[["), fetcher)


async def test_article_text_is_fetched_only_for_new_links(feeds: FeedServer, fetcher: Fetcher) -> None:
    url = feeds.add("/news", INDEX)
    feeds.add("/news/claude-5", "<html><body><p>Claude 5 Opus exceeds GPT-5 on SWE-bench.</p></body></html>")
    feeds.add("/news/agents", "<html><body><p>Agents.</p></body></html>")
    src = build_source(SourceSpec(SourceKind.PAGE, url, "Lab news", lab="Lab"), fetcher)
    baseline = await src.poll(SourceCursor(), Known())
    assert [i.key for i in baseline.items] == [
        f"{feeds.base_url}/news/claude-5",
        f"{feeds.base_url}/news/agents",
    ]
    assert baseline.items[0].text == "Introducing Claude 5 Opus\n\nOur most capable model."
    assert feeds.hits("/news/claude-5") == 0  # the baseline's articles are not fetched
    later = await src.poll(SourceCursor(first_poll=False), Known({f"{feeds.base_url}/news/agents"}))
    claude = later.items[0]
    assert claude.text == "Claude 5 Opus exceeds GPT-5 on SWE-bench." and not claude.detail_pending
    assert (feeds.hits("/news/claude-5"), feeds.hits("/news/agents")) == (1, 0)


async def test_an_article_that_fails_waits_as_pending(feeds: FeedServer, fetcher: Fetcher) -> None:
    url = feeds.add("/news", INDEX)
    feeds.add("/news/claude-5", "<html><body><p>Full text.</p></body></html>")
    feeds.fail("/news/claude-5", 503, times=3)
    src = build_source(SourceSpec(SourceKind.PAGE, url, "Lab news"), fetcher)
    first = await src.poll(SourceCursor(first_poll=False), Known({f"{feeds.base_url}/news/agents"}))
    assert first.items[0].detail_pending
    key = first.items[0].key
    again = await src.poll(
        SourceCursor(first_poll=False, pending=(key,)), Known({key, f"{feeds.base_url}/news/agents"})
    )
    assert again.details == ((key, "Full text."),)


async def test_a_selector_that_matches_nothing_is_an_error(feeds: FeedServer, fetcher: Fetcher) -> None:
    url = feeds.add("/news", INDEX)
    src = build_source(SourceSpec(SourceKind.PAGE, url, "n", selector="div.post a"), fetcher)
    with pytest.raises(ParseError, match="matched no article link"):
        await src.poll(SourceCursor(), Known())


async def test_pending_articles_get_their_text_while_the_index_answers_304(
    feeds: FeedServer, fetcher: Fetcher
) -> None:
    url = feeds.add("/news", INDEX)
    feeds.add("/news/claude-5", "<html><body><p>Full text.</p></body></html>")
    src = build_source(SourceSpec(SourceKind.PAGE, url, "Lab news"), fetcher)
    key = f"{feeds.base_url}/news/claude-5"
    first = await src.poll(SourceCursor(), Known())
    result = await src.poll(SourceCursor(etag=first.etag, first_poll=False, pending=(key,)), Known({key}))
    assert result.not_modified and result.details == ((key, "Full text."),)
