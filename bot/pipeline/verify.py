"""Verify stage: a second opinion on low-confidence claims, when a verifier is configured.

The verifier itself (`bot.ports.ClaimVerifier`) lives at the edge
(adapters/llm/chat_completions.py); this module only applies its verdicts.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace

from bot.domain import Claim
from bot.errors import VerifierError
from bot.ports import ClaimVerifier

log = logging.getLogger("gapwatch.verifier")


async def verify_claims(
    verifier: ClaimVerifier | None, claims: Sequence[Claim], context: str, *, threshold: float
) -> list[Claim]:
    """Give claims below `threshold` a second opinion; the rules stand without it.

    Args:
        verifier: None keeps every claim as it is.
        claims: the rule-based claims of one item.
        context: the item's text (the verifier sends a bounded window of it).
        threshold: claims at or above this confidence pass untouched and are not sent.

    Returns:
        The claims in order: dropped on keep=false, relation and confidence corrected when the
        verdict gives them; any verifier failure keeps the claim unchanged (logged as a warning).
    """
    if verifier is None:
        return list(claims)
    kept: list[Claim] = []
    for claim in claims:
        if claim.confidence >= threshold:
            kept.append(claim)
            continue
        try:
            verdict = await verifier.verify(claim, context)
        except Exception as exc:  # the rules stand without the verifier, whatever went wrong
            reason = str(exc) if isinstance(exc, VerifierError) else type(exc).__name__
            log.warning(
                "verifier failed on %s vs %s, keeping the rule's claim: %s",
                claim.competitor,
                claim.frontier_key,
                reason,
            )
            kept.append(claim)
            continue
        if not verdict.keep:
            log.info("verifier dropped %s vs %s: %s", claim.competitor, claim.frontier_key, verdict.reason)
            continue
        kept.append(
            replace(
                claim,
                relation=verdict.relation or claim.relation,
                confidence=claim.confidence if verdict.confidence is None else verdict.confidence,
            )
        )
    return kept
