"""Quiet logs: one warning per failure wave naming the failing sources, one line when they are
back, the cycle summary at INFO only when something happened, library noise filtered."""

from __future__ import annotations

import logging

import pytest

from bot.domain import PollResult, SourceKind, SourceSpec
from bot.logs import NoiseFilter
from bot.pipeline import CycleStats
from bot.pipeline.deliver import DeliveryStats
from bot.pipeline.detect import DetectStats
from bot.pipeline.poll import PollOutcome
from bot.pipeline.waves import FailureWaves
from tests.running_app import Running, running

__all__ = ["running"]  # the fixture

SPECS = [SourceSpec(SourceKind.FEED, f"https://lab{i}.example/feed.xml", f"lab {i}") for i in range(39)]


def failed(spec: SourceSpec, error: str = "timed out") -> PollOutcome:
    return PollOutcome(spec, None, baseline=False, error=f"{spec.key}: {error}", error_kind="FetchTimeout")


def ok(spec: SourceSpec) -> PollOutcome:
    return PollOutcome(spec, PollResult(), baseline=False)


def warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


def test_a_failure_wave_is_one_warning_naming_the_sources(caplog: pytest.LogCaptureFixture) -> None:
    waves = FailureWaves()
    with caplog.at_level(logging.DEBUG, logger="gapwatch"):
        waves.observe([failed(s) for s in SPECS])
        waves.observe([failed(s) for s in SPECS])  # the same wave next cycle: silent
        waves.observe([failed(s) for s in SPECS[:10]] + [ok(s) for s in SPECS[10:]])
    (line,) = warnings(caplog)
    assert line.startswith(
        "39 sources failing: lab 0 <https://lab0.example/feed.xml> (timed out); lab 1 <https://lab1"
    )
    assert line.endswith("and 31 more") and line.count("lab0.example") == 1  # the key is not repeated
    back = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert len(back) == 1 and back[0].startswith("sources back: lab 10, lab 11")


def test_a_new_source_failing_during_a_wave_is_named_once(caplog: pytest.LogCaptureFixture) -> None:
    waves = FailureWaves()
    with caplog.at_level(logging.WARNING, logger="gapwatch"):
        waves.observe([failed(SPECS[0])])
        waves.observe([failed(SPECS[0]), failed(SPECS[1], "HTTP 503")])
    assert warnings(caplog) == [
        "1 source failing: lab 0 <https://lab0.example/feed.xml> (timed out)",
        "1 source failing: lab 1 <https://lab1.example/feed.xml> (HTTP 503)",
    ]


@pytest.mark.parametrize(
    ("stats", "eventful"),
    [
        (CycleStats(3, 0, 0, DetectStats(), DeliveryStats()), False),
        (CycleStats(3, 3, 0, DetectStats(), DeliveryStats()), False),  # failures are the wave's warning
        (CycleStats(1, 0, 2, DetectStats(), DeliveryStats()), True),
        (CycleStats(1, 0, 0, DetectStats(claims=1), DeliveryStats()), True),
        (CycleStats(0, 0, 0, DetectStats(), DeliveryStats(sent=1)), True),
        (CycleStats(0, 0, 0, DetectStats(), DeliveryStats(retried=1)), True),
        (CycleStats(0, 0, 0, DetectStats(), DeliveryStats(parked=1)), True),
    ],
)
def test_cycle_summary_is_info_only_when_something_happened(stats: CycleStats, eventful: bool) -> None:
    assert stats.eventful is eventful


def test_discord_voice_warning_is_filtered() -> None:
    noise = NoiseFilter()

    def record(name: str, msg: str) -> logging.LogRecord:
        return logging.LogRecord(name, logging.WARNING, __file__, 1, msg, None, None)

    assert not noise.filter(record("discord.client", "PyNaCl is not installed, voice will NOT be supported"))
    assert not noise.filter(record("discord.client", "davey is not installed, voice will NOT be supported"))
    assert not noise.filter(record("discord.client", "Attempting a reconnect in 1.61s"))
    assert noise.filter(record("discord.client", "Shard ID None has connected to Gateway"))
    assert noise.filter(record("gapwatch.pipeline", "voice will NOT be supported"))  # only the library's


async def test_a_cycle_with_nothing_new_logs_its_summary_at_debug(
    running: Running, caplog: pytest.LogCaptureFixture
) -> None:
    await running.cycle()  # baseline: items stored (INFO); the broken feed's warning
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="gapwatch"):
        await running.cycle()  # the same feed again, the broken one still failing
    summaries = [r for r in caplog.records if r.getMessage().startswith("cycle: ")]
    assert len(summaries) == 1 and summaries[0].levelno == logging.DEBUG
    assert not warnings(caplog)  # the failing source was named once, in the first cycle
