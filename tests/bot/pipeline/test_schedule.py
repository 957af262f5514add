"""Polling schedule: interval with jitter, adaptive intervals, publisher hints, backoff and pause."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain import PollResult, SourceKind, SourceSpec
from bot.pipeline.cadence import typical_gap
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


# --- adaptive polling and publisher hints ------------------------------------------------------


def every(hours: float, count: int = 6) -> list[datetime]:
    return [NOW - timedelta(hours=hours * i) for i in range(count)]


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        (every(1), 900.0),  # an entry an hour: a quarter hour
        (every(0.05), 300.0),  # every 3 minutes: not below min_interval
        (every(24 * 30), 21600.0),  # monthly: not above max_interval
        (every(1, count=2), 1800.0),  # too few dates to tell: the default
    ],
)
def test_adaptive_interval_follows_entry_frequency(dates: list[datetime], expected: float) -> None:
    schedule = Schedule(1800, 0.0, adaptive=True, min_interval=300, max_interval=21600)
    assert schedule.next_poll(SPEC, NOW, PollResult(), dates) == NOW + timedelta(seconds=expected)


def test_adaptive_polling_leaves_a_source_with_its_own_interval_alone() -> None:
    spec = SourceSpec(SourceKind.FEED, "http://127.0.0.1/a.xml", "a", interval=120)
    schedule = Schedule(1800, 0.0, adaptive=True)
    assert schedule.next_poll(spec, NOW, PollResult(), every(24 * 30)) == NOW + timedelta(seconds=120)


def test_typical_gap_is_the_median_of_the_newest_gaps() -> None:
    dates = [NOW, NOW - timedelta(hours=1), NOW - timedelta(hours=2), NOW - timedelta(days=30)]
    assert typical_gap(dates) == 3600.0


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        (PollResult(fresh_for=3600), 3600.0),  # Cache-Control / Expires / ttl: a floor
        (PollResult(fresh_for=10), 900.0),  # a shorter freshness does not make us poll sooner
        (PollResult(fresh_for=10 * 86400), 21600.0),  # a silly max-age is capped at max_interval
        (PollResult(retry_after=7200.5), 7200.5),  # a rate limit's reset: to the second, uncapped
    ],
)
def test_publisher_hints_set_a_floor(result: PollResult, expected: float) -> None:
    schedule = Schedule(900, 0.0, max_interval=21600)
    assert schedule.next_poll(SPEC, NOW, result) == NOW + timedelta(seconds=expected)


def test_failure_with_retry_after_waits_exactly_that_long() -> None:
    schedule = Schedule(900, 0.1, rand=lambda: 1.0)
    assert schedule.retry_after_failure(SPEC, NOW, 1, retry_after=1234.0) == NOW + timedelta(seconds=1234)
    # a hint shorter than the backoff does not shorten it
    assert schedule.retry_after_failure(SPEC, NOW, 3, retry_after=5) == NOW + timedelta(seconds=264)


def test_pause_after_a_failing_span() -> None:
    schedule = Schedule(900, 0.0, pause_after=3 * 86400)
    assert not schedule.is_paused(None, NOW)
    assert not schedule.is_paused(NOW - timedelta(days=2, hours=23), NOW)
    assert schedule.is_paused(NOW - timedelta(days=3), NOW)
    assert not Schedule(900, 0.0, pause_after=None).is_paused(NOW - timedelta(days=300), NOW)
