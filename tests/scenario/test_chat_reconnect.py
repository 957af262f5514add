"""Chat connections come back: Discord unreachable at start is retried with backoff, a gateway
that drops is reconnected, and /healthz is 503 naming the connection while it is down."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from tests.fakes.discord_api import DiscordAPI
from tests.fakes.feeds import FeedServer, rss_feed
from tests.scenario.cli_runner import eventually, free_port, start_bot, stop_bot
from tests.scenario.test_run import OLD


async def health(port: int) -> tuple[int, dict[str, Any]]:
    try:
        async with httpx.AsyncClient() as http:
            response = await http.get(f"http://127.0.0.1:{port}/healthz")
    except httpx.TransportError:
        return 0, {}
    return response.status_code, response.json()


async def test_discord_down_at_start_then_up_then_dropped_then_back(tmp_path: Path) -> None:
    port = free_port()
    discord = DiscordAPI()
    discord.port = free_port()  # known before the fake listens: Discord is down at start
    seen: list[tuple[int, dict[str, Any]]] = []

    async def state_is(code: int, reason: str | None = None) -> bool:
        status, body = await health(port)
        seen.append((status, body))
        return status == code and (reason is None or any(reason in r for r in body.get("reasons", [])))

    async with FeedServer() as feeds:
        feeds.add_feed("/lab.xml", rss_feed([OLD]))
        config = tmp_path / "config.toml"
        config.write_text(
            f'[storage]\nurl = "sqlite+aiosqlite:///{tmp_path / "gw.db"}"\n'
            f'[polling]\ninterval = 0.5\njitter = 0\nretries = 0\n[http]\nlisten = "127.0.0.1:{port}"\n'
            f'[discord]\napi_base = "{discord.api_base}"\ngateway_url = "{discord.gateway_url}"\n'
            f'[[sources]]\nkind = "feed"\nurl = "{feeds.url("/lab.xml")}"\n',
            encoding="utf-8",
        )
        proc = await start_bot(config, cwd=tmp_path, DISCORD_TOKEN="fake-bot-token")
        try:
            await eventually(lambda: state_is(503, "discord gateway: down"), within=30)
            await eventually(lambda: feeds.hits("/lab.xml") >= 2, within=30)  # polling goes on meanwhile
            async with discord:
                await eventually(lambda: state_is(200), within=30)  # retried, logged in, gateway up
                assert discord.gateway_sessions == 1
            # the fake stopped: the gateway dropped
            await eventually(lambda: state_is(503, "discord gateway: down"), within=30)
            restarted = DiscordAPI()
            restarted.port = discord.port
            async with restarted:
                await eventually(lambda: state_is(200), within=60)  # discord.py reconnected
                assert restarted.gateway_sessions >= 1
        finally:
            run = await stop_bot(proc)
    assert run.code == 0, run.stderr[-3000:]
    warnings = [line for line in run.stderr.splitlines() if "WARNING" in line and "discord" in line]
    assert any("discord gateway down" in w and "retrying with backoff" in w for w in warnings), run.stderr
    assert len(warnings) <= 3, warnings  # one per outage, not one per retry
    assert "connected again" in run.stderr
    assert "Traceback" not in run.stderr
