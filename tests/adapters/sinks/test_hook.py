"""The generic webhook sink against a receiver on 127.0.0.1: body, signature and outcomes."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack

import httpx
import pytest
import pytest_asyncio

from adapters.sinks.hook import SIGNATURE_HEADER, HookSink, HookTarget
from adapters.sinks.registry import ChatClients, build_sinks
from bot.config import parse_settings
from bot.domain import Alert, AlertKind
from bot.errors import DeliveryError, RateLimited
from tests.fakes.hook_receiver import HOOK, HookReceiver

SECRET = "s3cret-hook-key"
PAYLOAD = {"competitor": "Tern-8B", "frontier_key": "o1", "relation": "matches"}


def alert(kind: AlertKind = AlertKind.NEW, destination: str = "hook:ops") -> Alert:
    return Alert(7, destination, kind, f"42:{destination}:{kind.value}", PAYLOAD, claim_id=42)


@pytest_asyncio.fixture
async def receiver() -> AsyncIterator[HookReceiver]:
    async with HookReceiver() as server:
        yield server


@pytest_asyncio.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=2) as client:
        yield client


def sink(receiver: HookReceiver, http: httpx.AsyncClient, secret: str | None = SECRET) -> HookSink:
    return HookSink({"ops": HookTarget.model_validate({"url": receiver.url(HOOK), "secret": secret})}, http)


async def test_posts_the_alert_as_json_with_event_delivery_and_signature_headers(
    receiver: HookReceiver, http: httpx.AsyncClient
) -> None:
    receipt = await sink(receiver, http).send(alert())
    assert receipt.message_ref == "delivery-1"  # the receiver's id, when it answers one
    body = receiver.bodies[0]
    assert json.loads(body) == {
        "destination": "hook:ops",
        "kind": "new",
        "idempotency_key": "42:hook:ops:new",
        "thread_ref": None,
        "alert": PAYLOAD,
    }
    request = receiver.requests[0]
    assert request.header("content-type") == "application/json"
    assert request.header("x-gapwatch-event") == "new"
    assert request.header("x-gapwatch-delivery") == "42:hook:ops:new"
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert request.header(SIGNATURE_HEADER) == expected


async def test_no_secret_no_signature(receiver: HookReceiver, http: httpx.AsyncClient) -> None:
    await sink(receiver, http, secret=None).send(alert(AlertKind.UPDATE))
    assert receiver.requests[0].header(SIGNATURE_HEADER) is None
    assert receiver.requests[0].header("x-gapwatch-event") == "update"


async def test_429_is_rate_limited_by_retry_after(receiver: HookReceiver, http: httpx.AsyncClient) -> None:
    receiver.fail(HOOK, 429, retry_after=7)
    with pytest.raises(RateLimited) as info:
        await sink(receiver, http).send(alert())
    assert info.value.retry_after == 7.0 and info.value.destination == "hook:ops"


@pytest.mark.parametrize(("status", "permanent"), [(500, False), (503, False), (404, True), (401, True)])
async def test_errors_are_transient_or_permanent(
    receiver: HookReceiver, http: httpx.AsyncClient, status: int, permanent: bool
) -> None:
    receiver.fail(HOOK, status)
    with pytest.raises(DeliveryError) as info:
        await sink(receiver, http).send(alert())
    assert not isinstance(info.value, RateLimited)
    assert info.value.permanent is permanent and f"HTTP {status}" in str(info.value)


async def test_unreachable_receiver_is_a_transient_error(http: httpx.AsyncClient) -> None:
    async with HookReceiver() as gone:
        url = gone.url(HOOK)
    dead = HookSink({"ops": HookTarget(url=url)}, http)
    with pytest.raises(DeliveryError) as info:
        await dead.send(alert())
    assert not info.value.permanent and "cannot reach hook ops" in str(info.value)


async def test_unknown_hook_name_is_parked(receiver: HookReceiver, http: httpx.AsyncClient) -> None:
    with pytest.raises(DeliveryError) as info:
        await sink(receiver, http).send(alert(destination="hook:other"))
    assert info.value.permanent and receiver.requests == []


async def test_built_from_its_own_config_section(receiver: HookReceiver) -> None:
    raw = {
        "sinks": {"hook": {"ops": {"url": receiver.url(HOOK), "secret": "env:HOOK_SECRET"}}},
        "routes": [{"destination": "hook:ops"}],
    }
    settings = parse_settings(raw, {"HOOK_SECRET": SECRET}, file="test.toml")
    async with AsyncExitStack() as stack:
        sinks = await build_sinks(settings, stack, ChatClients())
        assert sorted(sinks) == ["console", "hook"]
        await sinks["hook"].send(alert())
    expected = "sha256=" + hmac.new(SECRET.encode(), receiver.bodies[0], hashlib.sha256).hexdigest()
    assert receiver.requests[0].header(SIGNATURE_HEADER) == expected
