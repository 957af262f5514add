"""Command replies as plain text / light markdown: the CLI, Slack fallbacks, and tests.

`render_gap_text(report)` for /gap; `render_reply_text(reply)` for every other reply object.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.commands.gap import GapEntry, GapReport, ParityTime
from bot.commands.recent import ClaimsReply
from bot.commands.status import SourcesReply, StatusReply
from bot.commands.track import (
    FrontierList,
    SubscribeReply,
    TrackReply,
    UnsubscribeReply,
    UntrackReply,
    describe_filters,
)
from bot.render.alert_text import format_pair

MAX_ENTRIES = 25
MAX_PAIRS = 4
MAX_COMPARISONS = 6


def parity_sentence(report: GapReport) -> str:
    """ "First credible parity: DeepSeek-R1 on 2025-01-20, 46 days after release." or why none."""
    if not report.first_credible:
        return f"No credible parity claim against {report.frontier.name} yet."
    names = " and ".join(e.competitor for e in report.first_credible)
    days = report.days_to_parity
    return f"First credible parity: {names} on {report.parity_date}, {days} days after release."


def entry_line(entry: GapEntry, *, pairs: int = MAX_PAIRS) -> str:
    """One competitor: "2025-01-20 (+46 d) DeepSeek-R1 (DeepSeek) matches; open weights; 3 sources"."""
    who = f"{entry.competitor} ({entry.lab})" if entry.lab else entry.competitor
    parts = [f"{entry.claimed_on} (+{entry.days_after_release} d) {who} {entry.relation.value}"]
    if entry.open_weights:
        parts.append("open weights")
    if not entry.broad:
        parts.append("narrow/unverified")
    parts.append(f"{entry.source_count} source{'s' if entry.source_count != 1 else ''}")
    line = "; ".join(parts)
    if entry.benchmarks:
        shown = "; ".join(format_pair(p) for p in entry.benchmarks[:pairs])
        more = len(entry.benchmarks) - pairs
        line += f"\n    {shown}" + (f"; +{more} more" if more > 0 else "")
    links = list(entry.sources or ((entry.source_url,) if entry.source_url else ()))
    if links:
        line += "\n    " + " | ".join(links[:3]) + (f" (+{len(links) - 3} more)" if len(links) > 3 else "")
    return line


def pick_comparisons(report: GapReport, limit: int = MAX_COMPARISONS) -> list[ParityTime]:
    """The earlier frontier models closest in time (else the next ones), oldest first.

    The oldest earlier model (GPT-4, where the race started) is always kept as the anchor, so
    "how fast is catching up now" reads against "how long it took then".
    """
    earlier = [c for c in report.comparisons if c.earlier]
    if not earlier:
        return [c for c in report.comparisons if not c.earlier][:limit]
    if len(earlier) <= limit:
        return earlier
    return [earlier[0], *earlier[-(limit - 1) :]]


def comparison_line(item: ParityTime) -> str:
    return f"{item.frontier_name}: {item.days} days ({', '.join(item.competitors)}, {item.claimed_on})"


def render_gap_text(report: GapReport, *, max_entries: int = MAX_ENTRIES) -> str:
    """The whole /gap answer as text."""
    model = report.frontier
    lines = [f"{model.name} ({model.lab}), released {model.released}", parity_sentence(report)]
    if report.entries:
        lines.append("")
        total = report.total_claims or len(report.entries)
        lines.append(f"Claims ({total}):")
        lines += ["  " + entry_line(e) for e in report.entries[:max_entries]]
        if total > max_entries:
            lines.append(f"  … {total - max_entries} more")
    else:
        lines.append("No stored claims against it yet.")
    chosen = pick_comparisons(report)
    if chosen:
        lines.append("")
        label = "Earlier frontier models" if chosen[0].earlier else "Later frontier models"
        lines.append(f"{label}, time to first credible parity:")
        lines += ["  " + comparison_line(c) for c in chosen]
    return "\n".join(lines)


def _when(value: datetime | None, now: datetime) -> str:
    if value is None:
        return "never"
    seconds = (value - now).total_seconds()
    minutes = abs(seconds) / 60
    if minutes < 120:
        span = f"{minutes:.0f} min"
    else:
        span = f"{minutes / 60:.0f} h" if minutes < 2880 else f"{minutes / 1440:.0f} d"
    return f"in {span}" if seconds > 0 else f"{span} ago"


def render_reply_text(reply: Any) -> str:
    """Any command reply as text (GapReport included)."""
    if isinstance(reply, GapReport):
        return render_gap_text(reply)
    if isinstance(reply, TrackReply):
        m = reply.model
        verb = "Tracking again" if reply.retracked else "Now tracking"
        aliases = f"; aliases: {', '.join(m.aliases)}" if m.aliases else ""
        return f"{verb} {m.name} as `{m.key}` (released {m.released}){aliases}."
    if isinstance(reply, UntrackReply):
        return f"Stopped tracking {reply.model.name} (`{reply.model.key}`); its history stays in /gap."
    if isinstance(reply, FrontierList):
        if not reply.models:
            return "No frontier models are tracked. Add one with /track MODEL."
        rows = [f"`{m.key}` {m.name} ({m.lab}, {m.released})" for m in reply.models]
        return f"Tracked frontier models ({len(rows)}):\n" + "\n".join(rows)
    if isinstance(reply, ClaimsReply):
        scope = reply.frontier.name if reply.frontier else "all frontier models"
        if not reply.lines:
            return f"No claims against {scope} in the last {reply.days} days."
        head = f"Claims against {scope} in the last {reply.days} days ({len(reply.lines)}):"
        rows = [f"[{line.frontier_name}] {entry_line(line.entry, pairs=2)}" for line in reply.lines]
        return head + "\n" + "\n".join(rows)
    if isinstance(reply, SubscribeReply):
        verb = "Updated the subscription" if reply.replaced else "Subscribed"
        filters = describe_filters(reply.subscription.filters)
        return f"{verb}: alerts go to this channel ({filters})."
    if isinstance(reply, UnsubscribeReply):
        if reply.removed:
            return "Unsubscribed: this channel gets no more alerts from /subscribe."
        return "This channel has no subscription (alerts from the config's routes are not affected)."
    if isinstance(reply, SourcesReply):
        if not reply.sources:
            return "No sources are stored yet (they appear after the first poll)."
        rows = []
        for s in reply.sources:
            state = "ok" if s.failures == 0 else f"FAILING x{s.failures}: {s.last_error or '?'}"
            if s.paused:
                state = f"PAUSED (probed daily) after x{s.failures}: {s.last_error or '?'}"
            rows.append(
                f"{s.name} [{s.kind}] {state}; last success {_when(s.last_success, reply.now)}; "
                f"{s.items_seen} items; next poll {_when(s.next_poll, reply.now)}"
            )
        return f"Sources ({len(rows)}, {reply.failing} failing):\n" + "\n".join(rows)
    if isinstance(reply, StatusReply):
        parked = f"{reply.parked_count}{'+' if reply.parked_more else ''}"
        lines = [
            f"gapwatch {reply.version}",
            f"outbox: {reply.outbox_depth} waiting, {parked} parked",
            f"stored: {reply.counts.sources} sources, {reply.counts.items} items, "
            f"{reply.counts.claims} claims ({reply.counts.seed_claims} from the reference ledger)",
            f"tracking {reply.tracked} frontier models; {reply.failing_sources} sources failing",
        ]
        lines += [
            f"  parked → {p.destination}: {p.summary} ({p.last_error or 'no error text'})"
            for p in reply.parked
        ]
        return "\n".join(lines)
    raise TypeError(f"no text rendering for {type(reply).__name__}")
