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


# Where a cue of the lexicons can begin: a Latin letter or digit not right after a Latin letter (the
# English phrases open with `(?<![A-Za-z])`), or any CJK character (Chinese has no word edges).
WORD_STARTS_RE = re.compile(r"(?<![A-Za-z])[A-Za-z0-9]|[\u2e80-\u9fff\uf900-\ufaff]")


class AtWordStarts:
    """`pattern`, tried only at the offsets `starts` finds (every offset where one of its matches
    can begin), left to right without overlapping, as `re.finditer` finds them. A big alternation
    costs its every alternative at every offset; a sentence has five times fewer word starts."""

    def __init__(self, pattern: re.Pattern[str], starts: re.Pattern[str] = WORD_STARTS_RE) -> None:
        self.pattern = pattern
        self._starts = starts

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """The matches of the pattern in `text`, left to right, not overlapping."""
        end = 0
        match_at = self.pattern.match
        for start in self._starts.finditer(text):
            pos = start.start()
            if pos < end:
                continue
            match = match_at(text, pos)
            if match is not None:
                yield match
                end = max(match.end(), pos + 1)
