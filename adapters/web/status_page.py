"""The status page at `/`: plain HTML, no JavaScript; refreshes itself every minute."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from html import escape
from typing import Any

from bot import __version__

STYLE = (
    "body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:70em}"
    "table{border-collapse:collapse;width:100%;margin-bottom:2em}"
    "td,th{border-bottom:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}"
    ".bad{color:#b00020}.ok{color:#1b5e20}"
)


def _when(at: datetime | None, now: datetime) -> str:
    if at is None:
        return "never"
    at = at if at.tzinfo else at.replace(tzinfo=UTC)
    seconds = max(0.0, (now - at).total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds / size:.0f} {unit} ago"
    return f"{seconds:.0f} s ago"


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], empty: str) -> str:
    if not rows:
        return f"<p>{escape(empty)}</p>"
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def render_status_page(
    health: Any, problems: Sequence[str], sources: Sequence[Any], recent: Sequence[Any], *, now: datetime
) -> str:
    """The page: overall state, last cycle, sources (failing first), recent alerts."""
    now = now if now.tzinfo else now.replace(tzinfo=UTC)
    state = (
        '<p class="ok">healthy</p>'
        if not problems
        else "<ul>" + "".join(f'<li class="bad">{escape(p)}</li>' for p in problems) + "</ul>"
    )
    cycle = "no cycle yet"
    if health is not None and health.last_cycle is not None:
        cycle = f"{_when(health.last_cycle, now)}: {escape(health.last_summary or '')}"
    ordered = sorted(sources, key=lambda s: (s.failures == 0, s.key))
    source_rows = [
        [
            escape(s.name),
            escape(s.kind),
            "off" if not s.enabled else ('<span class="bad">failing</span>' if s.failures else "ok"),
            _when(s.last_success, now),
            escape((s.last_error or "")[:200]) if s.failures else "",
        ]
        for s in ordered
    ]
    alert_rows = [
        [
            str(a.id),
            escape(_when(a.created_at, now)),
            escape(a.destination),
            escape("parked" if a.status == "failed" else a.status),
            escape(a.summary),
        ]
        for a in recent
    ]
    return (
        "<!doctype html><html><head><meta charset=utf-8>"
        '<meta http-equiv="refresh" content="60"><title>gapwatch</title>'
        f"<style>{STYLE}</style></head><body>"
        f"<h1>gapwatch {escape(__version__)}</h1>{state}"
        f"<h2>Last cycle</h2><p>{cycle}</p>"
        f"<h2>Sources ({len(sources)})</h2>"
        + _table(("source", "kind", "state", "last success", "error"), source_rows, "no sources")
        + "<h2>Recent alerts</h2>"
        + _table(("id", "stored", "destination", "state", "alert"), alert_rows, "no alerts yet")
        + "</body></html>"
    )
