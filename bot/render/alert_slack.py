"""Alerts as Slack Block Kit: (text fallback, blocks), always inside Slack's limits.

Limits (Slack Block Kit, slack_sdk models): 50 blocks a message; header plain_text 150;
section text 3,000; at most 10 section fields of 2,000 each; context at most 10 elements.
The fallback `text` (notifications, screen readers) is kept to 3,000 as well. Longer text is
cut with "…"; user text is escaped (&, <, >) so it cannot forge links or mentions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.domain import AlertMessage
from bot.render.alert_text import format_number, headline

BLOCKS, HEADER, TEXT, FIELDS, FIELD_TEXT, CONTEXT = 50, 150, 3000, 10, 2000, 10
MAX_PAIRS = 12

Blocks = list[dict[str, Any]]


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, ending in "…" when cut."""
    return text if len(text) <= limit else text[: max(0, limit - 1)] + "…"


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _link(url: str | None, label: str) -> str | None:
    if not url or len(url) > 2000 or not url.startswith(("http://", "https://")):
        return None
    return f"<{url.replace('|', '%7C').replace('>', '%3E')}|{escape(label).replace('|', '¦')}>"


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, TEXT)}}


def _quote(text: str) -> str:
    return "> " + clip(escape(" ".join(text.split())), TEXT - 2)


def _header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": {"type": "plain_text", "text": clip(text, HEADER), "emoji": True}}


def alert_blocks(message: AlertMessage, *, mention: str | None = None) -> tuple[str, Blocks]:
    """A NEW alert: header, fields, benchmarks, the evidence as a quote, the source."""
    fields = [
        f"*Competitor*\n{escape(message.competitor)}" + (f" ({escape(message.lab)})" if message.lab else ""),
        f"*Frontier model*\n{escape(message.frontier_name)}",
        f"*Relation*\n{message.relation.value}",
        f"*Confidence*\n{message.confidence:.2f}",
        f"*Sources*\n{message.source_count}",
    ]
    if message.days_after_release is not None:
        fields.append(f"*Days after release*\n{message.days_after_release}")
    blocks: Blocks = [_section(mention)] if mention else []  # from config: trusted, not escaped
    blocks += [
        _header(headline(message)),
        {
            "type": "section",
            "fields": [{"type": "mrkdwn", "text": clip(f, FIELD_TEXT)} for f in fields[:FIELDS]],
        },
    ]
    if message.benchmarks:
        shown = message.benchmarks[:MAX_PAIRS]
        lines = [
            f"• *{escape(p.benchmark)}* {format_number(p.competitor)} vs {format_number(p.frontier)}"
            + (f" (Δ {p.delta:+g})" if p.delta is not None else "")
            for p in shown
        ]
        if len(message.benchmarks) > len(shown):
            lines.append(f"… +{len(message.benchmarks) - len(shown)} more")
        blocks.append(_section("\n".join(lines)))
    blocks.append(_section(_quote(message.evidence)))
    source = _link(message.source_url, message.title or message.source_url or "")
    if source:
        blocks.append(
            {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(f"Source: {source}", TEXT)}]}
        )
    text = headline(message) + (f" — {message.source_url}" if message.source_url else "")
    return clip(text, TEXT), blocks[:BLOCKS]


def update_blocks(message: AlertMessage) -> tuple[str, Blocks]:
    """A thread reply: one more source backs the claim."""
    text = f"Update: {headline(message)} — now backed by {message.source_count} sources"
    blocks: Blocks = [
        _section(f"*Now backed by {message.source_count} sources.*"),
        _section(_quote(message.evidence)),
    ]
    source = _link(message.source_url, message.title or message.source_url or "")
    if source:
        blocks.append(
            {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(f"New source: {source}", TEXT)}]}
        )
    return clip(text, TEXT), blocks


def digest_blocks(
    period: str, claims: Sequence[Mapping[str, Any]], *, mention: str | None = None
) -> tuple[str, Blocks]:
    """One message listing a period's claims, grouped by frontier model (one section each)."""
    groups: dict[str, list[AlertMessage]] = {}
    for payload in claims:
        message = AlertMessage.from_payload(payload)
        groups.setdefault(message.frontier_name, []).append(message)
    title = f"gapwatch digest {period}: {len(claims)} claim{'s' if len(claims) != 1 else ''}"
    blocks: Blocks = ([_section(mention)] if mention else []) + [_header(title)]
    items = list(groups.items())
    for index, (frontier, messages) in enumerate(items):
        if len(blocks) == BLOCKS - 1 and index < len(items) - 1:
            rest = sum(len(m) for _, m in items[index:])
            blocks.append(_section(f"… and {rest} more claims"))
            break
        lines = [f"*{escape(frontier)}*"]
        for m in messages:
            link = _link(m.source_url, "source")
            lines.append(f"• {escape(headline(m))}" + (f" {link}" if link else ""))
        blocks.append(_section("\n".join(lines)))
    return clip(title, TEXT), blocks


def render_message(kind: str, payload: Mapping[str, Any]) -> tuple[str, Blocks]:
    """(text, blocks) for an outbox payload of `kind` (new, update, digest, admin)."""
    if kind == "admin":
        text = clip(escape(str(payload.get("text", ""))), TEXT)
        return text, [_section(text)]
    if kind == "digest":
        return digest_blocks(
            str(payload.get("period", "")), payload.get("claims", []), mention=payload.get("mention")
        )
    if kind == "update":
        return update_blocks(AlertMessage.from_payload(payload))
    return alert_blocks(AlertMessage.from_payload(payload), mention=payload.get("mention"))
