"""Alerts as Slack Block Kit: (text fallback, blocks), always inside Slack's limits.

Limits (Slack Block Kit, slack_sdk models): 50 blocks a message; header plain_text 150;
section text 3,000; at most 10 section fields of 2,000 each; context at most 10 elements.
The fallback `text` (notifications, screen readers) is kept to 3,000 as well. All of a message's
blocks together stay under 11,000 characters of JSON (Slack answers `msg_blocks_too_long` at
about 12,000 characters of text plus the block containers, a limit it does not document).
Longer text is cut with "…", claims that do not fit are one "+N more" line; user text is escaped
(&, <, >) so it cannot forge links or mentions.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from bot.domain import AlertMessage, strongest_first
from bot.render.alert_text import (
    claim_label,
    first_seen,
    headline,
    pairs_text,
    quotes,
    release_messages,
    safe_url,
    several_models,
    short_headline,
    verdict,
)

BLOCKS, HEADER, TEXT, FIELDS, FIELD_TEXT, CONTEXT = 50, 150, 3000, 10, 2000, 10
MAX_CHARS = 11_000  # JSON of all blocks; Slack refuses about 12,000 characters: msg_blocks_too_long
MAX_PAIRS = 6
MAX_QUOTES = 3

Blocks = list[dict[str, Any]]


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, ending in "…" when cut."""
    return text if len(text) <= limit else text[: max(0, limit - 1)] + "…"


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _link(url: str | None, label: str) -> str | None:
    safe = safe_url(url)
    if safe is None:
        return None
    label = " ".join(label.split())
    return f"<{safe.replace('|', '%7C').replace('>', '%3E')}|{escape(label).replace('|', '¦')}>"


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, TEXT)}}


def _quote(text: str) -> str:
    return "> " + clip(escape(" ".join(text.split())), TEXT - 2)


def _header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": {"type": "plain_text", "text": clip(text, HEADER), "emoji": True}}


def _claim_section(message: AlertMessage, *, name_competitor: bool) -> dict[str, Any]:
    text = f"*{escape(claim_label(message, name_competitor=name_competitor))}* — {escape(verdict(message))}"
    if message.benchmarks:
        text += "\n" + escape(pairs_text(message, MAX_PAIRS, sep="\n• ")).join(["• ", ""])
    return _section(text)


def _size(blocks: Blocks) -> int:
    """What a message's blocks weigh against Slack's undocumented cumulative limit
    (`msg_blocks_too_long`, seen at about 12,000 characters of text plus the block containers):
    the whole JSON, containers included, which over-counts on purpose."""
    return len(json.dumps(blocks, ensure_ascii=False))


def _first_seen(messages: list[AlertMessage]) -> str | None:
    seen = first_seen(messages)
    if seen is None:
        return None
    fallback = f"{seen:%Y-%m-%d %H:%M} UTC"
    return f"first seen <!date^{int(seen.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"


def release_blocks(
    messages: list[AlertMessage], *, update: bool = False, mention: str | None = None
) -> tuple[str, Blocks]:
    """All the claims one source item makes, as one message (a NEW alert or its thread reply).

    Header: the strongest claim; a section per claim (relation, confidence, days, benchmark
    deltas), the evidence quotes, and a context block with the source link and the first-seen
    time. Claims that do not fit in 50 blocks or ~12,000 characters are one "+N more" line."""
    ordered = strongest_first(messages)
    head = ordered[0]
    named = several_models(ordered)
    sources = max(m.source_count for m in ordered)
    blocks: Blocks = [_section(mention)] if mention else []  # from config: trusted, not escaped
    blocks.append(_header(("Update: " if update else "") + short_headline(head)))
    if update:
        blocks.append(_section(f"*Now backed by {sources} sources.*"))
    texts = quotes(ordered)
    tail: Blocks = [_section(_quote(clip(text, 1000))) for text in texts[:MAX_QUOTES]]
    if len(texts) > MAX_QUOTES:
        tail.append(_section(f"+{len(texts) - MAX_QUOTES} more quotes"))
    link = _link(head.source_url, head.title or head.source_url or "")
    context = [f"Source: {link}"] if link else []
    if (seen := _first_seen(ordered)) is not None:
        context.append(seen)
    if context:
        element = {"type": "mrkdwn", "text": clip(" · ".join(context), TEXT)}
        tail.append({"type": "context", "elements": [element]})
    reserve = _size(tail) + 200
    claims = [_claim_section(m, name_competitor=named) for m in ordered]
    for index, section in enumerate(claims):
        if len(blocks) + len(tail) + 2 > BLOCKS or _size([*blocks, section]) + reserve > MAX_CHARS:
            blocks.append(_section(f"+{len(claims) - index} more"))
            break
        blocks.append(section)
    blocks += tail
    text = short_headline(head) + (f" — {head.source_url}" if head.source_url else "")
    return clip(("Update: " if update else "") + text, TEXT), blocks[:BLOCKS]


def alert_blocks(message: AlertMessage, *, mention: str | None = None) -> tuple[str, Blocks]:
    """A NEW alert about one claim."""
    return release_blocks([message], mention=mention)


def update_blocks(message: AlertMessage) -> tuple[str, Blocks]:
    """A thread reply about one claim."""
    return release_blocks([message], update=True)


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
    return release_blocks(release_messages(payload), update=kind == "update", mention=payload.get("mention"))
