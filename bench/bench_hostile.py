"""Time to the healthy alert when every hostile feed is polled in the same cycle.

Runs the real CLI (`gapwatch poll --once`) twice against tests/fakes/hostile.py (gzip bomb,
over-size body, endless redirects, slow drip, billion laughs, invalid UTF-8, HTML, empty body,
404, 410, garbage HF JSON, 100,000 entries, a 5 MB entry) beside one healthy feed: a baseline,
then a run where the healthy feed has a new parity claim. Prints the wall time of the second
run (process start to exit, the alert is printed before exit) and the cycle's own stage times.

    python bench/bench_hostile.py [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.scenario.hostile import hostile_world  # noqa: E402


async def once() -> tuple[float, str, bool]:
    with tempfile.TemporaryDirectory() as tmp:
        async with hostile_world(Path(tmp)) as world:
            await world.poll()
            world.publish()
            seconds, run = await world.poll()
    cycle = re.search(r"took .*deliver", run.stderr)
    alerted = any(a.startswith("Zephyr-9B matches OpenAI o1") for a in run.alerts)
    return seconds, cycle.group(0) if cycle else "?", alerted


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for n in range(args.runs):
        seconds, cycle, alerted = await once()
        print(f"run {n + 1}: healthy alert {'out' if alerted else 'MISSING'} after {seconds:.2f}s ({cycle})")


if __name__ == "__main__":
    asyncio.run(main())
