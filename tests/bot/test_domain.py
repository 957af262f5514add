"""Pure merge rules for clustered claims."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain import (
    BenchmarkPair,
    Claim,
    Relation,
    better_evidence,
    earliest,
    merge_confidence,
    merge_same_item,
)


@pytest.mark.parametrize(
    ("old", "new", "sources", "expected"),
    [
        (0.7, 0.6, 1, 0.7),  # one source: the best evidence, no boost
        (0.6, 0.8, 2, 0.85),  # a second source adds a little
        (0.8, 0.7, 3, 0.9),
        (0.5, 0.5, 10, 0.65),  # the boost is capped
        (0.95, 0.9, 4, 1.0),  # and so is confidence
    ],
)
def test_merge_confidence(old: float, new: float, sources: int, expected: float) -> None:
    assert merge_confidence(old, new, sources) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("old", "new", "wins"),
    [
        ((0.9, 0), (0.6, 2), True),  # figures beat prose
        ((0.6, 3), (0.9, 2), False),
        ((0.6, 1), (0.7, 1), True),  # as many figures: confidence decides
        ((0.7, 1), (0.7, 1), False),  # a tie keeps the first source
    ],
)
def test_better_evidence(old: tuple[float, int], new: tuple[float, int], wins: bool) -> None:
    assert better_evidence(old[0], old[1], new[0], new[1]) is wins


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (None, None, None),
        (date(2025, 1, 2), None, date(2025, 1, 2)),
        (None, date(2025, 1, 2), date(2025, 1, 2)),
        (date(2025, 1, 5), date(2025, 1, 2), date(2025, 1, 2)),
    ],
)
def test_earliest(old: date | None, new: date | None, expected: date | None) -> None:
    assert earliest(old, new) == expected


def test_merge_same_item_keeps_one_claim_per_cluster() -> None:
    prose = Claim("DeepSeek-R1", "o1", Relation.MATCHES, "on par", 0.9, lab="DeepSeek")
    table = Claim(
        "deepseek-ai/DeepSeek-R1",
        "o1",
        Relation.EXCEEDS,
        "row",
        0.6,
        benchmarks=(BenchmarkPair("AIME", 79.8, 79.2),),
    )
    trails = Claim("DeepSeek-R1", "o1", Relation.TRAILS, "behind", 0.5)
    merged = merge_same_item([prose, table, trails])
    assert [(c.relation, c.evidence, c.confidence, c.lab) for c in merged] == [
        (Relation.EXCEEDS, "row", 0.9, "DeepSeek"),
        (Relation.TRAILS, "behind", 0.5, None),
    ]
