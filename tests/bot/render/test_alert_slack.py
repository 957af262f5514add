"""Slack blocks stay inside Block Kit limits whatever the alert holds."""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain import AlertMessage, BenchmarkPair, Relation
from bot.render.alert_slack import render_message

SMALL = AlertMessage(
    competitor="DeepSeek-R1",
    frontier_key="o1",
    frontier_name="OpenAI o1",
    relation=Relation.MATCHES,
    confidence=0.9,
    evidence="comparable to OpenAI-o1-1217 <!channel> & more",
    lab="DeepSeek",
    source_url="https://huggingface.co/deepseek-ai/DeepSeek-R1",
    source_count=2,
    benchmarks=(BenchmarkPair("AIME 2024", 79.8, 79.2),),
    days_after_release=46,
    title="R1 card",
)
HUGE = AlertMessage(
    competitor="C" * 5000,
    frontier_key="o1",
    frontier_name="F" * 3000,
    relation=Relation.EXCEEDS,
    confidence=0.5,
    evidence="word " * 20000,
    lab="L" * 2000,
    source_url="https://x/" + "a" * 5000,
    source_count=99,
    benchmarks=tuple(BenchmarkPair("B" * 400 + str(i), i, i + 0.5) for i in range(60)),
    title="T" * 9000,
)


def texts(block: dict[str, Any]) -> list[str]:
    found = []
    if "text" in block:
        found.append(block["text"]["text"])
    found += [f["text"] for f in block.get("fields", [])]
    found += [e["text"] for e in block.get("elements", [])]
    return found


def check_limits(text: str, blocks: list[dict[str, Any]]) -> None:
    assert 0 < len(text) <= 3000
    assert 0 < len(blocks) <= 50
    for block in blocks:
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150 and block["text"]["type"] == "plain_text"
        assert len(block.get("fields", [])) <= 10
        assert all(len(f["text"]) <= 2000 for f in block.get("fields", []))
        assert len(block.get("elements", [])) <= 10
        assert all(0 < len(t) <= 3000 for t in texts(block))


@pytest.mark.parametrize("kind", ["new", "update", "admin"])
@pytest.mark.parametrize("message", [SMALL, HUGE], ids=["small", "huge"])
def test_never_exceeds_limits(kind: str, message: AlertMessage) -> None:
    check_limits(*render_message(kind, {**message.to_payload(), "text": "x" * 9000, "mention": "<@U1>"}))


def test_small_alert() -> None:
    text, blocks = render_message("new", SMALL.to_payload())
    assert text == (
        "DeepSeek-R1 (DeepSeek) matches OpenAI o1 [confidence 0.90] — "
        "https://huggingface.co/deepseek-ai/DeepSeek-R1"
    )
    assert [b["type"] for b in blocks] == ["header", "section", "section", "section", "context"]
    assert "*Sources*\n2" in [f["text"] for f in blocks[1]["fields"]]
    assert blocks[2]["text"]["text"] == "• *AIME 2024* 79.8 vs 79.2 (Δ +0.6)"
    # user text is escaped: no forged mention, no broken entity
    assert blocks[3]["text"]["text"] == "> comparable to OpenAI-o1-1217 &lt;!channel&gt; &amp; more"
    assert (
        blocks[4]["elements"][0]["text"] == "Source: <https://huggingface.co/deepseek-ai/DeepSeek-R1|R1 card>"
    )


def test_digest_of_many_models_stays_inside_limits() -> None:
    claims = [
        {**SMALL.to_payload(), "frontier_name": f"model {i % 80}", "competitor": f"rival {i}"}
        for i in range(400)
    ]
    text, blocks = render_message("digest", {"period": "2025-01-20", "claims": claims, "mention": "<!here>"})
    check_limits(text, blocks)
    assert blocks[0]["text"]["text"] == "<!here>"
    assert blocks[1]["text"]["text"] == "gapwatch digest 2025-01-20: 400 claims"
    assert blocks[2]["text"]["text"].startswith("*model 0*\n• rival 0 (DeepSeek) matches model 0")
    assert blocks[-1]["text"]["text"].startswith("… and ") and len(blocks) == 50


def test_update_says_how_many_sources() -> None:
    text, blocks = render_message("update", {**SMALL.to_payload(), "source_count": 3})
    assert text.startswith("Update: DeepSeek-R1 (DeepSeek) matches OpenAI o1") and text.endswith("3 sources")
    assert blocks[0]["text"]["text"] == "*Now backed by 3 sources.*"
