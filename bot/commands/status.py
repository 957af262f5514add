"""/sources (polling health) and /status (outbox depth, parked deliveries, counts, version)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain import SourceHealth, StoreCounts

PARKED_SHOWN = 5


@dataclass(frozen=True, slots=True)
class SourcesReply:
    sources: tuple[SourceHealth, ...]  # failing first
    now: datetime

    @property
    def failing(self) -> int:
        return sum(1 for s in self.sources if s.failures > 0)


@dataclass(frozen=True, slots=True)
class ParkedLine:
    destination: str
    summary: str
    last_error: str | None


@dataclass(frozen=True, slots=True)
class StatusReply:
    version: str
    outbox_depth: int
    parked_count: int  # capped by the query limit; `parked_more` says when there are more
    parked_more: bool
    parked: tuple[ParkedLine, ...]
    counts: StoreCounts
    tracked: int
    failing_sources: int


def order_sources(sources: list[SourceHealth]) -> tuple[SourceHealth, ...]:
    """Failing sources first (most failures first), then by name."""
    return tuple(sorted(sources, key=lambda s: (-s.failures, s.name.lower())))
