"""Prometheus metrics (prometheus-client, one registry per app: no module-level state).

Counters are fed after every cycle from the pipeline's outcomes and stats, and by the metered
sink around every delivery; gauges are read from the database when /metrics is scraped, so
they hold on every replica and after a restart.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from bot import __version__
from bot.domain import Alert, DeliveryReceipt, SourceHealth
from bot.errors import RateLimited
from bot.ports import ChatSink, OutboxView

LATENCY_BUCKETS = (1, 5, 15, 30, 60, 120, 300, 900, 1800, 3600, 4 * 3600, 24 * 3600)


class Metrics:
    def __init__(self, now: Callable[[], datetime] | None = None) -> None:
        self._now = now or (lambda: datetime.now(UTC))
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.build = Gauge("gapwatch_build_info", "gapwatch version", ["version"], registry=r)
        self.build.labels(__version__).set(1)
        self.polls = Counter(
            "gapwatch_polls", "Source polls by source kind and result", ["kind", "result"], registry=r
        )
        self.fetch_errors = Counter(
            "gapwatch_fetch_errors", "Failed polls by error kind", ["kind"], registry=r
        )
        self.items = Counter("gapwatch_items", "New items stored", registry=r)
        self.claims = Counter("gapwatch_claims", "New parity claims by relation", ["relation"], registry=r)
        self.alerts = Counter(
            "gapwatch_alerts",
            "Alert deliveries by destination and result",
            ["destination", "result"],
            registry=r,
        )
        self.latency = Histogram(
            "gapwatch_delivery_latency_seconds",
            "From the alert stored with its claim to the platform accepting it",
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.outbox_depth = Gauge("gapwatch_outbox_depth", "Alerts waiting to be delivered", registry=r)
        self.parked = Gauge("gapwatch_outbox_parked", "Alerts parked after failing for good", registry=r)
        self.sources_failing = Gauge("gapwatch_sources_failing", "Sources whose last poll failed", registry=r)
        self.last_success = Gauge(
            "gapwatch_source_last_success_timestamp_seconds",
            "Unix time of each source's last successful poll",
            ["source", "kind"],
            registry=r,
        )
        self.cycles = Counter("gapwatch_cycles", "Pipeline cycles finished", registry=r)

    # --- fed by the scheduler and the sinks ---------------------------------------------------

    def observe_cycle(self, pipeline: Any) -> None:
        """After a cycle: polls, fetch errors, items and claims (Scheduler observer)."""
        self.cycles.inc()
        for outcome in pipeline.cycle_outcomes:
            result = "ok" if outcome.result is not None else "error"
            self.polls.labels(outcome.spec.kind.value, result).inc()
            if outcome.result is None:
                self.fetch_errors.labels(outcome.error_kind or "unknown").inc()
        stats = pipeline.last
        if stats is None:
            return
        self.items.inc(stats.new_items)
        for relation, count in stats.detect.relations.items():
            self.claims.labels(relation).inc(count)

    def delivered(self, destination: str, result: str, created_at: datetime | None) -> None:
        self.alerts.labels(destination, result).inc()
        if result == "sent" and created_at is not None:
            stored = created_at if created_at.tzinfo else created_at.replace(tzinfo=UTC)
            self.latency.observe(max(0.0, (self._now() - stored).total_seconds()))

    # --- read at scrape time ----------------------------------------------------------------

    async def render(
        self, outbox: OutboxView | None, sources: Callable[[], Awaitable[list[SourceHealth]]] | None
    ) -> bytes:
        """The exposition text, gauges refreshed from the database first."""
        if outbox is not None:
            self.outbox_depth.set(await outbox.depth())
            self.parked.set(await outbox.parked_count())
        if sources is not None:
            health = await sources()
            self.sources_failing.set(sum(1 for s in health if s.enabled and s.failures > 0))
            self.last_success.clear()
            for source in health:
                if source.last_success is not None:
                    at = source.last_success
                    at = at if at.tzinfo else at.replace(tzinfo=UTC)
                    self.last_success.labels(source.key, source.kind).set(at.timestamp())
        return generate_latest(self.registry)


class MeteredSink:
    """A ChatSink that counts what the wrapped sink did with each alert."""

    def __init__(self, sink: ChatSink, metrics: Metrics) -> None:
        self._sink = sink
        self._metrics = metrics

    @property
    def name(self) -> str:
        return self._sink.name

    def __getattr__(self, attr: str) -> Any:  # other capabilities (edit, reply) pass through
        return getattr(self._sink, attr)

    async def send(self, alert: Alert) -> DeliveryReceipt:
        try:
            receipt = await self._sink.send(alert)
        except RateLimited:
            self._metrics.delivered(alert.destination, "rate_limited", None)
            raise
        except Exception:
            self._metrics.delivered(alert.destination, "error", None)
            raise
        self._metrics.delivered(alert.destination, "sent", alert.created_at)
        return receipt


def metered(sinks: Mapping[str, ChatSink], metrics: Metrics) -> dict[str, ChatSink]:
    return {name: MeteredSink(sink, metrics) for name, sink in sinks.items()}
