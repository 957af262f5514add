"""The route stage: which destinations hear about a stored claim, and how.

`Router` implements `bot.ports.AlertPlanner`. For each configured route whose filters the claim
passes it plans one outbox row:

- NEW     the first alert for (claim, destination); key ``{claim}:{destination}:new``.
- UPDATE  a later item added evidence to a claim the destination was already told about; a
          reply in the NEW alert's thread; key ``{claim}:{destination}:update:{source_count}``.
- DIGEST  routes with ``digest = "daily" | "weekly"``: one row per new claim, due at the end of
          the period, key ``digest:{destination}:{period}:{claim}``. The delivery stage sends all
          due rows sharing the ``digest:{destination}:{period}`` prefix as ONE message.

Only claims new to the world go into digests (a claim that merely gains evidence is not news for
a digest reader), so a claim appears in at most one digest per destination.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Any

from bot.domain import (
    AlertKind,
    AlertMessage,
    FrontierModel,
    Item,
    PlannedAlert,
    Relation,
    StoredClaim,
    digest_key,
    new_key,
    update_key,
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

    def message(self, claim: StoredClaim, item: Item | None, *, update: bool = False) -> AlertMessage:
        """The platform-free content of an alert about `claim`."""
        model = self._lookup(claim.frontier_key)
        days = None
        if model is not None:
            claimed = claim.claimed_on or claim.first_seen.date()
            days = (claimed - model.released).days
        source_url = claim.source_url
        if update and item is not None and item.url:
            source_url = item.url  # the update is about the new source
        return AlertMessage(
            competitor=claim.competitor,
            frontier_key=claim.frontier_key,
            frontier_name=model.name if model is not None else claim.frontier_key,
            relation=claim.relation,
            confidence=claim.confidence,
            evidence=claim.evidence_text,
            lab=claim.lab,
            source_url=source_url,
            source_count=claim.source_count,
            benchmarks=claim.benchmarks,
            days_after_release=days,
            title=item.title if item is not None and item.title else None,
        )

    def plan(
        self, claim: StoredClaim, *, is_new_claim: bool, item: Item | None, alerted: Sequence[str]
    ) -> list[PlannedAlert]:
        """Plan outbox rows for one stored claim (see `bot.ports.AlertPlanner`)."""
        planned: list[PlannedAlert] = []
        already = set(alerted)
        for route in self._routes:
            if not route.accepts(claim, item):
                continue
            dest = route.destination
            if route.route.digest:
                if not is_new_claim:
                    continue
                period, ends = digest_period(route.route.digest, self._now())
                payload = self._payload(route, claim, item, update=False)
                payload["period"] = period
                planned.append(
                    PlannedAlert(
                        dest, AlertKind.DIGEST, digest_key(dest, period, claim.id), payload, not_before=ends
                    )
                )
            elif dest not in already:
                planned.append(
                    PlannedAlert(
                        dest,
                        AlertKind.NEW,
                        new_key(claim.id, dest),
                        self._payload(route, claim, item, update=False),
                    )
                )
            elif not is_new_claim and item is not None:
                planned.append(
                    PlannedAlert(
                        dest,
                        AlertKind.UPDATE,
                        update_key(claim.id, dest, claim.source_count),
                        self._payload(route, claim, item, update=True),
                        parent_key=new_key(claim.id, dest),
                    )
                )
        return planned

    def _payload(
        self, route: _CompiledRoute, claim: StoredClaim, item: Item | None, *, update: bool
    ) -> dict[str, Any]:
        payload = self.message(claim, item, update=update).to_payload()
        if route.route.mention:
            payload["mention"] = route.route.mention
        return payload
