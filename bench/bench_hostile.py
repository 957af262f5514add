"""Time to the healthy alert when every hostile feed is polled in the same cycle.

Runs the real CLI (`gapwatch poll --once`) twice against tests/fakes/hostile.py (gzip bomb,
over-size body, endless redirects, slow drip, billion laughs, invalid UTF-8, HTML, empty body,
404, 410, garbage HF JSON, 100,000 entries, a 5 MB entry) beside one healthy feed: a baseline,
then a run where the healthy feed has a new parity claim. Prints when the alert appeared on
standard output (from process start) and when the process exited, with the suite's short
deadlines and with the default ones (60 s per fetch: the slow drip holds the cycle, the
finished sources are delivered while it does).

    python bench/bench_hostile.py [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.scenario.cli_runner import clean_env  # noqa: E402
from tests.scenario.hostile import POLLING, hostile_world  # noqa: E402

DEFAULTS = "[polling]\nretries = 0\n"


async def timed_poll(config: Path, cwd: Path) -> tuple[float | None, float, str]:
    """(seconds to the first alert line, seconds to exit, the cycle's stage times)."""
    started = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "--config", str(config), "poll", "--once",
        cwd=cwd, env=clean_env(), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert proc.stdout is not None and proc.stderr is not None
    alert_at = None
    errors = asyncio.create_task(proc.stderr.read())
    while line := await proc.stdout.readline():
        if alert_at is None and line.startswith(b"Zephyr-9B matches OpenAI o1"):
            alert_at = time.perf_counter() - started
    await proc.wait()
    cycle = re.search(r"took .*deliver", (await errors).decode())
    return alert_at, time.perf_counter() - started, cycle.group(0) if cycle else "?"


async def once(polling: str) -> tuple[float | None, float, str]:
    with tempfile.TemporaryDirectory() as tmp:
        async with hostile_world(Path(tmp), polling=polling) as world:
            await world.poll()
            world.publish()
            return await timed_poll(world.config, world.cwd)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for label, polling in (
        ("suite deadlines (fetch 3 s, source 5 s)", POLLING),
        ("default deadlines", DEFAULTS),
    ):
        print(label)
        for n in range(args.runs):
            alert, done, cycle = await once(polling)
            shown = f"{alert:.2f}s" if alert is not None else "MISSING"
            print(f"  run {n + 1}: healthy alert at {shown}, process done at {done:.2f}s ({cycle})")


if __name__ == "__main__":
    asyncio.run(main())
