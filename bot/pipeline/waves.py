"""One warning per failure wave: the sources that started failing, named in one line.

A source that keeps failing is not repeated every cycle; when failing sources recover, one
INFO line says so. The per-source details stay at DEBUG (bot/pipeline/poll.py).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.pipeline.poll import PollOutcome

log = logging.getLogger("gapwatch.pipeline")

SHOWN = 8  # sources named in full; the rest are counted


@dataclass
class FailureWaves:
    failing: dict[str, str] = field(default_factory=dict)  # source key -> last error

    def observe(self, outcomes: Sequence[PollOutcome]) -> None:
        started: list[str] = []
        recovered: list[str] = []
        for outcome in outcomes:
            key = outcome.spec.key
            if outcome.result is None:
                if key not in self.failing:
                    started.append(f"{_label(outcome)} ({_short(outcome.error, key)})")
                self.failing[key] = outcome.error or "failed"
            elif key in self.failing:
                del self.failing[key]
                recovered.append(outcome.spec.name)
        if started:
            log.warning(
                "%d source%s failing: %s%s",
                len(started),
                "" if len(started) == 1 else "s",
                "; ".join(started[:SHOWN]),
                f"; and {len(started) - SHOWN} more" if len(started) > SHOWN else "",
            )
        if recovered:
            log.info("source%s back: %s", "" if len(recovered) == 1 else "s", ", ".join(recovered))


def _label(outcome: PollOutcome) -> str:
    """The source's name, and where it points when the name does not say it."""
    spec = outcome.spec
    return spec.name if spec.name == spec.target else f"{spec.name} <{spec.target}>"


def _short(error: str | None, key: str, limit: int = 120) -> str:
    text = (error or "failed").splitlines()[0].removeprefix(f"{key}: ")
    return text if len(text) <= limit else text[: limit - 1] + "…"
