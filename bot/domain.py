"""Domain types: frozen dataclasses shared by every stage of the pipeline.

Wire payloads (Hugging Face JSON, Discord embeds, Slack blocks) stay in the adapters; an adapter
turns a payload into one of these once, at the edge.

Besides the types, the rules that storage and the stages must agree on live here: the outbox
idempotency-key formats, how one claim seen in several sources is merged, and "first credible"
parity. `storage/` depends on this module, `bot.ports` and `bot.errors` only.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from bot.identity import identity_key


class SourceKind(StrEnum):
    HUGGINGFACE = "huggingface"
    FEED = "feed"
    GITHUB = "github"
    PAGE = "page"
    SITEMAP = "sitemap"


class Relation(StrEnum):
    """How a competitor compares with a frontier model, as the source frames it."""

    MATCHES = "matches"
    EXCEEDS = "exceeds"
    APPROACHES = "approaches"
    TRAILS = "trails"

    @property
    def is_parity(self) -> bool:
        """`matches` and `exceeds` form one class: the competitor claims to have caught up."""
        return self in (Relation.MATCHES, Relation.EXCEEDS)

    @property
    def score_class(self) -> str:
        """The class used for scoring and clustering: parity, approaches or trails."""
        return "parity" if self.is_parity else self.value


# --- sources and items -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """One configured source. `key` is stable across restarts and identifies it in storage."""

    kind: SourceKind
    target: str  # feed/page/sitemap URL, Hugging Face author, GitHub owner/repo or org
    name: str
    lab: str | None = None
    interval: float | None = None  # seconds; None = the [polling] default
    api_base: str | None = None  # huggingface / github only
    selector: str | None = None  # page: CSS selector of the article links or blocks
    match: str | None = None  # sitemap: regular expression an article URL must match

    @property
    def key(self) -> str:
        return f"{self.kind.value}:{self.target}"


@dataclass(frozen=True, slots=True)
class Item:
    """One thing a source published: a feed entry, a Hugging Face model, a release, a page.

    `key` is the canonical identity used for dedup (GUID, else URL, else model id); a publisher
    that rewrites the date or re-publishes the same GUID or URL yields the same key.
    """

    source_key: str
    key: str
    title: str
    url: str | None
    text: str
    published: datetime | None = None  # the publisher's date, if any (UTC)
    lab: str | None = None
    model_id: str | None = None  # e.g. "deepseek-ai/DeepSeek-R1" for Hugging Face items
    source_kind: SourceKind = SourceKind.FEED
    detail_pending: bool = False  # stored without its detail (a model card): fetched on a later poll
    first_seen: datetime | None = field(default=None, compare=False)  # when the bot stored it

    @property
    def content_hash(self) -> str:
        digest = hashlib.sha256()
        for part in (self.title, self.url or "", self.text):
            digest.update(part.encode("utf-8", "replace"))
            digest.update(b"\0")
        return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class PollResult:
    """What one poll of a source produced.

    `not_modified` is True when a conditional GET answered 304: no items, nothing parsed.
    `etag`/`last_modified` are the validators to send next time (None = keep the old ones).
    `details` fills in stored items that were kept `detail_pending`: (item key, text) pairs.
    `fresh_for` is how long the publisher says the answer stays fresh (Cache-Control max-age,
    Expires, RSS ttl) and `retry_after` how long it asked us to wait (a rate limit hit part-way):
    the scheduler polls no earlier than either, within the configured bounds.
    """

    items: tuple[Item, ...] = ()
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None
    warnings: tuple[str, ...] = ()
    details: tuple[tuple[str, str], ...] = ()
    fresh_for: float | None = None
    retry_after: float | None = None


@dataclass(frozen=True, slots=True)
class SourceCursor:
    """What a source may know about its previous polls (from storage)."""

    etag: str | None = None
    last_modified: str | None = None
    first_poll: bool = True
    failures: int = 0  # consecutive failed polls so far
    pending: tuple[str, ...] = ()  # keys of stored items still waiting for their detail, newest first
    failing_since: datetime | None = None  # the first failed poll of the current failing episode
    recent: tuple[datetime, ...] = ()  # publication dates of the newest stored items


# --- frontier models and claims --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FrontierModel:
    key: str
    name: str
    lab: str
    released: date
    aliases: tuple[str, ...] = ()
    open_weights: bool = False
    tracked: bool = True
    source: str = ""


@dataclass(frozen=True, slots=True)
class BenchmarkPair:
    benchmark: str
    competitor: float | None
    frontier: float | None

    @property
    def delta(self) -> float | None:
        if self.competitor is None or self.frontier is None:
            return None
        return round(self.competitor - self.frontier, 4)


_PAREN_RE = re.compile(r"\([^)]*\)")
_TAG_TAIL_RE = re.compile(r"[\s_\-.]*(instruct|chat|it|base)$")
_NON_WORD_RE = re.compile(r"[\W_]+")


@functools.lru_cache(maxsize=16384)
def normalise_model_name(name: str) -> str:
    """Canonical form for comparing competitor names.

    Lower-case, no `org/` prefix, no parenthesised notes, no trailing Instruct/Chat/IT/Base,
    punctuation dropped: "deepseek-ai/DeepSeek-R1 (preview)" -> "deepseekr1".
    """
    text = unicodedata.normalize("NFKC", name).strip()
    text = text.rsplit("/", 1)[-1]
    text = _PAREN_RE.sub(" ", text)
    text = text.lower().strip()
    text = _TAG_TAIL_RE.sub("", text)
    return _NON_WORD_RE.sub("", text)


@dataclass(frozen=True, slots=True)
class Claim:
    """A detected statement that `competitor` matches/exceeds/approaches/trails a frontier model."""

    competitor: str
    frontier_key: str
    relation: Relation
    evidence: str
    confidence: float
    lab: str | None = None
    benchmarks: tuple[BenchmarkPair, ...] = ()
    source_url: str | None = None
    published: date | None = None
    origin: str = "prose"  # "prose" | "table" | "seed"

    @property
    def cluster_key(self) -> tuple[str, str, str]:
        """Claims with the same cluster key are one claim with several pieces of evidence: the
        competitor's model identity (`bot.identity`), the frontier model and the relation class."""
        return (identity_key(self.competitor), self.frontier_key, self.relation.score_class)


# --- stored claims, alerts and reports -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Evidence:
    claim_id: int
    item_key: str | None
    url: str | None
    text: str
    confidence: float
    seen_at: datetime
    source_kind: str | None = None


@dataclass(frozen=True, slots=True)
class StoredClaim:
    """A clustered claim as stored: one row, many pieces of evidence."""

    id: int
    competitor: str
    lab: str | None
    frontier_key: str
    relation: Relation
    confidence: float
    first_seen: datetime
    claimed_on: date | None
    source_url: str | None
    evidence_text: str
    benchmarks: tuple[BenchmarkPair, ...] = ()
    source_count: int = 1
    origin: str = "detected"  # "detected" | "seed"
    open_weights: bool | None = None
    sources: tuple[str, ...] = ()  # the links of its evidence, oldest first (read models only)


class AlertKind(StrEnum):
    NEW = "new"  # the first alert for a claim on a destination
    UPDATE = "update"  # a later source added evidence: reply in the first alert's thread
    DIGEST = "digest"  # a period's claims in one message
    ADMIN = "admin"  # a failing source or a parked delivery


@dataclass(frozen=True, slots=True)
class Alert:
    """One message to one destination, as stored in the outbox."""

    id: int
    destination: str  # route destination, e.g. "console", "discord:123", "slack:C01", "webhook:name"
    kind: AlertKind
    idempotency_key: str
    payload: Mapping[str, Any] = field(default_factory=dict)
    claim_id: int | None = None
    attempts: int = 0
    thread_ref: str | None = None  # platform id of the first alert's message, for UPDATE
    group: str | None = None  # rows with one group go out as ONE message (None: the row alone)
    created_at: datetime | None = None  # when the row was stored with its claim (delivery latency)


@dataclass(frozen=True, slots=True)
class DeliveryReceipt:
    """What a platform said when it accepted a message: its id, for thread replies and edits."""

    message_ref: str | None = None


@dataclass(frozen=True, slots=True)
class AlertMessage:
    """The platform-free content of an alert; renderers turn it into text, embeds or blocks.

    Stored as JSON in the outbox row, so a delivery after a restart renders the same message.
    """

    competitor: str
    frontier_key: str
    frontier_name: str
    relation: Relation
    confidence: float
    evidence: str
    lab: str | None = None
    source_url: str | None = None
    source_count: int = 1
    benchmarks: tuple[BenchmarkPair, ...] = ()
    days_after_release: int | None = None
    title: str | None = None  # the item's title, if any
    first_seen: str | None = None  # ISO time the bot first saw the source, for the timestamp

    def to_payload(self) -> dict[str, Any]:
        return {
            "competitor": self.competitor,
            "frontier_key": self.frontier_key,
            "frontier_name": self.frontier_name,
            "relation": self.relation.value,
            "confidence": self.confidence,
            "evidence": self.evidence,
            "lab": self.lab,
            "source_url": self.source_url,
            "source_count": self.source_count,
            "benchmarks": [[b.benchmark, b.competitor, b.frontier] for b in self.benchmarks],
            "days_after_release": self.days_after_release,
            "title": self.title,
            "first_seen": self.first_seen,
        }

    @classmethod
    def from_payload(cls, data: Mapping[str, Any]) -> AlertMessage:
        return cls(
            competitor=str(data["competitor"]),
            frontier_key=str(data["frontier_key"]),
            frontier_name=str(data["frontier_name"]),
            relation=Relation(data["relation"]),
            confidence=float(data["confidence"]),
            evidence=str(data["evidence"]),
            lab=data.get("lab"),
            source_url=data.get("source_url"),
            source_count=int(data.get("source_count", 1)),
            benchmarks=tuple(BenchmarkPair(str(b[0]), b[1], b[2]) for b in data.get("benchmarks", [])),
            days_after_release=data.get("days_after_release"),
            title=data.get("title"),
            first_seen=data.get("first_seen"),
        )


@dataclass(frozen=True, slots=True)
class PlannedAlert:
    """An outbox row to write, decided by the route stage for one claim and one destination.

    `group` names the message the row is part of (all claims of one item for one destination
    are one message; None: the row is a message alone); `parent_key` is the group of the NEW
    message whose thread an UPDATE replies in; `not_before` delays delivery (digests are due at
    the end of their period); `claim_id` is the claim the row is about.
    """

    destination: str
    kind: AlertKind
    idempotency_key: str
    payload: Mapping[str, Any]
    parent_key: str | None = None
    not_before: datetime | None = None
    group: str | None = None
    claim_id: int | None = None


@dataclass(frozen=True, slots=True)
class ClaimChange:
    """One claim an item added evidence to, as the route stage sees it.

    `found` is the claim as the polled item states it (the alert quotes it, never the ledger);
    None for a deliberate backfill of history. `is_new` is True when the item created the cluster.
    """

    stored: StoredClaim
    found: Claim | None
    is_new: bool


@dataclass(frozen=True, slots=True)
class SourceHealth:
    """A source's polling state, for `/sources` and `/status`."""

    key: str
    name: str
    kind: str
    enabled: bool
    last_success: datetime | None
    failures: int  # consecutive failed polls
    last_error: str | None
    next_poll: datetime | None
    lab: str | None = None
    added_by: str | None = None  # None = from config
    items_seen: int = 0
    paused: bool = False  # failed for longer than [polling] pause_after: no longer polled
    target: str = ""


@dataclass(frozen=True, slots=True)
class Verdict:
    """The verifier's answer: drop the claim, or keep it with an optional correction."""

    keep: bool
    relation: Relation | None = None
    confidence: float | None = None
    reason: str = ""


# --- read models for the commands ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FirstParity:
    """The earliest credible parity claim against one frontier model (one row per competitor)."""

    frontier_key: str
    competitor: str
    claimed_on: date


@dataclass(frozen=True, slots=True)
class Subscription:
    """A route added from chat: alerts go to `destination` when they pass `filters`."""

    destination: str
    filters: Mapping[str, Any] = field(default_factory=dict)
    created_by: str | None = None
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class StoreCounts:
    sources: int
    items: int
    claims: int
    seed_claims: int


# --- idempotency keys of outbox rows (bot.pipeline.route writes them, storage groups by them) --


def release_group(item_ref: str, destination: str, kind: AlertKind) -> str:
    """The message group of one item's claims for one destination: ONE message (NEW or UPDATE).

    `item_ref` names the item ("i42" for item row 42) or, for a backfill, the claim ("c7")."""
    return f"release:{item_ref}:{destination}:{kind.value}"


def release_key(group: str, claim_id: int) -> str:
    return f"{group}:{claim_id}"


def digest_prefix(destination: str, period: str) -> str:
    """The key prefix shared by every row of one digest message."""
    return f"digest:{destination}:{period}"


def digest_key(destination: str, period: str, claim_id: int) -> str:
    return f"{digest_prefix(destination, period)}:{claim_id}"


def group_key(kind: AlertKind, idempotency_key: str, group: str | None = None) -> str:
    """Rows with equal group keys go out as one message (a release, a digest); others go alone."""
    if group:
        return group
    if kind is AlertKind.DIGEST and idempotency_key.startswith("digest:"):
        return idempotency_key.rsplit(":", 1)[0]
    return idempotency_key


RELATION_RANK = {"exceeds": 3, "matches": 2, "approaches": 1, "trails": 0}
_CLASS_RANK = {"parity": 2, "approaches": 1, "trails": 0}


def strongest_first(messages: Sequence[AlertMessage]) -> list[AlertMessage]:
    """The headline claim first: parity over approaches over trails; then the newest frontier
    model (the fewest days since its release: matching o1 is bigger news than beating GPT-4o);
    then exceeds over matches, confidence, figures; ties keep the item's order."""

    def strength(m: AlertMessage) -> tuple[int, int, int, float, int]:
        days = m.days_after_release if m.days_after_release is not None else 1 << 30
        return (
            -_CLASS_RANK[m.relation.score_class],
            days,
            -RELATION_RANK[m.relation.value],
            -m.confidence,
            -len(m.benchmarks),
        )

    return sorted(messages, key=strength)


def public_date(item: Item, *, history: bool = False) -> date | None:
    """The date a claim in `item` became public (days-to-parity counts from it).

    The publisher's date when the source has one. A Hugging Face `createdAt` is when the
    repository was made, often weeks before the model went public, so a live Hugging Face item
    counts from the first time the bot saw it listed; only history (a source's first poll, when
    the bot was not watching yet) falls back to `createdAt`. An earlier date another source gives
    for the same release wins (storage/clusters.py: `earliest` on merge, and across the
    release's claims for dates only the Hub's sighting gave).
    """
    if item.source_kind is SourceKind.HUGGINGFACE and not history:
        return item.first_seen.date() if item.first_seen is not None else None
    return item.published.date() if item.published is not None else None


# --- "first credible" parity ----------------------------------------------------------------

CREDIBLE_CONFIDENCE = 0.6
NOT_BROAD_MARKERS = ("[narrow", "[unverified")


def is_broad(evidence: str) -> bool:
    return not evidence.lstrip().lower().startswith(NOT_BROAD_MARKERS)


def claim_date(claim: StoredClaim) -> date:
    return claim.claimed_on or claim.first_seen.date()


def is_credible(relation: Relation, confidence: float, evidence: str) -> bool:
    """A credible parity claim: broad, `matches` or `exceeds`, confidence medium or high."""
    return is_broad(evidence) and relation.is_parity and confidence >= CREDIBLE_CONFIDENCE


# --- clustering: one claim seen in several sources (storage/clusters.py applies these) -------

SOURCE_BOOST = 0.05  # per independent source beyond the first
MAX_BOOST = 0.15


def merge_confidence(old: float, new: float, sources: int) -> float:
    """Confidence of a claim backed by `sources` independent sources.

    The best single piece of evidence counts, plus a small boost for each further source
    (several sources saying the same thing are more credible than one), capped at 1.0.

    Args:
        old: the best confidence of the evidence recorded so far (not a merged value, so
            merging never compounds the boost).
        new: the confidence of the new evidence.
        sources: how many independent sources back the claim, the new one included.
    """
    boost = min(MAX_BOOST, SOURCE_BOOST * max(0, sources - 1))
    return round(min(1.0, max(old, new) + boost), 4)


def better_evidence(
    old_confidence: float, old_benchmarks: int, new_confidence: float, new_benchmarks: int
) -> bool:
    """Whether new evidence should replace the claim's headline evidence.

    Figures beat prose: more benchmark pairs win; with as many, higher confidence wins; a tie
    keeps the old evidence (the first source stays the headline).
    """
    if new_benchmarks != old_benchmarks:
        return new_benchmarks > old_benchmarks
    return new_confidence > old_confidence


def earliest(old: date | None, new: date | None) -> date | None:
    """The claim date: the earliest publisher's date among its sources."""
    if old is None or new is None:
        return old or new
    return min(old, new)


def merge_same_item(claims: Sequence[Claim]) -> list[Claim]:
    """One claim per cluster key from one item (prose and a table may say the same thing).

    Keeps the first claim's position; its evidence is the better one; confidence is the best.
    """
    merged: dict[tuple[str, str, str], Claim] = {}
    for claim in claims:
        key = claim.cluster_key
        seen = merged.get(key)
        if seen is None:
            merged[key] = claim
            continue
        best = (
            claim
            if better_evidence(seen.confidence, len(seen.benchmarks), claim.confidence, len(claim.benchmarks))
            else seen
        )
        merged[key] = Claim(
            competitor=best.competitor,
            frontier_key=best.frontier_key,
            relation=best.relation,
            evidence=best.evidence,
            confidence=max(seen.confidence, claim.confidence),
            lab=seen.lab or claim.lab,
            benchmarks=best.benchmarks,
            source_url=seen.source_url or claim.source_url,
            published=earliest(seen.published, claim.published),
            origin=best.origin,
        )
    return list(merged.values())
