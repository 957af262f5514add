"""Hostile feeds in one cycle beside a healthy source: the healthy alert goes out, every hostile
source is recorded as failed (or read safely), 410 deactivates, nothing crashes.

The time to the healthy alert is measured by bench/bench_hostile.py (no timed assertions here).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.database import create_engine, session_factory
from storage.repo import Repository
from tests.scenario.hostile import hostile_world

pytestmark = pytest.mark.reliability


async def source_health(db_url: str) -> dict[str, object]:
    engine = create_engine(db_url)
    try:
        repo = Repository(session_factory(engine), dialect=engine.dialect.name)
        return {h.name: h for h in await repo.source_health()}
    finally:
        await engine.dispose()


async def test_hostile_feeds_beside_a_healthy_source(tmp_path: Path) -> None:
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'hostile.db'}"
    async with hostile_world(tmp_path, db_url) as world:
        _, first = await world.poll()  # baseline for the healthy source
        assert first.code == 0, first.stderr[-3000:]
        assert first.alerts == []
        world.publish()
        _, second = await world.poll()
    assert second.code == 0, second.stderr[-3000:]
    assert "Traceback" not in first.stderr + second.stderr
    heads = [a.split(" [confidence")[0] for a in second.alerts]
    assert heads == ["Zephyr-9B matches OpenAI o1 (full release)"]
    health = await source_health(db_url)
    failed = {name for name, h in health.items() if h.failures}  # type: ignore[attr-defined]
    assert failed >= {
        "gzip bomb",
        "over-size body",
        "endless redirects",
        "slow drip",
        "HTML as a feed",
        "empty body",
        "404",
        "garbage-ai",
    }
    assert "Healthy lab" not in failed
    assert not health["410"].enabled  # type: ignore[attr-defined]
    assert health["gzip bomb"].last_error and "exceeds" in health["gzip bomb"].last_error  # type: ignore[attr-defined]
    assert "took longer than 3s" in str(health["slow drip"].last_error)  # type: ignore[attr-defined]
    assert "redirects" in str(health["endless redirects"].last_error)  # type: ignore[attr-defined]
    assert "more than 1000 entries" in second.stderr + first.stderr


async def test_sigterm_ends_a_cycle_held_by_a_slow_drip(tmp_path: Path) -> None:
    """`gapwatch run` with default deadlines (60 s per fetch) and a source dripping one byte
    every half second: SIGTERM cuts the cycle after the grace period and the bot exits 0."""
    from tests.fakes.hostile import HostileServer
    from tests.scenario.cli_runner import eventually, start_bot, stop_bot

    async with HostileServer() as hostile:
        config = tmp_path / "config.toml"
        config.write_text(
            f'[storage]\nurl = "sqlite+aiosqlite:///{tmp_path / "gw.db"}"\n'
            f'[[sources]]\nkind = "feed"\nurl = "{hostile.url("/drip")}"\nname = "drip"\n',
            encoding="utf-8",
        )
        proc = await start_bot(config, cwd=tmp_path)
        try:
            await eventually(lambda: "/drip" in hostile.paths(), within=60)
        finally:
            run = await stop_bot(proc)  # fails if the bot is still running 30 s after SIGTERM
    assert run.code == 0, run.stderr[-3000:]
    assert "cycle cut off" in run.stderr and "Traceback" not in run.stderr
