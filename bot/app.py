"""Composition root: Settings -> storage, HTTP client, sources, detector, router, sinks.

Every resource is opened once, in one `AsyncExitStack`, and passed to the objects that use it.
This is the only module in `bot/` that imports adapters and storage (the CLI command bodies in
`bot/cli_commands.py` call it).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.claims.frontier import FrontierRegistry
from bot.clock import SystemClock
from bot.config import Settings
from bot.pipeline import CycleStats, Pipeline
from bot.pipeline.gate import MentionGate
from bot.pipeline.poll import Schedule
from bot.ports import ChatSink, Clock, Source

if TYPE_CHECKING:  # storage and the adapters are imported when a command opens them
    from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

    from adapters.sinks.registry import ChatClients
    from adapters.web.monitor import Monitor
    from bot.claims.detector import ClaimDetector
    from bot.commands.core import CommandCore
    from storage.outbox import Outbox
    from storage.repo import Repository

log = logging.getLogger("gapwatch.app")

SOURCE_FAILURES_REPORTED = 3  # consecutive failed polls before the admin destination hears of it


def build_registry_offline(settings: Settings) -> FrontierRegistry:
    """Built-in frontier models plus config [[frontier]] (no database needed)."""
    return FrontierRegistry.builtin().extend(settings.frontier)


def gated(detector: ClaimDetector | OnDemandDetector, registry: FrontierRegistry) -> MentionGate:
    """The pipeline's detector: texts that name no model of `registry` skip it (bot/pipeline/gate.py)."""
    return MentionGate(detector, (a for m in registry.all() for a in (m.key, m.name, *m.aliases)))


class OnDemandDetector:
    """The rules-based detector, built (and its module imported) at the first text that passes
    the gate: a cycle with nothing new to detect, like an idle poll, never pays for it."""

    def __init__(self, registry: FrontierRegistry, *, min_confidence: float, gazetteer: Any = ()) -> None:
        self.registry, self.min_confidence, self.gazetteer = registry, min_confidence, gazetteer
        self._detector: ClaimDetector | None = None

    @property
    def detector(self) -> ClaimDetector:
        if self._detector is None:
            from bot.claims.detector import ClaimDetector

            self._detector = ClaimDetector(
                self.registry, min_confidence=self.min_confidence, gazetteer=self.gazetteer
            )
        return self._detector

    def detect(self, item: Any) -> Any:
        return self.detector.detect(item)


def describe(settings: Settings) -> str:
    """What `run` would do with these settings, one line per part (no secrets)."""
    routes = ", ".join(r.destination for r in settings.effective_routes())
    kinds: dict[str, int] = {}
    for source in settings.sources:
        kinds[source.kind.value] = kinds.get(source.kind.value, 0) + 1
    parts = [
        f"config: {settings.origin}",
        f"storage: {mask_url(settings.storage.url)}",
        "sources: " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) if kinds else "sources: none",
        f"routes: {routes}",
        f"discord bot: {'on' if settings.discord.token else 'off'}; "
        f"webhooks: {len(settings.discord.webhooks)}",
        f"slack: {'on (' + settings.slack.mode + ' mode)' if settings.slack.bot_token else 'off'}",
        f"http: {settings.http.listen or 'off'}",
        "sink sections: " + (", ".join(f"{k} ({len(v)})" for k, v in settings.sinks.items()) or "none"),
    ]
    return "\n".join(parts)


def mask_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # never print what might hold a password
        return url.split("://", 1)[0] + "://…"


@dataclass
class App:
    """Everything a command needs, opened once. `build_pipeline` fills the delivery side."""

    settings: Settings
    clock: Clock
    engine: AsyncEngine
    repo: Repository
    registry: FrontierRegistry
    owner: str
    stack: AsyncExitStack
    clients: ChatClients = field(default_factory=lambda: _chat_clients())  # the sinks' platform clients
    outbox: Outbox | None = None
    sinks: dict[str, ChatSink] = field(default_factory=dict)
    pipeline: Pipeline | None = None
    wake: asyncio.Event = field(default_factory=asyncio.Event)  # set: run the next cycle now
    pushed: set[str] = field(default_factory=set)  # source keys a Hub push made due
    hub_webhook_handler: Callable[..., Awaitable[Any]] | None = None  # POST handler for [http]
    monitor: Monitor | None = None  # health, metrics, views, chat lock (build_pipeline sets it)
    _sessions: async_sessionmaker[AsyncSession] | None = None

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]:
        """ORM sessions on the engine, made (and the ORM loaded) at the first use: a polling
        cycle's statements run on the engine's connections."""
        if self._sessions is None:
            from storage.database import session_factory

            self._sessions = session_factory(self.engine)
        return self._sessions

    def stats(self) -> CycleStats | None:
        """The last cycle's figures, for /metrics."""
        return self.pipeline.last if self.pipeline is not None else None


def _chat_clients() -> ChatClients:
    from adapters.sinks.registry import ChatClients

    return ChatClients()


async def _open_storage(settings: Settings, stack: AsyncExitStack) -> tuple[AsyncEngine, Repository]:
    from storage.database import create_engine
    from storage.migrate import upgrade
    from storage.repo import Repository

    engine = create_engine(settings.storage.url)
    stack.push_async_callback(engine.dispose)
    await upgrade(engine)
    return engine, Repository(engine, dialect=engine.dialect.name)


async def _registry(settings: Settings, repo: Any) -> FrontierRegistry:
    registry = build_registry_offline(settings)
    rows = await repo.get_frontier_rows()
    return registry.extend(rows) if rows else registry


@asynccontextmanager
async def open_app(settings: Settings, *, clock: Clock | None = None) -> AsyncIterator[App]:
    async with AsyncExitStack() as stack:
        engine, repo = await _open_storage(settings, stack)
        clock = clock or SystemClock()
        from storage.seed import seed_history

        registry = await _registry(settings, repo)
        await seed_history(engine, registry, now=clock.now())
        owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        yield App(settings, clock, engine, repo, registry, owner, stack)


def source_factory(app: App) -> Callable[[Any], Source]:
    """Builds a Source for a spec over one shared guarded fetch (opened on the app's stack)."""
    from adapters.sources import SourceOptions, build_source
    from bot.fetch import Fetcher, FetchPolicy, new_client

    policy = FetchPolicy.from_settings(app.settings.polling)
    client = new_client(policy)
    app.stack.push_async_callback(client.aclose)
    fetcher = Fetcher(client, policy)
    polling = app.settings.polling
    options = SourceOptions(
        hf_models_limit=polling.hf_models_limit,
        hf_card_budget=polling.hf_cards_per_poll,
        hf_token=polling.hf_token.get_secret_value() if polling.hf_token else None,
        github_token=polling.github_token.get_secret_value() if polling.github_token else None,
        article_budget=polling.articles_per_poll,
        mentions=lambda text: any(True for _ in app.registry.matcher.finditer(text)),
    )
    return lambda spec: build_source(spec, fetcher, options)


async def _build_sources(app: App) -> dict[str, Source]:
    build = source_factory(app)
    sources: dict[str, Source] = {spec.key: build(spec) for spec in app.settings.source_specs()}
    await app.repo.sync_sources(list(app.settings.source_specs()), now=app.clock.now())
    return sources


def _hub_webhook(app: App) -> None:
    """With [http] hf_webhook_secret, a Hub push makes the watched org's source due at once."""
    secret = app.settings.http.hf_webhook_secret
    if secret is None:
        return
    from adapters.web.hub_webhook import hub_webhook, watched_orgs
    from bot.domain import SourceKind

    specs = [s for s in app.settings.source_specs() if s.kind is SourceKind.HUGGINGFACE]
    orgs = watched_orgs([(s.key, s.target) for s in specs])

    async def make_due(keys: Any) -> int:
        app.pushed.update(keys)  # applied again as the next cycle starts
        due: int = await app.repo.make_due(keys, now=app.clock.now())
        app.wake.set()  # the scheduler runs the next cycle now instead of at its tick
        return due

    app.hub_webhook_handler = hub_webhook(secret.get_secret_value(), orgs, make_due)


def destinations_line(settings: Settings, sinks: dict[str, ChatSink]) -> str:
    """One line naming where alerts go, and which routed destinations have no sink configured."""
    parts = []
    for route in settings.effective_routes():
        prefix = route.destination.split(":", 1)[0]
        ok = prefix in sinks
        parked = f"{route.destination} (no sink configured: its alerts are parked)"
        parts.append(route.destination if ok else parked)
    if settings.admin.destination:
        parts.append(f"admin reports to {settings.admin.destination}")
    return "alerts go to: " + (", ".join(dict.fromkeys(parts)) or "nowhere (no routes)")


async def build_pipeline(app: App, *, observe: bool = True) -> Pipeline:
    """The pipeline over the app's storage, sources, detector, router and sinks. `observe`
    False (`poll --once`: no HTTP server, no scheduler) skips the health and metrics monitor
    and its Prometheus import."""
    from adapters.sinks.registry import build_sinks
    from bot.pipeline.deliver import DeliveryPolicy, deliver_due
    from bot.pipeline.route import Router
    from storage.outbox import Outbox

    settings = app.settings
    sources = await _build_sources(app)
    detector = gated(
        OnDemandDetector(app.registry, min_confidence=settings.detection.min_confidence), app.registry
    )
    router = Router(settings.effective_routes(), app.registry.resolve, now=app.clock.now)
    outbox = Outbox(app.engine, dialect=app.engine.dialect.name)
    sinks = await build_sinks(settings, app.stack, app.clients)
    if observe:
        sinks = _observe(app, sinks)
    policy = DeliveryPolicy.from_settings(settings.delivery, admin_destination=settings.admin.destination)
    app.outbox, app.sinks = outbox, sinks
    log.info("%s", destinations_line(settings, sinks))
    _hub_webhook(app)

    admin = settings.admin.destination

    async def deliver() -> Any:
        if admin:  # one report per failing episode of a source (3 failed polls in a row)
            await outbox.report_failing_sources(admin, SOURCE_FAILURES_REPORTED, app.clock.now())
        return await deliver_due(outbox, sinks, now=app.clock.now, owner=app.owner, policy=policy)

    polling = settings.polling
    schedule = Schedule(
        polling.interval,
        polling.jitter,
        adaptive=polling.adaptive,
        min_interval=polling.min_interval,
        max_interval=polling.max_interval,
        pause_after=polling.pause_after or None,
    )
    refresh = _refresher(app)
    pipeline = Pipeline(
        store=app.repo,
        sources=sources,
        detector=detector,
        planner=router,
        deliver=deliver,
        clock=app.clock,
        schedule=schedule,
        owner=app.owner,
        concurrency=settings.polling.concurrency,
        lease_seconds=settings.polling.lease_seconds,
        source_timeout=settings.polling.source_timeout,
        stage_timeout=settings.polling.stage_timeout,
        max_item_chars=settings.polling.max_item_chars,
        refresh=refresh,
    )
    pipeline.verifier = _verifier(app)
    app.pipeline = pipeline
    return pipeline


def _observe(app: App, sinks: dict[str, ChatSink]) -> dict[str, ChatSink]:
    """Health heartbeats, Prometheus metrics, read-only views and the chat lock (app.monitor),
    for the HTTP server and the scheduler; the sinks come back metered."""
    from adapters.web.metrics import Metrics, metered
    from adapters.web.monitor import Monitor
    from bot.health import Health
    from storage.chat_lock import ChatLock
    from storage.views import Views

    metrics = Metrics(now=app.clock.now)
    app.monitor = Monitor(
        health=Health(now=app.clock.now, interval=app.settings.polling.interval),
        metrics=metrics,
        views=Views(app.engine, app.sessions),
        sources=app.repo.source_health,
        now=app.clock.now,
        chat_lock=ChatLock(app.engine),
    )
    return metered(sinks, metrics)


def _verifier(app: App) -> Any:
    """The optional LLM verifier ([detection] verifier_url + verifier_model), or None."""
    detection = app.settings.detection
    if not (detection.verifier_url and detection.verifier_model):
        return None
    import httpx

    from adapters.llm.chat_completions import ChatCompletionsVerifier
    from bot.fetch import tls_context

    client = httpx.AsyncClient(timeout=app.settings.delivery.timeout, verify=tls_context())
    app.stack.push_async_callback(client.aclose)
    key = detection.verifier_key.get_secret_value() if detection.verifier_key else None
    log.info("claim verifier on: %s (%s)", detection.verifier_url, detection.verifier_model)
    return ChatCompletionsVerifier(client, detection.verifier_url, detection.verifier_model, api_key=key)


def _refresher(app: App) -> Callable[[Pipeline], Awaitable[None]]:
    """Per cycle: pick up frontier models added by /track and routes added by /subscribe (on
    any replica), rebuilding the detector and the router only when they changed."""
    from bot.config import RouteSettings
    from bot.pipeline.route import Router
    from storage.queries import Queries

    queries = Queries(app.engine)
    seen: list[object] = [None]

    async def refresh(pipeline: Pipeline) -> None:
        pushed = app.pushed
        if pushed:  # pushed while the previous cycle ran: its poll may have rescheduled them
            keys = sorted(pushed)
            pushed.clear()
            await app.repo.make_due(keys, now=app.clock.now())
        rows = await app.repo.get_frontier_rows()
        subscriptions = await queries.subscriptions()
        known = await queries.known_model_names()  # the gazetteer grows as the bot runs
        signature = (
            tuple(rows),
            tuple((s.destination, json.dumps(dict(s.filters), sort_keys=True)) for s in subscriptions),
            len(known),
            tuple(known[:50]),
        )
        if signature == seen[0]:
            return
        seen[0] = signature
        registry = build_registry_offline(app.settings)
        registry = registry.extend(rows) if rows else registry
        routes = list(app.settings.effective_routes())
        for sub in subscriptions:
            try:
                routes.append(RouteSettings(destination=sub.destination, **dict(sub.filters)))
            except ValueError as exc:
                log.warning("ignoring subscription %s: %s", sub.destination, exc)
        app.registry = registry
        pipeline.detector = gated(
            OnDemandDetector(registry, min_confidence=app.settings.detection.min_confidence, gazetteer=known),
            registry,
        )
        pipeline.planner = Router(routes, registry.resolve, now=app.clock.now)

    return refresh


def build_command_core(app: App) -> CommandCore:
    """The platform-free command core over this app's storage and registry."""
    from bot.commands.core import CommandCore
    from storage.outbox import Outbox
    from storage.queries import Queries

    outbox = app.outbox or Outbox(app.engine, dialect=app.engine.dialect.name)
    return CommandCore(Queries(app.engine), app.registry, repo=app.repo, outbox=outbox, now=app.clock.now)
