"""Discord embeds stay inside Discord's limits whatever the alert holds."""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain import AlertMessage, BenchmarkPair, Relation
from bot.render.alert_discord import alert_embed, embed_size, render_message

SMALL = AlertMessage(
    competitor="DeepSeek-R1",
    frontier_key="o1",
    frontier_name="OpenAI o1",
    relation=Relation.MATCHES,
    confidence=0.9,
    evidence="DeepSeek-R1 achieves performance comparable to OpenAI-o1-1217 @everyone",
    lab="DeepSeek",
    source_url="https://huggingface.co/deepseek-ai/DeepSeek-R1",
    source_count=1,
    benchmarks=(BenchmarkPair("AIME 2024", 79.8, 79.2), BenchmarkPair("MMLU", 90.8, None)),
    days_after_release=46,
    title="DeepSeek-R1 model card",
)
HUGE = AlertMessage(
    competitor="C" * 5000,
    frontier_key="o1",
    frontier_name="F" * 3000,
    relation=Relation.EXCEEDS,
    confidence=0.5,
    evidence=("word " * 20000),
    lab="L" * 2000,
    source_url="https://x/" + "a" * 5000,
    source_count=99,
    benchmarks=tuple(BenchmarkPair("B" * 400 + str(i), i, i + 0.5) for i in range(60)),
    title="T" * 9000,
)


def check_limits(message: dict[str, Any]) -> None:
    assert len(message.get("content", "")) <= 2000
    assert len(message.get("embeds", [])) <= 10
    for embed in message.get("embeds", []):
        assert len(embed.get("title", "")) <= 256
        assert len(embed.get("description", "")) <= 4096
        assert len(embed.get("fields", [])) <= 25
        for field in embed.get("fields", []):
            assert 0 < len(field["name"]) <= 256 and 0 < len(field["value"]) <= 1024
        assert len(embed.get("footer", {}).get("text", "")) <= 2048
        assert len(embed.get("url", "")) <= 2048
        assert embed_size(embed) <= 6000


def test_small_alert_embed() -> None:
    embed = alert_embed(SMALL)
    assert embed["title"] == "DeepSeek-R1 matches OpenAI o1"
    assert embed["url"] == "https://huggingface.co/deepseek-ai/DeepSeek-R1"
    assert embed["description"].startswith("> DeepSeek-R1 achieves")
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Competitor"] == "DeepSeek-R1 (DeepSeek)"
    assert fields["Frontier model"] == "OpenAI o1\n46 days after its release"
    assert (fields["Relation"], fields["Confidence"], fields["Sources"]) == ("matches", "0.90", "1")
    assert fields["AIME 2024"] == "79.8 vs 79.2 (Δ +0.6)"
    assert fields["MMLU"] == "90.8 vs \u2013"
    assert embed["color"] == 0x3498DB


@pytest.mark.parametrize("kind", ["new", "update", "admin"])
@pytest.mark.parametrize("message", [SMALL, HUGE], ids=["small", "huge"])
def test_never_exceeds_limits(kind: str, message: AlertMessage) -> None:
    payload = {**message.to_payload(), "text": "x" * 9000, "mention": "<@&123>"}
    check_limits(render_message(kind, payload))


def test_huge_alert_is_cut_with_an_ellipsis() -> None:
    embed = alert_embed(HUGE)
    assert embed["title"].endswith("…") and len(embed["title"]) == 256
    assert "url" not in embed  # longer than Discord accepts: dropped, not fatal
    names = [f["name"] for f in embed["fields"]]
    assert names[:5] == ["Competitor", "Frontier model", "Relation", "Confidence", "Sources"]


def test_digest_of_many_claims_stays_inside_limits() -> None:
    claims = [
        {**SMALL.to_payload(), "frontier_name": f"model {i % 40}", "competitor": f"rival {i}"}
        for i in range(400)
    ]
    message = render_message("digest", {"period": "2025-W04", "claims": claims, "mention": "<@1>"})
    check_limits(message)
    [embed] = message["embeds"]
    assert embed["title"] == "gapwatch digest 2025-W04: 400 claims"
    assert embed["description"].startswith("**model 0**\n• rival 0 (DeepSeek) matches model 0")
    assert "more lines" in embed["description"]


def test_mentions_ping_only_what_the_route_configured() -> None:
    message = render_message("new", {**SMALL.to_payload(), "mention": "<@&42> <@7>"})
    assert message["content"] == "<@&42> <@7>"
    assert message["allowed_mentions"] == {"parse": [], "users": ["7"], "roles": ["42"]}
    plain = render_message("new", SMALL.to_payload())
    assert (
        "content" not in plain and plain["allowed_mentions"]["parse"] == []
    )  # "@everyone" in evidence is inert


def test_update_says_how_many_sources() -> None:
    [embed] = render_message("update", {**SMALL.to_payload(), "source_count": 3})["embeds"]
    assert embed["title"].startswith("Update: DeepSeek-R1 matches OpenAI o1")
    assert embed["description"].startswith("Now backed by **3** sources.")
