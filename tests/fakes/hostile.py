"""A loopback server that misbehaves the ways real feeds and hostile hosts do.

Each path is one fault; `HOSTILE_FEEDS` names them for a config. The Hugging Face route
(`/api/models`) answers JSON that is not a model list.
"""

from __future__ import annotations

import functools
import zlib

from aiohttp import web

from tests.fakes.feeds import RSS, rss_feed
from tests.fakes.loopback import LoopbackServer

HOSTILE_FEEDS = {
    "gzip bomb": "/gzip-bomb",
    "over-size body": "/oversize",
    "endless redirects": "/loop/0",
    "slow drip": "/drip",
    "billion laughs": "/laughs",
    "invalid UTF-8": "/bad-utf8",
    "HTML as a feed": "/html",
    "empty body": "/empty",
    "404": "/missing",
    "410": "/gone",
    "100,000 entries": "/huge",
    "5 MB entry": "/big-entry",
}

_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY a "lollollollollollollollollollol">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
 <!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
]>
<rss version="2.0"><channel><title>laughs</title>
<item><title>&i;</title><guid>laugh-1</guid><description>&i;</description></item>
</channel></rss>"""


_BAD_UTF8 = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>\xff\xfe</title>'
    b"<item><title>caf\xe9 \xc3\x28 \xed\xa0\x80</title><guid>u-1</guid></item></channel></rss>"
)


@functools.cache
def gzip_bomb(megabytes: int = 256) -> bytes:
    """`megabytes` MB of zeros, gzip-compressed (about 1,000 times smaller)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = b"\0" * 1_000_000
    return b"".join(packer.compress(zeros) for _ in range(megabytes)) + packer.flush()


@functools.cache
def huge_feed(entries: int = 100_000) -> bytes:
    items = "".join(
        f"<item><title>{n}</title><guid>h{n}</guid></item>"  # about 4 MB: under the size cap
        for n in range(entries)
    )
    head = '<?xml version="1.0"?><rss version="2.0"><channel><title>huge</title>'
    return f"{head}{items}</channel></rss>".encode()


@functools.cache
def big_entry(size: int = 5_000_000) -> bytes:
    text = "Orca-5 outperforms GPT-4o on MMLU. " + "padding " * (size // 8)
    entry = {"title": "Orca-5", "guid": "big-1", "link": "https://big.example/1", "summary": text}
    return rss_feed([entry]).encode()


class HostileServer(LoopbackServer):
    drip_interval = 0.5

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/gzip-bomb", self._gzip_bomb)
        app.router.add_get("/oversize", self._oversize)
        app.router.add_get("/loop/{n}", self._loop)
        app.router.add_get("/drip", self._drip)
        app.router.add_get("/{tail:.*}", self._fixed)

    async def _fixed(self, request: web.Request) -> web.Response:
        path = request.path
        if path == "/gone":
            return web.Response(status=410, text="gone")
        bodies = {
            "/laughs": (_LAUGHS, RSS),
            "/bad-utf8": (_BAD_UTF8, RSS),
            "/html": (b"<!doctype html><html><body><h1>Our blog</h1><p>hello</p></body></html>", "text/html"),
            "/empty": (b"", RSS),
            "/api/models": (b'{"error": [1, 2, {"id": 5}], "models": "soon"', "application/json"),
            "/huge": (huge_feed(), RSS),
            "/big-entry": (big_entry(), RSS),
        }
        if path not in bodies:
            return web.Response(status=404, text="not found")
        body, content_type = bodies[path]
        return web.Response(body=body, headers={"Content-Type": content_type})

    async def _gzip_bomb(self, _request: web.Request) -> web.Response:
        headers = {"Content-Type": RSS, "Content-Encoding": "gzip"}
        return web.Response(body=gzip_bomb(), headers=headers)

    async def _oversize(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": RSS})
        response.enable_chunked_encoding()  # no Content-Length to refuse up front
        await response.prepare(request)
        try:
            for _ in range(400):  # 25 MB
                await response.write(b"<" * 65536)
        except (ConnectionError, RuntimeError):
            pass
        return response

    async def _loop(self, request: web.Request) -> web.Response:
        step = int(request.match_info["n"]) + 1
        return web.Response(status=302, headers={"Location": f"/loop/{step}"})

    async def _drip(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": RSS})
        response.enable_chunked_encoding()
        await response.prepare(request)
        try:
            for char in b'<?xml version="1.0"?><rss version="2.0"><channel>' * 1000:
                await response.write(bytes([char]))
                await self.pause(self.drip_interval)
                if self._closing.is_set():
                    break
        except (ConnectionError, RuntimeError):
            pass
        return response
