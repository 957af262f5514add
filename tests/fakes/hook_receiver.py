"""A receiver for the generic webhook sink on loopback: records each POST's raw body bytes.

async with HookReceiver() as hooks:
    hooks.url(HOOK)               # where the sink posts
    hooks.fail(HOOK, 429, retry_after=7)
    hooks.bodies[0]               # the exact bytes received (to check the HMAC signature)
"""

from __future__ import annotations

from aiohttp import web

from tests.fakes.loopback import LoopbackServer

HOOK = "/gapwatch"


class HookReceiver(LoopbackServer):
    def __init__(self) -> None:
        super().__init__()
        self.bodies: list[bytes] = []

    def routes(self, app: web.Application) -> None:
        app.router.add_post(HOOK, self._receive)

    async def _receive(self, request: web.Request) -> web.Response:
        self.bodies.append(await request.read())
        return web.json_response({"id": f"delivery-{len(self.bodies)}"})
