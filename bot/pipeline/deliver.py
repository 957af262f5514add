"""The deliver stage: lease due outbox rows, hand each to its sink, record what happened.

A row is marked sent only after the sink returned, i.e. after the platform accepted it. So a
crash between the platform's acceptance and the mark repeats that message after the lease
expires (at most once per crash for each destination with a message in flight, since
destinations are delivered concurrently): the sinks keep that window to one HTTP round trip (Discord
webhooks use ``?wait=true`` and return the message; Slack and the bot API answer synchronously).

Outcomes (`policy` holds the numbers):

- accepted              -> mark sent with the platform's message id (thread replies use it)
- RateLimited           -> reschedule at now + retry_after; not an attempt; the destination's
                           other rows in this batch wait too. Never an inline sleep.
- DeliveryError, time-out or any other exception
                        -> exponential backoff with jitter; park after `max_attempts`
- permanent DeliveryError, or no sink for the destination -> park at once

Parked rows are kept (`Outbox.parked()`), and reported once to the admin destination if any.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from bot.domain import Alert, AlertKind, DeliveryReceipt, group_key
from bot.errors import DeliveryError, RateLimited
from bot.ports import ChatSink, OutboxPort

log = logging.getLogger("gapwatch.deliver")


class DeliveryLimits(BaseModel):
    """The `[delivery]` section, declared once (`bot.config.DeliverySettings` is this model)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_attempts: int = Field(8, ge=1)
    backoff_base: float = Field(5.0, ge=0)
    backoff_max: float = Field(3600.0, ge=0)
    lease_seconds: float = Field(60.0, gt=0)
    batch: int = Field(50, ge=1)
    timeout: float = Field(20.0, gt=0)


class DeliveryPolicy(DeliveryLimits):
    """The limits, plus what the composition root adds: where parked rows are reported, how
    many lease rounds one call may run, and the jitter source (tests pass a constant)."""

    admin_destination: str | None = None
    max_rounds: int = 10  # lease again while rows were sent (unblocks thread replies)
    rand: Callable[[], float] = Field(default=random.random, repr=False, exclude=True)

    @classmethod
    def from_settings(
        cls, delivery: DeliveryLimits, *, admin_destination: str | None = None
    ) -> DeliveryPolicy:
        """From `settings.delivery` (and `settings.admin.destination`)."""
        return cls(**delivery.model_dump(), admin_destination=admin_destination)

    def backoff(self, attempt: int) -> float:
        """Seconds before retry number `attempt` (1-based): capped exponential, +-50% jitter."""
        base = min(self.backoff_max, self.backoff_base * 2 ** max(0, attempt - 1))
        return float(min(self.backoff_max, base * (0.5 + self.rand())))


@dataclass
class DeliveryStats:
    leased: int = 0
    sent: int = 0
    rate_limited: int = 0
    retried: int = 0
    parked: int = 0
    admin_reports: int = 0
    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.sent} sent, {self.rate_limited} rate-limited, {self.retried} to retry, "
            f"{self.parked} parked"
        )


def sink_name(destination: str) -> str:
    """The sink prefix of a destination: "discord:123" -> "discord", "console" -> "console"."""
    return destination.partition(":")[0]


def combine(alerts: Sequence[Alert]) -> Alert:
    """One message for a group of rows: a digest, or one item's claims (a release alert or its
    thread reply), collects its rows' payloads under "claims"."""
    first = alerts[0]
    if len(alerts) == 1 and first.kind is not AlertKind.DIGEST and first.group is None:
        return first
    claims = [{k: v for k, v in a.payload.items() if k not in ("mention", "period")} for a in alerts]
    payload: dict[str, Any] = {"claims": claims}
    if first.kind is AlertKind.DIGEST:
        payload["period"] = first.payload.get("period", "")
    if "mention" in first.payload:
        payload["mention"] = first.payload["mention"]
    key = group_key(first.kind, first.idempotency_key, first.group)
    return Alert(
        first.id,
        first.destination,
        first.kind,
        key,
        payload,
        None,
        max(a.attempts for a in alerts),
        thread_ref=first.thread_ref,
        group=first.group,
        created_at=min((a.created_at for a in alerts if a.created_at), default=None),
    )


def _plan(alerts: Sequence[Alert]) -> dict[str, list[list[Alert]]]:
    """Per destination, the messages to send in order (rows of one group merged into one)."""
    plan: dict[str, dict[str, list[Alert]]] = {}
    for alert in sorted(alerts, key=lambda a: a.id):
        messages = plan.setdefault(alert.destination, {})
        messages.setdefault(group_key(alert.kind, alert.idempotency_key, alert.group), []).append(alert)
    return {dest: list(messages.values()) for dest, messages in plan.items()}


async def deliver_due(
    outbox: OutboxPort,
    sinks: Mapping[str, ChatSink],
    *,
    now: Callable[[], datetime] | datetime,
    owner: str,
    policy: DeliveryPolicy,
) -> DeliveryStats:
    """Deliver every due outbox row once; return what happened.

    Args:
        outbox: the outbox (leases and marks rows).
        sinks: sink per destination prefix: "console", "discord", "webhook", "slack".
        now: the clock (a callable, read before each step) or a fixed time.
        owner: this process's lease owner id.
        policy: attempts, backoff, batch size, time-out, admin destination.

    Raises:
        StoreError: the database failed; rows already sent stay leased and are retried
            after their lease expires.
    """
    clock: Callable[[], datetime] = now if callable(now) else (lambda: now)
    run = _Delivery(outbox, sinks, clock, owner, policy)
    await run.drain()
    if policy.admin_destination:
        run.stats.admin_reports = await outbox.report_parked(policy.admin_destination, clock())
        if run.stats.admin_reports:
            await run.drain()
    return run.stats


@dataclass
class _Lease:
    """One destination's lease on its rows of a batch, renewed in one statement for all the
    messages still to send, and again only when the time left could not cover a send (the
    renewal used to be a statement and a transaction per message)."""

    outbox: OutboxPort
    owner: str
    policy: DeliveryPolicy
    until: datetime | None = None  # when the last renewal's lease ends
    held: set[int] = field(default_factory=set)

    def _enough(self, now: datetime) -> bool:
        """Whether the lease left covers a whole send (its time-out) with room to spare."""
        margin = max(self.policy.lease_seconds / 2, 2 * self.policy.timeout)
        return self.until is not None and self.until - now > timedelta(seconds=margin)

    async def hold(self, ids: Sequence[int], remaining: Sequence[int], now: datetime) -> int:
        """How many of `ids` (the next message's rows) this worker holds for the next send;
        renews `remaining` (this message's rows and every later one's) first when needed."""
        if not self._enough(now):
            self.held = await self.outbox.renew(remaining, self.owner, now, self.policy.lease_seconds)
            self.until = now + timedelta(seconds=self.policy.lease_seconds)
        return sum(1 for i in ids if i in self.held)


@dataclass
class _Delivery:
    outbox: OutboxPort
    sinks: Mapping[str, ChatSink]
    now: Callable[[], datetime]
    owner: str
    policy: DeliveryPolicy
    stats: DeliveryStats = field(default_factory=DeliveryStats)

    async def drain(self) -> None:
        for _ in range(self.policy.max_rounds):
            policy = self.policy
            alerts = await self.outbox.lease(self.now(), self.owner, policy.batch, policy.lease_seconds)
            if not alerts:
                return
            self.stats.leased += len(alerts)
            sent_before = self.stats.sent
            results = await asyncio.gather(
                *(self._destination(dest, messages) for dest, messages in _plan(alerts).items()),
                return_exceptions=True,
            )
            for result in results:
                if isinstance(result, BaseException):
                    raise result
            if self.stats.sent == sent_before:
                return  # nothing was sent: no thread reply can have been unblocked

    async def _destination(self, destination: str, messages: list[list[Alert]]) -> None:
        sink = self.sinks.get(sink_name(destination))
        lease = _Lease(self.outbox, self.owner, self.policy)
        for index, rows in enumerate(messages):
            ids = [a.id for a in rows]
            if sink is None:
                await self._park(ids, f"no sink configured for {destination!r}")
                continue
            message = combine(rows)
            # A batch to a slow platform can outlive the lease taken at its start: renew it before
            # a send that could outlast it, and leave rows another worker has taken over since
            # (it sends them, not us).
            held = await lease.hold(ids, [a.id for later in messages[index:] for a in later], self.now())
            if held < len(ids):
                log.warning(
                    "%s: %d of %d alerts were taken over by another worker",
                    destination,
                    len(ids) - held,
                    len(ids),
                )
                continue
            try:
                async with asyncio.timeout(self.policy.timeout):
                    receipt: DeliveryReceipt = await sink.send(message)
            except RateLimited as exc:
                waiting = [a.id for later in messages[index:] for a in later]
                at = self.now() + timedelta(seconds=exc.retry_after)
                await self.outbox.reschedule(waiting, at, str(exc), count_attempt=False)
                self.stats.rate_limited += len(waiting)
                log.warning(
                    "%s rate limited: %d alerts wait %.1fs", destination, len(waiting), exc.retry_after
                )
                return
            except DeliveryError as exc:
                if exc.permanent:
                    await self._park(ids, str(exc))
                else:
                    await self._failed(message, ids, str(exc))
            except TimeoutError:
                await self._failed(message, ids, f"{destination}: no answer within {self.policy.timeout:g}s")
            except Exception as exc:  # a sink bug must not lose the alert: treat as transient
                log.exception("sink %s raised an unexpected error", sink_name(destination))
                await self._failed(message, ids, f"{destination}: {type(exc).__name__}: {exc}")
            else:
                await self.outbox.mark_sent(ids, receipt.message_ref, self.now())
                self.stats.sent += len(ids)
                log.info(
                    "alert %s delivered to %s (%s)", message.idempotency_key, destination, receipt.message_ref
                )

    async def _failed(self, message: Alert, ids: list[int], error: str) -> None:
        attempt = message.attempts + 1
        if attempt >= self.policy.max_attempts:
            await self._park(ids, f"{error} (after {attempt} attempts)")
            return
        delay = self.policy.backoff(attempt)
        await self.outbox.reschedule(ids, self.now() + timedelta(seconds=delay), error)
        self.stats.retried += len(ids)
        self.stats.errors.append(error)
        log.warning("delivery failed (attempt %d), retry in %.0fs: %s", attempt, delay, error)

    async def _park(self, ids: list[int], error: str) -> None:
        await self.outbox.park(ids, error, self.now())
        self.stats.parked += len(ids)
        self.stats.errors.append(error)
        log.error("alerts %s parked: %s", ids, error)
