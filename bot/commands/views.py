"""What the command core reads and writes, as Protocols and plain read models.

`storage/queries.py` satisfies `CommandQueries`; the frontier registry (`bot.claims.frontier`)
satisfies `FrontierLookup`; `storage/repo.Repository` satisfies `FrontierWriter`;
`storage/outbox.Outbox` satisfies `OutboxView`. The core imports none of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from bot.domain import FrontierModel, SourceHealth, StoredClaim


@dataclass(frozen=True, slots=True)
class FirstParity:
    """The earliest credible parity claim against one frontier model (one row per competitor)."""

    frontier_key: str
    competitor: str
    claimed_on: date


@dataclass(frozen=True, slots=True)
class Subscription:
    """A route added from chat: alerts go to `destination` when they pass `filters`."""

    destination: str
    filters: Mapping[str, Any] = field(default_factory=dict)
    created_by: str | None = None
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class StoreCounts:
    sources: int
    items: int
    claims: int
    seed_claims: int


class FrontierLookup(Protocol):
    """The frontier registry as the commands use it."""

    def resolve(self, name: str) -> FrontierModel | None: ...

    def get(self, name: str) -> FrontierModel:
        """The model for a key or alias. Raises UnknownModelError (with suggestions)."""
        ...

    def suggest(self, name: str) -> list[str]: ...

    def all(self) -> Sequence[FrontierModel]: ...

    def tracked(self) -> Sequence[FrontierModel]: ...

    def extend(self, models: Iterable[FrontierModel]) -> Any: ...


class CommandQueries(Protocol):
    """Reads (and chat-made subscriptions) the commands need from storage."""

    async def claims_for(
        self, frontier_key: str, *, limit: int | None = None, credible_above: float | None = None
    ) -> list[StoredClaim]: ...

    async def count_claims(self, frontier_key: str) -> int: ...

    async def first_parity(self, min_confidence: float) -> list[FirstParity]: ...

    async def recent_claims(
        self, *, since: date, frontier_key: str | None = None, limit: int = 50
    ) -> list[StoredClaim]: ...

    async def subscribe(
        self, destination: str, filters: Mapping[str, Any], *, created_by: str | None, now: datetime
    ) -> Subscription: ...

    async def unsubscribe(self, destination: str) -> bool: ...

    async def subscription(self, destination: str) -> Subscription | None: ...

    async def counts(self) -> StoreCounts: ...


class FrontierWriter(Protocol):
    """Frontier models added or changed from chat (/track, /untrack) and source health:
    what `storage.repo.Repository` offers the commands."""

    async def upsert_frontier(
        self, model: FrontierModel, added_by: str | None = None, *, now: datetime | None = None
    ) -> None: ...

    async def source_health(self) -> list[SourceHealth]: ...


class OutboxView(Protocol):
    async def depth(self) -> int: ...

    async def parked(self, limit: int = 100) -> Sequence[Any]: ...
