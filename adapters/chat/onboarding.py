"""Setting up the chat apps: the Discord invite URL and the Slack app manifest.

The invite URL is built from the bot token's application id, asked of Discord's API
(`GET /oauth2/applications/@me`), with the two scopes and the permissions gapwatch uses:
`bot` + `applications.commands`; View Channels, Send Messages, Embed Links, Attach Files
(the /gap chart) and Read Message History (later sources reply to the first alert).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any
from urllib.parse import urlencode

import httpx

from adapters.sinks.discord_webhook import DEFAULT_API_BASE
from bot.errors import ConfigError, GapwatchError

SCOPES = ("bot", "applications.commands")
PERMISSIONS = {
    "View Channels": 1 << 10,
    "Send Messages": 1 << 11,
    "Embed Links": 1 << 14,
    "Attach Files": 1 << 15,
    "Read Message History": 1 << 16,
}
AUTHORIZE_URL = "https://discord.com/oauth2/authorize"


def invite_url(application_id: str, guild_id: int | None = None) -> str:
    query = {
        "client_id": application_id,
        "scope": " ".join(SCOPES),
        "permissions": str(sum(PERMISSIONS.values())),
    }
    if guild_id is not None:
        query.update(guild_id=str(guild_id), disable_guild_select="true")
    return f"{AUTHORIZE_URL}?{urlencode(query)}"


async def application_id(client: httpx.AsyncClient, token: str, api_base: str | None = None) -> str:
    """The id of the application the bot token belongs to.

    Raises:
        ConfigError: Discord rejected the token.
        GapwatchError: Discord could not be reached or answered something else.
    """
    url = f"{(api_base or DEFAULT_API_BASE).rstrip('/')}/oauth2/applications/@me"
    try:
        response = await client.get(url, headers={"Authorization": f"Bot {token}"})
    except httpx.HTTPError as exc:
        raise GapwatchError(f"cannot reach Discord: {type(exc).__name__}") from exc
    if response.status_code == 401:
        raise ConfigError("Discord rejected the bot token", key="discord.token")
    try:
        data: Any = response.json()
    except ValueError:
        data = None
    if response.status_code != 200 or not isinstance(data, dict) or "id" not in data:
        raise GapwatchError(f"Discord answered HTTP {response.status_code} for the application")
    return str(data["id"])


def slack_manifest(request_url: str | None = None) -> dict[str, Any]:
    """The Slack app manifest (bot/data/slack_manifest.json): Socket Mode, or with `request_url`
    HTTP mode, every slash command sent to that URL (gapwatch's /slack/events)."""
    text = resources.files("bot.data").joinpath("slack_manifest.json").read_text(encoding="utf-8")
    manifest: dict[str, Any] = json.loads(text)
    if request_url:
        manifest["settings"]["socket_mode_enabled"] = False
        for command in manifest["features"]["slash_commands"]:
            command["url"] = request_url
    return manifest
