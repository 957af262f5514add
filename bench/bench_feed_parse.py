"""Entries per second of the feed adapter's parse (feedparser + html_to_text) on generated feeds.

python bench/bench_feed_parse.py [--entries 500] [--rounds 5]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from adapters.sources.feed import parse_feed  # noqa: E402
from tests.fakes.feeds import atom_feed, rss_feed  # noqa: E402

CONTENT = (
    "<p>Today we release <b>Model-{i}</b>, which performs on par with OpenAI-o1 on math.</p>"
    "<table><tr><th>Benchmark</th><th>Model-{i}</th><th>o1</th></tr>"
    "<tr><td>AIME</td><td>79.8</td><td>79.2</td></tr><tr><td>MATH-500</td><td>97.3</td><td>96.4</td></tr></table>"
    "<p>" + "Lorem ipsum dolor sit amet. " * 20 + "</p>"
)


def entries(count: int) -> list[dict[str, object]]:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    return [
        {
            "title": f"Release {i}",
            "link": f"https://lab.example/posts/{i}",
            "guid": f"urn:post:{i}",
            "id": f"urn:post:{i}",
            "published": start + timedelta(hours=i),
            "summary": f"Model-{i} is out.",
            "content": CONTENT.format(i=i),
        }
        for i in range(count)
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    data = entries(args.entries)
    for name, body in (("rss", rss_feed(data).encode()), ("atom", atom_feed(data).encode())):
        best = float("inf")
        for _ in range(args.rounds):
            started = time.perf_counter()
            parsed = parse_feed(body, url="https://lab.example/feed.xml", source_key="feed:bench")
            best = min(best, time.perf_counter() - started)
        assert len(parsed.items) == args.entries
        print(
            f"{name}: {args.entries} entries, {len(body) / 1e6:.2f} MB, best of {args.rounds}: "
            f"{best * 1000:.0f} ms = {args.entries / best:,.0f} entries/s"
        )


if __name__ == "__main__":
    main()
