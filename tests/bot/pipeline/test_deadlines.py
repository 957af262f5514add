"""Nothing stalls: a slow source is cut off while the others are detected and delivered; leases
are short, renewed while a poll runs, and a dead owner's source is picked up within one lease;
a database outage is logged once when it starts and once when it ends."""

from __future__ import annotations

import asyncio
import io
import logging
from dataclasses import dataclass, field
from typing import Any

import pytest

from bot.domain import PollResult, SourceCursor, SourceKind, SourceSpec
from bot.errors import StoreError
from bot.ports import KnownKeys
from tests.bot.pipeline.test_cycle import SPEC, ListSource, item, make_pipeline

SLOW = SourceSpec(SourceKind.FEED, "http://127.0.0.1:1/slow.xml", "Slow feed", lab="Acme")
pytestmark = pytest.mark.reliability


@dataclass
class StalledSource:
    """A source whose poll never ends on its own (one byte every few seconds, forever)."""

    spec: SourceSpec = SLOW
    started: asyncio.Event = field(default_factory=asyncio.Event)

    async def poll(self, cursor: SourceCursor, known: KnownKeys) -> PollResult:
        self.started.set()
        await asyncio.Event().wait()
        raise AssertionError("unreachable")


async def test_a_stalled_source_is_cut_off_and_the_healthy_one_alerts(parts: dict[str, Any]) -> None:
    healthy = ListSource([item("old", "nothing yet")])
    pipeline = make_pipeline(parts, healthy)
    pipeline.sources = {SPEC.key: healthy, SLOW.key: StalledSource()}
    pipeline.source_timeout = 0.05
    await parts["repo"].sync_sources([SPEC, SLOW], now=parts["clock"].now())
    async with asyncio.timeout(10):  # before the fix this cycle never ended
        await pipeline.run_cycle(force=True)  # baseline of the healthy source
        healthy.items.append(item("new", "Zeta-2 matches o1 on AIME"))
        stats = await pipeline.run_cycle(force=True)
    assert (stats.polled, stats.failed) == (2, 1)
    assert "Zeta-2" in parts["out"].getvalue()
    health = {h.key: h for h in await parts["repo"].source_health()}
    assert health[SLOW.key].failures == 2
    assert "cut off after 0.05s" in (health[SLOW.key].last_error or "")
    assert health[SLOW.key].next_poll is not None  # retried later


async def test_the_finished_sources_are_delivered_while_a_slow_one_still_polls(parts: dict[str, Any]) -> None:
    seen_when_done: list[str] = []
    alerted = asyncio.Event()

    class Console(io.StringIO):
        def write(self, text: str) -> int:
            written = super().write(text)
            if "Zeta-2" in self.getvalue():
                alerted.set()
            return written

    parts["out"] = Console()

    @dataclass
    class Straggler:
        spec: SourceSpec = SLOW

        async def poll(self, cursor: SourceCursor, known: KnownKeys) -> PollResult:
            await alerted.wait()  # still polling when the alert goes out
            seen_when_done.append(parts["out"].getvalue())
            return PollResult()

    healthy = ListSource([item("old", "nothing yet")])
    pipeline = make_pipeline(parts, healthy)
    await parts["repo"].sync_sources([SPEC, SLOW], now=parts["clock"].now())
    await pipeline.run_cycle(force=True)  # baselines
    healthy.items.append(item("new", "Zeta-2 matches o1 on AIME"))
    pipeline.sources = {SPEC.key: healthy, SLOW.key: Straggler()}
    pipeline.early_after = 0.01
    async with asyncio.timeout(10):
        stats = await pipeline.run_cycle(force=True)
    assert "Zeta-2" in seen_when_done[0]  # delivered before the straggler finished
    assert (stats.polled, stats.failed, stats.detect.claims) == (2, 0, 1)
    assert parts["out"].getvalue().count("Zeta-2 matches") == 1


async def test_a_dead_owners_source_is_picked_up_within_one_lease(parts: dict[str, Any]) -> None:
    repo, clock = parts["repo"], parts["clock"]
    await repo.sync_sources([SPEC], now=clock.now())
    assert await repo.lease_due_sources(now=clock.now(), owner="dead", lease_seconds=60, force=True) == [
        SPEC.key
    ]
    clock.advance(59)
    assert await repo.lease_due_sources(now=clock.now(), owner="new", lease_seconds=60, force=True) == []
    clock.advance(2)
    assert await repo.lease_due_sources(now=clock.now(), owner="new", lease_seconds=60, force=True) == [
        SPEC.key
    ]


async def test_the_lease_is_renewed_while_a_long_poll_runs(parts: dict[str, Any]) -> None:
    repo, clock = parts["repo"], parts["clock"]
    renew_now = asyncio.Queue[None]()
    renewed: list[int] = []
    renewal = asyncio.Event()

    @dataclass
    class LongSource:
        spec: SourceSpec = SPEC

        async def poll(self, cursor: SourceCursor, known: KnownKeys) -> PollResult:
            for _ in range(3):  # three lease lengths of work
                clock.advance(40)
                renewal.clear()
                await renew_now.put(None)
                await renewal.wait()
                clock.advance(20)
                taken = await repo.lease_due_sources(
                    now=clock.now(), owner="rival", lease_seconds=60, force=True
                )
                assert taken == []  # still ours: the renewal pushed the lease on
            return PollResult()

    class CountingRepo:
        def __getattr__(self, name: str) -> Any:
            return getattr(repo, name)

        async def renew_source_leases(self, keys: Any, **kwargs: Any) -> int:
            held = await repo.renew_source_leases(keys, **kwargs)
            renewed.append(held)
            renewal.set()
            return held

    async def wait(_seconds: float) -> None:
        await renew_now.get()

    pipeline = make_pipeline(parts, LongSource(), store=CountingRepo())  # type: ignore[arg-type]
    pipeline.renew_wait = wait
    await repo.sync_sources([SPEC], now=clock.now())
    async with asyncio.timeout(10):
        stats = await pipeline.run_cycle(force=True)
    assert stats.polled == 1 and renewed == [1, 1, 1]
    assert await repo.lease_due_sources(now=clock.now(), owner="rival", lease_seconds=60, force=True) == [
        SPEC.key
    ]


class FlakyStore:
    """The real repository, or StoreError from every call while `down`."""

    def __init__(self, repo: Any) -> None:
        self.repo = repo
        self.down = False

    def __getattr__(self, name: str) -> Any:
        target = getattr(self.repo, name)
        if not callable(target):
            return target

        async def call(*args: Any, **kwargs: Any) -> Any:
            if self.down:
                raise StoreError(f"{name} failed: connection refused")
            return await target(*args, **kwargs)

        return call


async def test_a_database_outage_logs_one_warning_at_each_end(
    parts: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    store = FlakyStore(parts["repo"])
    pipeline = make_pipeline(parts, ListSource([item("a", "text")]), store=store)
    outbox_down = False

    async def refresh(_pipeline: Any) -> None:
        if store.down:
            raise StoreError("reading frontier models failed: connection refused")

    real_deliver = pipeline.deliver

    async def deliver() -> Any:
        if outbox_down:
            raise StoreError("leasing outbox rows failed: connection refused")
        return await real_deliver()

    pipeline.refresh, pipeline.deliver = refresh, deliver
    await parts["repo"].sync_sources([SPEC], now=parts["clock"].now())
    caplog.set_level(logging.INFO, logger="gapwatch")
    await pipeline.run_cycle(force=True)
    store.down = outbox_down = True
    for _ in range(5):
        await pipeline.run_cycle(force=True)
    store.down = outbox_down = False
    await pipeline.run_cycle(force=True)
    await pipeline.run_cycle(force=True)
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.getMessage().split(" (")[0] for r in warnings] == [
        "database unavailable",
        "database available again after 0s",
    ]
    assert all(r.exc_info is None for r in caplog.records)


def test_lease_defaults_are_short_and_configurable() -> None:
    from bot.config import load_settings, parse_settings

    assert load_settings(None, {}).polling.lease_seconds <= 120
    settings = parse_settings({"polling": {"lease_seconds": 15}}, {}, file="t.toml")
    assert settings.polling.lease_seconds == 15


async def test_an_item_text_is_capped_before_it_is_stored(parts: dict[str, Any]) -> None:
    huge = "Zeta-2 matches o1 on AIME. " + "x" * 5_000_000  # a 5 MB entry
    pipeline = make_pipeline(parts, ListSource([item("big", huge), item("small", "short")]))
    pipeline.max_item_chars = 10_000
    await parts["repo"].sync_sources([SPEC], now=parts["clock"].now())
    await pipeline.poll(force=True)
    stored = {i.key: i.text for i, _baseline in await parts["repo"].pending_items()}
    assert len(stored["big"]) == 10_000 and stored["big"].startswith("Zeta-2 matches o1")
    assert stored["small"] == "short"
