"""Plain-text rendering of alerts, for the console sink and text fallbacks."""

from __future__ import annotations

from bot.domain import AlertMessage, BenchmarkPair, Relation

VERBS = {  # in alerts: "beats" reads better in a headline than "exceeds"
    Relation.MATCHES: "matches",
    Relation.EXCEEDS: "beats",
    Relation.APPROACHES: "approaches",
    Relation.TRAILS: "trails",
}


def format_number(value: float | None) -> str:
    if value is None:
        return "\u2013"  # en dash: "no figure"
    return f"{value:g}"


def format_pair(pair: BenchmarkPair) -> str:
    text = f"{pair.benchmark} {format_number(pair.competitor)} vs {format_number(pair.frontier)}"
    if pair.delta is not None:
        text += f" ({pair.delta:+g})"
    return text


def headline(message: AlertMessage) -> str:
    """One line: "DeepSeek-R1 (DeepSeek) matches OpenAI o1 [conf 0.90]"."""
    who = f"{message.competitor} ({message.lab})" if message.lab else message.competitor
    return f"{who} {VERBS[message.relation]} {message.frontier_name} [confidence {message.confidence:.2f}]"


def render_alert_text(message: AlertMessage, *, update: bool = False, max_pairs: int = 6) -> str:
    """A short multi-line alert: headline, days after the frontier release, benchmarks, evidence, link."""
    lines = [("UPDATE: " if update else "") + headline(message)]
    if message.days_after_release is not None:
        lines.append(f"  {message.days_after_release} days after {message.frontier_name} was released")
    if message.benchmarks:
        pairs = "; ".join(format_pair(p) for p in message.benchmarks[:max_pairs])
        more = len(message.benchmarks) - max_pairs
        lines.append(f"  benchmarks: {pairs}" + (f"; +{more} more" if more > 0 else ""))
    evidence = " ".join(message.evidence.split())
    if len(evidence) > 400:
        evidence = evidence[:399] + "…"
    lines.append(f'  evidence: "{evidence}"')
    if message.source_count > 1:
        lines.append(f"  backed by {message.source_count} sources")
    if message.source_url:
        lines.append(f"  source: {message.source_url}")
    return "\n".join(lines)
