"""Fixtures for the source adapters: loopback servers and a Fetcher that never really sleeps."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.fetch import Fetcher, FetchPolicy, new_client
from tests.fakes.feeds import FeedServer
from tests.fakes.hf_api import HFServer
from tests.fakes.known import Sleeps

POLICY = FetchPolicy(connect_timeout=2, read_timeout=2, retries=2, backoff_base=1, backoff_max=60)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
async def fetcher(sleeps: Sleeps) -> AsyncIterator[Fetcher]:
    async with new_client(POLICY) as client:
        yield Fetcher(client, POLICY, sleep=sleeps, rand=lambda: 1.0)


@pytest.fixture
async def feeds() -> AsyncIterator[FeedServer]:
    async with FeedServer() as srv:
        yield srv


@pytest.fixture
async def hf() -> AsyncIterator[HFServer]:
    async with HFServer() as srv:
        yield srv
