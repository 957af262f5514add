"""The polling pipeline, in the order of the design diagram:

    poll -> ingest -> detect (+ cluster + route, in one transaction) -> deliver

`Pipeline.run_cycle()` runs the stages once; the scheduler calls it on a timer and
`gapwatch poll --once` calls it one time.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.errors import GapwatchError
from bot.pipeline.detect import DetectStats, detect_pending
from bot.pipeline.ingest import ingest, ingest_all
from bot.pipeline.poll import PollOutcome, Schedule, poll_sources, select_sources
from bot.pipeline.waves import FailureWaves
from bot.ports import AlertPlanner, ClaimDetector, ClaimVerifier, Clock, Source, Store

log = logging.getLogger("gapwatch.pipeline")

Deliver = Callable[[], Awaitable[Any]]
Refresh = Callable[["Pipeline"], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class CycleStats:
    polled: int
    failed: int
    new_items: int
    detect: DetectStats
    delivery: Any = None
    seconds: tuple[float, float, float] = (0.0, 0.0, 0.0)  # poll+ingest, detect, deliver

    def summary(self) -> str:
        poll, detect, deliver = self.seconds
        return (
            f"polled {self.polled} sources ({self.failed} failed), {self.new_items} new items, "
            f"{self.detect.claims} claims on {self.detect.items} items "
            f"({self.detect.baseline_items} baseline), delivery: {self.delivery}; "
            f"took {poll:.2f}s poll, {detect:.2f}s detect, {deliver:.2f}s deliver"
        )

    @property
    def eventful(self) -> bool:
        """Something a reader of the INFO log wants to know: new items, claims or deliveries."""
        delivery = self.delivery
        moved = any(getattr(delivery, n, 0) for n in ("sent", "retried", "parked", "rate_limited"))
        return bool(self.new_items or self.detect.claims or moved)


@dataclass
class Pipeline:
    store: Store
    sources: Mapping[str, Source]
    detector: ClaimDetector
    planner: AlertPlanner
    deliver: Deliver
    clock: Clock
    schedule: Schedule
    owner: str
    concurrency: int = 8
    lease_seconds: float = 600.0
    refresh: Refresh | None = None  # reloads frontier models and chat subscriptions per cycle
    verifier: ClaimVerifier | None = None  # optional LLM second opinion on low-confidence claims
    wave: int = 200  # sources polled and stored together: bounds the items held in memory
    outcomes: list[PollOutcome] = field(default_factory=list)  # the last wave's
    last: CycleStats | None = None
    failure_waves: FailureWaves = field(default_factory=FailureWaves)  # one warning per wave
    cycle_outcomes: list[PollOutcome] = field(default_factory=list)  # every wave's, this cycle

    async def poll(self, *, force: bool = False) -> tuple[int, int, int]:
        self.cycle_outcomes = []
        keys = await self.store.lease_due_sources(
            now=self.clock.now(),
            owner=self.owner,
            lease_seconds=self.lease_seconds,
            force=force,
            limit=max(100, len(self.sources)),
        )
        due = select_sources(self.sources, keys)
        new_items = failed = 0
        for start in range(0, len(due), self.wave):  # a wave's items are stored before the next
            wave_failed, wave_new = await self._poll_wave(due[start : start + self.wave])
            failed += wave_failed
            new_items += wave_new
        return len(due), failed, new_items

    async def _poll_wave(self, due: list[Source]) -> tuple[int, int]:
        """Poll some sources concurrently and store what they returned; (failed, new items)."""
        cursors = await self.store.source_cursors([source.spec for source in due])
        self.outcomes = await poll_sources(
            due, self.store, self.schedule, self.clock.now, concurrency=self.concurrency, cursors=cursors
        )
        self.failure_waves.observe(self.outcomes)
        self.cycle_outcomes.extend(self.outcomes)
        batch = await ingest_all(self.outcomes, self.store, self.schedule, self.clock.now)
        new_items = failed = 0
        for outcome in self.outcomes:
            if outcome.result is None:
                failed += 1
                continue
            if batch is not None:
                new_items += len(batch.get(outcome.spec.key, []))
                continue
            try:
                new_items += len(await ingest(outcome, self.store, self.schedule, self.clock.now))
            except GapwatchError as exc:  # this source's items could not be stored: skip it
                failed += 1
                log.error("source %s: cannot store its items: %s", outcome.spec.key, exc)
                at = self.clock.now()
                retry = self.schedule.retry_after_failure(outcome.spec, at, outcome.failures + 1)
                await self.store.record_failure(
                    outcome.spec, f"cannot store: {exc}", now=at, next_poll_at=retry
                )
        return failed, new_items

    async def run_cycle(self, *, force: bool = False) -> CycleStats:
        """Poll what is due (everything with force), detect, record, deliver what is due."""
        if self.refresh is not None:
            await self.refresh(self)
        started = time.perf_counter()
        polled = failed = new_items = 0
        detected = DetectStats()
        try:
            polled, failed, new_items = await self.poll(force=force)
        except GapwatchError as exc:  # e.g. the database refused: still deliver what is due
            log.error("poll stage failed: %s", exc)
        polled_at = time.perf_counter()
        try:
            detected = await detect_pending(
                self.store,
                self.detector,
                self.planner,
                self.clock.now,
                verifier=self.verifier,
                verify_threshold=getattr(self.verifier, "threshold", 0.7),
            )
        except GapwatchError as exc:
            log.error("detect stage failed: %s", exc)
        detected_at = time.perf_counter()
        delivery = await self.deliver()  # alerts and retries already in the outbox go out regardless
        seconds = (polled_at - started, detected_at - polled_at, time.perf_counter() - detected_at)
        stats = CycleStats(polled, failed, new_items, detected, delivery, seconds)
        self.last = stats
        # `run` says so only when something happened; `poll --once` (force) always reports its cycle
        log.log(logging.INFO if stats.eventful or force else logging.DEBUG, "cycle: %s", stats.summary())
        return stats
