"""The detector's fast exit (`may_name_frontier`) drops no claim: texts it skips are texts in
which the full detector finds nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

import bot.claims.detector as detector_module
from bot.claims import ClaimDetector
from bot.claims.detector import may_name_frontier
from bot.claims.frontier import FrontierRegistry

CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus" / "claims" / "docs"
REGISTRY = FrontierRegistry.builtin()

# (text, title, names a frontier model) — written for this test
CASES = [
    ("An update on our infrastructure and our team.", None, False),
    ("Zeta-7B outperforms GPT-4o on MMLU.", None, True),
    ("Zeta-7B is out.", "Zeta-7B outperforms GPT-4o", True),  # the headline alone
    ("| Model | Zeta | GPT&#8209;4o |\n|---|---|---|\n| MMLU | 90 | 88 |", None, True),  # an entity hyphen
    ("<th>Claude&nbsp;3.5&nbsp;Sonnet</th>", None, True),
    ("Zeta beats Gemini-2.5 on math.", None, True),  # version shorthand needs the family word
    ("Zeta beats Claude-3.5 on code.", None, True),
    ("Zeta 在数学上超越了 GPT\u20114o。", None, True),  # a Unicode hyphen
    ("Zeta-7B beats Llama 3 70B and Mixtral on MMLU.", None, False),  # rivals, none tracked
    ("We release Heron, our best model yet.", "Heron release notes", False),
]


@pytest.mark.parametrize(("text", "title", "expected"), CASES)
def test_a_text_may_hold_a_claim_only_when_it_names_a_frontier_model(
    text: str, title: str | None, expected: bool
) -> None:
    assert may_name_frontier(text, title, REGISTRY.matcher) is expected


def _windows(text: str, size: int = 3, step: int = 2) -> list[str]:
    blocks = [b for b in text.split("\n\n") if b.strip()]
    return ["\n\n".join(blocks[i : i + size]) for i in range(0, max(1, len(blocks) - size + 1), step)]


def _texts() -> list[tuple[str, str]]:
    out = [(text, f"case {i}") for i, (text, _, _) in enumerate(CASES)]
    if CORPUS.is_dir():
        for path in sorted(CORPUS.glob("*.md")):
            out += [(w, path.name) for w in _windows(path.read_text(encoding="utf-8"))]
    return out


def test_the_fast_exit_skips_only_texts_without_claims(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = ClaimDetector(REGISTRY)
    texts = _texts()
    skipped = [(text, name) for text, name in texts if not may_name_frontier(text, None, REGISTRY.matcher)]
    assert skipped, "no text was skipped: the test would prove nothing"
    monkeypatch.setattr(detector_module, "may_name_frontier", lambda *_: True)
    full = ClaimDetector(REGISTRY)
    for text, name in skipped:
        assert full.detect_text(text) == [], name
    for text, name in texts[:200]:  # and where it does not skip, both detectors agree
        monkeypatch.undo()
        fast_claims = fast.detect_text(text)
        monkeypatch.setattr(detector_module, "may_name_frontier", lambda *_: True)
        assert fast_claims == full.detect_text(text), name
