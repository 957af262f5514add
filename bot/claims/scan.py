"""Fast scanning for patterns that can only start at a few literal words.

Python's `re` tries a case-insensitive alternation ("we introduce|released|dubbed|...") at every
offset of a text, which costs about a millisecond per page. `str.find` of each literal word on the
lower-cased text runs at C speed; the full pattern is then tried only where a literal starts.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any


class Anchored:
    """`pattern`, searched only where one of `literals` starts (case-insensitive). Every match of
    `pattern` must begin with one of the literals; matches are found left to right without
    overlapping, as `re.finditer` finds them."""

    def __init__(self, pattern: re.Pattern[str], literals: Iterable[str]) -> None:
        self.pattern = pattern
        self._literals = tuple(sorted({word.lower() for word in literals if word}))
        if not self._literals:
            raise ValueError("an anchored pattern needs at least one literal")

    def starts(self, text: str, low: str | None = None) -> list[int]:
        """Offsets in `text` where a literal starts, in order (`low`: the text lower-cased by
        `lower_same_length`, when the caller has it)."""
        low = lower_same_length(text) if low is None else low
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


def lower_same_length(text: str) -> str:
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


def first_chars(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """The characters a match of `pattern` can begin with (both cases under IGNORECASE), or None
    when that cannot be told (a match may be empty, begin with any character, or the pattern uses
    a construct this reading does not know). Zero-width assertions at the start are skipped, which
    can only widen the set."""
    try:
        # the stdlib's own parser (private, untyped): what `re` itself compiles
        c: Any = importlib.import_module("re._constants")
        tree = importlib.import_module("re._parser").parse(pattern, flags)
    except Exception:  # pragma: no cover - another Python's private modules
        return None
    found: set[str] = set()

    def add(code: int) -> None:
        ch = chr(code)
        found.update({ch, ch.lower(), ch.upper()} if flags & re.IGNORECASE else {ch})

    def walk(items: Any) -> bool:  # True: the sequence can match empty (keep looking after it)
        for op, av in items:
            if op is c.LITERAL:
                add(av)
                return False
            if op is c.IN:
                for kind, value in av:
                    if kind is c.LITERAL:
                        add(value)
                    elif kind is c.CATEGORY and value is c.CATEGORY_DIGIT:
                        found.update("0123456789")  # what matters at a word start: ASCII digits
                    elif kind is c.RANGE and value[1] - value[0] < 256:
                        for code in range(value[0], value[1] + 1):
                            add(code)
                    else:  # NEGATE, CATEGORY (\w), a wide range: anything
                        raise _Unknown
                return False
            if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
                continue  # zero-width: the match begins with what follows
            if op is c.SUBPATTERN:
                if not walk(av[-1]):
                    return False
                continue
            if op is c.BRANCH:
                if not any([walk(branch) for branch in av[1]]):  # every branch, no short cut
                    return False
                continue
            if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
                low, _, inner = av
                if not walk(inner) and low > 0:
                    return False
                continue
            raise _Unknown  # ANY, NOT_LITERAL, GROUPREF, ...
        return True

    try:
        if walk(tree):
            return None  # may match the empty string
    except _Unknown:
        return None
    return frozenset(found)


class _Unknown(Exception):
    pass


def first_char_guarded(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`pattern` compiled behind a lookahead for the characters its matches can begin with, when
    those can be told: the same matches, but `re` skips every other offset at once instead of
    trying each alternative there (a sentence-wide search of a ten-phrase alternation: 12 -> 7 us).
    The characters are read case-blind (a superset: "(?i:we)" inside a case-sensitive pattern
    still lets "We" through); a pattern that opens with global inline flags is left as it is."""
    compiled = re.compile(pattern, flags)
    if _GLOBAL_FLAGS_RE.match(pattern):
        return compiled
    chars = first_chars(pattern, compiled.flags | re.IGNORECASE)
    if not chars:
        return compiled
    guard = "".join(sorted(re.escape(ch) for ch in chars))
    return re.compile(f"(?=[{guard}])(?:{pattern})", flags)


_GLOBAL_FLAGS_RE = re.compile(r"\(\?[aiLmsux]+\)")


class ByFirstChar:
    """A pattern built from ordered `phrases` (by `build`), tried at word starts through a smaller
    pattern of only the phrases that can begin with the character there: the same matches as the
    whole pattern's `finditer` (same order of alternatives, same groups), without trying a hundred
    alternatives that cannot match at each word. Patterns per character are compiled when first
    needed."""

    def __init__(
        self,
        phrases: list[str],
        build: Callable[[Callable[[str], bool]], str],
        flags: int = re.IGNORECASE,
        starts: re.Pattern[str] = WORD_STARTS_RE,
    ) -> None:
        self._build, self._flags, self._starts = build, flags, starts
        self._firsts = {phrase: first_chars(phrase, flags) for phrase in phrases}
        self._keys = frozenset(ch for chars in self._firsts.values() if chars for ch in chars)
        self._any = any(chars is None for chars in self._firsts.values())
        self._by_char: dict[str, re.Pattern[str] | None] = {}

    def pattern_for(self, ch: str) -> re.Pattern[str] | None:
        """The pattern of the phrases that can begin with `ch` (None: no phrase can)."""
        try:
            return self._by_char[ch]
        except KeyError:
            pass
        if ch in self._keys or self._any:
            chars = self._firsts

            def wanted(phrase: str) -> bool:
                firsts = chars.get(phrase)
                return firsts is None or ch in firsts

            pattern: re.Pattern[str] | None = re.compile(self._build(wanted), self._flags)
        else:
            pattern = None
        self._by_char[ch] = pattern
        return pattern

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """The matches of the whole pattern in `text`, left to right, not overlapping."""
        end = 0
        by_char = self._by_char
        for start in self._starts.finditer(text):
            pos = start.start()
            if pos < end:
                continue
            ch = text[pos]
            pattern = by_char[ch] if ch in by_char else self.pattern_for(ch)
            if pattern is None:
                continue
            match = pattern.match(text, pos)
            if match is not None:
                yield match
                end = max(match.end(), pos + 1)
