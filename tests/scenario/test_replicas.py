"""Three `gapwatch run` replicas on one PostgreSQL database and one loopback feed server.

Every source is polled once per interval (not three times), every alert is delivered exactly
once, a replica SIGKILLed in the middle of a poll hands its source lease on within the lease
time, and only one replica holds the Discord gateway: when it dies, another takes it over.
(The replica killed in a poll and the gateway holder may be one or two processes.)
"""

from __future__ import annotations

import asyncio
import itertools
import signal
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.fakes.discord_api import DiscordAPI
from tests.fakes.feeds import FeedServer, rss_feed
from tests.scenario.cli_runner import clean_env, eventually

pytestmark = pytest.mark.postgres

INTERVAL = 2.0  # seconds between polls of one source
LEASE = 4.0  # [polling] lease_seconds
SLOW = 2.5  # the slow feed answers after this long: a poll is in flight for a while
FEEDS = [f"/lab{i}.xml" for i in range(5)]

OLD = {
    "title": "Old",
    "link": "https://lab.example/old",
    "guid": "old",
    "published": datetime(2024, 5, 1, tzinfo=UTC),
    "summary": "Nothing new.",
}


def new_item(i: int) -> dict[str, object]:
    return {
        "title": f"Harrier-{i}-70B",
        "link": f"https://lab.example/harrier-{i}",
        "guid": f"harrier-{i}",
        "published": datetime(2025, 3, 1, tzinfo=UTC),
        "summary": f"Harrier-{i}-70B beats GPT-4o on MMLU and MATH.",
    }


class Replica:
    def __init__(self, index: int, proc: asyncio.subprocess.Process, log: Path) -> None:
        self.index, self.proc, self.log = index, proc, log

    @property
    def agent(self) -> str:
        return f"replica-{self.index}"

    def stderr(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


async def start_replica(index: int, config: Path, tmp_path: Path, discord: DiscordAPI) -> Replica:
    workdir = tmp_path / f"r{index}"
    workdir.mkdir()
    log = workdir / "stderr.log"
    env = clean_env(
        DISCORD_TOKEN="fake-bot-token",
        GAPWATCH_POLLING__USER_AGENT=f"replica-{index}",  # the feed server tells replicas apart
        GAPWATCH_POLLING__LEASE_SECONDS=str(LEASE),
    )
    with log.open("wb") as err, (workdir / "stdout.log").open("wb") as out:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "--config", str(config), "run",
            cwd=workdir, env=env, stdout=out, stderr=err,
        )  # fmt: skip
    return Replica(index, proc, log)


def write_config(tmp_path: Path, db_url: str, feeds: FeedServer, discord: DiscordAPI, hook: str) -> Path:
    sources = "".join(f'[[sources]]\nkind = "feed"\nurl = "{feeds.url(p)}"\n' for p in [*FEEDS, "/slow.xml"])
    config = tmp_path / "config.toml"
    config.write_text(
        f'[storage]\nurl = "{db_url}"\n'
        f"[polling]\ninterval = {INTERVAL}\njitter = 0\nretries = 0\nread_timeout = 10\nadaptive = false\n"
        f'[discord]\napi_base = "{discord.api_base}"\ngateway_url = "{discord.gateway_url}"\n'
        f'webhooks = {{ alerts = "{hook}" }}\n'
        '[[routes]]\ndestination = "webhook:alerts"\nmin_confidence = 0\n' + sources,
        encoding="utf-8",
    )
    return config


def polls_by_feed(feeds: FeedServer) -> dict[str, list[tuple[float, str]]]:
    polls: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for r in feeds.requests:
        polls[r.path].append((r.at, r.header("user-agent") or ""))
    return polls


def in_flight_slow_poll(feeds: FeedServer, alive: list[Replica]) -> Replica | None:
    """The replica whose request for /slow.xml arrived less than half the delay ago."""
    now = time.monotonic()
    for r in reversed(feeds.requests):
        if r.path == "/slow.xml" and now - r.at < SLOW / 2:
            return next((p for p in alive if p.agent == r.header("user-agent")), None)
    return None


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
async def test_three_replicas_share_polls_deliver_once_and_take_over_a_killed_one(
    tmp_path: Path, db_url: str
) -> None:
    async with FeedServer() as feeds, DiscordAPI() as discord:
        for path in FEEDS:
            feeds.add_feed(path, rss_feed([OLD]))
        feeds.add_feed("/slow.xml", rss_feed([OLD]))
        feeds.set_delay("/slow.xml", SLOW)
        hook = discord.add_webhook(channel_id=77)
        config = write_config(tmp_path, db_url, feeds, discord, hook)
        replicas = [await start_replica(i, config, tmp_path, discord) for i in range(3)]
        try:
            # baseline, then one new release per feed
            await eventually(lambda: all(feeds.hits(p) >= 2 for p in FEEDS), within=60)
            await eventually(lambda: discord.gateway_open == 1, within=30)
            for i, path in enumerate(FEEDS):
                feeds.add_feed(path, rss_feed([new_item(i), OLD]))
            await eventually(lambda: len(discord.messages[77]) >= len(FEEDS), within=30)
            window_start = time.monotonic()
            await asyncio.sleep(3 * INTERVAL)  # room for a duplicate to show up
            window = time.monotonic() - window_start

            # SIGKILL a replica while it is polling the slow feed (it holds that source's lease)
            standby = [p for p in replicas if "standing by" in p.stderr()]
            holder = next(p for p in replicas if p not in standby)  # of the Discord gateway
            victim: Replica | None = None

            def polling_slow() -> bool:
                nonlocal victim
                victim = in_flight_slow_poll(feeds, replicas)
                return victim is not None

            await eventually(polling_slow, within=60)
            assert victim is not None
            sessions_before = discord.gateway_sessions
            victim.proc.send_signal(signal.SIGKILL)
            killed_at = time.monotonic()
            await victim.proc.wait()
            killed = victim

            def taken_over() -> list[float]:
                polls = polls_by_feed(feeds)["/slow.xml"]
                return [at - killed_at for at, agent in polls if at > killed_at and agent != killed.agent]

            await eventually(lambda: bool(taken_over()), within=LEASE + 3 * INTERVAL + SLOW)
            takeover = min(taken_over())
            # then the gateway holder, if it is still alive: another replica takes the gateway
            if holder is not victim:
                holder.proc.send_signal(signal.SIGKILL)
                await holder.proc.wait()
            await eventually(lambda: discord.gateway_sessions > sessions_before, within=30)
            await eventually(lambda: discord.gateway_open == 1, within=10)
        finally:
            for p in replicas:
                if p.proc.returncode is None:
                    p.proc.send_signal(signal.SIGTERM)
            codes = [await asyncio.wait_for(p.proc.wait(), 30) for p in replicas]

    survivors = [p for p in replicas if p not in (holder, killed)]
    assert survivors and all(codes[p.index] == 0 for p in survivors), [p.stderr()[-2000:] for p in survivors]
    # exactly once: one message per release, none twice
    titles = [m["embeds"][0]["title"] for m in discord.messages[77]]
    assert len(titles) == len(FEEDS) and len(set(titles)) == len(FEEDS), titles
    for i in range(len(FEEDS)):
        assert sum(f"Harrier-{i}-70B" in t for t in titles) == 1, titles
    # once per interval: consecutive polls of a source are at least an interval apart, whoever made them
    polls = polls_by_feed(feeds)
    for path in FEEDS:
        times = [at for at, _ in polls[path]]
        gaps = [b - a for a, b in itertools.pairwise(times)]
        assert min(gaps) > INTERVAL * 0.8, (path, gaps)
        recent = [at for at in times if window_start <= at <= window_start + window]
        assert 1 <= len(recent) <= window / INTERVAL + 1, (path, recent)
    assert len({agent for p in FEEDS for _, agent in polls[p]}) >= 2  # the work is shared
    # the killed replica's lease was taken within the lease time (plus one tick)
    assert takeover <= LEASE + INTERVAL + 1.0, takeover
    # one gateway connection at any time; standby replicas said so
    assert discord.gateway_max_open == 1
    assert len(standby) == 2
    print(f"lease takeover after SIGKILL: {takeover:.1f}s (lease {LEASE}s)")
