"""A site's `sitemap.xml` as a source, for labs whose news has no feed: each `<url>` whose
`<loc>` matches the configured pattern is an article, dated by its `<lastmod>`. A sitemap index
is followed into its newest child sitemaps. Article text is fetched as for pages (only for URLs
new since the baseline, within the budget), so a re-dated `<lastmod>` never makes a new item.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit

from lxml import etree

from adapters.sources._base import with_validators
from adapters.sources.articles import ArticleLink
from adapters.sources.page import PageSource
from bot.domain import PollResult, SourceCursor
from bot.errors import ConfigError, ParseError
from bot.ports import KnownKeys

MAX_CHILD_SITEMAPS = 3
MAX_URLS = 200  # newest matching URLs kept per poll (a site map may list tens of thousands)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    loc: str
    lastmod: datetime | None


def compile_match(pattern: str | None) -> re.Pattern[str] | None:
    if not pattern:
        return None
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ConfigError(f"invalid match pattern {pattern!r}: {exc}", key="sources.match") from exc


def parse_sitemap(body: bytes, *, source_key: str) -> tuple[list[SitemapEntry], list[SitemapEntry]]:
    """(pages, child sitemaps) of a `<urlset>` or `<sitemapindex>` (blocking: call it in a thread).

    Raises:
        ParseError: the body is not a sitemap.
    """
    try:
        root = etree.fromstring(body, _PARSER)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise ParseError(f"{source_key}: sitemap is not XML: {exc}") from exc
    if root is None or etree.QName(root).localname not in ("urlset", "sitemapindex"):
        raise ParseError(f"{source_key}: not a sitemap (no <urlset> or <sitemapindex>)")
    entries: list[SitemapEntry] = []
    for node in root:
        if not isinstance(node.tag, str):
            continue
        values = {
            etree.QName(child).localname: (child.text or "").strip()
            for child in node
            if isinstance(child.tag, str)
        }
        if values.get("loc"):
            entries.append(SitemapEntry(values["loc"], _date(values.get("lastmod"))))
    if etree.QName(root).localname == "sitemapindex":
        return [], entries
    return entries, []


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _title(url: str) -> str:
    """A readable stand-in title from the URL's last path segment ("/news/claude-4" -> "claude 4")."""
    slug = unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1])
    return re.sub(r"[-_]+", " ", slug).strip() or url


def _newest_first(entries: list[SitemapEntry]) -> list[SitemapEntry]:
    floor = datetime.min.replace(tzinfo=UTC)
    return sorted(entries, key=lambda e: e.lastmod or floor, reverse=True)


class SitemapSource(PageSource):
    """The sitemap at `spec.target`; `spec.match` filters the article URLs."""

    accept = "application/xml, text/xml;q=0.9, */*;q=0.5"
    titles_from_articles = True

    async def poll(self, cursor: SourceCursor, known: KnownKeys) -> PollResult:
        response = await self._fetch(cursor)
        if response.not_modified:
            return await self.pending_only(response, cursor)
        pages, children = await asyncio.to_thread(parse_sitemap, response.content, source_key=self._spec.key)
        for child in _newest_first(children)[:MAX_CHILD_SITEMAPS]:
            sub = await self._fetcher.get(
                child.loc,
                headers={"Accept": self.accept},
                source=self._spec.key,
                allow_private=self._allow_private,
            )
            more, _ = await asyncio.to_thread(parse_sitemap, sub.content, source_key=self._spec.key)
            pages += more
        pattern = compile_match(self._spec.match)
        wanted = [p for p in _newest_first(pages) if pattern is None or pattern.search(p.loc)][:MAX_URLS]
        links = [ArticleLink(p.loc, _title(p.loc), p.lastmod) for p in wanted]
        return with_validators(await self.articles(links, cursor, known), response)
