"""`gapwatch sources` (every source's health) and `gapwatch sources test NAME` (fetch one source
now, show what would be stored and which claims would be detected, store nothing).

Part of the composition root with bot/app.py: it opens the app and builds real sources.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime
from typing import Any

from bot.config import Settings
from bot.domain import SourceCursor, SourceHealth, SourceSpec
from bot.errors import GapwatchError


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "never"


def status_of(health: SourceHealth) -> str:
    if not health.enabled:
        return "removed"
    if health.paused:
        return "paused"
    if health.failures:
        return f"failing x{health.failures}"
    return "ok" if health.last_success else "new"


def render_health(rows: list[SourceHealth]) -> str:
    """One line per source: name, kind, status, last success, items seen, next poll, last error."""
    lines = [f"{len(rows)} sources ({sum(1 for r in rows if r.failures)} failing)"]
    for r in rows:
        error = f"  error: {r.last_error}" if r.last_error else ""
        lines.append(
            f"  {r.name} [{r.kind}] {status_of(r)}; last success {_when(r.last_success)}; "
            f"{r.items_seen} items; next poll {_when(r.next_poll)}{error}"
        )
    return "\n".join(lines)


def _health_json(r: SourceHealth) -> dict[str, Any]:
    return {
        "key": r.key,
        "name": r.name,
        "kind": r.kind,
        "target": r.target,
        "status": status_of(r),
        "last_success": r.last_success.isoformat() if r.last_success else None,
        "last_error": r.last_error,
        "failures": r.failures,
        "items_seen": r.items_seen,
        "next_poll": r.next_poll.isoformat() if r.next_poll else None,
    }


async def list_sources(settings: Settings, *, as_json: bool) -> int:
    from bot.app import open_app

    async with open_app(settings) as app:
        await app.repo.sync_sources(list(settings.source_specs()), now=app.clock.now())
        rows = [r for r in await app.repo.source_health() if r.enabled]
    if as_json:
        print(json.dumps([_health_json(r) for r in rows], indent=2))
    else:
        print(render_health(rows))
    return 0


def find_spec(settings: Settings, name: str) -> SourceSpec:
    """The configured source whose name, key or target is `name` (case-insensitive)."""
    wanted = name.strip().casefold()
    specs = settings.source_specs()
    for spec in specs:
        if wanted in (spec.name.casefold(), spec.key.casefold(), spec.target.casefold()):
            return spec
    close = [s.name for s in specs if wanted in s.name.casefold() or wanted in s.target.casefold()]
    hint = f"; did you mean: {', '.join(close[:3])}" if close else "; `gapwatch sources` lists them"
    raise GapwatchError(f"no source named {name!r}{hint}")


async def try_source(settings: Settings, name: str, *, as_json: bool) -> int:
    """Poll one source now (no validators: a full fetch) and print items and claims; store nothing."""
    from bot.app import open_app, source_factory
    from bot.claims import ClaimDetector

    spec = find_spec(settings, name)
    async with open_app(settings) as app:
        source = source_factory(app)(spec)
        detector = ClaimDetector(app.registry, min_confidence=settings.detection.min_confidence)
        started = time.perf_counter()

        async def known(keys: Any) -> set[str]:
            found: set[str] = await app.repo.known_keys(spec.key, keys)
            return found

        stored_cursor = await app.repo.source_cursor(spec)
        # no validators (a full fetch) and no backlog; a never-polled source fetches as a baseline
        cursor = SourceCursor(first_poll=stored_cursor.first_poll)
        try:
            result = await source.poll(cursor, known)
        except GapwatchError as exc:
            raise GapwatchError(f"source {spec.name} failed: {exc}") from exc
        seconds = time.perf_counter() - started
        stored = await app.repo.known_keys(spec.key, [i.key for i in result.items])
    report: list[dict[str, Any]] = []
    for item in result.items:
        claims = detector.detect(item)
        report.append(
            {
                "key": item.key,
                "title": item.title,
                "url": item.url,
                "published": item.published.isoformat() if item.published else None,
                "new": item.key not in stored,
                "text_chars": len(item.text),
                "claims": [
                    {"competitor": c.competitor, "relation": c.relation.value, "frontier": c.frontier_key,
                     "confidence": round(c.confidence, 2), "evidence": c.evidence[:200]}
                    for c in claims
                ],
            }
        )  # fmt: skip
    if as_json:
        print(json.dumps({"source": spec.key, "warnings": list(result.warnings), "items": report}, indent=2))
        return 0
    new = sum(1 for r in report if r["new"])
    print(
        f"{spec.name} ({spec.key}): {len(report)} items, {new} not stored yet, "
        f"fetched in {seconds:.2f}s (nothing stored)"
    )
    for warning in result.warnings:
        print(f"  warning: {warning}", file=sys.stderr)
    for row in report:
        print(f"  {'NEW ' if row['new'] else 'seen'} {row['title'][:90]}  {row['url'] or ''}")
        for c in row["claims"]:
            print(f"       claim: {c['competitor']} {c['relation']} {c['frontier']} [{c['confidence']:.2f}]")
    return 0
