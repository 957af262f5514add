"""Slack blocks stay inside Block Kit limits whatever the alert holds."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from bot.domain import AlertMessage, BenchmarkPair, Relation
from bot.render.alert_slack import render_message
from tests.bot.render.releases import release_payload

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
    assert text == "DeepSeek-R1 matches OpenAI o1 — https://huggingface.co/deepseek-ai/DeepSeek-R1"
    assert [b["type"] for b in blocks] == ["header", "section", "section", "context"]
    assert blocks[0]["text"]["text"] == "DeepSeek-R1 matches OpenAI o1"
    assert blocks[1]["text"]["text"] == (
        "*vs OpenAI o1* — matches · confidence 0.90 · 46 days after its release\n"
        "• AIME 2024 79.8 vs 79.2 (+0.6)"
    )
    # user text is escaped: no forged mention, no broken entity
    assert blocks[2]["text"]["text"] == "> comparable to OpenAI-o1-1217 &lt;!channel&gt; &amp; more"
    assert (
        blocks[3]["elements"][0]["text"] == "Source: <https://huggingface.co/deepseek-ai/DeepSeek-R1|R1 card>"
    )


def test_first_seen_time_is_in_the_context_block() -> None:
    payload = {**SMALL.to_payload(), "first_seen": "2025-01-22T10:00:00+00:00"}
    _, blocks = render_message("new", payload)
    context = blocks[-1]["elements"][0]["text"]
    assert context.endswith("first seen <!date^1737540000^{date_short_pretty} {time}|2025-01-22 10:00 UTC>")


def release(n: int, **overrides: Any) -> dict[str, Any]:
    return release_payload(SMALL, n, **overrides)


def test_one_alert_holds_every_claim_of_the_item_strongest_first() -> None:
    text, blocks = render_message("new", release(4))
    check_limits(text, blocks)
    assert blocks[0]["text"]["text"] == "DeepSeek-R1 beats Frontier 2"  # exceeds, highest confidence
    lines = [
        b["text"]["text"] for b in blocks if b["type"] == "section" and b["text"]["text"].startswith("*vs")
    ]
    assert [line.split("*")[1] for line in lines] == [
        "vs Frontier 2",
        "vs Frontier 1",
        "vs Frontier 3",  # approaches at 0.53
        "vs Frontier 0",  # approaches at 0.50
    ]


@pytest.mark.parametrize("n", [1, 4, 25, 200])
@pytest.mark.parametrize("kind", ["new", "update"])
def test_a_release_alert_stays_under_the_message_size_slack_accepts(n: int, kind: str) -> None:
    text, blocks = render_message(
        kind, release(n, benchmarks=[[f"Bench {k} " * 5, 80.5, 79.25] for k in range(30)])
    )
    check_limits(text, blocks)
    assert total(blocks) <= 11_000  # Slack answers msg_blocks_too_long at about 12,000
    assert len(json.dumps(blocks, ensure_ascii=False)) <= 11_000  # containers counted too
    shown = sum(1 for b in blocks if b["type"] == "section" and b["text"]["text"].startswith("*vs"))
    texts = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    more = [t for t in texts if re.fullmatch(r"\+\d+ more", t)]
    assert shown + (int(more[0].split()[0][1:]) if more else 0) == n  # every claim shown or counted


def test_size_variants_in_one_alert_are_named() -> None:
    claims = [
        {**SMALL.to_payload(), "competitor": "Qwen3-235B-A22B"},
        {**SMALL.to_payload(), "competitor": "Qwen3-32B", "relation": "approaches"},
    ]
    _, blocks = render_message("new", {"claims": claims})
    assert blocks[1]["text"]["text"].startswith("*Qwen3-235B-A22B vs OpenAI o1*")
    assert blocks[2]["text"]["text"].startswith("*Qwen3-32B vs OpenAI o1*")


def test_a_link_with_spaces_or_non_ascii_is_percent_encoded() -> None:
    payload = {**SMALL.to_payload(), "source_url": "https://example.com/新 模型\nx?q=a b"}
    _, blocks = render_message("new", payload)
    assert blocks[-1]["elements"][0]["text"].startswith(
        "Source: <https://example.com/%E6%96%B0%20%E6%A8%A1%E5%9E%8B%0Ax?q=a%20b|"
    )


def total(blocks: list[dict[str, Any]]) -> int:
    return sum(len(t) for b in blocks for t in texts(b))


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
    assert text.startswith("Update: DeepSeek-R1 matches OpenAI o1")
    assert blocks[0]["text"]["text"] == "Update: DeepSeek-R1 matches OpenAI o1"
    assert blocks[1]["text"]["text"] == "*Now backed by 3 sources.*"


def test_quotes_beyond_three_are_counted() -> None:
    _, blocks = render_message("new", release(5))
    sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert len([t for t in sections if t.startswith("> quote")]) == 3
    assert "+2 more quotes" in sections
