"""Cluster stage logic: how one claim seen in several sources is merged (pure functions).

Storage (`storage/claims.py`) finds the cluster by `Claim.cluster_key` inside the transaction
and calls these to decide what the merged claim says.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.domain import Claim

SOURCE_BOOST = 0.05  # per independent source beyond the first
MAX_BOOST = 0.15


def merge_confidence(old: float, new: float, sources: int) -> float:
    """Confidence of a claim backed by `sources` independent sources.

    The best single piece of evidence counts, plus a small boost for each further source
    (several sources saying the same thing are more credible than one), capped at 1.0.

    Args:
        old: the best confidence of the evidence recorded so far (not a merged value, so
            merging never compounds the boost).
        new: the confidence of the new evidence.
        sources: how many independent sources back the claim, the new one included.
    """
    boost = min(MAX_BOOST, SOURCE_BOOST * max(0, sources - 1))
    return round(min(1.0, max(old, new) + boost), 4)


def better_evidence(
    old_confidence: float, old_benchmarks: int, new_confidence: float, new_benchmarks: int
) -> bool:
    """Whether new evidence should replace the claim's headline evidence.

    Figures beat prose: more benchmark pairs win; with as many, higher confidence wins; a tie
    keeps the old evidence (the first source stays the headline).
    """
    if new_benchmarks != old_benchmarks:
        return new_benchmarks > old_benchmarks
    return new_confidence > old_confidence


def earliest(old: date | None, new: date | None) -> date | None:
    """The claim date: the earliest publisher's date among its sources."""
    if old is None or new is None:
        return old or new
    return min(old, new)


def merge_same_item(claims: Sequence[Claim]) -> list[Claim]:
    """One claim per cluster key from one item (prose and a table may say the same thing).

    Keeps the first claim's position; its evidence is the better one; confidence is the best.
    """
    merged: dict[tuple[str, str, str], Claim] = {}
    for claim in claims:
        key = claim.cluster_key
        seen = merged.get(key)
        if seen is None:
            merged[key] = claim
            continue
        best = (
            claim
            if better_evidence(seen.confidence, len(seen.benchmarks), claim.confidence, len(claim.benchmarks))
            else seen
        )
        merged[key] = Claim(
            competitor=best.competitor,
            frontier_key=best.frontier_key,
            relation=best.relation,
            evidence=best.evidence,
            confidence=max(seen.confidence, claim.confidence),
            lab=seen.lab or claim.lab,
            benchmarks=best.benchmarks,
            source_url=seen.source_url or claim.source_url,
            published=earliest(seen.published, claim.published),
            origin=best.origin,
        )
    return list(merged.values())
