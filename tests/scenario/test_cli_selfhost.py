"""The setup and operations commands through the real CLI: discord invite (from the token's
application id, asked of the fake Discord API), slack manifest, test-alert to each kind of
destination, the outbox table and retry of parked alerts, config check's summary first, and a
reader that closes stdout early."""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.fakes.discord_api import APP_ID, DiscordAPI
from tests.fakes.feeds import FeedServer, rss_feed
from tests.fakes.slack_api import SlackAPI
from tests.scenario.cli_runner import ROOT, Run, clean_env

SLASH_COMMANDS = {
    "/gap", "/claims", "/frontier", "/track", "/untrack", "/subscribe", "/unsubscribe", "/sources", "/status",
}  # fmt: skip


async def cli(*args: str, cwd: Path, **env: str) -> Run:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=cwd, env=clean_env(**env),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(proc.communicate(), timeout=120)
    return Run(proc.returncode or 0, out.decode(), err.decode())


def one_error(run: Run) -> str:
    lines = [line for line in run.stderr.splitlines() if line.startswith("gapwatch:")]
    assert len(lines) == 1 and "Traceback" not in run.stderr, run.stderr
    return lines[0]


async def test_discord_invite_uses_the_application_id_of_the_token(tmp_path: Path) -> None:
    async with DiscordAPI() as discord:
        run = await cli(
            "discord", "invite", cwd=tmp_path, DISCORD_TOKEN="fake-bot-token",
            GAPWATCH_DISCORD__API_BASE=discord.api_base, GAPWATCH_DISCORD__GUILD_ID="31337",
        )  # fmt: skip
        asked = [c for c in discord.calls if c.path.endswith("/oauth2/applications/@me")]
    assert run.code == 0, run.stderr
    url = urlsplit(run.stdout.strip())
    query = parse_qs(url.query)
    assert (url.scheme, url.netloc, url.path) == ("https", "discord.com", "/oauth2/authorize")
    assert query["client_id"] == [str(APP_ID)]
    assert query["scope"] == ["bot applications.commands"]
    # View Channels, Send Messages, Embed Links, Attach Files, Read Message History
    assert query["permissions"] == [str(1024 + 2048 + 16384 + 32768 + 65536)]
    assert query["guild_id"] == ["31337"]
    assert len(asked) == 1 and asked[0].headers["authorization"] == "Bot fake-bot-token"
    assert "fake-bot-token" not in run.stdout + run.stderr


async def test_discord_invite_without_a_token_is_one_line(tmp_path: Path) -> None:
    run = await cli("discord", "invite", cwd=tmp_path)
    assert run.code == 2 and "DISCORD_TOKEN" in one_error(run)


async def test_slack_manifest_socket_mode_and_http_mode(tmp_path: Path) -> None:
    socket = await cli("slack", "manifest", cwd=tmp_path)
    http = await cli("slack", "manifest", "--request-url", "https://bot.example/slack/events", cwd=tmp_path)
    refused = await cli("slack", "manifest", "--request-url", "http://bot.example/slack/events", cwd=tmp_path)
    manifest, http_manifest = json.loads(socket.stdout), json.loads(http.stdout)
    commands = manifest["features"]["slash_commands"]
    assert {c["command"] for c in commands} == SLASH_COMMANDS and all(c["description"] for c in commands)
    assert set(manifest["oauth_config"]["scopes"]["bot"]) >= {"commands", "chat:write", "files:write"}
    assert manifest["settings"]["socket_mode_enabled"] is True and "url" not in commands[0]
    assert http_manifest["settings"]["socket_mode_enabled"] is False
    assert {c["url"] for c in http_manifest["features"]["slash_commands"]} == {
        "https://bot.example/slack/events"
    }
    assert (
        json.loads((ROOT / "bot" / "data" / "slack_manifest.json").read_text()) == manifest
    )  # the file in the repo
    assert refused.code == 1 and "https://" in one_error(refused)


def test_slack_manifest_lists_exactly_the_commands_the_app_installs() -> None:
    from adapters.chat.onboarding import slack_manifest
    from adapters.chat.slack_commands import ADMIN_COMMANDS

    listed = {c["command"] for c in slack_manifest()["features"]["slash_commands"]}
    source = (ROOT / "adapters" / "chat" / "slack_commands.py").read_text()
    installed = {name for name in SLASH_COMMANDS if f'"{name}": ' in source}
    assert listed == installed == SLASH_COMMANDS and set(ADMIN_COMMANDS) <= listed


async def test_test_alert_reaches_each_kind_of_destination(tmp_path: Path) -> None:
    async with DiscordAPI() as discord, SlackAPI() as slack:
        hook = discord.add_webhook(channel_id=42)
        env = {
            "DISCORD_TOKEN": "fake-bot-token",
            "SLACK_BOT_TOKEN": "xoxb-test",
            "GAPWATCH_STORAGE__URL": f"sqlite+aiosqlite:///{tmp_path / 'gw.db'}",
            "GAPWATCH_SOURCES": "[]",
            "GAPWATCH_DISCORD__API_BASE": discord.api_base,
            "GAPWATCH_DISCORD__WEBHOOKS__ALERTS": hook,
            "GAPWATCH_DISCORD__CHANNEL_ID": "9001",
            "GAPWATCH_SLACK__API_BASE": slack.api_base,
        }
        webhook = await cli("test-alert", "webhook:alerts", cwd=tmp_path, **env)
        bot = await cli("test-alert", "discord", cwd=tmp_path, **env)  # the configured channel_id
        slack_run = await cli("test-alert", "slack:C0ALERTS", cwd=tmp_path, **env)
        console = await cli("test-alert", "console", cwd=tmp_path, **env)
        unknown_hook = await cli("test-alert", "webhook:nope", cwd=tmp_path, **env)
        bad = await cli("test-alert", "pager:1", cwd=tmp_path, **env)
        no_slack = await cli("test-alert", "slack:C1", cwd=tmp_path, GAPWATCH_SOURCES="[]")
    for run in (webhook, bot, slack_run, console):
        assert run.code == 0, run.stderr
    assert webhook.stdout.startswith("test alert delivered to webhook:alerts (message ")
    assert "gapwatch test alert" in json.dumps(discord.messages[42])
    assert "gapwatch test alert" in json.dumps(discord.messages[9001])
    assert "gapwatch test alert" in json.dumps(slack.messages["C0ALERTS"])
    assert console.stdout.startswith("Example-70B (Example Lab) matches OpenAI o1")
    assert unknown_hook.code == 2 and "no webhook named 'nope'" in one_error(unknown_hook)
    assert bad.code == 2 and "pager is not configured" in one_error(bad)
    assert no_slack.code == 2 and "slack is not configured" in one_error(no_slack)
    assert "configured: console" in one_error(no_slack)


async def test_outbox_table_json_and_retry_of_parked_alerts(tmp_path: Path) -> None:
    old = {
        "title": "Old",
        "link": "https://l.example/1",
        "guid": "1",
        "published": datetime(2024, 5, 1, tzinfo=UTC),
    }
    new = {
        "title": "Harrier-70B", "link": "https://l.example/2", "guid": "2",
        "published": datetime(2025, 3, 1, tzinfo=UTC),
        "summary": "Harrier-70B beats GPT-4o on MMLU and MATH.",
    }  # fmt: skip
    async with FeedServer() as feeds, DiscordAPI() as discord:
        feeds.add_feed("/lab.xml", rss_feed([old]))
        hook = discord.add_webhook(channel_id=42)
        webhook_id = int(hook.split("/")[-2])
        registered = discord.webhooks.pop(webhook_id)  # the webhook was deleted: 404, parked at once
        config = tmp_path / "config.toml"
        config.write_text(
            f'[storage]\nurl = "sqlite+aiosqlite:///{tmp_path / "gw.db"}"\n'
            f'[discord]\napi_base = "{discord.api_base}"\nwebhooks = {{ alerts = "{hook}" }}\n'
            '[[routes]]\ndestination = "webhook:alerts"\n'
            f'[[sources]]\nkind = "feed"\nurl = "{feeds.url("/lab.xml")}"\n'
        )
        c = ("--config", str(config))
        await cli(*c, "poll", "--once", cwd=tmp_path)  # baseline
        feeds.add_feed("/lab.xml", rss_feed([new, old]))
        await cli(*c, "poll", "--once", cwd=tmp_path)  # the alert is parked (404)
        table = await cli(*c, "outbox", cwd=tmp_path)
        as_json = json.loads((await cli(*c, "outbox", "--json", cwd=tmp_path)).stdout)
        not_parked = await cli(*c, "outbox", "retry", "999", cwd=tmp_path)
        neither = await cli(*c, "outbox", "retry", cwd=tmp_path)
        discord.webhooks[webhook_id] = registered  # fixed
        retried = await cli(*c, "outbox", "retry", "--parked", cwd=tmp_path)
        await cli(*c, "poll", "--once", cwd=tmp_path)
        after = json.loads((await cli(*c, "outbox", "--json", cwd=tmp_path)).stdout)
    lines = table.stdout.splitlines()
    assert lines[0] == "outbox: 0 pending, 1 parked"
    assert lines[1].split() == ["ID", "STATE", "DESTINATION", "KIND", "TRIES", "STORED", "NOTE"]
    assert lines[2].split()[1:4] == ["parked", "webhook:alerts", "new"] and "Unknown Webhook" in lines[2]
    assert "gapwatch outbox retry" in table.stdout and "{" not in table.stdout  # a table, not a dict
    (row,) = as_json["rows"]
    assert (as_json["parked"], row["status"], row["destination"]) == (1, "parked", "webhook:alerts")
    assert not_parked.code == 1 and "alert 999: no such alert" in one_error(not_parked)
    assert neither.code == 1 and "IDs or --parked" in one_error(neither)
    assert retried.stdout.startswith("1 alert queued again")
    assert [r["status"] for r in after["rows"]] == ["sent"] and after["parked"] == 0
    assert len(discord.messages[42]) == 1 and "Harrier-70B" in discord.messages[42][0]["embeds"][0]["title"]


async def test_config_check_prints_the_summary_first_and_the_rest_with_full(tmp_path: Path) -> None:
    short = await cli("config", "check", cwd=tmp_path, DISCORD_TOKEN="secret-token-1")
    full = await cli("config", "check", "--full", cwd=tmp_path, DISCORD_TOKEN="secret-token-1")
    assert short.code == 0 and short.stdout.splitlines()[0] == "config ok"
    assert "sources: " in short.stdout and "discord bot: on" in short.stdout
    assert len(short.stdout.splitlines()) < 15 and "--full" in short.stderr
    assert full.stdout.startswith(short.stdout)  # the same summary, then everything
    dump = json.loads(full.stdout[len(short.stdout) :])
    assert dump["discord"]["token"] == "***" and "secret-token-1" not in full.stdout


@pytest.mark.parametrize("args", [("gap", "o1"), ("config", "check", "--full")])
async def test_a_closed_stdout_ends_quietly(tmp_path: Path, args: tuple[str, ...]) -> None:
    """`gapwatch gap o1 | head`: the reader is gone before gapwatch writes."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=tmp_path, env=clean_env(GAPWATCH_SOURCES="[]"),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.feed_eof()
    transport = proc._transport  # type: ignore[attr-defined]
    transport.get_pipe_transport(1).close()  # close our read end: the next write is EPIPE
    err = await asyncio.wait_for(proc.stderr.read(), 120)
    code = await proc.wait()
    assert code == 141, err.decode()
    assert b"Traceback" not in err and b"BrokenPipe" not in err and b"Exception ignored" not in err
