"""Fast scanning for patterns that can only start at a few literal words.

Python's `re` tries a case-insensitive alternation ("we introduce|released|dubbed|...") at every
offset of a text, which costs about a millisecond per page. `str.find` of each literal word on the
lower-cased text runs at C speed; the full pattern is then tried only where a literal starts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator


class Anchored:
    """`pattern`, searched only where one of `literals` starts (case-insensitive). Every match of
    `pattern` must begin with one of the literals; matches are found left to right without
    overlapping, as `re.finditer` finds them."""

    def __init__(self, pattern: re.Pattern[str], literals: Iterable[str]) -> None:
        self.pattern = pattern
        self._literals = tuple(sorted({word.lower() for word in literals if word}))
        if not self._literals:
            raise ValueError("an anchored pattern needs at least one literal")

    def starts(self, text: str) -> list[int]:
        """Offsets in `text` where a literal starts, in order."""
        low = _lower_same_length(text)
        found: set[int] = set()
        for word in self._literals:
            pos = low.find(word)
            while pos != -1:
                found.add(pos)
                pos = low.find(word, pos + 1)
        return sorted(found)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """The matches of the pattern in `text`, left to right, not overlapping."""
        end = 0
        for pos in self.starts(text):
            if pos < end:
                continue
            match = self.pattern.match(text, pos)
            if match is not None:
                yield match
                end = max(match.end(), pos + 1)


def _lower_same_length(text: str) -> str:
    """`text` lower-cased with every offset kept ("İ" lower-cases to two characters: kept as is)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
