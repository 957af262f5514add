"""A fake Slack Web API on loopback, for the real slack_sdk AsyncWebClient (and bolt's AsyncApp).

    async with SlackAPI() as api:
        client = AsyncWebClient(token="xoxb-test", base_url=api.api_base)
        api.rate_limit("chat.postMessage", retry_after=3)
        api.error("chat.postMessage", "channel_not_found")
        ...
        api.messages["C01"]         # [{"ts", "text", "blocks", "thread_ts", ...}]
        api.calls_to("POST", "/api/chat.postMessage")[0].json

Socket Mode: apps.connections.open (app token xapp-…) answers ws://…/link/; envelopes put on
`api.socket_envelopes` are pushed to the connected client, and what it sends back (acks) lands in
`api.socket_received`.

Methods: auth.test, chat.postMessage, chat.update, conversations.info,
files.getUploadURLExternal (returns an upload_url on this server), the upload POST itself,
files.completeUploadExternal. Any other method answers {"ok": true}. A token that is not
"Bearer xoxb-..."/"xoxp-..." gets `invalid_auth`, as Slack does. Rate limits: HTTP 429 with
`Retry-After` and {"ok": false, "error": "ratelimited"}.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import defaultdict
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakes.chat_server import CALL, Call, ChatServer, Reply, json_response

__all__ = ["BOT_USER_ID", "Call", "Reply", "SlackAPI"]

BOT_USER_ID = "U0GAPWATCH"
TEAM_ID = "T0TEAM"


class SlackAPI(ChatServer):
    def __init__(self) -> None:
        super().__init__()
        self._n = itertools.count(1)
        self.messages: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.uploads: dict[str, bytes] = {}  # file id -> bytes uploaded
        self.completed: list[dict[str, Any]] = []  # files.completeUploadExternal arguments
        self.responses: list[dict[str, Any]] = []  # bodies posted to response_url()
        # Socket Mode: envelopes to push to a connected client, and what it sent back (acks)
        self.socket_envelopes: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.socket_received: list[dict[str, Any]] = []
        self.socket_connections = 0

    @property
    def api_base(self) -> str:
        return f"{self.base_url}/api/"

    def rate_limit(self, method: str, retry_after: int, *, times: int = 1) -> None:
        reply = Reply(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)})
        self.script("POST", f"/api/{method}", *[reply] * times)

    def error(self, method: str, error: str, *, times: int = 1, status: int = 200) -> None:
        self.script("POST", f"/api/{method}", *[Reply(status, {"ok": False, "error": error})] * times)

    def response_url(self, hook: str = "cmd") -> str:
        """A slash command's response_url on this server; posts to it land in `responses`."""
        return f"{self.base_url}/respond/{hook}"

    def routes(self, app: web.Application) -> None:
        app.router.add_route("*", "/api/{method}", self._dispatch)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_post("/respond/{hook}", self._respond)
        app.router.add_get("/link/", self._socket)

    @staticmethod
    def _args(call: Call) -> dict[str, Any]:
        args: dict[str, Any] = dict(call.query)
        args.update(call.form)
        if isinstance(call.json, dict):
            args.update(call.json)
        return args

    async def _dispatch(self, request: web.Request) -> web.Response:
        auth = request.headers.get("Authorization", "")
        if request.match_info["method"] == "apps.connections.open":  # Socket Mode, app-level token
            if not auth.startswith("Bearer xapp-"):
                return json_response({"ok": False, "error": "not_allowed_token_type"})
            return json_response({"ok": True, "url": f"ws://127.0.0.1:{self.port}/link/?ticket=t1"})
        if not auth.startswith(("Bearer xoxb-", "Bearer xoxp-")):
            return json_response({"ok": False, "error": "invalid_auth"})
        method = request.match_info["method"]
        args = self._args(request[CALL])
        handler = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._post_message,
            "chat.update": self._update,
            "conversations.info": self._conversation,
            "files.getUploadURLExternal": self._upload_url,
            "files.completeUploadExternal": self._complete_upload,
        }.get(method)
        return json_response(handler(args) if handler else {"ok": True})

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        """Socket Mode: say hello, push queued envelopes, record what the client sends back."""
        ws = web.WebSocketResponse(heartbeat=None)
        await ws.prepare(request)
        self.socket_connections += 1
        await ws.send_json({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0GAP"}})

        async def push() -> None:
            while True:
                await ws.send_json(await self.socket_envelopes.get())

        pusher = asyncio.create_task(push())
        try:
            async for message in ws:
                if message.type == WSMsgType.TEXT:
                    self.socket_received.append(json.loads(message.data))
        finally:
            pusher.cancel()
        return ws

    def _auth_test(self, _args: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://fake.slack.com/",
            "team": "Fake",
            "user": "gapwatch",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": "B0GAPWATCH",
            "is_enterprise_install": False,
        }

    def _post_message(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel", ""))
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        n = next(self._n)
        message = {
            "type": "message",
            "ts": f"{1700000000 + n}.{n:06d}",
            "user": BOT_USER_ID,
            "text": args.get("text", ""),
            "blocks": args.get("blocks", []),
        }
        if args.get("thread_ts"):
            message["thread_ts"] = str(args["thread_ts"])
        self.messages[channel].append(message)
        return {"ok": True, "channel": channel, "ts": message["ts"], "message": message}

    def _update(self, args: dict[str, Any]) -> dict[str, Any]:
        channel, ts = str(args.get("channel", "")), str(args.get("ts", ""))
        for message in self.messages.get(channel, []):
            if message["ts"] == ts:
                message.update(
                    text=args.get("text", message["text"]), blocks=args.get("blocks", message["blocks"])
                )
                return {"ok": True, "channel": channel, "ts": ts, "text": message["text"]}
        return {"ok": False, "error": "message_not_found"}

    def _conversation(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel", ""))
        return {
            "ok": True,
            "channel": {
                "id": channel,
                "name": f"chan-{channel.lower()}",
                "is_channel": True,
                "is_member": True,
            },
        }

    def _upload_url(self, args: dict[str, Any]) -> dict[str, Any]:
        file_id = f"F{next(self._n):08d}"
        return {"ok": True, "upload_url": f"{self.base_url}/upload/{file_id}", "file_id": file_id}

    async def _upload(self, request: web.Request) -> web.Response:
        call: Call = request[CALL]
        file_id = request.match_info["file_id"]
        parts = [v["bytes"] for v in call.form.values() if isinstance(v, dict) and "bytes" in v]
        self.uploads[file_id] = parts[0] if parts else call.body
        return web.Response(status=200, text=f"OK - {len(self.uploads[file_id])}")

    def _complete_upload(self, args: dict[str, Any]) -> dict[str, Any]:
        self.completed.append(args)
        files = args.get("files", [])
        if isinstance(files, str):
            import json

            files = json.loads(files)
        return {
            "ok": True,
            "files": [
                {"id": f["id"], "title": f.get("title", ""), "name": f.get("title", "")} for f in files
            ],
        }

    async def _respond(self, request: web.Request) -> web.Response:
        body = self._args(request[CALL])
        self.responses.append(body)
        return web.Response(status=200, text="ok")
