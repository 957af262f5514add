"""GitHub releases of one repository (`spec.target` = "owner/repo"); drafts are skipped."""

from __future__ import annotations

from typing import NotRequired, TypedDict

from adapters.sources._base import iso_datetime, json_list
from bot.domain import Item, PollResult, SourceCursor, SourceKind, SourceSpec
from bot.fetch import Fetcher
from bot.ports import KnownKeys

DEFAULT_API_BASE = "https://api.github.com"


class ReleasePayload(TypedDict):
    """One entry of `GET /repos/{owner}/{repo}/releases` (the fields this adapter reads)."""

    id: int
    tag_name: str
    name: NotRequired[str | None]
    body: NotRequired[str | None]
    html_url: NotRequired[str]
    draft: NotRequired[bool]
    prerelease: NotRequired[bool]
    published_at: NotRequired[str | None]


def parse_releases(body: bytes, *, source_key: str) -> list[ReleasePayload]:
    data = json_list(body, source_key=source_key, what="releases")
    return [r for r in data if isinstance(r, dict) and isinstance(r.get("id"), int)]  # type: ignore[misc]


class GitHubReleasesSource:
    """Releases of `spec.target`; conditional GET, so an unchanged list costs no rate limit."""

    def __init__(self, spec: SourceSpec, fetcher: Fetcher, *, token: str | None = None) -> None:
        self._spec = spec
        self._fetcher = fetcher
        self._base = (spec.api_base or DEFAULT_API_BASE).rstrip("/")
        self._headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
        if token:
            self._headers["Authorization"] = f"Bearer {token}"

    @property
    def spec(self) -> SourceSpec:
        return self._spec

    async def poll(self, cursor: SourceCursor, known: KnownKeys) -> PollResult:
        response = await self._fetcher.get(
            f"{self._base}/repos/{self._spec.target}/releases?per_page=30",
            etag=cursor.etag,
            last_modified=cursor.last_modified,
            headers=self._headers,
            source=self._spec.key,
        )
        if response.not_modified:
            return PollResult(not_modified=True, etag=response.etag, last_modified=response.last_modified)
        items = tuple(
            self._item(release)
            for release in parse_releases(response.content, source_key=self._spec.key)
            if not release.get("draft")
        )
        return PollResult(items=items, etag=response.etag, last_modified=response.last_modified)

    def _item(self, release: ReleasePayload) -> Item:
        title = (release.get("name") or "").strip() or str(release.get("tag_name") or release["id"])
        return Item(
            source_key=self._spec.key,
            key=f"gh:{self._spec.target}:{release['id']}",
            title=title,
            url=release.get("html_url") or None,
            text=release.get("body") or "",
            published=iso_datetime(release.get("published_at")),
            lab=self._spec.lab,
            source_kind=SourceKind.GITHUB,
        )
