"""Rows to domain objects, shared by the storage modules."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.domain import BenchmarkPair, Relation, StoredClaim


def benchmarks_json(pairs: Sequence[BenchmarkPair]) -> list[Any]:
    """Benchmark pairs as stored in the `claims.benchmarks` JSON column."""
    return [[p.benchmark, p.competitor, p.frontier] for p in pairs]


def pairs_from_json(raw: Any) -> tuple[BenchmarkPair, ...]:
    pairs: list[BenchmarkPair] = []
    for entry in raw or []:
        try:
            name, competitor, frontier = entry[0], entry[1], entry[2]
            pairs.append(
                BenchmarkPair(
                    str(name),
                    None if competitor is None else float(competitor),
                    None if frontier is None else float(frontier),
                )
            )
        except (IndexError, TypeError, ValueError):
            continue
    return tuple(pairs)


def stored_claim(row: Any, sources: tuple[str, ...] = ()) -> StoredClaim:
    """A claims row (ORM object or a row of CLAIM_COLUMNS) as the domain's StoredClaim."""
    return StoredClaim(
        id=row.id,
        competitor=row.competitor,
        lab=row.lab,
        frontier_key=row.frontier_key,
        relation=Relation(row.relation),
        confidence=row.confidence,
        first_seen=row.first_seen_at,
        claimed_on=row.claimed_on,
        source_url=row.source_url,
        evidence_text=row.evidence_text,
        benchmarks=pairs_from_json(row.benchmarks),
        source_count=row.source_count,
        origin=row.origin,
        open_weights=row.open_weights,
        sources=sources,
    )
