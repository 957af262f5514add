"""Alerts as Discord messages: embed dicts in the wire shape, always inside Discord's limits.

Limits (Discord API / discord.py): content 2,000; embed title 256, description 4,096, at most
25 fields (name 256, value 1,024), footer 2,048, author 256, all of an embed's text 6,000.
Anything longer is cut with "…", claims that do not fit are summed up as "+N more": a delivery
never fails on length. Links are percent-encoded (`alert_text.safe_url`): Discord refuses an
embed URL with a space, a newline or a raw non-ASCII character.

Mentions are explicit: `allowed_mentions` lets only the route's configured mention ping, so an
"@everyone" inside quoted evidence stays inert.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

from bot.domain import AlertMessage, Relation, strongest_first
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
)

CONTENT, TITLE, DESCRIPTION, FIELDS, FIELD_NAME, FIELD_VALUE, FOOTER, AUTHOR, TOTAL = (
    2000,
    256,
    4096,
    25,
    256,
    1024,
    2048,
    256,
    6000,
)
MAX_PAIRS = 6

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
    return safe_url(url)


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


def _claim_field(message: AlertMessage, *, name_competitor: bool) -> dict[str, Any]:
    value = f"**{message.relation.value}** · confidence {message.confidence:.2f}"
    if message.days_after_release is not None:
        value += f" · {message.days_after_release} days after its release"
    if message.benchmarks:
        value += "\n" + pairs_text(message, MAX_PAIRS, sep="\n")
    return {
        "name": clip(claim_label(message, name_competitor=name_competitor), FIELD_NAME),
        "value": clip(value, FIELD_VALUE),
        "inline": False,
    }


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


def release_embed(messages: Sequence[AlertMessage], *, update: bool = False) -> dict[str, Any]:
    """One embed for all the claims one source item makes (a NEW alert or its thread reply).

    Title: the strongest claim; a field per claim (frontier model, relation, confidence, days,
    benchmark deltas), "+N more" when they do not all fit; the distinct evidence quotes; the
    source link; the first-seen time as the embed timestamp."""
    ordered = strongest_first(messages)
    head = ordered[0]
    named = several_models(ordered)
    title = ("Update: " if update else "") + short_headline(head)
    lines: list[str] = []
    url = _url(head.source_url)
    sources = max(m.source_count for m in ordered)
    if update:
        lines.append(f"Now backed by **{sources}** sources." + (f" New source: {url}" if url else ""))
    texts = quotes(ordered)
    for index, text in enumerate(texts):
        quote = _quote(clip(text, 700))
        if sum(len(line) + 1 for line in lines) + len(quote) > DESCRIPTION - 40:
            lines.append(f"+{len(texts) - index} more quotes")
            break
        lines.append(quote)
    fields = [_claim_field(m, name_competitor=named) for m in ordered]
    embed: dict[str, Any] = {
        "title": title,
        "description": "\n".join(lines),
        "color": COLOURS[head.relation],
        "fields": fields,
        "footer": {"text": clip(f"{head.title or 'gapwatch'} · {_count(sources, 'source')}", FOOTER)},
    }
    if head.lab:
        embed["author"] = {"name": clip(head.lab, AUTHOR)}
    if url:
        embed["url"] = url
    if (seen := first_seen(ordered)) is not None:
        embed["timestamp"] = seen.isoformat()
    return _fit_claims(embed)


def _fit_claims(embed: dict[str, Any]) -> dict[str, Any]:
    """Within every limit, claims that do not fit summed up as a last "+N more" field."""
    fields: list[dict[str, Any]] = embed["fields"]
    embed["title"] = clip(embed["title"], TITLE)
    embed["description"] = clip(embed["description"], DESCRIPTION)
    hidden = 0
    while fields and (len(fields) > FIELDS or embed_size(embed) > TOTAL - 60):
        fields.pop()
        hidden += 1
    if hidden:
        if len(fields) == FIELDS:
            fields.pop()
            hidden += 1
        fields.append({"name": "More claims", "value": f"+{hidden} more", "inline": False})
    return fit(embed)


def alert_embed(message: AlertMessage) -> dict[str, Any]:
    """The embed of a NEW alert about one claim."""
    return release_embed([message])


def update_embed(message: AlertMessage) -> dict[str, Any]:
    """The embed of a thread reply about one claim."""
    return release_embed([message], update=True)


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
    else:
        embed = release_embed(release_messages(payload), update=kind == "update")
    result["embeds"] = [embed]
    if mention:
        result["content"] = clip(str(mention), CONTENT)
    return result
