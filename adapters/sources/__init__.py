"""Sources, one module per kind, built from a SourceSpec by `build_source` (a registry keyed by
SourceKind, the way apprise keys its plugins by URL schema)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from adapters.sources.feed import FeedSource
from adapters.sources.github import GitHubReleasesSource
from adapters.sources.huggingface import HuggingFaceSource
from adapters.sources.page import PageSource
from bot.domain import SourceKind, SourceSpec
from bot.errors import ConfigError
from bot.fetch import Fetcher
from bot.ports import Source

__all__ = ["FeedSource", "GitHubReleasesSource", "HuggingFaceSource", "PageSource", "build_source"]


@dataclass(frozen=True, slots=True)
class _Options:
    hf_models_limit: int
    hf_card_budget: int
    hf_token: str | None
    github_token: str | None
    allow_private: bool


def _require_url(spec: SourceSpec) -> None:
    parts = urlsplit(spec.target)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(
            f"{spec.kind.value} source needs an http(s) URL, got {spec.target!r}", key="sources"
        )


def _feed(spec: SourceSpec, fetcher: Fetcher, opts: _Options) -> Source:
    _require_url(spec)
    return FeedSource(spec, fetcher, allow_private=opts.allow_private)


def _page(spec: SourceSpec, fetcher: Fetcher, opts: _Options) -> Source:
    _require_url(spec)
    return PageSource(spec, fetcher, allow_private=opts.allow_private)


def _huggingface(spec: SourceSpec, fetcher: Fetcher, opts: _Options) -> Source:
    if not spec.target or "/" in spec.target:
        raise ConfigError(f"huggingface source needs an author name, got {spec.target!r}", key="sources")
    return HuggingFaceSource(
        spec, fetcher, limit=opts.hf_models_limit, token=opts.hf_token, card_budget=opts.hf_card_budget
    )


def _github(spec: SourceSpec, fetcher: Fetcher, opts: _Options) -> Source:
    owner, _, repo = spec.target.partition("/")
    if not owner or not repo or "/" in repo:
        raise ConfigError(f"github source needs owner/repo, got {spec.target!r}", key="sources")
    return GitHubReleasesSource(spec, fetcher, token=opts.github_token)


_REGISTRY: dict[SourceKind, Callable[[SourceSpec, Fetcher, _Options], Source]] = {
    SourceKind.FEED: _feed,
    SourceKind.PAGE: _page,
    SourceKind.HUGGINGFACE: _huggingface,
    SourceKind.GITHUB: _github,
}


def build_source(
    spec: SourceSpec,
    fetcher: Fetcher,
    *,
    hf_models_limit: int = 50,
    hf_card_budget: int = 10,
    hf_token: str | None = None,
    github_token: str | None = None,
    allow_private: bool = True,
) -> Source:
    """The Source for a spec.

    Args:
        spec: the configured source.
        fetcher: the shared guarded fetch.
        hf_models_limit: models per Hugging Face list page.
        hf_card_budget: model-card requests per Hugging Face source per poll for the baseline's
            cards (cards of models new since the baseline are fetched at once).
        hf_token: Hugging Face token (optional).
        github_token: GitHub token (optional).
        allow_private: False for sources added from chat: feeds and pages may not target
            private, loopback or link-local addresses.

    Raises:
        ConfigError: an unknown kind, or a target that does not fit the kind.
    """
    try:
        factory = _REGISTRY[SourceKind(spec.kind)]
    except (KeyError, ValueError) as exc:
        raise ConfigError(f"unknown source kind {spec.kind!r}", key="sources") from exc
    return factory(spec, fetcher, _Options(hf_models_limit, hf_card_budget, hf_token, github_token, allow_private))
