"""`[[sources]]` entries of the config: one model per source, checked per kind (bot/config.py
reads the file; this module only says what a source entry may hold)."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from bot.domain import SourceKind, SourceSpec

__all__ = ["SourceSettings"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceSettings(_Model):
    kind: SourceKind
    url: str | None = None
    author: str | None = None
    repo: str | None = None
    org: str | None = None
    name: str | None = None
    lab: str | None = None
    interval: float | None = Field(None, gt=0)
    api_base: str | None = None
    selector: str | None = None
    match: str | None = None

    def model_post_init(self, _context: Any) -> None:
        url_kinds = (SourceKind.FEED, SourceKind.PAGE, SourceKind.SITEMAP)
        needed = {
            SourceKind.FEED: "url",
            SourceKind.PAGE: "url",
            SourceKind.SITEMAP: "url",
            SourceKind.HUGGINGFACE: "author",
            SourceKind.GITHUB: "repo' or 'org",
        }[self.kind]
        if not (self.repo or self.org if self.kind is SourceKind.GITHUB else getattr(self, needed)):
            raise ValueError(f"a {self.kind.value} source needs '{needed}'")
        if self.kind is SourceKind.GITHUB and self.repo and self.org:
            raise ValueError(
                "a github source takes 'repo' (its releases) or 'org' (its new repositories), not both"
            )
        if self.kind is SourceKind.GITHUB and self.repo and self.repo.count("/") != 1:
            raise ValueError(f"repo must be OWNER/NAME, got {self.repo!r}")
        if self.kind is SourceKind.GITHUB and self.org and "/" in self.org:
            raise ValueError(f"org is a GitHub organisation name, got {self.org!r}")
        if self.kind in url_kinds and self.url:
            if not self.url.startswith(("http://", "https://")):
                raise ValueError(f"url must be http(s), got {self.url!r}")
        if self.selector and self.kind is not SourceKind.PAGE:
            raise ValueError("'selector' applies to page sources only")
        if self.match and self.kind is not SourceKind.SITEMAP:
            raise ValueError("'match' applies to sitemap sources only")
        if self.match:
            try:
                re.compile(self.match)
            except re.error as exc:
                raise ValueError(f"match is not a regular expression ({exc})") from exc

    @property
    def spec(self) -> SourceSpec:
        target = self.url or self.author or self.repo or self.org or ""
        return SourceSpec(
            kind=self.kind,
            target=target,
            name=self.name or target,
            lab=self.lab,
            interval=self.interval,
            api_base=self.api_base,
            selector=self.selector,
            match=self.match,
        )
