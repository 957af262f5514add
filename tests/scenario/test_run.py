"""`gapwatch run` as a user runs it (a subprocess), against fake Discord and Slack APIs and a
loopback feed server: polls on schedule, serves /healthz and /metrics, alerts, answers slash
commands, and stops gracefully on SIGTERM (exit 0)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import httpx
from slack_sdk.signature import SignatureVerifier

from tests.fakes.discord_api import APP_ID, DiscordAPI, interaction_payload
from tests.fakes.feeds import FeedServer, rss_feed
from tests.fakes.slack_api import SlackAPI
from tests.scenario.cli_runner import eventually, free_port, healthy, start_bot, stop_bot

OLD = {
    "title": "Old",
    "link": "https://lab.example/1",
    "guid": "1",
    "published": datetime(2024, 5, 1, tzinfo=UTC),
    "summary": "Nothing new.",
}
NEW = {
    "title": "Harrier-70B",
    "link": "https://lab.example/2",
    "guid": "2",
    "published": datetime(2025, 3, 1, tzinfo=UTC),
    "summary": "Harrier-70B beats GPT-4o on MMLU and MATH.",
}


def write_config(tmp_path: Path, feeds: FeedServer, extra: str) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[storage]\nurl = "sqlite+aiosqlite:///{tmp_path / "gw.db"}"\n'
        f"[polling]\ninterval = 0.5\njitter = 0\nadaptive = false\nretries = 0\n{extra}"
        f'[[sources]]\nkind = "feed"\nurl = "{feeds.url("/lab.xml")}"\n',
        encoding="utf-8",
    )
    return config


async def test_run_polls_alerts_serves_health_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    async with FeedServer() as feeds, DiscordAPI() as discord_api:
        feeds.add_feed("/lab.xml", rss_feed([OLD]))
        hook = discord_api.add_webhook(channel_id=42)
        extra = (
            f'[http]\nlisten = "127.0.0.1:{port}"\n'
            f'[discord]\napi_base = "{discord_api.api_base}"\nwebhooks = {{ alerts = "{hook}" }}\n'
        )
        proc = await start_bot(write_config(tmp_path, feeds, extra), cwd=tmp_path)
        try:
            await eventually(lambda: healthy(port))
            await eventually(lambda: feeds.hits("/lab.xml") >= 2)  # baseline done, polling on
            feeds.add_feed("/lab.xml", rss_feed([NEW, OLD]))
            await eventually(lambda: len(discord_api.messages[42]) >= 1)
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
                health = (await http.get("/healthz")).json()
                metrics = (await http.get("/metrics")).text
        finally:
            run = await stop_bot(proc)
    assert run.code == 0, run.stderr[-3000:]
    assert "stopped" in run.stderr
    assert health["ok"] is True
    assert "gapwatch_outbox_depth 0.0" in metrics
    assert 'gapwatch_polls_total{kind="feed",result="ok"}' in metrics
    assert 'gapwatch_alerts_total{destination="webhook:alerts",result="sent"} 1.0' in metrics
    posted = discord_api.messages[42]
    assert len(posted) == 1 and "Harrier-70B" in posted[0]["embeds"][0]["title"]
    assert "Harrier-70B" in run.stdout  # the console sink printed it too


async def test_run_with_a_bot_token_logs_in_syncs_slash_commands_and_posts_to_its_channel(
    tmp_path: Path,
) -> None:
    """The fake has no gateway: the bot logs in over REST, installs and syncs its commands for
    the guild, delivers alerts to its channel; the gateway failing is logged, alerts go on."""
    async with FeedServer() as feeds, DiscordAPI() as discord_api:
        feeds.add_feed("/lab.xml", rss_feed([OLD]))
        extra = f'[discord]\napi_base = "{discord_api.api_base}"\nchannel_id = 9001\nguild_id = 31337\n'
        config = write_config(tmp_path, feeds, extra)
        proc = await start_bot(config, cwd=tmp_path, DISCORD_TOKEN="fake-bot-token")
        try:
            await eventually(lambda: "31337" in discord_api.commands)
            await eventually(lambda: feeds.hits("/lab.xml") >= 2)
            feeds.add_feed("/lab.xml", rss_feed([NEW, OLD]))
            await eventually(lambda: len(discord_api.messages[9001]) >= 1)
        finally:
            run = await stop_bot(proc)
    assert run.code == 0, run.stderr[-3000:]
    names = {c["name"] for c in discord_api.commands["31337"]}
    assert {"gap", "track", "claims", "subscribe", "status"} <= names
    posted = discord_api.messages[9001]
    assert len(posted) == 1 and "Harrier-70B" in posted[0]["embeds"][0]["title"]
    assert "fake-bot-token" not in run.stderr  # the token never reaches the logs


def slack_answers(api: SlackAPI, channel: str) -> list[str]:
    return [str(r) for r in api.responses] + [str(m) for m in api.messages[channel]]


async def test_run_in_slack_http_mode_answers_a_signed_gap_command(tmp_path: Path) -> None:
    """Slack HTTP mode: POST /slack/events on [http] listen, signature checked, /gap answered
    through the response_url on the fake Slack API; a bad signature gets 401."""
    secret, port = "sign-me", free_port()
    async with FeedServer() as feeds, SlackAPI() as slack_api:
        feeds.add_feed("/lab.xml", rss_feed([OLD]))
        extra = f'[http]\nlisten = "127.0.0.1:{port}"\n'
        extra += f'[slack]\nmode = "http"\napi_base = "{slack_api.api_base}"\n'
        config = write_config(tmp_path, feeds, extra)
        proc = await start_bot(config, cwd=tmp_path, SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET=secret)
        try:
            await eventually(lambda: healthy(port))
            body = urlencode(
                {
                    "command": "/gap",
                    "text": "o1-preview",
                    "user_id": "U1",
                    "channel_id": "C0GAP",
                    "team_id": "T0TEAM",
                    "response_url": slack_api.response_url(),
                    "trigger_id": "1.2",
                }
            )
            stamp = str(int(time.time()))
            form = {"content-type": "application/x-www-form-urlencoded", "x-slack-request-timestamp": stamp}
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
                bad = SignatureVerifier("wrong").generate_signature(timestamp=stamp, body=body)
                refused = await http.post(
                    "/slack/events", content=body, headers={**form, "x-slack-signature": bad}
                )
                good = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
                accepted = await http.post(
                    "/slack/events", content=body, headers={**form, "x-slack-signature": good}
                )
            await eventually(lambda: bool(slack_answers(slack_api, "C0GAP")))
        finally:
            run = await stop_bot(proc)
    assert run.code == 0, run.stderr[-3000:]
    assert refused.status_code == 401 and accepted.status_code == 200
    answers = slack_answers(slack_api, "C0GAP")
    assert any("69" in a and "DeepSeek-R1-Lite-Preview" in a for a in answers), answers


async def test_run_in_slack_socket_mode_acks_and_answers_gap(tmp_path: Path) -> None:
    """Socket Mode: apps.connections.open with the app token, a websocket to the fake, a /gap
    envelope acked on the socket and answered through the response_url."""
    async with FeedServer() as feeds, SlackAPI() as slack_api:
        feeds.add_feed("/lab.xml", rss_feed([OLD]))
        config = write_config(
            tmp_path, feeds, f'[slack]\nmode = "socket"\napi_base = "{slack_api.api_base}"\n'
        )
        proc = await start_bot(
            config, cwd=tmp_path, SLACK_BOT_TOKEN="xoxb-test", SLACK_APP_TOKEN="xapp-1-test"
        )
        try:
            await eventually(lambda: slack_api.socket_connections >= 1)
            payload = {
                "command": "/gap",
                "text": "o1",
                "user_id": "U1",
                "channel_id": "C0GAP",
                "team_id": "T0TEAM",
                "api_app_id": "A0GAP",
                "response_url": slack_api.response_url(),
                "trigger_id": "1.2",
            }
            await slack_api.socket_envelopes.put(
                {
                    "envelope_id": "env-1",
                    "type": "slash_commands",
                    "accepts_response_payload": True,
                    "payload": payload,
                }
            )
            await eventually(lambda: any(m.get("envelope_id") == "env-1" for m in slack_api.socket_received))
            await eventually(lambda: bool(slack_answers(slack_api, "C0GAP")))
        finally:
            run = await stop_bot(proc)
    assert run.code == 0, run.stderr[-3000:]
    answers = slack_answers(slack_api, "C0GAP")
    assert any("46" in a and "DeepSeek-R1" in a for a in answers), answers
    assert "xapp-1-test" not in run.stderr and "xoxb-test" not in run.stderr


async def test_run_serves_gap_over_the_discord_gateway(tmp_path: Path) -> None:
    """The whole Discord path: REST login, commands synced, gateway IDENTIFY/READY, then an
    INTERACTION_CREATE for /gap answered with a deferred reply and a follow-up embed + chart."""
    async with FeedServer() as feeds, DiscordAPI() as discord_api:
        feeds.add_feed("/lab.xml", rss_feed([OLD]))
        extra = (
            f'[discord]\napi_base = "{discord_api.api_base}"\ngateway_url = "{discord_api.gateway_url}"\n'
            "guild_id = 31337\n"
        )
        proc = await start_bot(
            write_config(tmp_path, feeds, extra), cwd=tmp_path, DISCORD_TOKEN="fake-bot-token"
        )
        try:
            await eventually(discord_api.identified)
            interaction = interaction_payload(
                "gap", {"model": "o1-preview"}, guild_id=31337, channel_id=4242, token="interaction-token"
            )
            await discord_api.gateway_dispatches.put(("INTERACTION_CREATE", interaction))
            followup = rf"/api/v10/webhooks/{APP_ID}/interaction-token"
            await eventually(lambda: bool(discord_api.calls_to("POST", followup)))
        finally:
            run = await stop_bot(proc)
    assert run.code == 0, run.stderr[-3000:]
    assert [r["type"] for r in discord_api.interaction_responses] == [5]  # deferred within 3 s
    [follow] = discord_api.calls_to("POST", followup)
    embed = follow.json["embeds"][0]
    assert "69 days" in embed["description"] and embed["image"]["url"] == "attachment://gap.png"
    assert "fake-bot-token" not in run.stderr
