"""Polling schedule: interval with jitter, backoff for failing sources."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain import SourceKind, SourceSpec
from bot.pipeline.poll import Schedule

NOW = datetime(2025, 1, 20, tzinfo=UTC)
SPEC = SourceSpec(SourceKind.FEED, "http://127.0.0.1/a.xml", "a")


@pytest.mark.parametrize(("rand", "expected"), [(0.0, 810.0), (0.5, 900.0), (1.0, 990.0)])
def test_next_poll_is_interval_plus_minus_jitter(rand: float, expected: float) -> None:
    schedule = Schedule(900, 0.1, rand=lambda: rand)
    assert schedule.next_poll(SPEC, NOW) == NOW + timedelta(seconds=expected)


def test_source_interval_overrides_default() -> None:
    spec = SourceSpec(SourceKind.FEED, "http://127.0.0.1/a.xml", "a", interval=60)
    assert Schedule(900, 0.0).next_poll(spec, NOW) == NOW + timedelta(seconds=60)


@pytest.mark.parametrize(("failures", "seconds"), [(1, 60), (2, 120), (3, 240), (5, 900), (30, 900)])
def test_failing_source_backs_off_but_never_past_its_interval(failures: int, seconds: int) -> None:
    schedule = Schedule(900, 0.0)
    assert schedule.retry_after_failure(SPEC, NOW, failures) == NOW + timedelta(seconds=seconds)
