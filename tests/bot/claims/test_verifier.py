"""The optional LLM verifier, against a fake OpenAI-compatible endpoint on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio

from bot.claims.verifier import ChatCompletionsVerifier, parse_verdict, verify_claims
from bot.domain import Claim, Relation
from tests.fakes.llm_api import LLMServer, verdict

TEXT = "Intro. Tern-8B nearly rivals o1 on AIME, we believe. More text."
LOW = Claim("Tern-8B", "o1", Relation.MATCHES, "Tern-8B nearly rivals o1 on AIME, we believe.", 0.55)
HIGH = Claim("Tern-8B", "gpt-4o", Relation.EXCEEDS, "Tern-8B outperforms GPT-4o.", 0.9)


@pytest_asyncio.fixture
async def llm() -> AsyncIterator[LLMServer]:
    async with LLMServer() as server:
        yield server


async def run(
    llm: LLMServer, claims: list[Claim], *, key: str | None = None, wait: float = 5
) -> list[Claim]:
    async with httpx.AsyncClient() as client:
        verifier = ChatCompletionsVerifier(client, llm.base_url, "tiny", api_key=key, timeout=wait)
        return await verify_claims(verifier, claims, TEXT, threshold=0.7)


async def test_confident_claims_are_not_sent(llm: LLMServer) -> None:
    assert await run(llm, [HIGH]) == [HIGH]
    assert llm.requests == []


async def test_keep_false_drops_the_claim(llm: LLMServer) -> None:
    llm.answers.append(verdict(keep=False, relation="none", reason="a hedge"))
    assert await run(llm, [LOW, HIGH]) == [HIGH]
    body = llm.requests[0]
    assert body["model"] == "tiny" and body["temperature"] == 0
    assert body["response_format"] == {"type": "json_object"}
    assert "Tern-8B nearly rivals o1" in body["messages"][1]["content"]


async def test_relation_and_confidence_are_corrected(llm: LLMServer) -> None:
    llm.answers.append("```json\n" + verdict(keep=True, relation="approaches", confidence=0.8) + "\n```")
    [claim] = await run(llm, [LOW])
    assert (claim.relation, claim.confidence) == (Relation.APPROACHES, 0.8)


@pytest.mark.parametrize("failure", ["http500", "garbage", "timeout", "no-keep"])
async def test_a_failing_verifier_keeps_the_rule_claim(llm: LLMServer, failure: str) -> None:
    if failure == "http500":
        llm.fail(500)
    elif failure == "garbage":
        llm.answers.append("I think so, yes.")
    elif failure == "no-keep":
        llm.answers.append(verdict(relation="matches"))
    else:
        llm.delay = 1.0
    assert await run(llm, [LOW], wait=0.2) == [LOW]


async def test_authorization_only_with_a_key(llm: LLMServer) -> None:
    await run(llm, [LOW])
    await run(llm, [LOW], key="sk-test")
    assert "authorization" not in llm.headers[0]
    assert llm.headers[1]["authorization"] == "Bearer sk-test"


async def test_no_verifier_keeps_everything() -> None:
    assert await verify_claims(None, [LOW, HIGH], TEXT, threshold=0.7) == [LOW, HIGH]


@pytest.mark.parametrize(
    ("answer", "keep", "relation"),
    [
        ('{"keep": true, "relation": "exceeds"}', True, Relation.EXCEEDS),
        ('Sure! {"keep": false, "relation": "none"} done', False, None),
        ('{"keep": true, "relation": "better"}', True, None),
    ],
)
def test_parse_verdict(answer: str, keep: bool, relation: Relation | None) -> None:
    parsed = parse_verdict(answer)
    assert (parsed.keep, parsed.relation) == (keep, relation)
