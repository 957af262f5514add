"""A database outage under `gapwatch run`: PostgreSQL behind a TCP proxy that the test cuts for a
few ticks. The bot logs one warning when the outage starts and one when it ends (no traceback),
keeps running, and the item published during the outage is alerted once afterwards."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import func, select

from storage.database import create_engine, session_factory
from storage.migrate import upgrade
from storage.schema import OutboxRow, SourceRow
from tests.fakes.feeds import FeedServer, rss_feed
from tests.fakes.tcp_proxy import TcpProxy
from tests.scenario.cli_runner import eventually, start_bot, stop_bot
from tests.scenario.hostile import NEW, OLD

pytestmark = pytest.mark.reliability


async def _count(sessions: object, statement: object) -> int:
    async with sessions() as session:  # type: ignore[operator]
        return int(await session.scalar(statement) or 0)


async def test_an_outage_is_one_warning_at_each_end_and_loses_nothing(db_url: str, tmp_path: Path) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("the outage is cut in a TCP proxy in front of the PostgreSQL server")
    host_db = db_url.rsplit("/", 1)[1]
    engine = create_engine(db_url)
    await upgrade(engine)
    sessions = session_factory(engine)
    try:
        async with FeedServer() as feeds, TcpProxy("127.0.0.1", 5432) as proxy:
            feeds.add_feed("/lab.xml", rss_feed([OLD]))
            config = tmp_path / "config.toml"
            config.write_text(
                f'[storage]\nurl = "postgresql+asyncpg://postgres@127.0.0.1:{proxy.port}/{host_db}"\n'
                "[polling]\ninterval = 1\njitter = 0\nretries = 0\n"
                f'[[sources]]\nkind = "feed"\nurl = "{feeds.url("/lab.xml")}"\nname = "Lab"\n',
                encoding="utf-8",
            )
            proc = await start_bot(config, cwd=tmp_path)
            try:
                baseline = select(func.count()).select_from(SourceRow).where(SourceRow.baseline_done)
                await eventually(lambda: _count(sessions, baseline), within=60)
                proxy.cut()
                feeds.add_feed("/lab.xml", rss_feed([NEW, OLD]))  # published during the outage
                await asyncio.sleep(4)  # several 1 s ticks against a dead database
                proxy.restore()
                sent = select(func.count()).select_from(OutboxRow).where(OutboxRow.status == "sent")
                await eventually(lambda: _count(sessions, sent), within=60)
            finally:
                run = await stop_bot(proc)
    finally:
        await engine.dispose()
    assert run.code == 0, run.stderr[-3000:]
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    assert run.stderr.count("database unavailable") == 1, run.stderr[-3000:]
    assert run.stderr.count("database available again") == 1, run.stderr[-3000:]
    assert [a.split(" [confidence")[0] for a in run.alerts] == ["Zephyr-9B matches OpenAI o1 (full release)"]
