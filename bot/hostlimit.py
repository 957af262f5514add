"""A per-host rate limit shared by every source on that host (used by bot/fetch.py).

Requests to one host start at least `interval` seconds apart, whichever source makes them. When a
host answers a rate limit whose reset is too far away to wait for inline, the host is blocked
until then: every source on it gets the same `retry_after` at once, without a request, instead
of each one spending its own request to learn it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable


class HostLimiter:
    """Spacing and blocks per host key (`host:port`). Time and sleep are injected."""

    def __init__(
        self, interval: float, *, clock: Callable[[], float], sleep: Callable[[float], Awaitable[None]]
    ) -> None:
        self.interval = max(0.0, interval)
        self._clock = clock
        self._sleep = sleep
        self._next: dict[str, float] = {}
        self._blocked: dict[str, float] = {}

    def blocked_for(self, host: str) -> float | None:
        """Seconds until the host's rate limit resets, or None when it is not blocked."""
        until = self._blocked.get(host)
        if until is None:
            return None
        left = until - self._clock()
        if left <= 0:
            del self._blocked[host]
            return None
        return left

    def block(self, host: str, seconds: float) -> None:
        """No request to `host` for `seconds` (a rate limit's reset)."""
        self._blocked[host] = max(self._blocked.get(host, 0.0), self._clock() + seconds)

    async def wait_turn(self, host: str) -> None:
        """Wait until a request to `host` may start, and book the next slot."""
        if self.interval <= 0:
            return
        now = self._clock()
        slot = max(now, self._next.get(host, now))
        self._next[host] = slot + self.interval
        if slot > now:
            await self._sleep(slot - now)
