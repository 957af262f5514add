"""The optional LLM verifier, against a fake OpenAI-compatible endpoint on 127.0.0.1."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio

from adapters.llm.chat_completions import ChatCompletionsVerifier, parse_verdict
from bot.domain import Claim, Relation, Verdict
from bot.errors import GapwatchError
from bot.pipeline.verify import verify_claims
from bot.ports import ClaimVerifier
from tests.fakes.llm_api import CHAT, LLMServer, verdict

TEXT = "Intro. Tern-8B nearly rivals o1 on AIME, we believe. More text."
LOW = Claim("Tern-8B", "o1", Relation.MATCHES, "Tern-8B nearly rivals o1 on AIME, we believe.", 0.55)
HIGH = Claim("Tern-8B", "gpt-4o", Relation.EXCEEDS, "Tern-8B outperforms GPT-4o.", 0.9)
KEY = "sk-secret-0123456789"


@pytest_asyncio.fixture
async def llm() -> AsyncIterator[LLMServer]:
    async with LLMServer() as server:
        yield server


async def run(
    llm: LLMServer,
    claims: list[Claim],
    *,
    key: str | None = None,
    wait: float = 5,
    text: str = TEXT,
    max_context: int = 4000,
) -> list[Claim]:
    async with httpx.AsyncClient() as client:
        verifier = ChatCompletionsVerifier(
            client, llm.base_url_v1, "tiny", api_key=key, timeout=wait, max_context=max_context
        )
        return await verify_claims(verifier, claims, text, threshold=0.7)


def question(llm: LLMServer, n: int = 0) -> dict[str, Any]:
    """The JSON the verifier put in the user message of request `n`."""
    data: dict[str, Any] = json.loads(llm.bodies[n]["messages"][1]["content"])
    return data


async def test_confident_claims_are_not_sent(llm: LLMServer) -> None:
    assert await run(llm, [HIGH]) == [HIGH]
    assert llm.requests == [] and llm.bodies == []


async def test_keep_false_drops_the_claim(llm: LLMServer) -> None:
    llm.answers.append(verdict(keep=False, relation="none", reason="a hedge"))
    assert await run(llm, [LOW, HIGH]) == [HIGH]
    assert len(llm.requests) == 1  # only the low-confidence claim was asked about


async def test_request_body_is_a_strict_json_chat_completion(llm: LLMServer) -> None:
    await run(llm, [LOW])
    body = llm.bodies[0]
    assert body["model"] == "tiny" and body["temperature"] == 0
    assert body["response_format"] == {"type": "json_object"}
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert '"keep"' in body["messages"][0]["content"]
    asked = question(llm)
    assert (asked["competitor"], asked["frontier_model"], asked["relation"]) == ("Tern-8B", "o1", "matches")
    assert asked["evidence"] == LOW.evidence and asked["context"] == TEXT


async def test_context_is_a_bounded_window_around_the_evidence(llm: LLMServer) -> None:
    text = "x" * 5000 + " " + LOW.evidence + " " + "y" * 5000
    await run(llm, [LOW], text=text, max_context=300)
    context = question(llm)["context"]
    assert len(context) == 300 and LOW.evidence in context


@pytest.mark.parametrize(
    ("answer", "relation", "confidence"),
    [
        (
            "```json\n" + verdict(keep=True, relation="approaches", confidence=0.8) + "\n```",
            "approaches",
            0.8,
        ),
        (verdict(keep=True, relation="trails"), "trails", 0.55),  # no confidence: the rule's stands
        (verdict(keep=True, relation="rivals", confidence=0.9), "matches", 0.9),  # unknown relation
        (verdict(keep=True, confidence=85), "matches", 0.85),  # a percentage
    ],
)
async def test_relation_and_confidence_are_corrected(
    llm: LLMServer, answer: str, relation: str, confidence: float
) -> None:
    llm.answers.append(answer)
    [claim] = await run(llm, [LOW])
    assert (claim.relation, claim.confidence) == (Relation(relation), confidence)
    assert (claim.competitor, claim.evidence) == (LOW.competitor, LOW.evidence)


async def test_keep_true_with_no_relation_drops_the_claim(llm: LLMServer) -> None:
    llm.answers.append(verdict(keep=True, relation="none", confidence=0.9))
    assert await run(llm, [LOW]) == []


@pytest.mark.parametrize("failure", ["http500", "http404", "garbage", "timeout", "no-keep", "no-choices"])
async def test_a_failing_verifier_keeps_the_rule_claim(
    llm: LLMServer, failure: str, caplog: pytest.LogCaptureFixture
) -> None:
    match failure:
        case "http500":
            llm.fail(CHAT, 500)
        case "http404":
            llm.fail(CHAT, 404)
        case "garbage":
            llm.answers.append("I think so, yes.")
        case "no-keep":
            llm.answers.append(verdict(relation="matches"))
        case "no-choices":
            llm.raw.append({"error": {"message": "model not loaded"}})
        case _:
            llm.delay = 1.0
    with caplog.at_level(logging.WARNING, logger="gapwatch.verifier"):
        assert await run(llm, [LOW, HIGH], key=KEY, wait=0.2) == [LOW, HIGH]
    [record] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "keeping the rule's claim" in record.getMessage()
    assert KEY not in caplog.text


async def test_any_exception_from_a_verifier_keeps_the_claim() -> None:
    class Broken:
        async def verify(self, claim: Claim, context: str) -> Verdict:
            raise RuntimeError("bug")

    assert await verify_claims(Broken(), [LOW], TEXT, threshold=0.7) == [LOW]


async def test_authorization_only_with_a_key(llm: LLMServer, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        await run(llm, [LOW])
        await run(llm, [LOW], key=KEY)
    assert llm.requests[0].header("Authorization") is None
    assert llm.requests[1].header("Authorization") == f"Bearer {KEY}"
    assert KEY not in caplog.text


async def test_no_verifier_keeps_everything() -> None:
    assert await verify_claims(None, [LOW, HIGH], TEXT, threshold=0.7) == [LOW, HIGH]


async def test_it_satisfies_the_port_and_hides_the_key() -> None:
    async with httpx.AsyncClient() as client:
        verifier = ChatCompletionsVerifier(client, "http://127.0.0.1:9/v1/", "m", api_key=KEY, threshold=0.6)
    assert isinstance(verifier, ClaimVerifier)
    assert verifier.threshold == 0.6
    assert KEY not in repr(verifier) and "***" in repr(verifier)


@pytest.mark.parametrize(
    ("answer", "keep", "relation", "confidence"),
    [
        ('{"keep": true, "relation": "exceeds"}', True, Relation.EXCEEDS, None),
        ('Sure! {"keep": false, "relation": "none"} done', False, None, None),
        ('{"keep": true, "relation": "better"}', True, None, None),
        (
            'Here: ```json\n{"keep": "yes", "relation": "Matches", "confidence": "0.7"}\n``` {x}',
            True,
            Relation.MATCHES,
            0.7,
        ),
        ('{"keep": true, "confidence": true}', True, None, None),
        ('{"keep": true, "confidence": 1.7e3}', True, None, 1.0),
        ('note {not json} then {"keep": false, "reason": "plan"}', False, None, None),
    ],
)
def test_parse_verdict(answer: str, keep: bool, relation: Relation | None, confidence: float | None) -> None:
    parsed = parse_verdict(answer)
    assert (parsed.keep, parsed.relation, parsed.confidence) == (keep, relation, confidence)


@pytest.mark.parametrize("answer", ["", "no", "[1, 2]", '{"relation": "matches"}', '{"keep": "maybe"}'])
def test_parse_verdict_refuses_answers_without_a_keep(answer: str) -> None:
    with pytest.raises(GapwatchError):
        parse_verdict(answer)
