"""Ingest stage: store what a poll returned; dedup by canonical key happens in storage."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from bot.domain import Item
from bot.errors import GapwatchError
from bot.pipeline.poll import PollOutcome, Schedule
from bot.ports import Store

log = logging.getLogger("gapwatch.ingest")


async def ingest(
    outcome: PollOutcome, store: Store, schedule: Schedule, now: Callable[[], datetime]
) -> list[Item]:
    """Record a successful poll and return the items never seen before.

    On a source's first poll the items are stored as a baseline: they are returned too, but the
    detect stage records their claims as history without alerting (no flood of old news).
    """
    if outcome.result is None:
        return []
    at = now()
    next_poll = schedule.next_poll(outcome.spec, at, outcome.result, _recent(outcome))
    new = await store.record_poll(outcome.spec, outcome.result, now=at, next_poll_at=next_poll)
    _log_ingested(outcome, new)
    return new


async def ingest_all(
    outcomes: Sequence[PollOutcome], store: Store, schedule: Schedule, now: Callable[[], datetime]
) -> dict[str, list[Item]] | None:
    """Record every successful poll of a cycle in one transaction (a statement per batch, not
    per item or per source); the new items per source key. None when the batch failed: the
    caller then records source by source, so one source the database refuses fails alone."""
    ok = [o for o in outcomes if o.result is not None]
    if not ok:
        return {}
    at = now()
    polls = [
        (o.spec, o.result, schedule.next_poll(o.spec, at, o.result, _recent(o)))
        for o in ok
        if o.result is not None
    ]
    try:
        new = await store.record_polls(polls, now=at)
    except GapwatchError as exc:
        log.warning("storing %d polls at once failed (%s); storing them one by one", len(polls), exc)
        return None
    for outcome in ok:
        _log_ingested(outcome, new.get(outcome.spec.key, []))
    return new


def _log_ingested(outcome: PollOutcome, new: list[Item]) -> None:
    if outcome.result is not None and outcome.result.not_modified:
        log.debug("source %s: not modified", outcome.spec.key)
    elif outcome.baseline:
        log.info("source %s: baseline of %d items recorded (no alerts)", outcome.spec.key, len(new))
    elif new:
        log.info("source %s: %d new items", outcome.spec.key, len(new))


def _recent(outcome: PollOutcome) -> list[datetime]:
    """Entry dates for adaptive polling: the stored ones and those of this poll."""
    dates = list(outcome.recent)
    if outcome.result is not None:
        dates += [i.published for i in outcome.result.items if i.published is not None]
    return dates
