"""The real repository, outbox, a manual clock and a console buffer, on the `db` database."""

from __future__ import annotations

import io
from typing import Any

import pytest

from bot.clock import ManualClock
from storage.outbox import Outbox
from storage.repo import Repository


@pytest.fixture
def parts(db: Any) -> dict[str, Any]:
    repo = Repository(db.sessions, dialect=db.dialect)
    outbox = Outbox(db.sessions, dialect=db.dialect)
    return {"repo": repo, "outbox": outbox, "clock": ManualClock(), "out": io.StringIO()}
