"""Bodies decompressed as they arrive, never past the size cap (a gzip bomb stays small).

httpx inflates each network chunk whole: 64 KB of a gzip bomb becomes some 64 MB in one step.
`inflate` asks zlib for at most the bytes still allowed, so memory stays near the cap.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator

INFLATABLE = frozenset({"gzip", "x-gzip", "deflate"})


class TooLarge(Exception):
    """Internal: the decoded body passed the cap."""


class Undecodable(Exception):
    """Internal: the body is not the compressed stream its Content-Encoding says."""


async def inflate(raw: AsyncIterator[bytes], limit: int) -> bytes:
    """Decode a gzip or zlib-wrapped deflate stream (the header is detected), at most `limit` bytes.

    Raises:
        TooLarge: the decoded body is longer than `limit`.
        Undecodable: the stream is corrupt.
    """
    decoder = zlib.decompressobj(32 + zlib.MAX_WBITS)  # gzip or zlib header, auto-detected
    body = bytearray()
    try:
        async for chunk in raw:
            data = chunk
            while data:
                body += decoder.decompress(data, limit + 1 - len(body))
                if len(body) > limit:
                    raise TooLarge
                data = decoder.unconsumed_tail
        body += decoder.flush()
    except zlib.error as exc:
        raise Undecodable(str(exc)) from exc
    if len(body) > limit:
        raise TooLarge
    return bytes(body)
