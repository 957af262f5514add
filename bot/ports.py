"""The boundaries of gapwatch: one small Protocol per seam.

Adapters (`adapters/`) and storage (`storage/`) satisfy these structurally; `bot/` never imports
discord, slack_bolt or SQLAlchemy outside the composition root (`bot/app.py`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, Protocol, runtime_checkable

from bot.domain import (
    Alert,
    Claim,
    ClaimChange,
    DeliveryReceipt,
    FirstParity,
    FrontierModel,
    Item,
    PlannedAlert,
    PollResult,
    SourceCursor,
    SourceHealth,
    SourceSpec,
    StoreCounts,
    StoredClaim,
    Subscription,
    Verdict,
)

KnownKeys = Callable[[Sequence[str]], Awaitable[set[str]]]
"""Given item keys of one source, return those already stored (so a source skips their detail)."""


@runtime_checkable
class Clock(Protocol):
    """Time, injected so that schedulers and backoff can be tested without sleeping."""

    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...

    async def sleep(self, seconds: float) -> None: ...


@runtime_checkable
class Source(Protocol):
    """Something that publishes items: a feed, a Hugging Face org, a GitHub repo, a page."""

    @property
    def spec(self) -> SourceSpec: ...

    async def poll(self, cursor: SourceCursor, known: KnownKeys) -> PollResult:
        """Fetch the source once.

        Args:
            cursor: validators and state from the previous poll.
            known: tells which item keys are already stored, so that per-item detail (a model
                card) is fetched only for new items.

        Raises:
            FetchError: the source could not be reached or answered an error.
            ParseError: the body could not be turned into items at all.
        """
        ...


@runtime_checkable
class ClaimDetector(Protocol):
    """Turns an item's text into parity claims."""

    def detect(self, item: Item) -> list[Claim]: ...


@runtime_checkable
class ChatSink(Protocol):
    """A platform that delivers alerts: console, Discord (bot or webhook), Slack."""

    @property
    def name(self) -> str:
        """The destination prefix this sink serves, e.g. "console", "discord", "slack"."""
        ...

    async def send(self, alert: Alert) -> DeliveryReceipt:
        """Deliver one alert; return only once the platform accepted it.

        Raises:
            RateLimited: the platform asked us to wait; the outbox reschedules the row.
            DeliveryError: the platform refused or failed; `permanent` errors are parked at once.
        """
        ...


@runtime_checkable
class AlertPlanner(Protocol):
    """The route stage: which destinations hear about an item's claims, and how (one new
    message, one thread reply, digest rows)."""

    def plan(
        self,
        item: Item | None,
        changes: Sequence[ClaimChange],
        threads: Mapping[int, Mapping[str, str]],
        *,
        item_ref: str,
    ) -> list[PlannedAlert]:
        """Plan outbox rows for all the claims one item added evidence to.

        Args:
            item: the item that produced the evidence (None for backfills).
            changes: each clustered claim after this item's evidence was merged in, with the
                claim as the item states it.
            threads: claim id -> {destination: group of the first message about its release}.
            item_ref: names the item in message group keys.
        """
        ...


@runtime_checkable
class Store(Protocol):
    """What the polling pipeline needs from storage (storage/repo.py implements it)."""

    async def lease_due_sources(
        self, *, now: datetime, owner: str, lease_seconds: float, limit: int = 100, force: bool = False
    ) -> list[str]: ...

    async def renew_source_leases(
        self, keys: Sequence[str], *, now: datetime, owner: str, lease_seconds: float
    ) -> int:
        """Extend this owner's leases on `keys` (polls still running); return how many it holds."""
        ...

    async def source_cursor(self, spec: SourceSpec) -> SourceCursor: ...

    async def source_cursors(self, specs: Sequence[SourceSpec]) -> dict[str, SourceCursor]:
        """The state of many sources in one read (a cycle reads every due source's at once)."""
        ...

    async def known_keys(self, source_key: str, keys: Sequence[str]) -> set[str]: ...

    async def record_poll(
        self, spec: SourceSpec, result: PollResult, *, now: datetime, next_poll_at: datetime
    ) -> list[Item]: ...

    async def record_polls(
        self, polls: Sequence[tuple[SourceSpec, PollResult, datetime]], *, now: datetime
    ) -> dict[str, list[Item]]:
        """Store many successful polls (spec, result, next poll) in one transaction; the new
        items per source key."""
        ...

    async def record_failure(
        self,
        spec: SourceSpec,
        error: str,
        *,
        now: datetime,
        next_poll_at: datetime,
        paused: bool = False,
        disable: bool = False,
    ) -> int: ...

    async def pending_items(self, *, limit: int = 500) -> list[tuple[Item, bool]]:
        """Stored items whose claims were not recorded yet, with their baseline flag."""
        ...

    async def record_history(self, entries: Sequence[tuple[Item, Sequence[Claim]]], *, now: datetime) -> None:
        """Record claims of baseline items as history (no alerts), in one transaction."""
        ...

    async def mark_detected(self, items: Sequence[Item], *, now: datetime) -> None:
        """Mark items that yielded no claims as processed (one transaction)."""
        ...

    async def record_claims(
        self, item: Item | None, claims: Sequence[Claim], planner: AlertPlanner | None, *, now: datetime
    ) -> list[StoredClaim]:
        """Cluster the claims, write evidence and planned alerts, and mark the item detected,
        all in one transaction."""
        ...

    async def record_claims_many(
        self, entries: Sequence[tuple[Item, Sequence[Claim]]], planner: AlertPlanner, *, now: datetime
    ) -> None:
        """`record_claims` for many items, all in one transaction."""
        ...


@runtime_checkable
class ClaimVerifier(Protocol):
    """An optional second opinion on a low-confidence claim (adapters/llm/chat_completions.py
    implements it; `bot.pipeline.verify.verify_claims` applies the verdicts)."""

    async def verify(self, claim: Claim, context: str) -> Verdict:
        """Judge one claim against the text it came from.

        Raises:
            Exception: any failure; `verify_claims` then keeps the rule's claim unchanged.
        """
        ...


class RunningServices(Protocol):
    """The long-running chat and HTTP services the scheduler runs beside its cycles."""

    @property
    def names(self) -> list[str]: ...

    async def close(self) -> None: ...


# --- the route and delivery stages -----------------------------------------------------------


class Route(Protocol):
    """What the router reads from a route (`bot.config.RouteSettings` satisfies it)."""

    @property
    def destination(self) -> str: ...
    @property
    def frontier(self) -> Sequence[str]: ...
    @property
    def labs(self) -> Sequence[str]: ...
    @property
    def relations(self) -> Sequence[str]: ...
    @property
    def min_confidence(self) -> float: ...
    @property
    def source_kinds(self) -> Sequence[Any]: ...
    @property
    def mention(self) -> str | None: ...
    @property
    def digest(self) -> str | None: ...


class OutboxPort(Protocol):
    """What delivery needs from storage (`storage.outbox.Outbox` implements it)."""

    async def lease(self, now: datetime, owner: str, limit: int, lease_seconds: float) -> list[Alert]: ...
    async def mark_sent(self, ids: int | Sequence[int], message_ref: str | None, now: datetime) -> int: ...
    async def reschedule(
        self, ids: int | Sequence[int], at: datetime, error: str, *, count_attempt: bool = True
    ) -> int: ...
    async def park(self, ids: int | Sequence[int], error: str, now: datetime) -> int: ...
    async def renew(
        self, ids: int | Sequence[int], owner: str, now: datetime, lease_seconds: float
    ) -> set[int]: ...
    async def report_parked(self, destination: str, now: datetime) -> int: ...


# --- the command core (bot/commands/) --------------------------------------------------------


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

    async def known_model_names(self, limit: int = 20_000) -> list[str]: ...


class FrontierWriter(Protocol):
    """Frontier models added or changed from chat (/track, /untrack) and source health:
    what `storage.repo.Repository` offers the commands."""

    async def upsert_frontier(
        self, model: FrontierModel, added_by: str | None = None, *, now: datetime | None = None
    ) -> None: ...

    async def source_health(self) -> list[SourceHealth]: ...


class OutboxView(Protocol):
    async def depth(self) -> int: ...

    async def parked_count(self) -> int: ...

    async def parked(self, limit: int = 100) -> Sequence[Any]: ...
