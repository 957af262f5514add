"""`gapwatch poll --once` with only a Discord webhook URL, or only a Slack bot token and channel:
the console's alerts reach the platform too, exactly once each (fake APIs on loopback)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.fakes.discord_api import DiscordAPI
from tests.fakes.feeds import FeedServer, rss_feed
from tests.fakes.slack_api import SlackAPI
from tests.scenario.cli_runner import gapwatch

OLD = {
    "title": "Hello",
    "link": "https://lab.example/1",
    "guid": "1",
    "published": datetime(2024, 5, 1, tzinfo=UTC),
    "summary": "We are hiring.",
}
NEW = [
    {
        "title": "Kestrel-34B",
        "link": "https://lab.example/2",
        "guid": "2",
        "published": datetime(2025, 2, 1, tzinfo=UTC),
        "summary": "Kestrel-34B outperforms GPT-4o on MMLU-Pro and GPQA.",
    },
    {
        "title": "Osprey-8B",
        "link": "https://lab.example/3",
        "guid": "3",
        "published": datetime(2025, 2, 2, tzinfo=UTC),
        "summary": "Osprey-8B is on par with o1-mini on AIME 2024.",
    },
]


def config(tmp_path: Path, feeds: FeedServer, chat: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f'[storage]\nurl = "sqlite+aiosqlite:///{tmp_path / "gw.db"}"\n'
        f"[polling]\nretries = 0\n"
        f'[[sources]]\nkind = "feed"\nurl = "{feeds.url("/lab.xml")}"\nlab = "Raptor Labs"\n{chat}',
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("platform", ["webhook", "slack"])
async def test_poll_once_delivers_console_alerts_to_the_platform_exactly_once(
    tmp_path: Path, platform: str
) -> None:
    async with FeedServer() as feeds, DiscordAPI() as discord_api, SlackAPI() as slack_api:
        feeds.add_feed("/lab.xml", rss_feed([OLD]))
        if platform == "webhook":
            hook = discord_api.add_webhook(channel_id=777)
            chat = f'[discord]\napi_base = "{discord_api.api_base}"\nwebhooks = {{ alerts = "{hook}" }}\n'
        else:
            chat = (
                f'[slack]\nbot_token = "xoxb-test"\nchannel = "C0ALERTS"\napi_base = "{slack_api.api_base}"\n'
            )
        cfg = config(tmp_path, feeds, chat)

        assert (await gapwatch(cfg, "poll", "--once", cwd=tmp_path)).alerts == []  # baseline
        feeds.add_feed("/lab.xml", rss_feed([*NEW, OLD]))
        run = await gapwatch(cfg, "poll", "--once", cwd=tmp_path)
        assert run.code == 0, run.stderr
        assert len(run.alerts) == 2, run.stdout
        again = await gapwatch(cfg, "poll", "--once", cwd=tmp_path)
        assert again.alerts == []

        if platform == "webhook":
            posted = discord_api.messages[777]
            titles = sorted(m["embeds"][0]["title"] for m in posted)
            assert len(posted) == 2
            assert any("Kestrel-34B" in t and "GPT-4o" in t for t in titles), titles
            assert any("Osprey-8B" in t and "o1-mini" in t for t in titles), titles
            calls = discord_api.calls_to("POST", r"/api/v10/webhooks/\d+/[\w-]+")
            assert len(calls) == 2 and all(c.query.get("wait") in ("true", "1") for c in calls)
        else:
            posted = slack_api.messages["C0ALERTS"]
            assert len(posted) == 2
            texts = " | ".join(m["text"] for m in posted)
            assert "Kestrel-34B" in texts and "Osprey-8B" in texts
            assert all(m["blocks"] for m in posted)


async def test_a_source_failing_three_polls_in_a_row_is_reported_to_the_admin_once(tmp_path: Path) -> None:
    async with FeedServer() as feeds:
        feeds.add_feed("/lab.xml", rss_feed([OLD]))
        cfg = config(tmp_path, feeds, '[admin]\ndestination = "console"\n')
        assert (await gapwatch(cfg, "poll", "--once", cwd=tmp_path)).code == 0
        feeds.fail("/lab.xml", 500, times=10)
        runs = [await gapwatch(cfg, "poll", "--once", cwd=tmp_path) for _ in range(4)]
    reports = [line for run in runs for line in run.alerts if line.startswith("ADMIN:")]
    assert [run.code for run in runs] == [1, 1, 1, 1]  # its only source failed: poll --once says so
    assert len(reports) == 1 and "failed 3 times in a row" in reports[0] and "HTTP 500" in reports[0]
    assert all(line.startswith("ADMIN:") for run in runs for line in run.alerts)


async def test_json_logs_on_stderr_and_only_alerts_on_stdout(tmp_path: Path) -> None:
    import json

    async with FeedServer() as feeds:
        feeds.add_feed("/lab.xml", rss_feed([OLD]))
        cfg = config(tmp_path, feeds, "")
        await gapwatch(cfg, "poll", "--once", cwd=tmp_path)
        feeds.add_feed("/lab.xml", rss_feed([*NEW, OLD]))
        run = await gapwatch(cfg, "--log-format", "json", "poll", "--once", cwd=tmp_path)
    records = [json.loads(line) for line in run.stderr.splitlines() if line.strip()]
    assert records and all({"ts", "level", "logger", "message"} <= set(r) for r in records)
    assert any(r["logger"] == "gapwatch.pipeline" and "2 claims" in r["message"] for r in records)
    assert len(run.alerts) == 2 and all(not line.startswith("{") for line in run.stdout.splitlines())
