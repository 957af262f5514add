"""When each source is polled next.

A source's interval is its own `interval`, else, with adaptive polling, one fitted to how often it
publishes (a quarter of the typical gap between its newest entries, within `[min_interval,
max_interval]`), else the `[polling]` default; ± jitter spreads the polls. The publisher's hints
set a floor: nothing is polled before its answer said it stays fresh (Cache-Control max-age,
Expires, RSS `ttl`), nor before a rate limit's reset (`Retry-After`, `RateLimit`,
`x-ratelimit-reset`), which is honoured to the second. A failing source backs off 1, 2, 4 …
minutes up to its interval; one failing for longer than `pause_after` is paused and probed once a
day until it answers again.
"""

from __future__ import annotations

import itertools
import random
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain import PollResult, SourceSpec

DAY = 86400.0
RECENT_ENTRIES = 10  # newest entry dates used to estimate how often a source publishes
POLLS_PER_GAP = 4


def typical_gap(dates: Sequence[datetime]) -> float | None:
    """The median gap in seconds between the newest entries (None with fewer than 3 dates)."""
    newest = sorted(set(dates), reverse=True)[:RECENT_ENTRIES]
    if len(newest) < 3:
        return None
    gaps = [(a - b).total_seconds() for a, b in itertools.pairwise(newest)]
    return float(statistics.median(gaps))


@dataclass(frozen=True, slots=True)
class Schedule:
    """The polling cadence; see the module docstring. `rand` is injected for tests."""

    default_interval: float
    jitter: float
    rand: Callable[[], float] = random.random
    adaptive: bool = False
    min_interval: float = 300.0
    max_interval: float = 6 * 3600.0
    pause_after: float | None = 3 * DAY
    paused_probe: float = DAY

    def interval(self, spec: SourceSpec, recent: Sequence[datetime] = ()) -> float:
        """The source's interval before jitter and hints."""
        if spec.interval:
            return spec.interval
        gap = typical_gap(recent) if self.adaptive else None
        if gap is None:
            return self.default_interval
        low = min(self.min_interval, self.default_interval)
        high = max(self.max_interval, self.default_interval)
        return min(high, max(low, gap / POLLS_PER_GAP))

    def next_poll(
        self,
        spec: SourceSpec,
        now: datetime,
        result: PollResult | None = None,
        recent: Sequence[datetime] = (),
    ) -> datetime:
        """After a successful poll: the interval ± jitter, never before the publisher's hints."""
        interval = self.interval(spec, recent)
        delay = max(1.0, interval + interval * self.jitter * (2 * self.rand() - 1))
        if result is not None:
            if result.fresh_for:
                delay = max(delay, min(result.fresh_for, max(self.max_interval, interval)))
            if result.retry_after:
                delay = max(delay, result.retry_after)
        return now + timedelta(seconds=delay)

    def retry_after_failure(
        self, spec: SourceSpec, now: datetime, failures: int, *, retry_after: float | None = None
    ) -> datetime:
        """Back off a failing source: 1, 2, 4 … minutes, never later than its normal interval,
        and never before a rate limit's reset."""
        interval = spec.interval or self.default_interval
        delay = min(interval, 60.0 * 2 ** min(failures - 1, 10)) * (1 + self.jitter * self.rand())
        if retry_after is not None and retry_after > delay:
            delay = retry_after
        return now + timedelta(seconds=delay)

    def is_paused(self, failing_since: datetime | None, now: datetime) -> bool:
        """True once a source has failed for longer than `pause_after`."""
        if self.pause_after is None or failing_since is None:
            return False
        return (now - failing_since).total_seconds() >= self.pause_after

    def probe(self, now: datetime) -> datetime:
        """When a paused source is tried again."""
        return now + timedelta(seconds=self.paused_probe)
