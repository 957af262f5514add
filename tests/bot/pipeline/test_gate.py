"""The mention gate in front of claim detection (bot/pipeline/gate.py) changes no result: on every
text of the labelled corpus and on crafted tables, the gated detector finds what the detector
alone finds, and a text the gate stops holds no claim."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import gated
from bot.claims import ClaimDetector, FrontierRegistry
from bot.domain import Claim, Item
from bot.evaluate import read_document
from bot.pipeline.gate import MentionGate

SHARED = Path(__file__).resolve().parents[4] / "shared" / "corpus"
REGISTRY = FrontierRegistry.builtin()
DETECTOR = ClaimDetector(REGISTRY)

CRAFTED = [
    "An update on our infrastructure and our team.",
    "Model M5-0 outperforms GPT-4o on MMLU (88.1 vs 87.2).",
    "Zeta-32B now matches OPENAI-O1 on AIME.",
    "| Benchmark | Zeta-32B | Claude 3.5 |\n| | | Sonnet |\n|---|---|---|\n"
    "| MMLU | 88.1 | 87.0 |\n| GPQA | 60.2 | 59.1 |",
    "<table><tr><th>Benchmark</th><th>Zeta-32B</th><th>GPT&#8209;4o</th></tr>"
    "<tr><td>MMLU</td><td>88.1</td><td>87.2</td></tr><tr><td>GPQA</td><td>61</td><td>53</td></tr></table>",
    "Zeta-32B beats the frontier on every benchmark we tried.",
    "We compared against **o1**-preview and it trails by two points.",
]


def corpus_texts() -> list[tuple[str, str]]:
    texts = [(f"crafted {i}", t) for i, t in enumerate(CRAFTED)]
    for path in sorted(SHARED.rglob("*.md")):
        if path.parent.name == "docs":
            texts.append((path.name, read_document(path)[1]))
        else:
            texts.append((path.name, path.read_text(encoding="utf-8", errors="replace")))
    return texts


def item(text: str) -> Item:
    return Item(
        "feed:x", "k", "Zeta-32B release", "http://x/1", text, published=datetime(2025, 1, 2, tzinfo=UTC)
    )


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared corpus not present")
def test_the_gated_detector_finds_what_the_detector_finds_on_every_corpus_text() -> None:
    gate = gated(DETECTOR, REGISTRY)
    texts = corpus_texts()
    assert len(texts) > 50
    for name, text in texts:
        alone: list[Claim] = DETECTOR.detect(item(text))
        assert gate.detect(item(text)) == alone, name
        if not gate.may_claim(text):
            assert alone == [], name  # the gate stopped a text that held a claim


def test_the_gate_skips_the_detector_on_texts_naming_no_frontier_model() -> None:
    class Exploding:
        def detect(self, item: Item) -> list[Claim]:
            raise AssertionError(f"detector ran on {item.text!r}")

    gate = MentionGate(Exploding(), ["gpt-4o", "OpenAI o1", "o1", "Claude 3.5 Sonnet"])
    for text in ("An update on our infrastructure and our team.", "", "Radio1 and photo1 are no models"):
        assert gate.detect(item(text)) == []
    assert gate.skipped == 3
    assert gate.may_claim("vs. GPT-4o") and gate.may_claim("(o1)") and gate.may_claim("claude")
    assert gate.may_claim("o1x")  # looser than the detector's matcher: let through, never stopped
