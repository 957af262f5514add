"""Sources, one module per kind, built from a SourceSpec by `build_source` (a registry keyed by
SourceKind, the way apprise keys its plugins by URL schema).

Pages and sitemaps (lxml, cssselect: ~70 ms of CPU to import) load when a config has one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from adapters.sources.feed import FeedSource, Mentions
from adapters.sources.github import GitHubOrgSource, GitHubReleasesSource
from adapters.sources.huggingface import HuggingFaceSource
from bot.domain import SourceKind, SourceSpec
from bot.errors import ConfigError
from bot.fetch import Fetcher
from bot.ports import Source

__all__ = [
    "FeedSource",
    "GitHubOrgSource",
    "GitHubReleasesSource",
    "HuggingFaceSource",
    "PageSource",
    "SitemapSource",
    "SourceOptions",
    "build_source",
]


@dataclass(frozen=True, slots=True)
class SourceOptions:
    """Settings shared by every source of a kind (from `[polling]`)."""

    hf_models_limit: int = 50
    hf_card_budget: int = 10
    hf_token: str | None = None
    github_token: str | None = None
    allow_private: bool = True  # False for sources added from chat
    article_budget: int = 5  # article fetches per page/sitemap/feed source per poll
    mentions: Mentions | None = None  # names a tracked model? (feeds fetch such summaries' articles)


def _require_url(spec: SourceSpec) -> None:
    parts = urlsplit(spec.target)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(
            f"{spec.kind.value} source needs an http(s) URL, got {spec.target!r}", key="sources"
        )


def _feed(spec: SourceSpec, fetcher: Fetcher, opts: SourceOptions) -> Source:
    _require_url(spec)
    return FeedSource(
        spec,
        fetcher,
        allow_private=opts.allow_private,
        mentions=opts.mentions,
        article_budget=opts.article_budget,
    )


def __getattr__(name: str) -> Any:  # PageSource and SitemapSource, imported on first use
    if name == "PageSource":
        from adapters.sources.page import PageSource

        return PageSource
    if name == "SitemapSource":
        from adapters.sources.sitemap import SitemapSource

        return SitemapSource
    raise AttributeError(name)


def _page(spec: SourceSpec, fetcher: Fetcher, opts: SourceOptions) -> Source:
    from adapters.sources.articles import check_selector
    from adapters.sources.page import PageSource

    _require_url(spec)
    if spec.selector:
        check_selector(spec.selector)
    return PageSource(spec, fetcher, allow_private=opts.allow_private, article_budget=opts.article_budget)


def _sitemap(spec: SourceSpec, fetcher: Fetcher, opts: SourceOptions) -> Source:
    from adapters.sources.sitemap import SitemapSource, compile_match

    _require_url(spec)
    compile_match(spec.match)
    return SitemapSource(spec, fetcher, allow_private=opts.allow_private, article_budget=opts.article_budget)


def _huggingface(spec: SourceSpec, fetcher: Fetcher, opts: SourceOptions) -> Source:
    if not spec.target or "/" in spec.target:
        raise ConfigError(f"huggingface source needs an author name, got {spec.target!r}", key="sources")
    return HuggingFaceSource(
        spec, fetcher, limit=opts.hf_models_limit, token=opts.hf_token, card_budget=opts.hf_card_budget
    )


def _github(spec: SourceSpec, fetcher: Fetcher, opts: SourceOptions) -> Source:
    owner, slash, repo = spec.target.partition("/")
    if not slash and owner:
        return GitHubOrgSource(spec, fetcher, token=opts.github_token)
    if not owner or not repo or "/" in repo:
        raise ConfigError(f"github source needs owner/repo or an org, got {spec.target!r}", key="sources")
    return GitHubReleasesSource(spec, fetcher, token=opts.github_token)


_REGISTRY: dict[SourceKind, Callable[[SourceSpec, Fetcher, SourceOptions], Source]] = {
    SourceKind.FEED: _feed,
    SourceKind.PAGE: _page,
    SourceKind.SITEMAP: _sitemap,
    SourceKind.HUGGINGFACE: _huggingface,
    SourceKind.GITHUB: _github,
}


def build_source(
    spec: SourceSpec,
    fetcher: Fetcher,
    options: SourceOptions | None = None,
    *,
    hf_models_limit: int | None = None,
    hf_card_budget: int | None = None,
    hf_token: str | None = None,
    github_token: str | None = None,
    allow_private: bool | None = None,
) -> Source:
    """The Source for a spec.

    Args:
        spec: the configured source.
        fetcher: the shared guarded fetch.
        options: settings shared by all sources; the keyword arguments override single fields
            (hf_models_limit: models per Hugging Face list page; hf_card_budget: baseline model
            cards per Hugging Face source per poll; tokens; allow_private: False for sources
            added from chat, which may not target private, loopback or link-local addresses).

    Raises:
        ConfigError: an unknown kind, or a target that does not fit the kind.
    """
    opts = options or SourceOptions()
    overrides = {
        "hf_models_limit": hf_models_limit,
        "hf_card_budget": hf_card_budget,
        "hf_token": hf_token,
        "github_token": github_token,
        "allow_private": allow_private,
    }
    fields = {k: v for k, v in overrides.items() if v is not None}
    if fields:
        from dataclasses import replace

        opts = replace(opts, **fields)  # type: ignore[arg-type]
    try:
        factory = _REGISTRY[SourceKind(spec.kind)]
    except (KeyError, ValueError) as exc:
        raise ConfigError(f"unknown source kind {spec.kind!r}", key="sources") from exc
    return factory(spec, fetcher, opts)
