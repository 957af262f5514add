"""One alert per release, end to end through the real CLI (`gapwatch poll --once`) against a
fake Hugging Face Hub, a feed server and fake Discord (webhook and bot) and Slack APIs:

1. a model card claiming parity with four frontier models -> exactly ONE top-level message per
   destination, holding all four claims, quoting the card (not the reference ledger);
2. a news item about the same release under another spelling -> exactly ONE thread reply per
   destination (Slack thread_ts, Discord message reference, a webhook follow-up linking the
   first message), no new top-level message;
3. a repeat poll sends nothing.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.fakes.discord_api import DiscordAPI
from tests.fakes.feeds import FeedServer, rss_feed
from tests.fakes.hf_api import HFServer
from tests.fakes.slack_api import SlackAPI
from tests.scenario.cli_runner import gapwatch

CHANNEL, SLACK = 555, "C0ALERTS"
CARD = """# Kimi-k1.5

We introduce Kimi k1.5, a multimodal reasoning model trained with reinforcement learning.

Kimi k1.5 matches OpenAI o1 on AIME 2024 and MATH-500.
Kimi k1.5 outperforms GPT-4o on LiveCodeBench by a wide margin.
Kimi k1.5 surpasses Claude 3.5 Sonnet on MATH-500.
Kimi k1.5 is on par with GPT-4 Turbo on MMLU.
Our long2short method improves token efficiency.
"""
OLD_NEWS = {
    "title": "Weekly roundup",
    "link": "https://news.example/1",
    "guid": "n1",
    "published": datetime(2024, 6, 1, tzinfo=UTC),
    "summary": "Nothing new this week.",
}
NEWS = {
    "title": "Moonshot's Kimi-K1.5 rivals o1",
    "link": "https://news.example/kimi k1.5",  # a space: percent-encoded before it goes into an embed
    "guid": "n2",
    "published": datetime(2025, 1, 22, tzinfo=UTC),
    "summary": "Moonshot's new reasoning model Kimi-K1.5 rivals OpenAI o1 in math and coding.",
}


def config(
    tmp_path: Path, hf: HFServer, feeds: FeedServer, discord_api: DiscordAPI, slack_api: SlackAPI
) -> Path:
    hook = discord_api.add_webhook(channel_id=CHANNEL)
    path = tmp_path / "config.toml"
    path.write_text(
        f"""
[storage]
url = "sqlite+aiosqlite:///{tmp_path / "gw.db"}"

[polling]
retries = 0

[[sources]]
kind = "huggingface"
author = "moonshotai"
api_base = "{hf.base_url}"

[[sources]]
kind = "feed"
url = "{feeds.url("/news.xml")}"
name = "AI news"

[discord]
api_base = "{discord_api.api_base}"
token = "bot-token"
channel_id = {CHANNEL}
webhooks = {{ alerts = "{hook}" }}

[slack]
bot_token = "xoxb-test"
channel = "{SLACK}"
api_base = "{slack_api.api_base}"
""",
        encoding="utf-8",
    )
    return path


def split(messages: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(webhook messages, bot messages) of the Discord channel."""
    return [m for m in messages if "webhook_id" in m], [m for m in messages if "webhook_id" not in m]


async def test_one_message_per_release_then_one_thread_reply_then_nothing(tmp_path: Path) -> None:
    async with HFServer() as hf, FeedServer() as feeds, DiscordAPI() as discord_api, SlackAPI() as slack_api:
        hf.add_model("moonshotai/Moonlight-16B", created_at=datetime(2024, 12, 1), card="An older model.")
        feeds.add_feed("/news.xml", rss_feed([OLD_NEWS]))
        cfg = config(tmp_path, hf, feeds, discord_api, slack_api)
        baseline = await gapwatch(cfg, "poll", "--once", cwd=tmp_path)
        assert baseline.code == 0 and baseline.alerts == [], baseline.stderr

        # 1. the model card: four claims, one message per destination
        hf.add_model("moonshotai/Kimi-k1.5", created_at=datetime(2024, 12, 20), card=CARD)
        run = await gapwatch(cfg, "poll", "--once", cwd=tmp_path)
        assert run.code == 0, run.stderr
        assert len(run.alerts) == 1 and run.alerts[0].startswith("Kimi k1.5"), run.stdout
        hooks, bots = split(discord_api.messages[CHANNEL])
        assert len(hooks) == 1 and len(bots) == 1
        assert len(slack_api.messages[SLACK]) == 1
        for message in (hooks[0], bots[0]):
            [embed] = message["embeds"]
            assert embed["title"] == "Kimi k1.5 matches OpenAI o1 (full release)"  # the newest frontier model
            assert embed["fields"][0]["name"] == "vs OpenAI o1 (full release)"
            names = sorted(f["name"] for f in embed["fields"])
            assert len(names) == 4 and all(n.startswith("vs ") for n in names), names
            assert any("OpenAI o1" in n for n in names) and any("GPT-4 Turbo" in n for n in names)
            assert "Kimi k1.5 matches OpenAI o1 on AIME 2024" in embed["description"]
            assert "74.4" not in json.dumps(embed)  # the ledger's figures are not quoted
            assert embed["url"] == f"{hf.base_url}/moonshotai/Kimi-k1.5"
            assert datetime.fromisoformat(embed["timestamp"]).tzinfo is not None  # first seen
            assert "long2short" not in json.dumps(embed)
        [first_slack] = slack_api.messages[SLACK]
        sections = [b["text"]["text"] for b in first_slack["blocks"] if b["type"] == "section"]
        assert sum(s.startswith("*vs ") for s in sections) == 4
        assert "first seen <!date^" in first_slack["blocks"][-1]["elements"][0]["text"]

        # 2. a news item about the same release, spelled differently: one thread reply each
        feeds.add_feed("/news.xml", rss_feed([NEWS, OLD_NEWS]))
        run = await gapwatch(cfg, "poll", "--once", cwd=tmp_path)
        assert run.code == 0, run.stderr
        assert len(run.alerts) == 1 and run.alerts[0].startswith("UPDATE: Kimi-K1.5"), run.stdout
        hooks, bots = split(discord_api.messages[CHANNEL])
        assert len(hooks) == 2 and len(bots) == 2
        reply = bots[1]
        assert reply["message_reference"]["message_id"] == bots[0]["id"]
        assert reply["embeds"][0]["url"] == "https://news.example/kimi%20k1.5"
        assert reply["embeds"][0]["title"] == "Update: Kimi-K1.5 matches OpenAI o1 (full release)"
        assert "rivals OpenAI o1" in reply["embeds"][0]["description"]
        # the ledger's sources, the card and the news
        assert reply["embeds"][0]["description"].startswith("Now backed by **5** sources. New source:")
        follow_up = hooks[1]  # no guild_id configured: the webhook's own, asked once
        link = f"https://discord.com/channels/{discord_api.guild_id}/{CHANNEL}/{hooks[0]['id']}"
        assert follow_up["content"] == f"↪ update to {link}"
        assert len(discord_api.calls_to("GET", r"/api/v10/webhooks/\d+/\w+")) == 1
        first, slack_reply = slack_api.messages[SLACK]
        assert slack_reply["thread_ts"] == first["ts"] and "thread_ts" not in first

        # 3. nothing new: nothing sent
        again = await gapwatch(cfg, "poll", "--once", cwd=tmp_path)
        assert again.code == 0 and again.alerts == [], again.stdout
        assert len(discord_api.messages[CHANNEL]) == 4 and len(slack_api.messages[SLACK]) == 2

        # the reference ledger still answers the gap questions
        gap = await gapwatch(cfg, "gap", "o1", "--json", cwd=tmp_path)
        assert json.loads(gap.stdout)["first_credible"]["days"] == 46, gap.stdout
        gap = await gapwatch(cfg, "gap", "o1-preview", "--json", cwd=tmp_path)
        assert json.loads(gap.stdout)["first_credible"]["days"] == 69, gap.stdout
