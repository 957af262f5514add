"""Hugging Face source against the fake Hub on loopback."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl

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
    assert {k: listing.query[k] for k in ("author", "sort", "limit")} == {
        "author": "deepseek-ai", "sort": "createdAt", "limit": "3",
    }  # fmt: skip
    asked = [v for k, v in parse_qsl(listing.query_string) if k == "expand[]"]
    assert asked == ["createdAt", "private", "gated", "disabled", "pipeline_tag", "tags"]
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


async def test_cards_come_from_the_resolve_route(hf: HFServer, fetcher: Fetcher) -> None:
    (model,) = add_models(hf, 1)
    await hf_source(hf, fetcher).poll(LATER, Known())
    assert [r.path for r in hf.requests if r.path.endswith("README.md")] == [
        f"/{model}/resolve/main/README.md"
    ]


async def test_a_failing_card_keeps_the_list_and_is_retried_on_its_own(
    hf: HFServer, fetcher: Fetcher
) -> None:
    first, second = add_models(hf, 2)
    hf.fail(f"/{first}/resolve/main/README.md", 500, times=3)  # every attempt of this poll
    result = await hf_source(hf, fetcher).poll(LATER, Known())
    by_id = {i.model_id: i for i in result.items}
    assert by_id[first].detail_pending and by_id[first].text == ""
    assert not by_id[second].detail_pending and by_id[second].text.startswith("# " + second)
    assert any(first in w and "later poll" in w for w in result.warnings)
    # next poll: the model is stored (known) and pending; only its card is asked for
    hf.requests.clear()
    again = await hf_source(hf, fetcher).poll(
        SourceCursor(first_poll=False, pending=(f"hf:{first}",)), Known({f"hf:{first}", f"hf:{second}"})
    )
    assert again.items == () and again.details == ((f"hf:{first}", f"# {first}\nText 1."),)
    assert hf.card_requests() == [first] and len(hf.list_requests()) == 1


async def test_baseline_cards_come_gradually_newest_first(hf: HFServer, fetcher: Fetcher) -> None:
    newest = add_models(hf, 5)
    spec = SourceSpec(SourceKind.HUGGINGFACE, "deepseek-ai", "DS", api_base=hf.base_url)
    source = build_source(spec, fetcher, hf_models_limit=50, hf_card_budget=2)
    first = await source.poll(SourceCursor(), Known())
    assert [i.model_id for i in first.items] == newest  # the whole list is the baseline at once
    assert [i.model_id for i in first.items if not i.detail_pending] == newest[:2]
    assert hf.card_requests() == newest[:2]
    assert any("3 model cards left" in w for w in first.warnings)
    hf.requests.clear()
    pending = tuple(f"hf:{m}" for m in newest[2:])
    everything = Known({f"hf:{m}" for m in newest})
    second = await source.poll(SourceCursor(first_poll=False, pending=pending), everything)
    assert [k for k, _text in second.details] == [f"hf:{m}" for m in newest[2:4]]
    assert hf.card_requests() == newest[2:4] and len(hf.list_requests()) == 1


async def test_a_new_model_gets_its_card_at_once_even_with_no_budget(hf: HFServer, fetcher: Fetcher) -> None:
    (model,) = add_models(hf, 1)
    spec = SourceSpec(SourceKind.HUGGINGFACE, "deepseek-ai", "DS", api_base=hf.base_url)
    source = build_source(spec, fetcher, hf_card_budget=0)
    (item,) = (await source.poll(LATER, Known())).items
    assert not item.detail_pending and hf.card_requests() == [model]


async def test_card_rate_limit_stops_cards_and_passes_the_reset_on(
    hf: HFServer, fetcher: Fetcher, sleeps: Sleeps
) -> None:
    newest = add_models(hf, 3)
    hf.fail(f"/{newest[0]}/resolve/main/README.md", 429, headers={"RateLimit": '"resolvers";r=0;t=180'})
    result = await hf_source(hf, fetcher).poll(LATER, Known())
    assert [i.model_id for i in result.items] == newest  # the list is kept
    assert all(i.detail_pending for i in result.items)
    assert hf.card_requests() == [newest[0]]  # no more cards after the 429
    assert result.retry_after == 180.0 and sleeps == []  # longer than backoff_max: not waited inline


async def test_private_and_gated_models_are_skipped(hf: HFServer, fetcher: Fetcher) -> None:
    hf.add_model("deepseek-ai/open", created_at=T0, card="# open")
    hf.add_model("deepseek-ai/secret", created_at=T0, card="x", private=True)
    hf.add_model("deepseek-ai/gated", created_at=T0, card="x", gated="manual")
    result = await hf_source(hf, fetcher, limit=10).poll(LATER, Known())
    assert [i.model_id for i in result.items] == ["deepseek-ai/open"]
    assert hf.card_requests() == ["deepseek-ai/open"]


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
