"""HTML pages without a feed.

A news page (a lab's blog index) yields one item per article link, keyed by the article's URL,
with its title and date (adapters/sources/articles.py; an optional CSS `selector` says where the
articles are). The article's own text is fetched only for links new since the baseline, at most
`article_budget` per poll; the rest wait as `detail_pending` for later polls.

A page with no article links (release notes, a changelog) is one item whose key carries a hash
of the page's text, so an edited page is a new item while an unchanged one (or a 304) is not.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Sequence
from dataclasses import replace

from adapters.sources._base import UrlSource, decode_html, not_modified, with_validators
from adapters.sources.articles import ArticleLink, extract_articles
from adapters.sources.html_text import parse_html
from bot.domain import Item, PollResult, SourceCursor, SourceKind, SourceSpec
from bot.errors import ParseError
from bot.fetch import Fetcher, FetchResponse
from bot.ports import KnownKeys

__all__ = ["PageSource", "decode_html", "page_item"]

ARTICLE_BUDGET = 5


def page_item(body: bytes, *, url: str, content_type: str | None, spec: SourceSpec) -> Item:
    """The page as an Item (blocking: call it in a thread).

    Raises:
        ParseError: the page has no visible text.
    """
    title, text = parse_html(decode_html(body, content_type))
    if not text:
        raise ParseError(f"{spec.key}: page has no text ({url})")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return Item(
        source_key=spec.key,
        key=f"{url}#{digest}",
        title=title or spec.name or url,
        url=url,
        text=text,
        lab=spec.lab,
        source_kind=SourceKind.PAGE,
    )


class PageSource(UrlSource):
    """The HTML page at `spec.target`: its articles, or the page itself."""

    accept = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
    titles_from_articles = False  # True where link titles are only stand-ins (sitemaps)

    def __init__(
        self,
        spec: SourceSpec,
        fetcher: Fetcher,
        *,
        allow_private: bool = True,
        article_budget: int = ARTICLE_BUDGET,
    ) -> None:
        super().__init__(spec, fetcher, allow_private=allow_private)
        self._article_budget = article_budget

    async def poll(self, cursor: SourceCursor, known: KnownKeys) -> PollResult:
        response = await self._fetch(cursor)
        if response.not_modified:
            return await self.pending_only(response, cursor)
        content_type = response.headers.get("content-type")
        html = decode_html(response.content, content_type)
        links = await asyncio.to_thread(
            extract_articles, html, base_url=response.url, selector=self._spec.selector
        )
        if not links:
            if self._spec.selector:
                raise ParseError(
                    f"{self._spec.key}: selector {self._spec.selector!r} matched no article link"
                )
            item = await asyncio.to_thread(
                page_item, response.content, url=self._spec.target, content_type=content_type, spec=self._spec
            )
            return with_validators(PollResult(items=(item,)), response)
        return with_validators(await self.articles(links, cursor, known), response)

    async def articles(self, links: list[ArticleLink], cursor: SourceCursor, known: KnownKeys) -> PollResult:
        """Items for the article links: text fetched for new ones and pending ones, within budget."""
        seen = set() if cursor.first_poll else await known([a.url for a in links])
        budget = self._article_budget
        warnings: list[str] = []
        items: list[Item] = []
        for link in links:
            text: str | None = "\n\n".join(p for p in (link.title, link.teaser) if p)
            article = None
            if not cursor.first_poll and link.url not in seen:
                article = await self._article(link.url, warnings) if budget > 0 else None
                budget -= 1
                text = (article.text or link.title) if article is not None else None
            if article is not None and article.title and self.titles_from_articles:
                link = replace(link, title=article.title)
            items.append(self._item(link, text))
        details: list[tuple[str, str]] = []
        for key in cursor.pending:
            if budget <= 0:
                break
            budget -= 1
            article = await self._article(key, warnings)
            if article is not None:
                details.append((key, article.text or article.title or key))
        return PollResult(items=tuple(items), details=tuple(details), warnings=tuple(warnings))

    async def pending_only(self, response: FetchResponse, cursor: SourceCursor) -> PollResult:
        """A 304: nothing new on the index, but articles still waiting for their text get it."""
        unchanged = not_modified(response)
        if not cursor.pending:
            return unchanged
        result = await self.articles([], cursor, self._no_known)
        return replace(unchanged, details=result.details, warnings=result.warnings)

    @staticmethod
    async def _no_known(keys: Sequence[str]) -> set[str]:
        return set()

    def _item(self, link: ArticleLink, text: str | None) -> Item:
        return Item(
            source_key=self._spec.key,
            key=link.url,
            title=link.title or link.url,
            url=link.url,
            text=text or link.title,
            published=link.published,
            lab=self._spec.lab,
            source_kind=SourceKind.PAGE,
            detail_pending=text is None,
        )
