"""`poll_once` tunes the garbage collector for its cycle (bot/cli_commands.py `settle`) and
leaves it as it found it: on, with its thresholds, nothing frozen."""

from __future__ import annotations

import gc
from pathlib import Path

from bot.cli_commands import poll_once
from bot.config import load_settings
from tests.fakes.feeds import FeedServer, rss_feed


async def test_poll_once_restores_the_collector(tmp_path: Path) -> None:
    async with FeedServer() as feeds:
        url = feeds.add_feed("/f.xml", rss_feed([{"title": "T", "link": "https://e.x/1", "summary": "s"}]))
        config = tmp_path / "config.toml"
        config.write_text(
            f'[storage]\nurl = "sqlite+aiosqlite:///{tmp_path / "gw.db"}"\n'
            f'[[sources]]\nkind = "feed"\nurl = "{url}"\n'
        )
        settings = load_settings(config, {})
        before = gc.get_threshold()
        assert await poll_once(settings) == 0
    assert gc.isenabled()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
