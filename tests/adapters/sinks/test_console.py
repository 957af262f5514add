"""The console sink: alerts, updates, digests and admin reports as text on a stream."""

from __future__ import annotations

import io

from adapters.sinks.console import ConsoleSink
from bot.domain import Alert, AlertKind, AlertMessage, BenchmarkPair, Relation

MESSAGE = AlertMessage(
    competitor="Kite-9B",
    frontier_key="o1",
    frontier_name="OpenAI o1",
    relation=Relation.MATCHES,
    confidence=0.9,
    evidence="Kite-9B matches o1 on AIME 2024.",
    lab="Kite Labs",
    source_url="https://kite.example/9b",
    source_count=2,
    benchmarks=(BenchmarkPair("AIME 2024", 79.9, 79.2), BenchmarkPair("GPQA", None, 75.7)),
    days_after_release=50,
)


async def send(kind: AlertKind, payload: dict[str, object]) -> str:
    out = io.StringIO()
    receipt = await ConsoleSink(out).send(Alert(7, "console", kind, "k", payload))
    assert receipt.message_ref == "console:7"
    return out.getvalue()


async def test_new_alert_block() -> None:
    text = await send(AlertKind.NEW, MESSAGE.to_payload())
    lines = text.rstrip("\n").splitlines()
    assert lines[0] == "Kite-9B (Kite Labs) matches OpenAI o1 [confidence 0.90]"
    assert lines[1] == (
        "  vs OpenAI o1: matches · confidence 0.90 · 50 days after its release; "
        "benchmarks: AIME 2024 79.9 vs 79.2 (+0.7); GPQA \u2013 vs 75.7"
    )
    assert "backed by 2 sources" in text and "source: https://kite.example/9b" in text
    assert text.endswith("\n\n")  # blocks are separated by a blank line


async def test_update_and_admin_and_digest() -> None:
    assert (await send(AlertKind.UPDATE, MESSAGE.to_payload())).startswith("UPDATE: Kite-9B")
    assert (await send(AlertKind.ADMIN, {"text": "source x failed"})).startswith("ADMIN: source x failed")
    digest = await send(AlertKind.DIGEST, {"period": "2025-01-20", "claims": [MESSAGE.to_payload()] * 2})
    assert digest.splitlines()[:2] == ["DIGEST 2025-01-20", "OpenAI o1:"]
    assert digest.count("- Kite-9B (Kite Labs) matches OpenAI o1") == 2


async def test_one_items_claims_are_one_block_strongest_first() -> None:
    weaker = {**MESSAGE.to_payload(), "frontier_name": "GPT-4o", "relation": "approaches", "benchmarks": []}
    payload = {"claims": [weaker, {**MESSAGE.to_payload(), "first_seen": "2025-01-24T08:00:00+00:00"}]}
    text = await send(AlertKind.NEW, payload)
    lines = text.rstrip("\n").splitlines()
    assert lines[0] == "Kite-9B (Kite Labs) matches OpenAI o1 [confidence 0.90]"
    assert [line.split(":")[0] for line in lines[1:3]] == ["  vs OpenAI o1", "  vs GPT-4o"]
    assert text.count("evidence:") == 1  # one quote when the claims share their sentence
    assert lines[-1] == "  first seen: 2025-01-24 08:00 UTC"
