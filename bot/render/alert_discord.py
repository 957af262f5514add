"""Alerts as Discord messages: embed dicts in the wire shape, always inside Discord's limits.

Limits (Discord API / discord.py): content 2,000; embed title 256, description 4,096, at most
25 fields (name 256, value 1,024), footer 2,048, author 256, all of an embed's text 6,000.
Anything longer is cut with "…": a delivery never fails on length.

Mentions are explicit: `allowed_mentions` lets only the route's configured mention ping, so an
"@everyone" inside quoted evidence stays inert.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

from bot.domain import AlertMessage, Relation
from bot.render.alert_text import VERBS, format_number, headline

CONTENT, TITLE, DESCRIPTION, FIELDS, FIELD_NAME, FIELD_VALUE, FOOTER, TOTAL = (
    2000,
    256,
    4096,
    25,
    256,
    1024,
    2048,
    6000,
)
MAX_PAIRS = 12

COLOURS = {
    Relation.EXCEEDS: 0x2ECC71,
    Relation.MATCHES: 0x3498DB,
    Relation.APPROACHES: 0xE67E22,
    Relation.TRAILS: 0x95A5A6,
}


class AllowedMentions(TypedDict):
    parse: list[str]
    users: list[str]
    roles: list[str]


class DiscordMessage(TypedDict, total=False):
    content: str
    embeds: list[dict[str, Any]]
    allowed_mentions: AllowedMentions


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, ending in "…" when cut."""
    return text if len(text) <= limit else text[: max(0, limit - 1)] + "…"


def allowed_mentions(mention: str | None) -> AllowedMentions:
    """Only the configured mention may ping: `<@&role>`, `<@user>`, or @everyone/@here."""
    result: AllowedMentions = {"parse": [], "users": [], "roles": []}
    if mention:
        result["roles"] = re.findall(r"<@&(\d+)>", mention)
        result["users"] = re.findall(r"<@!?(\d+)>", mention)
        if "@everyone" in mention or "@here" in mention:
            result["parse"] = ["everyone"]
    return result


def _url(url: str | None) -> str | None:
    return url if url and url.startswith(("http://", "https://")) and len(url) <= 2048 else None


def embed_size(embed: Mapping[str, Any]) -> int:
    """The characters Discord counts towards the 6,000 total."""
    size = len(embed.get("title", "")) + len(embed.get("description", ""))
    size += len(embed.get("footer", {}).get("text", "")) + len(embed.get("author", {}).get("name", ""))
    return size + sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", []))


def fit(embed: dict[str, Any]) -> dict[str, Any]:
    """Cut an embed to Discord's limits: each part, then the description, then trailing fields."""
    if "title" in embed:
        embed["title"] = clip(embed["title"], TITLE)
    if "description" in embed:
        embed["description"] = clip(embed["description"], DESCRIPTION)
    fields = [
        {
            **f,
            "name": clip(f["name"] or "\u200b", FIELD_NAME),
            "value": clip(f["value"] or "\u200b", FIELD_VALUE),
        }
        for f in embed.get("fields", [])[:FIELDS]
    ]
    embed["fields"] = fields
    over = embed_size(embed) - TOTAL
    if over > 0 and embed.get("description"):
        keep = max(0, len(embed["description"]) - over)
        embed["description"] = clip(embed["description"], keep) if keep else ""
    while embed_size(embed) > TOTAL and fields:
        fields.pop()
    if not embed.get("description"):
        embed.pop("description", None)
    return embed


def _quote(text: str) -> str:
    return "\n".join("> " + line for line in " ".join(text.split()).splitlines() or [""])


def _pair(name: str, competitor: float | None, frontier: float | None) -> str:
    text = f"{format_number(competitor)} vs {format_number(frontier)}"
    if competitor is not None and frontier is not None:
        text += f" (Δ {round(competitor - frontier, 4):+g})"
    return text


def alert_embed(message: AlertMessage, *, max_pairs: int = MAX_PAIRS) -> dict[str, Any]:
    """The embed of a NEW alert."""
    title = f"{message.competitor} {VERBS[message.relation]} {message.frontier_name}"
    frontier = message.frontier_name
    if message.days_after_release is not None:
        frontier += f"\n{message.days_after_release} days after its release"
    fields = [
        {
            "name": "Competitor",
            "value": message.competitor + (f" ({message.lab})" if message.lab else ""),
            "inline": True,
        },
        {"name": "Frontier model", "value": frontier, "inline": True},
        {"name": "Relation", "value": message.relation.value, "inline": True},
        {"name": "Confidence", "value": f"{message.confidence:.2f}", "inline": True},
        {"name": "Sources", "value": str(message.source_count), "inline": True},
    ]
    pairs = message.benchmarks[: max(0, min(max_pairs, FIELDS - len(fields) - 1))]
    fields += [
        {"name": p.benchmark, "value": _pair(p.benchmark, p.competitor, p.frontier), "inline": True}
        for p in pairs
    ]
    if len(message.benchmarks) > len(pairs):
        fields.append(
            {
                "name": "More benchmarks",
                "value": f"+{len(message.benchmarks) - len(pairs)} more",
                "inline": False,
            }
        )
    embed: dict[str, Any] = {
        "title": title,
        "description": _quote(message.evidence),
        "color": COLOURS[message.relation],
        "fields": fields,
        "footer": {"text": clip(message.title or "gapwatch", FOOTER)},
    }
    if url := _url(message.source_url):
        embed["url"] = url
    return fit(embed)


def update_embed(message: AlertMessage) -> dict[str, Any]:
    """The embed of a thread reply: one more source backs a claim already alerted."""
    lines = [f"Now backed by **{message.source_count}** sources."]
    if url := _url(message.source_url):
        lines.append(f"New source: {url}")
    lines.append(_quote(message.evidence))
    embed: dict[str, Any] = {
        "title": f"Update: {message.competitor} {VERBS[message.relation]} {message.frontier_name}",
        "description": "\n".join(lines),
        "color": COLOURS[message.relation],
    }
    if url:
        embed["url"] = url
    return fit(embed)


def digest_embed(period: str, claims: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """One embed listing a period's claims, grouped by frontier model."""
    groups: dict[str, list[AlertMessage]] = {}
    for payload in claims:
        message = AlertMessage.from_payload(payload)
        groups.setdefault(message.frontier_name, []).append(message)
    lines: list[str] = []
    for frontier, messages in groups.items():
        lines.append(f"**{frontier}**")
        for m in messages:
            line = f"• {headline(m)}"
            if url := _url(m.source_url):
                line += f" — [source]({url})"
            lines.append(clip(line, 600))
    description = ""
    for index, line in enumerate(lines):
        rest = f"\n… and {len(lines) - index} more lines"
        if len(description) + len(line) + 1 + len(rest) > DESCRIPTION:
            description += rest
            break
        description += ("\n" if description else "") + line
    title = f"gapwatch digest {period}: {len(claims)} claim{'s' if len(claims) != 1 else ''}"
    return fit({"title": title, "description": description, "color": 0x5865F2})


def render_message(kind: str, payload: Mapping[str, Any]) -> DiscordMessage:
    """The whole message body for an outbox payload of `kind` (new, update, digest, admin)."""
    mention = payload.get("mention")
    result: DiscordMessage = {"allowed_mentions": allowed_mentions(mention)}
    if kind == "admin":
        result["content"] = clip(str(payload.get("text", "")), CONTENT)
        return result
    if kind == "digest":
        embed = digest_embed(str(payload.get("period", "")), payload.get("claims", []))
    elif kind == "update":
        embed = update_embed(AlertMessage.from_payload(payload))
    else:
        embed = alert_embed(AlertMessage.from_payload(payload))
    result["embeds"] = [embed]
    if mention:
        result["content"] = clip(str(mention), CONTENT)
    return result
