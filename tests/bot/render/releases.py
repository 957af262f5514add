"""One item's claims against several frontier models, as the outbox combines them for a renderer."""

from __future__ import annotations

from typing import Any

from bot.domain import AlertMessage


def release_payload(base: AlertMessage, n: int, **overrides: Any) -> dict[str, Any]:
    """`base` against `n` frontier models ("Frontier 0" ...), with long evidence quotes."""
    claims = [
        {
            **base.to_payload(),
            "frontier_key": f"f{i}",
            "frontier_name": f"Frontier {i}",
            "relation": ["approaches", "matches", "exceeds"][i % 3],
            "confidence": 0.5 + i / 100,
            "evidence": f"quote {i}: " + "long evidence " * 40,
            **overrides,
        }
        for i in range(n)
    ]
    return {"claims": claims}
