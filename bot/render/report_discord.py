"""Command replies as Discord embeds (wire-shape dicts, inside Discord's limits).

The /gap embed points its image at ``attachment://gap.png``: the adapter attaches the chart
under that name.
"""

from __future__ import annotations

from typing import Any

from bot.commands.gap import GapReport
from bot.render.alert_discord import COLOURS, FIELDS, clip, fit
from bot.render.alert_text import format_pair, safe_url
from bot.render.report_text import (
    comparison_line,
    parity_sentence,
    pick_comparisons,
    render_reply_text,
)

CHART_NAME = "gap.png"
NEUTRAL = 0x5865F2
MAX_PAIRS = 3


def _url(url: str | None) -> str | None:
    return safe_url(url)


def gap_embed(report: GapReport, *, chart: bool = True) -> dict[str, Any]:
    """The /gap answer: the parity sentence, a field per competitor, earlier models, the chart."""
    model = report.frontier
    colour = COLOURS[report.first_credible[0].relation] if report.first_credible else NEUTRAL
    comparisons = pick_comparisons(report)
    room = FIELDS - (1 if comparisons else 0)
    fields: list[dict[str, Any]] = []
    shown = report.entries[: room - 1] if len(report.entries) > room else report.entries
    for entry in shown:
        bits = [f"{entry.relation.value} · {entry.claimed_on} · **+{entry.days_after_release} d**"]
        extra = [f"{entry.source_count} source{'s' if entry.source_count != 1 else ''}"]
        if entry.open_weights:
            extra.append("open weights")
        if not entry.broad:
            extra.append("narrow/unverified")
        bits.append(" · ".join(extra))
        bits += [format_pair(p) for p in entry.benchmarks[:MAX_PAIRS]]
        links = [u for u in map(_url, entry.sources or (entry.source_url,)) if u]
        if links:
            shown_links = [f"[{'source' if i == 0 else i + 1}]({u})" for i, u in enumerate(links[:3])]
            bits.append(" · ".join(shown_links) + (f" +{len(links) - 3} more" if len(links) > 3 else ""))
        marker = "★ " if entry in report.first_credible else ""
        name = marker + entry.competitor + (f" ({entry.lab})" if entry.lab else "")
        fields.append({"name": name, "value": "\n".join(bits), "inline": False})
    if len(shown) < len(report.entries):
        more = (report.total_claims or len(report.entries)) - len(shown)
        fields.append({"name": "More claims", "value": f"+{more} more (see /claims)", "inline": False})
    if comparisons:
        label = "Earlier frontier models" if comparisons[0].earlier else "Later frontier models"
        fields.append(
            {"name": f"{label}: days to parity", "value": "\n".join(comparison_line(c) for c in comparisons)}
        )
    description = f"{model.lab} · released {model.released}\n{parity_sentence(report)}"
    if not report.entries:
        description += "\nNo stored claims against it yet."
    embed: dict[str, Any] = {
        "title": f"Gap: {model.name}",
        "description": description,
        "color": colour,
        "fields": fields,
        "footer": {"text": "★ first credible parity · gapwatch"},
    }
    if chart:
        embed["image"] = {"url": f"attachment://{CHART_NAME}"}
    return fit(embed)


def reply_embed(reply: Any) -> dict[str, Any]:
    """Any other reply: its text in one embed."""
    if isinstance(reply, GapReport):
        return gap_embed(reply)
    text = render_reply_text(reply)
    title, _, body = text.partition("\n")
    embed: dict[str, Any] = {"title": clip(title, 256), "color": NEUTRAL}
    if body:
        embed["description"] = body
    return fit(embed)
