"""Article links, titles and dates from an HTML news page (lxml + cssselect), and article text.

With a CSS `selector`, each match is an article: a link element, or a block holding one (its
first heading is the title, its first `<time datetime>` the date). Without one, `<article>`
blocks are used, else links on the page's own site whose path lies under the page's path
("/news" -> "/news/some-slug") and whose text reads like a headline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urldefrag, urlsplit

import lxml.html
from cssselect import SelectorError
from lxml import etree

from bot.errors import ConfigError, ParseError

MAX_ARTICLES = 60
MIN_HEADLINE = 12  # characters: shorter link texts are navigation ("More", "Blog")
_SPACES = re.compile(r"\s+")
_HEADINGS = ("h1", "h2", "h3", "h4")


@dataclass(frozen=True, slots=True)
class ArticleLink:
    url: str
    title: str
    published: datetime | None
    teaser: str = ""


def check_selector(selector: str) -> None:
    """Raise ConfigError for a CSS selector lxml cannot compile."""
    from lxml.cssselect import CSSSelector

    try:
        CSSSelector(selector)
    except (SelectorError, ValueError) as exc:
        raise ConfigError(f"invalid CSS selector {selector!r}: {exc}", key="sources.selector") from exc


def _document(html: str, base_url: str) -> lxml.html.HtmlElement:
    try:
        doc = lxml.html.document_fromstring(html or "<html></html>")
    except (etree.ParserError, ValueError) as exc:
        raise ParseError(f"page is not HTML: {exc}") from exc
    doc.make_links_absolute(base_url, resolve_base_href=True)
    return doc


def _text(node: lxml.html.HtmlElement) -> str:
    return _SPACES.sub(" ", node.text_content()).strip()


def _date(node: lxml.html.HtmlElement) -> datetime | None:
    for el in node.iter("time"):
        value = (el.get("datetime") or _text(el)).strip()
        try:
            when = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            continue
        return when if when.tzinfo else when.replace(tzinfo=UTC)
    return None


def _from_block(block: lxml.html.HtmlElement) -> ArticleLink | None:
    link = block if block.tag == "a" else next(iter(block.iter("a")), None)
    if link is None or not link.get("href"):
        return None
    heading = next((h for h in block.iter(*_HEADINGS)), None)
    title = _text(heading) if heading is not None else _text(link)
    teaser = next((_text(p) for p in block.iter("p") if _text(p)), "")
    date = _date(block)
    if date is None and block.tag == "a":
        date = _date(_parent(block))
    return ArticleLink(urldefrag(link.get("href", ""))[0], title, date, teaser)


def _parent(node: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    parent = node.getparent()
    return parent if parent is not None else node


def _under(url: str, page: str) -> bool:
    target, base = urlsplit(url), urlsplit(page)
    if target.scheme not in ("http", "https") or target.netloc != base.netloc:
        return False
    root = base.path.rstrip("/")
    path = target.path.rstrip("/")
    return path.startswith(root + "/") and path != root


def extract_articles(html: str, *, base_url: str, selector: str | None = None) -> list[ArticleLink]:
    """Article links in page order, one per URL (blocking: call it in a thread)."""
    doc = _document(html, base_url)
    if selector:
        blocks = doc.cssselect(selector)
    else:
        blocks = list(doc.iter("article"))
    found = [a for a in (_from_block(b) for b in blocks) if a is not None]
    if not selector and not found:
        links = [a for a in doc.iter("a") if _under(urldefrag(a.get("href", ""))[0], base_url)]
        found = [
            ArticleLink(urldefrag(a.get("href", ""))[0], _text(a), _date(_parent(a)))
            for a in links
            if len(_text(a)) >= MIN_HEADLINE
        ]
    unique: dict[str, ArticleLink] = {}
    for article in found:
        if article.url.startswith(("http://", "https://")) and article.url not in unique:
            unique[article.url] = article
    return list(unique.values())[:MAX_ARTICLES]
