"""A cheap gate in front of claim detection: a text that names no frontier model holds no claim.

Every parity claim compares a competitor with a frontier model the detector found in the text
(a sentence or a table label of `item.text`). Most items of a feed name none ("An update on our
infrastructure"), and running the detector on them costs about as much as on the rest: building
its model of the document's names comes before it looks for a frontier model. The gate looks
for the first word of any alias of any registry model ("gpt", "o1", "claude", ...) in the raw
text, case-insensitively, with a looser boundary than the detector's own matcher, so what it
lets through is a superset of what the detector can match; only texts without any such word
skip the detector. tests/bot/pipeline/test_gate.py checks on the labelled corpus that the
detector finds no claim in any text the gate stops.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.domain import Claim, Item
from bot.ports import ClaimDetector


def first_words(aliases: Iterable[str]) -> re.Pattern[str]:
    """A pattern that finds the first word of any alias (not preceded by a letter or digit)."""
    words = {re.split(r"[\s\-_]+", a.strip())[0].lower() for a in aliases if a and a.strip()}
    body = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True) if w)
    return re.compile(rf"(?<![A-Za-z0-9])(?:{body or '(?!x)x'})", re.IGNORECASE)


class MentionGate:
    """`detector` behind the gate; implements the same `ClaimDetector` port."""

    def __init__(self, detector: ClaimDetector, aliases: Iterable[str]) -> None:
        self.detector = detector
        self._words = first_words(aliases)
        self.skipped = 0  # texts the gate stopped (for tests and figures)

    def may_claim(self, text: str | None) -> bool:
        """Whether `text` may name a frontier model (False: it certainly names none)."""
        return bool(text) and self._words.search(text or "") is not None

    def detect(self, item: Item) -> list[Claim]:
        if not self.may_claim(item.text):
            self.skipped += 1
            return []
        return self.detector.detect(item)
