"""The start-up schema check: current databases are recognised without loading Alembic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from storage.migrate import head_revision, shipped_head

ROOT = Path(__file__).resolve().parents[2]

_SCRIPT = """
import asyncio, sys
from storage.database import create_engine
from storage.migrate import upgrade

async def main(url):
    engine = create_engine(url)
    await upgrade(engine)
    await engine.dispose()

asyncio.run(main(sys.argv[1]))
print("alembic" in sys.modules)
"""


def test_the_head_read_from_the_files_is_alembics() -> None:
    assert shipped_head() is not None
    assert shipped_head() == head_revision()


def test_a_database_behind_the_head_is_migrated_by_alembic(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    subprocess.run(
        [sys.executable, "-c", _OLD, url], cwd=ROOT, capture_output=True, text=True, check=True, timeout=99
    )
    assert _start(url) is True


_OLD = """
import asyncio, sys
from storage.database import create_engine
from storage.migrate import alembic_config

def to_0002(connection):
    from alembic import command
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "0002")

async def main(url):
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(to_0002)
    await engine.dispose()

asyncio.run(main(sys.argv[1]))
"""


def _start(url: str) -> bool:
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, url], cwd=ROOT, capture_output=True, text=True, check=True, timeout=99
    )
    return done.stdout.strip() == "True"


def test_a_current_database_starts_without_alembic(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'fast.db'}"
    assert _start(url) is False  # a new database: create_all and the head stamp, no Alembic
    assert _start(url) is False  # at head: one SELECT, Alembic never imported
