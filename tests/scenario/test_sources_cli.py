"""End to end through the real CLI: every source kind against loopback servers speaking the real
formats (RSS, JSON Feed, an HTML news page, a sitemap, the Hub API, the GitHub API), then
`gapwatch sources`, `gapwatch sources test NAME`, and `poll --once` when every source fails."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from tests.fakes.feeds import FeedServer, rss_feed
from tests.fakes.github_api import GitHubServer
from tests.fakes.hf_api import HFServer
from tests.scenario.cli_runner import gapwatch

OLD = datetime(2024, 6, 1, tzinfo=UTC)
NEW = datetime(2025, 1, 21, 9, 30, tzinfo=UTC)
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def config_text(db_url: str, feeds: FeedServer, hf: HFServer, gh: GitHubServer) -> str:
    return f"""
[storage]
url = "{db_url}"

[polling]
retries = 0
host_interval = 0.05
connect_timeout = 2
read_timeout = 5

[[sources]]
kind = "feed"
url = "{feeds.url("/lab.xml")}"
name = "Lab blog"
lab = "Aquila Labs"

[[sources]]
kind = "feed"
url = "{feeds.url("/feed.json")}"
name = "JSON news"

[[sources]]
kind = "page"
url = "{feeds.url("/news")}"
name = "Cirrus news page"
lab = "Cirrus AI"

[[sources]]
kind = "sitemap"
url = "{feeds.url("/sitemap.xml")}"
match = "/blog/"
name = "Draco sitemap"
lab = "Draco"

[[sources]]
kind = "huggingface"
author = "nimbus-ai"
lab = "Nimbus AI"
api_base = "{hf.base_url}"

[[sources]]
kind = "github"
org = "eos-lab"
name = "Eos on GitHub"
lab = "Eos"
api_base = "{gh.base_url}"

[[sources]]
kind = "github"
repo = "zephyr-lab/zephyr"
name = "Zephyr releases"
lab = "Zephyr"
api_base = "{gh.base_url}"

[[sources]]
kind = "feed"
url = "{feeds.url("/down.xml")}"
name = "Down feed"
"""


def json_feed(items: list[dict[str, object]]) -> str:
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "News", "items": items})


def news_page(*articles: tuple[str, str]) -> str:
    blocks = "".join(f'<article><a href="{href}"><h2>{title}</h2></a></article>' for href, title in articles)
    return f"<html><body><h1>News</h1>{blocks}</body></html>"


def sitemap(feeds: FeedServer, *paths: tuple[str, str]) -> str:
    rows = "".join(f"<url><loc>{feeds.url(p)}</loc><lastmod>{d}</lastmod></url>" for p, d in paths)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset {NS}>{rows}</urlset>'


def baseline(feeds: FeedServer, hf: HFServer, gh: GitHubServer) -> None:
    feeds.add_feed(
        "/lab.xml",
        rss_feed([{"title": "Hello", "link": feeds.url("/p/hello"), "guid": "a1", "summary": "Hi."}]),
    )
    feeds.add(
        "/feed.json",
        json_feed([{"id": "j1", "title": "Old", "content_text": "Old news."}]),
        content_type="application/feed+json",
    )
    feeds.add("/news", news_page(("/news/old", "An older announcement from us")))
    feeds.add(
        "/sitemap.xml",
        sitemap(feeds, ("/blog/old-post", "2024-06-01"), ("/careers", "2024-06-01")),
        content_type="application/xml",
    )
    feeds.add("/down.xml", "x")
    feeds.fail("/down.xml", 500, times=100)
    hf.add_model("nimbus-ai/Nimbus-7B", created_at=OLD, card="Nimbus-7B is a small model.")
    gh.add_repo("eos-lab", "old-tools", created_at=OLD, description="Utilities.")
    gh.add_release(
        "zephyr-lab/zephyr",
        {"id": 1, "tag_name": "v1", "name": "v1", "body": "First.", "published_at": "2024-06-01T00:00:00Z"},
    )


def news(feeds: FeedServer, hf: HFServer, gh: GitHubServer) -> None:
    feeds.add_feed(
        "/lab.xml",
        rss_feed(
            [
                {"title": "Aquila-8B", "link": feeds.url("/p/aquila"), "guid": "a2", "published": NEW,
                 "summary": "Aquila-8B is here; how it compares with o1 inside."},
                {"title": "Hello", "link": feeds.url("/p/hello"), "guid": "a1", "summary": "Hi."},
            ]
        ),
    )  # fmt: skip
    feeds.add(
        "/p/aquila",
        "<html><body><p>Aquila-8B outperforms OpenAI o1 on AIME 2024 and MATH-500.</p></body></html>",
    )
    feeds.add(
        "/feed.json",
        json_feed([
            {"id": "j2", "title": "Borealis-70B arrives", "url": "https://news.example/2",
             "content_html": "<p>The lab says Borealis-70B outperforms GPT-4o on MMLU and HumanEval.</p>"},
            {"id": "j1", "title": "Old", "content_text": "Old news."},
        ]),
        content_type="application/feed+json",
    )  # fmt: skip
    feeds.add(
        "/news",
        news_page(("/news/cirrus-2", "Introducing Cirrus-2"), ("/news/old", "An older announcement from us")),
    )
    feeds.add(
        "/news/cirrus-2", "<html><body><p>Cirrus-2 outperforms GPT-4o on MMLU and GPQA.</p></body></html>"
    )
    feeds.add(
        "/sitemap.xml",
        sitemap(feeds, ("/blog/draco-1", "2025-01-21"), ("/blog/old-post", "2024-06-01")),
        content_type="application/xml",
    )
    feeds.add(
        "/blog/draco-1",
        "<html><head><title>Draco-1</title></head><body><p>On math benchmarks, Draco-1 achieves "
        "performance comparable to o1-preview.</p></body></html>",
    )
    hf.add_model(
        "nimbus-ai/Nimbus-32B", created_at=NEW,
        card="# Nimbus-32B\n\nOn math benchmarks, Nimbus-32B achieves performance comparable to o1-preview.",
    )  # fmt: skip
    gh.add_repo(
        "eos-lab", "Eos-40B", created_at=NEW, description="Eos-40B outperforms GPT-4o on HumanEval and MMLU."
    )
    gh.add_release(
        "zephyr-lab/zephyr",
        {"id": 2, "tag_name": "v2", "name": "Zephyr-9B", "published_at": "2025-01-21T00:00:00Z",
         "body": "Zephyr-9B matches OpenAI o1 on AIME 2024 and MATH-500 while being open weights."},
    )  # fmt: skip


async def test_every_source_kind_end_to_end(tmp_path: Path) -> None:
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'gw.db'}"
    async with FeedServer() as feeds, HFServer() as hf, GitHubServer() as gh:
        config = tmp_path / "config.toml"
        config.write_text(config_text(db_url, feeds, hf, gh), encoding="utf-8")
        baseline(feeds, hf, gh)

        first = await gapwatch(config, "poll", "--once", cwd=tmp_path)
        assert first.code == 0, first.stderr  # one failing source does not fail the run
        assert first.alerts == []
        assert "alerts go to: console" in first.stderr
        assert (
            feeds.hits("/news/old") == 0 and feeds.hits("/blog/old-post") == 0
        )  # baseline: no article fetches

        news(feeds, hf, gh)
        second = await gapwatch(config, "poll", "--once", cwd=tmp_path)
        assert second.code == 0, second.stderr
        competitors = sorted(a.split(" ", 1)[0] for a in second.alerts)
        assert competitors == [
            "Aquila-8B", "Borealis-70B", "Cirrus-2", "Draco-1", "Eos-40B", "Nimbus-32B", "Zephyr-9B",
        ], second.stdout  # fmt: skip
        assert feeds.hits("/p/aquila") == 1 and feeds.hits("/p/hello") == 0  # only the summary naming o1
        assert all("/resolve/main/" in r.path for r in hf.requests if r.path.endswith("README.md"))

        listing = await gapwatch(config, "sources", cwd=tmp_path)
        assert listing.code == 0, listing.stderr
        lines = listing.stdout.splitlines()
        assert lines[0] == "8 sources (1 failing)"
        down = next(line for line in lines if "Down feed" in line)
        assert "failing x2" in down and "HTTP 500" in down and "0 items" in down
        assert any("Nimbus AI" not in line and "nimbus-ai [huggingface] ok" in line for line in lines)

        as_json = json.loads((await gapwatch(config, "sources", "--json", cwd=tmp_path)).stdout)
        seen = {row["name"]: row["items_seen"] for row in as_json}
        feeds.add_feed(
            "/lab.xml",
            rss_feed([{"title": "Orion-3", "link": feeds.url("/p/orion"), "guid": "a3",
                       "content": "Orion-3 outperforms GPT-4o on MMLU and HumanEval."}]),
        )  # fmt: skip
        tried = await gapwatch(config, "sources", "test", "Lab blog", cwd=tmp_path)
        assert tried.code == 0, tried.stderr
        assert "1 items, 1 not stored yet" in tried.stdout and "NEW  Orion-3" in tried.stdout
        assert "claim: Orion-3 exceeds gpt-4o" in tried.stdout
        after = json.loads((await gapwatch(config, "sources", "--json", cwd=tmp_path)).stdout)
        assert {row["name"]: row["items_seen"] for row in after} == seen  # nothing was stored

        unknown = await gapwatch(config, "sources", "test", "Nope", cwd=tmp_path)
        assert unknown.code == 1 and unknown.stderr.strip().splitlines()[-1].startswith(
            "gapwatch: error: no source"
        )


async def test_poll_once_fails_with_one_line_when_every_source_failed(tmp_path: Path) -> None:
    async with FeedServer() as feeds:
        feeds.add("/a.xml", "x")
        feeds.fail("/a.xml", 503, times=10)
        config = tmp_path / "config.toml"
        config.write_text(
            f'[storage]\nurl = "sqlite+aiosqlite:///{tmp_path / "gw.db"}"\n[polling]\nretries = 0\n'
            f'[[sources]]\nkind = "feed"\nurl = "{feeds.url("/a.xml")}"\n'
            f'[[sources]]\nkind = "feed"\nurl = "http://127.0.0.1:9/closed.xml"\n',
            encoding="utf-8",
        )
        run = await gapwatch(config, "poll", "--once", cwd=tmp_path)
        assert run.code == 1
        last = run.stderr.strip().splitlines()[-1]
        assert last == "gapwatch: error: every source failed (2 of 2); `gapwatch sources` shows each error"
