"""The Hugging Face Hub webhook endpoint: `POST /webhooks/huggingface`.

The Hub POSTs a JSON event when a watched repo changes, with the webhook's secret echoed in
`X-Webhook-Secret`. A model repo created or updated under an organisation that a huggingface
source watches makes that source due at once, so the next scheduler tick (seconds away) lists
the org and fetches the new card; the event itself is never trusted for content.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence

from aiohttp import web

log = logging.getLogger("gapwatch.hub_webhook")

PATH = "/webhooks/huggingface"
MakeDue = Callable[[Sequence[str]], Awaitable[int]]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def watched_orgs(sources: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
    """(source key, author) pairs -> lower-case author -> source keys."""
    orgs: dict[str, list[str]] = {}
    for key, author in sources:
        orgs.setdefault(author.casefold(), []).append(key)
    return orgs


def hub_webhook(secret: str, orgs: Mapping[str, list[str]], make_due: MakeDue) -> Handler:
    """The aiohttp handler; `make_due` marks the given source keys due now."""

    async def handle(request: web.Request) -> web.StreamResponse:
        given = request.headers.get("X-Webhook-Secret", "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            return web.json_response({"ok": False, "error": "bad secret"}, status=401)
        try:
            event = json.loads(await request.read())
            repo = event["repo"]
            scope, action = str(event["event"]["scope"]), str(event["event"]["action"])
            name, kind = str(repo["name"]), str(repo.get("type", "model"))
        except (ValueError, KeyError, TypeError):
            return web.json_response({"ok": False, "error": "not a Hub webhook event"}, status=400)
        due: list[str] = []
        if kind == "model" and scope.startswith("repo") and action in ("create", "update", "move"):
            due = orgs.get(name.split("/", 1)[0].casefold(), [])
        if due:
            await make_due(due)
            log.info("hub webhook: %s %s %s -> polling %s now", scope, action, name, ", ".join(due))
        return web.json_response({"ok": True, "due": due})

    return handle
