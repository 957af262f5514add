"""The per-host rate limit shared by all sources on a host: spacing, and a block after a rate
limit too long to wait for (time and sleep injected; the requests are real, over loopback)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.errors import HTTPStatusError
from bot.fetch import Fetcher, FetchPolicy, new_client
from bot.hostlimit import HostLimiter
from tests.fakes.feeds import FeedServer


class Clock:
    def __init__(self) -> None:
        self.at = datetime(2025, 1, 20, tzinfo=UTC)
        self.slept: list[float] = []

    def now(self) -> datetime:
        return self.at

    async def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.at += timedelta(seconds=seconds)


async def test_requests_to_one_host_are_spaced_across_sources() -> None:
    clock = Clock()
    policy = FetchPolicy(retries=0, host_interval=0.5)
    async with FeedServer() as srv, new_client(policy) as client:
        a, b = srv.add("/a", "a"), srv.add("/b", "b")
        fetcher = Fetcher(client, policy, sleep=clock.sleep, now=clock.now)
        for url in (a, b, a):  # two "sources" on one host
            await fetcher.get(url)
    assert clock.slept == [0.5, 0.5]  # the first request goes at once, the others wait their turn


async def test_a_long_rate_limit_blocks_the_host_for_every_source() -> None:
    clock = Clock()
    policy = FetchPolicy(retries=2, backoff_max=60)
    async with FeedServer() as srv, new_client(policy) as client:
        a, b = srv.add("/a", "a"), srv.add("/b", "b")
        srv.fail("/a", 429, headers={"RateLimit": '"api";r=0;t=300'})
        fetcher = Fetcher(client, policy, sleep=clock.sleep, now=clock.now)
        with pytest.raises(HTTPStatusError) as first:
            await fetcher.get(a)
        with pytest.raises(HTTPStatusError) as second:
            await fetcher.get(b)  # another source on the same host: no request is made
        assert first.value.retry_after == 300 and second.value.retry_after == 300
        assert srv.paths() == ["/a"]
        clock.at += timedelta(seconds=301)
        assert (await fetcher.get(b)).content == b"b"  # after the reset the host is open again


def test_limiter_without_interval_never_sleeps() -> None:
    limiter = HostLimiter(0, clock=lambda: 0.0, sleep=lambda s: None)  # type: ignore[arg-type,return-value]
    assert limiter.blocked_for("h:1") is None
    limiter.block("h:1", 5)
    assert limiter.blocked_for("h:1") == 5


async def test_a_success_that_spends_the_quota_blocks_the_host_until_reset() -> None:
    """The Hub says `RateLimit: "resolvers";r=0;t=300` on the answer that used the last request."""
    from adapters.sources import build_source
    from bot.domain import SourceCursor, SourceKind, SourceSpec
    from tests.fakes.hf_api import HFServer
    from tests.fakes.known import Known

    clock = Clock()
    policy = FetchPolicy(retries=0)
    async with HFServer() as hf, new_client(policy) as client:
        for n in range(3):
            hf.add_model(f"org/m{n}", created_at=datetime(2025, 1, 1 + n, tzinfo=UTC), card=f"# m{n}")
        hf.quota = 2  # per bucket: the list ("api"), then two cards ("resolvers") spend the window
        fetcher = Fetcher(client, policy, sleep=clock.sleep, now=clock.now)
        source = build_source(SourceSpec(SourceKind.HUGGINGFACE, "org", "org", api_base=hf.base_url), fetcher)
        result = await source.poll(SourceCursor(first_poll=False), Known())
        assert [i.detail_pending for i in result.items] == [False, False, True]
        assert result.retry_after is not None and 299 <= result.retry_after <= 300
        assert len(hf.requests) == 3  # no request was spent learning the limit again
