"""Parity-claim detection: the frontier registry and the rules-based detector."""

from bot.claims.engine import ClaimDetector
from bot.claims.frontier import FrontierRegistry

__all__ = ["ClaimDetector", "FrontierRegistry"]
