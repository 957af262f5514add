"""Repository: what the pipeline and the commands ask of the database (`bot.ports.Store`).

Every method is one short transaction. Foreign errors (SQLAlchemy, the drivers, OSError) become
`StoreError`; errors raised by a caller's planner propagate unchanged (after the rollback).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from bot.domain import (
    Claim,
    FrontierModel,
    Item,
    PollResult,
    SourceCursor,
    SourceHealth,
    SourceKind,
    SourceSpec,
    StoredClaim,
)
from bot.errors import StoreError
from bot.ports import AlertPlanner
from storage.batch import (
    PollRecord,
    RowIds,
    cursors_in,
    mark_detected_in,
    storage_key,
    store_polls_in,
)
from storage.clusters import backfill_in, record_claims_in
from storage.history import record_history_in
from storage.news import record_news_in
from storage.rows import SessionStore, frontier_model
from storage.source_state import cursor_in, health_in
from storage.tables import FRONTIER, ITEMS, SOURCES
from storage.upsert import insert_new, upsert, upsert_many

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncConnection

CHUNK = 500  # keys per IN (...) list, well under SQLite's and asyncpg's parameter limits
_NEW_SOURCE = {"enabled": True, "baseline_done": False, "consecutive_failures": 0, "failure_reported": False}


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _source_values(spec: SourceSpec) -> dict[str, Any]:
    return {"kind": spec.kind.value, "target": spec.target, "name": spec.name, "lab": spec.lab}


def _store_error(what: str, exc: BaseException) -> StoreError:
    cause = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return StoreError(f"{what} failed: {cause[0] if cause else type(exc).__name__}")


class Repository(SessionStore):
    """Storage for sources, items, claims and frontier models (see `SessionStore` for Args).

    Every method runs Core statements in one transaction on a connection of the engine: no
    ORM (its modules and mappings cost about 0.15 CPU-s per process)."""

    def __init__(self, bind: Any, *, dialect: str) -> None:
        super().__init__(bind, dialect=dialect)
        # the row ids of the last batch of pending items read: the detect stage marks those
        # items (and records their claims) by id, without looking their sources and keys up
        self._pending_ids: RowIds = {}

    @asynccontextmanager
    async def _tx(self, what: str) -> AsyncIterator[AsyncConnection]:
        """One transaction on a connection (Core statements)."""
        try:
            async with self._engine.begin() as conn:
                yield conn
        except (SQLAlchemyError, OSError) as exc:
            raise _store_error(what, exc) from exc

    # --- sources ----------------------------------------------------------------------------

    async def sync_sources(self, specs: Sequence[SourceSpec], *, now: datetime) -> None:
        """Upsert the config's sources by key (keeping polling state); disable config sources
        no longer configured. Sources added from chat (`added_by` set) are left alone. When the
        config did not change, this is one SELECT and no write."""
        cols = (SOURCES.c.id, SOURCES.c.key, SOURCES.c.kind, SOURCES.c.target, SOURCES.c.name)
        async with self._tx("syncing sources") as session:
            rows = await session.execute(select(*cols, SOURCES.c.lab, SOURCES.c.enabled, SOURCES.c.added_by))
            stored = {row.key: row for row in rows}
            changed: dict[str, dict[str, Any]] = {}  # only new or edited sources, one statement
            for spec in specs:
                values = _source_values(spec)
                row = stored.get(spec.key)
                if row is None or not row.enabled or any(getattr(row, k) != v for k, v in values.items()):
                    changed[spec.key] = {"key": spec.key, **_NEW_SOURCE, **values}
            if changed:
                columns = list(_source_values(specs[0]))
                stmt = upsert_many(
                    self._dialect, SOURCES, key=["key"], columns=columns, also={"enabled": True}
                )
                await session.execute(stmt, list(changed.values()))
            wanted = {spec.key for spec in specs}
            gone = [r.id for r in stored.values() if r.added_by is None and r.enabled and r.key not in wanted]
            for start in range(0, len(gone), CHUNK):
                ids = gone[start : start + CHUNK]
                await session.execute(update(SOURCES).where(SOURCES.c.id.in_(ids)).values(enabled=False))

    async def _source(self, conn: AsyncConnection, spec: SourceSpec) -> Any:
        """The source's row, created when a caller polls a source that was never synced."""
        row = (await conn.execute(select(SOURCES).where(SOURCES.c.key == spec.key))).first()
        if row is None:
            new = {"key": spec.key, **_NEW_SOURCE, **_source_values(spec)}
            await conn.execute(insert_new(self._dialect, SOURCES, new, key=["key"]))
            row = (await conn.execute(select(SOURCES).where(SOURCES.c.key == spec.key))).one()
        return row

    async def source_cursor(self, spec: SourceSpec) -> SourceCursor:
        async with self._tx("reading source state") as session:
            return await cursor_in(session, spec.key)

    async def source_cursors(self, specs: Sequence[SourceSpec]) -> dict[str, SourceCursor]:
        """The polling state of every source in `specs`, in one read (absent: never stored)."""
        async with self._tx("reading source state") as session:
            return await cursors_in(session, [spec.key for spec in specs])

    async def lease_due_sources(
        self, *, now: datetime, owner: str, lease_seconds: float, limit: int = 100, force: bool = False
    ) -> list[str]:
        """Lease enabled sources that are due (all of them with `force`) and not leased by another
        owner; return their keys. One UPDATE ... WHERE id IN (SELECT ... [FOR UPDATE SKIP LOCKED])."""
        free = or_(
            SOURCES.c.lease_owner.is_(None), SOURCES.c.lease_owner == owner, SOURCES.c.lease_until <= now
        )
        due = and_(SOURCES.c.enabled, free)
        if force:  # a paused source waits for its next (daily) probe even then
            due = and_(due, SOURCES.c.paused.is_(False))
        else:
            due = and_(due, or_(SOURCES.c.next_poll_at.is_(None), SOURCES.c.next_poll_at <= now))
        inner = select(SOURCES.c.id).where(due).order_by(SOURCES.c.next_poll_at.nulls_first(), SOURCES.c.id)
        inner = inner.limit(limit)
        if self._dialect == "postgresql":
            inner = inner.with_for_update(skip_locked=True)
        stmt = (
            update(SOURCES)
            .where(SOURCES.c.id.in_(inner.scalar_subquery()))
            .values(lease_owner=owner, lease_until=now + timedelta(seconds=lease_seconds))
            .returning(SOURCES.c.key)
        )
        async with self._tx("leasing sources") as session:
            keys = list((await session.execute(stmt)).scalars())
        return sorted(keys)

    async def renew_source_leases(
        self, keys: Sequence[str], *, now: datetime, owner: str, lease_seconds: float
    ) -> int:
        """Push this owner's leases on `keys` to now + lease_seconds; return how many it holds."""
        if not keys:
            return 0
        stmt = (
            update(SOURCES)
            .where(SOURCES.c.key.in_(list(keys)), SOURCES.c.lease_owner == owner)
            .values(lease_until=now + timedelta(seconds=lease_seconds))
            .returning(SOURCES.c.key)
        )
        async with self._tx("renewing source leases") as session:
            return len(list((await session.execute(stmt)).scalars()))

    async def record_failure(
        self,
        spec: SourceSpec,
        error: str,
        *,
        now: datetime,
        next_poll_at: datetime,
        paused: bool = False,
        disable: bool = False,
    ) -> int:
        """Count a failed poll; return the consecutive failures so far. Clears the lease.
        `paused` marks a source that has failed for longer than the configured span; `disable`
        turns the source off (it answered 410 Gone) until the next start."""
        async with self._tx("recording a failed poll") as conn:
            row = await self._source(conn, spec)
            failures = int(row.consecutive_failures) + 1
            values: dict[str, Any] = {
                "consecutive_failures": failures,
                "failing_since": row.failing_since or now,
                "paused": row.paused or paused,
                "last_error": error[:2000],
                "last_polled_at": now,
                "next_poll_at": next_poll_at,
                "lease_owner": None,
                "lease_until": None,
            }
            if disable:
                values["enabled"] = False
            await conn.execute(update(SOURCES).where(SOURCES.c.id == row.id).values(values))
            return failures

    async def make_due(self, keys: Sequence[str], *, now: datetime) -> int:
        """Poll these enabled sources at the next tick (a push said they changed)."""
        stmt = update(SOURCES).where(SOURCES.c.key.in_(list(keys)), SOURCES.c.enabled)
        async with self._tx("marking sources due") as session:
            result = await session.execute(stmt.values(next_poll_at=now))
        return int(getattr(result, "rowcount", 0) or 0)

    async def source_health(self) -> list[SourceHealth]:
        async with self._tx("reading source health") as session:
            return await health_in(session)

    # --- items ------------------------------------------------------------------------------

    async def known_keys(self, source_key: str, keys: Sequence[str]) -> set[str]:
        """Which of `keys` are stored for the source."""
        found: set[str] = set()
        stored = {storage_key(k): k for k in keys}
        async with self._tx("reading known items") as session:
            source_id = select(SOURCES.c.id).where(SOURCES.c.key == source_key).scalar_subquery()
            for chunk in _chunks(list(stored)):
                stmt = select(ITEMS.c.key).where(ITEMS.c.source_id == source_id, ITEMS.c.key.in_(chunk))
                found.update(stored[k] for k in (await session.scalars(stmt)).all())
        return found

    async def record_poll(
        self, spec: SourceSpec, result: PollResult, *, now: datetime, next_poll_at: datetime
    ) -> list[Item]:
        """Store a successful poll; return only the items never seen before.

        An item is new when neither its key nor its URL is stored for the source (a publisher
        that re-publishes a GUID under a new URL, or a URL under a new GUID, or rewrites a date,
        makes nothing new). On the source's first poll items are stored as `baseline`.
        """
        new = await self.record_polls([PollRecord(spec, result, next_poll_at)], now=now)
        return new[spec.key]

    async def record_polls(
        self, polls: Sequence[tuple[SourceSpec, PollResult, datetime]], *, now: datetime
    ) -> dict[str, list[Item]]:
        """Store many successful polls in one transaction, a statement per batch (see
        storage/batch.py); return the new items per source key, as `record_poll` would."""
        if not polls:
            return {}
        records = [PollRecord(*poll) for poll in polls]
        async with self._tx("recording polls") as session:
            keys = sorted({p.spec.key for p in records})
            sources = {row.key: row for row in await self._source_rows(session, keys)}
            for poll in records:
                if poll.spec.key not in sources:  # polled without being synced: create its row
                    sources[poll.spec.key] = await self._source(session, poll.spec)
            return await store_polls_in(session, self._dialect, sources, records, now)

    async def _source_rows(self, session: AsyncConnection, keys: Sequence[str]) -> list[Any]:
        cols = (SOURCES.c.id, SOURCES.c.key, SOURCES.c.etag, SOURCES.c.last_modified, SOURCES.c.baseline_done)
        rows: list[Any] = []
        for chunk in _chunks(list(keys)):
            rows.extend(await session.execute(select(*cols).where(SOURCES.c.key.in_(chunk))))
        return rows

    async def pending_items(self, *, limit: int = 500) -> list[tuple[Item, bool]]:
        """Stored items whose claims were not recorded yet (oldest first), with their baseline flag."""
        stmt = _PENDING.limit(limit)  # Core columns: no ORM loading for thousands of rows
        async with self._tx("reading pending items") as session:
            rows = (await session.execute(stmt)).all()
        ids: RowIds = {}
        out: list[tuple[Item, bool]] = []
        kinds: dict[str, SourceKind] = {}
        for row_id, key, title, url, text, published, seen, lab, model, pending, base, source, kind in rows:
            item_kind = kinds.get(kind)
            if item_kind is None:
                item_kind = kinds[kind] = SourceKind(kind)
            ids[source, key] = row_id
            item = Item(
                source_key=source,
                key=key,
                title=title,
                url=url,
                text=text,
                published=published,
                lab=lab,
                model_id=model,
                source_kind=item_kind,
                detail_pending=pending,
                first_seen=seen,
            )
            out.append((item, base))
        self._pending_ids = ids
        return out

    # --- claims -----------------------------------------------------------------------------

    async def record_claims(
        self, item: Item | None, claims: Sequence[Claim], planner: AlertPlanner | None, *, now: datetime
    ) -> list[StoredClaim]:
        """Cluster the claims, write evidence and planned alerts, and mark the item detected,
        all in one transaction (see storage/clusters.py). `planner` None = record history only."""
        async with self._tx("recording claims") as session:
            return await record_claims_in(session, self._dialect, item, claims, planner, now)

    async def record_claims_many(
        self, entries: Sequence[tuple[Item, Sequence[Claim]]], planner: AlertPlanner, *, now: datetime
    ) -> None:
        """`record_claims` for many items in ONE transaction (a cycle's new items: one commit,
        not one per item), set-based where an item starts a new release (storage/news.py);
        all or nothing, like each item alone."""
        async with self._tx("recording claims") as session:
            await record_news_in(session, self._dialect, entries, planner, now, self._pending_ids)

    async def mark_detected(self, items: Sequence[Item], *, now: datetime) -> None:
        """Mark items that yielded no claims as processed, in one transaction (the common case:
        most items claim nothing, and a transaction per item dominated a first poll)."""
        if not items:
            return
        async with self._tx("marking items detected") as session:
            await mark_detected_in(session, items, now, self._pending_ids)

    async def record_history(self, entries: Sequence[tuple[Item, Sequence[Claim]]], *, now: datetime) -> None:
        """Record claims of baseline items (first polls) as history, without alerts, in ONE
        transaction: a first poll of many sources stores thousands of items at once."""
        if not entries:
            return
        async with self._tx("recording history") as session:
            await record_history_in(session, self._dialect, entries, now, self._pending_ids)

    async def backfill(self, planner: AlertPlanner, *, since: datetime, now: datetime) -> int:
        """Alert deliberately on history: detected claims since `since` that never alerted."""
        async with self._tx("backfilling alerts") as session:
            return await backfill_in(session, self._dialect, planner, since=since, now=now)

    # --- frontier models (config [[frontier]] and /track) -------------------------------------

    async def get_frontier_rows(self) -> list[FrontierModel]:
        async with self._tx("reading frontier models") as session:
            rows = (await session.execute(select(FRONTIER).order_by(FRONTIER.c.key))).all()
        return [frontier_model(r) for r in rows]

    async def upsert_frontier(
        self, model: FrontierModel, added_by: str | None = None, *, now: datetime | None = None
    ) -> None:
        """Add or replace a tracked frontier model by key."""
        values = {
            "name": model.name,
            "lab": model.lab,
            "released": model.released,
            "aliases": list(model.aliases),
            "open_weights": model.open_weights,
            "tracked": model.tracked,
            "added_by": added_by,
        }
        row = {"key": model.key, "added_at": now or datetime.now(UTC), **values}
        stmt = upsert(self._dialect, FRONTIER, row, key=["key"], update=values)
        async with self._tx("saving a frontier model") as session:
            await session.execute(stmt)

    async def delete_frontier(self, key: str) -> bool:
        """Forget a frontier model added by config or /track; False if there was none."""
        async with self._tx("deleting a frontier model") as conn:
            result = await conn.execute(delete(FRONTIER).where(FRONTIER.c.key == key))
        return bool(getattr(result, "rowcount", 0))


_ITEM_COLUMNS = (  # in the order `pending_items` unpacks them
    "key", "title", "url", "text", "published_at", "first_seen_at", "lab", "model_id", "detail_pending",
    "baseline",
)  # fmt: skip


_ITEMS: Any = ITEMS
_SOURCES: Any = SOURCES
_PENDING = (
    select(
        _ITEMS.c.id,
        *(_ITEMS.c[name] for name in _ITEM_COLUMNS),
        _SOURCES.c.key.label("source_key"),
        _SOURCES.c.kind,
    )
    .join_from(_ITEMS, _SOURCES, _SOURCES.c.id == _ITEMS.c.source_id)
    .where(_ITEMS.c.detected_at.is_(None))
    .order_by(_ITEMS.c.id)
)
