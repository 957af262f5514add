"""One warning when the database goes away, one when a cycle reaches it again."""

from __future__ import annotations

import logging

import pytest

from bot.pipeline.outage import DatabaseOutage


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage().split(" (")[0].split(" after")[0]
        for r in caplog.records
        if r.levelno == logging.WARNING
    ]


def test_an_outage_is_one_warning_at_each_end(caplog: pytest.LogCaptureFixture) -> None:
    outage = DatabaseOutage(monotonic=iter([0.0, 5.0]).__next__)
    with caplog.at_level(logging.DEBUG, logger="gapwatch.pipeline"):
        for _ in range(3):  # three cycles against a dead database
            outage.last_stage()
            outage.failed("detect", OSError("reset"))
            outage.cycle_done()
        outage.last_stage()
        outage.cycle_done()  # a cycle that reaches it
        outage.cycle_done()
    assert _warnings(caplog) == ["database unavailable", "database available again"]
    assert not outage.active


def test_the_cycle_whose_last_stage_reaches_the_database_ends_the_outage(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The refresh fails, the database comes back, the alerts go out: the outage is over then,
    not one cycle later (a bot stopped after that cycle would never say so)."""
    outage = DatabaseOutage(monotonic=iter([0.0, 2.0]).__next__)
    with caplog.at_level(logging.WARNING, logger="gapwatch.pipeline"):
        outage.failed("refresh", OSError("reset"))
        outage.last_stage()
        outage.cycle_done()
    assert _warnings(caplog) == ["database unavailable", "database available again"]


def test_a_failing_last_stage_keeps_the_outage_on(caplog: pytest.LogCaptureFixture) -> None:
    outage = DatabaseOutage(monotonic=iter([0.0]).__next__)
    with caplog.at_level(logging.WARNING, logger="gapwatch.pipeline"):
        outage.failed("refresh", OSError("reset"))
        outage.last_stage()
        outage.failed("detect", OSError("reset"))
        outage.cycle_done()
    assert _warnings(caplog) == ["database unavailable"]
    assert outage.active
