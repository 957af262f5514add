"""Parity-claim detection: the frontier registry and the rules-based detector."""

from bot.claims.detector import ClaimDetector
from bot.claims.frontier import FrontierRegistry

__all__ = ["ClaimDetector", "FrontierRegistry"]
