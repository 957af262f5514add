"""The long-running bot: poll on schedule, deliver, serve chat commands; stop gracefully.

A tick runs one pipeline cycle (only sources that are due are polled; the outbox delivers what
is due, including retries). SIGTERM/SIGINT set a stop event: the cycle in flight gets `grace`
seconds to finish and is then cancelled (what it left undone is redone next start: leases lapse,
outbox rows stay due), then the chat clients and the HTTP server are closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.health import Health
from bot.pipeline import CycleStats, Pipeline
from bot.ports import RunningServices

log = logging.getLogger("gapwatch.scheduler")

Wait = Callable[[asyncio.Event, float], Awaitable[None]]
Observer = Callable[[Pipeline], None]  # called after every cycle (metrics)


async def wait_or_stop(stop: asyncio.Event, seconds: float) -> None:
    """Sleep `seconds`, returning early when `stop` is set."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=max(0.0, seconds))


@dataclass
class Scheduler:
    pipeline: Pipeline
    tick: float = 15.0
    wait: Wait = wait_or_stop
    max_cycles: int | None = None  # tests stop after N cycles
    grace: float = 5.0  # after a stop request, how long the cycle in flight may still run
    health: Health | None = None  # heartbeats for /healthz
    observers: Sequence[Observer] = ()
    wake: asyncio.Event | None = None  # set (e.g. by a Hub webhook) to run the next cycle now

    async def run(self, stop: asyncio.Event) -> int:
        """Run cycles until `stop` is set; a failing cycle is logged and retried next tick."""
        cycles = 0
        if self.health is not None:
            self.health.scheduler_started()
        try:
            while not stop.is_set():
                try:
                    stats = await self._cycle(stop)
                except Exception:
                    log.exception("cycle failed; retrying at the next tick")
                    stats = None
                if stats is not None:
                    self._observe(stats)
                cycles += 1
                if self.max_cycles is not None and cycles >= self.max_cycles:
                    break
                await self._pause(stop)
        finally:
            if self.health is not None:
                self.health.scheduler_stopped()
        return cycles

    async def _cycle(self, stop: asyncio.Event) -> CycleStats | None:
        """One cycle, cut short `grace` seconds after `stop` is set (then None)."""
        cycle = asyncio.create_task(self.pipeline.run_cycle(), name="gapwatch cycle")
        stopping = asyncio.create_task(stop.wait())
        try:
            await asyncio.wait({cycle, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if not cycle.done():
                await asyncio.wait({cycle}, timeout=self.grace)
            if not cycle.done():
                log.warning(
                    "stopping: cycle cut off after %gs grace; unfinished work resumes later", self.grace
                )
                cycle.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await cycle
                return None
            return cycle.result()
        finally:
            stopping.cancel()
            if not cycle.done():  # we were cancelled ourselves
                cycle.cancel()

    def _observe(self, stats: CycleStats) -> None:
        if self.health is not None:
            self.health.cycle_finished(stats.summary())
        for observe in self.observers:
            try:
                observe(self.pipeline)
            except Exception:
                log.exception("cycle observer failed")

    async def _pause(self, stop: asyncio.Event) -> None:
        if self.wake is None:
            await self.wait(stop, self.tick)
            return
        waits = {asyncio.ensure_future(self.wake.wait()), asyncio.ensure_future(self.wait(stop, self.tick))}
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for pending in waits:
                pending.cancel()
            self.wake.clear()


def tick_for(settings: Any, *, ceiling: float = 15.0) -> float:
    """How often a cycle runs: every 15 s, or more often when a poll interval is shorter."""
    intervals = [float(settings.polling.interval)] + [
        float(s.interval) for s in settings.sources if s.interval
    ]
    return max(0.2, min(ceiling, *intervals))


def install_signal_handlers(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)


async def run_bot(
    app: Any,
    pipeline: Pipeline,
    start_services: Callable[[asyncio.Event], Awaitable[RunningServices]],
    *,
    stop: asyncio.Event | None = None,
) -> None:
    """Run the scheduler and every configured service (`start_services`) until stopped."""
    stop = stop or asyncio.Event()
    install_signal_handlers(stop)
    services = await start_services(stop)
    log.info(
        "gapwatch running: %d sources, services: %s",
        len(pipeline.sources),
        ", ".join(services.names) or "none",
    )
    scheduler = Scheduler(
        pipeline,
        tick=tick_for(app.settings),
        wake=app.wake,
        health=app.monitor.health if app.monitor is not None else None,
        observers=app.monitor.observers if app.monitor is not None else (),
    )
    try:
        await scheduler.run(stop)
    finally:
        log.info("stopping: closing services")
        await services.close()
    log.info("stopped")
