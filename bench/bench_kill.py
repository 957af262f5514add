"""kill -9 trials: exact counts of lost and duplicated alerts (tests/scenario/crash_trials.py).

python bench/bench_kill.py [--trials 20] [--seed 12] [--db sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_poll import create_pg_db, drop_pg_db  # noqa: E402
from tests.scenario.crash_trials import run_trials  # noqa: E402


async def trials(db: str, count: int, seed: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'kill.db'}" if db == "sqlite" else await create_pg_db()
        try:
            tally = await run_trials(Path(tmp), url, trials=count, seed=seed)
        finally:
            if db == "postgresql":
                await drop_pg_db(url)
    print(
        f"{db}: {tally.trials} trials ({tally.killed_mid_run} killed mid-run), "
        f"{tally.expected} alerts expected, {tally.lost} lost, {tally.duplicated} duplicated; "
        f"{tally.seconds:.1f}s"
    )


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    for db in ("sqlite", "postgresql") if args.db == "both" else (args.db,):
        await trials(db, args.trials, args.seed)


if __name__ == "__main__":
    asyncio.run(main())
