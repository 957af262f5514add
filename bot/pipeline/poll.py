"""Poll stage: ask each due source for its items; one failing source never stops the others."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from bot.domain import PollResult, SourceSpec
from bot.errors import GapwatchError
from bot.ports import Source, Store

log = logging.getLogger("gapwatch.poll")


@dataclass(frozen=True, slots=True)
class PollOutcome:
    spec: SourceSpec
    result: PollResult | None  # None when the poll failed
    baseline: bool  # True on the source's first successful poll
    error: str | None = None
    failures: int = 0
    error_kind: str | None = None  # the error's class, e.g. "FetchTimeout", for metrics


@dataclass(frozen=True, slots=True)
class Schedule:
    """When a source is polled next: its interval (or the default) with ± jitter."""

    default_interval: float
    jitter: float
    rand: Callable[[], float] = random.random

    def next_poll(self, spec: SourceSpec, now: datetime) -> datetime:
        interval = spec.interval or self.default_interval
        spread = interval * self.jitter * (2 * self.rand() - 1)
        return now + timedelta(seconds=max(1.0, interval + spread))

    def retry_after_failure(self, spec: SourceSpec, now: datetime, failures: int) -> datetime:
        """Back off a failing source: 1, 2, 4 … minutes, never later than its normal interval."""
        interval = spec.interval or self.default_interval
        delay = min(interval, 60.0 * 2 ** min(failures - 1, 10))
        return now + timedelta(seconds=delay * (1 + self.jitter * self.rand()))


async def poll_one(
    source: Source, store: Store, schedule: Schedule, now: Callable[[], datetime]
) -> PollOutcome:
    spec = source.spec
    cursor = await store.source_cursor(spec)
    try:
        result = await source.poll(cursor, partial(store.known_keys, spec.key))
    except GapwatchError as exc:
        error, kind = str(exc), type(exc).__name__
    except Exception as exc:  # an adapter bug must not stop the other sources
        log.exception("source %s crashed", spec.key)
        error, kind = f"internal error: {type(exc).__name__}: {exc}", "InternalError"
    else:
        for warning in result.warnings:
            log.warning("source %s: %s", spec.key, warning)
        return PollOutcome(spec, result, baseline=cursor.first_poll)
    at = now()
    retry = schedule.retry_after_failure(spec, at, cursor.failures + 1)
    failures = await store.record_failure(spec, error, now=at, next_poll_at=retry)
    where = "" if error.startswith(spec.key) else f"{spec.key}: "
    # one warning per failure wave names every failing source (bot/pipeline/waves.py)
    log.debug("%s%s (failed %d in a row; next try %s)", where, error, failures, f"{retry:%H:%M:%S}")
    return PollOutcome(
        spec, None, baseline=cursor.first_poll, error=error, failures=failures, error_kind=kind
    )


async def poll_sources(
    sources: Sequence[Source],
    store: Store,
    schedule: Schedule,
    now: Callable[[], datetime],
    *,
    concurrency: int,
) -> list[PollOutcome]:
    """Poll the sources concurrently (bounded); per-source errors become failed outcomes."""
    gate = asyncio.Semaphore(concurrency)

    async def guarded(source: Source) -> PollOutcome:
        async with gate:
            return await poll_one(source, store, schedule, now)

    return list(await asyncio.gather(*(guarded(s) for s in sources)))


def select_sources(sources: Mapping[str, Source], keys: Sequence[str]) -> list[Source]:
    return [sources[key] for key in keys if key in sources]
