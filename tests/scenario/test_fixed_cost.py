"""A polling cycle's fixed cost stays small: `poll --once` of feeds on a current database never
loads the chat platforms, the chart library, Alembic, the LLM verifier, feedparser (the fast
parser reads the feed), the HTML libraries of page sources, or SQLAlchemy's ORM (every
statement of a cycle, claims and alerts included, is a Core statement on a connection)."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from tests.fakes.feeds import FeedServer, rss_feed
from tests.scenario.cli_runner import clean_env

HEAVY = (
    "discord", "slack_bolt", "slack_sdk", "matplotlib", "alembic", "adapters.llm", "feedparser", "lxml",
    "cssselect",
)  # fmt: skip
_PROBE = """
import json, runpy, sys
sys.argv = ["gapwatch", "--config", sys.argv[1], "poll", "--once"]
try:
    runpy.run_module("bot", run_name="__main__")
except SystemExit as exit:
    assert not exit.code, exit.code
keep = ("adapters.llm", "bot.claims.detector", "sqlalchemy.orm")  # by these names, else the top package
heavy = sorted({next((k for k in keep if m.startswith(k)), m.split(".")[0]) for m in sys.modules})
print(json.dumps(heavy))
"""


async def _loaded(config: Path, cwd: Path) -> set[str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _PROBE, str(config), cwd=cwd, env=clean_env(),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(proc.communicate(), timeout=120)
    assert proc.returncode == 0, err.decode()[-2000:]
    return set(json.loads(out.decode().strip().splitlines()[-1]))


async def test_poll_once_loads_nothing_it_does_not_use(tmp_path: Path) -> None:
    async with FeedServer() as feeds:
        url = feeds.add_feed("/f.xml", rss_feed([{"title": "T", "link": "https://e.x/1", "summary": "s"}]))
        config = tmp_path / "config.toml"
        config.write_text(
            f'[storage]\nurl = "sqlite+aiosqlite:///{tmp_path / "gw.db"}"\n'
            f'[[sources]]\nkind = "feed"\nurl = "{url}"\n'
        )
        first = await _loaded(config, tmp_path)  # a new database: create_all + head stamp, no Alembic
        feeds.add_feed("/f.xml", rss_feed([{"title": "U", "link": "https://e.x/2", "summary": "s"}]))
        again = await _loaded(config, tmp_path)  # current: the schema check is one SELECT
        idle = await _loaded(config, tmp_path)  # nothing changed: the feed answers 304
        claim = {"title": "M-7B", "link": "https://e.x/3", "summary": "M-7B outperforms GPT-4o on MMLU."}
        feeds.add_feed("/f.xml", rss_feed([claim]))
        claimed = await _loaded(config, tmp_path)  # a new item with a claim: recorded, alerted
    assert "alembic" not in first
    assert "sqlalchemy.orm" not in first  # a first poll whose items claim nothing
    assert "sqlalchemy.orm" not in again and "sqlalchemy.orm" not in idle
    assert "bot.claims.detector" in claimed and "sqlalchemy.orm" not in claimed  # clusters are Core too
    assert not idle & {m.split(".")[0] for m in HEAVY} - {"adapters"}, idle & set(HEAVY)
    assert not again & {m.split(".")[0] for m in HEAVY} - {"adapters"}, again & set(HEAVY)
    assert "adapters.llm" not in again
    # the new item names no frontier model: the gate stops it, the detector is never built
    assert "bot.claims.detector" not in again
    assert "feedparser_rs" in again  # the fast parser read the feed; feedparser stayed unloaded
