"""The command core: one async method per chat/CLI command, platform-free replies out.

    core = CommandCore(Queries(sessions), registry, repo=repo, outbox=outbox, now=clock.now)
    report = await core.gap("o1")                       # GapReport
    await core.track("Grok 4", aliases="grok-4", released="2025-07-09", actor="discord:42")

Platform adapters (adapters/chat/discord_commands.py, slack_commands.py) check permissions,
call these methods and render the replies; bad arguments raise CommandError and unknown models
UnknownModelError, both one line that says what to type instead.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from bot import __version__
from bot.commands.gap import GapEntry, GapReport, gap_report, one_row_per_model, to_entry
from bot.commands.recent import LIMIT, ClaimsReply, make_line, parse_days
from bot.commands.status import PARKED_SHOWN, ParkedLine, SourcesReply, StatusReply, order_sources
from bot.commands.track import (
    FrontierList,
    SubscribeReply,
    TrackReply,
    UnsubscribeReply,
    UntrackReply,
    parse_filters,
    plan_track,
    plan_untrack,
)
from bot.errors import CommandError
from bot.ports import CommandQueries, FrontierLookup, FrontierWriter, OutboxView

PARKED_LIMIT = 100


class CommandCore:
    """The commands over storage and the frontier registry.

    Args:
        queries: command reads (storage.queries.Queries).
        registry: the frontier registry; /track and /untrack extend it (the new registry, when
            `extend` returns one, is kept in `core.registry`).
        repo: frontier rows and source health (storage.repo.Repository).
        outbox: outbox depth and parked rows (storage.outbox.Outbox).
        now: the clock, e.g. `clock.now`.
        version: shown by /status.
    """

    def __init__(
        self,
        queries: CommandQueries,
        registry: FrontierLookup,
        *,
        repo: FrontierWriter,
        outbox: OutboxView,
        now: Callable[[], datetime],
        version: str = __version__,
    ) -> None:
        self._queries = queries
        self.registry = registry
        self._repo = repo
        self._outbox = outbox
        self._now = now
        self._version = version

    def _extend(self, model: Any) -> None:
        result = self.registry.extend([model])
        if result is not None:
            self.registry = result

    # --- /gap, /claims, /frontier -------------------------------------------------------------

    async def gap(self, model: str) -> GapReport:
        if not model or not model.strip():
            raise CommandError("give a frontier model, e.g. /gap o1 (see /frontier)")
        return await gap_report(self._queries, self.registry, model)

    async def claims(self, model: str | None = None, days: int | str | None = None) -> ClaimsReply:
        window = parse_days(days)
        frontier = self.registry.get(model.strip()) if model and model.strip() else None
        since = (self._now() - timedelta(days=window)).date()
        rows = await self._queries.recent_claims(
            since=since, frontier_key=frontier.key if frontier else None, limit=LIMIT
        )
        by_frontier: dict[str, list[GapEntry]] = {}
        for claim in rows:
            owner = frontier or self.registry.resolve(claim.frontier_key)
            released = owner.released if owner else claim.claimed_on or claim.first_seen.date()
            by_frontier.setdefault(claim.frontier_key, []).append(to_entry(claim, released))
        lines = [  # one line per model and frontier model, newest first
            make_line(frontier or self.registry.resolve(key), key, entry)
            for key, entries in by_frontier.items()
            for entry in one_row_per_model(entries)
        ]
        lines.sort(key=lambda line: line.entry.claimed_on, reverse=True)
        return ClaimsReply(frontier, window, since, tuple(lines))

    def frontier(self) -> FrontierList:
        models = sorted(self.registry.tracked(), key=lambda m: (m.released, m.key), reverse=True)
        return FrontierList(tuple(models))

    def complete_model(self, prefix: str, limit: int = 25) -> list[tuple[str, str]]:
        """(label, key) choices for autocomplete: keys and aliases containing `prefix`."""
        needle = prefix.strip().lower()
        scored: list[tuple[int, str, str]] = []
        for model in sorted(self.registry.all(), key=lambda m: m.released, reverse=True):
            for name in (model.key, *model.aliases):
                low = name.lower()
                if needle and needle not in low:
                    continue
                rank = 0 if low == needle else 1 if low.startswith(needle) else 2
                label = model.key if name == model.key else f"{name} → {model.key}"
                scored.append((rank, label[:100], model.key))
                if not needle:
                    break  # one choice per model when nothing is typed yet
        scored.sort(key=lambda s: s[0])
        seen: set[str] = set()
        choices = []
        for _, label, key in scored:
            if label in seen:
                continue
            seen.add(label)
            choices.append((label, key))
            if len(choices) == limit:
                break
        return choices

    # --- /track, /untrack ---------------------------------------------------------------------

    async def track(
        self,
        name: str,
        *,
        aliases: str | None = None,
        released: str | None = None,
        lab: str | None = None,
        actor: str | None = None,
    ) -> TrackReply:
        now = self._now()
        reply = plan_track(self.registry, name, aliases=aliases, released=released, lab=lab, today=now.date())
        await self._repo.upsert_frontier(reply.model, actor, now=now)
        self._extend(reply.model)
        return reply

    async def untrack(self, name: str, *, actor: str | None = None) -> UntrackReply:
        reply = plan_untrack(self.registry, name)
        await self._repo.upsert_frontier(reply.model, actor, now=self._now())
        self._extend(reply.model)
        return reply

    # --- /subscribe, /unsubscribe -------------------------------------------------------------

    async def subscribe(
        self,
        destination: str,
        *,
        frontier: str | None = None,
        labs: str | None = None,
        relations: str | None = None,
        min_confidence: float | str | None = None,
        actor: str | None = None,
    ) -> SubscribeReply:
        filters = parse_filters(
            self.registry, frontier=frontier, labs=labs, relations=relations, min_confidence=min_confidence
        )
        before = await self._queries.subscription(destination)
        saved = await self._queries.subscribe(destination, filters, created_by=actor, now=self._now())
        return SubscribeReply(saved, replaced=before is not None)

    async def unsubscribe(self, destination: str) -> UnsubscribeReply:
        return UnsubscribeReply(destination, await self._queries.unsubscribe(destination))

    # --- /sources, /status --------------------------------------------------------------------

    async def sources(self) -> SourcesReply:
        return SourcesReply(order_sources(await self._repo.source_health()), self._now())

    async def status(self) -> StatusReply:
        depth = await self._outbox.depth()
        parked = list(await self._outbox.parked(PARKED_LIMIT))
        counts = await self._queries.counts()
        health = await self._repo.source_health()
        lines = tuple(
            ParkedLine(str(p.destination), str(getattr(p, "summary", "")), getattr(p, "last_error", None))
            for p in parked[:PARKED_SHOWN]
        )
        return StatusReply(
            version=self._version,
            outbox_depth=depth,
            parked_count=len(parked),
            parked_more=len(parked) >= PARKED_LIMIT,
            parked=lines,
            counts=counts,
            tracked=len(self.registry.tracked()),
            failing_sources=sum(1 for s in health if s.failures > 0),
        )
