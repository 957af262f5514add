"""CPU of a polling cycle inside a process that keeps running, as `gapwatch run` does: the imports,
the database and the HTTP pool are paid once, then every cycle costs only its own work. Beside it,
newsboat's idle reload (a new process each time, as newsboat always runs) on the same feeds.
The cycles: the first poll, then idle ones (every feed answers 304), then one new entry per feed.

    python -m bench.warm_cycle [--feeds 300] [--entries 20] [--cycles 5]

The feeds are served by this process; the cycles run in a child process that times itself
(`time.process_time` around each cycle), so the server's own work is not counted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.cycles import Gapwatch, Newsboat, entries  # noqa: E402
from tests.fakes.feeds import FeedServer, rss_feed  # noqa: E402


async def _child(config: Path, cycles: int) -> dict[str, list[float]]:
    from bot.app import build_pipeline, open_app
    from bot.config import load_settings

    settings = load_settings(config)
    async with open_app(settings) as app:
        pipeline = await build_pipeline(app, observe=False)
        started = time.process_time()
        await pipeline.run_cycle(force=True)  # the first poll: every entry is new
        first = time.process_time() - started
        idle = []
        for _ in range(cycles):
            started = time.process_time()
            await pipeline.run_cycle(force=True)  # every feed answers 304 Not Modified
            idle.append(time.process_time() - started)
        print("ready", flush=True)  # the parent now adds one entry to every feed
        await asyncio.to_thread(sys.stdin.readline)
        started = time.process_time()
        await pipeline.run_cycle(force=True)
        one_new = time.process_time() - started
    return {"first": [first], "idle": idle, "one_new": [one_new]}


@dataclass(frozen=True)
class WarmResult:
    feeds: int
    first: float  # CPU-s of each cycle, timed inside the running process
    idle: float  # median of the idle cycles
    one_new: float
    requests: int  # every cycle asks every feed: feeds x (2 + idle cycles)
    newsboat_idle: float | None  # newsboat's idle reload (a process each time), when installed

    def line(self) -> str:
        beside = (
            f"; newsboat's idle reload {self.newsboat_idle:.2f}" if self.newsboat_idle is not None else ""
        )
        return (
            f"in a running process (gapwatch run), {self.feeds} feeds: first poll {self.first:.2f} CPU-s, "
            f"idle (304) {self.idle:.2f}, one new entry per feed {self.one_new:.2f} "
            f"({self.requests} requests){beside}"
        )


async def measure(feeds: int, count: int, cycles: int) -> WarmResult:
    """The cycles in a child process that keeps running, feeds served from this one."""
    with tempfile.TemporaryDirectory(prefix="gw-warm-") as name:
        tmp = Path(name)
        async with FeedServer() as server:
            urls = [server.add_feed(f"/f{f}.xml", rss_feed(entries(f, count))) for f in range(feeds)]
            gapwatch = Gapwatch(ROOT, tmp, urls)
            cmd = [sys.executable, "-m", "bench.warm_cycle", "--child", str(gapwatch.config), str(cycles)]
            env = {**os.environ, "PYTHONPATH": str(ROOT)}
            child = await asyncio.create_subprocess_exec(
                *cmd,
                cwd=tmp,
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
            assert child.stdout is not None
            while (await child.stdout.readline()).strip() != b"ready":
                pass
            for f in range(feeds):
                server.add_feed(f"/f{f}.xml", rss_feed(entries(f, count, extra=1)))
            out, _ = await child.communicate(b"go\n")
            times = json.loads(out.decode().strip().splitlines()[-1])
            requests = len(server.requests)
            server.requests.clear()
            newsboat = None
            binary = shutil.which("newsboat")
            if binary:
                reader = Newsboat(binary, tmp, urls)
                await asyncio.to_thread(reader.run)  # its first reload fills its cache
                runs = [await asyncio.to_thread(reader.run) for _ in range(3)]
                newsboat = sorted(r.cpu for r in runs)[1]
    idle = sorted(times["idle"])
    return WarmResult(feeds, times["first"][0], idle[len(idle) // 2], times["one_new"][0], requests, newsboat)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--child"]:
        print(json.dumps(asyncio.run(_child(Path(args[1]), int(args[2])))))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=300)
    parser.add_argument("--entries", type=int, default=20)
    parser.add_argument("--cycles", type=int, default=5)
    opts = parser.parse_args(args)
    print(asyncio.run(measure(opts.feeds, opts.entries, opts.cycles)).line())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
