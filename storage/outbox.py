"""The outbox: durable alert rows, leased for delivery, marked sent only after a platform accepted.

Row life: ``pending`` --lease--> (sink) --> ``sent`` | ``pending`` again later | ``failed`` (parked).

- `lease` claims due rows with one ``UPDATE ... WHERE id IN (SELECT ... LIMIT n)`` statement:
  on PostgreSQL the inner SELECT uses ``FOR UPDATE SKIP LOCKED`` so replicas share the work; on
  SQLite the single statement takes the one write lock, so two processes never lease one row.
  A lease expires after `lease_seconds`: a process that crashed mid-delivery hands its rows on.
- Rows sharing a `group_key` are ONE message and are leased together: all the claims one item
  makes for one destination, or a digest's claims.
- UPDATE rows (thread replies) wait while their parent group (the first message about the
  release) is pending; once it is sent they carry its `message_ref` as `thread_ref`. If the
  parent was parked, the reply goes out unthreaded.
- Marking is idempotent: a row already sent is never marked again or re-leased.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, bindparam, exists, func, or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from bot.domain import Alert, AlertKind, PlannedAlert, group_key
from bot.errors import StoreError
from storage.batch import chunks
from storage.rows import SessionStore
from storage.tables import OUTBOX, SOURCES
from storage.upsert import insert_new

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

    Tx = AsyncConnection | AsyncSession

PENDING, SENT, FAILED = "pending", "sent", "failed"

Ids = int | Sequence[int]


@dataclass(frozen=True, slots=True)
class ParkedAlert:
    """A row that failed for good: kept, shown by the CLI and /status."""

    id: int
    destination: str
    kind: str
    idempotency_key: str
    attempts: int
    last_error: str | None
    created_at: datetime
    claim_id: int | None
    summary: str


_TABLE = OUTBOX
_COL = OUTBOX.c
_GROUP_ROWS = 10_000  # rows of one message group leased with it at most


# built once: delivery marks every message in its own transaction, and building the statement
# (its values coerced, its cache key computed) cost as much as running it
_MARK_SENT = (
    update(_TABLE)
    .where(_COL.id.in_(bindparam("ids", expanding=True)), _COL.status != SENT)
    .values(
        status=SENT,
        message_ref=bindparam("ref", type_=_COL.message_ref.type),
        sent_at=bindparam("at", type_=_COL.sent_at.type),
        lease_owner=None,
        lease_until=None,
    )
)


def _ids(ids: Ids) -> list[int]:
    return [ids] if isinstance(ids, int) else list(ids)


def _summary(payload: dict[str, Any]) -> str:
    if "text" in payload:
        return str(payload["text"])[:200]
    if "competitor" in payload:
        return f"{payload.get('competitor')} {payload.get('relation')} {payload.get('frontier_name')}"
    return ""


async def enqueue_in(
    session: Tx,
    dialect: str,
    planned: Sequence[PlannedAlert],
    *,
    claim_id: int | None,
    now: datetime,
) -> int:
    """Insert outbox rows in the caller's transaction, in order, in one executemany statement; a
    row whose idempotency key exists is skipped (ON CONFLICT DO NOTHING on both dialects).
    Returns how many were new."""
    rows = [
        {
            "idempotency_key": p.idempotency_key,
            "destination": p.destination,
            "kind": p.kind.value,
            "claim_id": p.claim_id if p.claim_id is not None else claim_id,
            "group_key": group_key(p.kind, p.idempotency_key, p.group),
            "parent_group": p.parent_key,
            "payload": dict(p.payload),
            "status": PENDING,
            "attempts": 0,
            "next_attempt_at": p.not_before or now,
            "created_at": now,
        }
        for p in planned
    ]
    if not rows:
        return 0
    stmt = insert_new(dialect, OUTBOX, None, key=["idempotency_key"]).returning(OUTBOX.c.id)
    return len((await session.execute(stmt, rows)).all())


class Outbox(SessionStore):
    """Delivery-side access to the outbox table (see `SessionStore` for Args)."""

    # --- leasing ----------------------------------------------------------------------------

    async def lease(self, now: datetime, owner: str, limit: int, lease_seconds: float) -> list[Alert]:
        """Claim up to `limit` due rows (plus the rest of their message groups) for `owner`."""
        until = now + timedelta(seconds=lease_seconds)
        table = OUTBOX
        parent = table.alias("parent")
        blocked = exists().where(
            parent.c.group_key == table.c.parent_group,
            parent.c.kind == AlertKind.NEW.value,
            parent.c.status == PENDING,
        )
        due = and_(
            table.c.status == PENDING,
            table.c.next_attempt_at <= now,
            or_(table.c.lease_until.is_(None), table.c.lease_until <= now),
            or_(table.c.kind != AlertKind.UPDATE.value, ~blocked),
        )
        try:
            async with self._engine.begin() as session:
                ids = await self._claim(session, select(table.c.id).where(due), limit, owner, until)
                rows = await self._rows(session, ids)
                groups = sorted(
                    {r.group_key for r in rows if r.group_key and r.group_key != r.idempotency_key}
                )
                for names in chunks(groups, 500):  # the rest of every group: one statement per chunk
                    group = select(table.c.id).where(due, table.c.group_key.in_(names))
                    more = await self._claim(session, group, _GROUP_ROWS * len(names), owner, until)
                    rows += await self._rows(session, more)
                threads = await self._thread_refs(session, rows)
        except SQLAlchemyError as exc:
            raise StoreError(f"outbox lease failed: {exc}") from exc
        rows.sort(key=lambda r: r.id)
        return [self._alert(r, threads.get(r.parent_group or "")) for r in rows]

    async def _claim(
        self,
        session: Tx,
        candidates: Any,
        limit: int,
        owner: str,
        until: datetime,
    ) -> list[int]:
        inner = candidates.order_by(OUTBOX.c.id).limit(limit)
        if self._dialect == "postgresql":
            inner = inner.with_for_update(skip_locked=True)
        stmt = (
            update(OUTBOX)
            .where(OUTBOX.c.id.in_(inner.scalar_subquery()))
            .values(lease_owner=owner, lease_until=until)
            .returning(OUTBOX.c.id)
        )
        return list((await session.execute(stmt)).scalars())

    async def _rows(self, session: Tx, ids: list[int]) -> list[Any]:
        if not ids:
            return []
        return list((await session.execute(select(OUTBOX).where(OUTBOX.c.id.in_(ids)))).all())

    async def _thread_refs(self, session: Tx, rows: list[Any]) -> dict[str, str | None]:
        """parent group -> the platform id of that message, for the UPDATE rows among `rows`."""
        parents = {r.parent_group for r in rows if r.kind == AlertKind.UPDATE.value and r.parent_group}
        if not parents:
            return {}
        sent = await session.execute(
            select(OUTBOX.c.group_key, OUTBOX.c.message_ref)
            .where(
                OUTBOX.c.group_key.in_(parents),
                OUTBOX.c.kind == AlertKind.NEW.value,
                OUTBOX.c.status == SENT,
            )
            .order_by(OUTBOX.c.id)
        )
        refs: dict[str, str | None] = {}
        for group, ref in sent:
            if group is not None:
                refs.setdefault(group, ref)
        return refs

    @staticmethod
    def _alert(row: Any, thread_ref: str | None) -> Alert:
        return Alert(
            id=row.id,
            destination=row.destination,
            kind=AlertKind(row.kind),
            idempotency_key=row.idempotency_key,
            payload=dict(row.payload or {}),
            claim_id=row.claim_id,
            attempts=row.attempts,
            thread_ref=thread_ref if row.kind == AlertKind.UPDATE.value else row.thread_ref,
            group=row.group_key if row.group_key and row.group_key != row.idempotency_key else None,
            created_at=row.created_at,
        )

    # --- outcomes ---------------------------------------------------------------------------

    async def renew(self, ids: Ids, owner: str, now: datetime, lease_seconds: float) -> set[int]:
        """Extend `owner`'s lease on pending rows before sending them, in one statement. Returns
        the ids it still holds: one missing means another worker took it over (lease expired)."""
        wanted = _ids(ids)
        if not wanted:
            return set()
        held: set[int] = set()
        try:
            async with self._engine.begin() as session:
                for chunk in chunks(wanted, 500):
                    stmt = (
                        update(_TABLE)
                        .where(_COL.id.in_(chunk), _COL.lease_owner == owner, _COL.status == PENDING)
                        .values(lease_until=now + timedelta(seconds=lease_seconds))
                        .returning(_COL.id)
                    )
                    held.update((await session.execute(stmt)).scalars())
        except SQLAlchemyError as exc:
            raise StoreError(f"outbox update failed: {exc}") from exc
        return held

    async def mark_sent(self, ids: Ids, message_ref: str | None, now: datetime) -> int:
        """Mark rows sent with the platform's message id; rows already sent are left alone.

        Returns:
            How many rows changed (0 when another worker had marked them already).
        """
        wanted = _ids(ids)
        if not wanted:
            return 0
        params = {"ids": wanted, "ref": message_ref, "at": now}
        try:
            async with self._engine.begin() as session:
                result = await session.execute(_MARK_SENT, params)
        except SQLAlchemyError as exc:
            raise StoreError(f"outbox update failed: {exc}") from exc
        return int(getattr(result, "rowcount", 0) or 0)

    async def reschedule(self, ids: Ids, at: datetime, error: str, *, count_attempt: bool = True) -> int:
        """Put pending rows back for a later attempt (rate limits do not count as attempts)."""
        values: dict[str, Any] = dict(
            next_attempt_at=at, last_error=error[:2000], lease_owner=None, lease_until=None
        )
        if count_attempt:
            values["attempts"] = _COL.attempts + 1
        return await self._update(ids, _COL.status == PENDING, **values)

    async def park(self, ids: Ids, error: str, now: datetime) -> int:
        """Give up on pending rows: status failed, kept for the CLI, /status and the admin."""
        return await self._update(
            ids,
            _COL.status == PENDING,
            status=FAILED,
            attempts=_COL.attempts + 1,
            last_error=error[:2000],
            lease_owner=None,
            lease_until=None,
            next_attempt_at=now,
        )

    async def requeue(self, ids: Ids, now: datetime) -> int:
        """Retry parked rows from scratch (an operator fixed the cause)."""
        return await self._update(
            ids,
            _COL.status == FAILED,
            status=PENDING,
            attempts=0,
            next_attempt_at=now,
            failure_reported=False,
        )

    async def _update(self, ids: Ids, condition: Any, **values: Any) -> int:
        wanted = _ids(ids)
        if not wanted:
            return 0
        # a Core statement on the table: the ORM's bulk-update path costs a third more per call,
        # and delivery marks each message in its own transaction
        stmt = update(_TABLE).where(_COL.id.in_(wanted), condition).values(**values)
        try:
            async with self._engine.begin() as session:
                result = await session.execute(stmt)
        except SQLAlchemyError as exc:
            raise StoreError(f"outbox update failed: {exc}") from exc
        return int(getattr(result, "rowcount", 0) or 0)

    # --- writing and reading ----------------------------------------------------------------

    async def enqueue(
        self, planned: Sequence[PlannedAlert], *, now: datetime, claim_id: int | None = None
    ) -> int:
        """Insert planned rows; a row whose idempotency key exists is skipped. Returns inserted."""
        try:
            async with self._engine.begin() as session:
                return await self._insert(session, planned, now=now, claim_id=claim_id)
        except SQLAlchemyError as exc:
            raise StoreError(f"outbox insert failed: {exc}") from exc

    async def _insert(
        self,
        session: Tx,
        planned: Sequence[PlannedAlert],
        *,
        now: datetime,
        claim_id: int | None,
    ) -> int:
        return await enqueue_in(session, self._dialect, planned, claim_id=claim_id, now=now)

    async def depth(self) -> int:
        """How many rows wait for delivery."""
        async with self._engine.connect() as session:
            value = await session.scalar(select(func.count()).where(OUTBOX.c.status == PENDING))
        return int(value or 0)

    async def parked_count(self) -> int:
        """How many rows are parked as failed."""
        async with self._engine.connect() as session:
            value = await session.scalar(select(func.count()).where(OUTBOX.c.status == FAILED))
        return int(value or 0)

    async def parked(self, limit: int = 100) -> list[ParkedAlert]:
        """Rows parked as failed, newest first."""
        async with self._engine.connect() as session:
            rows = (
                await session.execute(
                    select(OUTBOX).where(OUTBOX.c.status == FAILED).order_by(OUTBOX.c.id.desc()).limit(limit)
                )
            ).all()
        return [
            ParkedAlert(
                r.id,
                r.destination,
                r.kind,
                r.idempotency_key,
                r.attempts,
                r.last_error,
                r.created_at,
                r.claim_id,
                _summary(dict(r.payload or {})),
            )
            for r in rows
        ]

    # --- admin reports ----------------------------------------------------------------------

    async def report_parked(self, destination: str, now: datetime) -> int:
        """Queue one ADMIN alert per parked row not reported yet (never about admin rows)."""
        async with self._engine.begin() as session:
            rows = (
                await session.execute(
                    select(OUTBOX)
                    .where(
                        OUTBOX.c.status == FAILED,
                        OUTBOX.c.failure_reported.is_(False),
                        OUTBOX.c.kind != AlertKind.ADMIN.value,
                    )
                    .with_for_update(skip_locked=self._dialect == "postgresql")
                )
            ).all()
            planned = [
                admin_alert(
                    destination,
                    f"admin:parked:{r.id}",
                    f"alert {r.id} to {r.destination} parked after {r.attempts} attempts: "
                    f"{r.last_error or 'unknown error'} ({_summary(dict(r.payload or {}))})",
                )
                for r in rows
            ]
            for chunk in chunks([r.id for r in rows], 500):
                await session.execute(update(_TABLE).where(_COL.id.in_(chunk)).values(failure_reported=True))
            return await self._insert(session, planned, now=now, claim_id=None)

    async def report_failing_sources(self, destination: str, threshold: int, now: datetime) -> int:
        """Queue one ADMIN alert per source failing `threshold` times in a row, once per episode,
        and one when a source is paused (failing longer than `[polling] pause_after`).

        The flag `sources.failure_reported` is set here; the poll stage resets it on success.
        """
        async with self._engine.begin() as session:
            rows = (
                await session.execute(
                    select(SOURCES).where(
                        SOURCES.c.consecutive_failures >= threshold,
                        SOURCES.c.failure_reported.is_(False),
                    )
                )
            ).all()
            planned = []
            for r in rows:
                since = r.last_success_at.isoformat() if r.last_success_at else "never"
                planned.append(
                    admin_alert(
                        destination,
                        f"admin:source:{r.key}:{since}",
                        f"source {r.name} ({r.key}) failed {r.consecutive_failures} times in a row: "
                        f"{r.last_error or 'unknown error'}",
                    )
                )
            for chunk in chunks([r.id for r in rows], 500):
                stmt = update(SOURCES).where(SOURCES.c.id.in_(chunk)).values(failure_reported=True)
                await session.execute(stmt)
            paused = (await session.execute(select(SOURCES).where(SOURCES.c.paused.is_(True)))).all()
            for r in paused:  # once per failing episode: the idempotency key carries its start
                since = r.failing_since.isoformat() if r.failing_since else "unknown"
                planned.append(
                    admin_alert(
                        destination,
                        f"admin:source-paused:{r.key}:{since}",
                        f"source {r.name} ({r.key}) paused: failing since {since[:16]}, "
                        f"last error: {r.last_error or 'unknown'}; it is retried once a day",
                    )
                )
            return await self._insert(session, planned, now=now, claim_id=None)


def admin_alert(destination: str, key: str, text: str) -> PlannedAlert:
    """An ADMIN row: plain text for the operator's destination."""
    return PlannedAlert(destination, AlertKind.ADMIN, key, {"text": text})
