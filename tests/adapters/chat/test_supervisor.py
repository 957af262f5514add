"""Supervised chat connections: retried with growing, capped backoff; a rejected token is not
retried; the health record follows the connection."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from adapters.chat.supervisor import Backoff, mark_up, supervise
from bot.clock import ManualClock
from bot.errors import ConfigError
from bot.health import Health


@pytest.mark.parametrize(
    ("failures", "low", "high"),
    [(1, 0.5, 1.0), (2, 1.0, 2.0), (3, 2.0, 4.0), (9, 128.0, 256.0), (10, 150.0, 300.0), (50, 150.0, 300.0)],
)
def test_backoff_doubles_with_jitter_up_to_the_ceiling(failures: int, low: float, high: float) -> None:
    assert Backoff(rand=lambda: 0.0).delay(failures) == low
    assert Backoff(rand=lambda: 1.0).delay(failures) == high


def health() -> Health:
    return Health(now=ManualClock(datetime(2026, 1, 1, tzinfo=UTC)).now, interval=60)


async def test_failing_attempts_are_retried_until_one_connects_and_health_follows() -> None:
    record, stop, calls = health(), asyncio.Event(), []

    async def attempt() -> None:
        calls.append(len(calls))
        if len(calls) < 4:
            raise OSError("connection refused")
        mark_up("chat", record)
        assert record.problems(database_error=None)[-1:] != ["chat: down"]
        stop.set()  # connected: end the test

    await asyncio.wait_for(supervise("chat", attempt, record, stop, Backoff(base=0.001)), 5)
    assert len(calls) == 4
    assert record.connections["chat"].up and record.connections["chat"].error is None


async def test_down_connection_is_a_health_problem_with_its_reason() -> None:
    record, stop = health(), asyncio.Event()
    seen: list[list[str]] = []

    async def attempt() -> None:
        seen.append(record.problems())
        if len(seen) == 3:
            stop.set()
        raise OSError("connection refused")

    await asyncio.wait_for(supervise("chat", attempt, record, stop, Backoff(base=0.001)), 5)
    assert any(
        p.startswith("chat: down since 2026-01-01 00:00:00 (OSError: connection refused)") for p in seen[-1]
    )
    assert record.connections["chat"].attempts >= 2


async def test_a_rejected_token_is_not_retried() -> None:
    record, stop, calls = health(), asyncio.Event(), []

    async def attempt() -> None:
        calls.append(1)
        raise ConfigError("Discord rejected the bot token", key="discord.token")

    await asyncio.wait_for(supervise("chat", attempt, record, stop, Backoff(base=0.001)), 5)
    assert calls == [1]
    assert "rejected the bot token" in (record.connections["chat"].error or "")


async def test_an_outage_after_a_connection_starts_the_backoff_again() -> None:
    record, stop, delays = health(), asyncio.Event(), []
    plan = ["fail", "fail", "up", "fail"]

    class Recording(Backoff):
        def delay(self, failures: int) -> float:
            delays.append(failures)
            return 0.001

    async def attempt() -> None:
        step = plan.pop(0)
        if not plan:
            stop.set()
        if step == "up":
            mark_up("chat", record)
            return  # the connection ran, then closed
        raise OSError("refused")

    await asyncio.wait_for(supervise("chat", attempt, record, stop, Recording()), 5)
    assert delays == [1, 2, 1]  # after the connection was up, the count restarts
