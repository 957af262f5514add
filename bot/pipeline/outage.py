"""Quiet outages: one warning when the database goes away, one when it is back.

Every stage of a cycle reports a database failure here instead of logging it; the first one of
an outage is a warning (with the reason), the rest are debug lines, and the first cycle whose last
stage reaches the database again logs how long it was gone.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger("gapwatch.pipeline")


@dataclass
class DatabaseOutage:
    monotonic: Callable[[], float] = time.monotonic
    since: float | None = None
    failures: int = 0
    _cycle_failed: bool = field(default=False, repr=False)

    @property
    def active(self) -> bool:
        return self.since is not None

    def failed(self, stage: str, error: BaseException) -> None:
        """A stage could not reach the database."""
        self._cycle_failed = True
        self.failures += 1
        if self.since is None:
            self.since = self.monotonic()
            log.warning("database unavailable (%s: %s); retrying every cycle", stage, error)
        else:
            log.debug("database still unavailable (%s: %s)", stage, error)

    def last_stage(self) -> None:
        """The cycle's last stage (detect and deliver) starts: an earlier stage's failure in this
        cycle does not keep the outage on if this one reaches the database (the refresh failed,
        the database came back, the alerts went out)."""
        self._cycle_failed = False

    def cycle_done(self) -> None:
        """End of a cycle: if no stage failed and an outage was on, it is over."""
        failed, self._cycle_failed = self._cycle_failed, False
        if failed or self.since is None:
            return
        gone = self.monotonic() - self.since
        log.warning("database available again after %.0fs (%d failed operations)", gone, self.failures)
        self.since = None
        self.failures = 0
