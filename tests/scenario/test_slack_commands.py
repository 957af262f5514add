"""Slash commands through the REAL slack-bolt dispatch: signed requests into an AsyncApp whose
AsyncWebClient points at the fake Slack API; `respond` posts to a response_url on the same fake.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
import pytest_asyncio
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from adapters.chat.slack_commands import build_slack_app, install, parse_claims_args, parse_options
from bot.commands.core import CommandCore
from bot.config import Settings, SlackSettings
from bot.errors import ConfigError
from tests.bot.commands.conftest import NOW
from tests.bot.commands.standin import build_core, load_registry
from tests.conftest import Database
from tests.fakes.slack_api import SlackAPI

SECRET = "s3cr3t-signing"
ADMIN, OTHER = "UADMIN", "UOTHER"
CHANNEL = "C0GAP"
PNG = b"\x89PNG\r\n\x1a\n"


@dataclass
class Env:
    api: SlackAPI
    app: AsyncApp
    core: CommandCore


@pytest_asyncio.fixture
async def env(db: Database) -> AsyncIterator[Env]:
    async with SlackAPI() as api:
        client = AsyncWebClient(token="xoxb-test", base_url=api.api_base)
        settings = Settings(slack=SlackSettings(signing_secret=SECRET, mode="http"))  # type: ignore[arg-type]
        app = build_slack_app(settings, client, process_before_response=True)
        core = await build_core(db, load_registry(), NOW)
        install(app, core, admin_users=[ADMIN])
        yield Env(api, app, core)


def signed(
    api: SlackAPI, command: str, text: str, *, user: str = OTHER, secret: str = SECRET, age: float = 0.0
) -> AsyncBoltRequest:
    body = urlencode(
        {
            "token": "legacy",
            "team_id": "T0TEAM",
            "team_domain": "fake",
            "channel_id": CHANNEL,
            "channel_name": "general",
            "user_id": user,
            "user_name": "someone",
            "command": command,
            "text": text,
            "api_app_id": "A0GAP",
            "response_url": api.response_url(),
            "trigger_id": "1.2.3",
        }
    )
    timestamp = str(int(time.time() - age))
    signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)
    headers = {
        "content-type": ["application/x-www-form-urlencoded"],
        "x-slack-signature": [signature],
        "x-slack-request-timestamp": [timestamp],
    }
    return AsyncBoltRequest(body=body, headers=headers)


async def dispatch(env: Env, command: str, text: str = "", **kwargs: Any) -> Any:
    return await env.app.async_dispatch(signed(env.api, command, text, **kwargs))


async def test_gap_posts_report_and_uploads_chart_into_its_thread(env: Env) -> None:
    response = await dispatch(env, "/gap", "o1-preview")
    assert response.status == 200 and response.body == ""  # acked at once, empty
    [message] = env.api.messages[CHANNEL]
    assert "DeepSeek-R1-Lite-Preview on 2024-11-20, 69 days" in message["text"]
    assert message["blocks"][0]["text"]["text"] == "Gap: OpenAI o1-preview"
    [done] = env.api.completed
    assert done["channel_id"] == CHANNEL and done["thread_ts"] == message["ts"]
    [chart] = env.api.uploads.values()
    assert chart.startswith(PNG)


async def test_gap_unknown_model_acks_an_ephemeral_hint(env: Env) -> None:
    response = await dispatch(env, "/gap", "o1-previw")
    assert response.status == 200
    assert '"response_type": "ephemeral"' in response.body and "o1-preview" in response.body
    assert env.api.messages == {} and env.api.uploads == {}


async def test_claims_answers_through_response_url(env: Env) -> None:
    await dispatch(env, "/claims", "o1 3650")
    [answer] = env.api.responses
    assert answer["response_type"] == "in_channel"
    assert "DeepSeek-R1" in answer["text"] and "OpenAI o1" in answer["text"]


async def test_bad_days_say_what_to_type(env: Env) -> None:
    response = await dispatch(env, "/claims", "o1 0")
    assert "days must be from 1 to 3650, e.g. /claims o1 90" in response.body


@pytest.mark.parametrize("command", ["/track", "/untrack", "/subscribe", "/unsubscribe"])
async def test_admin_commands_refused_for_other_users(env: Env, command: str) -> None:
    response = await dispatch(env, command, "Grok 4", user=OTHER)
    assert response.status == 200 and "admin_users" in response.body and "ephemeral" in response.body
    assert env.api.responses == [] and env.core.registry.resolve("Grok 4") is None


async def test_admin_tracks_a_model(env: Env) -> None:
    await dispatch(env, "/track", "Grok 4 aliases: grok-4, grok4 released: 2025-07-09 lab: xAI", user=ADMIN)
    [answer] = env.api.responses
    assert answer["text"].startswith("Now tracking Grok 4 as `grok-4`")
    assert env.core.registry.get("grok4").lab == "xAI"


async def test_status_is_ephemeral(env: Env) -> None:
    await dispatch(env, "/status")
    [answer] = env.api.responses
    assert answer["response_type"] == "ephemeral" and "outbox: 0 waiting, 0 parked" in answer["text"]


async def test_bad_signature_is_401(env: Env) -> None:
    response = await dispatch(env, "/gap", "o1", secret="wrong")
    assert response.status == 401
    assert env.api.messages == {} and env.api.responses == []


async def test_stale_timestamp_is_refused(env: Env) -> None:
    response = await dispatch(env, "/gap", "o1", age=6 * 60)
    assert response.status == 401
    assert env.api.messages == {}


def test_http_mode_needs_a_signing_secret() -> None:
    settings = Settings(slack=SlackSettings(mode="http"))
    with pytest.raises(ConfigError, match="signing secret"):
        build_slack_app(settings, AsyncWebClient(token="xoxb-x", base_url="http://127.0.0.1:9/api/"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Grok 4", ("Grok 4", {})),
        (
            "Grok 4 aliases: a, b released=2025-07-09",
            ("Grok 4", {"aliases": "a, b", "released": "2025-07-09"}),
        ),
        ("frontier: o1 min_confidence: 0.7", ("", {"frontier": "o1", "min_confidence": "0.7"})),
    ],
)
def test_parse_options(text: str, expected: tuple[str, dict[str, str]]) -> None:
    assert parse_options(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"), [("", (None, None)), ("90", (None, "90")), ("o1 preview 7", ("o1 preview", "7"))]
)
def test_parse_claims_args(text: str, expected: tuple[str | None, str | None]) -> None:
    assert parse_claims_args(text) == expected


async def post_to_edge(env: Env, requests: list[tuple[bytes, dict[str, str]]]) -> list[int]:
    """POST each (body, headers) to slack_route mounted on a loopback aiohttp server."""
    import httpx
    from aiohttp import web

    from adapters.chat.slack_commands import slack_route

    web_app = web.Application()
    web_app.router.add_post("/slack/events", slack_route(env.app))
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            return [
                (await http.post("/slack/events", content=body, headers=headers)).status_code
                for body, headers in requests
            ]
    finally:
        await runner.cleanup()


GARBAGE = [
    ("application/json", b"{{{"),
    ("application/x-www-form-urlencoded", b"payload=%7B%7B"),
    ("application/x-www-form-urlencoded", b"\xff\xfe"),
    ("text/plain", b"hello"),
    ("application/x-www-form-urlencoded", b"payload=%7B%22type%22%3A%22block_actions%22%7D"),
    ("application/x-www-form-urlencoded", b"command=%2Fnope&text=x&user_id=U1&channel_id=C1"),
]
FORGED_STAMPS = ["abc", "", "1e9", "-5", "12.5", "0x10", "9" * 40]


@pytest.mark.reliability
async def test_signed_garbage_is_refused_or_acked_without_traceback(
    env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    requests = []
    for content_type, body in GARBAGE:
        stamp = str(int(time.time()))
        signature = SignatureVerifier(SECRET).generate_signature(timestamp=stamp, body=body.decode("latin-1"))
        headers = {
            "content-type": content_type,
            "x-slack-request-timestamp": stamp,
            "x-slack-signature": signature,
        }
        requests.append((body, headers))
    statuses = await post_to_edge(env, requests)
    assert all(status < 500 for status in statuses), list(zip(GARBAGE, statuses, strict=True))
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= 40]


@pytest.mark.reliability
async def test_a_forged_timestamp_is_a_401_without_traceback(
    env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    """HTTP mode through the aiohttp edge (slack_route), as Slack's servers reach it."""
    request = signed(env.api, "/gap", "o1")
    original = {k: v[0] for k, v in request.headers.items()}
    forged = [(request.raw_body, {**original, "x-slack-request-timestamp": stamp}) for stamp in FORGED_STAMPS]
    *refused, genuine = await post_to_edge(env, [*forged, (request.raw_body, original)])
    assert refused == [401] * len(FORGED_STAMPS) and genuine == 200
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= 40]
    assert len(env.api.messages.get(CHANNEL, [])) == 1  # only the genuine one was answered
