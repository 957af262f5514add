"""Optional second opinion on low-confidence claims from an LLM (off by default).

Any OpenAI-compatible chat endpoint works (a local Ollama or vLLM, or a hosted one). This module
is the client (`bot.ports.ClaimVerifier`); `bot.pipeline.verify.verify_claims` applies its
verdicts. The rules stand without it: a claim at or above the threshold is never sent, and a
verifier that fails (time-out, HTTP error, an answer that is not the JSON asked for) leaves the
rule's claim as it was.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import httpx

from bot.domain import Claim, Relation, Verdict
from bot.errors import VerifierError

__all__ = ["ChatCompletionsVerifier", "parse_verdict"]

PROMPT = """You check claims extracted from AI model announcements. A claim says that a model \
(the competitor) matches, exceeds, approaches or trails a frontier model. Read the evidence and \
its context and answer ONLY with a JSON object: {"keep": true|false, "relation": \
"matches"|"exceeds"|"approaches"|"trails"|"none", "confidence": 0.0-1.0, "reason": "..."}. \
keep=false when the text does not make this claim about this competitor (a hope, a question, a \
plan, another model, a negated or hedged statement)."""

_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL | re.IGNORECASE)
_BOOLS = {"true": True, "yes": True, "false": False, "no": False}
_RELATIONS = {r.value for r in Relation}


def _json_object(text: str) -> dict[str, Any]:
    """The first JSON object in `text`: the whole answer, a code fence, or one inside prose."""
    candidates = [text.strip(), *(m.group(1).strip() for m in _FENCE.finditer(text))]
    for candidate in candidates:
        try:
            data = json.loads(candidate)
        except ValueError:
            continue
        if isinstance(data, dict):
            return data
    decoder = json.JSONDecoder()
    for match in re.finditer(r"\{", text):
        try:
            data, _ = decoder.raw_decode(text, match.start())
        except ValueError:
            continue
        if isinstance(data, dict):
            return data
    raise VerifierError("no JSON object in the answer")


def _confidence(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if math.isnan(number):
        return None
    if 1 < number <= 100:  # a percentage
        number /= 100
    return min(1.0, max(0.0, number))


def parse_verdict(text: str) -> Verdict:
    """Read the model's answer leniently (plain JSON, a code fence, JSON inside prose).

    A `"relation": "none"` means the text makes no claim, so it drops the claim whatever `keep`
    says. Unknown relations are ignored (the rule's relation stands).

    Raises:
        VerifierError: no JSON object, or no boolean `keep` in it.
    """
    data = _json_object(text)
    keep = data.get("keep")
    if isinstance(keep, str):
        keep = _BOOLS.get(keep.strip().lower())
    if not isinstance(keep, bool):
        raise VerifierError("answer has no boolean 'keep'")
    relation = str(data.get("relation") or "").strip().lower()
    return Verdict(
        keep=keep and relation != "none",
        relation=Relation(relation) if relation in _RELATIONS else None,
        confidence=_confidence(data.get("confidence")),
        reason=str(data.get("reason", ""))[:300],
    )


def context_window(text: str, claim: Claim, size: int) -> str:
    """`size` characters of `text` around the claim's evidence (or its competitor's first
    mention, or the start of the text)."""
    if len(text) <= size:
        return text
    at = -1
    for needle in (claim.evidence[:80], claim.evidence[:30], claim.competitor):
        if needle and (at := text.find(needle)) >= 0:
            break
    start = min(max(0, at - size // 2), len(text) - size) if at >= 0 else 0
    return text[start : start + size]


class ChatCompletionsVerifier:
    """Asks `POST {base_url}/chat/completions` for a verdict on one claim.

    Args:
        client: the shared httpx client.
        base_url: e.g. "http://127.0.0.1:11434/v1" (Ollama) or "http://127.0.0.1:8000/v1" (vLLM).
        model: the model name the endpoint serves.
        api_key: sent as a Bearer token when given (never logged nor shown in repr).
        timeout: seconds for one verdict.
        threshold: claims below this confidence deserve a second opinion (callers pass it on
            to `verify_claims` / `detect_pending`).
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
        threshold: float = 0.7,
        max_context: int = 4000,
    ) -> None:
        self._client = client
        self._url = base_url.rstrip("/") + "/chat/completions"
        self._model = model
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._timeout = timeout
        self.threshold = threshold
        self._max_context = max_context

    def __repr__(self) -> str:
        key = ", api_key=***" if self._headers else ""
        return f"ChatCompletionsVerifier({self._url!r}, model={self._model!r}{key})"

    def request_body(self, claim: Claim, context: str) -> dict[str, Any]:
        """The chat-completions request for one claim (strict JSON, temperature 0)."""
        question = {
            "competitor": claim.competitor,
            "frontier_model": claim.frontier_key,
            "relation": claim.relation.value,
            "evidence": claim.evidence,
            "context": context_window(context, claim, self._max_context),
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
        """Ask the endpoint about one claim.

        Raises:
            VerifierError: time-out, transport error, non-2xx status or an unreadable answer.
        """
        try:
            response = await self._client.post(
                self._url,
                json=self.request_body(claim, context),
                headers=self._headers,
                timeout=self._timeout,
            )
        except httpx.TimeoutException as exc:
            raise VerifierError(f"timed out after {self._timeout:g}s ({self._url})") from exc
        except httpx.HTTPError as exc:
            raise VerifierError(f"{type(exc).__name__} ({self._url})") from exc
        if not response.is_success:
            raise VerifierError(f"HTTP {response.status_code} ({self._url})")
        try:
            content = response.json()["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise VerifierError(f"unexpected response shape: {type(exc).__name__}") from exc
        if not isinstance(content, str):
            raise VerifierError("the answer has no text content")
        return parse_verdict(content)
