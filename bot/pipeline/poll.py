"""Poll stage: ask each due source for its items; one failing source never stops the others.

Each source's poll runs under a deadline (`[polling] source_timeout`): a source that overruns is
cut off, recorded as failed with the reason and retried later, so the sources that finished
go on to detection and delivery without waiting for it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from bot.domain import PollResult, SourceCursor, SourceSpec
from bot.errors import GapwatchError, HTTPStatusError
from bot.pipeline.cadence import Schedule
from bot.ports import Source, Store

__all__ = ["PollOutcome", "Schedule", "poll_one", "poll_sources", "select_sources"]

log = logging.getLogger("gapwatch.poll")


@dataclass(frozen=True, slots=True)
class PollOutcome:
    spec: SourceSpec
    result: PollResult | None  # None when the poll failed
    baseline: bool  # True on the source's first successful poll
    error: str | None = None
    failures: int = 0
    recent: tuple[datetime, ...] = ()  # the newest stored entry dates, for adaptive polling
    paused: bool = False  # this failure paused the source
    error_kind: str | None = None  # the error's class, e.g. "FetchTimeout", for metrics


async def poll_one(
    source: Source,
    store: Store,
    schedule: Schedule,
    now: Callable[[], datetime],
    cursor: SourceCursor | None = None,
    *,
    deadline: float = 120.0,
) -> PollOutcome:
    spec = source.spec
    if cursor is None:  # the cycle reads every due source's state at once and passes it in
        cursor = await store.source_cursor(spec)
    wait: float | None = None
    gone = False  # 410 Gone: the publisher retired the feed; stop polling it until restart
    try:
        async with asyncio.timeout(deadline):
            result = await source.poll(cursor, partial(store.known_keys, spec.key))
    except TimeoutError:
        error, kind = f"poll cut off after {deadline:g}s (source too slow)", "SourceTimeout"
    except HTTPStatusError as exc:
        error, kind = str(exc), type(exc).__name__
        wait = exc.retry_after
        gone = exc.status == 410
    except GapwatchError as exc:
        error, kind = str(exc), type(exc).__name__
        wait = getattr(exc, "retry_after", None)
    except Exception as exc:  # an adapter bug must not stop the other sources
        log.exception("source %s crashed", spec.key)
        error, kind = f"internal error: {type(exc).__name__}: {exc}", "InternalError"
    else:
        for warning in result.warnings:
            log.warning("source %s: %s", spec.key, warning)
        return PollOutcome(spec, result, baseline=cursor.first_poll, recent=cursor.recent)
    at = now()
    paused = schedule.is_paused(cursor.failing_since, at)
    retry = schedule.retry_after_failure(spec, at, cursor.failures + 1, retry_after=wait)
    if paused:
        retry = max(retry, schedule.probe(at))
    failures = await store.record_failure(
        spec, error, now=at, next_poll_at=retry, paused=paused, disable=gone
    )
    where = "" if error.startswith(spec.key) else f"{spec.key}: "
    # one warning per failure wave names every failing source (bot/pipeline/waves.py)
    if gone:
        log.warning("%s%s: gone for good, source deactivated (remove it from the config)", where, error)
    else:
        state = "paused, probed daily" if paused else f"failed {failures} in a row"
        log.debug("%s%s (%s; next try %s)", where, error, state, f"{retry:%Y-%m-%d %H:%M:%S}")
    return PollOutcome(
        spec, None, baseline=cursor.first_poll, error=error, failures=failures, paused=paused, error_kind=kind
    )


async def poll_sources(
    sources: Sequence[Source],
    store: Store,
    schedule: Schedule,
    now: Callable[[], datetime],
    *,
    concurrency: int,
    cursors: Mapping[str, SourceCursor] | None = None,
    deadline: float = 120.0,
    on_outcome: Callable[[PollOutcome], Awaitable[None]] | None = None,
) -> list[PollOutcome]:
    """Poll the sources concurrently (bounded); per-source errors and overruns become failed
    outcomes. `cursors` holds the sources' state read beforehand (a source missing from it is
    new); `deadline` bounds each source's poll, counted from when it starts; `on_outcome` runs as
    each source finishes."""
    gate = asyncio.Semaphore(concurrency)

    async def guarded(source: Source) -> PollOutcome:
        cursor = None if cursors is None else cursors.get(source.spec.key, SourceCursor())
        async with gate:
            outcome = await poll_one(source, store, schedule, now, cursor, deadline=deadline)
        if on_outcome is not None:
            await on_outcome(outcome)
        return outcome

    return list(await asyncio.gather(*(guarded(s) for s in sources)))


def select_sources(sources: Mapping[str, Source], keys: Sequence[str]) -> list[Source]:
    return [sources[key] for key in keys if key in sources]
