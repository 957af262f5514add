"""The issue's "done" check, as a test through the real CLI: 300 loopback feeds. The second cycle
is conditional (If-None-Match, answered 304) for at least 95 % of them, one feed answering 500
does not fail the cycle, and `gapwatch sources` lists that feed with its error.
(bench/bench_sources.py measures the same setup's timings.)"""

from __future__ import annotations

from pathlib import Path

from tests.fakes.feeds import FeedServer, rss_feed
from tests.scenario.cli_runner import gapwatch

FEEDS = 300


async def test_300_feeds_second_cycle_is_conditional(tmp_path: Path) -> None:
    async with FeedServer() as srv:
        db = tmp_path / "gw.db"
        blocks = [f'[storage]\nurl = "sqlite+aiosqlite:///{db}"\n[polling]\nretries = 0\nhost_interval = 0\n']
        for n in range(FEEDS):
            entry = {"title": f"Post {n}", "guid": f"g{n}", "summary": "Hello."}
            url = srv.add_feed(f"/f/{n}.xml", rss_feed([entry]))
            blocks.append(f'[[sources]]\nkind = "feed"\nurl = "{url}"\nname = "feed {n}"\n')
        srv.fail("/f/17.xml", 500, times=10)
        config = tmp_path / "config.toml"
        config.write_text("\n".join(blocks), encoding="utf-8")

        first = await gapwatch(config, "poll", "--once", cwd=tmp_path)
        assert first.code == 0, first.stderr[-2000:]
        mark = len(srv.requests)
        second = await gapwatch(config, "poll", "--once", cwd=tmp_path)
        assert second.code == 0, second.stderr[-2000:]
        cycle = [r for r in srv.requests[mark:] if r.path.startswith("/f/")]
        assert len(cycle) == FEEDS  # every feed polled once, the failing one included
        conditional = [r for r in cycle if r.header("if-none-match")]
        assert len(conditional) >= 0.95 * FEEDS
        assert len(conditional) == FEEDS - 1  # all but the feed that never answered 200
        assert "polled 300 sources (1 failed)" in second.stderr

        listing = await gapwatch(config, "sources", cwd=tmp_path)
        assert listing.stdout.splitlines()[0] == f"{FEEDS} sources (1 failing)"
        (line,) = [x for x in listing.stdout.splitlines() if x.strip().startswith("feed 17 ")]
        assert "failing x2" in line and "error:" in line and "HTTP 500" in line
