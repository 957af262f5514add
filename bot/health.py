"""Is the bot healthy? The state `/healthz` and the status page read, kept by the scheduler
and the chat services (platform-free: no HTTP, no database here).

Healthy means: the database answers (checked by the caller at request time), the scheduler
loop is alive, the last cycle finished less than three intervals ago, and every chat
connection that is configured is up. Each failing condition is one short reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

STALE_CYCLES = 3  # the last cycle is older than this many intervals: unhealthy


@dataclass
class Connection:
    """A chat connection (Discord gateway, Slack Socket Mode) as the service sees it."""

    up: bool = False
    since: datetime | None = None
    error: str | None = None
    attempts: int = 0  # failed attempts since the last success


@dataclass
class Health:
    """Heartbeats written by the scheduler and the services, read by /healthz and `/`."""

    now: Callable[[], datetime]
    interval: float  # seconds between cycles the scheduler promises
    started: datetime | None = None
    scheduler_alive: bool = False
    last_cycle: datetime | None = None
    last_summary: str | None = None
    connections: dict[str, Connection] = field(default_factory=dict)

    # --- writers ----------------------------------------------------------------------------

    def scheduler_started(self) -> None:
        self.started = self.now()
        self.scheduler_alive = True

    def scheduler_stopped(self) -> None:
        self.scheduler_alive = False

    def cycle_finished(self, summary: str) -> None:
        self.last_cycle = self.now()
        self.last_summary = summary

    def connecting(self, name: str) -> None:
        self.connections.setdefault(name, Connection())

    def connected(self, name: str) -> None:
        self.connections[name] = Connection(up=True, since=self.now())

    def disconnected(self, name: str, error: str) -> None:
        previous = self.connections.get(name) or Connection()
        since = previous.since if not previous.up and previous.since else self.now()
        self.connections[name] = Connection(
            up=False, since=since, error=error, attempts=previous.attempts + 1
        )

    def forget(self, name: str) -> None:
        self.connections.pop(name, None)

    # --- readers ----------------------------------------------------------------------------

    def problems(self, *, database_error: str | None = None) -> list[str]:
        """Why the bot is not healthy; empty when it is."""
        reasons: list[str] = []
        if database_error:
            reasons.append(f"database: {database_error}")
        if not self.scheduler_alive:
            reasons.append("scheduler: not running")
        limit = timedelta(seconds=STALE_CYCLES * self.interval)
        reference = self.last_cycle or self.started
        if self.scheduler_alive and reference is not None and self.now() - reference > limit:
            age = (self.now() - reference).total_seconds()
            what = f"last cycle {age:.0f}s ago" if self.last_cycle else f"no cycle in {age:.0f}s since start"
            reasons.append(f"scheduler: {what} (limit {limit.total_seconds():.0f}s)")
        for name, conn in sorted(self.connections.items()):
            if not conn.up:
                down = f" since {conn.since:%Y-%m-%d %H:%M:%S}" if conn.since else ""
                reasons.append(f"{name}: down{down} ({conn.error or 'connecting'})")
        return reasons
