"""Slash commands through the REAL discord.py app_commands dispatch.

An Interaction is built from a raw gateway payload and run with `tree._call` (as discord.py's own
tests/test_app_commands_invoke.py does); discord.py's HTTP client points at the fake Discord API,
which records the interaction callbacks and follow-ups it receives.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import discord
import pytest
import pytest_asyncio
from discord import app_commands

from adapters.chat.discord_bot import set_api_base
from adapters.chat.discord_commands import install, sync_commands
from bot.commands.core import CommandCore
from tests.bot.commands.conftest import NOW
from tests.bot.commands.standin import build_core, load_registry
from tests.conftest import Database
from tests.fakes.discord_api import APP_ID, DiscordAPI, interaction_payload

GUILD = 900000000000000001
CHANNEL = 900000000000000002
MANAGE_GUILD = 1 << 5
PNG = b"\x89PNG\r\n\x1a\n"


@dataclass
class Env:
    api: DiscordAPI
    client: discord.Client
    tree: app_commands.CommandTree[Any]
    core: CommandCore


@pytest_asyncio.fixture
async def env(db: Database) -> AsyncIterator[Env]:
    async with DiscordAPI() as api:
        set_api_base(api.api_base)
        client = discord.Client(intents=discord.Intents.default())
        await client.login("fake-token")
        tree: app_commands.CommandTree[Any] = app_commands.CommandTree(client)
        core = await build_core(db, load_registry(), NOW)
        install(tree, core, guild_id=GUILD)
        try:
            yield Env(api, client, tree, core)
        finally:
            await client.close()
            set_api_base(None)


def payload(
    name: str, options: dict[str, Any], *, permissions: int = 0, kind: int = 2, focused: str | None = None
) -> dict[str, Any]:
    return interaction_payload(
        name, options, guild_id=GUILD, channel_id=CHANNEL, permissions=permissions, kind=kind, focused=focused
    )


async def run(
    env: Env, command: str, *, permissions: int = 0, kind: int = 2, focused: str | None = None, **options: Any
) -> None:
    interaction = discord.Interaction(
        data=payload(
            command,
            options,
            permissions=permissions,
            kind=kind,  # type: ignore[arg-type]
            focused=focused,
        ),
        state=env.client._connection,
    )
    await env.tree._call(interaction)


def followups(api: DiscordAPI) -> list[Any]:
    return api.calls_to("POST", rf"/api/v10/webhooks/{APP_ID}/[^/]+")


async def test_gap_defers_then_follows_up_with_embed_and_chart(env: Env) -> None:
    await run(env, "gap", model="o1-preview")
    [callback] = env.api.interaction_responses
    assert callback["type"] == 5  # deferred: the chart renders after the 3-second window opened
    [follow] = followups(env.api)
    embed = follow.json["embeds"][0]
    assert embed["title"] == "Gap: OpenAI o1-preview"
    assert "DeepSeek-R1-Lite-Preview on 2024-11-20, 69 days" in embed["description"]
    assert embed["image"]["url"] == "attachment://gap.png"
    assert any(f["name"].startswith("★ DeepSeek-R1-Lite-Preview") for f in embed["fields"])
    [upload] = [v for v in follow.form.values() if isinstance(v, dict)]
    assert upload["filename"] == "gap.png" and upload["bytes"].startswith(PNG)


async def test_gap_unknown_model_is_an_ephemeral_hint(env: Env) -> None:
    await run(env, "gap", model="o1-previw")
    [callback] = env.api.interaction_responses
    assert callback["type"] == 4 and callback["data"]["flags"] & 64
    assert "did you mean" in callback["data"]["content"] and "o1-preview" in callback["data"]["content"]
    assert followups(env.api) == []


async def test_gap_autocomplete_offers_keys_and_aliases(env: Env) -> None:
    await run(env, "gap", kind=4, focused="model", model="1217")
    [callback] = env.api.interaction_responses
    assert callback["type"] == 8
    choices = callback["data"]["choices"]
    assert 0 < len(choices) <= 25 and {"name": "OpenAI-o1-1217 → o1", "value": "o1"} in choices


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("track", {"name": "Grok 4"}),
        ("untrack", {"model": "o1"}),
        ("subscribe", {"frontier": "o1"}),
        ("unsubscribe", {}),
    ],
)
async def test_admin_commands_need_manage_server(env: Env, command: str, options: dict[str, Any]) -> None:
    await run(env, command, permissions=0, **options)
    [callback] = env.api.interaction_responses
    assert callback["type"] == 4 and callback["data"]["flags"] & 64
    assert "Manage Server" in callback["data"]["content"]
    assert env.core.registry.resolve("Grok 4") is None and env.core.registry.get("o1").tracked


async def test_track_with_manage_server_adds_the_model(env: Env) -> None:
    await run(
        env,
        "track",
        permissions=MANAGE_GUILD,
        name="Grok 4",
        aliases="grok-4, grok4",
        released="2025-07-09",
        lab="xAI",
    )
    [callback] = env.api.interaction_responses
    assert callback["type"] == 4 and not callback["data"].get("flags")
    assert callback["data"]["embeds"][0]["title"].startswith("Now tracking Grok 4 as `grok-4`")
    model = env.core.registry.get("grok4")
    assert (model.key, model.lab, str(model.released)) == ("grok-4", "xAI", "2025-07-09")


async def test_bad_argument_says_what_to_type(env: Env) -> None:
    await run(env, "track", permissions=MANAGE_GUILD, name="Grok 4", released="last tuesday")
    [callback] = env.api.interaction_responses
    assert callback["data"]["flags"] & 64
    assert "released must be a date like 2026-01-15" in callback["data"]["content"]


async def test_subscribe_then_status(env: Env) -> None:
    await run(
        env, "subscribe", permissions=MANAGE_GUILD, frontier="OpenAI-o1-1217, gpt-4o", relations="matches"
    )
    await run(env, "status")
    subscribed, status = env.api.interaction_responses
    assert "frontier: o1, gpt-4o; relations: matches" in subscribed["data"]["embeds"][0]["title"]
    assert status["data"]["flags"] & 64
    assert "outbox: 0 waiting, 0 parked" in status["data"]["embeds"][0]["description"]


async def test_sync_registers_guild_commands_with_default_permissions(env: Env) -> None:
    assert await sync_commands(env.tree, GUILD) == 9
    commands = {c["name"]: c for c in env.api.commands[str(GUILD)]}
    assert set(commands) == {
        "gap",
        "claims",
        "frontier",
        "track",
        "untrack",
        "subscribe",
        "unsubscribe",
        "sources",
        "status",
    }
    assert int(commands["track"]["default_member_permissions"]) == MANAGE_GUILD
    assert commands["gap"]["default_member_permissions"] is None
    assert commands["gap"]["options"][0]["autocomplete"] is True


async def test_an_unexpected_failure_is_logged_once_and_answered_briefly(
    env: Env, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> Any:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(env.core, "frontier", broken)  # our own core, not discord.py
    with caplog.at_level("ERROR", logger="adapters.chat.discord_commands"):
        await run(env, "frontier")
    [callback] = env.api.interaction_responses
    assert callback["data"]["flags"] & 64
    assert "Something went wrong on our side (RuntimeError)" in callback["data"]["content"]
    assert "disk on fire" not in callback["data"]["content"]
    [record] = [r for r in caplog.records if r.name == "adapters.chat.discord_commands"]
    assert record.getMessage() == "/frontier failed" and record.exc_info is not None
