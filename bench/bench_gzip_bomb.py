"""Peak memory of one guarded fetch of a gzip bomb (256 MB of zeros, about 250 KB on the wire).

python bench/bench_gzip_bomb.py [--megabytes 256]
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.errors import ResponseTooLarge  # noqa: E402
from bot.fetch import Fetcher, FetchPolicy, new_client  # noqa: E402
from tests.fakes.feeds import FeedServer  # noqa: E402
from tests.fakes.hostile import gzip_bomb  # noqa: E402


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=int, default=256)
    args = parser.parse_args()
    bomb = gzip_bomb(args.megabytes)
    policy = FetchPolicy(retries=0)
    async with FeedServer() as server, new_client(policy) as client:
        url = server.add("/bomb", bomb, headers={"Content-Encoding": "gzip"})
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        try:
            await Fetcher(client, policy).get(url)
            outcome = "accepted (!)"
        except ResponseTooLarge as exc:
            outcome = f"refused: {exc}"
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{args.megabytes} MB bomb, {len(bomb) / 1000:.0f} KB on the wire: {outcome}")
    print(f"peak RSS {before / 1024:.0f} MB before the fetch, {after / 1024:.0f} MB after")


if __name__ == "__main__":
    asyncio.run(main())
