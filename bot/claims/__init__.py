"""Parity-claim detection: the frontier registry and the rules-based detector.

The names are loaded when first used (PEP 562): a process that only needs the registry
(`bot.claims.frontier`) does not import the detector's lexicons and rules (~45 ms of CPU).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.claims.detector import ClaimDetector
    from bot.claims.frontier import FrontierRegistry

__all__ = ["ClaimDetector", "FrontierRegistry"]


def __getattr__(name: str) -> Any:
    if name == "ClaimDetector":
        from bot.claims.detector import ClaimDetector

        return ClaimDetector
    if name == "FrontierRegistry":
        from bot.claims.frontier import FrontierRegistry

        return FrontierRegistry
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
