"""The polling pipeline, in the order of the design diagram:

    poll -> ingest -> detect (+ cluster + route, in one transaction) -> deliver

`Pipeline.run_cycle()` runs the stages once; the scheduler calls it on a timer and
`gapwatch poll --once` calls it one time. Each source's poll has a deadline, and so do the
detect and deliver stages; the source leases are short and renewed while their polls run, so a
crashed process's sources are picked up by another within one lease. A database outage is
logged once when it starts and once when it ends (`outage.DatabaseOutage`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.errors import GapwatchError, StoreError
from bot.pipeline.detect import DetectStats, detect_pending
from bot.pipeline.ingest import cap_text, ingest, ingest_all
from bot.pipeline.outage import DatabaseOutage
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
    lease_seconds: float = 60.0  # source lease; renewed every third of it while polls run
    source_timeout: float = 120.0  # one source's poll
    stage_timeout: float = 300.0  # the detect stage, and the deliver stage
    max_item_chars: int = 200_000  # an item's text is cut to this length before it is stored
    early_after: float = 5.0  # while sources still poll, deliver what the others brought this often
    renew_wait: Callable[[float], Awaitable[None]] = asyncio.sleep  # tests drive renewals
    refresh: Refresh | None = None  # reloads frontier models and chat subscriptions per cycle
    verifier: ClaimVerifier | None = None  # optional LLM second opinion on low-confidence claims
    wave: int = 200  # sources polled and stored together: bounds the items held in memory
    outcomes: list[PollOutcome] = field(default_factory=list)  # the last wave's
    last: CycleStats | None = None
    outage: DatabaseOutage = field(default_factory=DatabaseOutage)
    _writing: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)  # ingest vs detect
    _fresh: bool = field(default=False, repr=False)  # items stored since the last detect
    _detect_seconds: float = field(default=0.0, repr=False)
    _deliver_seconds: float = field(default=0.0, repr=False)

    failure_waves: FailureWaves = field(default_factory=FailureWaves)  # one warning per wave
    cycle_outcomes: list[PollOutcome] = field(default_factory=list)  # every wave's, this cycle

    async def poll(self, *, force: bool = False) -> tuple[int, int, int]:
        """Lease and poll the due sources; each one's items are stored as soon as it finishes.

        Returns:
            (sources polled, sources failed, new items).
        """
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
        renewing = asyncio.create_task(self._renew_leases([s.spec.key for s in due]))
        try:
            for start in range(0, len(due), self.wave):  # a wave's items are stored before the next
                wave_failed, wave_new = await self._poll_wave(due[start : start + self.wave])
                failed += wave_failed
                new_items += wave_new
        finally:
            renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewing
        return len(due), failed, new_items

    async def _poll_wave(self, due: list[Source]) -> tuple[int, int]:
        """Poll some sources concurrently; (failed, new items). What finished is stored in a batch
        every fifth of `early_after`, so slow sources do not hold back the others."""
        cursors = await self.store.source_cursors([source.spec for source in due])
        finished: list[PollOutcome] = []

        async def collect(outcome: PollOutcome) -> None:
            finished.append(outcome)

        polling = asyncio.create_task(
            poll_sources(
                due,
                self.store,
                self.schedule,
                self.clock.now,
                concurrency=self.concurrency,
                cursors=cursors,
                deadline=self.source_timeout,
                on_outcome=collect,
            )
        )
        failed = new_items = 0
        try:
            while True:
                done, _ = await asyncio.wait({polling}, timeout=self.early_after / 5)
                ready, finished[:] = finished[:], []
                if ready:
                    wave_failed, wave_new = await self._store(ready)
                    failed, new_items = failed + wave_failed, new_items + wave_new
                if done:
                    break
            self.outcomes = polling.result()
        finally:
            polling.cancel()
        self.failure_waves.observe(self.outcomes)
        self.cycle_outcomes.extend(self.outcomes)
        return failed, new_items

    async def _store(self, outcomes: list[PollOutcome]) -> tuple[int, int]:
        """Store finished polls in one batch (source by source when the batch fails)."""
        outcomes = [cap_text(o, self.max_item_chars) for o in outcomes]
        async with self._writing:
            batch = await ingest_all(outcomes, self.store, self.schedule, self.clock.now)
            new_items = failed = 0
            for outcome in outcomes:
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
        self._fresh = self._fresh or new_items > 0
        return failed, new_items

    async def _renew_leases(self, keys: Sequence[str]) -> None:
        """While the polls run, keep their leases alive (a crash lets them lapse quickly)."""
        while keys:
            await self.renew_wait(self.lease_seconds / 3)
            try:
                await self.store.renew_source_leases(
                    keys, now=self.clock.now(), owner=self.owner, lease_seconds=self.lease_seconds
                )
            except GapwatchError as exc:
                log.debug("could not renew source leases: %s", exc)

    def _stage_failed(self, stage: str, exc: BaseException) -> None:
        if isinstance(exc, StoreError | OSError):
            self.outage.failed(stage, exc)
        else:
            log.error("%s stage failed: %s", stage, exc)

    async def run_cycle(self, *, force: bool = False) -> CycleStats:
        """Poll what is due (everything with force), detect, record, deliver what is due.

        While some sources are still polling, every `early_after` seconds what the others
        brought is detected and delivered; the stragglers follow when they finish or hit their
        deadline.
        """
        if self.refresh is not None:
            try:
                await self.refresh(self)
            except (GapwatchError, OSError) as exc:  # keep the detector and routes we have
                self._stage_failed("refresh", exc)
        started = time.perf_counter()
        polling = asyncio.create_task(self._poll_stage(force))
        early = DetectStats()
        try:
            while not (await asyncio.wait({polling}, timeout=self.early_after))[0]:
                if self._fresh:  # sources still polling: deliver what the finished ones brought
                    self._fresh = False
                    more, delivery = await self._detect_and_deliver()
                    early = _add(early, more)
                    log.info("sources still polling; delivered early: %s", delivery)
            polled, failed, new_items = await polling
        finally:
            polling.cancel()
        polled_at = time.perf_counter()
        self.outage.last_stage()
        detected, delivery = await self._detect_and_deliver()
        detected = _add(detected, early)
        self.outage.cycle_done()
        seconds = (polled_at - started, self._detect_seconds, self._deliver_seconds)
        stats = CycleStats(polled, failed, new_items, detected, delivery, seconds)
        self.last = stats
        # `run` says so only when something happened; `poll --once` (force) always reports its cycle
        log.log(logging.INFO if stats.eventful or force else logging.DEBUG, "cycle: %s", stats.summary())
        return stats

    async def _poll_stage(self, force: bool) -> tuple[int, int, int]:
        try:
            return await self.poll(force=force)
        except (GapwatchError, OSError) as exc:  # e.g. the database refused: still deliver what is due
            self._stage_failed("poll", exc)
            return 0, 0, 0

    async def _detect_and_deliver(self) -> tuple[DetectStats, Any]:
        """Detect the stored items not yet detected, then deliver what is due; each under the
        stage deadline."""
        detected, delivery = DetectStats(), None
        began = time.perf_counter()
        try:
            async with self._writing, asyncio.timeout(self.stage_timeout):
                detected = await detect_pending(
                    self.store,
                    self.detector,
                    self.planner,
                    self.clock.now,
                    verifier=self.verifier,
                    verify_threshold=getattr(self.verifier, "threshold", 0.7),
                )
        except TimeoutError:
            log.error("detect stage cut off after %gs; the rest is detected next cycle", self.stage_timeout)
        except (GapwatchError, OSError) as exc:
            self._stage_failed("detect", exc)
        detected_at = time.perf_counter()
        try:  # alerts and retries already in the outbox go out regardless
            async with asyncio.timeout(self.stage_timeout):
                delivery = await self.deliver()
        except TimeoutError:
            log.error("deliver stage cut off after %gs; undelivered alerts stay due", self.stage_timeout)
        except (GapwatchError, OSError) as exc:
            self._stage_failed("deliver", exc)
        self._detect_seconds, self._deliver_seconds = detected_at - began, time.perf_counter() - detected_at
        return detected, delivery


def _add(a: DetectStats, b: DetectStats) -> DetectStats:
    relations = Counter(a.relations)
    relations.update(b.relations)
    return DetectStats(
        a.items + b.items, a.claims + b.claims, a.baseline_items + b.baseline_items, relations=dict(relations)
    )
