"""A fake GitHub REST API on loopback: org repositories and repository releases.

    async with GitHubServer() as gh:
        gh.add_repo("deepseek-ai", "DeepSeek-V4", created_at=..., description="...")
        gh.add_release("MoonshotAI/Kimi-K2", {...})
        gh.exhaust(reset_in=42)      # the next request answers 403, x-ratelimit-remaining: 0

`GET /orgs/{org}/repos?sort=created&direction=desc` and `GET /repos/{owner}/{repo}/releases`
answer JSON with an ETag (a matching If-None-Match gets 304, which GitHub does not count
against the limit when a token is sent) and `x-ratelimit-limit/-remaining/-reset/-used/-resource`
headers, as api.github.com does.
"""

from __future__ import annotations

import hashlib
import json
import time
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from tests.fakes.loopback import LoopbackServer


class GitHubServer(LoopbackServer):
    def __init__(self, *, limit: int = 60, now: float | None = None) -> None:
        super().__init__()
        self.repos: dict[str, list[dict[str, Any]]] = {}
        self.releases: dict[str, list[dict[str, Any]]] = {}
        self.limit = limit
        self.used = 0
        self.reset_at = int(now if now is not None else time.time()) + 3600
        self._exhausted_for: int | None = None

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/orgs/{org}/repos", self._org_repos)
        app.router.add_get("/repos/{owner}/{repo}/releases", self._releases)

    def add_repo(
        self, org: str, name: str, *, created_at: datetime, description: str = "", fork: bool = False
    ) -> None:
        repo_id = 1000 + sum(len(v) for v in self.repos.values())
        self.repos.setdefault(org, []).append(
            {
                "id": repo_id,
                "name": name,
                "full_name": f"{org}/{name}",
                "private": False,
                "html_url": f"https://github.com/{org}/{name}",
                "description": description or None,
                "fork": fork,
                "created_at": created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "topics": [],
            }
        )

    def add_release(self, repo: str, release: dict[str, Any]) -> None:
        self.releases.setdefault(repo, []).insert(0, release)

    def exhaust(self, *, reset_in: int, status: int = 403) -> None:
        """The next request answers `status` with x-ratelimit-remaining: 0 and a reset `reset_in` s away."""
        self._exhausted_for = reset_in
        self._exhausted_status = status

    def _headers(self, remaining: int | None = None) -> dict[str, str]:
        left = max(0, self.limit - self.used) if remaining is None else remaining
        return {
            "x-ratelimit-limit": str(self.limit),
            "x-ratelimit-remaining": str(left),
            "x-ratelimit-reset": str(self.reset_at),
            "x-ratelimit-used": str(self.used),
            "x-ratelimit-resource": "core",
        }

    def _answer(self, request: web.Request, data: Any) -> web.Response:
        if self._exhausted_for is not None:
            self.reset_at = int(time.time()) + self._exhausted_for
            self._exhausted_for = None
            body = json.dumps({"message": "API rate limit exceeded for 127.0.0.1."})
            return web.Response(
                status=self._exhausted_status,
                text=body,
                content_type="application/json",
                headers=self._headers(0),
            )
        body = json.dumps(data)
        etag = 'W/"' + hashlib.sha1(body.encode()).hexdigest()[:20] + '"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag, **self._headers()})
        self.used += 1
        return web.Response(
            text=body, content_type="application/json", headers={"ETag": etag, **self._headers()}
        )

    async def _org_repos(self, request: web.Request) -> web.Response:
        repos = sorted(
            self.repos.get(request.match_info["org"], []), key=lambda r: r["created_at"], reverse=True
        )
        per_page = int(request.query.get("per_page", "30"))
        return self._answer(request, repos[:per_page])

    async def _releases(self, request: web.Request) -> web.Response:
        repo = f"{request.match_info['owner']}/{request.match_info['repo']}"
        return self._answer(request, self.releases.get(repo, []))
