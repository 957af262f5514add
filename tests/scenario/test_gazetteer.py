"""End to end: a model name the bot has seen on Hugging Face is recognised in later news, even
without a digit ("Brightwing"), because stored model ids feed the detector's gazetteer."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tests.fakes.feeds import FeedServer, rss_feed
from tests.fakes.hf_api import HFServer
from tests.scenario.cli_runner import gapwatch

OLD = datetime(2025, 1, 2, tzinfo=UTC)
NEW = datetime(2025, 2, 3, 9, 0, tzinfo=UTC)
OLD_NEWS = [
    {
        "title": "Roundup",
        "link": "https://news.example/1",
        "guid": "n1",
        "published": OLD,
        "summary": "Quiet.",
    }
]
NEWS = {
    "title": "A new open model",
    "link": "https://news.example/2",
    "guid": "n2",
    "published": NEW,
    "summary": "According to its lab, Brightwing edges out GPT-4o on MMLU and GPQA.",
}


async def test_a_stored_model_id_names_the_competitor_in_later_news(db_url: str, tmp_path: Path) -> None:
    async with FeedServer() as feeds, HFServer() as hf:
        feeds.add_feed("/news.xml", rss_feed(OLD_NEWS))
        hf.add_model("corvid-ai/Brightwing", created_at=OLD, card="# Brightwing\n\nAn open chat model.\n")
        config = tmp_path / "config.toml"
        config.write_text(
            f"""
[storage]
url = "{db_url}"

[polling]
retries = 0

[[sources]]
kind = "feed"
url = "{feeds.url("/news.xml")}"
name = "News"

[[sources]]
kind = "huggingface"
author = "corvid-ai"
api_base = "{hf.base_url}"
""",
            encoding="utf-8",
        )
        first = await gapwatch(config, "poll", "--once", cwd=tmp_path)
        assert first.code == 0, first.stderr
        assert first.alerts == []  # the baseline

        feeds.add_feed("/news.xml", rss_feed([NEWS, *OLD_NEWS]))
        second = await gapwatch(config, "poll", "--once", cwd=tmp_path)
        assert second.code == 0, second.stderr
        assert len(second.alerts) == 1, second.stdout
        assert second.alerts[0].startswith("Brightwing"), second.alerts
        assert "GPT-4o" in second.alerts[0]
