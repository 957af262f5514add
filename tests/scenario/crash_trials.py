"""kill -9 at random points of `gapwatch poll --once`, then count what reached the platform.

Each trial publishes new items (one parity claim each) and starts the real CLI, which polls,
stores, detects, writes the outbox and posts to two Discord webhooks (a fake API that takes a
few ms per message, so deliveries are in flight when the signal lands); the process is killed
with SIGKILL after a random delay. After the last trial, once the short leases have lapsed, two
clean runs recover. Every (claim, webhook) pair must then have exactly one message: the counts
of lost and duplicated alerts are exact. Used by tests/scenario/test_kill_trials.py and
bench/bench_kill.py.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import signal
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiohttp import web

from tests.fakes.discord_api import DiscordAPI
from tests.fakes.feeds import FeedServer, rss_feed
from tests.scenario.cli_runner import clean_env, gapwatch

CHANNELS = (771, 772)
LEASE = 1.0  # [polling] and [delivery] lease_seconds: a dead owner's work is free after this
_NAMES = [
    f"{a}{b}"
    for a, b in itertools.product(
        ["Kes", "Os", "Bor", "Nim", "Zep", "Lyn", "Tor", "Vel"],
        ["trel", "prey", "ealis", "bus", "hyr", "ra", "ix"],
    )
]


class SlowWebhooks(DiscordAPI):
    """The fake Discord API, `latency` seconds per webhook post."""

    latency = 0.03

    async def _execute_webhook(self, request: web.Request) -> web.Response:
        await asyncio.sleep(self.latency)
        return await super()._execute_webhook(request)


@dataclass
class Tally:
    trials: int = 0
    expected: int = 0  # (claim, webhook) pairs
    lost: int = 0
    duplicated: int = 0
    killed_mid_run: int = 0  # trials whose process was still running when killed
    seconds: float = 0.0
    missing: list[str] = field(default_factory=list)


def _entry(n: int) -> dict[str, Any]:
    name = f"{_NAMES[n % len(_NAMES)]}-{7 + n}B"
    return {
        "title": f"Introducing {name}",
        "guid": f"trial-{n}",
        "link": f"https://lab.example/{n}",
        "published": datetime(2025, 2, 1, tzinfo=UTC) + timedelta(hours=n),
        "summary": f"{name} outperforms GPT-4o on MMLU-Pro and GPQA.",
    }


def _config(tmp: Path, db_url: str, feeds: FeedServer, api: DiscordAPI) -> Path:
    hooks = ", ".join(f'h{c} = "{api.add_webhook(channel_id=c)}"' for c in CHANNELS)
    path = tmp / "config.toml"
    path.write_text(
        f'[storage]\nurl = "{db_url}"\n'
        f"[polling]\nretries = 0\nlease_seconds = {LEASE}\n"
        f"[delivery]\nlease_seconds = {LEASE}\nbackoff_base = 0\n"
        f'[discord]\napi_base = "{api.api_base}"\nwebhooks = {{ {hooks} }}\n'
        f'[[routes]]\ndestination = "webhook:h{CHANNELS[0]}"\n'
        f'[[routes]]\ndestination = "webhook:h{CHANNELS[1]}"\n'
        f'[[sources]]\nkind = "feed"\nurl = "{feeds.url("/lab.xml")}"\nlab = "Trial Labs"\n',
        encoding="utf-8",
    )
    return path


async def _killed_run(config: Path, cwd: Path, delay: float) -> bool:
    """Start `poll --once`, SIGKILL it after `delay` s; True when it was still running."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "--config", str(config), "poll", "--once",
        cwd=cwd, env=clean_env(), stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    try:
        await asyncio.wait_for(proc.wait(), timeout=delay)
        return False
    except TimeoutError:
        try:
            proc.send_signal(signal.SIGKILL)
        except ProcessLookupError:  # it exited in the meantime
            await proc.wait()
            return False
        await proc.wait()
        return True


async def run_trials(
    tmp: Path, db_url: str, *, trials: int = 20, per_trial: int = 2, seed: int = 12
) -> Tally:
    rng = random.Random(seed)
    tally = Tally(trials=trials)
    started = time.perf_counter()
    async with FeedServer() as feeds, SlowWebhooks() as api:
        entries: list[dict[str, Any]] = [{"title": "Hello", "guid": "old", "summary": "Hiring."}]
        feeds.add_feed("/lab.xml", rss_feed(entries))
        config = _config(tmp, db_url, feeds, api)
        baseline = await gapwatch(config, "poll", "--once", cwd=tmp)  # also creates the schema
        assert baseline.code == 0, baseline.stderr[-2000:]
        clean = time.perf_counter()
        await gapwatch(config, "poll", "--once", cwd=tmp)
        span = time.perf_counter() - clean + 0.3  # a whole run with a little work: kills land anywhere in it
        for trial in range(trials):
            fresh = [_entry(trial * per_trial + k) for k in range(per_trial)]
            entries = fresh + entries
            feeds.add_feed("/lab.xml", rss_feed(entries))
            tally.killed_mid_run += await _killed_run(config, tmp, rng.uniform(0.2, span))
        await asyncio.sleep(LEASE * 1.2)  # the last victim's leases lapse
        for _ in range(2):
            recovery = await gapwatch(config, "poll", "--once", cwd=tmp)
            assert recovery.code == 0, recovery.stderr[-2000:]
        names = [e["summary"].split(" ")[0] for e in entries if e["guid"] != "old"]
        for channel in CHANNELS:
            titles = [m["embeds"][0]["title"] for m in api.messages.get(channel, []) if m.get("embeds")]
            for name in names:
                count = sum(1 for t in titles if name in t)
                tally.expected += 1
                if count == 0:
                    tally.lost += 1
                    tally.missing.append(f"{name} -> {channel}")
                tally.duplicated += max(0, count - 1)
    tally.seconds = time.perf_counter() - started
    return tally
