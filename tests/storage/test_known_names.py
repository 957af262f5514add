"""The gazetteer query: model names the bot has already seen (stored model ids, ledger competitors)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.claims import FrontierRegistry
from bot.domain import Item, PollResult, SourceKind, SourceSpec
from storage.queries import Queries
from storage.repo import Repository
from storage.seed import load_ledger, seed_history

T0 = datetime(2025, 1, 20, 12, 0, tzinfo=UTC)
HF = SourceSpec(SourceKind.HUGGINGFACE, "acme", "Acme on HF", lab="Acme")


def _model(name: str, n: int) -> Item:
    return Item(
        source_key=HF.key,
        key=f"acme/{name}",
        title=name,
        url=f"https://huggingface.co/acme/{name}",
        text="card",
        published=T0 + timedelta(days=n),
        model_id=f"acme/{name}",
    )


async def test_known_model_names_lists_stored_ids_and_ledger_competitors(db: Any) -> None:
    repo = Repository(db.sessions, dialect=db.dialect)
    queries = Queries(db.sessions)
    assert await queries.known_model_names() == []
    await repo.sync_sources([HF], now=T0)
    items = (
        _model("Brightwing", 1),
        _model("Brightwing-Mini", 2),
        replace(_model("Plain", 3), model_id=None),
    )
    await repo.record_poll(HF, PollResult(items=items), now=T0, next_poll_at=T0 + timedelta(hours=1))
    names = await queries.known_model_names()
    assert set(names) == {"Brightwing", "Brightwing-Mini"}  # the name part of the id; no id, no name
    await seed_history(db.sessions, FrontierRegistry.builtin(), now=T0, ledger=load_ledger())
    names = await queries.known_model_names()
    assert "DeepSeek-R1" in names and "Brightwing" in names
    assert len(names) == len(set(names))
    assert len(await queries.known_model_names(limit=1)) <= 2  # one of each kind
