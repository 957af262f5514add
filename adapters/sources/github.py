"""GitHub: the releases of one repository (`spec.target` = "owner/repo"; drafts skipped) or the
new repositories of an organisation (`spec.target` = "org"; DeepSeek and others release a model
by creating a repo). Conditional GETs: a 304 costs no rate limit only with a token. Rate-limit
answers (403/429 with `x-ratelimit-remaining: 0`, `x-ratelimit-reset`, `retry-after`) become a
`retry_after` the scheduler honours to the second (bot/fetch.py reads the headers)."""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

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


class RepoPayload(TypedDict):
    """One entry of `GET /orgs/{org}/repos` (the fields this adapter reads)."""

    id: int
    full_name: str
    description: NotRequired[str | None]
    html_url: NotRequired[str]
    created_at: NotRequired[str | None]
    fork: NotRequired[bool]
    private: NotRequired[bool]
    topics: NotRequired[list[str]]


def _json_list(body: bytes, *, source_key: str, what: str) -> list[dict[str, Any]]:
    data = json_list(body, source_key=source_key, what=what)
    return [r for r in data if isinstance(r, dict) and isinstance(r.get("id"), int)]


def parse_releases(body: bytes, *, source_key: str) -> list[ReleasePayload]:
    return _json_list(body, source_key=source_key, what="releases")  # type: ignore[return-value]


def parse_repos(body: bytes, *, source_key: str) -> list[RepoPayload]:
    rows = _json_list(body, source_key=source_key, what="repositories")
    return [r for r in rows if isinstance(r.get("full_name"), str)]  # type: ignore[misc]


class _GitHubSource:
    """What both GitHub sources share: the API base, headers, the conditional GET."""

    path = ""

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
            self._base + self.path.format(target=self._spec.target),
            etag=cursor.etag,
            last_modified=cursor.last_modified,
            headers=self._headers,
            source=self._spec.key,
        )
        if response.not_modified:
            return PollResult(not_modified=True, etag=response.etag, last_modified=response.last_modified)
        return PollResult(
            items=self._items(response.content), etag=response.etag, last_modified=response.last_modified
        )

    def _items(self, body: bytes) -> tuple[Item, ...]:
        raise NotImplementedError


class GitHubOrgSource(_GitHubSource):
    """New public repositories of the organisation `spec.target`, newest first (forks skipped)."""

    path = "/orgs/{target}/repos?sort=created&direction=desc&per_page=30"

    def _items(self, body: bytes) -> tuple[Item, ...]:
        repos = parse_repos(body, source_key=self._spec.key)
        return tuple(self._repo(r) for r in repos if not r.get("fork") and not r.get("private"))

    def _repo(self, repo: RepoPayload) -> Item:
        topics = " ".join(t for t in repo.get("topics") or [] if isinstance(t, str))
        text = "\n".join(part for part in ((repo.get("description") or "").strip(), topics) if part)
        return Item(
            source_key=self._spec.key,
            key=f"gh:repo:{repo['full_name']}",
            title=repo["full_name"],
            url=repo.get("html_url") or None,
            text=text,
            published=iso_datetime(repo.get("created_at")),
            lab=self._spec.lab,
            source_kind=SourceKind.GITHUB,
        )


class GitHubReleasesSource(_GitHubSource):
    """Releases of `spec.target`; conditional GET, so an unchanged list costs no rate limit."""

    path = "/repos/{target}/releases?per_page=30"

    def _items(self, body: bytes) -> tuple[Item, ...]:
        releases = parse_releases(body, source_key=self._spec.key)
        return tuple(self._item(r) for r in releases if not r.get("draft"))

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
