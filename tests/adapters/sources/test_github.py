"""GitHub releases source against a loopback JSON server."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.sources import build_source
from bot.domain import SourceCursor, SourceKind, SourceSpec
from bot.errors import ConfigError, HTTPStatusError, ParseError
from bot.fetch import Fetcher
from tests.fakes.feeds import FeedServer
from tests.fakes.github_api import GitHubServer
from tests.fakes.known import Known

RELEASES = [
    {
        "id": 201,
        "tag_name": "v2.0",
        "name": "Kimi K2",
        "body": "Beats GPT-4.1 on SWE-bench.",
        "html_url": "https://github.com/MoonshotAI/Kimi-K2/releases/tag/v2.0",
        "draft": False,
        "prerelease": False,
        "published_at": "2025-07-11T08:00:00Z",
    },
    {"id": 200, "tag_name": "v1.9", "name": None, "body": None, "draft": False, "published_at": None},
    {"id": 202, "tag_name": "v3.0-draft", "name": "Draft", "draft": True, "published_at": None},
]


def spec(srv: FeedServer) -> SourceSpec:
    return SourceSpec(SourceKind.GITHUB, "MoonshotAI/Kimi-K2", "Kimi", lab="Moonshot", api_base=srv.base_url)


async def test_releases_become_items_and_drafts_are_skipped(feeds: FeedServer, fetcher: Fetcher) -> None:
    feeds.add_releases("MoonshotAI/Kimi-K2", RELEASES)
    result = await build_source(spec(feeds), fetcher, github_token="ghp_x").poll(SourceCursor(), Known())
    k2, old = result.items
    assert k2.key == "gh:MoonshotAI/Kimi-K2:201" and k2.title == "Kimi K2"
    assert k2.url == RELEASES[0]["html_url"] and k2.text == "Beats GPT-4.1 on SWE-bench."
    assert k2.published == datetime(2025, 7, 11, 8, tzinfo=UTC) and k2.lab == "Moonshot"
    assert k2.source_kind is SourceKind.GITHUB
    assert (old.title, old.text, old.url, old.published) == ("v1.9", "", None, None)
    (request,) = feeds.requests
    assert request.path == "/repos/MoonshotAI/Kimi-K2/releases" and request.query == {"per_page": "30"}
    assert request.header("accept") == "application/vnd.github+json"
    assert request.header("authorization") == "Bearer ghp_x"


async def test_unchanged_release_list_is_not_modified(feeds: FeedServer, fetcher: Fetcher) -> None:
    feeds.add_releases("MoonshotAI/Kimi-K2", RELEASES)
    src = build_source(spec(feeds), fetcher)
    first = await src.poll(SourceCursor(), Known())
    second = await src.poll(SourceCursor(etag=first.etag), Known())
    assert second.not_modified and second.items == ()
    assert feeds.requests[1].header("authorization") is None


@pytest.mark.parametrize("body", ["not json", '{"message": "Not Found"}'])
async def test_bad_payload_is_a_parse_error(feeds: FeedServer, fetcher: Fetcher, body: str) -> None:
    feeds.add("/repos/MoonshotAI/Kimi-K2/releases", body, content_type="application/json")
    with pytest.raises(ParseError):
        await build_source(spec(feeds), fetcher).poll(SourceCursor(), Known())


@pytest.mark.parametrize("target", ["a/b/c", "/repo", "owner/", ""])
def test_target_must_be_owner_slash_repo(fetcher: Fetcher, target: str) -> None:
    with pytest.raises(ConfigError):
        build_source(SourceSpec(SourceKind.GITHUB, target, "x"), fetcher)


async def test_org_new_repositories_newest_first_forks_skipped(fetcher: Fetcher) -> None:
    async with GitHubServer() as gh:
        gh.add_repo("deepseek-ai", "DeepSeek-V3", created_at=datetime(2024, 12, 26, tzinfo=UTC))
        gh.add_repo(
            "deepseek-ai",
            "DeepSeek-R1",
            created_at=datetime(2025, 1, 20, tzinfo=UTC),
            description="Reasoning",
        )
        gh.add_repo("deepseek-ai", "vllm", created_at=datetime(2025, 2, 1, tzinfo=UTC), fork=True)
        src = build_source(SourceSpec(SourceKind.GITHUB, "deepseek-ai", "DS", api_base=gh.base_url), fetcher)
        result = await src.poll(SourceCursor(), Known())
        assert [(i.key, i.text) for i in result.items] == [
            ("gh:repo:deepseek-ai/DeepSeek-R1", "Reasoning"),
            ("gh:repo:deepseek-ai/DeepSeek-V3", ""),
        ]
        assert result.items[0].url == "https://github.com/deepseek-ai/DeepSeek-R1"
        (req,) = gh.requests
        assert req.path == "/orgs/deepseek-ai/repos" and req.query["sort"] == "created"
        again = await src.poll(SourceCursor(etag=result.etag), Known())
        assert again.not_modified


@pytest.mark.parametrize("status", [403, 429])
async def test_rate_limit_answer_carries_the_reset_to_the_second(fetcher: Fetcher, status: int) -> None:
    async with GitHubServer() as gh:
        gh.exhaust(reset_in=3000, status=status)
        src = build_source(SourceSpec(SourceKind.GITHUB, "deepseek-ai", "DS", api_base=gh.base_url), fetcher)
        with pytest.raises(HTTPStatusError) as info:
            await src.poll(SourceCursor(), Known())
        assert info.value.status == status and info.value.retry_after is not None
        assert 2990 <= info.value.retry_after <= 3000
        assert len(gh.requests) == 1  # a reset an hour away is not retried inline
