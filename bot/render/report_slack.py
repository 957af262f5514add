"""Command replies as Slack Block Kit: (fallback text, blocks), inside Slack's limits."""

from __future__ import annotations

from typing import Any

from bot.commands.gap import GapReport
from bot.render.alert_slack import BLOCKS, TEXT, Blocks, _header, _link, _section, clip, escape
from bot.render.alert_text import format_pair
from bot.render.report_text import (
    comparison_line,
    parity_sentence,
    pick_comparisons,
    render_reply_text,
)

MAX_PAIRS = 3


def gap_blocks(report: GapReport) -> tuple[str, Blocks]:
    """The /gap answer: header, parity sentence, one section per competitor, earlier models."""
    model = report.frontier
    blocks: Blocks = [
        _header(f"Gap: {model.name}"),
        _section(f"{escape(model.lab)} · released {model.released}\n*{escape(parity_sentence(report))}*"),
    ]
    comparisons = pick_comparisons(report)
    room = BLOCKS - len(blocks) - (2 if comparisons else 0) - 1
    for index, entry in enumerate(report.entries):
        if index == room:
            total = report.total_claims or len(report.entries)
            blocks.append(_section(f"… +{total - index} more claims (see /claims)"))
            break
        star = "★ " if entry in report.first_credible else ""
        who = escape(entry.competitor) + (f" ({escape(entry.lab)})" if entry.lab else "")
        extra = [f"{entry.source_count} source{'s' if entry.source_count != 1 else ''}"]
        if entry.open_weights:
            extra.append("open weights")
        if not entry.broad:
            extra.append("narrow/unverified")
        lines = [
            f"{star}*{who}* {entry.relation.value} · {entry.claimed_on} · *+{entry.days_after_release} d*"
            f" · {' · '.join(extra)}"
        ]
        if entry.benchmarks:
            lines.append(escape("; ".join(format_pair(p) for p in entry.benchmarks[:MAX_PAIRS])))
        links = [
            link
            for i, url in enumerate(entry.sources or (entry.source_url,))
            if (link := _link(url, "source" if i == 0 else str(i + 1)))
        ]
        if links:
            lines.append(" · ".join(links[:3]) + (f" +{len(links) - 3} more" if len(links) > 3 else ""))
        blocks.append(_section("\n".join(lines)))
    if not report.entries:
        blocks.append(_section("No stored claims against it yet."))
    if comparisons:
        label = "Earlier frontier models" if comparisons[0].earlier else "Later frontier models"
        blocks.append({"type": "divider"})
        body = "\n".join("• " + escape(comparison_line(c)) for c in comparisons)
        blocks.append(_section(f"*{label}, days to first credible parity*\n{body}"))
    text = f"Gap: {model.name}. {parity_sentence(report)}"
    return clip(text, TEXT), blocks[:BLOCKS]


def reply_blocks(reply: Any) -> tuple[str, Blocks]:
    """Any reply as (text, blocks)."""
    if isinstance(reply, GapReport):
        return gap_blocks(reply)
    text = render_reply_text(reply)
    return clip(text, TEXT), [_section(escape(text))]


def error_blocks(message: str) -> dict[str, Any]:
    """An ephemeral error answer (what to type instead is in the message)."""
    return {"response_type": "ephemeral", "text": clip(f":warning: {escape(message)}", TEXT)}
