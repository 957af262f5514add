"""The route stage: which destinations hear about a stored claim, and how.

`Router` implements `bot.ports.AlertPlanner`. It plans per ITEM: for each configured route, the
item's claims that pass the route's filters (frontier, lab, relation, min_confidence) become one
message, one outbox row per claim sharing a message group:

- NEW     nobody told the destination about this release yet: one top-level message with all
          of the item's claims; group ``release:{item}:{destination}:new``.
- UPDATE  the destination already has a message about the release (any of its claims, any size
          variant): one reply in that message's thread; group ``release:{item}:{destination}:update``,
          parent = the first message's group.
- DIGEST  routes with ``digest = "daily" | "weekly"``: one row per new claim, due at the end of
          the period, key ``digest:{destination}:{period}:{claim}``. The delivery stage sends all
          due rows sharing the ``digest:{destination}:{period}`` prefix as ONE message.

A claim below a route's min_confidence is left out of that route's message (it stays in the
ledger). The alert quotes the polled item (`ClaimChange.found`), never the ledger's text.

Only claims new to the world go into digests (a claim that merely gains evidence is not news for
a digest reader), so a claim appears in at most one digest per destination.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Any

from bot.domain import (
    AlertKind,
    AlertMessage,
    ClaimChange,
    FrontierModel,
    Item,
    PlannedAlert,
    Relation,
    StoredClaim,
    digest_key,
    release_group,
    release_key,
)
from bot.errors import GapwatchError
from bot.ports import Route

DEFAULT_RELATIONS = frozenset({Relation.MATCHES, Relation.EXCEEDS, Relation.APPROACHES})

ResolveFrontier = Callable[[str], FrontierModel | None]
"""Key or alias -> frontier model (None, or a GapwatchError/KeyError, when unknown)."""


def digest_period(kind: str, now: datetime) -> tuple[str, datetime]:
    """The period label containing `now` and the moment it ends (UTC).

    Daily periods are calendar days ("2025-01-20"), weekly ones ISO weeks ("2025-W04"),
    both ending at 00:00 UTC of the next period.
    """
    day = now.astimezone(UTC).date()
    if kind == "daily":
        end = day + timedelta(days=1)
        return day.isoformat(), datetime.combine(end, time(0), tzinfo=UTC)
    if kind == "weekly":
        year, week, weekday = day.isocalendar()
        end = day + timedelta(days=8 - weekday)
        return f"{year}-W{week:02d}", datetime.combine(end, time(0), tzinfo=UTC)
    raise ValueError(f"unknown digest period {kind!r}")


def _norm(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


class _CompiledRoute:
    """A route with its filters normalised once."""

    def __init__(self, route: Route, lookup: Callable[[str], FrontierModel | None]) -> None:
        self.route = route
        self.destination = route.destination
        self.frontier_raw = {_norm(name) for name in route.frontier}
        self.frontier_keys = {m.key for m in map(lookup, route.frontier) if m is not None}
        self.labs = {_norm(lab) for lab in route.labs}
        self.relations = (
            frozenset(Relation(r) for r in route.relations) if route.relations else DEFAULT_RELATIONS
        )
        self.kinds = {str(getattr(k, "value", k)) for k in route.source_kinds}

    def accepts(self, claim: StoredClaim, item: Item | None) -> bool:
        if self.frontier_raw and not (
            claim.frontier_key in self.frontier_keys or _norm(claim.frontier_key) in self.frontier_raw
        ):
            return False
        if self.labs and (claim.lab is None or _norm(claim.lab) not in self.labs):
            return False
        if claim.relation not in self.relations:
            return False
        if claim.confidence < self.route.min_confidence:
            return False
        if self.kinds:
            # A backfill (no item) has no source kind: a route that asks for kinds skips it.
            if item is None or item.source_kind.value not in self.kinds:
                return False
        return True


class Router:
    """Plans outbox rows for stored claims from the configured routes.

    Args:
        routes: `settings.effective_routes()` (or any objects with the same attributes).
        frontier: looks a frontier key or alias up, for names and release dates.
        now: the clock used to place digest rows in their period (default: system UTC time).
    """

    def __init__(
        self,
        routes: Sequence[Route],
        frontier: ResolveFrontier,
        *,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self._lookup_raw = frontier
        self._now = now or (lambda: datetime.now(UTC))
        self._routes = [_CompiledRoute(route, self._lookup) for route in routes]

    def _lookup(self, key: str) -> FrontierModel | None:
        try:
            return self._lookup_raw(key)
        except (GapwatchError, KeyError, LookupError):
            return None

    def destinations(self) -> list[str]:
        return [r.destination for r in self._routes]

    def message(self, change: ClaimChange, item: Item | None) -> AlertMessage:
        """The platform-free content of one claim's line in an alert about `item`.

        Relation, evidence and figures are what the item says (`change.found`); confidence,
        source count and the date (days after the frontier release) are the merged claim's."""
        claim, found = change.stored, change.found
        model = self._lookup(claim.frontier_key)
        days = None
        if model is not None:
            claimed = claim.claimed_on or claim.first_seen.date()
            days = (claimed - model.released).days
        seen = item.first_seen if item is not None and item.first_seen is not None else claim.first_seen
        return AlertMessage(
            competitor=found.competitor if found is not None else claim.competitor,
            frontier_key=claim.frontier_key,
            frontier_name=model.name if model is not None else claim.frontier_key,
            relation=found.relation if found is not None else claim.relation,
            confidence=claim.confidence,
            evidence=found.evidence if found is not None else claim.evidence_text,
            lab=claim.lab or (found.lab if found is not None else None),
            source_url=(item.url if item is not None else None)
            or (found.source_url if found is not None else None)
            or claim.source_url,
            source_count=claim.source_count,
            benchmarks=found.benchmarks if found is not None else claim.benchmarks,
            days_after_release=days,
            title=item.title if item is not None and item.title else None,
            first_seen=seen.isoformat(),
        )

    def plan(
        self,
        item: Item | None,
        changes: Sequence[ClaimChange],
        threads: Mapping[int, Mapping[str, str]],
        *,
        item_ref: str,
    ) -> list[PlannedAlert]:
        """Plan outbox rows for one item's claims (see `bot.ports.AlertPlanner`)."""
        planned: list[PlannedAlert] = []
        for route in self._routes:
            accepted = [c for c in changes if route.accepts(c.stored, item)]
            if not accepted:
                continue
            dest = route.destination
            if route.route.digest:
                period, ends = digest_period(route.route.digest, self._now())
                for change in accepted:
                    if not change.is_new:
                        continue
                    payload = self._payload(route, change, item)
                    payload["period"] = period
                    key = digest_key(dest, period, change.stored.id)
                    planned.append(
                        PlannedAlert(
                            dest, AlertKind.DIGEST, key, payload, not_before=ends, claim_id=change.stored.id
                        )
                    )
                continue
            roots = [threads[c.stored.id][dest] for c in accepted if dest in threads.get(c.stored.id, {})]
            if roots and item is None:
                # a backfill never replies: it announces only claims the destination never heard of
                accepted = [c for c in accepted if dest not in threads.get(c.stored.id, {})]
                roots = []
            kind = AlertKind.UPDATE if roots else AlertKind.NEW
            group = release_group(item_ref, dest, kind)
            planned += [
                PlannedAlert(
                    dest,
                    kind,
                    release_key(group, change.stored.id),
                    self._payload(route, change, item),
                    parent_key=roots[0] if roots else None,
                    group=group,
                    claim_id=change.stored.id,
                )
                for change in accepted
            ]
        return planned

    def _payload(self, route: _CompiledRoute, change: ClaimChange, item: Item | None) -> dict[str, Any]:
        payload = self.message(change, item).to_payload()
        if route.route.mention:
            payload["mention"] = route.route.mention
        return payload
