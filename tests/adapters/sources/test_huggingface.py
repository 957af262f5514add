"""Hugging Face source against the fake Hub on loopback."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from adapters.sources import build_source
from adapters.sources.huggingface import HuggingFaceSource
from bot.domain import SourceCursor, SourceKind, SourceSpec
from bot.errors import HTTPStatusError, ParseError
from bot.fetch import Fetcher
from tests.fakes.feeds import FeedServer
from tests.fakes.hf_api import HFServer
from tests.fakes.known import Known, Sleeps

T0 = datetime(2025, 1, 1, tzinfo=UTC)
LATER = SourceCursor(first_poll=False)


def hf_source(
    hf: HFServer, fetcher: Fetcher, *, limit: int = 3, token: str | None = None
) -> HuggingFaceSource:
    spec = SourceSpec(SourceKind.HUGGINGFACE, "deepseek-ai", "DeepSeek on HF", api_base=hf.base_url)
    built = build_source(spec, fetcher, hf_models_limit=limit, hf_token=token)
    assert isinstance(built, HuggingFaceSource)
    return built


def add_models(hf: HFServer, count: int, org: str = "deepseek-ai") -> list[str]:
    ids = [f"{org}/model-{i}" for i in range(count)]
    for i, model_id in enumerate(ids):
        hf.add_model(model_id, created_at=T0 + timedelta(days=i), card=f"# {model_id}\nText {i}.")
    return ids[::-1]  # newest first


async def test_new_models_become_items_with_their_cards(hf: HFServer, fetcher: Fetcher) -> None:
    hf.add_model(
        "deepseek-ai/DeepSeek-R1",
        created_at=datetime(2025, 1, 20, 3, 0, tzinfo=UTC),
        card="---\nlicense: mit\nlibrary_name: transformers\n---\n\n# DeepSeek-R1\nOn par with o1.\n",
    )
    hf.add_model("deepseek-ai/no-card", created_at=datetime(2025, 1, 19, tzinfo=UTC))
    hf.add_model("someone-else/other", created_at=datetime(2025, 1, 21, tzinfo=UTC), card="x")
    result = await hf_source(hf, fetcher, token="hf_secret").poll(SourceCursor(), Known())
    r1, no_card = result.items
    assert r1.key == "hf:deepseek-ai/DeepSeek-R1" and r1.title == r1.model_id == "deepseek-ai/DeepSeek-R1"
    assert r1.url == f"{hf.base_url}/deepseek-ai/DeepSeek-R1"
    assert r1.text == "# DeepSeek-R1\nOn par with o1.\n"
    assert r1.published == datetime(2025, 1, 20, 3, 0, tzinfo=UTC)
    assert r1.lab == "deepseek-ai" and r1.source_kind is SourceKind.HUGGINGFACE
    assert no_card.text == "" and no_card.key == "hf:deepseek-ai/no-card"  # a 404 card is not an error
    (listing,) = hf.list_requests()
    assert listing.query == {"author": "deepseek-ai", "sort": "createdAt", "limit": "3"}
    assert all(r.header("authorization") == "Bearer hf_secret" for r in hf.requests)


async def test_only_unknown_models_get_their_card_fetched(hf: HFServer, fetcher: Fetcher) -> None:
    newest = add_models(hf, 3)
    known = Known({f"hf:{newest[1]}", f"hf:{newest[2]}"})
    result = await hf_source(hf, fetcher).poll(LATER, known)
    assert [i.model_id for i in result.items] == [newest[0]]
    assert hf.card_requests() == [newest[0]]
    assert known.asked == [[f"hf:{m}" for m in newest]]


async def test_pagination_stops_at_the_first_page_with_a_known_id(hf: HFServer, fetcher: Fetcher) -> None:
    newest = add_models(hf, 10)  # pages of 3: [9 8 7] [6 5 4] [3 2 1] [0]
    known = Known({f"hf:{m}" for m in newest[4:]})  # 5 and older were seen
    result = await hf_source(hf, fetcher, limit=3).poll(LATER, known)
    assert [i.model_id for i in result.items] == newest[:4]
    assert len(hf.list_requests()) == 2  # the second page holds a known id: no third page
    assert hf.list_requests()[1].query["cursor"] == "3"
    assert sorted(hf.card_requests()) == sorted(newest[:4])


async def test_first_poll_reads_one_page_only(hf: HFServer, fetcher: Fetcher) -> None:
    newest = add_models(hf, 7)
    result = await hf_source(hf, fetcher, limit=3).poll(SourceCursor(first_poll=True), Known())
    assert [i.model_id for i in result.items] == newest[:3]
    assert len(hf.list_requests()) == 1


async def test_page_cap_when_everything_is_new(hf: HFServer, fetcher: Fetcher) -> None:
    add_models(hf, 20)
    result = await hf_source(hf, fetcher, limit=2).poll(LATER, Known())
    assert len(hf.list_requests()) == 5 and len(result.items) == 10
    assert result.warnings and "5 pages" in result.warnings[0]


async def test_429_with_retry_after_is_waited_out(hf: HFServer, fetcher: Fetcher, sleeps: Sleeps) -> None:
    add_models(hf, 1)
    hf.fail("/api/models", 429, retry_after=4, headers={"RateLimit": '"api";r=0;t=4'})
    result = await hf_source(hf, fetcher).poll(SourceCursor(), Known())
    assert len(result.items) == 1 and sleeps == [4.0]
    assert len(hf.list_requests()) == 2


async def test_429_with_ratelimit_header_only(hf: HFServer, fetcher: Fetcher, sleeps: Sleeps) -> None:
    add_models(hf, 1)
    hf.fail("/api/models", 429, headers={"RateLimit": '"api";r=0;t=9'})
    await hf_source(hf, fetcher).poll(SourceCursor(), Known())
    assert sleeps == [9.0]


async def test_429_too_long_to_wait_fails_the_poll(hf: HFServer, fetcher: Fetcher, sleeps: Sleeps) -> None:
    add_models(hf, 1)
    hf.fail("/api/models", 429, headers={"RateLimit": '"api";r=0;t=240'})
    with pytest.raises(HTTPStatusError) as info:
        await hf_source(hf, fetcher).poll(SourceCursor(), Known())
    assert info.value.status == 429 and info.value.retry_after == 240.0 and sleeps == []


async def test_card_server_error_fails_the_poll(hf: HFServer, fetcher: Fetcher) -> None:
    (model,) = add_models(hf, 1)
    hf.fail(f"/{model}/raw/main/README.md", 500, times=3)
    with pytest.raises(HTTPStatusError):
        await hf_source(hf, fetcher).poll(SourceCursor(), Known())


async def test_malformed_listing_is_a_parse_error(feeds: FeedServer, fetcher: Fetcher) -> None:
    feeds.add("/api/models", "<html>oops</html>")
    spec = SourceSpec(SourceKind.HUGGINGFACE, "x", "x", api_base=feeds.base_url)
    with pytest.raises(ParseError):
        await build_source(spec, fetcher).poll(SourceCursor(), Known())


async def test_lab_from_spec_wins(hf: HFServer, fetcher: Fetcher) -> None:
    add_models(hf, 1, org="Qwen")
    spec = SourceSpec(SourceKind.HUGGINGFACE, "Qwen", "Qwen", lab="Alibaba", api_base=hf.base_url)
    (item,) = (await build_source(spec, fetcher).poll(SourceCursor(), Known())).items
    assert item.lab == "Alibaba"
