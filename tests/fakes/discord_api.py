"""A fake Discord REST API (v10) on loopback, for the real discord.py client and our httpx sink.

    async with DiscordAPI() as api:
        discord.http.Route.BASE = api.api_base          # or set_api_base(api.api_base)
        url = api.add_webhook(channel_id=555)            # "https://discord.com/api/webhooks/<id>/<token>"
        api.rate_limit(r"/api/v10/webhooks/.*", retry_after=2.5)
        api.server_error(r"/api/v10/channels/\\d+/messages", status=503, times=3)
        ...
        api.messages[555]                                # what was posted, as message objects

Endpoints (all JSON with Content-Type exactly application/json, as discord.py needs):
GET /users/@me, GET /oauth2/applications/@me, POST /channels/{id}/messages,
POST /webhooks/{id}/{token} (204, or the message with ?wait=true; ?thread_id= honoured),
GET/PATCH/DELETE /webhooks/{app_id}/{token}/messages/@original and followups (POST same path),
PUT /applications/{app}/commands and /applications/{app}/guilds/{gid}/commands,
POST /interactions/{id}/{token}/callback (204, or the callback response with ?with_response=true).
Every request is in `api.calls` with its parsed body.
Rate limits look like Discord's: 429 + JSON {message, retry_after, global} + Retry-After,
X-RateLimit-* and a `Via` header (without Via, discord.py assumes a Cloudflare ban).
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakes.chat_server import CALL, Call, ChatServer, Reply, json_response

__all__ = ["APP_ID", "BOT_USER", "Call", "DiscordAPI", "Reply"]

APP_ID = 1100000000000000001
BOT_USER = {
    "id": "1100000000000000002",
    "username": "gapwatch",
    "discriminator": "0",
    "global_name": None,
    "avatar": None,
    "bot": True,
}


class DiscordAPI(ChatServer):
    def __init__(self) -> None:
        super().__init__()
        self._ids = itertools.count(1200000000000000000)
        self.messages: dict[int, list[dict[str, Any]]] = defaultdict(list)  # channel id -> messages
        self.webhooks: dict[int, tuple[str, int]] = {}  # webhook id -> (token, channel id)
        self.guild_id = 424242424242424242  # the guild every webhook belongs to
        self.commands: dict[str, list[dict[str, Any]]] = {}  # "global" or guild id -> commands
        self.interaction_responses: list[dict[str, Any]] = []
        # Gateway: what the client sent (identify, heartbeats), and dispatches to push to it
        self.gateway_received: list[dict[str, Any]] = []
        self.gateway_dispatches: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue()
        self.gateway_open = 0  # gateway sockets open now, and the most ever open at once
        self.gateway_max_open = 0
        self.gateway_sessions = 0

    @property
    def api_base(self) -> str:
        return f"{self.base_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway/"

    def identified(self) -> bool:
        return any(m.get("op") == 2 for m in self.gateway_received)

    def snowflake(self) -> int:
        return next(self._ids)

    def add_webhook(self, channel_id: int) -> str:
        """Register a webhook; return its URL in the form Discord hands out."""
        webhook_id = self.snowflake()
        token = f"tok{webhook_id}".ljust(68, "x")
        self.webhooks[webhook_id] = (token, channel_id)
        return f"https://discord.com/api/webhooks/{webhook_id}/{token}"

    def rate_limit(
        self, path: str, retry_after: float, *, is_global: bool = False, times: int = 1, method: str = "POST"
    ) -> None:
        headers = {
            "Retry-After": str(int(retry_after) + 1 if retry_after % 1 else int(retry_after)),
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset-After": str(retry_after),
            "X-RateLimit-Bucket": "fakebucket",
            "X-RateLimit-Scope": "shared" if not is_global else "global",
            "Via": "1.1 google",
        }
        if is_global:
            headers["X-RateLimit-Global"] = "true"
        body = {"message": "You are being rate limited.", "retry_after": retry_after, "global": is_global}
        self.script(method, path, *[Reply(429, body, headers)] * times)

    def server_error(self, path: str, *, status: int = 500, times: int = 1, method: str = "POST") -> None:
        self.script(
            method, path, *[Reply(status, {"message": "500: Internal Server Error", "code": 0})] * times
        )

    # --- routes ---------------------------------------------------------------------------

    def routes(self, app: web.Application) -> None:
        p = "/api/v10"
        app.router.add_get(p + "/users/@me", self._me)
        app.router.add_get(p + "/oauth2/applications/@me", self._application)
        app.router.add_post(p + "/channels/{channel_id}/messages", self._create_message)
        app.router.add_post(p + "/webhooks/{webhook_id}/{token}", self._execute_webhook)
        app.router.add_get(p + "/webhooks/{webhook_id}/{token}", self._get_webhook)
        for method in ("GET", "PATCH", "DELETE"):
            app.router.add_route(
                method, p + "/webhooks/{webhook_id}/{token}/messages/{message_id}", self._webhook_message
            )
        app.router.add_put(p + "/applications/{app_id}/commands", self._put_commands)
        app.router.add_put(p + "/applications/{app_id}/guilds/{guild_id}/commands", self._put_commands)
        app.router.add_post(p + "/interactions/{interaction_id}/{token}/callback", self._callback)
        app.router.add_get("/gateway/", self._gateway)

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        """A minimal gateway (uncompressed JSON text frames, which discord.py accepts): HELLO,
        READY after IDENTIFY, heartbeat ACKs, then the queued dispatches (e.g. INTERACTION_CREATE)."""
        ws = web.WebSocketResponse(heartbeat=None)
        await ws.prepare(request)
        self.gateway_open += 1
        self.gateway_sessions += 1
        self.gateway_max_open = max(self.gateway_max_open, self.gateway_open)
        await ws.send_json({"op": 10, "d": {"heartbeat_interval": 45_000}, "s": None, "t": None})
        sequence = itertools.count(1)
        pusher: asyncio.Task[None] | None = None

        async def push() -> None:
            while True:
                event, data = await self.gateway_dispatches.get()
                await ws.send_json({"op": 0, "t": event, "s": next(sequence), "d": data})

        try:
            async for message in ws:
                if message.type != WSMsgType.TEXT:
                    continue
                frame = json.loads(message.data)
                self.gateway_received.append(frame)
                if frame.get("op") == 1:  # heartbeat
                    await ws.send_json({"op": 11, "d": None, "s": None, "t": None})
                elif frame.get("op") == 6:  # resume: not kept across restarts, identify again
                    await ws.send_json({"op": 9, "d": False, "s": None, "t": None})
                elif frame.get("op") == 2 and pusher is None:  # identify
                    ready = {
                        "v": 10,
                        "user": BOT_USER,
                        "guilds": [],
                        "session_id": "fake-session",
                        "resume_gateway_url": self.gateway_url,
                        "application": {"id": str(APP_ID), "flags": 0},
                        "private_channels": [],
                        "relationships": [],
                    }
                    await ws.send_json({"op": 0, "t": "READY", "s": next(sequence), "d": ready})
                    pusher = asyncio.create_task(push())
        finally:
            self.gateway_open -= 1
            if pusher is not None:
                pusher.cancel()
        return ws

    def _unauthorized(self, request: web.Request) -> web.Response | None:
        if not request.headers.get("Authorization", "").startswith("Bot "):
            return json_response({"message": "401: Unauthorized", "code": 0}, 401)
        return None

    async def _me(self, request: web.Request) -> web.Response:
        return self._unauthorized(request) or json_response(BOT_USER)

    async def _application(self, request: web.Request) -> web.Response:
        return self._unauthorized(request) or json_response(
            {
                "id": str(APP_ID),
                "name": "gapwatch",
                "icon": None,
                "description": "",
                "rpc_origins": [],
                "bot_public": False,
                "bot_require_code_grant": False,
                "owner": BOT_USER,
                "team": None,
                "verify_key": "00" * 32,
                "flags": 0,
                "summary": "",
            }
        )

    def _message(self, channel_id: int, data: dict[str, Any], author: dict[str, Any]) -> dict[str, Any]:
        message = {
            "id": str(self.snowflake()),
            "channel_id": str(channel_id),
            "author": author,
            "content": data.get("content") or "",
            "embeds": data.get("embeds") or [],
            "timestamp": datetime.now(UTC).isoformat(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "pinned": False,
            "type": 19 if data.get("message_reference") else 0,
            "flags": 0,
            "components": [],
        }
        if data.get("message_reference"):
            # Discord answers ids as strings, whatever the client sent
            message["message_reference"] = {
                k: str(v) if k.endswith("_id") else v for k, v in data["message_reference"].items()
            }
        self.messages[channel_id].append(message)
        return message

    async def _create_message(self, request: web.Request) -> web.Response:
        if denied := self._unauthorized(request):
            return denied
        call: Call = request[CALL]
        channel_id = int(request.match_info["channel_id"])
        return json_response(self._message(channel_id, call.json or {}, BOT_USER))

    async def _get_webhook(self, request: web.Request) -> web.Response:
        """GET /webhooks/{id}/{token}: the webhook object (no user field when asked by token)."""
        webhook_id = int(request.match_info["webhook_id"])
        known = self.webhooks.get(webhook_id)
        if known is None or known[0] != request.match_info["token"]:
            return json_response({"message": "Unknown Webhook", "code": 10015}, 404)
        return json_response(
            {
                "type": 1,
                "id": str(webhook_id),
                "name": "gapwatch",
                "avatar": None,
                "channel_id": str(known[1]),
                "guild_id": str(self.guild_id),
                "application_id": None,
                "token": known[0],
            }
        )

    async def _execute_webhook(self, request: web.Request) -> web.Response:
        webhook_id = int(request.match_info["webhook_id"])
        known = self.webhooks.get(webhook_id)
        if webhook_id != APP_ID and (known is None or known[0] != request.match_info["token"]):
            return json_response({"message": "Unknown Webhook", "code": 10015}, 404)
        channel_id = int(request.query.get("thread_id") or (known[1] if known else 0))
        author = {
            "id": str(webhook_id),
            "username": "gapwatch",
            "discriminator": "0000",
            "avatar": None,
            "bot": True,
        }
        message = self._message(channel_id, request[CALL].json or {}, author)
        message["webhook_id"] = str(webhook_id)
        if request.query.get("wait", "").lower() in ("true", "1"):
            return json_response(message)
        return web.Response(status=204)

    async def _webhook_message(self, request: web.Request) -> web.Response:
        if request.method == "DELETE":
            return web.Response(status=204)
        data = request[CALL].json or {}
        author = {
            "id": str(APP_ID),
            "username": "gapwatch",
            "discriminator": "0",
            "avatar": None,
            "bot": True,
        }
        message = self._message(0, data, author)
        return json_response(message)

    async def _put_commands(self, request: web.Request) -> web.Response:
        if denied := self._unauthorized(request):
            return denied
        scope = request.match_info.get("guild_id", "global")
        commands = [
            {
                "id": str(self.snowflake()),
                "application_id": str(APP_ID),
                "version": "1",
                "type": 1,
                "default_member_permissions": None,
                "dm_permission": True,
                "nsfw": False,
                **command,
            }
            | ({"guild_id": scope} if scope != "global" else {})
            for command in (request[CALL].json or [])
        ]
        self.commands[scope] = commands
        return json_response(commands)

    async def _callback(self, request: web.Request) -> web.Response:
        body = request[CALL].json or {}
        self.interaction_responses.append(body)
        if request.query.get("with_response", "").lower() not in ("true", "1"):
            return web.Response(status=204)
        # discord.py >= 2.5 asks for the callback response (InteractionCallbackResponse)
        kind = int(body.get("type", 0))
        data = body.get("data") or {}
        interaction: dict[str, Any] = {
            "id": request.match_info["interaction_id"],
            "type": 2,
            "response_message_loading": kind == 5,
            "response_message_ephemeral": bool(int(data.get("flags") or 0) & 64),
        }
        resource: dict[str, Any] = {"type": kind}
        if kind in (4, 7):
            author = {"id": str(APP_ID), "username": "gapwatch", "discriminator": "0", "avatar": None}
            message = self._message(0, data, {**author, "bot": True})
            interaction["response_message_id"] = message["id"]
            resource["message"] = message
        return json_response({"interaction": interaction, "resource": resource})


_interaction_ids = itertools.count(1300000000000000000)


def interaction_payload(
    name: str,
    options: dict[str, Any],
    *,
    guild_id: int,
    channel_id: int,
    permissions: int = 0,
    kind: int = 2,
    focused: str | None = None,
    token: str | None = None,
) -> dict[str, Any]:
    """A CHAT_INPUT (kind 2) or AUTOCOMPLETE (kind 4) interaction as Discord sends it on the
    gateway (INTERACTION_CREATE) — for `discord.Interaction(data=...)` or the fake gateway."""
    opts = [
        {"name": k, "type": 3 if isinstance(v, str) else 4, "value": v}
        | ({"focused": True} if k == focused else {})
        for k, v in options.items()
    ]
    user = {"id": "777", "username": "alice", "discriminator": "0", "global_name": "Alice", "avatar": None}
    guild, channel = str(guild_id), str(channel_id)
    return {
        "id": str(next(_interaction_ids)),
        "application_id": str(APP_ID),
        "type": kind,
        "token": token or f"itok{next(_interaction_ids)}",
        "version": 1,
        "guild_id": guild,
        "channel_id": channel,
        "channel": {
            "id": channel,
            "type": 0,
            "guild_id": guild,
            "name": "general",
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
        },
        "member": {
            "user": user,
            "roles": [],
            "permissions": str(permissions),
            "joined_at": "2024-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
        },
        "app_permissions": "0",
        "locale": "en-US",
        "attachment_size_limit": 10_000_000,
        "entitlements": [],
        "data": {
            "id": str(next(_interaction_ids)),
            "name": name,
            "type": 1,
            "options": opts,
            "guild_id": guild,
        },
    }
