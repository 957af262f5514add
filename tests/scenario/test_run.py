"""`gapwatch run`: polls on schedule, serves /healthz and /metrics, alerts a webhook, and stops
gracefully on SIGTERM (exit 0)."""

from __future__ import annotations

import asyncio
import signal
import socket
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import httpx

from tests.fakes.discord_api import DiscordAPI
from tests.fakes.feeds import FeedServer, rss_feed
from tests.scenario.cli import clean_env

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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def eventually(check: Callable[[], Awaitable[bool]], within: float = 30.0) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if await check():
            return
        await asyncio.sleep(0.1)
    raise AssertionError("condition not met in time")


async def test_run_polls_alerts_serves_health_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    async with FeedServer() as feeds, DiscordAPI() as discord_api:
        feeds.add_feed("/lab.xml", rss_feed([OLD]))
        hook = discord_api.add_webhook(channel_id=42)
        config = tmp_path / "config.toml"
        config.write_text(
            f'[storage]\nurl = "sqlite+aiosqlite:///{tmp_path / "gw.db"}"\n'
            f"[polling]\ninterval = 0.5\njitter = 0\nretries = 0\n"
            f'[http]\nlisten = "127.0.0.1:{port}"\n'
            f'[discord]\napi_base = "{discord_api.api_base}"\nwebhooks = {{ alerts = "{hook}" }}\n'
            f'[[sources]]\nkind = "feed"\nurl = "{feeds.url("/lab.xml")}"\n',
            encoding="utf-8",
        )
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "--config",
            str(config),
            "run",
            cwd=tmp_path,
            env=clean_env(),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:

                async def healthy() -> bool:
                    try:
                        return (await http.get("/healthz")).status_code == 200
                    except httpx.TransportError:
                        return False

                await eventually(healthy)
                await eventually(lambda: _true(feeds.hits("/lab.xml") >= 2))  # baseline done, polling on
                feeds.add_feed("/lab.xml", rss_feed([NEW, OLD]))
                await eventually(lambda: _true(len(discord_api.messages[42]) >= 1))
                health = (await http.get("/healthz")).json()
                metrics = (await http.get("/metrics")).text
            assert health["ok"] is True
            assert "gapwatch_outbox_pending 0" in metrics and "gapwatch_last_cycle_sources_polled" in metrics
        finally:
            proc.send_signal(signal.SIGTERM)
            out, err = await asyncio.wait_for(proc.communicate(), timeout=30)
        assert proc.returncode == 0, err.decode()[-3000:]
        assert "stopped" in err.decode()
        posted = discord_api.messages[42]
        assert len(posted) == 1 and "Harrier-70B" in posted[0]["embeds"][0]["title"]
        assert "Harrier-70B" in out.decode()  # the console sink printed it too


async def _true(value: bool) -> bool:
    return value


async def test_run_with_a_bot_token_logs_in_syncs_slash_commands_and_posts_to_its_channel(
    tmp_path: Path,
) -> None:
    """The fake has no gateway: the bot logs in over REST, installs and syncs its commands for
    the guild, delivers alerts to its channel; the gateway failing is logged, alerts go on."""
    async with FeedServer() as feeds, DiscordAPI() as discord_api:
        feeds.add_feed("/lab.xml", rss_feed([OLD]))
        config = tmp_path / "config.toml"
        config.write_text(
            f'[storage]\nurl = "sqlite+aiosqlite:///{tmp_path / "gw.db"}"\n'
            f"[polling]\ninterval = 0.5\njitter = 0\nretries = 0\n"
            f'[discord]\napi_base = "{discord_api.api_base}"\nchannel_id = 9001\nguild_id = 31337\n'
            f'[[sources]]\nkind = "feed"\nurl = "{feeds.url("/lab.xml")}"\n',
            encoding="utf-8",
        )
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "--config",
            str(config),
            "run",
            cwd=tmp_path,
            env=clean_env(DISCORD_TOKEN="fake-bot-token"),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            await eventually(lambda: _true("31337" in discord_api.commands))
            await eventually(lambda: _true(feeds.hits("/lab.xml") >= 2))
            feeds.add_feed("/lab.xml", rss_feed([NEW, OLD]))
            await eventually(lambda: _true(len(discord_api.messages[9001]) >= 1))
        finally:
            proc.send_signal(signal.SIGTERM)
            _, err = await asyncio.wait_for(proc.communicate(), timeout=30)
        assert proc.returncode == 0, err.decode()[-3000:]
        names = {c["name"] for c in discord_api.commands["31337"]}
        assert {"gap", "track", "claims", "subscribe", "status"} <= names
        posted = discord_api.messages[9001]
        assert len(posted) == 1 and "Harrier-70B" in posted[0]["embeds"][0]["title"]
        assert "fake-bot-token" not in err.decode()  # the token never reaches the logs


async def test_run_in_slack_http_mode_answers_a_signed_gap_command(tmp_path: Path) -> None:
    """Slack HTTP mode through `gapwatch run`: POST /slack/events on [http] listen, signature
    checked, /gap answered through the response_url on the fake Slack API; a bad signature 401."""
    import time
    from urllib.parse import urlencode

    from slack_sdk.signature import SignatureVerifier

    from tests.fakes.slack_api import SlackAPI

    secret, port = "sign-me", free_port()
    async with FeedServer() as feeds, SlackAPI() as slack_api:
        feeds.add_feed("/lab.xml", rss_feed([OLD]))
        config = tmp_path / "config.toml"
        config.write_text(
            f'[storage]\nurl = "sqlite+aiosqlite:///{tmp_path / "gw.db"}"\n'
            f'[http]\nlisten = "127.0.0.1:{port}"\n'
            f'[slack]\nmode = "http"\napi_base = "{slack_api.api_base}"\n'
            f'[[sources]]\nkind = "feed"\nurl = "{feeds.url("/lab.xml")}"\n',
            encoding="utf-8",
        )
        env = clean_env(SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET=secret)
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "--config",
            str(config),
            "run",
            cwd=tmp_path,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:

                async def healthy() -> bool:
                    try:
                        return (await http.get("/healthz")).status_code == 200
                    except httpx.TransportError:
                        return False

                await eventually(healthy)
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
                good = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
                bad = SignatureVerifier("wrong").generate_signature(timestamp=stamp, body=body)
                form = {
                    "content-type": "application/x-www-form-urlencoded",
                    "x-slack-request-timestamp": stamp,
                }
                refused = await http.post(
                    "/slack/events", content=body, headers={**form, "x-slack-signature": bad}
                )
                accepted = await http.post(
                    "/slack/events", content=body, headers={**form, "x-slack-signature": good}
                )
                await eventually(
                    lambda: _true(bool(slack_api.responses) or bool(slack_api.messages["C0GAP"]))
                )
        finally:
            proc.send_signal(signal.SIGTERM)
            _, err = await asyncio.wait_for(proc.communicate(), timeout=30)
        assert proc.returncode == 0, err.decode()[-3000:]
        assert refused.status_code == 401 and accepted.status_code == 200
        answers = [str(r) for r in slack_api.responses] + [str(m) for m in slack_api.messages["C0GAP"]]
        assert any("69" in a and "DeepSeek-R1-Lite-Preview" in a for a in answers), answers


async def test_run_in_slack_socket_mode_acks_and_answers_gap(tmp_path: Path) -> None:
    """Socket Mode through `gapwatch run`: apps.connections.open with the app token, a websocket
    to the fake, a /gap envelope acked on the socket and answered through the response_url."""
    from tests.fakes.slack_api import SlackAPI

    async with FeedServer() as feeds, SlackAPI() as slack_api:
        feeds.add_feed("/lab.xml", rss_feed([OLD]))
        config = tmp_path / "config.toml"
        config.write_text(
            f'[storage]\nurl = "sqlite+aiosqlite:///{tmp_path / "gw.db"}"\n'
            f'[slack]\nmode = "socket"\napi_base = "{slack_api.api_base}"\n'
            f'[[sources]]\nkind = "feed"\nurl = "{feeds.url("/lab.xml")}"\n',
            encoding="utf-8",
        )
        env = clean_env(SLACK_BOT_TOKEN="xoxb-test", SLACK_APP_TOKEN="xapp-1-test")
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "--config",
            str(config),
            "run",
            cwd=tmp_path,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            await eventually(lambda: _true(slack_api.socket_connections >= 1))
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
            envelope = {
                "envelope_id": "env-1",
                "type": "slash_commands",
                "accepts_response_payload": True,
                "payload": payload,
            }
            await slack_api.socket_envelopes.put(envelope)
            await eventually(
                lambda: _true(any(m.get("envelope_id") == "env-1" for m in slack_api.socket_received))
            )
            await eventually(lambda: _true(bool(slack_api.responses) or bool(slack_api.messages["C0GAP"])))
        finally:
            proc.send_signal(signal.SIGTERM)
            _, err = await asyncio.wait_for(proc.communicate(), timeout=30)
        assert proc.returncode == 0, err.decode()[-3000:]
        answers = [str(r) for r in slack_api.responses] + [str(m) for m in slack_api.messages["C0GAP"]]
        assert any("46" in a and "DeepSeek-R1" in a for a in answers), answers
        assert "xapp-1-test" not in err.decode() and "xoxb-test" not in err.decode()
