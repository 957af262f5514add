"""Run the real `gapwatch` command as a subprocess, as a user does."""

from __future__ import annotations

import asyncio
import os
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without chat tokens or gapwatch settings from the developer's shell."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "SLACK_", "GAPWATCH_"))}
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    @property
    def alerts(self) -> list[str]:
        """The first line of each alert block the console sink printed."""
        return [block.splitlines()[0] for block in self.stdout.split("\n\n") if block.strip()]


async def gapwatch(config: Path, *args: str, cwd: Path) -> Run:
    env = clean_env()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "--config",
        str(config),
        *args,
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout=120)
    return Run(proc.returncode or 0, out.decode(), err.decode())
