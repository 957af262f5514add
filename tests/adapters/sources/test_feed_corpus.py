"""feedparser's own test corpus through the feed adapter: nothing crashes, and every file either
yields a result or raises ParseError."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.sources.feed import FeedSource, parse_feed
from bot.domain import SourceCursor, SourceKind, SourceSpec
from bot.errors import ParseError
from bot.fetch import Fetcher
from tests.fakes.feeds import FeedServer
from tests.fakes.known import Known

CORPUS = Path(__file__).resolve().parents[3] / ".." / "shared" / "corpus" / "feeds"
FILES = sorted(CORPUS.glob("wellformed/**/*.xml")) + sorted(CORPUS.glob("illformed/**/*.xml"))
# Bodies known to be beyond repair: they must be reported, not turned into items.
MUST_FAIL = {"illformed/aaa_illformed.xml", "illformed/rss_empty_document.xml"}

pytestmark = pytest.mark.skipif(not FILES, reason="shared/corpus/feeds is not present")


def _outcome(path: Path) -> str:
    try:
        parsed = parse_feed(path.read_bytes(), url="http://127.0.0.1/feed.xml", source_key="feed:corpus")
    except ParseError:
        return "parse-error"
    for item in parsed.items:
        assert item.key and item.source_key == "feed:corpus"
        assert item.published is None or item.published.tzinfo is not None
    return "items" if parsed.items else "empty"


@pytest.mark.parametrize("group", ["wellformed", "illformed"])
def test_corpus_never_crashes(group: str) -> None:
    files = [f for f in FILES if f.relative_to(CORPUS).parts[0] == group]
    assert files
    outcomes = {str(f.relative_to(CORPUS)): _outcome(f) for f in files}  # anything else escapes here
    counts = {kind: list(outcomes.values()).count(kind) for kind in ("items", "empty", "parse-error")}
    if group == "wellformed":
        # Nearly all well-formed files parse; the few refused are channel-only CDF documents.
        assert counts["parse-error"] <= 10 and counts["items"] > 500, counts
        refused = [name for name, kind in outcomes.items() if kind == "parse-error"]
        assert all(name.startswith("wellformed/cdf/") for name in refused), refused
    else:
        assert all(outcomes[name] == "parse-error" for name in MUST_FAIL)
        assert counts["items"] > 0  # bozo feeds with entries are still used


@pytest.mark.parametrize(
    "name",
    [
        "wellformed/rss/item_guid.xml",
        "wellformed/atom10/entry_content_and_summary.xml",
        "illformed/rss_item_link_corrupted_ampersands.xml",
        "illformed/aaa_illformed.xml",
    ],
)
async def test_corpus_over_http(name: str, feeds: FeedServer, fetcher: Fetcher) -> None:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"{name} not in corpus")
    feeds.add_feed("/f.xml", path.read_bytes(), content_type="application/xml")
    src = FeedSource(SourceSpec(SourceKind.FEED, feeds.url("/f.xml"), "corpus"), fetcher)
    if _outcome(path) == "parse-error":
        with pytest.raises(ParseError):
            await src.poll(SourceCursor(), Known())
    else:
        result = await src.poll(SourceCursor(), Known())
        assert result.items and result.etag == feeds.etag("/f.xml")
