"""End to end: the real `gapwatch poll --once` against loopback feeds and a fake Hugging Face API.

The CLI runs as a subprocess (as a user runs it) while the fake servers run in the test's event
loop. It runs on SQLite and on PostgreSQL (the `db_url` fixture).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tests.fakes.feeds import FeedServer, atom_feed, rss_feed
from tests.fakes.hf_api import HFServer
from tests.scenario.cli_runner import gapwatch

OLD = datetime(2024, 6, 1, tzinfo=UTC)
NEW = datetime(2025, 1, 21, 9, 30, tzinfo=UTC)


def write_config(path: Path, db_url: str, feeds: FeedServer, hf: HFServer) -> Path:
    path.write_text(
        f"""
[storage]
url = "{db_url}"

[polling]
retries = 0
connect_timeout = 2
read_timeout = 5

[[sources]]
kind = "feed"
url = "{feeds.url("/lab.xml")}"
name = "Lab blog"
lab = "Acme Labs"

[[sources]]
kind = "feed"
url = "{feeds.url("/news.atom")}"
name = "AI news"

[[sources]]
kind = "feed"
url = "{feeds.url("/broken.xml")}"
name = "Broken feed"

[[sources]]
kind = "huggingface"
author = "nimbus-ai"
lab = "Nimbus AI"
api_base = "{hf.base_url}"
""",
        encoding="utf-8",
    )
    return path


OLD_LAB = [
    {
        "title": "Our 2024 roadmap",
        "link": "https://acme.example/roadmap",
        "guid": "acme-1",
        "published": OLD,
        "summary": "Zephyr-7B beats GPT-4 on our internal chat benchmark.",
    },
]
NEW_LAB_ENTRY = {
    "title": "Introducing Zephyr-9B",
    "link": "https://acme.example/zephyr-9b",
    "guid": "acme-2",
    "published": NEW,
    "content": "<p>Today we release Zephyr-9B, our first reasoning model.</p>"
    "<p>Zephyr-9B matches OpenAI o1 on AIME 2024 and MATH-500 while being open weights.</p>",
}
OLD_NEWS = [
    {
        "id": "urn:news:1",
        "title": "Weekly roundup",
        "link": "https://news.example/1",
        "updated": OLD,
        "summary": "Nothing to see this week.",
    }
]
NEW_NEWS_ENTRY = {
    "id": "urn:news:2",
    "title": "Borealis-70B arrives",
    "link": "https://news.example/2",
    "updated": NEW,
    "content": "The lab says Borealis-70B outperforms GPT-4o on MMLU and HumanEval.",
}
UNRELATED = {
    "id": "urn:news:3",
    "title": "Chip prices",
    "link": "https://news.example/3",
    "updated": NEW,
    "summary": "Memory prices rose again in December.",
}
NIMBUS_CARD = """---
license: apache-2.0
---
# Nimbus-32B

Nimbus-32B is a 32B reasoning model. On math benchmarks, Nimbus-32B achieves performance
comparable to o1-preview.
"""


async def test_poll_once_alerts_once_per_new_claim(db_url: str, tmp_path: Path) -> None:
    async with FeedServer() as feeds, HFServer() as hf:
        feeds.add_feed("/lab.xml", rss_feed(OLD_LAB))
        feeds.add_feed("/news.atom", atom_feed(OLD_NEWS), content_type="application/atom+xml")
        feeds.add("/broken.xml", "<html><body>not a feed</body></html>", content_type="text/html")
        hf.add_model("nimbus-ai/Nimbus-7B", created_at=OLD, card="Nimbus-7B rivals GPT-4 on chat.")
        config = write_config(tmp_path / "config.toml", db_url, feeds, hf)

        # 1. First poll: a baseline, whatever the old items claim.
        first = await gapwatch(config, "poll", "--once", cwd=tmp_path)
        assert first.code == 0, first.stderr
        assert first.alerts == []
        assert "broken.xml" in first.stderr  # the malformed source is logged and skipped

        # 2. New items appear: exactly one alert per new parity claim.
        feeds.add_feed("/lab.xml", rss_feed([NEW_LAB_ENTRY, *OLD_LAB]))
        feeds.add_feed(
            "/news.atom",
            atom_feed([NEW_NEWS_ENTRY, UNRELATED, *OLD_NEWS]),
            content_type="application/atom+xml",
        )
        hf.add_model("nimbus-ai/Nimbus-32B", created_at=NEW, card=NIMBUS_CARD)
        hf.add_model("nimbus-ai/Nimbus-32B-GGUF", created_at=NEW, card=None)
        second = await gapwatch(config, "poll", "--once", cwd=tmp_path)
        assert second.code == 0, second.stderr
        heads = sorted(alert.split(" [confidence")[0] for alert in second.alerts)
        assert heads == [
            "Borealis-70B beats GPT-4o",
            "Nimbus-32B (Nimbus AI) matches OpenAI o1-preview",
            "Zephyr-9B (Acme Labs) matches OpenAI o1 (full release)",
        ], second.stdout
        assert "https://acme.example/zephyr-9b" in second.stdout
        assert sorted(hf.card_requests()) == [
            "nimbus-ai/Nimbus-32B",
            "nimbus-ai/Nimbus-32B-GGUF",
            "nimbus-ai/Nimbus-7B",
        ]  # cards are fetched once, for models not seen before

        # 3. Nothing new: nothing printed, and the unchanged feeds answer 304.
        before = len(feeds.requests)
        third = await gapwatch(config, "poll", "--once", cwd=tmp_path)
        assert third.code == 0, third.stderr
        assert third.alerts == []
        conditional = [r for r in feeds.requests[before:] if r.path in ("/lab.xml", "/news.atom")]
        assert len(conditional) == 2 and all(r.header("if-none-match") for r in conditional)

        # 4. The publisher rewrites the date and re-publishes the same URL under a new GUID.
        republished = [
            {**NEW_LAB_ENTRY, "published": datetime(2025, 1, 22, tzinfo=UTC)},
            {**NEW_LAB_ENTRY, "guid": "acme-2-again"},
            *OLD_LAB,
        ]
        feeds.add_feed("/lab.xml", rss_feed(republished))
        fourth = await gapwatch(config, "poll", "--once", cwd=tmp_path)
        assert fourth.code == 0, fourth.stderr
        assert fourth.alerts == []
