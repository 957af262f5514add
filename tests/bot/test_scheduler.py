"""The scheduler runs cycles until stopped, survives a failing cycle, and stops promptly."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.scheduler import Scheduler, wait_or_stop


class CountingPipeline:
    def __init__(
        self,
        fail_on: set[int] | None = None,
        stop_after: int | None = None,
        stop: asyncio.Event | None = None,
    ) -> None:
        self.calls = 0
        self.fail_on = fail_on or set()
        self.stop_after = stop_after
        self.stop = stop

    async def run_cycle(self, **_: Any) -> None:
        self.calls += 1
        if self.stop is not None and self.calls == self.stop_after:
            self.stop.set()  # a signal arriving mid-cycle: this cycle still completes
        if self.calls in self.fail_on:
            raise RuntimeError("boom")


async def no_wait(_stop: asyncio.Event, _seconds: float) -> None:
    await asyncio.sleep(0)


async def test_failing_cycle_is_logged_and_the_next_one_runs() -> None:
    pipeline = CountingPipeline(fail_on={1, 2})
    cycles = await Scheduler(pipeline, wait=no_wait, max_cycles=4).run(asyncio.Event())  # type: ignore[arg-type]
    assert cycles == 4 and pipeline.calls == 4


async def test_stop_mid_cycle_finishes_that_cycle_then_exits() -> None:
    stop = asyncio.Event()
    pipeline = CountingPipeline(stop_after=3, stop=stop)
    cycles = await Scheduler(pipeline, wait=no_wait).run(stop)  # type: ignore[arg-type]
    assert cycles == 3 and pipeline.calls == 3


async def test_wait_or_stop_returns_early_when_stopped() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.call_later(0.01, stop.set)
    started = loop.time()
    await wait_or_stop(stop, 30)
    assert loop.time() - started < 5


async def test_a_wake_runs_the_next_cycle_before_the_tick() -> None:
    import asyncio

    class Counting:
        cycles = 0

        async def run_cycle(self) -> None:
            self.cycles += 1

    from bot.scheduler import Scheduler

    pipeline, stop, wake = Counting(), asyncio.Event(), asyncio.Event()
    scheduler = Scheduler(pipeline, tick=3600, wake=wake, max_cycles=2)  # type: ignore[arg-type]
    task = asyncio.create_task(scheduler.run(stop))
    await asyncio.sleep(0.01)
    assert pipeline.cycles == 1  # waiting an hour for the tick
    wake.set()
    assert await asyncio.wait_for(task, 1.0) == 2
