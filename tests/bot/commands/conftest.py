"""Fixtures for the command core: the frontier registry, seeded storage, a fixed clock.

`registry` is the real `bot.claims.frontier.FrontierRegistry` when it is importable, else a
minimal stand-in with the same interface over shared/reference/frontier.csv.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.bot.commands.standin import load_registry

NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


@pytest.fixture
def registry() -> Any:
    return load_registry()
