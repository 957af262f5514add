"""kill -9 at random points of poll-and-deliver, 20 trials per database: nothing lost, and at
most one repeat per destination for a trial whose kill landed between the platform's acceptance
and the outbox mark (the documented window). Figures: bench/bench_kill.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.scenario.crash_trials import run_trials

pytestmark = pytest.mark.reliability


async def test_kill_9_trials_lose_nothing(db_url: str, tmp_path: Path) -> None:
    tally = await run_trials(tmp_path, db_url, trials=20)
    assert tally.expected == 20 * 2 * 2
    assert tally.lost == 0, tally.missing
    assert tally.duplicated <= tally.killed_mid_run * 2  # one repeat per destination, at most
    assert tally.killed_mid_run >= 10  # most kills landed while the run was working
