"""Chat connections that come back: retried with backoff when they fail at start or drop later.

`supervise` runs one connection attempt after another until stopped, and keeps the `Health`
record of the connection current, so /healthz says 503 while Discord or Slack is down. A
rejected token (ConfigError) is not retried: the connection stays down with that reason.
One warning when a connection goes down, one INFO line when it is back.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bot.errors import ConfigError
from bot.health import Health

log = logging.getLogger("gapwatch.services")

Attempt = Callable[[], Awaitable[None]]  # connect and stay connected; return or raise when it ends


@dataclass
class Backoff:
    base: float = 1.0
    ceiling: float = 300.0
    rand: Callable[[], float] = field(default=random.random)

    def delay(self, failures: int) -> float:
        """Seconds before attempt `failures + 1`: doubling from `base`, jittered, at most `ceiling`."""
        raw = min(self.ceiling, self.base * 2 ** max(0, failures - 1))
        return float(raw * (0.5 + self.rand() / 2))


async def wait_or_stop(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        pass


async def supervise(
    name: str, attempt: Attempt, health: Health, stop: asyncio.Event, backoff: Backoff | None = None
) -> None:
    """Run `attempt` again and again (with backoff between failures) until `stop` is set."""
    backoff = backoff or Backoff()
    failures = 0
    health.connecting(name)
    while not stop.is_set():
        try:
            await attempt()
            reason = "connection closed"
        except asyncio.CancelledError:
            raise
        except ConfigError as exc:
            health.disconnected(name, str(exc))
            log.error("%s: %s; not retrying (fix the config and restart)", name, exc)
            return
        except Exception as exc:  # any failure of the platform client: retry later
            reason = f"{type(exc).__name__}: {exc}".rstrip(": ")
        if stop.is_set():
            return
        current = health.connections.get(name)
        if current is not None and current.up:  # it had connected: a fresh outage
            failures = 0
        failures += 1
        health.disconnected(name, reason)
        delay = backoff.delay(failures)
        if failures == 1:
            log.warning("%s down (%s); retrying with backoff", name, reason[:200])
        else:
            log.debug("%s still down (%s); next try in %.0fs", name, reason[:200], delay)
        await wait_or_stop(stop, delay)


def mark_up(name: str, health: Health) -> None:
    """The connection is up (again): note it, and say so if it had been down."""
    was = health.connections.get(name)
    if was is not None and not was.up and was.attempts:
        log.info("%s connected again", name)
    health.connected(name)
