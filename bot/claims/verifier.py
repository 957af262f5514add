"""Optional second opinion on low-confidence claims from an LLM (off by default).

Any OpenAI-compatible chat endpoint works (a local Ollama or vLLM, or a hosted one). The rules
stand without it: a claim at or above the threshold is never sent, and a verifier that fails
(time-out, HTTP error, an answer that is not the JSON asked for) leaves the rule's claim as it was.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

import httpx

from bot.domain import Claim, Relation

log = logging.getLogger("gapwatch.verifier")

PROMPT = """You check claims extracted from AI model announcements. A claim says that a model \
(the competitor) matches, exceeds, approaches or trails a frontier model. Read the evidence and \
its context and answer ONLY with a JSON object: {"keep": true|false, "relation": \
"matches"|"exceeds"|"approaches"|"trails"|"none", "confidence": 0.0-1.0, "reason": "..."}. \
keep=false when the text does not make this claim about this competitor (a hope, a question, a \
plan, another model, a negated or hedged statement)."""


@dataclass(frozen=True, slots=True)
class Verdict:
    keep: bool
    relation: Relation | None = None
    confidence: float | None = None
    reason: str = ""


class ClaimVerifier(Protocol):
    async def verify(self, claim: Claim, context: str) -> Verdict: ...


class VerifierError(Exception):
    """The verifier could not give a verdict (kept inside this module: the rule's claim stands)."""


def parse_verdict(text: str) -> Verdict:
    """Read the model's answer leniently: plain JSON, JSON in a code fence, or JSON in prose."""
    match = re.search(r"\{.*\}", text, re.DOTALL)
    if match is None:
        raise VerifierError("no JSON object in the answer")
    try:
        data = json.loads(match.group(0))
    except ValueError as exc:
        raise VerifierError(f"answer is not JSON: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("keep"), bool):
        raise VerifierError("answer has no boolean 'keep'")
    relation = data.get("relation")
    confidence = data.get("confidence")
    return Verdict(
        keep=data["keep"],
        relation=Relation(relation) if relation in {r.value for r in Relation} else None,
        confidence=float(confidence) if isinstance(confidence, int | float) else None,
        reason=str(data.get("reason", ""))[:300],
    )


def context_window(text: str, evidence: str, size: int) -> str:
    """`size` characters of `text` around the evidence (the start of the text if not found)."""
    at = text.find(evidence[:80]) if evidence else -1
    start = max(0, at - size // 2) if at >= 0 else 0
    return text[start : start + size]


class ChatCompletionsVerifier:
    """Asks `POST {base_url}/chat/completions` for a verdict on one claim.

    Args:
        client: the shared httpx client.
        base_url: e.g. "http://127.0.0.1:11434/v1".
        model: the model name the endpoint serves.
        api_key: sent as a Bearer token when given (never logged).
        timeout: seconds for one verdict.
        max_context: characters of the item's text sent around the evidence.
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        base_url: str,
        model: str,
        *,
        api_key: str | None = None,
        timeout: float = 20.0,
        max_context: int = 4000,
    ) -> None:
        self._client = client
        self._url = base_url.rstrip("/") + "/chat/completions"
        self._model = model
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._timeout = timeout
        self._max_context = max_context

    def request_body(self, claim: Claim, context: str) -> dict[str, Any]:
        question = {
            "competitor": claim.competitor,
            "frontier_model": claim.frontier_key,
            "relation": claim.relation.value,
            "evidence": claim.evidence,
            "context": context_window(context, claim.evidence, self._max_context),
        }
        return {
            "model": self._model,
            "temperature": 0,
            "response_format": {"type": "json_object"},
            "messages": [
                {"role": "system", "content": PROMPT},
                {"role": "user", "content": json.dumps(question, ensure_ascii=False)},
            ],
        }

    async def verify(self, claim: Claim, context: str) -> Verdict:
        try:
            response = await self._client.post(
                self._url,
                json=self.request_body(claim, context),
                headers=self._headers,
                timeout=self._timeout,
            )
            response.raise_for_status()
            content = response.json()["choices"][0]["message"]["content"]
        except httpx.HTTPError as exc:
            raise VerifierError(f"{type(exc).__name__}: {exc}") from exc
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise VerifierError(f"unexpected response shape: {exc!r}") from exc
        return parse_verdict(str(content))


async def verify_claims(
    verifier: ClaimVerifier | None, claims: Sequence[Claim], context: str, *, threshold: float
) -> list[Claim]:
    """Claims below `threshold` go to the verifier: dropped on keep=false, relation and
    confidence corrected when it says so; any verifier failure keeps the claim unchanged."""
    if verifier is None:
        return list(claims)
    kept: list[Claim] = []
    for claim in claims:
        if claim.confidence >= threshold:
            kept.append(claim)
            continue
        try:
            verdict = await verifier.verify(claim, context)
        except VerifierError as exc:
            log.warning(
                "verifier failed on %s vs %s, keeping the rule's claim: %s",
                claim.competitor,
                claim.frontier_key,
                exc,
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
                confidence=min(1.0, max(0.0, verdict.confidence))
                if verdict.confidence is not None
                else claim.confidence,
            )
        )
    return kept
