"""Anchored scanning finds exactly what `re.finditer` finds, only faster."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.claims.scan import Anchored

CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus" / "claims" / "docs"

PATTERN = re.compile(r"(?<![A-Za-z])(?:(?i:we (?:release|introduce))|dubbed|发布了?)\s*(?P<name>[A-Z]\w+)")
LITERALS = ("we", "dubbed", "发布")

TEXTS = [
    "",
    "We release Zeta today. we introduce Heron, dubbed Kite.",
    "Awe release Zeta",  # a literal inside a word: the lookbehind refuses it
    "WE RELEASE ZETA and WE INTRODUCE HERON",
    "İstanbul: we release Zeta — the dotted capital lower-cases to two characters",
    "Kelvin \u212a sign; we introduce Heron; dubbed Kite",
    "发布了Zeta和发布Heron",
    "we we we release Zeta",  # overlapping candidate starts
    "dubbed dubbed Kite",
]


@pytest.mark.parametrize("text", TEXTS)
def test_anchored_finds_what_finditer_finds(text: str) -> None:
    scan = Anchored(PATTERN, LITERALS)
    got = [(m.span(), m.group("name")) for m in scan.finditer(text)]
    want = [(m.span(), m.group("name")) for m in PATTERN.finditer(text)]
    assert got == want


def test_offsets_survive_case_folding_that_changes_length() -> None:
    text = "İİİ we release Zeta"
    (match,) = Anchored(PATTERN, LITERALS).finditer(text)
    assert text[match.start() : match.end()] == "we release Zeta"


def test_an_anchor_needs_a_literal() -> None:
    with pytest.raises(ValueError, match="literal"):
        Anchored(PATTERN, ())


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the project")
def test_the_detectors_anchored_patterns_agree_with_finditer_on_the_corpus() -> None:
    from bot.claims.competitor import _INTRODUCE, _INTRODUCE_RE
    from bot.claims.frontier import FrontierRegistry

    matcher = FrontierRegistry.builtin().matcher
    for path in sorted(CORPUS.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        assert [m.span() for m in _INTRODUCE.finditer(text)] == [
            m.span() for m in _INTRODUCE_RE.finditer(text)
        ]
        assert [(m.start, m.end, m.model.key) for m in matcher.finditer(text)] == [
            (m.start(), m.end(), matcher._groups[m.lastindex - 1].key)  # type: ignore[operator]
            for m in matcher._regex.finditer(text)
        ], path.name


def _corpus_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.md"))] if CORPUS.is_dir() else []


WORD_START_TEXTS = [
    "",
    "Zeta-7B outperforms GPT-4o and is on par with o1; it trails o3.",
    "x3-point lead over GPT-4o; a 3-point lead over o1",  # a digit after a letter starts nothing
    "Zeta 在数学上超越了 GPT-4o，与 o1 相当，被 o3 超越。",
    "NOTMATCHED rivals, outperformsX, reoutperforms",
]


@pytest.mark.parametrize("text", WORD_START_TEXTS)
def test_word_start_scanning_finds_what_finditer_finds(text: str) -> None:
    from bot.claims.lexicon import CUE_RE, PASSIVE_RE
    from bot.claims.scan import AtWordStarts

    for pattern in (CUE_RE, PASSIVE_RE):
        got = [(m.span(), m.lastgroup) for m in AtWordStarts(pattern).finditer(text)]
        assert got == [(m.span(), m.lastgroup) for m in pattern.finditer(text)]


@pytest.mark.parametrize("text", WORD_START_TEXTS)
def test_first_character_dispatch_finds_what_finditer_finds(text: str) -> None:
    from bot.claims.lexicon import _CUE_SCAN, CUE_RE

    got = [(m.span(), m.lastgroup) for m in _CUE_SCAN.finditer(text)]
    assert got == [(m.span(), m.lastgroup) for m in CUE_RE.finditer(text)]


@pytest.mark.skipif(not _corpus_texts(), reason="shared corpus not present")
def test_first_character_dispatch_finds_what_finditer_finds_in_every_corpus_text() -> None:
    from bot.claims.lexicon import _CUE_SCAN, CUE_RE

    for text in _corpus_texts():
        got = [(m.span(), m.lastgroup) for m in _CUE_SCAN.finditer(text)]
        assert got == [(m.span(), m.lastgroup) for m in CUE_RE.finditer(text)]


# (pattern, flags, the characters a match can begin with; None: any)
FIRST_CHARS = [
    ("abc", 0, {"a"}),
    ("abc", re.IGNORECASE, {"a", "A"}),
    ("(?<![A-Za-z])(?:x|y)z", 0, {"x", "y"}),  # a look-behind is zero-width
    ("(?:not )?far", 0, {"n", "f"}),  # an optional group: what follows can begin too
    ("[a-c]d", 0, {"a", "b", "c"}),
    (r"\d+ points", 0, set("0123456789")),
    ("a?", 0, None),  # may match empty
    (".x", 0, None),  # any character
    (r"[^a]x", 0, None),
    ("超越|优于", 0, {"超", "优"}),
]


@pytest.mark.parametrize(("pattern", "flags", "expected"), FIRST_CHARS)
def test_first_chars(pattern: str, flags: int, expected: set[str] | None) -> None:
    from bot.claims.scan import first_chars

    got = first_chars(pattern, flags)
    assert (None if got is None else set(got)) == expected


@pytest.mark.skipif(not _corpus_texts(), reason="shared corpus not present")
def test_word_start_scanning_finds_what_finditer_finds_in_every_corpus_text() -> None:
    from bot.claims.lexicon import CUE_RE, PASSIVE_RE
    from bot.claims.scan import AtWordStarts

    for text in _corpus_texts():
        for pattern in (CUE_RE, PASSIVE_RE):
            got = [(m.span(), m.lastgroup) for m in AtWordStarts(pattern).finditer(text)]
            assert got == [(m.span(), m.lastgroup) for m in pattern.finditer(text)]
