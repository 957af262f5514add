"""The frontier registry for command tests: the real one if it has landed, else a stand-in."""

from __future__ import annotations

import csv
import difflib
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from bot.domain import FrontierModel
from bot.errors import UnknownModelError

FRONTIER_CSV = Path(__file__).resolve().parents[4] / "shared" / "reference" / "frontier.csv"


def _norm(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


class StandInRegistry:
    """Same interface as bot.claims.frontier.FrontierRegistry (builtin/extend/resolve/get/...)."""

    def __init__(self, models: Iterable[FrontierModel] = ()) -> None:
        self._models: dict[str, FrontierModel] = {}
        self.extend(models)

    @classmethod
    def builtin(cls) -> StandInRegistry:
        models = []
        with FRONTIER_CSV.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                models.append(
                    FrontierModel(
                        key=row["key"],
                        name=row["name"],
                        lab=row["lab"],
                        released=date.fromisoformat(row["released"]),
                        aliases=tuple(a for a in row["aliases"].split(";") if a),
                        open_weights=row["kind"] == "open",
                        tracked=row["tracked"] == "yes",
                        source=row["source"],
                    )
                )
        return cls(models)

    def extend(self, models: Iterable[FrontierModel]) -> StandInRegistry:
        for model in models:
            self._models[model.key] = model
        return self

    def resolve(self, name: str) -> FrontierModel | None:
        wanted = name.strip().lower()
        for model in self._models.values():
            if wanted == model.key.lower() or wanted in (a.lower() for a in model.aliases):
                return model
        return None

    def suggest(self, name: str) -> list[str]:
        names = {k: k for k in self._models}
        names |= {_norm(a): m.key for m in self._models.values() for a in m.aliases}
        close = difflib.get_close_matches(_norm(name), list(names), n=5, cutoff=0.6)
        return list(dict.fromkeys(names[c] for c in close))[:3]

    def get(self, name: str) -> FrontierModel:
        model = self.resolve(name)
        if model is None:
            raise UnknownModelError(name, self.suggest(name))
        return model

    def all(self) -> list[FrontierModel]:
        return list(self._models.values())

    def tracked(self) -> list[FrontierModel]:
        return [m for m in self._models.values() if m.tracked]


def load_registry() -> Any:
    try:
        from bot.claims.frontier import FrontierRegistry
    except ImportError:
        return StandInRegistry.builtin()
    return FrontierRegistry.builtin()


async def build_core(db: Any, registry: Any, now: Any, *, seed: bool = True) -> Any:
    """A CommandCore over a test database (seeded with the reference ledger)."""
    from bot.commands.core import CommandCore
    from storage.outbox import Outbox
    from storage.queries import Queries
    from storage.repo import Repository
    from storage.seed import seed_history

    if seed:
        await seed_history(db.sessions, registry, now=now)
    return CommandCore(
        Queries(db.sessions),
        registry,
        repo=Repository(db.sessions, dialect=db.dialect),
        outbox=Outbox(db.sessions, dialect=db.dialect),
        now=lambda: now,
    )
