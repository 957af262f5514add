"""Plain-text rendering of alerts, for the console sink and text fallbacks, and the pieces every
alert renderer shares: the claims of one message strongest first, one line per claim, the
distinct evidence quotes, and links made safe for a platform."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from bot.domain import AlertMessage, BenchmarkPair, Relation, strongest_first

VERBS = {  # in alerts: "beats" reads better in a headline than "exceeds"
    Relation.MATCHES: "matches",
    Relation.EXCEEDS: "beats",
    Relation.APPROACHES: "approaches",
    Relation.TRAILS: "trails",
}
MAX_URL = 2048
_URL_SAFE = "!#$%&'()*+,/:;=?@[]~"


def format_number(value: float | None) -> str:
    if value is None:
        return "\u2013"  # en dash: "no figure"
    return f"{value:g}"


def format_pair(pair: BenchmarkPair) -> str:
    text = f"{pair.benchmark} {format_number(pair.competitor)} vs {format_number(pair.frontier)}"
    if pair.delta is not None:
        text += f" ({pair.delta:+g})"
    return text


def verb(relation: Relation) -> str:
    return VERBS[relation]


def headline(message: AlertMessage) -> str:
    """One line: "DeepSeek-R1 (DeepSeek) matches OpenAI o1 [confidence 0.90]"."""
    who = f"{message.competitor} ({message.lab})" if message.lab else message.competitor
    return f"{who} {VERBS[message.relation]} {message.frontier_name} [confidence {message.confidence:.2f}]"


def short_headline(message: AlertMessage) -> str:
    """ "Kimi k1.5 matches OpenAI o1": a message title."""
    return f"{message.competitor} {VERBS[message.relation]} {message.frontier_name}"


def release_messages(payload: Mapping[str, Any]) -> list[AlertMessage]:
    """The claims of one NEW/UPDATE message, strongest first (a payload is one claim, or a
    group of them under "claims")."""
    entries = payload.get("claims") if "claims" in payload else [payload]
    return strongest_first([AlertMessage.from_payload(e) for e in entries or []])


def several_models(messages: Sequence[AlertMessage]) -> bool:
    """Whether the lines must name the competitor (a family's size variants in one alert)."""
    return len({m.competitor for m in messages}) > 1


def claim_label(message: AlertMessage, *, name_competitor: bool) -> str:
    """ "vs OpenAI o1", or "Qwen3-32B vs OpenAI o1" when the alert covers several models."""
    return (f"{message.competitor} " if name_competitor else "") + f"vs {message.frontier_name}"


def verdict(message: AlertMessage) -> str:
    """ "matches · confidence 0.90 · 46 days after its release"."""
    text = f"{message.relation.value} · confidence {message.confidence:.2f}"
    if message.days_after_release is not None:
        text += f" · {message.days_after_release} days after its release"
    return text


def pairs_text(message: AlertMessage, limit: int, sep: str = "; ") -> str:
    """The benchmark deltas, at most `limit`, then "+N more"."""
    shown = [format_pair(p) for p in message.benchmarks[:limit]]
    more = len(message.benchmarks) - len(shown)
    return sep.join(shown) + (f"{sep}+{more} more" if more > 0 else "")


def quotes(messages: Sequence[AlertMessage]) -> list[str]:
    """The distinct evidence texts, whitespace collapsed, in order."""
    seen: dict[str, None] = {}
    for message in messages:
        text = " ".join(message.evidence.split())
        if text:
            seen.setdefault(text, None)
    return list(seen)


def first_seen(messages: Sequence[AlertMessage]) -> datetime | None:
    """The earliest first-seen time of the message's claims (None when none is known)."""
    times: list[datetime] = []
    for message in messages:
        try:
            times.append(datetime.fromisoformat(message.first_seen or ""))
        except ValueError:
            continue
    return min(times) if times else None


def safe_url(url: str | None) -> str | None:
    """An http(s) URL fit for a platform's link field, or None.

    Spaces, newlines and raw non-ASCII characters are percent-encoded (an IDN host becomes
    punycode); an existing %XX escape is kept; longer than 2,048 characters is no link."""
    if not url:
        return None
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")):
        return None
    # urlsplit would silently drop these (WHATWG URL parsing); keep them, encoded
    url = url.replace("\t", "%09").replace("\r", "%0D").replace("\n", "%0A")
    parts = urlsplit(url)
    host = parts.netloc
    try:
        host.encode("ascii")
    except UnicodeEncodeError:
        try:
            user, at, hostport = host.rpartition("@")
            name, colon, port = hostport.partition(":")
            host = user + at + name.encode("idna").decode("ascii") + colon + port
        except UnicodeError:
            host = quote(host, safe=_URL_SAFE)
    encoded = urlunsplit(
        (
            parts.scheme,
            host,
            quote(parts.path, safe=_URL_SAFE),
            quote(parts.query, safe=_URL_SAFE),
            quote(parts.fragment, safe=_URL_SAFE),
        )
    )
    return encoded if len(encoded) <= MAX_URL else None


def render_alert_text(message: AlertMessage, *, update: bool = False, max_pairs: int = 6) -> str:
    """One claim as a short alert (see `render_release_text`)."""
    return render_release_text([message], update=update, max_pairs=max_pairs)


def render_release_text(messages: Sequence[AlertMessage], *, update: bool = False, max_pairs: int = 6) -> str:
    """A release alert as text: the strongest claim's headline, one line per frontier model
    with relation, confidence, days and benchmark deltas, the evidence, the source, first seen."""
    ordered = strongest_first(messages)
    head = ordered[0]
    lines = [("UPDATE: " if update else "") + headline(head)]
    named = several_models(ordered)
    for message in ordered:
        line = f"  {claim_label(message, name_competitor=named)}: {verdict(message)}"
        if message.benchmarks:
            line += f"; benchmarks: {pairs_text(message, max_pairs)}"
        lines.append(line)
    for text in quotes(ordered):
        lines.append(f'  evidence: "{text if len(text) <= 400 else text[:399] + "…"}"')
    if head.source_count > 1:
        lines.append(f"  backed by {max(m.source_count for m in ordered)} sources")
    if head.source_url:
        lines.append(f"  source: {head.source_url}")
    if (seen := first_seen(ordered)) is not None:
        lines.append(f"  first seen: {seen:%Y-%m-%d %H:%M} UTC")
    return "\n".join(lines)
