"""The boundaries of gapwatch: one small Protocol per seam.

Adapters (`adapters/`) and storage (`storage/`) satisfy these structurally; `bot/` never imports
discord, slack_bolt or SQLAlchemy outside the composition root (`bot/app.py`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from bot.domain import (
    Alert,
    Claim,
    DeliveryReceipt,
    Item,
    PlannedAlert,
    PollResult,
    SourceCursor,
    SourceSpec,
    StoredClaim,
)

if TYPE_CHECKING:
    from bot.claims.verifier import Verdict

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
    """The route stage: which destinations hear about a claim, and how (new, update, digest)."""

    def plan(
        self, claim: StoredClaim, *, is_new_claim: bool, item: Item | None, alerted: Sequence[str]
    ) -> list[PlannedAlert]:
        """Plan outbox rows for one stored claim.

        Args:
            claim: the clustered claim after this item's evidence was merged in.
            is_new_claim: True when this item created the cluster.
            item: the item that produced the evidence (None for backfills).
            alerted: destinations that already have a NEW alert for this claim.
        """
        ...


@runtime_checkable
class Store(Protocol):
    """What the polling pipeline needs from storage (storage/repo.py implements it)."""

    async def lease_due_sources(
        self, *, now: datetime, owner: str, lease_seconds: float, limit: int = 100, force: bool = False
    ) -> list[str]: ...

    async def source_cursor(self, spec: SourceSpec) -> SourceCursor: ...

    async def known_keys(self, source_key: str, keys: Sequence[str]) -> set[str]: ...

    async def record_poll(
        self, spec: SourceSpec, result: PollResult, *, now: datetime, next_poll_at: datetime
    ) -> list[Item]: ...

    async def record_failure(
        self, spec: SourceSpec, error: str, *, now: datetime, next_poll_at: datetime, paused: bool = False
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


@runtime_checkable
class ClaimVerifier(Protocol):
    """An optional second opinion on a low-confidence claim (bot/claims/verifier.py)."""

    async def verify(self, claim: Claim, context: str) -> Verdict:
        """Judge one claim against the text it came from.

        Raises:
            Exception: any failure; `verify_claims` then keeps the rule's claim unchanged.
        """
        ...
