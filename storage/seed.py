"""History from day one: the reference ledger of parity claims (bot/data/parity_claims.csv),
loaded into the `claims` table so `/gap o1-preview` answers on a fresh install.

Runs at every start and is idempotent (a start that finds every ledger cluster stored reads once
and writes nothing): a seed row is keyed by its claim cluster (normalised
competitor, frontier key, relation class) and inserted with ON CONFLICT DO NOTHING, so a second
run, a second replica, or a claim the detector already stored for the same cluster leaves the
table as it is. Seed rows say where they came from: `origin="seed"`, `source_url` = the first
cited source, one evidence row holding the ledger's headline, and `alerted=False` (history is
never announced as news).
"""

from __future__ import annotations

import csv
import io
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select, tuple_
from sqlalchemy.exc import SQLAlchemyError

from bot.domain import BenchmarkPair, Relation
from bot.errors import StoreError
from bot.identity import identity_key
from bot.ports import FrontierLookup
from storage.rows import engine_of
from storage.tables import CLAIMS, EVIDENCE
from storage.upsert import insert_new

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

log = logging.getLogger(__name__)

CLUSTER = ["competitor_norm", "frontier_key", "relation_class"]
SEED_CONFIDENCE = {"high": 0.9, "medium": 0.7, "low": 0.4}
_PAIR = re.compile(
    r"^(?P<name>[A-Za-z][A-Za-z0-9 .\-/'@]*?)\s*(?:\([^)]*\)\s*)?(?:pass@1\s*)?"
    r"(?P<a>\d+(?:\.\d+)?)%?\s*(?:\([^)]*\)\s*)?vs\s+"
    r"(?:[A-Za-z][\w\-.]*(?:\s\([^)]*\))?\s+)?(?P<b>\d+(?:\.\d+)?)%?(?P<rest>.*)$"
)
_LABEL = re.compile(r"^(?:vs [^:;]+|[A-Za-z' ]+):\s*")
_NAME_NOISE = re.compile(r"^(?:trails on|but|like-for-like)\s+", re.IGNORECASE)
_GITHUB_PATH = re.compile(r"^(?P<repo>[\w.-]+/[\w.-]+) (?P<path>\S+)$")


@dataclass(frozen=True, slots=True)
class SeedClaim:
    """One ledger row, parsed."""

    competitor: str
    lab: str
    open_weights: bool
    claimed_on: date
    frontier_key: str
    relation: Relation
    headline: str
    sources: tuple[str, ...]
    confidence: float
    benchmarks: tuple[BenchmarkPair, ...]

    @property
    def source_url(self) -> str | None:
        return self.sources[0] if self.sources else None


def parse_benchmarks(headline: str) -> tuple[BenchmarkPair, ...]:
    """The "NAME a vs [model] b" pairs of a ledger headline; anything less simple is skipped."""
    text = re.sub(r"^\[[^\]]*\]\s*", "", headline.strip())
    if "no head-to-head" in text.lower():
        return ()  # e.g. Marco-o1's figures are against its base model, not the frontier
    pairs: list[BenchmarkPair] = []
    for segment in re.split(r";\s*", text):
        segment = _LABEL.sub("", segment.strip(), count=1) if ":" in segment[:40] else segment.strip()
        match = _PAIR.match(segment)
        if not match or match["rest"].lstrip().startswith("(base"):
            continue
        name = _NAME_NOISE.sub("", match["name"].strip())
        pairs.append(BenchmarkPair(name, float(match["a"]), float(match["b"])))
    return tuple(pairs)


def source_address(source: str) -> str:
    """A ledger source as an address: notes in parentheses dropped, `owner/repo path` as a GitHub URL."""
    text = re.sub(r"\s*\([^)]*\)\s*$", "", source.strip())
    if match := _GITHUB_PATH.match(text):
        return f"https://github.com/{match['repo']}/blob/HEAD/{match['path']}"
    return text


def load_ledger(text: str | None = None) -> list[SeedClaim]:
    """Parse the ledger CSV (default: the packaged bot/data/parity_claims.csv)."""
    if text is None:
        text = resources.files("bot.data").joinpath("parity_claims.csv").read_text(encoding="utf-8")
    claims = []
    for row in csv.DictReader(io.StringIO(text)):
        sources = tuple(source_address(s) for s in row["source"].split(" | ") if s.strip())
        claims.append(
            SeedClaim(
                competitor=row["competitor"].strip(),
                lab=row["lab"].strip(),
                open_weights=row["open_weights"].strip().lower() == "yes",
                claimed_on=date.fromisoformat(row["claimed_date"].strip()),
                frontier_key=row["frontier_key"].strip(),
                relation=Relation(row["relation"].strip()),
                headline=row["headline_benchmarks"].strip(),
                sources=sources,
                confidence=SEED_CONFIDENCE[row["confidence"].strip().lower()],
                benchmarks=parse_benchmarks(row["headline_benchmarks"]),
            )
        )
    return claims


def _values(claim: SeedClaim, now: datetime) -> dict[str, Any]:
    return {
        "competitor": claim.competitor,
        "competitor_norm": identity_key(claim.competitor),
        "lab": claim.lab,
        "frontier_key": claim.frontier_key,
        "relation": claim.relation.value,
        "relation_class": claim.relation.score_class,
        "confidence": claim.confidence,
        "evidence_text": claim.headline,
        "benchmarks": [[p.benchmark, p.competitor, p.frontier] for p in claim.benchmarks],
        "source_url": claim.source_url,
        "source_count": max(1, len(claim.sources)),
        "claimed_on": claim.claimed_on,
        "first_seen_at": now,
        "updated_at": now,
        "origin": "seed",
        "open_weights": claim.open_weights,
        "alerted": False,
    }


def _cluster(claim: SeedClaim) -> tuple[str, str, str]:
    return (identity_key(claim.competitor), claim.frontier_key, claim.relation.score_class)


async def _stored_clusters(
    session: AsyncConnection, clusters: list[tuple[str, str, str]]
) -> set[tuple[str, str, str]]:
    """Which of these claim clusters are stored (by the seed or by detection)."""
    columns = [CLAIMS.c[name] for name in CLUSTER]
    found: set[tuple[str, str, str]] = set()
    for start in range(0, len(clusters), 200):
        stmt = select(*columns).where(tuple_(*columns).in_(clusters[start : start + 200]))
        found.update((row[0], row[1], row[2]) for row in await session.execute(stmt))
    return found


async def seed_history(
    bind: AsyncEngine | async_sessionmaker[AsyncSession],
    registry: FrontierLookup,
    *,
    now: datetime,
    ledger: list[SeedClaim] | None = None,
) -> int:
    """Insert the ledger's claims that are not stored yet; return how many were inserted.
    `bind`: the engine, or a session factory bound to it (Core statements on a connection).

    Rows whose frontier key the registry does not know are skipped (and logged).

    Raises:
        StoreError: the database refused the writes.
    """
    claims = load_ledger() if ledger is None else ledger
    inserted = 0
    try:
        async with engine_of(bind).begin() as session:
            dialect = session.dialect.name
            known = [c for c in claims if registry.resolve(c.frontier_key) is not None]
            for claim in claims:
                if registry.resolve(claim.frontier_key) is None:
                    log.warning(
                        "seed: unknown frontier key %r (%s) skipped", claim.frontier_key, claim.competitor
                    )
            stored = await _stored_clusters(session, [_cluster(c) for c in known])
            for claim in known:
                if _cluster(claim) in stored:  # every start after the first: one SELECT, no write
                    continue
                stmt = insert_new(dialect, CLAIMS, _values(claim, now), key=CLUSTER).returning(CLAIMS.c.id)
                claim_id = (await session.execute(stmt)).scalar_one_or_none()
                if claim_id is None:
                    continue
                evidence = {
                    "claim_id": claim_id,
                    "item_id": None,
                    "url": claim.source_url,
                    "text": claim.headline,
                    "confidence": claim.confidence,
                    "source_kind": "seed",
                    "seen_at": now,
                }
                await session.execute(insert(EVIDENCE).values(evidence))
                inserted += 1
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot load the seed history: {type(exc).__name__}: {exc}") from exc
    if inserted:
        log.info("seed: %d reference claims loaded", inserted)
    return inserted
