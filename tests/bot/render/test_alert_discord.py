"""Discord embeds stay inside Discord's limits whatever the alert holds."""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain import AlertMessage, BenchmarkPair, Relation
from bot.render.alert_discord import alert_embed, embed_size, render_message
from tests.bot.render.releases import release_payload

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
    assert embed["author"] == {"name": "DeepSeek"}
    assert embed["footer"] == {"text": "DeepSeek-R1 model card · 1 source"}
    [field] = embed["fields"]
    assert field["name"] == "vs OpenAI o1"
    assert field["value"] == (
        "**matches** · confidence 0.90 · 46 days after its release\n"
        "AIME 2024 79.8 vs 79.2 (+0.6)\nMMLU 90.8 vs \u2013"
    )
    assert embed["color"] == 0x3498DB
    assert "timestamp" not in embed  # no first-seen time known


def test_first_seen_time_is_the_embed_timestamp() -> None:
    [embed] = render_message("new", {**SMALL.to_payload(), "first_seen": "2025-01-22T10:00:00+00:00"})[
        "embeds"
    ]
    assert embed["timestamp"] == "2025-01-22T10:00:00+00:00"


def release(n: int, **overrides: Any) -> dict[str, Any]:
    return release_payload(SMALL, n, **overrides)


def test_one_alert_holds_every_claim_of_the_item_strongest_first() -> None:
    [embed] = render_message("new", release(4))["embeds"]
    assert embed["title"] == "DeepSeek-R1 beats Frontier 2"
    assert [f["name"] for f in embed["fields"]] == [
        "vs Frontier 2",
        "vs Frontier 1",
        "vs Frontier 3",
        "vs Frontier 0",
    ]
    assert embed["description"].count("> quote") == 4


@pytest.mark.parametrize("n", [1, 4, 24, 25, 26, 200])
@pytest.mark.parametrize("kind", ["new", "update"])
def test_a_release_alert_stays_inside_every_discord_limit(n: int, kind: str) -> None:
    message = render_message(
        kind, release(n, benchmarks=[[f"Bench {k} " * 5, 80.5, 79.25] for k in range(30)])
    )
    check_limits(message)
    [embed] = message["embeds"]
    names = [f["name"] for f in embed["fields"]]
    shown = sum(1 for name in names if name.startswith("vs "))
    more = [f["value"] for f in embed["fields"] if f["name"] == "More claims"]
    assert shown + (int(more[0].split()[0][1:]) if more else 0) == n  # every claim shown or counted


def test_size_variants_in_one_alert_are_named() -> None:
    claims = [
        {**SMALL.to_payload(), "competitor": "Qwen3-235B-A22B"},
        {**SMALL.to_payload(), "competitor": "Qwen3-32B", "relation": "approaches"},
    ]
    [embed] = render_message("new", {"claims": claims})["embeds"]
    assert [f["name"] for f in embed["fields"]] == ["Qwen3-235B-A22B vs OpenAI o1", "Qwen3-32B vs OpenAI o1"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://huggingface.co/deepseek-ai/DeepSeek-R1", "https://huggingface.co/deepseek-ai/DeepSeek-R1"),
        ("https://example.com/a b", "https://example.com/a%20b"),
        ("https://example.com/a\nb", "https://example.com/a%0Ab"),
        (" https://example.com/x ", "https://example.com/x"),
        ("https://example.com/新模型", "https://example.com/%E6%96%B0%E6%A8%A1%E5%9E%8B"),
        ("https://example.com/a%20b?q=1&r=é", "https://example.com/a%20b?q=1&r=%C3%A9"),
        ("https://例子.测试/path", "https://xn--fsqu00a.xn--0zwm56d/path"),
        ("javascript:alert(1)", None),
        ("ftp://example.com/x", None),
    ],
)
def test_embed_links_are_percent_encoded(url: str, expected: str | None) -> None:
    [embed] = render_message("new", {**SMALL.to_payload(), "source_url": url})["embeds"]
    assert embed.get("url") == expected


@pytest.mark.parametrize("kind", ["new", "update", "admin"])
@pytest.mark.parametrize("message", [SMALL, HUGE], ids=["small", "huge"])
def test_never_exceeds_limits(kind: str, message: AlertMessage) -> None:
    payload = {**message.to_payload(), "text": "x" * 9000, "mention": "<@&123>"}
    check_limits(render_message(kind, payload))


def test_huge_alert_is_cut_with_an_ellipsis() -> None:
    embed = alert_embed(HUGE)
    assert embed["title"].endswith("…") and len(embed["title"]) == 256
    assert "url" not in embed  # longer than Discord accepts: dropped, not fatal
    assert embed["fields"][0]["name"].startswith("vs FFFF") and embed["fields"][0]["name"].endswith("…")


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
    assert embed["description"].startswith(
        "Now backed by **3** sources. New source: https://huggingface.co/deepseek-ai/DeepSeek-R1"
    )


def test_the_headline_is_the_claim_against_the_newest_frontier_model() -> None:
    """Matching o1 48 days after its release is bigger news than beating GPT-4o 254 days after."""
    older = {
        **SMALL.to_payload(),
        "frontier_name": "GPT-4o",
        "relation": "exceeds",
        "days_after_release": 254,
    }
    newer = {**SMALL.to_payload(), "days_after_release": 48}
    approaches = {
        **SMALL.to_payload(),
        "frontier_name": "o3",
        "relation": "approaches",
        "days_after_release": 5,
    }
    [embed] = render_message("new", {"claims": [older, approaches, newer]})["embeds"]
    assert embed["title"] == "DeepSeek-R1 matches OpenAI o1"
    assert [f["name"] for f in embed["fields"]] == ["vs OpenAI o1", "vs GPT-4o", "vs o3"]
