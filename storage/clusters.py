"""Recording claims: cluster, evidence and planned alerts in the caller's transaction.

`record_claims_in` is the heart of the delivery guarantee: `Repository.record_claims` runs it in
one transaction, so a claim, its evidence, its outbox rows and the item's `detected_at` mark are
written together or not at all. Clusters are found by (competitor model identity, frontier key,
relation class) with INSERT ... ON CONFLICT DO NOTHING then SELECT ... FOR UPDATE, so replicas
on PostgreSQL racing on one new claim end with one row, merged in turn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, func, insert, or_, select, text, update

from bot.domain import (
    AlertKind,
    Claim,
    ClaimChange,
    Item,
    SourceKind,
    StoredClaim,
    better_evidence,
    earliest,
    merge_confidence,
    merge_same_item,
    public_date,
)
from bot.identity import identify, lab_name
from bot.ports import AlertPlanner
from storage.batch import chunks
from storage.outbox import enqueue_in
from storage.rows import benchmarks_json, stored_claim
from storage.tables import CLAIMS, EVIDENCE, ITEMS, OUTBOX, SOURCES
from storage.upsert import insert_new

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

    Tx = AsyncConnection | AsyncSession

# Core statements on the tables, rows as Core rows: recording claims loads no ORM (the ORM's
# modules and mappings cost about 0.15 CPU-s per process, and its DML and compile layers about
# half of each of the few statements a merged claim takes)
_CLAIMS: Any = CLAIMS
_EVIDENCE: Any = EVIDENCE
_ITEMS: Any = ITEMS
_SOURCES: Any = SOURCES
_CLUSTER_KEY = ["competitor_norm", "frontier_key", "relation_class"]

# The statements each claim of an item takes, built once with parameters: building one (its
# values coerced, its cache key computed) cost about as much as running it.
_MARK = (
    update(_ITEMS)
    .where(
        _ITEMS.c.source_id
        == select(_SOURCES.c.id).where(_SOURCES.c.key == bindparam("source_key")).scalar_subquery(),
        _ITEMS.c.key == bindparam("item_key"),
    )
    .values(detected_at=bindparam("now", type_=_ITEMS.c.detected_at.type))
    .returning(_ITEMS.c.id)
)
_CLUSTER_ROW = (
    select(_CLAIMS)
    .where(
        _CLAIMS.c.competitor_norm == bindparam("norm"),
        _CLAIMS.c.frontier_key == bindparam("frontier"),
        _CLAIMS.c.relation_class == bindparam("relation_class"),
    )
    .with_for_update()
)
_EVIDENCE_INSERT = insert(_EVIDENCE)
# what merging a claim into its cluster sets (`_merge`), and the alert flag
_CLAIM_UPDATE = update(_CLAIMS).where(_CLAIMS.c.id == bindparam("claim_id"))
_BEST_EVIDENCE = select(func.max(_EVIDENCE.c.confidence)).where(_EVIDENCE.c.claim_id == bindparam("claim_id"))
_RELEASE_DAY = select(func.min(_CLAIMS.c.claimed_on)).where(_CLAIMS.c.competitor_norm == bindparam("norm"))
# an item id or a URL that is None compares as NULL: never equal, as if the test were left out
_SAME_SOURCE = (
    select(_EVIDENCE.c.id)
    .where(
        _EVIDENCE.c.claim_id == bindparam("claim_id"),
        or_(_EVIDENCE.c.item_id == bindparam("item_id"), _EVIDENCE.c.url == bindparam("url")),
    )
    .limit(1)
)
_OTHER_SOURCE = (
    select(_EVIDENCE.c.id)
    .where(
        _EVIDENCE.c.claim_id == _CLAIMS.c.id,
        or_(_EVIDENCE.c.source_kind.is_(None), _EVIDENCE.c.source_kind != SourceKind.HUGGINGFACE.value),
    )
    .exists()
)
# Core: the session's objects are not synchronised (as `synchronize_session=False` did)
_BACKDATE = (
    update(_CLAIMS)
    .where(
        _CLAIMS.c.competitor_norm == bindparam("norm"),
        _CLAIMS.c.origin == "detected",
        _CLAIMS.c.claimed_on > bindparam("day", type_=_CLAIMS.c.claimed_on.type),
        ~_OTHER_SOURCE,
    )
    .values(claimed_on=bindparam("day", type_=_CLAIMS.c.claimed_on.type))
)
_INSERTS: dict[str, Any] = {}


def _claim_insert(dialect: str) -> Any:
    stmt = _INSERTS.get(dialect)
    if stmt is None:
        stmt = _INSERTS[dialect] = insert_new(dialect, _CLAIMS, None, key=_CLUSTER_KEY).returning(
            _CLAIMS.c.id
        )
    return stmt


async def mark_detected(session: Tx, item: Item, now: datetime) -> int | None:
    """Set the item's `detected_at`; return its row id (None if it was never stored).

    This is the transaction's first statement and a write, so on SQLite the transaction holds
    the write lock from the start and cannot fail later on upgrading a read lock.
    """
    params = {"source_key": item.source_key, "item_key": item.key, "now": now}
    item_id: int | None = (await session.execute(_MARK, params)).scalar_one_or_none()
    return item_id


async def _find_or_create(
    session: Tx, dialect: str, claim: Claim, item: Item | None, alerted: bool, now: datetime
) -> tuple[SimpleNamespace, bool]:
    norm, frontier_key, relation_class = claim.cluster_key
    day = _claim_day(item, claim, history=not alerted)
    if item is not None and item.source_kind is SourceKind.HUGGINGFACE and alerted:
        # first seen on the Hub: an earlier date another source gave for the release wins
        day = earliest(day, await _release_day(session, norm))
    values = claim_values(claim, item, alerted, now, day)
    new_id = (await session.execute(_claim_insert(dialect), values)).scalar_one_or_none()
    key = {"norm": norm, "frontier": frontier_key, "relation_class": relation_class}
    row = (await session.execute(_CLUSTER_ROW, key)).one()
    return SimpleNamespace(**row._mapping), new_id is not None


def history_values(claim: Claim, item: Item, now: datetime) -> dict[str, Any]:
    """The claims row a new cluster starts as when it comes from history (no alert)."""
    return claim_values(claim, item, False, now, _claim_day(item, claim, history=True))


def news_values(claim: Claim, item: Item, now: datetime) -> dict[str, Any]:
    """The claims row a new cluster starts as when a new item (not history) creates it and no
    other claim about its model exists (so no other source dates the release earlier)."""
    return claim_values(claim, item, True, now, _claim_day(item, claim, history=False))


def claim_values(
    claim: Claim, item: Item | None, alerted: bool, now: datetime, day: date | None
) -> dict[str, Any]:
    """The claims row a new cluster starts as."""
    norm, frontier_key, relation_class = claim.cluster_key
    return {
        "competitor": claim.competitor,
        "competitor_norm": norm,
        "lab": claim.lab or item_lab(item),
        "frontier_key": frontier_key,
        "relation": claim.relation.value,
        "relation_class": relation_class,
        "confidence": claim.confidence,
        "evidence_text": claim.evidence,
        "benchmarks": benchmarks_json(claim.benchmarks),
        "source_url": claim.source_url or (item.url if item else None),
        "source_count": 1,
        "claimed_on": day,
        "first_seen_at": now,
        "updated_at": now,
        "origin": "seed" if claim.origin == "seed" else "detected",
        "alerted": alerted,
    }


async def _release_day(session: Tx, norm: str) -> date | None:
    """The earliest date any source gave for a claim about this model."""
    day: date | None = await session.scalar(_RELEASE_DAY, {"norm": norm})
    return day


def publisher_day(item: Item | None) -> date | None:
    """The date a publisher (not the Hub) gave the item: it backdates Hub-only claims."""
    if item is None or item.source_kind is SourceKind.HUGGINGFACE:
        return None
    return public_date(item)


async def backdate_hub_claims(session: Tx, item: Item | None, norm: str) -> None:
    """After an item's evidence for a model: its publisher's date backdates Hub-only claims."""
    published = publisher_day(item)
    if published is not None:
        await _backdate_hub_claims(session, norm, published)


async def _backdate_hub_claims(session: Tx, norm: str, day: date) -> None:
    """A publisher's date for a release dates its claims that only the Hub's first sighting
    dated (never a seed row, never a claim another publisher dated)."""
    await session.execute(_BACKDATE, {"norm": norm, "day": day})


def item_lab(item: Item | None) -> str | None:
    """The lab an item speaks for: a Hugging Face org id becomes the lab's name."""
    return lab_name(item.lab, item.model_id) if item is not None else None


def _claim_day(item: Item | None, claim: Claim, *, history: bool) -> date | None:
    """When this source made the claim public (`bot.domain.public_date`)."""
    return claim.published if item is None else public_date(item, history=history)


async def _merge(
    session: Tx, row: SimpleNamespace, claim: Claim, item: Item | None, now: datetime, history: bool
) -> dict[str, Any]:
    """Merge the claim into its cluster's row (`row` takes the new values); the changed columns."""
    best = await session.scalar(_BEST_EVIDENCE, {"claim_id": row.id})
    changed: dict[str, Any] = {"source_count": row.source_count + 1}
    old_best = row.confidence if best is None else float(best)
    if better_evidence(old_best, len(row.benchmarks or []), claim.confidence, len(claim.benchmarks)):
        changed["evidence_text"] = claim.evidence
        changed["benchmarks"] = benchmarks_json(claim.benchmarks)
        changed["relation"] = claim.relation.value
    changed["confidence"] = merge_confidence(old_best, claim.confidence, changed["source_count"])
    changed["claimed_on"] = earliest(row.claimed_on, _claim_day(item, claim, history=history))
    changed["lab"] = row.lab or claim.lab or item_lab(item)
    changed["updated_at"] = now
    vars(row).update(changed)
    return changed


def _root(kind: str, group: str | None, parent: str | None, key: str) -> str:
    """The message group a row's thread hangs off: its own group for a NEW row, its parent's for
    an UPDATE (rows written before groups existed: their idempotency key, or the claim's NEW key)."""
    if kind == AlertKind.NEW.value:
        return group or key
    return parent or key


async def lock_releases(session: Tx, dialect: str, claims: Sequence[StoredClaim]) -> None:
    """Serialise the planning of one release's alerts across replicas, so two items about it
    recorded at once make one top-level message and one reply, not two top-level messages.

    PostgreSQL: a transaction-level advisory lock per release, taken in sorted order (no
    deadlock between two items naming the same releases). SQLite: the transaction already holds
    the database's single write lock (`mark_detected` writes first)."""
    if dialect != "postgresql":
        return
    for model in sorted({identify(c.competitor).model for c in claims}):
        await session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:release))"), {"release": f"gapwatch:{model}"}
        )


async def thread_roots(session: Tx, claims: Sequence[StoredClaim]) -> dict[int, dict[str, str]]:
    """claim id -> {destination: the first message group that told it about the same release}.

    A release is the competitor's model without its size (`ModelIdentity.model`), so a later
    source about any claim of the release (another frontier model, another size) finds the
    first alert's thread."""
    models = {c.id: identify(c.competitor).model for c in claims}
    if not models:
        return {}
    norm = _CLAIMS.c.competitor_norm
    conditions = [
        # the model itself, or any size of it ("qwen3@...")
        or_(norm == m, norm.startswith(m + "@", autoescape=True))
        for m in set(models.values())
    ]
    stmt = (
        select(
            norm,
            OUTBOX.c.destination,
            OUTBOX.c.kind,
            OUTBOX.c.group_key,
            OUTBOX.c.parent_group,
            OUTBOX.c.idempotency_key,
        )
        .select_from(OUTBOX.join(_CLAIMS, _CLAIMS.c.id == OUTBOX.c.claim_id))
        .where(
            OUTBOX.c.kind.in_([AlertKind.NEW.value, AlertKind.UPDATE.value]),
            or_(*conditions),
        )
        .order_by(OUTBOX.c.id)
    )
    by_model: dict[str, dict[str, str]] = {}
    for norm, dest, kind, group, parent, key in (await session.execute(stmt)).all():
        model = norm.split("@", 1)[0]
        by_model.setdefault(model, {}).setdefault(dest, _root(kind, group, parent, key))
    return {claim_id: dict(by_model.get(model, {})) for claim_id, model in models.items()}


async def _same_source(session: Tx, claim_id: int, item: Item | None, item_id: int | None) -> bool:
    """Whether this item (or the same page under another id) already gave evidence for the claim."""
    url = item.url if item is not None else None
    if item_id is None and not url:
        return False
    found = await session.scalar(_SAME_SOURCE, {"claim_id": claim_id, "item_id": item_id, "url": url or None})
    return found is not None


async def record_claims_in(
    session: Tx,
    dialect: str,
    item: Item | None,
    claims: Sequence[Claim],
    planner: AlertPlanner | None,
    now: datetime,
    *,
    marked: bool = False,
    item_id: int | None = None,
) -> list[StoredClaim]:
    """Cluster `claims` from `item`, add evidence, plan alerts; see the module docstring.

    All the claims the item adds evidence to are planned together (`AlertPlanner.plan`), so
    the item makes one message per destination. `marked`: the caller marked the item detected
    in this transaction already (a batch does it in one statement) and passes its row id."""
    if not marked:
        item_id = await mark_detected(session, item, now) if item is not None else None
    if item is not None and item.first_seen is None:
        item = replace(item, first_seen=now)
    history = planner is None
    stored: list[StoredClaim] = []
    changes: list[ClaimChange] = []
    for claim in merge_same_item(claims):
        row, is_new = await _find_or_create(session, dialect, claim, item, planner is not None, now)
        if not is_new:
            # a retry of this item, or the same page again (edited, or re-published under a
            # new id): nothing new to say, no new source, no alert
            if await _same_source(session, row.id, item, item_id):
                stored.append(stored_claim(row))
                continue
        changed = await _merge(session, row, claim, item, now, history) if not is_new else {}
        if planner is not None and not row.alerted:
            changed["alerted"] = row.alerted = True
        if changed:  # the cluster's row first, then its new evidence (as the ORM's flush did)
            await session.execute(_CLAIM_UPDATE.values(changed), {"claim_id": row.id})
        evidence = {
            "claim_id": row.id,
            "item_id": item_id,
            "url": (item.url if item else None) or claim.source_url,
            "text": claim.evidence,
            "confidence": claim.confidence,
            "source_kind": item.source_kind.value if item else None,
            "seen_at": now,
        }
        await session.execute(_EVIDENCE_INSERT, evidence)
        await backdate_hub_claims(session, item, row.competitor_norm)
        result = stored_claim(row)
        stored.append(result)
        changes.append(ClaimChange(result, claim, is_new))
    if planner is not None and changes:
        await lock_releases(session, dialect, [c.stored for c in changes])
        roots = await thread_roots(session, [c.stored for c in changes])
        ref = f"i{item_id}" if item_id is not None else f"c{changes[0].stored.id}"
        planned = planner.plan(item, changes, roots, item_ref=ref)
        await enqueue_in(session, dialect, planned, claim_id=None, now=now)
    return stored


async def backfill_in(
    session: Tx, dialect: str, planner: AlertPlanner, *, since: datetime, now: datetime
) -> int:
    """Plan alerts for detected claims first seen since `since` that never alerted (baseline
    history), as if they were new, one message per release. Returns how many outbox rows were
    written."""
    rows = (
        await session.execute(
            select(_CLAIMS)
            .where(
                _CLAIMS.c.origin == "detected",
                _CLAIMS.c.alerted.is_(False),
                _CLAIMS.c.first_seen_at >= since,
            )
            .order_by(_CLAIMS.c.first_seen_at, _CLAIMS.c.id)
            .with_for_update()
        )
    ).all()
    for chunk in chunks([row.id for row in rows], 500):
        await session.execute(update(_CLAIMS).where(_CLAIMS.c.id.in_(chunk)).values(alerted=True))
    releases: dict[str, list[Any]] = {}  # one message per release, as for a polled item
    for row in rows:
        releases.setdefault(identify(row.competitor).model, []).append(row)
    written = 0
    for group in releases.values():
        claims = [stored_claim(row) for row in group]
        roots = await thread_roots(session, claims)
        changes = [ClaimChange(claim, None, True) for claim in claims]
        planned = planner.plan(None, changes, roots, item_ref=f"c{group[0].id}")
        written += await enqueue_in(session, dialect, planned, claim_id=None, now=now)
    return written
