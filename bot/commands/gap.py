"""/gap MODEL: who caught up with a frontier model, how close, and how many days it took.

"First credible" parity (shared/reference/timeline.md): the earliest claim that is broad (its
evidence is not marked ``[narrow: …]`` or ``[unverified: …]``), whose relation is `matches` or
`exceeds`, and whose confidence is medium or high: seed rows store high/medium/low as
0.9/0.7/0.4, detected claims their detector score, and both must reach `CREDIBLE_CONFIDENCE`.
Days are counted from the frontier release to the claim's date (the publisher's date, else the
day the bot first saw it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from bot.domain import (
    CREDIBLE_CONFIDENCE,
    RELATION_RANK,
    BenchmarkPair,
    FirstParity,
    FrontierModel,
    Relation,
    StoredClaim,
    claim_date,
    is_broad,
    is_credible,
)
from bot.identity import identity_key
from bot.ports import CommandQueries, FrontierLookup

ENTRY_LIMIT = 300  # claims listed per report (the earliest; the first credible ones always)


@dataclass(frozen=True, slots=True)
class GapQuery:
    model: str


@dataclass(frozen=True, slots=True)
class GapEntry:
    """One competitor's claim against the frontier model."""

    competitor: str
    lab: str | None
    relation: Relation
    claimed_on: date
    days_after_release: int
    confidence: float
    benchmarks: tuple[BenchmarkPair, ...]
    source_url: str | None
    source_count: int
    open_weights: bool | None
    origin: str  # "seed" | "detected"
    evidence: str
    broad: bool
    credible: bool
    sources: tuple[str, ...] = ()  # every source's link, when known

    def to_json(self) -> dict[str, Any]:
        return {
            "competitor": self.competitor,
            "lab": self.lab,
            "relation": self.relation.value,
            "claimed_on": self.claimed_on.isoformat(),
            "days_after_release": self.days_after_release,
            "confidence": self.confidence,
            "benchmarks": [
                {
                    "benchmark": p.benchmark,
                    "competitor": p.competitor,
                    "frontier": p.frontier,
                    "delta": p.delta,
                }
                for p in self.benchmarks
            ],
            "source_url": self.source_url,
            "source_count": self.source_count,
            "open_weights": self.open_weights,
            "origin": self.origin,
            "evidence": self.evidence,
            "broad": self.broad,
            "credible": self.credible,
            "sources": list(self.sources),
        }


@dataclass(frozen=True, slots=True)
class ParityTime:
    """Another frontier model's time to its first credible parity claim."""

    frontier_key: str
    frontier_name: str
    released: date
    competitors: tuple[str, ...]
    claimed_on: date
    days: int
    earlier: bool  # released before the model the report is about

    def to_json(self) -> dict[str, Any]:
        return {
            "frontier_key": self.frontier_key,
            "frontier_name": self.frontier_name,
            "released": self.released.isoformat(),
            "competitors": list(self.competitors),
            "claimed_on": self.claimed_on.isoformat(),
            "days": self.days,
            "earlier": self.earlier,
        }


@dataclass(frozen=True, slots=True)
class GapReport:
    frontier: FrontierModel
    entries: tuple[GapEntry, ...]  # ordered by date
    first_credible: tuple[GapEntry, ...]  # every credible claim on the earliest credible date
    comparisons: tuple[ParityTime, ...]  # other frontier models, by release date
    total_claims: int | None = None  # all stored claims against the model (entries may be fewer)

    @property
    def parity_date(self) -> date | None:
        return self.first_credible[0].claimed_on if self.first_credible else None

    @property
    def days_to_parity(self) -> int | None:
        return self.first_credible[0].days_after_release if self.first_credible else None

    def to_json(self) -> dict[str, Any]:
        model = self.frontier
        return {
            "frontier": {
                "key": model.key,
                "name": model.name,
                "lab": model.lab,
                "released": model.released.isoformat(),
                "aliases": list(model.aliases),
                "tracked": model.tracked,
            },
            "total_claims": self.total_claims if self.total_claims is not None else len(self.entries),
            "first_credible": {
                "date": self.parity_date.isoformat() if self.parity_date else None,
                "days": self.days_to_parity,
                "competitors": [e.competitor for e in self.first_credible],
            },
            "claims": [e.to_json() for e in self.entries],
            "comparisons": [c.to_json() for c in self.comparisons],
        }


def to_entry(claim: StoredClaim, released: date) -> GapEntry:
    when = claim_date(claim)
    broad = is_broad(claim.evidence_text)
    return GapEntry(
        competitor=claim.competitor,
        lab=claim.lab,
        relation=claim.relation,
        claimed_on=when,
        days_after_release=(when - released).days,
        confidence=claim.confidence,
        benchmarks=claim.benchmarks,
        source_url=claim.source_url,
        source_count=claim.source_count,
        open_weights=claim.open_weights,
        origin=claim.origin,
        evidence=claim.evidence_text,
        broad=broad,
        credible=is_credible(claim.relation, claim.confidence, claim.evidence_text),
        sources=claim.sources,
    )


def _strength(entry: GapEntry) -> tuple[bool, int, float, date]:
    """Which of a model's claims speaks for it: credible first, then the strongest relation,
    the most confident, the earliest."""
    rank = RELATION_RANK[entry.relation.value]
    return (not entry.credible, -rank, -entry.confidence, entry.claimed_on)


def one_row_per_model(entries: Sequence[GapEntry]) -> list[GapEntry]:
    """One entry per competitor model (`bot.identity`): its strongest claim, with the sources of
    all its claims ("DeepSeek-R1 matches o1" and "DeepSeek R1 trails o1 on SWE-bench" are one row).
    """
    groups: dict[str, list[GapEntry]] = {}
    for entry in entries:
        groups.setdefault(identity_key(entry.competitor), []).append(entry)
    rows = []
    for group in groups.values():
        if len(group) == 1:
            rows.append(group[0])
            continue
        best = min(group, key=_strength)
        links = tuple(dict.fromkeys(link for e in group for link in e.sources))
        count = max(len(links), max(e.source_count for e in group))
        rows.append(replace(best, sources=links, source_count=count))
    return rows


def build_gap_report(
    model: FrontierModel,
    claims: Sequence[StoredClaim],
    firsts: Sequence[FirstParity],
    registry: FrontierLookup,
    *,
    total_claims: int | None = None,
) -> GapReport:
    """The report from already-fetched rows (pure: no I/O)."""
    entries = sorted(
        one_row_per_model([to_entry(c, model.released) for c in claims if c.frontier_key == model.key]),
        key=lambda e: (e.claimed_on, e.competitor.lower()),
    )
    credible = [e for e in entries if e.credible]
    first = tuple(e for e in credible if e.claimed_on == credible[0].claimed_on) if credible else ()
    by_key: dict[str, list[FirstParity]] = {}
    for row in firsts:
        by_key.setdefault(row.frontier_key, []).append(row)
    comparisons: list[ParityTime] = []
    for key, rows in by_key.items():
        other = registry.resolve(key)
        if other is None or other.key == model.key or not other.tracked:
            continue  # reference points (Llama 3.1 405B) are not frontier models to compare with
        when = min(r.claimed_on for r in rows)
        names = tuple(sorted({r.competitor for r in rows if r.claimed_on == when}))
        comparisons.append(
            ParityTime(
                frontier_key=other.key,
                frontier_name=other.name,
                released=other.released,
                competitors=names,
                claimed_on=when,
                days=(when - other.released).days,
                earlier=other.released < model.released,
            )
        )
    comparisons.sort(key=lambda c: (c.released, c.frontier_key))
    return GapReport(model, tuple(entries), first, tuple(comparisons), total_claims)


async def gap_report(
    queries: CommandQueries, registry: FrontierLookup, model: str, *, now: datetime | None = None
) -> GapReport:
    """The gap report for a frontier model named by key or alias.

    Args:
        queries: the command queries (`storage.queries.Queries`).
        registry: the frontier registry.
        model: a key or alias, e.g. "o1", "OpenAI-o1-1217", "gpt-4".
        now: unused; accepted for the CLI's call.

    Raises:
        UnknownModelError: no tracked or reference model has that key or alias (with close matches).
    """
    frontier = registry.get(model.strip())
    claims = await queries.claims_for(frontier.key, limit=ENTRY_LIMIT, credible_above=CREDIBLE_CONFIDENCE)
    total = await queries.count_claims(frontier.key) if len(claims) >= ENTRY_LIMIT else len(claims)
    firsts = await queries.first_parity(CREDIBLE_CONFIDENCE)
    return build_gap_report(frontier, claims, firsts, registry, total_claims=total)
