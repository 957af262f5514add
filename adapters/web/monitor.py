"""What the HTTP server and the scheduler share about the running bot: health heartbeats,
Prometheus metrics and read-only database views. Built once by the composition root."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from adapters.web.metrics import Metrics
from bot.domain import SourceHealth
from bot.health import Health


@dataclass
class Monitor:
    health: Health
    metrics: Metrics
    views: Any  # storage.views.Views: ping() and outbox(); adapters do not import storage
    sources: Callable[[], Awaitable[list[SourceHealth]]]  # the repository's source_health
    now: Callable[[], datetime]
    chat_lock: Any = None  # storage.chat_lock.ChatLock: one replica holds the chat connections

    @property
    def observers(self) -> Sequence[Callable[[Any], None]]:
        """Called by the scheduler after every cycle."""
        return [self.metrics.observe_cycle]
